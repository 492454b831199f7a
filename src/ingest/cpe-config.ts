/**
 * NVD applicability statements ("configurations") → affected products. Each vulnerable cpeMatch names
 * a product by CPE 2.3 and either a concrete version or version bounds; non-vulnerable matches in an
 * AND configuration name the platform the product must run on or with.
 */
import type { AffectedProduct, VersionRange } from "../core/types.js";
import { type JsonFields, type JsonObject, pointer } from "./read.js";

/** The eleven attributes of a CPE 2.3 formatted string, unescaped ("\:" → ":"). */
export interface Cpe23 {
  part: string;
  vendor: string;
  product: string;
  version: string;
  update: string;
  edition: string;
  language: string;
  swEdition: string;
  targetSw: string;
  targetHw: string;
  other: string;
}

const ATTRIBUTES = [
  "part",
  "vendor",
  "product",
  "version",
  "update",
  "edition",
  "language",
  "swEdition",
  "targetSw",
  "targetHw",
  "other",
] as const;

/** Splits "cpe:2.3:a:vendor:product:…" on unescaped colons; null when it is not a CPE 2.3 name. */
export function parseCpe23(text: string): Cpe23 | null {
  const value = text.trim();
  if (!/^cpe:2\.3:[aho*-]:/i.test(value)) return null;
  const fields: string[] = [];
  let current = "";
  for (let i = 8; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === "\\" && i + 1 < value.length) {
      current += value[i + 1];
      i++;
    } else if (ch === ":") {
      fields.push(current);
      current = "";
    } else current += ch;
  }
  fields.push(current);
  if (fields.length !== ATTRIBUTES.length) return null;
  const cpe = {} as Cpe23;
  ATTRIBUTES.forEach((name, i) => {
    cpe[name] = fields[i] as string;
  });
  cpe.part = cpe.part.toLowerCase();
  return cpe;
}

/** True for the CPE logical values ANY ("*") and NA ("-"). */
export function isCpeWildcard(value: string): boolean {
  return value === "*" || value === "-" || value === "";
}

/** The concrete version a CPE names, with its update appended ("9.8" + "p7" → "9.8p7"); undefined for * or -. */
export function cpeVersion(cpe: Cpe23): string | undefined {
  if (isCpeWildcard(cpe.version)) return undefined;
  return isCpeWildcard(cpe.update) ? cpe.version : `${cpe.version}${cpe.update}`;
}

interface MatchBounds {
  startIncluding?: string;
  startExcluding?: string;
  endIncluding?: string;
  endExcluding?: string;
}

/**
 * The version entries of one vulnerable match. A concrete CPE version is a single version; a wildcard
 * version uses the bounds: [start, end) or [start, end]. VersionRange has no exclusive start, so
 * versionStartExcluding X becomes the range from X plus an "unaffected" entry for X itself (exact
 * entries are evaluated before ranges). No bounds at all means every version.
 */
export function matchVersions(cpe: Cpe23, bounds: MatchBounds): VersionRange[] {
  const concrete = cpeVersion(cpe);
  if (concrete !== undefined) return [{ version: concrete, versionType: "generic", status: "affected" }];
  const { startIncluding, startExcluding, endIncluding, endExcluding } = bounds;
  const hasBound = [startIncluding, startExcluding, endIncluding, endExcluding].some((b) => b !== undefined);
  if (!hasBound) return [{ version: "*", versionType: "generic", status: "affected" }];
  const range: VersionRange = {
    version: startIncluding ?? startExcluding ?? "0",
    versionType: "generic",
    status: "affected",
  };
  if (endExcluding !== undefined) range.lessThan = endExcluding;
  else if (endIncluding !== undefined) range.lessThanOrEqual = endIncluding;
  else range.lessThanOrEqual = "*";
  const out: VersionRange[] = [];
  if (startIncluding === undefined && startExcluding !== undefined) {
    out.push({ version: startExcluding, versionType: "generic", status: "unaffected" });
  }
  out.push(range);
  return out;
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function sameRange(a: VersionRange, b: VersionRange): boolean {
  return (
    a.version === b.version &&
    a.lessThan === b.lessThan &&
    a.lessThanOrEqual === b.lessThanOrEqual &&
    a.status === b.status
  );
}

function isExact(v: VersionRange): boolean {
  return v.lessThan === undefined && v.lessThanOrEqual === undefined;
}

interface ParsedMatch {
  vulnerable: boolean;
  criteria: string;
  cpe: Cpe23;
  bounds: MatchBounds;
  path: string;
}

function parseMatch(f: JsonFields, item: unknown, path: string): ParsedMatch {
  const m = f.object(item, path);
  const vulnerable = m.vulnerable;
  if (typeof vulnerable !== "boolean")
    f.fail(pointer(path, "vulnerable"), "expected 'vulnerable' to be true or false");
  const criteria = f.str(m, "criteria", path);
  const cpe = parseCpe23(criteria);
  if (!cpe) f.fail(pointer(path, "criteria"), `'${criteria}' is not a CPE 2.3 name`);
  const bounds: MatchBounds = {};
  const startIncluding = f.optStr(m, "versionStartIncluding", path);
  const startExcluding = f.optStr(m, "versionStartExcluding", path);
  const endIncluding = f.optStr(m, "versionEndIncluding", path);
  const endExcluding = f.optStr(m, "versionEndExcluding", path);
  if (startIncluding !== undefined) bounds.startIncluding = startIncluding;
  if (startExcluding !== undefined) bounds.startExcluding = startExcluding;
  if (endIncluding !== undefined) bounds.endIncluding = endIncluding;
  if (endExcluding !== undefined) bounds.endExcluding = endExcluding;
  return { vulnerable, criteria, cpe, bounds, path };
}

/** Affected products of an NVD CVE's `configurations`, and caveats about what could not be applied. */
export function configurationProducts(
  f: JsonFields,
  owner: JsonObject,
  path: string,
): { products: AffectedProduct[]; notes: string[] } {
  const products = new Map<string, AffectedProduct>();
  const notes: string[] = [];
  f.optArray(owner, "configurations", path).forEach((item, i) => {
    const cAt = pointer(pointer(path, "configurations"), i);
    const config = f.object(item, cAt);
    const configAnd = (f.optStr(config, "operator", cAt) ?? "OR").toUpperCase() === "AND";
    const vulnerable: ParsedMatch[] = [];
    const others: ParsedMatch[] = [];
    let andNode = false;
    f.optArray(config, "nodes", cAt).forEach((node, j) => {
      const nAt = pointer(pointer(cAt, "nodes"), j);
      const n = f.object(node, nAt);
      if ((f.optStr(n, "operator", nAt) ?? "OR").toUpperCase() === "AND") andNode = true;
      const matches = f
        .optArray(n, "cpeMatch", nAt)
        .map((m, k) => parseMatch(f, m, pointer(pointer(nAt, "cpeMatch"), k)));
      if (n.negate === true) {
        const names = matches.map((m) => m.criteria).join(", ");
        notes.push(
          `NVD configuration ${i + 1} excludes ${names || "a node"} (negated); the exclusion is not applied.`,
        );
        return;
      }
      for (const m of matches) (m.vulnerable ? vulnerable : others).push(m);
    });
    // Non-vulnerable names only matter when the configuration joins them with AND: "X running on Y".
    const platforms = configAnd || andNode ? [...new Set(others.map((m) => m.criteria))] : [];
    for (const m of vulnerable) {
      const key = [m.cpe.part, m.cpe.vendor, m.cpe.product, platforms.join(" ")].join("|").toLowerCase();
      let product = products.get(key);
      if (!product) {
        product = {
          vendor: m.cpe.vendor,
          product: m.cpe.product,
          cpes: [],
          versions: [],
          defaultStatus: "unaffected",
          fixedVersions: [],
        };
        if (platforms.length > 0) product.platforms = platforms;
        products.set(key, product);
      }
      pushUnique(product.cpes, m.criteria);
      for (const range of matchVersions(m.cpe, m.bounds)) {
        if (!product.versions.some((v) => sameRange(v, range))) product.versions.push(range);
      }
      const fixed = cpeVersion(m.cpe) === undefined ? m.bounds.endExcluding : undefined;
      if (fixed !== undefined) pushUnique(product.fixedVersions, fixed);
    }
  });
  // An end bound is a fix only when the same statement does not list that very version as affected
  // (ONTAP: "< 9.8" beside "9.8" itself).
  for (const product of products.values()) {
    const listed = new Set(
      product.versions.filter((v) => v.status === "affected" && isExact(v)).map((v) => v.version),
    );
    product.fixedVersions = product.fixedVersions.filter((v) => !listed.has(v));
  }
  return { products: [...products.values()], notes };
}
