/**
 * Scanner reports in the store. A report is written in one transaction:
 * - the report itself, keyed by the sha256 of its file, so the same file again changes nothing;
 * - the assets it covered;
 * - its findings, compared with what the same scanner and scope said before about the assets this
 *   report covered: a finding seen again stays present (re-detected when it had gone), a finding the
 *   earlier reports had on a covered asset and this one lacks is gone — never a finding on an asset
 *   the report did not cover, and never because of a report older than what is stored.
 */

import type { Kysely } from "kysely";
import { otherCounts } from "../core/scan/builder.js";
import type { ScanAsset, ScanFinding, ScanReport } from "../core/scan/types.js";
import type { Writer } from "./backend.js";
import type { Database } from "./schema.js";
import type { ImportMeta } from "./types.js";

/** Largest IN (…) list and multi-row insert sent at once. */
const CHUNK = 400;

export interface ScanImportCounts {
  /** Findings in the report after merging duplicates. */
  findings: number;
  duplicates: number;
  assets: number;
  /** Findings not seen before for this scanner and scope. */
  added: number;
  /** Findings seen before whose content changed, or that had gone and are back. */
  updated: number;
  unchanged: number;
  /** Findings that had gone and this report detects again. */
  redetected: string[];
  /** Findings on covered assets that this report no longer has. */
  gone: string[];
  /** Findings older than what is stored for them (an earlier report imported late): left alone. */
  stale: number;
  /** True when this very file was imported before: nothing was written. */
  seenBefore: boolean;
}

/** What the store keeps of a report besides its findings. */
export interface ScanReportSummary {
  id: string;
  file: string;
  format: string;
  scanner: string;
  scannerVersion?: string;
  scope: string;
  reportTime: string;
  /** True when the report did not say when it ran and the import time stands in. */
  timeFromImport: boolean;
  importedAt: string;
  assets: ScanAsset[];
  findings: number;
  duplicates: number;
  other: Record<string, number>;
  otherItems: ScanReport["other"];
  components: ScanReport["components"];
}

export interface StoredFinding {
  key: string;
  scanner: string;
  scope: string;
  state: "present" | "gone";
  firstSeen: string;
  lastSeen: string;
  lastReport: string;
  goneAt?: string;
  goneReport?: string;
  finding: ScanFinding;
}

/** 32-bit FNV-1a of a text, as 8 hex digits: enough to tell whether a finding's content changed. */
export function quickHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

export function findingKey(scanner: string, scope: string, fingerprint: string): string {
  return `${scanner}\u001f${scope}\u001f${fingerprint}`;
}

/** Writes one report inside the caller's transaction. */
export async function writeScan(w: Writer, report: ScanReport, meta: ImportMeta): Promise<ScanImportCounts> {
  const db = w.db;
  const counts: ScanImportCounts = {
    findings: report.findings.length,
    duplicates: report.duplicates,
    assets: report.assets.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    redetected: [],
    gone: [],
    stale: 0,
    seenBefore: false,
  };
  const seen = await db
    .selectFrom("scan_reports")
    .select("id")
    .where("id", "=", meta.sha256)
    .executeTakeFirst();
  if (seen) {
    counts.seenBefore = true;
    counts.unchanged = report.findings.length;
    return counts;
  }
  const scope = report.scope ?? "";
  const reportTime = report.reportTime ?? meta.importedAt;
  const summary: ScanReportSummary = {
    id: meta.sha256,
    file: meta.file,
    format: meta.format,
    scanner: report.scanner,
    scope,
    reportTime,
    timeFromImport: report.reportTime === undefined,
    importedAt: meta.importedAt,
    assets: report.assets,
    findings: report.findings.length,
    duplicates: report.duplicates,
    other: otherCounts(report),
    otherItems: report.other,
    components: report.components,
  };
  if (report.scannerVersion !== undefined) summary.scannerVersion = report.scannerVersion;
  await db
    .insertInto("scan_reports")
    .values({
      id: meta.sha256,
      file: meta.file,
      format: meta.format,
      scanner: report.scanner,
      scope,
      report_time: reportTime,
      imported_at: meta.importedAt,
      doc: JSON.stringify(summary),
    })
    .execute();
  await saveAssets(db, report.assets, reportTime);

  // What this scanner and scope said before about the assets this report covers.
  const prior = new Map<string, { state: string; last_seen: string; hash: string }>();
  const keys = report.assets.map((a) => a.key);
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    type Prior = { key: string; state: string; last_seen: string; hash: string };
    const rows = w.all
      ? (w.all(
          `select key, state, last_seen, hash from scan_findings where scanner = ? and scope = ? and asset_key in (${chunk.map(() => "?").join(", ")})`,
          [report.scanner, scope, ...chunk],
        ) as Prior[])
      : await db
          .selectFrom("scan_findings")
          .select(["key", "state", "last_seen", "hash"])
          .where("scanner", "=", report.scanner)
          .where("scope", "=", scope)
          .where("asset_key", "in", chunk)
          .execute();
    for (const r of rows) prior.set(r.key, r);
  }

  const inserts: Database["scan_findings"][] = [];
  const present = new Set<string>();
  for (const f of report.findings) {
    const key = findingKey(report.scanner, scope, f.fingerprint);
    present.add(key);
    const doc = JSON.stringify(f);
    const hash = quickHash(doc);
    const before = prior.get(key);
    if (!before) {
      counts.added++;
      inserts.push({
        key,
        scanner: report.scanner,
        scope,
        asset_key: f.asset,
        vuln_id: f.vulnId,
        state: "present",
        report_status: f.status,
        first_seen: reportTime,
        last_seen: reportTime,
        last_report: meta.sha256,
        gone_at: null,
        gone_report: null,
        hash,
        doc,
      });
      continue;
    }
    if (before.last_seen > reportTime) {
      counts.stale++;
      continue;
    }
    const back = before.state === "gone";
    if (back) counts.redetected.push(f.fingerprint);
    if (back || before.hash !== hash) counts.updated++;
    else counts.unchanged++;
    if (w.run) {
      w.run(SEEN_AGAIN, [f.status, reportTime, meta.sha256, hash, doc, key]);
      continue;
    }
    await db
      .updateTable("scan_findings")
      .set({
        state: "present",
        report_status: f.status,
        last_seen: reportTime,
        last_report: meta.sha256,
        gone_at: null,
        gone_report: null,
        hash,
        doc,
      })
      .where("key", "=", key)
      .execute();
  }
  await insertFindings(w, inserts);

  // Present before on a covered asset, absent now: gone, as of this report.
  const goneKeys: string[] = [];
  for (const [key, before] of prior) {
    if (present.has(key) || before.state !== "present" || before.last_seen > reportTime) continue;
    goneKeys.push(key);
    counts.gone.push(key.slice(key.lastIndexOf("\u001f") + 1));
  }
  for (let i = 0; i < goneKeys.length; i += CHUNK) {
    await db
      .updateTable("scan_findings")
      .set({ state: "gone", gone_at: reportTime, gone_report: meta.sha256 })
      .where("key", "in", goneKeys.slice(i, i + CHUNK))
      .execute();
  }
  return counts;
}

const COLUMNS = [
  "key",
  "scanner",
  "scope",
  "asset_key",
  "vuln_id",
  "state",
  "report_status",
  "first_seen",
  "last_seen",
  "last_report",
  "gone_at",
  "gone_report",
  "hash",
  "doc",
] as const;
const SEEN_AGAIN =
  "update scan_findings set state = 'present', report_status = ?, last_seen = ?, last_report = ?, " +
  "gone_at = null, gone_report = null, hash = ?, doc = ? where key = ?";
const INSERT_ONE = `insert into scan_findings (${COLUMNS.join(", ")}) values (${COLUMNS.map(() => "?").join(", ")})`;

/** New findings: one cached prepared statement per row on SQLite, multi-row inserts elsewhere. */
async function insertFindings(w: Writer, rows: readonly Database["scan_findings"][]): Promise<void> {
  if (w.run) {
    for (const r of rows)
      w.run(
        INSERT_ONE,
        COLUMNS.map((c) => r[c]),
      );
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK / 4) {
    await w.db
      .insertInto("scan_findings")
      .values(rows.slice(i, i + CHUNK / 4))
      .execute();
  }
}

async function saveAssets(db: Kysely<Database>, assets: readonly ScanAsset[], at: string): Promise<void> {
  for (let i = 0; i < assets.length; i += CHUNK / 4) {
    const rows = assets
      .slice(i, i + CHUNK / 4)
      .map((a) => ({ asset_key: a.key, last_seen: at, doc: JSON.stringify(a) }));
    await db
      .insertInto("scan_assets")
      .values(rows)
      .onConflict((oc) =>
        oc.column("asset_key").doUpdateSet((eb) => ({
          last_seen: eb.ref("excluded.last_seen"),
          doc: eb.ref("excluded.doc"),
        })),
      )
      .execute();
  }
}

function toStored(r: Database["scan_findings"]): StoredFinding {
  const out: StoredFinding = {
    key: r.key,
    scanner: r.scanner,
    scope: r.scope,
    state: r.state === "gone" ? "gone" : "present",
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    lastReport: r.last_report,
    finding: JSON.parse(r.doc) as ScanFinding,
  };
  if (r.gone_at !== null) out.goneAt = r.gone_at;
  if (r.gone_report !== null) out.goneReport = r.gone_report;
  return out;
}

/** Stored findings, optionally only present or gone ones, ordered by key. */
export async function readFindings(
  db: Kysely<Database>,
  filter: { state?: "present" | "gone"; vulnIds?: readonly string[] } = {},
): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  const run = async (ids?: readonly string[]) => {
    let q = db.selectFrom("scan_findings").selectAll();
    if (filter.state) q = q.where("state", "=", filter.state);
    if (ids) q = q.where("vuln_id", "in", [...ids]);
    for (const r of await q.orderBy("key").execute()) out.push(toStored(r));
  };
  if (filter.vulnIds === undefined) await run();
  else for (let i = 0; i < filter.vulnIds.length; i += CHUNK) await run(filter.vulnIds.slice(i, i + CHUNK));
  return out;
}

export async function readScanAssets(db: Kysely<Database>): Promise<ScanAsset[]> {
  const rows = await db.selectFrom("scan_assets").select("doc").orderBy("asset_key").execute();
  return rows.map((r) => JSON.parse(r.doc) as ScanAsset);
}

export async function readScanReports(db: Kysely<Database>): Promise<ScanReportSummary[]> {
  const rows = await db
    .selectFrom("scan_reports")
    .select("doc")
    .orderBy("report_time")
    .orderBy("id")
    .execute();
  return rows.map((r) => JSON.parse(r.doc) as ScanReportSummary);
}

export async function readScanReport(
  db: Kysely<Database>,
  id: string,
): Promise<ScanReportSummary | undefined> {
  const row = await db.selectFrom("scan_reports").select("doc").where("id", "=", id).executeTakeFirst();
  return row ? (JSON.parse(row.doc) as ScanReportSummary) : undefined;
}
