/**
 * osv-scanner JSON output (`osv-scanner --format json`): results[] per scanned source (a lockfile,
 * an SBOM, a git checkout), packages[] with the full OSV records of their vulnerabilities, and
 * groups[] saying which of those records osv-scanner counts as one vulnerability.
 *
 * Asset: each result's source.path, as an artifact. One finding per group: its id is the earliest
 * CVE among the group's ids and aliases (the later CVEs and the other ids become aliases), else the
 * group's first id. Fixed versions are the "fixed" events of the records' affected ranges for the
 * package; severity is the group's max_severity, else the records' own severity words, else their CVSS.
 */

import {
  higherSeverity,
  normaliseSeverity,
  ReportBuilder,
  severityFromScore,
} from "../../core/scan/builder.js";
import type { ScanReport, Severity } from "../../core/scan/types.js";
import type { CvssScore } from "../../core/types.js";
import { cvss2BaseScore, cvss3BaseScore } from "../cvss3.js";
import { isObject, JsonFields, type JsonObject, JsonPath, NONE, readJson } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import { cvesOf, cvssVersionOf } from "./scanner-util.js";

export const OSV_SCANNER = "osv-scanner";

/** What one OSV record contributes to a finding. */
interface OsvRecord {
  id: string;
  aliases: string[];
  summary?: string;
  severity: Severity;
  cvss: CvssScore[];
  fixed: string[];
  purl?: string;
  gitRepo?: string;
}

function readSeverity(
  rec: JsonObject,
  f: JsonFields,
  p: JsonPath,
): { cvss: CvssScore[]; severity: Severity } {
  const cvss: CvssScore[] = [];
  let severity: Severity = "unknown";
  const id = typeof rec.id === "string" ? rec.id : "osv";
  const list = f.optArray(rec, "severity", p);
  p.push("severity");
  for (let i = 0; i < list.length; i++) {
    p.push(i);
    const s = f.object(list[i], p);
    const type = f.optStr(s, "type", p);
    const vector = f.optStr(s, "score", p);
    if (vector !== undefined && (type === "CVSS_V3" || type === "CVSS_V2")) {
      const score = (type === "CVSS_V3" ? cvss3BaseScore(vector) : cvss2BaseScore(vector))?.baseScore;
      if (score !== undefined) {
        cvss.push({
          version: cvssVersionOf(vector, type === "CVSS_V3" ? "3.1" : "2.0"),
          baseScore: score,
          vector,
          source: `osv:${id}`,
        });
        severity = higherSeverity(severity, severityFromScore(score));
      }
    }
    p.pop();
  }
  p.pop();
  // GitHub's own word ("MODERATE", "HIGH") outranks a score computed here.
  const db = f.optObject(rec, "database_specific", p);
  if (db !== undefined && typeof db.severity === "string") {
    const word = normaliseSeverity(db.severity);
    if (word !== "unknown") severity = word;
  }
  return { cvss, severity };
}

const PYPI_SEPARATORS = /[-_.]+/g;

function sameName(a: string, b: string, ecosystem: string | undefined): boolean {
  if (a === b) return true;
  // PyPI names compare case-insensitively with '-', '_' and '.' alike.
  return (
    ecosystem === "PyPI" &&
    a.toLowerCase().replace(PYPI_SEPARATORS, "-") === b.toLowerCase().replace(PYPI_SEPARATORS, "-")
  );
}

function readRecord(
  rec: JsonObject,
  pkgName: string | undefined,
  ecosystem: string | undefined,
  f: JsonFields,
  p: JsonPath,
): OsvRecord {
  const byCommit = pkgName === undefined;
  const id = f.str(rec, "id", p);
  const { cvss, severity } = readSeverity(rec, f, p);
  const record: OsvRecord = { id, aliases: f.strList(rec, "aliases", p), severity, cvss, fixed: [] };
  const summary = f.optStr(rec, "summary", p);
  if (summary !== undefined) record.summary = summary;
  const affected = f.optArray(rec, "affected", p);
  p.push("affected");
  for (let i = 0; i < affected.length; i++) {
    p.push(i);
    const a = f.object(affected[i], p);
    const pkg = f.optObject(a, "package", p);
    let matches = pkg === undefined;
    if (pkg !== undefined && pkgName !== undefined) {
      p.push("package");
      const name = f.optStr(pkg, "name", p);
      const eco = f.optStr(pkg, "ecosystem", p);
      matches =
        name !== undefined &&
        sameName(name, pkgName, ecosystem) &&
        (ecosystem === undefined || eco === ecosystem);
      if (matches && record.purl === undefined) {
        const purl = f.optStr(pkg, "purl", p);
        if (purl !== undefined) record.purl = purl;
      }
      p.pop();
    }
    if (matches) {
      const ranges = f.optArray(a, "ranges", p);
      p.push("ranges");
      for (let j = 0; j < ranges.length; j++) {
        p.push(j);
        const range = f.object(ranges[j], p);
        const repo = f.optStr(range, "repo", p);
        if (repo !== undefined && record.gitRepo === undefined) record.gitRepo = repo;
        // A GIT range's "fixed" is a commit: a fixed version only for a package found by commit.
        const git = f.optStr(range, "type", p) === "GIT";
        const events = git === byCommit ? f.optArray(range, "events", p) : NONE;
        p.push("events");
        for (let k = 0; k < events.length; k++) {
          p.push(k);
          const fixed = f.optStr(f.object(events[k], p), "fixed", p);
          if (fixed !== undefined && !record.fixed.includes(fixed)) record.fixed.push(fixed);
          p.pop();
        }
        p.pop();
        p.pop();
      }
      p.pop();
    }
    p.pop();
  }
  p.pop();
  return record;
}

function packageEntry(
  b: ReportBuilder,
  asset: string,
  location: string,
  entry: JsonObject,
  f: JsonFields,
  p: JsonPath,
): void {
  p.push("package");
  const pkgObj = f.object(entry.package, p);
  let name = f.optStr(pkgObj, "name", p);
  let version = f.optStr(pkgObj, "version", p);
  let ecosystem = f.optStr(pkgObj, "ecosystem", p);
  const commit = f.optStr(pkgObj, "commit", p);
  p.pop();

  const records = new Map<string, OsvRecord>();
  const vulns = f.optArray(entry, "vulnerabilities", p);
  p.push("vulnerabilities");
  for (let i = 0; i < vulns.length; i++) {
    p.push(i);
    const record = readRecord(f.object(vulns[i], p), name, ecosystem, f, p);
    records.set(record.id, record);
    p.pop();
  }
  p.pop();

  // A package found by commit (a git checkout) has no name: the repository the ranges name stands in.
  if (name === undefined) {
    if (commit === undefined) f.fail(p, "the package has neither a name nor a commit", "package");
    name = [...records.values()].find((r) => r.gitRepo !== undefined)?.gitRepo ?? location;
    version ??= commit;
    ecosystem ??= "git";
  }

  const groups: { ids: string[]; aliases: string[]; maxSeverity?: number }[] = [];
  const grouped = new Set<string>();
  const groupList = f.optArray(entry, "groups", p);
  p.push("groups");
  for (let i = 0; i < groupList.length; i++) {
    p.push(i);
    const g = f.object(groupList[i], p);
    const ids = f.strList(g, "ids", p);
    if (ids.length === 0) f.fail(p, "a group with no ids", "ids");
    for (const id of ids) {
      if (!records.has(id)) f.fail(p, `the group names ${id}, which the package does not list`, "ids");
      grouped.add(id);
    }
    const max = f.optStr(g, "max_severity", p);
    const maxSeverity = max === undefined ? undefined : Number(max);
    groups.push({
      ids,
      aliases: f.strList(g, "aliases", p),
      ...(maxSeverity !== undefined && Number.isFinite(maxSeverity) ? { maxSeverity } : {}),
    });
    p.pop();
  }
  p.pop();
  // Records no group names (older osv-scanner versions write no groups) stand alone.
  for (const id of records.keys()) if (!grouped.has(id)) groups.push({ ids: [id], aliases: [] });

  for (const group of groups) {
    const members = group.ids.map((id) => records.get(id) as OsvRecord);
    const allIds: string[] = [];
    const add = (id: string): void => {
      if (!allIds.includes(id)) allIds.push(id);
    };
    for (const m of members) add(m.id);
    for (const a of group.aliases) add(a);
    for (const m of members) for (const a of m.aliases) add(a);
    const cves = cvesOf(allIds);
    const vulnId = cves[0] ?? (group.ids[0] as string);
    let severity: Severity =
      group.maxSeverity !== undefined ? severityFromScore(group.maxSeverity) : "unknown";
    const fixed: string[] = [];
    const cvss: CvssScore[] = [];
    let purl: string | undefined;
    let title: string | undefined;
    for (const m of members) {
      if (group.maxSeverity === undefined) severity = higherSeverity(severity, m.severity);
      for (const f of m.fixed) if (!fixed.includes(f)) fixed.push(f);
      cvss.push(...m.cvss);
      purl ??= m.purl;
      title ??= m.summary;
    }
    b.finding({
      asset,
      vulnId,
      aliases: allIds,
      title,
      package: {
        name,
        version,
        purl:
          purl !== undefined && version !== undefined && !purl.includes("@")
            ? `${purl}@${encodeURIComponent(version)}`
            : purl,
        ecosystem,
      },
      fixedVersions: fixed,
      severity,
      cvss,
      locations: [location],
      status: fixed.length > 0 ? "fixed" : "affected",
    });
  }

  const violations = f.strList(entry, "license_violations", p);
  for (const licence of violations) {
    b.other({ kind: "license", asset, id: licence, title: `${name}@${version ?? ""}: ${licence}`, location });
  }
}

/**
 * Reads a parsed osv-scanner JSON document into a ScanReport. Pure: no disk access. `file` names the
 * document in errors.
 */
export function osvScannerReportFromJson(json: unknown, file: string): ScanReport {
  const f: JsonFields = new JsonFields(file);
  const p: JsonPath = new JsonPath();
  const root = f.object(json, p, "an osv-scanner report object");
  if (!Array.isArray(root.results)) {
    f.fail(
      p,
      root.results === undefined ? "not an osv-scanner report: missing 'results'" : "expected an array",
      "results",
    );
  }
  const b = new ReportBuilder(OSV_SCANNER);
  const results = root.results as unknown[];
  p.push("results");
  for (let i = 0; i < results.length; i++) {
    p.push(i);
    const r = f.object(results[i], p);
    p.push("source");
    const source = f.object(r.source, p);
    const path = f.str(source, "path", p);
    p.pop();
    const asset = b.asset({ artifact: path });
    if (asset === undefined) f.fail(p, "nothing identifies the scanned source", "source");
    const packages = f.optArray(r, "packages", p);
    p.push("packages");
    for (let j = 0; j < packages.length; j++) {
      p.push(j);
      const entry = packages[j];
      packageEntry(b, asset, path, isObject(entry) ? entry : f.object(entry, p), f, p);
      p.pop();
    }
    p.pop();
    p.pop();
  }
  p.pop();
  return b.build();
}

export async function parseOsvScanner(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  return { kind: "scan", report: osvScannerReportFromJson(json, input.displayName) };
}

const RESULTS_SOURCE = /^\{\s*"results"\s*:\s*\[\s*\{\s*"source"\s*:\s*\{[^{}]*"path"\s*:/;
const NO_RESULTS = /^\{\s*"results"\s*:\s*\[\s*\]/;
const EXPERIMENTAL = /"experimental_config"\s*:\s*\{/;

/** Tells an osv-scanner JSON report from the first 64 KB of text. */
export function looksLikeOsvScanner(head: string): boolean {
  const text = head.trimStart();
  return RESULTS_SOURCE.test(text) || (NO_RESULTS.test(text) && EXPERIMENTAL.test(text));
}
