/**
 * Debian package version ordering, as dpkg does it ("[epoch:]upstream_version[-debian_revision]").
 *
 * Parsing follows dpkg's rules: surrounding whitespace is ignored; the epoch is the digits before the
 * first colon; the revision is what follows the last hyphen; the upstream version must be non-empty,
 * start with a digit and use only alphanumerics and ".+~-:"; the revision only alphanumerics and
 * ".+~". A version that breaks any of these (dpkg errors or warns about it) is refused: null.
 *
 * Comparison: epochs numerically, then upstream versions, then revisions, each with dpkg's
 * verrevcmp — alternating non-digit and digit runs; in non-digit runs letters sort before
 * non-letters and '~' before everything, even the end of the string; digit runs compare
 * numerically. A missing revision compares like "0".
 */

export interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

const MAX_EPOCH = 2_147_483_647;
const UPSTREAM = /^[0-9][A-Za-z0-9.+~:-]*$/;
const REVISION = /^[A-Za-z0-9.+~]*$/;

/** Parses a Debian version; null when dpkg would reject or warn about it. */
export function parseDeb(text: string): DebVersion | null {
  const s = text.trim();
  if (s === "" || /\s/.test(s)) return null;
  let epoch = 0;
  let rest = s;
  const colon = s.indexOf(":");
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (!/^\d+$/.test(e)) return null;
    epoch = Number(e);
    if (epoch > MAX_EPOCH) return null;
    rest = s.slice(colon + 1);
  }
  let upstream = rest;
  let revision = "";
  const hyphen = rest.lastIndexOf("-");
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
  }
  if (!UPSTREAM.test(upstream) || !REVISION.test(revision)) return null;
  // A colon inside the upstream part is allowed only when an epoch is present.
  if (colon < 0 && upstream.includes(":")) return null;
  return { epoch, upstream, revision };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** dpkg's character weight in a non-digit run: '~' lowest, then end/digit, letters, other symbols. */
function order(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1; // '~'
  return c + 256;
}

/** dpkg's verrevcmp over one part (upstream or revision); returns a signed number. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a.charCodeAt(i));
      const bc = order(b.charCodeAt(j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Orders two parsed Debian versions. */
export function compareDebVersions(a: DebVersion, b: DebVersion): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const up = verrevcmp(a.upstream, b.upstream);
  if (up !== 0) return sign(up);
  return sign(verrevcmp(a.revision, b.revision));
}

/** -1, 0 or 1 in dpkg order; null when either is not a valid Debian version. */
export function compareDeb(a: string, b: string): number | null {
  const pa = parseDeb(a);
  const pb = parseDeb(b);
  if (pa === null || pb === null) return null;
  return compareDebVersions(pa, pb);
}
