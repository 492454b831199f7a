/**
 * OSV records (https://ossf.github.io/osv-schema/): GitHub advisories, Go vulndb, PyPA, malicious
 * packages, and distribution feeds (AlmaLinux, Ubuntu, Chainguard/Wolfi, …). A file holds one record,
 * a JSON array of records, or an osv.dev query answer `{"vulns": [...]}`. Each record becomes one
 * AdvisoryRecord keyed by its CVE when it has one.
 *
 * OSV ranges are event lists: `introduced` opens an affected interval, `fixed` / `limit` close it
 * exclusively, `last_affected` inclusively. They map onto CVE 5 version entries: [X, Y) is
 * {version: X, lessThan: Y}; an interval that never closes is {version: X, lessThanOrEqual: "*"}.
 * Versions outside every interval are unaffected, so products with ranges have defaultStatus
 * "unaffected". GIT ranges (commit hashes) cannot be ordered against installed versions: their fix
 * commits go to notes and the explicit `versions` list stands in for them.
 */
import type { AdvisoryRecord, AffectedProduct, CvssScore, Reference, VersionRange } from "../core/types.js";
import { cvss2BaseScore, cvss3BaseScore } from "./cvss3.js";
import { isObject, JsonFields, type JsonObject, pointer, readJson, utcInstant } from "./read.js";
import type { ParsedBatch, ParseInput } from "./types.js";

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

/** The part of an OSV ecosystem before its release suffix: "Ubuntu:22.04:LTS" → "ubuntu". */
function ecosystemBase(ecosystem: string): string {
  return (ecosystem.split(":")[0] ?? "").trim().toLowerCase();
}

const SCHEMES: Record<string, string> = {
  npm: "semver",
  "crates.io": "semver",
  nuget: "semver",
  hex: "semver",
  pub: "semver",
  pypi: "pep440",
  go: "go",
  maven: "maven",
  debian: "deb",
  ubuntu: "deb",
  almalinux: "rpm",
  "rocky linux": "rpm",
  "red hat": "rpm",
  opensuse: "rpm",
  suse: "rpm",
  mageia: "rpm",
  openeuler: "rpm",
  "photon os": "rpm",
  alpine: "apk",
  wolfi: "apk",
  chainguard: "apk",
  rubygems: "gem",
  packagist: "composer",
};

/** The version scheme an OSV ecosystem orders its versions by ("PyPI" → "pep440", "Debian:12" → "deb"). */
export function schemeForEcosystem(ecosystem: string): string {
  return SCHEMES[ecosystemBase(ecosystem)] ?? "generic";
}

/** purl type and namespace for distribution ecosystems. */
const DISTRO_PURLS: Record<string, string> = {
  debian: "deb/debian",
  ubuntu: "deb/ubuntu",
  almalinux: "rpm/almalinux",
  "rocky linux": "rpm/rocky",
  "red hat": "rpm/redhat",
  opensuse: "rpm/opensuse",
  suse: "rpm/suse",
  mageia: "rpm/mageia",
  openeuler: "rpm/openeuler",
  "photon os": "rpm/photon",
  alpine: "apk/alpine",
  wolfi: "apk/wolfi",
  chainguard: "apk/chainguard",
};

const LANGUAGE_PURLS: Record<string, string> = {
  npm: "npm",
  pypi: "pypi",
  go: "golang",
  maven: "maven",
  "crates.io": "cargo",
  nuget: "nuget",
  rubygems: "gem",
  packagist: "composer",
  hex: "hex",
  pub: "pub",
  hackage: "hackage",
  cran: "cran",
  swifturl: "swift",
};

const segments = (name: string): string => name.split("/").map(encodeURIComponent).join("/");

/** A versionless package URL for an OSV package, when the ecosystem has a purl type. */
export function osvPurl(ecosystem: string, name: string): string | undefined {
  const base = ecosystemBase(ecosystem);
  const distro = DISTRO_PURLS[base];
  if (distro) return `pkg:${distro}/${encodeURIComponent(name)}`;
  const type = LANGUAGE_PURLS[base];
  if (!type) return undefined;
  switch (type) {
    case "pypi":
      return `pkg:pypi/${encodeURIComponent(name.toLowerCase().replace(/[-_.]+/g, "-"))}`;
    case "maven": {
      const [group, artifact] = name.split(":");
      return group && artifact
        ? `pkg:maven/${encodeURIComponent(group)}/${encodeURIComponent(artifact)}`
        : undefined;
    }
    case "npm":
    case "golang":
    case "composer":
      return `pkg:${type}/${segments(type === "golang" ? name : name.toLowerCase())}`;
    default:
      return `pkg:${type}/${encodeURIComponent(name)}`;
  }
}

function purlWithoutVersion(purl: string): string {
  const cut = purl.search(/[@?#]/);
  return cut === -1 ? purl : purl.slice(0, cut);
}

/**
 * True when the text (the first 64 KB, possibly cut) is an OSV record, a list of them or an osv.dev
 * `{"vulns": [...]}` answer — and not a scanner report that embeds OSV records (osv-scanner's
 * `results[].packages[]`, Grype, Trivy, CycloneDX, SARIF) or a CVE 5 / CSAF / NVD / KEV document.
 */
export function looksLikeOsv(head: string): boolean {
  const text = head.trimStart();
  if (!text.startsWith("{") && !text.startsWith("[")) return false;
  const foreign = [
    /"results"\s*:/i,
    /"matches"\s*:/,
    /"vulnerabilities"\s*:/i,
    /"bomFormat"\s*:/,
    /"spdxVersion"\s*:/,
    /"runs"\s*:/,
    /"document"\s*:\s*\{/,
    /"dataType"\s*:/,
    /"cveMetadata"\s*:/,
    /"SchemaVersion"\s*:/,
    /"packages"\s*:\s*\[/,
  ];
  if (foreign.some((re) => re.test(text))) return false;
  const opening = /^(\{\s*"vulns"\s*:\s*\[\s*\{|\[\s*\{|\{)/.test(text);
  if (!opening || !/"id"\s*:\s*"[^"]+"/.test(text)) return false;
  const affected =
    /"affected"\s*:\s*\[\s*\{/.test(text) &&
    /"package"\s*:\s*\{/.test(text) &&
    /"ecosystem"\s*:\s*"/.test(text);
  const listsIds =
    /"(aliases|related|upstream)"\s*:\s*\[/.test(text) || /"schema_version"\s*:\s*"1\./.test(text);
  const modified = /"modified"\s*:\s*"\d{4}-\d{2}-\d{2}/.test(text);
  return affected || (modified && listsIds);
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function canonical(id: string): string {
  return /^cve-/i.test(id) ? id.toUpperCase() : id;
}

function instant(f: JsonFields, o: JsonObject, key: string, path: string): string | undefined {
  const text = f.optStr(o, key, path);
  if (text === undefined) return undefined;
  const value = utcInstant(text);
  if (!value) f.fail(pointer(path, key), `'${text}' is not a date-time`);
  return value;
}

// ---------------------------------------------------------------- severity

interface Context {
  f: JsonFields;
  record: AdvisoryRecord;
  /** Source label of scores: "osv:<record id>". */
  scoreSource: string;
}

/** `severity: [{type, score}]` → CVSS scores computed from the vectors, other ratings to notes. */
function parseSeverity(ctx: Context, owner: JsonObject, path: string, label?: string): void {
  const { f, record } = ctx;
  f.optArray(owner, "severity", path).forEach((item, i) => {
    const at = pointer(pointer(path, "severity"), i);
    const s = f.object(item, at);
    const type = f.str(s, "type", at).toUpperCase();
    const value = f.str(s, "score", at);
    const prefix = label ? `${label}: ` : "";
    if (type === "CVSS_V3" || type === "CVSS_V2") {
      const computed = type === "CVSS_V3" ? cvss3BaseScore(value) : cvss2BaseScore(value);
      if (!computed) {
        record.notes.push(`${prefix}unreadable ${type} vector '${value}'.`);
        return;
      }
      const score: CvssScore = {
        version: computed.version,
        baseScore: computed.baseScore,
        severity: computed.severity,
        vector: value,
        source: ctx.scoreSource,
      };
      if (!record.cvss.some((c) => c.vector === score.vector && c.source === score.source))
        record.cvss.push(score);
    } else if (type === "CVSS_V4") {
      pushUnique(record.notes, `${prefix}CVSS 4.0 vector (base score not computed): ${value}`);
    } else if (type === "UBUNTU") {
      pushUnique(record.notes, `${prefix}Ubuntu priority: ${value}`);
    } else {
      pushUnique(record.notes, `${prefix}${s.type as string} severity: ${value}`);
    }
  });
}

/** A severity word a database states in database_specific / ecosystem_specific. */
function severityWord(o: JsonObject | undefined): string | undefined {
  const value = o?.severity;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

// ---------------------------------------------------------------- affected

type EventKind = "introduced" | "fixed" | "last_affected" | "limit";
const EVENT_KINDS: readonly EventKind[] = ["introduced", "fixed", "last_affected", "limit"];

function parseEvent(f: JsonFields, item: unknown, path: string): { kind: EventKind; value: string } {
  const e = f.object(item, path);
  const kinds = EVENT_KINDS.filter((k) => e[k] !== undefined);
  if (kinds.length !== 1) {
    f.fail(path, "an event must have exactly one of introduced, fixed, last_affected or limit");
  }
  const kind = kinds[0] as EventKind;
  return { kind, value: f.str(e, kind, path) };
}

/** The intervals of one ordered range, in CVE 5 form. */
function rangeVersions(
  events: { kind: EventKind; value: string }[],
  versionType: string,
): { versions: VersionRange[]; fixed: string[]; openEnded: VersionRange[] } {
  const versions: VersionRange[] = [];
  const fixed: string[] = [];
  const openEnded: VersionRange[] = [];
  let start: string | undefined;
  for (const { kind, value } of events) {
    if (kind === "introduced") {
      start ??= value;
      continue;
    }
    if (start === undefined) {
      // A closing event without an opening one: the interval starts at the beginning.
      if (kind === "limit") continue;
      start = "0";
    }
    const range: VersionRange = { version: start, versionType, status: "affected" };
    if (kind === "last_affected") range.lessThanOrEqual = value;
    else range.lessThan = value;
    versions.push(range);
    if (kind === "fixed") pushUnique(fixed, value);
    start = undefined;
  }
  if (start !== undefined) {
    const range: VersionRange = { version: start, lessThanOrEqual: "*", versionType, status: "affected" };
    versions.push(range);
    openEnded.push(range);
  }
  return { versions, fixed, openEnded };
}

function sameRange(a: VersionRange, b: VersionRange): boolean {
  return (
    a.version === b.version &&
    a.lessThan === b.lessThan &&
    a.lessThanOrEqual === b.lessThanOrEqual &&
    a.status === b.status
  );
}

function parseAffected(ctx: Context, item: unknown, path: string): AffectedProduct {
  const { f, record } = ctx;
  const a = f.object(item, path);
  const pkg = f.optObject(a, "package", path);
  const pkgPath = pointer(path, "package");
  const ecosystem = pkg ? f.str(pkg, "ecosystem", pkgPath) : undefined;
  const name = pkg ? f.str(pkg, "name", pkgPath) : undefined;
  const ranges = f.optArray(a, "ranges", path);
  const repo = ranges
    .map((r) => (isObject(r) && typeof r.repo === "string" ? r.repo.trim() : ""))
    .find((r) => r !== "");
  const label = name ? `${name}${ecosystem ? ` (${ecosystem})` : ""}` : (repo ?? "package");

  const product: AffectedProduct = {
    vendor: ecosystem ?? "n/a",
    product: name ?? repo ?? "n/a",
    cpes: [],
    versions: [],
    defaultStatus: "unknown",
    fixedVersions: [],
  };
  if (name) product.component = name;
  const statedPurl = pkg ? f.optStr(pkg, "purl", pkgPath) : undefined;
  const purl = statedPurl
    ? purlWithoutVersion(statedPurl)
    : ecosystem && name
      ? osvPurl(ecosystem, name)
      : undefined;
  if (purl) product.purl = purl;
  const scheme = ecosystem ? schemeForEcosystem(ecosystem) : "generic";
  const databaseSpecific = f.optObject(a, "database_specific", path);
  const ecosystemSpecific = f.optObject(a, "ecosystem_specific", path);

  let ordered = false;
  const gitFixes: string[] = [];
  ranges.forEach((r, i) => {
    const rAt = pointer(pointer(path, "ranges"), i);
    const range = f.object(r, rAt);
    const type = f.str(range, "type", rAt).toUpperCase();
    const eventsPath = pointer(rAt, "events");
    if (range.events === undefined) f.fail(eventsPath, "missing required field 'events'");
    const events = f.array(range.events, eventsPath).map((e, j) => parseEvent(f, e, pointer(eventsPath, j)));
    if (type === "GIT") {
      const where = f.optStr(range, "repo", rAt) ?? "the repository";
      for (const e of events) if (e.kind === "fixed") gitFixes.push(`${e.value} in ${where}`);
      return;
    }
    if (type !== "SEMVER" && type !== "ECOSYSTEM") {
      record.notes.push(`${label}: range type '${type}' is not understood and was skipped.`);
      return;
    }
    ordered = true;
    const { versions, fixed, openEnded } = rangeVersions(events, type === "SEMVER" ? "semver" : scheme);
    // GitHub states an upper bound it could not express as an event here ("<= 29.0").
    const lastKnown = (isObject(range.database_specific) ? range.database_specific : databaseSpecific)
      ?.last_known_affected_version_range;
    const bound = typeof lastKnown === "string" ? /^\s*(<=?)\s*([^\s<>=]+)\s*$/.exec(lastKnown) : null;
    for (const open of openEnded) {
      if (!bound?.[2]) continue;
      delete open.lessThanOrEqual;
      if (bound[1] === "<") open.lessThan = bound[2];
      else open.lessThanOrEqual = bound[2];
    }
    for (const v of versions) if (!product.versions.some((x) => sameRange(x, v))) product.versions.push(v);
    for (const v of fixed) pushUnique(product.fixedVersions, v);
  });
  const listed = f.strList(a, "versions", path);
  for (const version of listed) {
    const entry: VersionRange = { version, versionType: scheme, status: "affected" };
    if (!product.versions.some((x) => sameRange(x, entry))) product.versions.push(entry);
  }
  // OSV: versions outside every interval and not listed are not affected.
  if (ordered || listed.length > 0) product.defaultStatus = "unaffected";
  if (gitFixes.length > 0) record.notes.push(`${label}: fixed by commit ${gitFixes.join(", ")}`);

  parseSeverity(ctx, a, path, label);
  const word = severityWord(ecosystemSpecific) ?? severityWord(databaseSpecific);
  if (word) pushUnique(record.notes, `${label}: severity ${word}`);
  const availability = ecosystemSpecific?.availability;
  if (typeof availability === "string" && availability.trim() && !/no subscription/i.test(availability)) {
    pushUnique(record.notes, `${label}: fix availability: ${availability.trim()}`);
  }
  return product;
}

// ---------------------------------------------------------------- record

function parseReferences(f: JsonFields, root: JsonObject, path: string, into: Reference[]): void {
  f.optArray(root, "references", path).forEach((item, i) => {
    const at = pointer(pointer(path, "references"), i);
    const r = f.object(item, at);
    const url = f.str(r, "url", at);
    const type = f.optStr(r, "type", at)?.toLowerCase();
    const tags = type ? [type] : [];
    if (type === "fix") tags.push("patch");
    const known = into.find((ref) => ref.url === url);
    if (known) for (const tag of tags) pushUnique(known.tags, tag);
    else into.push({ url, tags });
  });
}

function isMalicious(id: string, databaseSpecific: JsonObject | undefined): boolean {
  return /^MAL-/i.test(id) || databaseSpecific?.["malicious-packages-origins"] !== undefined;
}

/** One OSV record (already parsed JSON) into an AdvisoryRecord; `base` is its JSON pointer. */
export function osvRecord(f: JsonFields, json: unknown, base = ""): AdvisoryRecord {
  const root = f.object(json, base, "an OSV record object");
  const ownId = canonical(f.str(root, "id", base));
  const modifiedText = f.str(root, "modified", base);
  const aliases = f.strList(root, "aliases", base).map(canonical);
  const upstream = f.strList(root, "upstream", base).map(canonical);
  const related = f.strList(root, "related", base).map(canonical);
  const upstreamCves = upstream.filter((x) => CVE_ID.test(x));
  // The record is one CVE's view when it is a CVE, aliases one, or derives from exactly one.
  const id =
    (CVE_ID.test(ownId) ? ownId : undefined) ??
    aliases.find((x) => CVE_ID.test(x)) ??
    (upstreamCves.length === 1 ? upstreamCves[0] : undefined) ??
    ownId;

  const withdrawn = instant(f, root, "withdrawn", base);
  const record: AdvisoryRecord = {
    id,
    source: "osv",
    sourceId: ownId,
    aliases: [],
    state: withdrawn ? "rejected" : "published",
    cvss: [],
    cwes: [],
    affected: [],
    remediations: [],
    references: [],
    notes: [],
  };
  const sameVulnerability = upstreamCves.length <= 1 ? [ownId, ...aliases, ...upstream] : [ownId, ...aliases];
  for (const alias of sameVulnerability) if (alias !== id) pushUnique(record.aliases, alias);
  if (upstreamCves.length > 1) record.notes.push(`Derived from: ${upstream.join(", ")}`);
  if (related.length > 0) record.notes.push(`Related: ${related.join(", ")}`);

  const summary = f.optStr(root, "summary", base);
  const details = f.optStr(root, "details", base);
  if (summary) record.title = summary;
  if (details) record.description = details;
  const published = instant(f, root, "published", base);
  const modified = utcInstant(modifiedText);
  if (!modified) f.fail(pointer(base, "modified"), `'${modifiedText}' is not a date-time`);
  if (published) record.published = published;
  record.modified = modified;
  if (withdrawn) record.notes.push(`Withdrawn on ${withdrawn}.`);

  const ctx: Context = { f, record, scoreSource: `osv:${ownId}` };
  const databaseSpecific = f.optObject(root, "database_specific", base);
  parseSeverity(ctx, root, base);
  const word = severityWord(databaseSpecific);
  if (word) record.notes.push(`Database severity: ${word}`);
  const cweIds = databaseSpecific?.cwe_ids;
  if (Array.isArray(cweIds)) {
    for (const cwe of cweIds) {
      if (typeof cwe === "string" && /^CWE-\d+$/i.test(cwe.trim()))
        pushUnique(record.cwes, cwe.trim().toUpperCase());
    }
  }

  f.optArray(root, "affected", base).forEach((item, i) => {
    record.affected.push(parseAffected(ctx, item, pointer(pointer(base, "affected"), i)));
  });
  if (record.affected.length === 0) {
    record.notes.push("The record lists no affected packages, so it cannot show what is affected.");
  }
  if (isMalicious(ownId, databaseSpecific)) {
    const names = record.affected.map((p) => `${p.product} (${p.vendor})`).join(", ") || "the package";
    record.title ??= `Malicious package: ${names}`;
    record.notes.unshift(
      `Malicious package: the listed versions of ${names} contain malicious code. There is no fix to apply; ` +
        "remove the package and treat systems that installed it as potentially compromised.",
    );
  }
  parseReferences(f, root, base, record.references);
  return record;
}

/** An OSV JSON file: one record, an array of records, or an osv.dev `{"vulns": [...]}` answer. */
export function osvRecords(f: JsonFields, json: unknown): AdvisoryRecord[] {
  if (Array.isArray(json)) return json.map((item, i) => osvRecord(f, item, pointer("", i)));
  const root = f.object(json, "", "an OSV record object");
  if (root.id === undefined && Array.isArray(root.vulns)) {
    return root.vulns.map((item, i) => osvRecord(f, item, pointer("/vulns", i)));
  }
  return [osvRecord(f, root)];
}

/** An OSV JSON file. */
export async function parseOsv(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  return { kind: "advisories", records: osvRecords(new JsonFields(input.displayName), json) };
}
