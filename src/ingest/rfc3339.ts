/**
 * The common case of a timestamp, without a calendar library: an RFC 3339 date-time with "Z" or a
 * "±HH:MM" offset ("2024-06-18T09:40:58.513479385+02:00"), as scanners write once per report. Gives
 * the UTC instant exactly as Temporal.Instant writes it (fraction without trailing zeros), or
 * undefined for anything else, which the caller then reads the slow, general way.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

export function rfc3339ToUtc(text: string): string | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, ys, mos, ds, hs, mis, ss, fraction, zulu, sign, ohs, omis] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  // Leap seconds (60) and everything out of range are left to the general reader.
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const digits = fraction?.replace(/0+$/, "") ?? "";
  const tail = digits === "" ? "Z" : `.${digits}Z`;
  if (zulu) return `${text.slice(0, 19)}${tail}`;
  const offsetHours = Number(ohs);
  const offsetMinutes = Number(omis);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute - offset, second, 0);
  const iso = at.toISOString();
  // Years that an offset moves out of 0000–9999 are written differently: leave them to Temporal.
  if (iso.length !== 24) return undefined;
  return `${iso.slice(0, 19)}${tail}`;
}
