/**
 * Tenable.sc (SecurityCenter) vulnerability CSV: "Plugin","Plugin Name","Family","Severity",
 * "IP Address","Protocol","Port",…,"CVE",…,"Last Observed",… One row per plugin result; its CVE cell
 * may list several CVEs (one finding each). Streamed; rows go through addResult (tenable-common.ts).
 *
 * - scanner "tenable-sc"; report time is the latest "Last Observed" ("Feb 19, 2024 21:01:01 UTC");
 * - asset: IP Address, DNS Name, NetBIOS Name, MAC Address; a row with none of them is refused;
 * - severity: "Severity" (Info/Low/Medium/High/Critical), Info → informational item.
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
  later,
  nessusInstant,
  portOf,
  readCsvRows,
  requireColumns,
  rowError,
  sniffDelimiter,
  stateStatus,
  tenableSeverity,
} from "./tenable-common.js";

/** True when the header line has Tenable.sc's "Plugin", "Plugin Name", "Severity" and IP / DNS columns. */
export function looksLikeTenableScCsv(head: string): boolean {
  const cells = headerCells(head, sniffDelimiter(head));
  return (
    cells.includes("plugin") &&
    cells.includes("plugin name") &&
    cells.includes("severity") &&
    (cells.includes("ip address") || cells.includes("dns name"))
  );
}

export async function parseTenableScCsv(input: ParseInput): Promise<ParsedBatch> {
  const file = input.displayName;
  const builder = new ReportBuilder("tenable-sc");
  let columns: CsvColumns | undefined;
  let reportTime: string | undefined;

  await readCsvRows(
    input,
    (header, line) => {
      requireColumns(header, file, line, "Tenable.sc export", [
        ["Plugin"],
        ["Severity"],
        ["IP Address", "DNS Name"],
      ]);
      columns = header;
    },
    (row) => {
      const col = columns!;
      const get = (...names: string[]): string | undefined => col.get(row, ...names);
      const pluginId = get("Plugin", "Plugin ID");
      if (pluginId === undefined) throw rowError(file, row.line, "the row has no Plugin id");
      const fields: Parameters<ReportBuilder["asset"]>[0] = {
        ip: get("IP Address"),
        fqdn: get("DNS Name"),
        netbios: get("NetBIOS Name"),
        mac: firstLine(get("MAC Address")),
      };
      if (fields.ip === undefined && fields.fqdn === undefined && fields.netbios === undefined) {
        throw rowError(
          file,
          row.line,
          `the row (plugin ${pluginId}) names no IP Address, DNS Name or NetBIOS Name`,
        );
      }
      const asset = builder.asset(fields)!;
      const severityText = get("Severity");
      const severity = tenableSeverity(severityText);
      if (severity === undefined) {
        throw rowError(
          file,
          row.line,
          severityText === undefined
            ? `the row (plugin ${pluginId}) has no Severity`
            : `Severity '${severityText}' is not Info, Low, Medium, High or Critical`,
        );
      }
      const cvss = atLine(file, row.line, () =>
        [
          cvssScore(2, get("CVSS V2 Base Score"), get("CVSS V2 Vector"), "CVSS V2 Base Score"),
          cvssScore(3, get("CVSS V3 Base Score"), get("CVSS V3 Vector"), "CVSS V3 Base Score"),
          cvssScore(4, get("CVSS V4 Base Score"), get("CVSS V4 Vector"), "CVSS V4 Base Score"),
        ].filter((score): score is CvssScore => score !== undefined),
      );
      reportTime = later(reportTime, nessusInstant(get("Last Observed") ?? ""));
      addResult(builder, {
        asset,
        pluginId,
        plugins: "nessus",
        title: get("Plugin Name"),
        severity,
        cves: cveList(get("CVE")),
        port: portOf(get("Port"), get("Protocol")),
        cvss,
        epss: epssScore(get("EPSS Score", "EPSS")),
        output: col.raw(row, "Plugin Output"),
        cpes: cpeList(get("CPE")),
        unsupported: get("Unsupported By Vendor")?.toLowerCase() === "true",
        state: stateStatus(get("Vulnerability State")),
      });
    },
  );
  const report = builder.build(reportTime !== undefined ? { reportTime } : {});
  return { kind: "scan", report };
}
