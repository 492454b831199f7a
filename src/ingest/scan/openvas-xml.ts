/**
 * OpenVAS / Greenbone (GVM) XML reports: `<report>` (as exported, or inside `<get_reports_response>`)
 * holding an inner `<report>` with `<results>` (one `<result>` per host × port × NVT) and a `<host>`
 * section per scanned host. Streamed with saxes: reports run to hundreds of megabytes.
 *
 * Each result with CVE refs gives one finding per CVE; Log results are informational items (see
 * openvas-common.ts for the rules). CVSS comes from the NVT's `<severities>` vectors when present,
 * otherwise from `<cvss_base>` with the `cvss_base_vector` tag (a bare cvss_base in a pre-GVM-20 report
 * is CVSS 2.0); source "openvas". EPSS is attached to the CVE the report names for it. Report time is
 * the scan start (else the report's creation time), scope the task name, scanner version the GMP version.
 */
import { ReportBuilder } from "../../core/scan/builder.js";
import type { CvssScore } from "../../core/types.js";
import { utcInstant } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import {
  cvesIn,
  descriptionFacts,
  HostBuffer,
  numberOf,
  OPENVAS,
  openvasAliases,
  openvasPort,
  openvasVulnIds,
  resultKind,
  resultSeverity,
} from "./openvas-common.js";
import { walkXml, xmlInvalid } from "./xml-walk.js";

/** A Greenbone XML report: a `<report>` carrying report format / GMP markers and results or hosts. */
export function looksLikeOpenvasXml(head: string): boolean {
  const root =
    /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<(report|get_reports_response)\b/.exec(
      head,
    );
  if (!root) return false;
  if (root[1] === "get_reports_response") return /<report\b/.test(head);
  return (
    /<report\b[^>]*\b(?:format_id|content_type)=/.test(head) &&
    /<(?:gmp|omp|results|scan_run_status|nvt|report_format)\b/.test(head)
  );
}

interface Severities {
  type: string;
  score: string;
  value: string;
}

interface Epss {
  score: string;
  percentile: string;
  cve: string;
}

interface Result {
  line: number;
  /** Path length of the <result> element: its own children sit one deeper (a <detection> holds results too). */
  depth: number;
  ip: string;
  hostname: string;
  port: string;
  name: string;
  threat: string;
  severity: string;
  description: string;
  oid: string;
  nvtName: string;
  cvssBase: string;
  tags: string;
  cves: Set<string>;
  severities: Severities[];
  epss: Map<string, { score: number; percentile?: number }>;
}

function newResult(line: number, depth: number): Result {
  return {
    line,
    depth,
    ip: "",
    hostname: "",
    port: "",
    name: "",
    threat: "",
    severity: "",
    description: "",
    oid: "",
    nvtName: "",
    cvssBase: "",
    tags: "",
    cves: new Set(),
    severities: [],
    epss: new Map(),
  };
}

const TEXT = new Set([
  "host",
  "hostname",
  "port",
  "name",
  "threat",
  "severity",
  "description",
  "cvss_base",
  "tags",
  "score",
  "value",
  "percentile",
  "scan_start",
  "scan_end",
  "timestamp",
  "creation_time",
  "version",
  "ip",
]);

function vectorVersion(vector: string): string | undefined {
  const prefixed = /^CVSS:(\d\.\d)\//.exec(vector)?.[1];
  if (prefixed) return prefixed;
  return /(?:^|\/)Au:[MSN]/.test(vector) ? "2.0" : undefined;
}

function tagValue(tags: string, name: string): string | undefined {
  for (const part of tags.split("|")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The NVT's CVSS scores: its severities vectors, else cvss_base (+ cvss_base_vector tag). */
function cvssOf(result: Result, legacy: boolean): CvssScore[] {
  const out: CvssScore[] = [];
  for (const entry of result.severities) {
    const vector = entry.value.trim();
    const baseScore = numberOf(entry.score);
    const version =
      vectorVersion(vector) ??
      (/v2/.test(entry.type)
        ? "2.0"
        : /v4/.test(entry.type)
          ? "4.0"
          : /v3/.test(entry.type)
            ? "3.1"
            : undefined);
    if (!Number.isFinite(baseScore) || version === undefined) continue;
    out.push({ version, baseScore, ...(vector ? { vector } : {}), source: OPENVAS });
  }
  if (out.length > 0) return out;
  const baseScore = numberOf(result.cvssBase);
  if (!Number.isFinite(baseScore) || baseScore <= 0) return out;
  const vector = tagValue(result.tags, "cvss_base_vector");
  const version = vector ? vectorVersion(vector) : legacy ? "2.0" : undefined;
  if (version !== undefined) out.push({ version, baseScore, ...(vector ? { vector } : {}), source: OPENVAS });
  return out;
}

function parent(path: readonly string[], up = 1): string | undefined {
  return path[path.length - 1 - up];
}

export async function parseOpenvasXml(input: ParseInput): Promise<ParsedBatch> {
  const hosts = new HostBuffer();
  const meta = { scanStart: "", creation: "", timestamp: "", task: "", gmp: "" };
  let result: Result | undefined;
  let severities: Severities | undefined;
  let epss: Epss | undefined;
  let reportHost: { ip: string; details: Map<string, string>; line: number } | undefined;
  let detail: { name: string; value: string } | undefined;
  let sawReport = false;
  let sawResults = false;

  await walkXml(input, {
    root: (name) => name === "report" || name === "get_reports_response",
    text: TEXT,
    open(name, attributes, path, line) {
      const up = parent(path);
      if (name === "report") sawReport = true;
      else if (name === "results") sawResults = true;
      if (name === "result" && up === "results") {
        result = newResult(line, path.length);
        return;
      }
      if (result) {
        if (name === "nvt" && path.length === result.depth + 1) result.oid = (attributes.oid ?? "").trim();
        else if (name === "ref" && up === "refs" && parent(path, 2) === "nvt") {
          if ((attributes.type ?? "").toLowerCase() === "cve") {
            for (const id of cvesIn(attributes.id)) result.cves.add(id);
          }
        } else if (name === "severity" && up === "severities") {
          severities = { type: (attributes.type ?? "").toLowerCase(), score: "", value: "" };
        } else if ((name === "max_severity" || name === "max_epss") && up === "epss") {
          epss = { score: "", percentile: "", cve: "" };
        } else if (name === "cve" && epss && (up === "max_severity" || up === "max_epss")) {
          epss.cve = (attributes.id ?? "").trim().toUpperCase();
        }
        return;
      }
      if (name === "host" && up === "report") reportHost = { ip: "", details: new Map(), line };
      else if (name === "detail" && reportHost && up === "host") detail = { name: "", value: "" };
    },
    close(name, text, path) {
      const up = parent(path);
      if (result) {
        if (name === "result" && up === "results") {
          emit(result, path);
          result = undefined;
          return;
        }
        const depth = path.length - result.depth;
        if (depth === 1) {
          if (name === "host") result.ip = text.trim();
          else if (name === "port") result.port = text.trim();
          else if (name === "name") result.name = text.trim();
          else if (name === "threat") result.threat = text.trim();
          else if (name === "severity") result.severity = text.trim();
          else if (name === "description") result.description = text;
        } else if (depth === 2 && up === "host" && name === "hostname") {
          result.hostname = text.trim();
        } else if (depth === 2 && up === "nvt") {
          if (name === "name") result.nvtName = text.trim();
          else if (name === "cvss_base") result.cvssBase = text.trim();
          else if (name === "tags") result.tags = text;
        } else if (severities && up === "severity" && parent(path, 2) === "severities") {
          if (name === "score") severities.score = text.trim();
          else if (name === "value") severities.value = text.trim();
        } else if (name === "severity" && up === "severities" && severities) {
          result.severities.push(severities);
          severities = undefined;
        } else if (epss && (up === "max_severity" || up === "max_epss")) {
          if (name === "score") epss.score = text.trim();
          else if (name === "percentile") epss.percentile = text.trim();
        } else if (epss && (name === "max_severity" || name === "max_epss")) {
          const score = numberOf(epss.score);
          const percentile = numberOf(epss.percentile);
          if (epss.cve && score >= 0 && score <= 1) {
            result.epss.set(epss.cve, {
              score,
              ...(percentile >= 0 && percentile <= 1 ? { percentile } : {}),
            });
          }
          epss = undefined;
        }
        return;
      }
      if (reportHost) {
        if (name === "host" && up === "report") {
          const ip = reportHost.ip;
          if (ip === "") throw xmlInvalid(input, "host without an <ip>", reportHost.line, path);
          const details = reportHost.details;
          hosts.host(
            ip,
            {
              ...(details.get("hostname") ? { hostname: details.get("hostname") } : {}),
              ...(details.get("best_os_txt") ? { os: details.get("best_os_txt") } : {}),
              ...(details.get("mac") ? { mac: details.get("mac") } : {}),
            },
            true,
          );
          reportHost = undefined;
        } else if (name === "ip" && up === "host") reportHost.ip = text.trim();
        else if (detail && up === "detail") {
          if (name === "name") detail.name = text.trim().toLowerCase();
          else if (name === "value") detail.value = text.trim();
        } else if (detail && name === "detail") {
          if (detail.name && detail.value && !reportHost.details.has(detail.name)) {
            reportHost.details.set(detail.name, detail.value);
          }
          detail = undefined;
        }
        return;
      }
      if (up === "report") {
        const value = text.trim();
        if (name === "scan_start" && !meta.scanStart) meta.scanStart = value;
        else if (name === "creation_time" && !meta.creation) meta.creation = value;
        else if (name === "timestamp" && !meta.timestamp) meta.timestamp = value;
      } else if (name === "name" && up === "task" && parent(path, 2) === "report") {
        if (text.trim()) meta.task = text.trim();
      } else if (name === "version" && (up === "gmp" || up === "omp")) {
        meta.gmp = text.trim();
      }
    },
  });
  if (!sawReport) throw xmlInvalid(input, "no <report> element", undefined, ["get_reports_response"]);
  if (!sawResults)
    throw xmlInvalid(input, "no <results> element: not a Greenbone report", undefined, ["report"]);

  function emit(r: Result, path: readonly string[]): void {
    const id = r.ip || r.hostname;
    if (id === "") throw xmlInvalid(input, "result without a <host>", r.line, path);
    if (r.oid === "") throw xmlInvalid(input, "result without an NVT oid", r.line, path);
    hosts.host(id, r.hostname ? { hostname: r.hostname } : {});
    const severity = numberOf(r.severity);
    const kind = resultKind(r.threat, severity);
    const facts = descriptionFacts(r.description);
    const port = openvasPort(r.port) ?? facts.port;
    const title = r.nvtName || r.name;
    if (kind === "informational") {
      hosts.other(id, {
        kind: "informational",
        id: r.oid,
        ...(title ? { title } : {}),
        severity: "info",
        ...(port ? { location: port } : {}),
      });
      return;
    }
    const legacy = meta.gmp === "" || Number.parseFloat(meta.gmp) < 20;
    const cvss = cvssOf(r, legacy);
    // A false positive's own severity is -1: rate it by the NVT's score instead.
    const findingSeverity =
      kind === "false_positive"
        ? resultSeverity("", numberOf(r.cvssBase))
        : resultSeverity(r.threat, severity);
    const aliases = openvasAliases(r.oid);
    for (const vulnId of openvasVulnIds(r.oid, [...r.cves])) {
      const epss = r.epss.get(vulnId);
      hosts.finding(id, {
        vulnId,
        aliases,
        ...(title ? { title } : {}),
        plugin: r.oid,
        ...(port ? { port } : {}),
        severity: findingSeverity,
        cvss,
        ...(epss ? { epss } : {}),
        fixedVersions: facts.fixedVersions,
        locations: facts.locations,
        status:
          kind === "false_positive" ? "not_affected" : facts.fixedVersions.length > 0 ? "fixed" : "affected",
        ...(kind === "false_positive" ? { statusDetail: "false positive" } : {}),
      });
    }
  }

  const builder = new ReportBuilder(OPENVAS);
  hosts.flush(builder);
  const reportTime =
    utcInstant(meta.scanStart) ?? utcInstant(meta.creation) ?? utcInstant(meta.timestamp) ?? undefined;
  return {
    kind: "scan",
    report: builder.build({
      ...(meta.gmp ? { scannerVersion: meta.gmp } : {}),
      ...(reportTime ? { reportTime } : {}),
      ...(meta.task ? { scope: meta.task } : {}),
    }),
  };
}
