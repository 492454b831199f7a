/**
 * Small helpers shared by the JSON scanner parsers (Trivy, Grype, osv-scanner, SARIF): field access
 * that builds a JSON pointer only when it has to report an error, CVSS base scores from vectors, and
 * container-image identity.
 *
 * The Trivy and Grype parsers run on a hot path (a million findings per benchmark), so nothing here
 * allocates per call beyond what it returns, and every regular expression is compiled once.
 */
import { isCveId } from "../../core/scan/builder.js";
import type { ScanAsset } from "../../core/scan/types.js";
import { PatchlineError } from "../../errors.js";
import { isObject, type JsonObject, kindOf, pointer } from "../read.js";

export type AssetFields = Omit<ScanAsset, "key">;

/** A frozen empty list, returned for absent arrays so callers never allocate one. */
export const NONE: readonly never[] = Object.freeze([]);

/**
 * Where the parser is inside the document, as a stack of reference tokens. Callers push and pop as
 * they descend; the pointer string is only built when an error is thrown.
 */
export class JsonPath {
  private readonly tokens: (string | number)[] = [];

  constructor(readonly file: string) {}

  push(token: string | number): void {
    this.tokens.push(token);
  }

  pop(): void {
    this.tokens.pop();
  }

  /** The JSON pointer of the current place, or of its member `key`. */
  at(key?: string | number): string {
    let path = "";
    for (const token of this.tokens) path = pointer(path, token);
    if (key !== undefined) path = pointer(path, key);
    return path || "/";
  }

  /** Throws a VALIDATION_ERROR at the current place (or its member `key`). */
  fail(message: string, key?: string | number): never {
    throw new PatchlineError("VALIDATION_ERROR", message, { file: this.file, path: this.at(key) });
  }

  /** `value` (the member `key` of the current place, when given) must be an object. */
  object(value: unknown, key?: string | number, what = "an object"): JsonObject {
    if (!isObject(value)) this.fail(`expected ${what}, found ${kindOf(value)}`, key);
    return value;
  }
}

/** An optional string member, trimmed; absent, null or blank gives undefined. */
export function optStr(o: JsonObject, key: string, p: JsonPath): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") p.fail(`expected a string, found ${kindOf(value)}`, key);
  const text = value.trim();
  return text === "" ? undefined : text;
}

/** A required, non-blank string member. */
export function reqStr(o: JsonObject, key: string, p: JsonPath): string {
  const text = optStr(o, key, p);
  if (text === undefined) {
    p.fail(
      o[key] === undefined || o[key] === null ? `missing required field '${key}'` : `'${key}' is empty`,
      key,
    );
  }
  return text;
}

/** An optional number member; numeric strings ("7.5") are accepted, as scanners write both. */
export function optNum(o: JsonObject, key: string, p: JsonPath): number | undefined {
  const value = o[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const n = Number(value.trim());
    if (value.trim() !== "" && Number.isFinite(n)) return n;
  }
  return p.fail(`expected a number, found ${kindOf(value)}`, key);
}

/** An optional array member (absent or null gives an empty list). */
export function optArr(o: JsonObject, key: string, p: JsonPath): readonly unknown[] {
  const value = o[key];
  if (value === undefined || value === null) return NONE;
  if (!Array.isArray(value)) p.fail(`expected an array, found ${kindOf(value)}`, key);
  return value;
}

/** An optional object member. */
export function optObj(o: JsonObject, key: string, p: JsonPath): JsonObject | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  return p.object(value, key);
}

/** The strings of an optional list of strings (blank and non-string entries are refused). */
export function strList(o: JsonObject, key: string, p: JsonPath): string[] {
  const list = optArr(o, key, p);
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (typeof value !== "string") p.fail(`expected a string, found ${kindOf(value)}`, `${key}/${i}`);
    const text = value.trim();
    if (text !== "") out.push(text);
  }
  return out;
}

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
