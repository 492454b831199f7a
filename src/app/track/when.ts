import { Temporal } from "temporal-polyfill";
import { endOfDayInZone } from "../../core/time.js";
import { PatchlineError } from "../../errors.js";

/**
 * A date or instant given on the command line: an instant is taken as is; a date alone means the
 * end of that day in the actor's zone (a review "on 2026-12-01" lasts all that day where they are).
 */
export function parseWhen(text: string, zone: string, flag: string): string {
  try {
    return Temporal.Instant.from(text).toString();
  } catch {
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return endOfDayInZone(text, zone);
    throw new PatchlineError(
      "USAGE",
      `${flag} expects a date (2026-12-01) or an instant with a zone (2026-12-01T17:00:00Z); got '${text}'`,
    );
  }
}
