/**
 * OpenVAS / Greenbone CSV result exports ("CSV Results" report format): a header row (IP, Hostname,
 * Port, Port Protocol, CVSS, Severity, [QoD,] Solution Type, NVT Name, …, NVT OID, CVEs, Task Name,
 * Timestamp, …, [Max Severity EPSS score / percentile]) and one row per result. Streamed.
 *
 * The rules are the XML reader's (openvas-common.ts). Differences the CSV forces:
 * - no CVSS vector or version is exported, so no CvssScore is recorded; the severity comes from the
 *   CVSS column (else the Severity word);
 * - "Max Severity EPSS" belongs to one CVE the CSV does not name, so it is attached only when the row
 *   names exactly one CVE;
 * - the report time is the latest result Timestamp; the scope is the Task Name.
 * A header-only file is a valid report with nothing in it.
 */
import { ReportBuilder } from "../../core/scan/builder.js";
import { PatchlineError } from "../../errors.js";
import { utcInstant } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import { cell, columnOf, eachCsvRecord, headerKeys } from "./csv-records.js";
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

const FIRST_LINE = /^[^\n]*/;

/** The Greenbone CSV header: IP first, NVT OID and the severity columns. */
export function looksLikeOpenvasCsv(head: string): boolean {
  const line = FIRST_LINE.exec(head)?.[0] ?? "";
  const keys = headerKeys(line.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1")));
  return (
    keys[0] === "ip" &&
    keys.includes("nvt oid") &&
    keys.includes("hostname") &&
    (keys.includes("severity") || keys.includes("cvss"))
  );
}

interface Columns {
  ip: number;
  hostname: number;
  port: number;
  protocol: number;
  cvss: number;
  severity: number;
  name: number;
  result: number;
  oid: number;
  cves: number;
  task: number;
  timestamp: number;
  epss: number;
  percentile: number;
}

function columns(input: ParseInput, record: readonly string[], line: number): Columns {
  const keys = headerKeys(record);
  const c: Columns = {
    ip: columnOf(keys, "ip"),
    hostname: columnOf(keys, "hostname"),
    port: columnOf(keys, "port"),
    protocol: columnOf(keys, "port protocol"),
    cvss: columnOf(keys, "cvss"),
    severity: columnOf(keys, "severity"),
    name: columnOf(keys, "nvt name"),
    result: columnOf(keys, "specific result"),
    oid: columnOf(keys, "nvt oid"),
    cves: columnOf(keys, "cves"),
    task: columnOf(keys, "task name"),
    timestamp: columnOf(keys, "timestamp"),
    epss: columnOf(keys, "max severity epss score"),
    percentile: columnOf(keys, "max severity epss percentile"),
  };
  const missing = (["ip", "oid"] as const).filter((k) => c[k] === -1);
  if (c.cvss === -1 && c.severity === -1) missing.push("cvss" as never);
  if (missing.length > 0) {
    const names = { ip: "IP", oid: "NVT OID", cvss: "CVSS or Severity" } as Record<string, string>;
    throw new PatchlineError(
      "VALIDATION_ERROR",
      `not a Greenbone CSV header: missing column ${missing.map((m) => names[m]).join(", ")}`,
      { file: input.displayName, line },
    );
  }
  return c;
}

export async function parseOpenvasCsv(input: ParseInput): Promise<ParsedBatch> {
  const hosts = new HostBuffer();
  let cols: Columns | undefined;
  let width = 0;
  let reportTime: string | undefined;
  let scope: string | undefined;

  await eachCsvRecord(input, (record, line) => {
    if (!cols) {
      cols = columns(input, record, line);
      width = record.length;
      return;
    }
    if (record.length !== width) {
      throw new PatchlineError(
        "VALIDATION_ERROR",
        `row has ${record.length} fields but the header has ${width}`,
        { file: input.displayName, line },
      );
    }
    const ip = cell(record, cols.ip);
    const hostname = cell(record, cols.hostname);
    const oid = cell(record, cols.oid);
    const id = ip || hostname;
    if (id === "") {
      throw new PatchlineError("VALIDATION_ERROR", "row names no IP or Hostname", {
        file: input.displayName,
        line,
      });
    }
    if (oid === "") {
      throw new PatchlineError("VALIDATION_ERROR", "row has an empty NVT OID", {
        file: input.displayName,
        line,
      });
    }
    hosts.host(id, hostname ? { hostname } : {});
    const stamp = utcInstant(cell(record, cols.timestamp));
    if (stamp && (!reportTime || Date.parse(stamp) > Date.parse(reportTime))) reportTime = stamp;
    if (!scope && cell(record, cols.task)) scope = cell(record, cols.task);

    const threat = cell(record, cols.severity);
    const score = numberOf(cell(record, cols.cvss));
    const kind = resultKind(threat, score);
    const portNumber = cell(record, cols.port);
    const protocol = cell(record, cols.protocol);
    const facts = descriptionFacts(cell(record, cols.result));
    const port = openvasPort(portNumber && protocol ? `${portNumber}/${protocol}` : portNumber) ?? facts.port;
    const title = cell(record, cols.name);
    if (kind === "informational") {
      hosts.other(id, {
        kind: "informational",
        id: oid,
        ...(title ? { title } : {}),
        severity: "info",
        ...(port ? { location: port } : {}),
      });
      return;
    }
    const cves = cvesIn(cell(record, cols.cves));
    const ids = openvasVulnIds(oid, cves);
    const epssScore = numberOf(cell(record, cols.epss));
    const percentile = numberOf(cell(record, cols.percentile));
    const epss =
      ids.length === 1 && ids[0]!.startsWith("CVE-") && epssScore >= 0 && epssScore <= 1
        ? { score: epssScore, ...(percentile >= 0 && percentile <= 1 ? { percentile } : {}) }
        : undefined;
    const aliases = openvasAliases(oid);
    for (const vulnId of ids) {
      hosts.finding(id, {
        vulnId,
        aliases,
        ...(title ? { title } : {}),
        plugin: oid,
        ...(port ? { port } : {}),
        severity: kind === "false_positive" ? "unknown" : resultSeverity(threat, score),
        ...(epss ? { epss } : {}),
        fixedVersions: facts.fixedVersions,
        locations: facts.locations,
        status:
          kind === "false_positive" ? "not_affected" : facts.fixedVersions.length > 0 ? "fixed" : "affected",
        ...(kind === "false_positive" ? { statusDetail: "false positive" } : {}),
      });
    }
  });
  if (!cols)
    throw new PatchlineError("PARSE_ERROR", "the file is empty", { file: input.displayName, line: 1 });

  const builder = new ReportBuilder(OPENVAS);
  hosts.flush(builder);
  return {
    kind: "scan",
    report: builder.build({ ...(reportTime ? { reportTime } : {}), ...(scope ? { scope } : {}) }),
  };
}
