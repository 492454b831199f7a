/**
 * Go module version ordering, as golang.org/x/mod/semver defines it.
 *
 * Versions are semantic versions with a "v" prefix ("v1.2.3", "v1.2.3-pre.1", "v1.2.3+meta"); the
 * shorthands "v1" and "v1.2" mean "v1.0.0" and "v1.2.0" (only without pre-release or build).
 * Build metadata, including "+incompatible", is ignored. Pseudo-versions
 * ("v0.0.0-20191109021931-daa7c04131f5", "v1.2.4-0.20191109021931-daa7c04131f5") are pre-releases
 * and order as such: after the release they build on, before the next one. The "v" may be left out
 * ("1.2.3"), as scanners often print versions that way. Anything else is not a Go version: null.
 */

export interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  /** Pre-release identifiers, empty for a release. */
  prerelease: string[];
}

const NUM = "(0|[1-9][0-9]*)";
const IDENT = "[0-9A-Za-z-]+";
const FULL = new RegExp(
  `^${NUM}\\.${NUM}\\.${NUM}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+${IDENT}(?:\\.${IDENT})*)?$`,
);
const SHORT = new RegExp(`^${NUM}(?:\\.${NUM})?$`);

/** Parses a Go module version; null when x/mod/semver would call it invalid. */
export function parseGo(text: string): GoVersion | null {
  let s = text.trim();
  if (s.startsWith("v")) s = s.slice(1);
  else if (!/^\d/.test(s)) return null;
  const full = FULL.exec(s);
  if (full) {
    const pre = full[4] === undefined ? [] : full[4].split(".");
    // Numeric pre-release identifiers must not have leading zeros.
    if (pre.some((p) => /^0\d+$/.test(p))) return null;
    return { major: full[1] as string, minor: full[2] as string, patch: full[3] as string, prerelease: pre };
  }
  const short = SHORT.exec(s);
  if (short) return { major: short[1] as string, minor: short[2] ?? "0", patch: "0", prerelease: [] };
  return null;
}

/** Numeric strings without leading zeros: longer is larger, else lexical. */
function compareNum(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const isNumeric = (s: string): boolean => /^[0-9]+$/.test(s);

function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) {
    if (a.length === b.length) return 0;
    return a.length === 0 ? 1 : -1; // a release sorts after its pre-releases
  }
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) continue;
    const nx = isNumeric(x);
    const ny = isNumeric(y);
    if (nx && ny) return compareNum(x, y);
    if (nx !== ny) return nx ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Orders two parsed Go versions. */
export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  return (
    compareNum(a.major, b.major) ||
    compareNum(a.minor, b.minor) ||
    compareNum(a.patch, b.patch) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

/** -1, 0 or 1 in Go module order; null when either is not a valid Go module version. */
export function compareGo(a: string, b: string): number | null {
  const pa = parseGo(a);
  const pb = parseGo(b);
  if (pa === null || pb === null) return null;
  return compareGoVersions(pa, pb);
}
