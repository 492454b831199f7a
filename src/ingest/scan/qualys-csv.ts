/**
 * Qualys CSV exports, one reader for the three layouts in use, told apart by their column names:
 * - VM scan results / host-based findings ("IP","Network","DNS","NetBIOS",…,"QID","Title","Vuln Status",
 *   "Type","Severity","Port","Protocol",…,"CVE ID","CVSS Base","CVSS3 Base",…);
 * - VMDR "Asset Vuln Datalist Report" ("CVE","CVE-Description","CVSSv2 Base (nvd)",…,"QID","Title",
 *   "Severity","Type Detected",…,"Status","Asset Name","Asset IPV4",…), with or without the metadata
 *   rows Qualys writes before the header (report title and date, company, user);
 * - HackerGuardian PCI scans ("IP","HOSTNAME","LAST SCAN","QID","VULN TITLE","TYPE","SEVERITY" as a
 *   letter H/M/L,…,"CVSS_BASE","Q_SEVERITY",…,"CVEID").
 * Rows before the header are metadata: the header is the first row naming a QID column, a title column
 * and an asset column. Every later row must have the header's number of fields (else VALIDATION_ERROR
 * naming the line). Streamed.
 *
 * Rules in qualys-common.ts. Report time: the date in the metadata rows (a "Launch Date" column, else
 * the first date written there), else the latest "Last Detected" / "LAST SCAN" of the rows. CVSS:
 * "CVSS Base" / HackerGuardian "CVSS_BASE" are 2.0, "CVSS3 Base" 3.0, "CVSSv3.1 Base (nvd)" 3.1;
 * source "qualys" (or "qualys:nvd" for the VMDR "(nvd)" columns). A HackerGuardian false positive
 * marked accepted/approved is not_affected.
 */
import { ReportBuilder } from "../../core/scan/builder.js";
import type { ReportStatus } from "../../core/scan/types.js";
import type { CvssScore } from "../../core/types.js";
import { PatchlineError } from "../../errors.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import { cell, columnOf, eachCsvRecord, headerKeys } from "./csv-records.js";
import {
  cveList,
  detectionKind,
  hostFields,
  laterInstant,
  portOf,
  QUALYS,
  qualysCvss,
  qualysInstant,
  qualysSeverity,
  qualysStatus,
  qualysVulnIds,
} from "./qualys-common.js";

const TITLE_COLUMNS = ["title", "vuln title"];
const ASSET_COLUMNS = ["ip", "asset ipv4", "asset ipv6", "asset name", "dns", "hostname"];

/** True for a header row: a QID column, a title column and an asset column. */
function isHeader(keys: readonly string[]): boolean {
  return (
    keys.includes("qid") &&
    TITLE_COLUMNS.some((c) => keys.includes(c)) &&
    ASSET_COLUMNS.some((c) => keys.includes(c))
  );
}

/** A Qualys CSV: within the first lines, a header row with QID, title and asset columns. */
export function looksLikeQualysCsv(head: string): boolean {
  const lines = head.split("\n", 40);
  return lines.some((line) =>
    isHeader(headerKeys(line.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1")))),
  );
}

interface Columns {
  ip: number;
  ipv6: number;
  name: number;
  netbios: number;
  os: number;
  qid: number;
  title: number;
  status: number;
  type: number;
  severity: number;
  port: number;
  protocol: number;
  fqdn: number;
  cves: number;
  cvss2: number;
  cvss3: number;
  cvss31: number;
  nvd: boolean;
  lastSeen: number;
  falsePositive: number;
}

function columns(keys: readonly string[]): Columns {
  return {
    ip: columnOf(keys, "ip", "asset ipv4", "ip address"),
    ipv6: columnOf(keys, "asset ipv6", "ipv6"),
    name: columnOf(keys, "dns", "hostname", "asset name", "dns name"),
    netbios: columnOf(keys, "netbios"),
    os: columnOf(keys, "os", "operating system"),
    qid: columnOf(keys, "qid"),
    title: columnOf(keys, ...TITLE_COLUMNS),
    status: columnOf(keys, "vuln status", "status"),
    type: columnOf(keys, "type", "type detected"),
    severity: columnOf(keys, "severity"),
    port: columnOf(keys, "port"),
    protocol: columnOf(keys, "protocol"),
    fqdn: columnOf(keys, "fqdn"),
    cves: columnOf(keys, "cve id", "cve", "cveid", "cve ids"),
    cvss2: columnOf(keys, "cvss base", "cvss_base", "cvssv2 base (nvd)"),
    cvss3: columnOf(keys, "cvss3 base"),
    cvss31: columnOf(keys, "cvssv3.1 base (nvd)", "cvss3.1 base"),
    nvd: keys.includes("cvssv3.1 base (nvd)") || keys.includes("cvssv2 base (nvd)"),
    lastSeen: columnOf(keys, "last detected", "last scan", "last scan date"),
    falsePositive: columnOf(keys, "false positive status"),
  };
}

/** The report date the metadata rows state: under a "Launch Date"-like label, else the first date. */
function preambleTime(rows: readonly string[][]): string | undefined {
  for (let r = 0; r < rows.length - 1; r++) {
    const labels = headerKeys(rows[r]!);
    const at = labels.findIndex((l) =>
      /^(launch date|scan date|report date|date generated|generated)$/.test(l),
    );
    if (at !== -1) {
      const instant = qualysInstant(rows[r + 1]![at]);
      if (instant) return instant;
    }
  }
  for (const row of rows) {
    for (const value of row) {
      const instant = qualysInstant(value);
      if (instant) return instant;
    }
  }
  return undefined;
}

function falsePositiveStatus(raw: string): ReportStatus | undefined {
  return /^(accepted|approved)$/i.test(raw.trim()) ? "not_affected" : undefined;
}

export async function parseQualysCsv(input: ParseInput): Promise<ParsedBatch> {
  const builder = new ReportBuilder(QUALYS);
  const preamble: string[][] = [];
  let cols: Columns | undefined;
  let width = 0;
  let lastSeen: string | undefined;
  let anyRecord = false;

  await eachCsvRecord(input, (record, line) => {
    anyRecord = true;
    if (!cols) {
      const keys = headerKeys(record);
      if (isHeader(keys)) {
        cols = columns(keys);
        width = record.length;
      } else {
        preamble.push(record);
      }
      return;
    }
    const fail = (message: string): never => {
      throw new PatchlineError("VALIDATION_ERROR", message, { file: input.displayName, line });
    };
    if (record.length !== width) fail(`row has ${record.length} fields but the header has ${width}`);
    const qid = cell(record, cols.qid);
    if (!/^\d+$/.test(qid)) fail(`QID ${JSON.stringify(qid)} is not a number`);

    const ips = cell(record, cols.ip)
      .split(/[,;\s]+/)
      .filter((v) => v !== "" && v !== "'-" && v !== "-");
    const ipv6 = cell(record, cols.ipv6).replace(/^'?-$/, "");
    const ip = ips[0] ?? ipv6.split(/[,;\s]+/)[0] ?? "";
    const netbios = cell(record, cols.netbios).replace(/^'?-$/, "");
    const os = cell(record, cols.os).replace(/^'?-$/, "");
    const asset = builder.asset({
      ...(ip ? { ip } : {}),
      ...hostFields(cell(record, cols.name)),
      ...(netbios ? { netbios } : {}),
      ...(os ? { os } : {}),
    });
    if (asset === undefined) fail("row names no asset (IP, DNS or asset name)");
    lastSeen = laterInstant(lastSeen, qualysInstant(cell(record, cols.lastSeen)));

    const kind = detectionKind(cell(record, cols.type));
    const title = cell(record, cols.title);
    const port = portOf(cell(record, cols.port), cell(record, cols.protocol));
    if (kind === "info") {
      builder.other({
        kind: "informational",
        asset: asset!,
        id: qid,
        ...(title ? { title } : {}),
        severity: "info",
        ...(port ? { location: port } : {}),
      });
      return;
    }
    const source = cols.nvd ? `${QUALYS}:nvd` : QUALYS;
    const cvss = [
      qualysCvss(cell(record, cols.cvss2), "2.0", source),
      qualysCvss(cell(record, cols.cvss3), "3.0", source),
      qualysCvss(cell(record, cols.cvss31), "3.1", source),
    ].filter((c): c is CvssScore => c !== undefined);
    const rawStatus = cell(record, cols.status);
    const falsePositive = cell(record, cols.falsePositive);
    const notAffected = falsePositiveStatus(falsePositive);
    const status = notAffected ?? qualysStatus(rawStatus);
    const detail = notAffected
      ? `false positive ${falsePositive.toLowerCase()}`
      : kind === "potential"
        ? "potential"
        : rawStatus || undefined;
    const fqdn = cell(record, cols.fqdn).replace(/^'?-$/, "");
    for (const vulnId of qualysVulnIds(qid, cveList(cell(record, cols.cves)))) {
      builder.finding({
        asset: asset!,
        vulnId,
        aliases: [`${QUALYS}:${qid}`],
        ...(title ? { title } : {}),
        plugin: qid,
        ...(port ? { port } : {}),
        severity: qualysSeverity(cell(record, cols.severity)),
        cvss,
        ...(fqdn ? { locations: [fqdn] } : {}),
        status,
        ...(detail ? { statusDetail: detail } : {}),
      });
    }
  });
  if (!anyRecord)
    throw new PatchlineError("PARSE_ERROR", "the file is empty", { file: input.displayName, line: 1 });
  if (!cols) {
    throw new PatchlineError(
      "VALIDATION_ERROR",
      "no Qualys header row (QID, Title and IP / DNS / Asset Name columns) found",
      { file: input.displayName, line: 1 },
    );
  }
  const reportTime = preambleTime(preamble) ?? lastSeen;
  return { kind: "scan", report: builder.build(reportTime ? { reportTime } : {}) };
}
