/**
 * Durations, zones and deadlines. Pure: every instant is passed in as a UTC ISO string, every zone
 * is an IANA name, and nothing here reads the clock or the machine's time zone.
 *
 * Duration rule: days and weeks are calendar days in the zone they are added in (3d across the
 * spring-forward change is 71 real hours, and lands at the same wall-clock time); hours and minutes
 * are exact elapsed time.
 */
import { Temporal } from "temporal-polyfill";
import { PatchlineError } from "../errors.js";
import type { DeadlineRule, DurationText, MaintenanceWindow, Policy } from "./policy/types.js";
import type { Deadline } from "./types.js";

/**
 * Optional detail a pack adds to a DeadlineRule so the deadline can explain itself.
 * `because` is the start of the basis sentence: "BOD 26-04 (In KEV, exposed, automatable, total impact)".
 */
export interface ExplainedDeadlineRule extends DeadlineRule {
  because?: string;
}

const SHORT_DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/i;

/**
 * "90m", "4h", "3d", "2w", combinations such as "1d12h", or ISO 8601 ("P3D", "PT4H", "P1DT12H").
 * Throws VALIDATION_ERROR for anything else, including negative durations.
 */
export function parseDuration(text: DurationText): Temporal.Duration {
  const trimmed = typeof text === "string" ? text.trim() : "";
  const bad = () =>
    new PatchlineError(
      "VALIDATION_ERROR",
      `expected a duration like 4h, 3d or P1D, got ${JSON.stringify(String(text))}`,
    );
  if (trimmed === "") throw bad();
  if (/^p/i.test(trimmed)) {
    let duration: Temporal.Duration;
    try {
      duration = Temporal.Duration.from(trimmed.toUpperCase());
    } catch {
      throw bad();
    }
    return duration;
  }
  const m = SHORT_DURATION.exec(trimmed);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined && m[4] === undefined)) {
    throw bad();
  }
  return Temporal.Duration.from({
    weeks: Number(m[1] ?? 0),
    days: Number(m[2] ?? 0),
    hours: Number(m[3] ?? 0),
    minutes: Number(m[4] ?? 0),
  });
}

export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

type DurationUnit = "years" | "months" | "weeks" | "days" | "hours" | "minutes" | "seconds";

const UNIT_NAMES: [DurationUnit, string][] = [
  ["years", "year"],
  ["months", "month"],
  ["weeks", "week"],
  ["days", "day"],
  ["hours", "hour"],
  ["minutes", "minute"],
  ["seconds", "second"],
];

/** Plain words for a duration: "3d" → "3 days", "P1DT12H" → "1 day 12 hours". */
export function describeDuration(text: DurationText): string {
  const d = parseDuration(text);
  const parts: string[] = [];
  for (const [unit, name] of UNIT_NAMES) {
    const n = d[unit];
    if (n) parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
  }
  return parts.length ? parts.join(" ") : "0 minutes";
}

/** An IANA zone name that this runtime knows ("UTC" included; bare offsets such as "+02:00" are not). */
export function isValidZone(zone: string): boolean {
  if (typeof zone !== "string" || !/^[A-Za-z]/.test(zone)) return false;
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone name as the runtime spells it ("america/new_york" → "America/New_York"). */
export function canonicalZone(zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zoneOf(zone)).timeZoneId;
}

function zoneOf(zone: string): string {
  if (!isValidZone(zone)) {
    throw new PatchlineError("VALIDATION_ERROR", `'${zone}' is not an IANA time zone`);
  }
  return zone;
}

/** Parses a UTC or offset ISO instant; throws VALIDATION_ERROR with the bad text otherwise. */
export function parseInstant(instant: string): Temporal.Instant {
  try {
    return Temporal.Instant.from(instant);
  } catch {
    throw new PatchlineError(
      "VALIDATION_ERROR",
      `expected an instant like 2026-11-26T17:00:00Z, got ${JSON.stringify(String(instant))}`,
    );
  }
}

function utcString(instant: Temporal.Instant): string {
  return instant.toString({ smallestUnit: "second" });
}

function zoned(instant: string, zone: string): Temporal.ZonedDateTime {
  return parseInstant(instant).toZonedDateTimeISO(zoneOf(zone));
}

/** The instant in the zone, ISO 8601 with offset: "2026-11-26T12:00:00-05:00". */
export function toZoned(instant: string, zone: string): string {
  return zoned(instant, zone).toString({ timeZoneName: "never", smallestUnit: "second" });
}

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function wallClock(z: Temporal.ZonedDateTime): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAY_NAMES[z.dayOfWeek - 1]} ${z.day} ${MONTH_NAMES[z.month - 1]} ${z.year} ${pad(z.hour)}:${pad(z.minute)}`;
}

/** Locales tried in turn for a short zone abbreviation; the first that gives letters wins. */
const ABBREVIATION_LOCALES = ["en-US", "en-GB", "en-AU", "en-IN", "en-NZ", "en-CA", "en-ZA"];

function offsetLabel(z: Temporal.ZonedDateTime): string {
  return z.offset === "+00:00" ? "UTC" : `UTC${z.offset}`;
}

/** "EST", "CEST", "AEDT", "IST" where the runtime knows one, otherwise "UTC+09:00". */
export function zoneAbbreviation(instant: string, zone: string): string {
  const z = zoned(instant, zone);
  const date = new Date(z.epochMilliseconds);
  for (const locale of ABBREVIATION_LOCALES) {
    let name: string | undefined;
    try {
      name = new Intl.DateTimeFormat(locale, { timeZone: z.timeZoneId, timeZoneName: "short" })
        .formatToParts(date)
        .find((p) => p.type === "timeZoneName")?.value;
    } catch {
      name = undefined;
    }
    if (name && /^[A-Z]{2,5}$/.test(name) && (name !== "GMT" || z.offset === "+00:00")) return name;
  }
  return offsetLabel(z);
}

/** "Thu 26 Nov 2026 12:00 EST (America/New_York)". */
export function formatLocal(instant: string, zone: string): string {
  const z = zoned(instant, zone);
  return `${wallClock(z)} ${zoneAbbreviation(instant, zone)} (${z.timeZoneId})`;
}

/** "Thu 26 Nov 2026 17:00 UTC". */
export function formatUtc(instant: string): string {
  return `${wallClock(zoned(instant, "UTC"))} UTC`;
}

/** start + duration, days counted on the calendar of `zone`; returns a UTC instant. */
export function addInZone(start: string, duration: DurationText, zone: string): string {
  return utcString(zoned(start, zone).add(parseDuration(duration)).toInstant());
}

function plainDate(date: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new PatchlineError(
      "VALIDATION_ERROR",
      `expected a date like 2025-09-15, got ${JSON.stringify(date)}`,
    );
  }
  try {
    return Temporal.PlainDate.from(date, { overflow: "reject" });
  } catch {
    throw new PatchlineError("VALIDATION_ERROR", `'${date}' is not a calendar date`);
  }
}

/** UTC instant of 23:59:59 on `date` (YYYY-MM-DD) in `zone`. */
export function endOfDayInZone(date: string, zone: string): string {
  return utcString(
    plainDate(date)
      .toZonedDateTime({ timeZone: zoneOf(zone), plainTime: "23:59:59" })
      .toInstant(),
  );
}

/** UTC instant of the first moment of `date` (YYYY-MM-DD) in `zone`. */
export function startOfDayInZone(date: string, zone: string): string {
  return utcString(
    plainDate(date)
      .toZonedDateTime({ timeZone: zoneOf(zone) })
      .toInstant(),
  );
}

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/**
 * The next opening of the window at least `minLeadTime` after `after`, in `zone`.
 * Wall-clock starts that do not exist (spring-forward gap) move forward by the gap; starts that
 * happen twice (fall-back overlap) use the earlier one. Returns UTC instants.
 */
export function nextWindow(
  window: MaintenanceWindow,
  after: string,
  zone: string,
): { start: string; end: string } {
  if (window.days.length === 0) {
    throw new PatchlineError("VALIDATION_ERROR", "maintenance window names no days");
  }
  const time = /^(\d{1,2}):(\d{2})$/.exec(window.start);
  if (!time) {
    throw new PatchlineError("VALIDATION_ERROR", `expected a start time like 02:00, got '${window.start}'`);
  }
  const plainTime = { hour: Number(time[1]), minute: Number(time[2]) };
  const earliest = Temporal.Instant.from(addInZone(after, window.minLeadTime, zone));
  const tz = zoneOf(zone);
  let day = earliest.toZonedDateTimeISO(tz).toPlainDate().subtract({ days: 1 });
  for (let i = 0; i < 16; i++, day = day.add({ days: 1 })) {
    const weekday = WEEKDAYS[day.dayOfWeek - 1];
    if (weekday === undefined || !window.days.includes(weekday)) continue;
    const opening = day.toPlainDateTime(plainTime).toZonedDateTime(tz, { disambiguation: "compatible" });
    if (Temporal.Instant.compare(opening.toInstant(), earliest) < 0) continue;
    return {
      start: utcString(opening.toInstant()),
      end: utcString(opening.add(parseDuration(window.length)).toInstant()),
    };
  }
  throw new PatchlineError("VALIDATION_ERROR", "no maintenance window opening found within two weeks");
}

export function compareInstants(a: string, b: string): number {
  return Temporal.Instant.compare(parseInstant(a), parseInstant(b));
}

const PACK_LABELS: Record<Policy["pack"], string> = {
  "bod-26-04": "BOD 26-04",
  "bod-22-01": "BOD 22-01",
  fedramp: "FedRAMP",
  custom: "Policy",
};

/**
 * The deadline a rule sets for a clock that starts at `start`, shown in the owner's `zone`.
 * - dueDate: end of that day in policy.dueDateZone (CISA dates are US Eastern).
 * - duration: start + duration, days on the owner's calendar.
 * - both: whichever comes first (a pack timeline capped by the KEV due date).
 * - neither, and not onUpgrade: the END of the next maintenance window after `start`
 *   (`window`, or policy.maintenanceWindow when none is given).
 * - onUpgrade: null (no deadline; the item rides the next system upgrade).
 */
export function computeDeadline(
  rule: DeadlineRule,
  start: string,
  zone: string,
  policy: Policy,
  window?: MaintenanceWindow,
): Deadline | null {
  if (rule.onUpgrade) return null;
  const because = (rule as ExplainedDeadlineRule).because ?? `${PACK_LABELS[policy.pack]} (${rule.band})`;
  const candidates: { at: string; basis: string }[] = [];
  if (rule.duration !== undefined) {
    candidates.push({
      at: addInZone(start, rule.duration, zone),
      basis: `${because}: ${describeDuration(rule.duration)} from handoff`,
    });
  }
  if (rule.dueDate !== undefined) {
    const dueText = `KEV due date ${rule.dueDate}, end of day ${policy.dueDateZone}`;
    candidates.push({
      at: endOfDayInZone(rule.dueDate, policy.dueDateZone),
      basis: rule.duration === undefined ? `${because}: ${dueText}` : `${because}: capped by ${dueText}`,
    });
  }
  if (candidates.length === 0) {
    const w = window ?? policy.maintenanceWindow;
    const next = nextWindow(w, start, zone);
    candidates.push({
      at: next.end,
      basis: `End of the next maintenance window (${w.days.join("/")} ${w.start} for ${describeDuration(w.length)}, ${canonicalZone(zone)})`,
    });
  }
  let best = candidates[0]!;
  for (const c of candidates) if (compareInstants(c.at, best.at) < 0) best = c;
  const tz = canonicalZone(zone);
  return { at: best.at, zone: tz, local: toZoned(best.at, tz), basis: best.basis };
}
