/**
 * NVD CVE API 2.0 responses (`format: "NVD_CVE"`, `version: "2.0"`): a single-CVE answer and a result
 * page are the same document. Every `vulnerabilities[].cve` becomes one AdvisoryRecord with NVD's and
 * the CNAs' CVSS scores, CWEs, CPE applicability (configurations), the CISA KEV fields NVD carries and
 * the SSVC block newer responses include. The retired 1.1 data feeds (CVE_Items) are refused.
 */
import type {
  AdvisoryRecord,
  AffectedProduct,
  CvssScore,
  Exploitation,
  Reference,
  SsvcPoints,
  VersionRange,
  VersionStatus,
} from "../core/types.js";
import { configurationProducts } from "./cpe-config.js";
import { isObject, isoDate, JsonFields, type JsonObject, pointer, readJson, utcInstant } from "./read.js";
import type { ParsedBatch, ParseInput } from "./types.js";

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
const NVD_SOURCE = "nvd@nist.gov";

const METRIC_KEYS = [
  ["cvssMetricV40", "4.0"],
  ["cvssMetricV31", "3.1"],
  ["cvssMetricV30", "3.0"],
  ["cvssMetricV2", "2.0"],
] as const;

/** Organisation ids NVD writes as a metric source, by the short name CVE records use for them. */
const KNOWN_SOURCES: Record<string, string> = {
  "134c704f-9b21-4f2e-91b3-4a467353bcc0": "CISA-ADP",
};

const STATUS_NOTES: Record<string, string> = {
  received:
    "NVD status Received: NVD has not analysed this CVE yet; it has no NVD scores or CPE configurations.",
  "awaiting analysis":
    "NVD status Awaiting Analysis: NVD has not analysed this CVE yet; any scores are the CNA's and NVD product configurations may be missing.",
  "undergoing analysis":
    "NVD status Undergoing Analysis: NVD's analysis is in progress; scores and product configurations may change.",
  deferred:
    "NVD status Deferred: NVD does not plan to analyse this CVE further; its data may be incomplete or out of date.",
};

/**
 * True when the text (the first 64 KB, possibly cut) is an NVD CVE API 2.0 response, or a retired NVD
 * 1.1 feed (claimed so that parsing can say it is retired).
 */
export function looksLikeNvd(head: string): boolean {
  const text = head.trimStart();
  if (!text.startsWith("{")) return false;
  if (/"format"\s*:\s*"NVD_CVE"/.test(text)) return true;
  if (/"CVE_Items"\s*:\s*\[/.test(text) && /"CVE_data_(type|format)"\s*:/.test(text)) return true;
  // An API answer whose envelope members were reordered or dropped.
  return (
    /"vulnerabilities"\s*:\s*\[\s*\{\s*"cve"\s*:\s*\{/.test(text) &&
    /"sourceIdentifier"\s*:\s*"/.test(text) &&
    /"vulnStatus"\s*:\s*"/.test(text)
  );
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function metricSource(source: string | undefined): string {
  if (!source || source === NVD_SOURCE) return "nvd";
  return `nvd:${KNOWN_SOURCES[source] ?? source}`;
}

function instant(f: JsonFields, o: JsonObject, key: string, path: string): string | undefined {
  const text = f.optStr(o, key, path);
  if (text === undefined) return undefined;
  const value = utcInstant(text);
  if (!value) f.fail(pointer(path, key), `'${text}' is not a date-time`);
  return value;
}

function englishDescription(f: JsonFields, cve: JsonObject, path: string): string | undefined {
  const entries = f.optArray(cve, "descriptions", path).map((item, i) => {
    const at = pointer(pointer(path, "descriptions"), i);
    const d = f.object(item, at);
    return { lang: (f.optStr(d, "lang", at) ?? "").toLowerCase(), value: f.optStr(d, "value", at) };
  });
  return (entries.find((e) => e.lang.startsWith("en") && e.value) ?? entries.find((e) => e.value))?.value;
}

function parseCvss(f: JsonFields, metrics: JsonObject, path: string, into: CvssScore[]): void {
  for (const [key, fallback] of METRIC_KEYS) {
    f.optArray(metrics, key, path).forEach((item, i) => {
      const at = pointer(pointer(path, key), i);
      const m = f.object(item, at);
      const dataPath = pointer(at, "cvssData");
      const data = f.object(m.cvssData, dataPath);
      const baseScore = f.optNum(data, "baseScore", dataPath);
      if (baseScore === undefined)
        f.fail(pointer(dataPath, "baseScore"), "missing required field 'baseScore'");
      const score: CvssScore = {
        version: f.optStr(data, "version", dataPath) ?? fallback,
        baseScore,
        source: metricSource(f.optStr(m, "source", at)),
      };
      // v2 keeps its rating beside cvssData, v3 and v4 inside it.
      const severity = f.optStr(data, "baseSeverity", dataPath) ?? f.optStr(m, "baseSeverity", at);
      const vector = f.optStr(data, "vectorString", dataPath);
      if (severity) score.severity = severity.toUpperCase();
      if (vector) score.vector = vector;
      const dup = into.some(
        (s) => s.source === score.source && s.version === score.version && s.vector === score.vector,
      );
      if (!dup) into.push(score);
    });
  }
}

const EXPLOITATION: Record<string, Exploitation> = {
  none: "none",
  poc: "poc",
  publicpoc: "poc",
  active: "active",
};

/** The first SSVC block (ssvcV203, …) that states a decision point NVD carries. */
function parseSsvc(f: JsonFields, metrics: JsonObject, path: string): SsvcPoints | undefined {
  for (const key of Object.keys(metrics).filter((k) => /^ssvc/i.test(k))) {
    const list = f.optArray(metrics, key, path);
    for (let i = 0; i < list.length; i++) {
      const at = pointer(pointer(path, key), i);
      const m = f.object(list[i], at);
      const dataPath = pointer(at, "ssvcData");
      const data = f.optObject(m, "ssvcData", at);
      if (!data) continue;
      const source = f.optStr(m, "source", at);
      const points: SsvcPoints = { source: source ? (KNOWN_SOURCES[source] ?? source) : "nvd" };
      f.optArray(data, "options", dataPath).forEach((option, j) => {
        const o = f.object(option, pointer(pointer(dataPath, "options"), j));
        for (const [name, raw] of Object.entries(o)) {
          if (typeof raw !== "string") continue;
          const point = name.toLowerCase().replace(/[^a-z]/g, "");
          const value = raw.trim().toLowerCase();
          if (point === "exploitation" && EXPLOITATION[value.replace(/[^a-z]/g, "")])
            points.exploitation = EXPLOITATION[value.replace(/[^a-z]/g, "")];
          else if (point === "automatable" && (value === "yes" || value === "no")) points.automatable = value;
          else if (point === "technicalimpact" && (value === "partial" || value === "total"))
            points.technicalImpact = value;
        }
      });
      const timestamp = f.optStr(data, "timestamp", dataPath);
      const when = timestamp ? utcInstant(timestamp) : null;
      if (when) points.timestamp = when;
      if (points.exploitation ?? points.automatable ?? points.technicalImpact) return points;
    }
  }
  return undefined;
}

function parseWeaknesses(f: JsonFields, cve: JsonObject, path: string, cwes: string[]): void {
  f.optArray(cve, "weaknesses", path).forEach((item, i) => {
    const at = pointer(pointer(path, "weaknesses"), i);
    const w = f.object(item, at);
    f.optArray(w, "description", at).forEach((d, j) => {
      const dAt = pointer(pointer(at, "description"), j);
      const value = f.optStr(f.object(d, dAt), "value", dAt)?.toUpperCase();
      // "NVD-CWE-noinfo" and "NVD-CWE-Other" name no weakness.
      if (value && /^CWE-\d+$/.test(value)) pushUnique(cwes, value);
    });
  });
}

function parseReferences(f: JsonFields, cve: JsonObject, path: string, into: Reference[]): void {
  f.optArray(cve, "references", path).forEach((item, i) => {
    const at = pointer(pointer(path, "references"), i);
    const r = f.object(item, at);
    const url = f.str(r, "url", at);
    const tags = f.optArray(r, "tags", at).flatMap((t, j) => {
      if (typeof t !== "string") f.fail(pointer(pointer(at, "tags"), j), "expected a string");
      const tag = t.trim().toLowerCase().replace(/\s+/g, "-");
      return tag ? [tag] : [];
    });
    const known = into.find((ref) => ref.url === url);
    if (known) for (const tag of tags) pushUnique(known.tags, tag);
    else into.push({ url, tags: [...new Set(tags)] });
  });
}

const STATUSES: readonly VersionStatus[] = ["affected", "unaffected", "unknown"];

function versionStatus(f: JsonFields, o: JsonObject, key: string, path: string): VersionStatus | undefined {
  const value = f.optStr(o, key, path)?.toLowerCase();
  if (value === undefined) return undefined;
  if (!STATUSES.includes(value as VersionStatus))
    f.fail(pointer(path, key), `expected affected, unaffected or unknown, found '${value}'`);
  return value as VersionStatus;
}

function stringList(f: JsonFields, o: JsonObject, key: string, path: string): string[] {
  return f.optArray(o, key, path).flatMap((item, i) => {
    if (typeof item !== "string") f.fail(pointer(pointer(path, key), i), "expected a string");
    const text = item.trim();
    return text ? [text] : [];
  });
}

/** A concrete release (not "0", "*", "n/a" or a git commit). */
function concrete(value: string | undefined, versionType: string | undefined): value is string {
  if (!value || value.includes("*") || versionType === "git") return false;
  return !["0", "n/a", "-", "unspecified"].includes(value.toLowerCase());
}

/** The CNA's affected data NVD copies into newer responses (`affected[].affectedData[]`, CVE 5 shape). */
function parseCnaAffected(f: JsonFields, cve: JsonObject, path: string): AffectedProduct[] {
  const out: AffectedProduct[] = [];
  f.optArray(cve, "affected", path).forEach((item, i) => {
    const at = pointer(pointer(path, "affected"), i);
    const block = f.object(item, at);
    f.optArray(block, "affectedData", at).forEach((entry, j) => {
      const eAt = pointer(pointer(at, "affectedData"), j);
      const a = f.object(entry, eAt);
      const packageName = f.optStr(a, "packageName", eAt);
      const product: AffectedProduct = {
        vendor: f.optStr(a, "vendor", eAt) ?? "n/a",
        product: f.optStr(a, "product", eAt) ?? packageName ?? "n/a",
        cpes: stringList(f, a, "cpes", eAt),
        versions: [],
        defaultStatus: versionStatus(f, a, "defaultStatus", eAt) ?? "unknown",
        fixedVersions: [],
      };
      if (packageName) product.component = packageName;
      const platforms = stringList(f, a, "platforms", eAt);
      if (platforms.length > 0) product.platforms = platforms;
      f.optArray(a, "versions", eAt).forEach((v, k) => {
        const vAt = pointer(pointer(eAt, "versions"), k);
        const o = f.object(v, vAt);
        const status = versionStatus(f, o, "status", vAt);
        if (!status) f.fail(pointer(vAt, "status"), "missing required field 'status'");
        const range: VersionRange = { version: f.str(o, "version", vAt), status };
        const lessThan = f.optStr(o, "lessThan", vAt);
        const lessThanOrEqual = f.optStr(o, "lessThanOrEqual", vAt);
        const versionType = f.optStr(o, "versionType", vAt);
        if (lessThan) range.lessThan = lessThan;
        if (lessThanOrEqual) range.lessThanOrEqual = lessThanOrEqual;
        if (versionType) range.versionType = versionType;
        product.versions.push(range);
        if (status === "affected" && concrete(lessThan, versionType))
          pushUnique(product.fixedVersions, lessThan);
      });
      out.push(product);
    });
  });
  return out;
}

/** One `vulnerabilities[].cve` object into an AdvisoryRecord; `path` is its JSON pointer. */
export function nvdRecord(f: JsonFields, value: unknown, path: string): AdvisoryRecord {
  const cve = f.object(value, path, "a CVE object");
  const id = f.str(cve, "id", path).toUpperCase();
  if (!CVE_ID.test(id)) f.fail(pointer(path, "id"), `'${id}' is not a CVE id`);
  const status = f.optStr(cve, "vulnStatus", path);
  const record: AdvisoryRecord = {
    id,
    source: "nvd",
    sourceId: id,
    aliases: [],
    state: status?.toLowerCase() === "rejected" ? "rejected" : "published",
    cvss: [],
    cwes: [],
    affected: [],
    remediations: [],
    references: [],
    notes: [],
  };
  const published = instant(f, cve, "published", path);
  const modified = instant(f, cve, "lastModified", path);
  if (published) record.published = published;
  if (modified) record.modified = modified;
  const description = englishDescription(f, cve, path);
  if (description) record.description = description;
  if (record.state === "rejected") {
    record.description ??= "This CVE id has been rejected.";
    return record;
  }

  const metricsPath = pointer(path, "metrics");
  const metrics = f.optObject(cve, "metrics", path);
  if (metrics) {
    parseCvss(f, metrics, metricsPath, record.cvss);
    const ssvc = parseSsvc(f, metrics, metricsPath);
    if (ssvc) record.ssvc = ssvc;
  }
  parseWeaknesses(f, cve, path, record.cwes);

  const { products, notes } = configurationProducts(f, cve, path);
  record.affected = [...products, ...parseCnaAffected(f, cve, path)];
  parseReferences(f, cve, path, record.references);

  const kevAdded = f.optStr(cve, "cisaExploitAdd", path);
  if (kevAdded) {
    const dateAdded = isoDate(kevAdded);
    if (!dateAdded) f.fail(pointer(path, "cisaExploitAdd"), `'${kevAdded}' is not a real date`);
    record.kev = { dateAdded };
    const name = f.optStr(cve, "cisaVulnerabilityName", path);
    if (name) record.title = name;
    const due = f.optStr(cve, "cisaActionDue", path);
    const action = f.optStr(cve, "cisaRequiredAction", path);
    const dueDate = due ? isoDate(due) : null;
    if (due && !dueDate) f.fail(pointer(path, "cisaActionDue"), `'${due}' is not a real date`);
    record.notes.push(
      `CISA KEV: added ${dateAdded}${dueDate ? `, action due ${dueDate}` : ""}${action ? `: ${action}` : ""}`,
    );
  }

  const statusNote = status ? STATUS_NOTES[status.toLowerCase()] : undefined;
  if (statusNote) record.notes.push(statusNote);
  else if (status && !["analyzed", "modified"].includes(status.toLowerCase()))
    record.notes.push(`NVD status: ${status}.`);
  for (const tag of cveTags(f, cve, path)) {
    record.notes.push(`The CVE is tagged ${tag}.`);
  }
  for (const [key, label] of [
    ["evaluatorComment", "NVD evaluator comment"],
    ["evaluatorSolution", "NVD evaluator solution"],
    ["evaluatorImpact", "NVD evaluator impact"],
  ] as const) {
    const text = f.optStr(cve, key, path);
    if (text) record.notes.push(`${label}: ${text}`);
  }
  record.notes.push(...notes);
  return record;
}

/** `cveTags: [{sourceIdentifier, tags: ["disputed", …]}]` → the distinct tags. */
function cveTags(f: JsonFields, cve: JsonObject, path: string): string[] {
  const out: string[] = [];
  f.optArray(cve, "cveTags", path).forEach((item, i) => {
    const at = pointer(pointer(path, "cveTags"), i);
    if (typeof item === "string") {
      pushUnique(out, item.trim());
      return;
    }
    for (const tag of stringList(f, f.object(item, at), "tags", at)) pushUnique(out, tag);
  });
  return out;
}

/** An NVD CVE API 2.0 response (already parsed JSON) into its records. */
export function nvdRecords(f: JsonFields, json: unknown): AdvisoryRecord[] {
  const root = f.object(json, "", "an NVD API response object");
  if ("CVE_Items" in root || "CVE_data_type" in root) {
    f.fail("/CVE_Items", "NVD 1.1 JSON feeds are retired; use the API 2.0 format");
  }
  const format = f.optStr(root, "format", "");
  if (format !== undefined && format !== "NVD_CVE")
    f.fail("/format", `expected format 'NVD_CVE' (the CVE API), found '${format}'`);
  const version = f.optStr(root, "version", "");
  if (version !== undefined && !/^2\.\d+$/.test(version))
    f.fail("/version", `unsupported NVD API version '${version}' (expected 2.0)`);
  if (root.vulnerabilities === undefined)
    f.fail("/vulnerabilities", "missing required field 'vulnerabilities'");
  const list = f.array(root.vulnerabilities, "/vulnerabilities");
  return list.map((item, i) => {
    const at = pointer("/vulnerabilities", i);
    const entry = f.object(item, at);
    if (!isObject(entry.cve)) f.fail(pointer(at, "cve"), "expected a 'cve' object");
    return nvdRecord(f, entry.cve, pointer(at, "cve"));
  });
}

/** An NVD CVE API 2.0 JSON response (one CVE or a page of results). */
export async function parseNvd(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  return { kind: "advisories", records: nvdRecords(new JsonFields(input.displayName), json) };
}
