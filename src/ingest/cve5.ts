/**
 * CVE JSON 5 records (dataVersion 5.0 to 5.2): the CNA container plus every ADP container (CISA-ADP
 * "Vulnrichment" adds affected products, CVSS, CWEs, SSVC decision points and the KEV listing).
 * A REJECTED record imports as state "rejected" so a later rejection is recorded.
 */
import type {
  AdvisoryRecord,
  AffectedProduct,
  CvssScore,
  Exploitation,
  Reference,
  Remediation,
  SsvcPoints,
  VersionRange,
  VersionStatus,
} from "../core/types.js";
import { isObject, isoDate, JsonFields, type JsonObject, pointer, readJson, utcInstant } from "./read.js";
import type { ParsedBatch, ParseInput } from "./types.js";

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
const STATUSES: readonly VersionStatus[] = ["affected", "unaffected", "unknown"];
const CVSS_KEYS = [
  ["cvssV2_0", "2.0"],
  ["cvssV3_0", "3.0"],
  ["cvssV3_1", "3.1"],
  ["cvssV4_0", "4.0"],
] as const;

interface Container {
  body: JsonObject;
  path: string;
  /** "cna" or "adp:<shortName>". */
  source: string;
  shortName: string;
}

/** Text of the English entry of a `[{lang, value}]` list (the first entry when none is English). */
function englishFirst(f: JsonFields, list: readonly unknown[], path: string): string | undefined {
  const entries = list.map((item, i) => {
    const at = pointer(path, i);
    const o = f.object(item, at);
    return { lang: (f.optStr(o, "lang", at) ?? "").toLowerCase(), value: f.optStr(o, "value", at) };
  });
  const english = entries.find((e) => e.lang.startsWith("en") && e.value);
  return english?.value ?? entries.find((e) => e.value)?.value;
}

/** Every English value of a `[{lang, value}]` list (all values when none is English). */
function englishAll(f: JsonFields, list: readonly unknown[], path: string): string[] {
  const entries = list.map((item, i) => {
    const at = pointer(path, i);
    const o = f.object(item, at);
    return { lang: (f.optStr(o, "lang", at) ?? "").toLowerCase(), value: f.optStr(o, "value", at) };
  });
  const english = entries.filter((e) => e.lang.startsWith("en") && e.value);
  return (english.length > 0 ? english : entries).flatMap((e) => (e.value ? [e.value] : []));
}

function status(
  f: JsonFields,
  o: JsonObject,
  key: string,
  path: string,
  fallback?: VersionStatus,
): VersionStatus {
  const value = fallback === undefined ? f.str(o, key, path) : f.optStr(o, key, path);
  if (value === undefined) return fallback ?? "unknown";
  const lower = value.toLowerCase() as VersionStatus;
  if (!STATUSES.includes(lower))
    f.fail(pointer(path, key), `expected affected, unaffected or unknown, found '${value}'`);
  return lower;
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** A version that names a concrete release (not "0", "*", "n/a" or a git commit range end). */
function concrete(value: string | undefined, versionType: string | undefined): value is string {
  if (!value || value.includes("*") || versionType === "git") return false;
  return !["0", "n/a", "-", "unspecified"].includes(value.toLowerCase());
}

function purlWithoutVersion(purl: string): string {
  const cut = purl.search(/[@?#]/);
  return cut === -1 ? purl : purl.slice(0, cut);
}

function parseAffected(f: JsonFields, item: unknown, path: string): AffectedProduct {
  const a = f.object(item, path);
  const packageName = f.optStr(a, "packageName", path);
  const product: AffectedProduct = {
    vendor: f.optStr(a, "vendor", path) ?? "n/a",
    product: f.optStr(a, "product", path) ?? packageName ?? "n/a",
    cpes: f.strList(a, "cpes", path),
    versions: [],
    defaultStatus: status(f, a, "defaultStatus", path, "unknown"),
    fixedVersions: [],
  };
  if (packageName) product.component = packageName;
  const packageURL = f.optStr(a, "packageURL", path);
  if (packageURL) product.purl = purlWithoutVersion(packageURL);
  const platforms = f.strList(a, "platforms", path);
  if (platforms.length > 0) product.platforms = platforms;

  f.optArray(a, "versions", path).forEach((entry, i) => {
    const at = pointer(pointer(path, "versions"), i);
    const v = f.object(entry, at);
    const range: VersionRange = { version: f.str(v, "version", at), status: status(f, v, "status", at) };
    const lessThan = f.optStr(v, "lessThan", at);
    const lessThanOrEqual = f.optStr(v, "lessThanOrEqual", at);
    const versionType = f.optStr(v, "versionType", at);
    if (lessThan) range.lessThan = lessThan;
    if (lessThanOrEqual) range.lessThanOrEqual = lessThanOrEqual;
    if (versionType) range.versionType = versionType;
    addVersion(product, range);

    if (range.status === "affected" && concrete(lessThan, versionType))
      pushUnique(product.fixedVersions, lessThan);
    // "unaffected from X onwards" (X ≤ * or X < *): X is where the fix landed.
    const openEnd = (lessThan ?? lessThanOrEqual ?? "").includes("*");
    if (range.status === "unaffected" && openEnd && concrete(range.version, versionType)) {
      pushUnique(product.fixedVersions, range.version);
    }
    f.optArray(v, "changes", at).forEach((change, j) => {
      const cAt = pointer(pointer(at, "changes"), j);
      const c = f.object(change, cAt);
      const atVersion = f.str(c, "at", cAt);
      if (status(f, c, "status", cAt) === "unaffected" && concrete(atVersion, versionType)) {
        pushUnique(product.fixedVersions, atVersion);
      }
    });
  });
  return product;
}

function addVersion(product: AffectedProduct, range: VersionRange): void {
  const same = product.versions.some(
    (v) =>
      v.version === range.version &&
      v.lessThan === range.lessThan &&
      v.lessThanOrEqual === range.lessThanOrEqual &&
      v.status === range.status,
  );
  if (!same) product.versions.push(range);
}

function productKey(p: AffectedProduct): string {
  const norm = (s: string | undefined): string => (s ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");
  return `${norm(p.vendor)}|${norm(p.product)}|${norm(p.component)}`;
}

/** Adds an ADP statement: folded into the product it repeats, or appended when it is new. */
function mergeAffected(into: AffectedProduct[], extra: AffectedProduct): void {
  const key = productKey(extra);
  const target = into.find((p) => productKey(p) === key);
  if (!target) {
    into.push(extra);
    return;
  }
  for (const cpe of extra.cpes) pushUnique(target.cpes, cpe);
  for (const range of extra.versions) addVersion(target, range);
  for (const fixed of extra.fixedVersions) pushUnique(target.fixedVersions, fixed);
  if (!target.purl && extra.purl) target.purl = extra.purl;
  if (target.defaultStatus === "unknown") target.defaultStatus = extra.defaultStatus;
}

function parseMetrics(f: JsonFields, c: Container, record: AdvisoryRecord): void {
  f.optArray(c.body, "metrics", c.path).forEach((item, i) => {
    const at = pointer(pointer(c.path, "metrics"), i);
    const m = f.object(item, at);
    for (const [key, version] of CVSS_KEYS) {
      const cvss = f.optObject(m, key, at);
      if (!cvss) continue;
      const cAt = pointer(at, key);
      const baseScore = f.optNum(cvss, "baseScore", cAt);
      if (baseScore === undefined) f.fail(pointer(cAt, "baseScore"), "missing required field 'baseScore'");
      const score: CvssScore = {
        version: f.optStr(cvss, "version", cAt) ?? version,
        baseScore,
        source: c.source,
      };
      const severity = f.optStr(cvss, "baseSeverity", cAt);
      const vector = f.optStr(cvss, "vectorString", cAt);
      if (severity) score.severity = severity.toUpperCase();
      if (vector) score.vector = vector;
      const dup = record.cvss.some(
        (s) => s.source === score.source && s.version === score.version && s.vector === score.vector,
      );
      if (!dup) record.cvss.push(score);
    }
    const other = f.optObject(m, "other", at);
    if (!other) return;
    const oAt = pointer(at, "other");
    const type = (f.optStr(other, "type", oAt) ?? "").toLowerCase();
    const content = isObject(other.content) ? other.content : undefined;
    if (!content) return;
    if (type === "ssvc" && !record.ssvc) {
      const ssvc = parseSsvc(f, content, pointer(oAt, "content"), c.shortName);
      if (ssvc) record.ssvc = ssvc;
    } else if (type === "kev" && !record.kev) {
      const cAt = pointer(oAt, "content");
      const added = f.str(content, "dateAdded", cAt);
      const dateAdded = isoDate(added);
      if (!dateAdded) f.fail(pointer(cAt, "dateAdded"), `'${added}' is not a real date`);
      const reference = f.optStr(content, "reference", cAt);
      record.kev = reference ? { dateAdded, reference } : { dateAdded };
    }
  });
}

const EXPLOITATION: Record<string, Exploitation> = {
  none: "none",
  poc: "poc",
  "public poc": "poc",
  public_poc: "poc",
  active: "active",
};

/** CISA ADP SSVC options `[{Exploitation: …}, {Automatable: …}, {"Technical Impact": …}]`. Unknown values are left out. */
function parseSsvc(f: JsonFields, content: JsonObject, path: string, source: string): SsvcPoints | undefined {
  const points: SsvcPoints = { source };
  f.optArray(content, "options", path).forEach((item, i) => {
    const o = f.object(item, pointer(pointer(path, "options"), i));
    for (const [name, raw] of Object.entries(o)) {
      if (typeof raw !== "string") continue;
      const key = name
        .toLowerCase()
        .replace(/[\s_]+/g, " ")
        .trim();
      const value = raw.trim().toLowerCase();
      if (key === "exploitation" && EXPLOITATION[value]) points.exploitation = EXPLOITATION[value];
      else if (key === "automatable" && (value === "yes" || value === "no")) points.automatable = value;
      else if (key === "technical impact" && (value === "partial" || value === "total"))
        points.technicalImpact = value;
    }
  });
  const timestamp = f.optStr(content, "timestamp", path);
  if (timestamp) {
    const instant = utcInstant(timestamp);
    if (instant) points.timestamp = instant;
  }
  const stated = points.exploitation ?? points.automatable ?? points.technicalImpact;
  return stated === undefined ? undefined : points;
}

function parseProblemTypes(f: JsonFields, c: Container, cwes: string[]): void {
  f.optArray(c.body, "problemTypes", c.path).forEach((item, i) => {
    const at = pointer(pointer(c.path, "problemTypes"), i);
    const p = f.object(item, at);
    f.optArray(p, "descriptions", at).forEach((d, j) => {
      const dAt = pointer(pointer(at, "descriptions"), j);
      const o = f.object(d, dAt);
      const id = f.optStr(o, "cweId", dAt)?.toUpperCase();
      if (id && /^CWE-\d+$/.test(id)) {
        pushUnique(cwes, id);
        return;
      }
      const inText = /\bCWE-\d+\b/i.exec(f.optStr(o, "description", dAt) ?? "")?.[0];
      if (inText) pushUnique(cwes, inText.toUpperCase());
    });
  });
}

function parseReferences(f: JsonFields, c: Container, references: Reference[]): void {
  f.optArray(c.body, "references", c.path).forEach((item, i) => {
    const at = pointer(pointer(c.path, "references"), i);
    const r = f.object(item, at);
    const url = f.str(r, "url", at);
    // "x_transferred" only marks a copy from the legacy record.
    const tags = f
      .strList(r, "tags", at)
      .map((t) => t.toLowerCase())
      .filter((t) => t !== "x_transferred");
    const known = references.find((ref) => ref.url === url);
    if (known) for (const tag of tags) pushUnique(known.tags, tag);
    else references.push({ url, tags: [...new Set(tags)] });
  });
}

function parseRemediations(f: JsonFields, c: Container): Remediation[] {
  const out: Remediation[] = [];
  const kinds = [
    ["solutions", "vendor_fix"],
    ["workarounds", "workaround"],
  ] as const;
  for (const [key, category] of kinds) {
    const list = f.optArray(c.body, key, c.path);
    for (const details of englishAll(f, list, pointer(c.path, key)))
      out.push({ category, details, products: [] });
  }
  return out;
}

function dateField(f: JsonFields, o: JsonObject, key: string, path: string): string | undefined {
  const text = f.optStr(o, key, path);
  if (text === undefined) return undefined;
  const instant = utcInstant(text);
  if (!instant) f.fail(pointer(path, key), `'${text}' is not a date-time`);
  return instant;
}

/** One CVE 5 record (already parsed JSON) into an AdvisoryRecord; `base` is its JSON pointer. */
export function cve5Record(f: JsonFields, json: unknown, base = ""): AdvisoryRecord {
  const root = f.object(json, base, "a CVE record object");
  const dataType = f.optStr(root, "dataType", base);
  if (dataType !== "CVE_RECORD") {
    f.fail(
      pointer(base, "dataType"),
      `not a CVE 5 record: dataType is ${dataType ? `'${dataType}'` : "missing"}`,
    );
  }
  const dataVersion = f.str(root, "dataVersion", base);
  if (!/^5\.\d+(\.\d+)?$/.test(dataVersion)) {
    f.fail(pointer(base, "dataVersion"), `unsupported dataVersion '${dataVersion}' (expected 5.x)`);
  }
  const metaPath = pointer(base, "cveMetadata");
  const meta = f.object(root.cveMetadata, metaPath);
  const id = f.str(meta, "cveId", metaPath).toUpperCase();
  if (!CVE_ID.test(id)) f.fail(pointer(metaPath, "cveId"), `'${id}' is not a CVE id`);
  const state = f.str(meta, "state", metaPath).toUpperCase();
  if (state !== "PUBLISHED" && state !== "REJECTED") {
    f.fail(pointer(metaPath, "state"), `expected PUBLISHED or REJECTED, found '${state}'`);
  }
  const containersPath = pointer(base, "containers");
  const containers = f.object(root.containers, containersPath);
  const cnaPath = pointer(containersPath, "cna");
  const cna = f.object(containers.cna, cnaPath);

  const record: AdvisoryRecord = {
    id,
    source: "cve5",
    sourceId: id,
    aliases: [],
    state: state === "REJECTED" ? "rejected" : "published",
    cvss: [],
    cwes: [],
    affected: [],
    remediations: [],
    references: [],
    notes: [],
  };
  const published = dateField(f, meta, "datePublished", metaPath);
  const modified =
    dateField(f, meta, "dateUpdated", metaPath) ?? dateField(f, meta, "dateRejected", metaPath);
  if (published) record.published = published;
  if (modified) record.modified = modified;

  if (record.state === "rejected") {
    const reason = englishFirst(
      f,
      f.optArray(cna, "rejectedReasons", cnaPath),
      pointer(cnaPath, "rejectedReasons"),
    );
    record.description = reason ?? "This CVE id has been rejected.";
    return record;
  }

  const cnaProvider = f.optObject(cna, "providerMetadata", cnaPath);
  const cnaShort =
    (cnaProvider && f.optStr(cnaProvider, "shortName", pointer(cnaPath, "providerMetadata"))) ?? "cna";
  const all: Container[] = [{ body: cna, path: cnaPath, source: "cna", shortName: cnaShort }];
  f.optArray(containers, "adp", containersPath).forEach((item, i) => {
    const at = pointer(pointer(containersPath, "adp"), i);
    const body = f.object(item, at);
    const provider = f.optObject(body, "providerMetadata", at);
    const shortName =
      (provider && f.optStr(provider, "shortName", pointer(at, "providerMetadata"))) ?? `adp${i}`;
    all.push({ body, path: at, source: `adp:${shortName}`, shortName });
  });

  const title = f.optStr(cna, "title", cnaPath);
  if (title) record.title = title;
  const description = englishFirst(
    f,
    f.optArray(cna, "descriptions", cnaPath),
    pointer(cnaPath, "descriptions"),
  );
  if (description) record.description = description;

  for (const c of all) {
    const products = f.optArray(c.body, "affected", c.path);
    products.forEach((item, i) => {
      const product = parseAffected(f, item, pointer(pointer(c.path, "affected"), i));
      if (c.source === "cna") {
        const duplicate = record.affected.some((p) => JSON.stringify(p) === JSON.stringify(product));
        if (!duplicate) record.affected.push(product);
      } else mergeAffected(record.affected, product);
    });
    parseMetrics(f, c, record);
    parseProblemTypes(f, c, record.cwes);
    parseReferences(f, c, record.references);
  }
  // The legacy "n/a / n/a" placeholder says nothing once any container names a real product.
  const placeholder = (p: AffectedProduct): boolean =>
    p.vendor.toLowerCase() === "n/a" && p.product.toLowerCase() === "n/a";
  if (record.affected.some((p) => !placeholder(p)))
    record.affected = record.affected.filter((p) => !placeholder(p));
  record.remediations = parseRemediations(f, all[0] as Container);

  for (const exploit of englishAll(f, f.optArray(cna, "exploits", cnaPath), pointer(cnaPath, "exploits"))) {
    record.notes.push(`Exploitation (CNA): ${exploit}`);
  }
  if (f.strList(cna, "tags", cnaPath).some((t) => t.toLowerCase() === "disputed")) {
    record.notes.push("The CVE record is tagged disputed.");
  }
  return record;
}

/** A CVE 5 record file (one record, or a JSON array of records). */
export async function parseCve5(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  const f: JsonFields = new JsonFields(input.displayName);
  const records = Array.isArray(json)
    ? json.map((item, i) => cve5Record(f, item, pointer("", i)))
    : [cve5Record(f, json)];
  return { kind: "advisories", records };
}
