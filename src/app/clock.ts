import { Temporal } from "temporal-polyfill";
import { PatchlineError } from "../errors.js";

/**
 * The one place that reads the wall clock. Everything below the adapters takes the instant as a
 * value: `--now` or PATCHLINE_NOW pin it (reproducible runs, tests, demos).
 */
export function resolveNow(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const text = flag ?? env.PATCHLINE_NOW;
  if (!text) return Temporal.Now.instant().round({ smallestUnit: "second" }).toString();
  try {
    return Temporal.Instant.from(text).toString();
  } catch {
    try {
      // A date alone means midnight UTC.
      return Temporal.PlainDate.from(text).toZonedDateTime("UTC").toInstant().toString();
    } catch {
      throw new PatchlineError(
        "USAGE",
        `--now expects an ISO 8601 instant such as 2026-11-23T09:00:00Z, got '${text}'`,
      );
    }
  }
}
