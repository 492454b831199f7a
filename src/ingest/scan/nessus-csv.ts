/**
 * The Nessus CSV export ("Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name,…", default or all columns)
 * and the Tenable.io vulnerability CSV, which starts with the same columns and adds host details,
 * "Vulnerability State" and CVSS vectors. One row is one plugin result × one CVE, so a plugin naming
 * three CVEs is three rows; rows go through addResult (tenable-common.ts) one by one, streamed.
 *
 * - scanner "nessus", or "tenable" when the header has Tenable.io's columns (Vulnerability State,
 *   Host Scan ID, Indexed At, First/Last Found);
 * - Nessus: scanner version, scope (policy) and report time come from plugin 19506's output, whose
 *   "Scan Start Date" is local time without a usable zone and is read as UTC;
 * - Tenable.io: report time is the latest "Host End" (else "Last Found"); "Vulnerability State"
 *   Fixed → resolved, Open/Active/New/Reopened/Resurfaced → affected;
 * - severity: "Risk" (None/Low/Medium/High/Critical), else "Severity" (0–4), else "Risk Factor";
 *   None → informational item.
 */
import { ReportBuilder } from "../../core/scan/builder.js";
import type { CvssScore } from "../../core/types.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import {
  addResult,
  atLine,
  type CsvColumns,
  cpeList,
  cveList,
  cvssScore,
  epssScore,
  firstLine,
  headerCells,
  isIp,
  later,
  nessusInstant,
  portOf,
  readCsvRows,
  requireColumns,
  rowError,
  SCAN_INFORMATION_PLUGIN,
  type ScanInformation,
  scanInformation,
  sniffDelimiter,
  stateStatus,
  tenableSeverity,
} from "./tenable-common.js";

const TENABLE_IO_COLUMNS = ["vulnerability state", "host scan id", "indexed at", "last found", "first found"];

/** True when the header line has Nessus's "Plugin ID" and "Host" columns and a port or protocol. */
export function looksLikeNessusCsv(head: string): boolean {
  const cells = headerCells(head, sniffDelimiter(head));
  return (
    cells.includes("plugin id") &&
    cells.includes("host") &&
    (cells.includes("port") || cells.includes("protocol")) &&
    !cells.some((cell) => cell.startsWith("definition."))
  );
}

export async function parseNessusCsv(input: ParseInput): Promise<ParsedBatch> {
  const file = input.displayName;
  let columns: CsvColumns | undefined;
  let builder: ReportBuilder | undefined;
  let reportTime: string | undefined;
  let info: ScanInformation | undefined;

  await readCsvRows(
    input,
    (header, line) => {
      requireColumns(header, file, line, "Nessus CSV export", [
        ["Plugin ID"],
        ["Host", "IP Address"],
        ["Risk", "Severity", "Risk Factor"],
      ]);
      columns = header;
      builder = new ReportBuilder(header.has(...TENABLE_IO_COLUMNS) ? "tenable" : "nessus");
    },
    (row) => {
      const col = columns!;
      const b = builder!;
      const get = (...names: string[]): string | undefined => col.get(row, ...names);
      const pluginId = get("Plugin ID");
      if (pluginId === undefined) throw rowError(file, row.line, "the row has no Plugin ID");
      const hostCell = get("Host");
      const ipCell = get("IP Address");
      if (hostCell === undefined && ipCell === undefined) {
        throw rowError(file, row.line, `the row (plugin ${pluginId}) names no Host or IP Address`);
      }
      const fields: Parameters<ReportBuilder["asset"]>[0] = {};
      const fqdn = get("FQDN", "DNS Name");
      if (fqdn !== undefined) fields.fqdn = fqdn;
      if (ipCell !== undefined) fields.ip = ipCell;
      if (hostCell !== undefined) {
        if (isIp(hostCell)) fields.ip ??= hostCell;
        else if (hostCell.toLowerCase() !== fqdn?.toLowerCase()) fields.hostname = hostCell;
        else fields.fqdn = hostCell;
      }
      fields.netbios = get("NetBios", "NetBIOS Name");
      fields.mac = firstLine(get("MAC Address"));
      fields.os = firstLine(get("OS", "Operating System"));
      const asset = b.asset(fields);
      if (asset === undefined) throw rowError(file, row.line, "the row names no host");
      const severityText = get("Risk") ?? get("Severity") ?? get("Risk Factor");
      const severity = tenableSeverity(severityText);
      if (severity === undefined) {
        throw rowError(
          file,
          row.line,
          severityText === undefined
            ? `the row (plugin ${pluginId}) has no Risk or Severity`
            : `Risk '${severityText}' is not None, Low, Medium, High or Critical`,
        );
      }
      const output = col.raw(row, "Plugin Output");
      if (pluginId === SCAN_INFORMATION_PLUGIN && info === undefined) info = scanInformation(output);
      const cvss = atLine(file, row.line, () =>
        [
          cvssScore(
            2,
            get("CVSS v2.0 Base Score", "CVSS Base Score", "CVSS"),
            get("CVSS v2.0 Vector", "CVSS Vector"),
            "CVSS",
          ),
          cvssScore(
            3,
            get("CVSS v3.0 Base Score", "CVSS3 Base Score"),
            get("CVSS v3.0 Vector", "CVSS3 Vector"),
            "CVSS v3",
          ),
          cvssScore(
            4,
            get("CVSS v4.0 Base Score", "CVSS4 Base Score"),
            get("CVSS v4.0 Vector", "CVSS4 Vector"),
            "CVSS v4",
          ),
        ].filter((score): score is CvssScore => score !== undefined),
      );
      const state = stateStatus(get("Vulnerability State"));
      reportTime = later(reportTime, nessusInstant(get("Host End") ?? get("Last Found") ?? ""));
      addResult(b, {
        asset,
        pluginId,
        plugins: "nessus",
        title: get("Name", "Plugin Name"),
        severity,
        cves: cveList(get("CVE")),
        port: portOf(get("Port"), get("Protocol")),
        cvss,
        epss: epssScore(get("EPSS Score", "EPSS")),
        output,
        cpes: cpeList(get("CPE")),
        unsupported: get("Unsupported By Vendor")?.toLowerCase() === "true",
        state,
      });
    },
  );
  const b = builder!;
  const scanInfo = info ?? {};
  const time = reportTime ?? scanInfo.start;
  const report = b.build({
    ...(scanInfo.scannerVersion !== undefined ? { scannerVersion: scanInfo.scannerVersion } : {}),
    ...(time !== undefined ? { reportTime: time } : {}),
    ...(scanInfo.policy !== undefined ? { scope: scanInfo.policy } : {}),
  });
  return { kind: "scan", report };
}
