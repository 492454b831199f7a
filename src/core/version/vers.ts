/**
 * The `vers` version range notation of the Package URL project (vers-spec, VERSION-RANGE-SPEC):
 * "vers:<scheme>/<constraint>|<constraint>|…", e.g. "vers:npm/>=1.0.0|<2.0.0",
 * "vers:deb/>=1.2|<1.3|!=1.2.5", "vers:pypi/*", "vers:maven/1.2.3" (a bare version means "=").
 *
 * parseVers validates a range as the spec requires (lowercase "vers" and scheme, "*" alone, no
 * duplicate versions, alternating lower and upper bounds once sorted) and returns its constraints
 * sorted by version under the scheme's ordering. versContains tests a version with the spec's
 * containment procedure; versToRanges turns a range into CVE 5 version entries for the matcher.
 *
 * The scheme is a purl type (npm, pypi, deb, rpm, maven, golang, apk, gem, …) or one of the
 * spec's generic schemes; it selects the comparator through normaliseScheme, except
 * "lexicographic" (byte order of the UTF-8 text) and "datetime" (RFC 3339 instants). "all" and
 * "none" only allow "*": every version, or none.
 *
 * Errors are plain Errors with a one-line message; callers wrap them with their own context.
 */
import type { VersionRange } from "../types.js";
import { compareVersions } from "./index.js";

export type VersComparator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "*";

export interface VersConstraint {
  comparator: VersComparator;
  /** The unquoted version; "" for "*". */
  version: string;
}

export interface Vers {
  scheme: string;
  /** Sorted by version ("*" alone when the range covers every version). */
  constraints: VersConstraint[];
}

type Compare = (a: string, b: string) => number | null;

const PREFIXES: VersComparator[] = [">=", "<=", "!=", "<", ">", "="];
const SCHEME = /^[a-z][a-z0-9.+-]*$/;
const RESERVED = /[<>=!*|]/;

/** The comparator a vers scheme uses; null results mean "not a version of this scheme". */
export function versCompare(scheme: string): Compare {
  if (scheme === "lexicographic") return (a, b) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (scheme === "datetime") {
    return (a, b) => {
      const x = Date.parse(a);
      const y = Date.parse(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return null;
      return Math.sign(x - y);
    };
  }
  return (a, b) => compareVersions(scheme, a, b);
}

const isLower = (c: VersComparator): boolean => c === "<" || c === "<=";
const isGreater = (c: VersComparator): boolean => c === ">" || c === ">=";

/** Parses and validates a vers string; throws an Error naming what is wrong. */
export function parseVers(text: string): Vers {
  const fail = (what: string): never => {
    throw new Error(`invalid vers ${JSON.stringify(text)}: ${what}`);
  };
  const s = text.replace(/\s+/g, "");
  const colon = s.indexOf(":");
  if (colon < 0) fail('missing the "vers:" prefix');
  if (s.slice(0, colon) !== "vers")
    fail(`the URI scheme must be "vers", not ${JSON.stringify(s.slice(0, colon))}`);
  const spec = s.slice(colon + 1);
  const slash = spec.indexOf("/");
  if (slash < 0) fail('missing "/" after the versioning scheme');
  const scheme = spec.slice(0, slash);
  if (scheme === "") fail("the versioning scheme is empty");
  if (scheme !== scheme.toLowerCase())
    fail(`the versioning scheme must be lowercase, not ${JSON.stringify(scheme)}`);
  if (!SCHEME.test(scheme)) fail(`${JSON.stringify(scheme)} is not a versioning scheme name`);
  const list = spec.slice(slash + 1);
  if (list === "") fail("no version constraints");
  if (list === "*") return { scheme, constraints: [{ comparator: "*", version: "" }] };
  if (scheme === "all" || scheme === "none") fail(`the "${scheme}" scheme only allows "*"`);

  const constraints: VersConstraint[] = [];
  for (const part of list.split("|")) {
    if (part === "") continue; // leading, trailing and doubled pipes
    if (part.includes("*")) fail('"*" must be the only constraint');
    const comparator = PREFIXES.find((p) => part.startsWith(p)) ?? "=";
    const raw = part.slice(comparator === "=" && !part.startsWith("=") ? 0 : comparator.length);
    if (raw === "") fail(`constraint ${JSON.stringify(part)} has no version`);
    if (RESERVED.test(raw)) fail(`version ${JSON.stringify(raw)} contains unquoted comparator characters`);
    let version = raw;
    if (raw.includes("%")) {
      try {
        version = decodeURIComponent(raw);
      } catch {
        fail(`version ${JSON.stringify(raw)} has broken percent-encoding`);
      }
    }
    constraints.push({ comparator, version });
  }
  if (constraints.length === 0) fail("no version constraints");

  const seen = new Set<string>();
  for (const c of constraints) {
    if (seen.has(c.version)) fail(`version ${JSON.stringify(c.version)} appears more than once`);
    seen.add(c.version);
  }
  const sorted = sortConstraints(scheme, constraints, fail);
  validateOrder(sorted, fail);
  return { scheme, constraints: sorted };
}

function sortConstraints(
  scheme: string,
  constraints: VersConstraint[],
  fail: (what: string) => never,
): VersConstraint[] {
  const compare = versCompare(scheme);
  for (const c of constraints) {
    if (compare(c.version, c.version) === null) {
      fail(`${JSON.stringify(c.version)} is not a ${scheme} version`);
    }
  }
  const sorted = [...constraints].sort((a, b) => compare(a.version, b.version) ?? 0);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i] as VersConstraint;
    const b = sorted[i + 1] as VersConstraint;
    if (compare(a.version, b.version) === 0) {
      fail(
        `versions ${JSON.stringify(a.version)} and ${JSON.stringify(b.version)} are the same ${scheme} version`,
      );
    }
  }
  return sorted;
}

/** The spec's rules for contiguous constraints of a sorted range. */
function validateOrder(sorted: VersConstraint[], fail: (what: string) => never): void {
  const show = (c: VersConstraint): string => `"${c.comparator}${c.version}"`;
  // Ignoring "!=": "=" must be followed by "=", ">" or ">=".
  const noUnequal = sorted.filter((c) => c.comparator !== "!=");
  for (let i = 0; i + 1 < noUnequal.length; i++) {
    const a = noUnequal[i] as VersConstraint;
    const b = noUnequal[i + 1] as VersConstraint;
    if (a.comparator === "=" && isLower(b.comparator)) {
      fail(`${show(a)} cannot be followed by ${show(b)}, which already includes it`);
    }
  }
  // Ignoring "=" and "!=": lower and upper bounds must alternate.
  const bounds = noUnequal.filter((c) => c.comparator !== "=");
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i] as VersConstraint;
    const b = bounds[i + 1] as VersConstraint;
    if (isLower(a.comparator) && isLower(b.comparator)) {
      fail(`${show(a)} must be followed by a ">" or ">=" bound, not ${show(b)}`);
    }
    if (isGreater(a.comparator) && isGreater(b.comparator)) {
      fail(`${show(a)} must be followed by a "<" or "<=" bound, not ${show(b)}`);
    }
  }
}

const parsedOf = (vers: Vers | string): Vers => (typeof vers === "string" ? parseVers(vers) : vers);

/**
 * Whether `version` is in the range, by the spec's containment procedure; null when the version
 * cannot be compared under the range's scheme. A string range is parsed first (and may throw).
 */
export function versContains(vers: Vers | string, version: string): boolean | null {
  const { scheme, constraints } = parsedOf(vers);
  if (constraints.length === 1 && constraints[0]?.comparator === "*") return scheme !== "none";
  const compare = versCompare(scheme);
  const cmp = new Map<VersConstraint, number>();
  for (const c of constraints) {
    const r = compare(version, c.version);
    if (r === null) return null;
    if (r === 0 && (c.comparator === "=" || c.comparator === "<=" || c.comparator === ">=")) return true;
    if (r === 0 && c.comparator === "!=") return false;
    cmp.set(c, r);
  }
  const bounds = constraints.filter((c) => c.comparator !== "=" && c.comparator !== "!=");
  // Only "=" and "!=": a list of exclusions alone stands for every other version.
  if (bounds.length === 0) return constraints.every((c) => c.comparator === "!=");
  const at = (c: VersConstraint): number => cmp.get(c) as number;
  if (bounds.length === 1) {
    const only = bounds[0] as VersConstraint;
    return isLower(only.comparator) ? at(only) < 0 : at(only) > 0;
  }
  for (let i = 0; i + 1 < bounds.length; i++) {
    const current = bounds[i] as VersConstraint;
    const next = bounds[i + 1] as VersConstraint;
    if (i === 0 && isLower(current.comparator) && at(current) < 0) return true;
    if (i + 2 === bounds.length && isGreater(next.comparator) && at(next) > 0) return true;
    if (isGreater(current.comparator) && isLower(next.comparator) && at(current) > 0 && at(next) < 0)
      return true;
  }
  return false;
}

/**
 * The range as CVE 5 version entries (status "affected", versionType = the vers scheme), so it can
 * feed the same matcher: "=v" → {version: v}; ">=a|<b" → {version: a, lessThan: b}; a leading
 * upper bound starts at "0"; a trailing ">=a" runs to lessThan "*"; "*" → {version: "*"}.
 * null when the range has a ">" lower bound or a "!=" exclusion, which CVE 5 cannot express.
 */
export function versToRanges(vers: Vers | string): VersionRange[] | null {
  const { scheme, constraints } = parsedOf(vers);
  const entry = (version: string, extra: Partial<VersionRange> = {}): VersionRange => ({
    version,
    ...extra,
    versionType: scheme,
    status: "affected",
  });
  if (constraints.length === 1 && constraints[0]?.comparator === "*") {
    return scheme === "none" ? [] : [entry("*")];
  }
  if (constraints.some((c) => c.comparator === ">" || c.comparator === "!=")) return null;
  const out: VersionRange[] = [];
  let start: string | undefined;
  for (const c of constraints) {
    if (c.comparator === "=") out.push(entry(c.version));
    else if (c.comparator === ">=") start = c.version;
    else if (c.comparator === "<") out.push(entry(start ?? "0", { lessThan: c.version }));
    else if (c.comparator === "<=") out.push(entry(start ?? "0", { lessThanOrEqual: c.version }));
    if (c.comparator === "<" || c.comparator === "<=") start = undefined;
  }
  if (start !== undefined) out.push(entry(start, { lessThan: "*" }));
  return out;
}
