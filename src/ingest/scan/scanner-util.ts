/**
 * Helpers shared by the JSON scanner-report parsers (Trivy, Grype, osv-scanner, SARIF): comma lists of
 * versions, CVSS versions from vectors, container-image identity and CVE ids in order. Reading the
 * JSON fields themselves is JsonFields' job (../read.ts).
 *
 * The Trivy and Grype parsers run on a hot path (a million findings per benchmark), so nothing here
 * allocates per call beyond what it returns, and every regular expression is compiled once.
 */
import { type AssetFields, isCveId } from "../../core/scan/builder.js";

/** "1.2.3, 1.3.1" → ["1.2.3", "1.3.1"]. */
export function splitList(text: string): string[] {
  let comma = text.indexOf(",");
  if (comma === -1) return [text];
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const part = (comma === -1 ? text.slice(start) : text.slice(start, comma)).trim();
    if (part !== "") out.push(part);
    if (comma === -1) return out;
    start = comma + 1;
    comma = text.indexOf(",", start);
  }
}

// ---------------------------------------------------------------- CVSS

/** "2.0", "3.0", "3.1" or "4.0" from a vector's prefix; `fallback` when the vector names none. */
export function cvssVersionOf(vector: string | undefined, fallback: string): string {
  if (vector === undefined) return fallback;
  if (vector.startsWith("CVSS:3.1/")) return "3.1";
  if (vector.startsWith("CVSS:3.0/")) return "3.0";
  if (vector.startsWith("CVSS:4.0/")) return "4.0";
  if (vector.startsWith("AV:") || vector.startsWith("(AV:")) return "2.0";
  return fallback;
}

// ---------------------------------------------------------------- identity

const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.zst|oci)$/i;

/** "alpine@sha256:abc…" → "sha256:abc…"; undefined when the text carries no digest. */
export function digestOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const at = text.lastIndexOf("@");
  const digest = at === -1 ? text : text.slice(at + 1);
  return /^[a-z0-9]+:[0-9a-f]{32,}$/i.test(digest) ? digest : undefined;
}

/**
 * The identity of a scanned container image. A scan of an image archive ("img.tar.gz") names the file,
 * which changes from run to run; when the image carries a tag, the tag is the image and the archive
 * path is kept as the artifact.
 */
export function imageAsset(
  name: string,
  tags: readonly string[],
  digests: readonly string[],
  imageId: string | undefined,
): AssetFields {
  let digest: string | undefined;
  for (const d of digests) {
    digest = digestOf(d);
    if (digest !== undefined) break;
  }
  digest ??= digestOf(imageId);
  const archive = ARCHIVE.test(name) || name.startsWith("docker-archive:") || name.startsWith("oci-archive:");
  const fields: AssetFields = {};
  if (archive && tags[0] !== undefined) {
    fields.image = tags[0];
    fields.artifact = name;
  } else {
    fields.image = name;
  }
  if (digest !== undefined) fields.imageDigest = digest;
  return fields;
}

/** Orders CVE ids by year, then number: the earliest-assigned first. */
export function compareCve(a: string, b: string): number {
  const [, ya = "0", na = "0"] = a.split("-");
  const [, yb = "0", nb = "0"] = b.split("-");
  return Number(ya) - Number(yb) || Number(na) - Number(nb);
}

/** The CVE ids among `ids`, upper-cased, earliest first, without repeats. */
export function cvesOf(ids: Iterable<string>): string[] {
  const out: string[] = [];
  for (const id of ids) {
    if (!isCveId(id)) continue;
    const cve = id.trim().toUpperCase();
    if (!out.includes(cve)) out.push(cve);
  }
  return out.sort(compareCve);
}
