/**
 * Scanner reports in the store. A report is written in one transaction:
 * - the report itself, keyed by the sha256 of its file, so the same file again changes nothing;
 * - the assets it covered;
 * - its findings, one row per scanner × scope × asset (scan-encode.ts), merged with what the same
 *   scanner and scope said before about that asset (scan-merge.ts): a finding seen again stays
 *   present (re-detected when it had gone), a finding the earlier reports had on a covered asset and
 *   this one lacks is gone — never a finding on an asset the report did not cover, and never because
 *   of a report older than what is stored.
 */

import type { Kysely } from "kysely";
import { otherCounts } from "../core/scan/builder.js";
import type { ScanAsset, ScanReport } from "../core/scan/types.js";
import type { Writer } from "./backend.js";
import { rawAll, rawRun } from "./raw.js";
import { type CoverageEntry, decodeEntries, type EncodedScan, encodeEntries } from "./scan-encode.js";
import { emptyMergeCounts, mergeCoverage } from "./scan-merge.js";
import type { Database } from "./schema.js";
import type { ImportMeta } from "./types.js";

/** Largest IN (…) list sent at once. */
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

/** A stored finding: where it was reported (scanner and scope) and its history there. */
export interface StoredFinding extends CoverageEntry {
  /** scanner, scope and fingerprint joined by U+001F. */
  key: string;
  scanner: string;
  scope: string;
}

export function findingKey(scanner: string, scope: string, fingerprint: string): string {
  return `${scanner}\u001f${scope}\u001f${fingerprint}`;
}

function coverageKey(scanner: string, scope: string, asset: string): string {
  return `${scanner}\u001f${scope}\u001f${asset}`;
}

/** Bytes as the database driver binds them. */
function bytes(blob: Uint8Array): Buffer {
  return Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
}

interface PriorRow {
  key: string;
  last_seen: string;
  last_report: string;
  findings: Uint8Array;
}

const REPORT_SEEN = "select id from scan_reports where id = ?";
const INSERT_REPORT =
  "insert into scan_reports (id, file, format, scanner, scope, report_time, imported_at, doc) values (?, ?, ?, ?, ?, ?, ?, ?)";
const SAVE_ASSET =
  "insert into scan_assets (asset_key, last_seen, doc) values (?, ?, ?) " +
  "on conflict (asset_key) do update set last_seen = excluded.last_seen, doc = excluded.doc";
const INSERT_COVERAGE =
  "insert into scan_coverage (key, scanner, scope, asset_key, last_seen, last_report, present, gone, findings) " +
  "values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
const UPDATE_COVERAGE =
  "update scan_coverage set last_seen = ?, last_report = ?, present = ?, gone = ?, findings = ? where key = ?";

function priorQuery(n: number): string {
  return `select key, last_seen, last_report, findings from scan_coverage where key in (${new Array(n).fill("?").join(", ")})`;
}

/** Writes one encoded report inside the caller's transaction. */
export async function writeScan(w: Writer, scan: EncodedScan, meta: ImportMeta): Promise<ScanImportCounts> {
  const { head } = scan;
  const merged = emptyMergeCounts();
  const counts: ScanImportCounts = {
    findings: scan.findings,
    duplicates: head.duplicates,
    assets: head.assets.length,
    ...merged,
    seenBefore: false,
  };
  if ((await rawAll(w, REPORT_SEEN, [meta.sha256])).length > 0) {
    counts.seenBefore = true;
    counts.unchanged = scan.findings;
    return counts;
  }
  const scope = head.scope ?? "";
  const reportTime = head.reportTime ?? meta.importedAt;
  const summary: ScanReportSummary = {
    id: meta.sha256,
    file: meta.file,
    format: meta.format,
    scanner: head.scanner,
    scope,
    reportTime,
    timeFromImport: head.reportTime === undefined,
    importedAt: meta.importedAt,
    assets: head.assets,
    findings: scan.findings,
    duplicates: head.duplicates,
    other: otherCounts(head),
    otherItems: head.other,
    components: head.components,
  };
  if (head.scannerVersion !== undefined) summary.scannerVersion = head.scannerVersion;
  await rawRun(w, INSERT_REPORT, [
    meta.sha256,
    meta.file,
    meta.format,
    head.scanner,
    scope,
    reportTime,
    meta.importedAt,
    JSON.stringify(summary),
  ]);
  for (const a of head.assets) await rawRun(w, SAVE_ASSET, [a.key, reportTime, JSON.stringify(a)]);

  // What this scanner and scope said before about the assets this report covers.
  const prior = new Map<string, PriorRow>();
  const keys = scan.coverage.map((c) => coverageKey(head.scanner, scope, c.asset));
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    for (const r of await rawAll<PriorRow>(w, priorQuery(chunk.length), chunk)) prior.set(r.key, r);
  }

  for (const [i, c] of scan.coverage.entries()) {
    const key = keys[i] as string;
    const before = prior.get(key);
    if (!before) {
      merged.added += c.findings;
      await rawRun(w, INSERT_COVERAGE, [
        key,
        head.scanner,
        scope,
        c.asset,
        reportTime,
        meta.sha256,
        c.findings,
        0,
        bytes(c.blob),
      ]);
      continue;
    }
    const entries = mergeCoverage(
      decodeEntries(before.findings),
      decodeEntries(c.blob),
      reportTime,
      meta.sha256,
      merged,
    );
    const later = before.last_seen > reportTime;
    await rawRun(w, UPDATE_COVERAGE, [
      later ? before.last_seen : reportTime,
      later ? before.last_report : meta.sha256,
      entries.filter((e) => e.state === "present").length,
      entries.filter((e) => e.state === "gone").length,
      bytes(encodeEntries(entries)),
      key,
    ]);
  }
  Object.assign(counts, merged);
  return counts;
}

/** Stored findings, optionally only present or gone ones or some vulnerability ids, ordered by key. */
export async function readFindings(
  db: Kysely<Database>,
  filter: { state?: "present" | "gone"; vulnIds?: readonly string[] } = {},
): Promise<StoredFinding[]> {
  const wanted = filter.vulnIds ? new Set(filter.vulnIds) : undefined;
  const out: StoredFinding[] = [];
  const rows = await db.selectFrom("scan_coverage").select(["scanner", "scope", "findings"]).execute();
  for (const r of rows) {
    for (const e of decodeEntries(r.findings)) {
      if (filter.state !== undefined && e.state !== filter.state) continue;
      if (wanted && !wanted.has(e.finding.vulnId)) continue;
      const key = findingKey(r.scanner, r.scope, e.finding.fingerprint);
      const stored: StoredFinding = { key, scanner: r.scanner, scope: r.scope, ...e };
      out.push(stored);
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
