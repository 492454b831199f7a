/**
 * npm / semver ordering with the `semver` package. Versions that are valid (loosely) compare as
 * semver; partial versions ("6.12", "v2") are coerced; anything else ("8.7p1") falls back to the
 * generic comparator rather than losing its suffix to coercion.
 */
import semver from "semver";
import { compareGeneric } from "./generic.js";

const PARTIAL = /^[vV]?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parsed versions, memoised: an estate repeats the same few thousand version strings. */
const parsed = new Map<string, semver.SemVer | null>();

function parse(text: string): semver.SemVer | null {
  let hit = parsed.get(text);
  if (hit === undefined) {
    if (parsed.size > 100_000) parsed.clear();
    hit = parseFresh(text);
    parsed.set(text, hit);
  }
  return hit;
}

function parseFresh(text: string): semver.SemVer | null {
  const trimmed = text.trim();
  const strict = semver.parse(trimmed, { loose: true });
  if (strict) return strict;
  if (!PARTIAL.test(trimmed)) return null;
  return semver.coerce(trimmed, { loose: true, includePrerelease: true });
}

export function compareSemver(a: string, b: string): number | null {
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return pa.compare(pb);
  return compareGeneric(a, b);
}
