/**
 * The Tenable Vulnerability Management (Tenable.io) findings export: one row per finding with dotted
 * column names ("asset.host_name", "definition.id", "definition.cve", "state", …), usually
 * semicolon-delimited. Streamed row by row; each row goes through addResult (tenable-common.ts).
 *
 * - scanner "tenable"; report time is the latest "last_seen"; the export states no policy or scope;
 * - severity: "severity" (the finding's, after any recast), else "definition.severity"; Info → item;
 * - "definition.cve" lists several CVEs in one cell: one finding per CVE;
 * - "state": FIXED → resolved; ACTIVE / NEW / RESURFACED / REOPENED → affected.
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

/** True when the header line has "definition.id" and "asset.*" columns. */
export function looksLikeTenableCsv(head: string): boolean {
  const cells = headerCells(head, sniffDelimiter(head));
  return cells.includes("definition.id") && cells.some((cell) => cell.startsWith("asset."));
}

export async function parseTenableCsv(input: ParseInput): Promise<ParsedBatch> {
  const file = input.displayName;
  const builder = new ReportBuilder("tenable");
  let columns: CsvColumns | undefined;
  let reportTime: string | undefined;

  await readCsvRows(
    input,
    (header, line) => {
      requireColumns(header, file, line, "Tenable VM export", [
        ["definition.id"],
        ["severity", "definition.severity"],
      ]);
      columns = header;
    },
    (row) => {
      const col = columns!;
      const get = (...names: string[]): string | undefined => col.get(row, ...names);
      const pluginId = get("definition.id");
      if (pluginId === undefined) throw rowError(file, row.line, "the row has no definition.id");
      const fields: Parameters<ReportBuilder["asset"]>[0] = {
        fqdn: get("asset.display_fqdn", "asset.fqdn"),
        hostname: get("asset.host_name", "asset.name"),
        ip: get("asset.display_ipv4_address", "asset.ipv4", "asset.display_ipv6_address", "asset.ipv6"),
        netbios: get("asset.netbios_name"),
        mac: firstLine(get("asset.display_mac_address", "asset.mac_address")?.replace(/,/g, "\n")),
        os: firstLine(get("asset.operating_system")),
      };
      if (fields.fqdn === undefined && fields.hostname === undefined && fields.ip === undefined) {
        throw rowError(file, row.line, `the row (plugin ${pluginId}) names no host name, FQDN or IP address`);
      }
      const asset = builder.asset(fields)!;
      const severityText = get("severity", "definition.severity");
      const severity = tenableSeverity(severityText);
      if (severity === undefined) {
        throw rowError(
          file,
          row.line,
          severityText === undefined
            ? `the row (plugin ${pluginId}) has no severity`
            : `severity '${severityText}' is not Info, Low, Medium, High or Critical`,
        );
      }
      const cvss = atLine(file, row.line, () =>
        [
          cvssScore(
            2,
            get("definition.cvss2.base_score"),
            get("definition.cvss2.base_vector"),
            "definition.cvss2.base_score",
          ),
          cvssScore(
            3,
            get("definition.cvss3.base_score"),
            get("definition.cvss3.base_vector"),
            "definition.cvss3.base_score",
          ),
          cvssScore(
            4,
            get("definition.cvss4.base_score"),
            get("definition.cvss4.base_vector"),
            "definition.cvss4.base_score",
          ),
        ].filter((score): score is CvssScore => score !== undefined),
      );
      reportTime = later(reportTime, nessusInstant(get("last_seen", "last_found") ?? ""));
      addResult(builder, {
        asset,
        pluginId,
        plugins: "nessus",
        title: get("definition.name"),
        severity,
        cves: cveList(get("definition.cve")),
        port: portOf(get("port"), get("protocol")),
        cvss,
        epss: epssScore(get("definition.epss.score")),
        output: col.raw(row, "output"),
        cpes: cpeList(get("definition.cpe")),
        unsupported: get("definition.unsupported_by_vendor")?.toLowerCase() === "true",
        state: stateStatus(get("state")),
      });
    },
  );
  const report = builder.build(reportTime !== undefined ? { reportTime } : {});
  return { kind: "scan", report };
}
