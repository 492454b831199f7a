/**
 * Scanner reports in the store, as read back: the reports, the assets scanners named, and every
 * finding with its history per scanner and scope (written by scan-write.ts). A finding seen again
 * stays present (re-detected when it had gone); a finding the earlier reports had on a covered asset
 * and a later one lacks is gone — never a finding on an asset the report did not cover, and never
 * because of a report older than what is stored.
 */

import type { Kysely } from "kysely";
import type { ScanAsset, ScanReport } from "../core/scan/types.js";
import { chunks } from "./raw.js";
import { type CoverageEntry, decodeCoverage, scopedKey } from "./scan-encode.js";
import type { Database } from "./schema.js";

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

/** Which stored findings to read; every field narrows the answer. */
export interface FindingFilter {
  state?: "present" | "gone";
  /** Vulnerability ids, matched against the finding's id and its aliases, whatever the case. */
  vulnIds?: readonly string[];
  scanner?: string;
  /** Scanned asset keys ("image:alpine:3.10", "host:web01"). */
  assets?: readonly string[];
}

/** Stored findings that pass the filter, ordered by key (scanner, scope, fingerprint). */
export async function readFindings(
  db: Kysely<Database>,
  filter: FindingFilter = {},
): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  await eachFinding(db, filter, (f) => {
    out.push(f);
  });
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Rows of scan_coverage read at a time when walking every finding. */
const PAGE = 200;

/**
 * Visits the stored findings that pass the filter, a page of assets at a time, so memory stays
 * small whatever the number of findings: ordered by scanner, scope and asset, then fingerprint.
 * Returns how many were visited.
 */
export async function eachFinding(
  db: Kysely<Database>,
  filter: FindingFilter,
  visit: (finding: StoredFinding) => void | Promise<void>,
): Promise<number> {
  const wanted = filter.vulnIds ? new Set(filter.vulnIds.map((id) => id.toUpperCase())) : undefined;
  let count = 0;
  const page = async (after: string, assets?: readonly string[]) => {
    let q = db
      .selectFrom("scan_coverage")
      .select(["key", "scanner", "scope", "last_seen", "last_report", "findings", "states", "gone_findings"])
      .where("key", ">", after)
      .orderBy("key")
      .limit(PAGE);
    if (filter.scanner !== undefined) q = q.where("scanner", "=", filter.scanner);
    if (assets) q = q.where("asset_key", "in", [...assets]);
    const rows = await q.execute();
    for (const r of rows) {
      const entries = decodeCoverage({
        lastSeen: r.last_seen,
        lastReport: r.last_report,
        findings: r.findings,
        states: r.states,
        goneFindings: r.gone_findings,
      });
      for (const e of entries) {
        if (filter.state !== undefined && e.state !== filter.state) continue;
        if (wanted && ![e.finding.vulnId, ...e.finding.aliases].some((id) => wanted.has(id.toUpperCase())))
          continue;
        const key = scopedKey(r.scanner, r.scope, e.finding.fingerprint);
        count++;
        await visit({ key, scanner: r.scanner, scope: r.scope, ...e });
      }
    }
    return rows.length === PAGE ? (rows[rows.length - 1]?.key ?? null) : null;
  };
  const walk = async (assets?: readonly string[]) => {
    for (let after: string | null = ""; after !== null; ) after = await page(after, assets);
  };
  if (filter.assets === undefined) await walk();
  else for (const some of chunks(filter.assets)) await walk(some);
  return count;
}

export async function readScanAssets(db: Kysely<Database>): Promise<ScanAsset[]> {
  const rows = await db.selectFrom("scan_assets").select("doc").orderBy("asset_key").execute();
  return rows.map((r) => JSON.parse(r.doc) as ScanAsset);
}

/** Imported reports (all, or those with these sha256 ids), oldest report time first. */
export async function readScanReports(
  db: Kysely<Database>,
  ids?: readonly string[],
): Promise<ScanReportSummary[]> {
  const read = async (some?: readonly string[]) => {
    let q = db.selectFrom("scan_reports").select("doc");
    if (some) q = q.where("id", "in", [...some]);
    return (await q.orderBy("report_time").orderBy("id").execute()).map(
      (r) => JSON.parse(r.doc) as ScanReportSummary,
    );
  };
  if (ids === undefined) return read();
  const out: ScanReportSummary[] = [];
  for (const some of chunks(ids)) out.push(...(await read(some)));
  return out;
}

export async function readScanReport(
  db: Kysely<Database>,
  id: string,
): Promise<ScanReportSummary | undefined> {
  const row = await db.selectFrom("scan_reports").select("doc").where("id", "=", id).executeTakeFirst();
  return row ? (JSON.parse(row.doc) as ScanReportSummary) : undefined;
}
