/**
 * RPM version ordering: rpm's rpmvercmp segment comparison and epoch:version-release (EVR) rules.
 *
 * rpmvercmp: separators (anything but letters, digits, '~' and '^') only delimit segments; '~'
 * sorts before everything, even the end of the string (pre-releases, "1.0~rc1" < "1.0"); '^' sorts
 * after the end of the string but before any further segment (post-release snapshots, rpm ≥ 4.15:
 * "1.0" < "1.0^git1" < "1.0.1"); a digit segment is newer than a letter segment; digit segments
 * compare numerically (leading zeros ignored), letter segments by ASCII; if all segments agree, the
 * string with segments left over is newer.
 *
 * EVR: the epoch is the leading digits before ':' (0 when missing); the release is what follows the
 * last '-'. Epochs, then versions, are compared with rpmvercmp; releases only when both sides have
 * one — as rpm does when matching a dependency or range ("foo >= 1.2" is met by 1.2-3), so
 * "1.2" == "1.2-3". (rpm's package sort, rpmverCmp, instead puts a missing release first.)
 */

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const TILDE = 126;
const CARET = 94;

/** rpm's rpmvercmp over one version or release string: -1, 0 or 1. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const at = (s: string, k: number): number => (k < s.length ? s.charCodeAt(k) : 0);
  while (i < a.length || j < b.length) {
    while (i < a.length && !isSegmentChar(at(a, i))) i++;
    while (j < b.length && !isSegmentChar(at(b, j))) j++;
    const ca = at(a, i);
    const cb = at(b, j);

    // Tilde: sorts before everything else, including the end of the string.
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    // Caret: like tilde, except that the end of the string sorts before it.
    if (ca === CARET || cb === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(ca);
    const same = numeric ? isDigit : isAlpha;
    let ei = i;
    while (ei < a.length && same(a.charCodeAt(ei))) ei++;
    let ej = j;
    while (ej < b.length && same(b.charCodeAt(ej))) ej++;
    // The other side has a segment of the other kind here: numbers are newer than letters.
    if (ej === j) return numeric ? 1 : -1;

    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (numeric) {
      sa = sa.replace(/^0+/, "");
      sb = sb.replace(/^0+/, "");
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function isSegmentChar(c: number): boolean {
  return isDigit(c) || isAlpha(c) || c === TILDE || c === CARET;
}

export interface RpmEvr {
  /** Epoch digits; "0" when missing. */
  epoch: string;
  version: string;
  release?: string;
}

/** Splits "[epoch:]version[-release]" as rpm does; null for empty text or text with whitespace. */
export function parseEvr(text: string): RpmEvr | null {
  const s = text.trim();
  if (s === "" || /\s/.test(s)) return null;
  const m = /^(\d*):/.exec(s);
  const epoch = m ? m[1] || "0" : "0";
  const rest = m ? s.slice(m[0].length) : s;
  const dash = rest.lastIndexOf("-");
  const version = dash >= 0 ? rest.slice(0, dash) : rest;
  if (version === "") return null;
  if (dash < 0) return { epoch, version };
  return { epoch, version, release: rest.slice(dash + 1) };
}

/** Orders two parsed EVRs; releases only count when both sides have one. */
export function compareEvr(a: RpmEvr, b: RpmEvr): number {
  const e = rpmvercmp(a.epoch, b.epoch);
  if (e !== 0) return e;
  const v = rpmvercmp(a.version, b.version);
  if (v !== 0) return v;
  if (a.release === undefined || b.release === undefined) return 0;
  return rpmvercmp(a.release, b.release);
}

/** -1, 0 or 1 in rpm order for two "[epoch:]version[-release]" strings; null when either is unusable. */
export function compareRpm(a: string, b: string): number | null {
  const pa = parseEvr(a);
  const pb = parseEvr(b);
  if (pa === null || pb === null) return null;
  return compareEvr(pa, pb);
}
