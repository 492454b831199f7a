/**
 * Version comparison per scheme, and CVE 5 range membership.
 *
 * Schemes: semver/npm (semver.ts), pep440 (pep440.ts), everything else that is ordered by its
 * digits and letters (generic.ts). Debian, RPM and Maven have their own ordering rules; until they
 * get dedicated comparators they are routed to the generic comparator, which orders the common
 * cases ("1.2.10" > "1.2.9", "2.0-beta9" < "2.0") correctly. Commit hashes (git) cannot be ordered
 * without the repository and compare as null.
 */
import type { VersionRange } from "../types.js";
import { compareGeneric, isVersionLike } from "./generic.js";
import { comparePep440 } from "./pep440.js";
import { compareSemver } from "./semver.js";

export { branchOf, compareGeneric, isVersionLike } from "./generic.js";

export type Scheme = "semver" | "pep440" | "generic" | "none";

const UNORDERED = new Set(["git", "commit", "original_commit_for_fix", "hash"]);

/** Maps a source's versionType ("semver", "custom", "rpm", "python", …) to a comparator. */
export function normaliseScheme(name: string | undefined): Scheme {
  const s = (name ?? "").trim().toLowerCase();
  if (s === "semver" || s === "npm" || s === "node") return "semver";
  if (s === "pep440" || s === "pypi" || s === "python") return "pep440";
  if (UNORDERED.has(s)) return "none";
  // deb, rpm, maven, golang, custom, generic and anything unrecognised: generic for now.
  return "generic";
}

/** The purl type of "pkg:npm/lodash@4.17.20" → "npm". */
export function purlType(purl: string | undefined): string | undefined {
  if (!purl) return undefined;
  const m = /^pkg:([A-Za-z.+-]+)\//.exec(purl.trim());
  return m?.[1]?.toLowerCase();
}

/** Scheme name from the range's versionType, else from the purl type, else "generic". */
export function schemeFor(versionType: string | undefined, purl?: string): string {
  if (versionType && versionType.trim() !== "") return versionType.trim().toLowerCase();
  const type = purlType(purl);
  if (type === "npm") return "semver";
  if (type === "pypi") return "pep440";
  return "generic";
}

/** -1, 0 or 1; null when the two versions cannot be ordered under that scheme. */
export function compareVersions(scheme: string, a: string, b: string): number | null {
  if (a.trim() === "" || b.trim() === "") return null;
  switch (normaliseScheme(scheme)) {
    case "semver":
      return compareSemver(a, b);
    case "pep440":
      return comparePep440(a, b);
    case "none":
      // Commit hashes cannot be ordered; a plain release number under such a type still can
      // (the Linux CNA writes "6.13" with versionType original_commit_for_fix).
      if (a.trim() === b.trim()) return 0;
      return isVersionLike(a) && isVersionLike(b) ? compareGeneric(a, b) : null;
    default:
      return compareGeneric(a, b);
  }
}

const OPEN_START = new Set(["", "0", "*", "all", "any", "n/a", "unspecified"]);
const EVERY_VERSION = new Set(["*", "all", "any"]);

/** True when the entry states every version ("All", "*") without bounds. */
export function coversEveryVersion(range: VersionRange): boolean {
  return (
    range.lessThan === undefined &&
    range.lessThanOrEqual === undefined &&
    EVERY_VERSION.has(range.version.trim().toLowerCase())
  );
}

/** True when the entry is a range (has an upper bound), not a single version. */
export function isRange(range: VersionRange): boolean {
  return range.lessThan !== undefined || range.lessThanOrEqual !== undefined;
}

/** Compares a version with a bound that may end in a wildcard ("5.15.*"). */
function belowBound(scheme: string, version: string, bound: string, inclusive: boolean): boolean | null {
  const b = bound.trim();
  if (b === "*") return true;
  if (b.endsWith("*")) {
    const prefix = b.replace(/\.?\*$/, "");
    if (prefix === "") return true;
    const c = compareVersions(scheme, version, prefix);
    if (c === null) return null;
    if (c < 0) return true;
    // Inside the wildcard family ("5.15.3" under "5.15.*") counts as equal to the bound.
    const inFamily = version.trim() === prefix || version.trim().startsWith(`${prefix}.`);
    if (inFamily) return inclusive;
    return false;
  }
  const c = compareVersions(scheme, version, b);
  if (c === null) return null;
  return inclusive ? c <= 0 : c < 0;
}

/**
 * Whether `version` falls under a CVE 5 version entry: [version, lessThan) or [version,
 * lessThanOrEqual] for ranges ("0" or "*" opens from the start), equality for single versions.
 * null when the scheme cannot order the two.
 */
export function inRange(scheme: string, version: string, range: VersionRange): boolean | null {
  if (version.trim() === "") return null;
  if (coversEveryVersion(range)) return true;
  if (!isRange(range)) {
    if (range.version.trim().toLowerCase() === version.trim().toLowerCase()) return true;
    const c = compareVersions(scheme, version, range.version);
    return c === null ? null : c === 0;
  }
  const start = range.version.trim();
  if (!OPEN_START.has(start.toLowerCase())) {
    const c = compareVersions(scheme, version, start);
    if (c === null) return null;
    if (c < 0) return false;
  }
  if (range.lessThan !== undefined) return belowBound(scheme, version, range.lessThan, false);
  return belowBound(scheme, version, range.lessThanOrEqual as string, true);
}
