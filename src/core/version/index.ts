/**
 * Version comparison per scheme, and CVE 5 range membership.
 *
 * Schemes and their comparators:
 * - semver (npm, cargo, node): semver.ts, with a generic fallback for non-semver suffixes;
 * - pep440 (pypi, python): pep440.ts;
 * - deb (dpkg, debian, ubuntu): dpkg ordering, deb.ts;
 * - rpm (redhat, centos, fedora, almalinux, rocky, suse, …): rpm's EVR ordering, rpm.ts;
 * - maven: Maven's ComparableVersion ordering, maven.ts;
 * - go (golang): Go module versions incl. pseudo-versions, go.ts;
 * - apk (alpine, wolfi, chainguard): apk-tools ordering, apk.ts;
 * - generic: everything else that is ordered by its digits and letters (custom, gem, composer,
 *   nuget, vendor builds), generic.ts;
 * - none: commit hashes (git), which cannot be ordered without the repository.
 * A dedicated comparator returns null for text that is not a version of its scheme; so does
 * compareVersions.
 */
import type { VersionRange } from "../types.js";
import { compareApk } from "./apk.js";
import { compareDeb } from "./deb.js";
import { compareGeneric, isVersionLike } from "./generic.js";
import { compareGo } from "./go.js";
import { compareMaven } from "./maven.js";
import { comparePep440 } from "./pep440.js";
import { compareRpm } from "./rpm.js";
import { compareSemver } from "./semver.js";

export { branchOf, compareGeneric, isVersionLike } from "./generic.js";

export type Scheme = "semver" | "pep440" | "deb" | "rpm" | "maven" | "go" | "apk" | "generic" | "none";

const UNORDERED = new Set(["git", "commit", "original_commit_for_fix", "hash"]);

/** Names a source may use for a scheme (versionType, purl type, vers scheme, distribution). */
const SCHEME_NAMES = new Map<string, Scheme>(
  Object.entries({
    semver: "semver",
    npm: "semver",
    node: "semver",
    cargo: "semver",
    pep440: "pep440",
    pypi: "pep440",
    python: "pep440",
    deb: "deb",
    dpkg: "deb",
    debian: "deb",
    ubuntu: "deb",
    rpm: "rpm",
    redhat: "rpm",
    rhel: "rpm",
    centos: "rpm",
    fedora: "rpm",
    almalinux: "rpm",
    rocky: "rpm",
    suse: "rpm",
    opensuse: "rpm",
    sles: "rpm",
    oracle: "rpm",
    amazon: "rpm",
    maven: "maven",
    go: "go",
    golang: "go",
    apk: "apk",
    alpine: "apk",
    wolfi: "apk",
    chainguard: "apk",
  } satisfies Record<string, Scheme>),
);

/** Maps a source's versionType ("semver", "custom", "rpm", "python", …) to a comparator. */
export function normaliseScheme(name: string | undefined): Scheme {
  const s = (name ?? "").trim().toLowerCase();
  const known = SCHEME_NAMES.get(s);
  if (known) return known;
  if (UNORDERED.has(s)) return "none";
  // custom, generic, gem, composer, nuget and anything unrecognised.
  return "generic";
}

/** The purl type of "pkg:npm/lodash@4.17.20" → "npm". */
export function purlType(purl: string | undefined): string | undefined {
  if (!purl) return undefined;
  const m = /^pkg:([A-Za-z.+-]+)\//.exec(purl.trim());
  return m?.[1]?.toLowerCase();
}

/** The scheme of each purl type with a dedicated comparator; other types are "generic". */
const PURL_SCHEMES = new Map<string, Scheme>(
  Object.entries({
    npm: "semver",
    cargo: "semver",
    pypi: "pep440",
    deb: "deb",
    rpm: "rpm",
    maven: "maven",
    golang: "go",
    apk: "apk",
  } satisfies Record<string, Scheme>),
);

/** Scheme name from the range's versionType, else from the purl type, else "generic". */
export function schemeFor(versionType: string | undefined, purl?: string): string {
  if (versionType && versionType.trim() !== "") return versionType.trim().toLowerCase();
  const type = purlType(purl);
  return (type !== undefined && PURL_SCHEMES.get(type)) || "generic";
}

/** -1, 0 or 1; null when the two versions cannot be ordered under that scheme. */
export function compareVersions(scheme: string, a: string, b: string): number | null {
  if (a.trim() === "" || b.trim() === "") return null;
  switch (normaliseScheme(scheme)) {
    case "semver":
      return compareSemver(a, b);
    case "pep440":
      return comparePep440(a, b);
    case "deb":
      return compareDeb(a, b);
    case "rpm":
      return compareRpm(a, b);
    case "maven":
      return compareMaven(a, b);
    case "go":
      return compareGo(a, b);
    case "apk":
      return compareApk(a, b);
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
