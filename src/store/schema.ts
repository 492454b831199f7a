/**
 * Table shapes as Kysely sees them. Documents are canonical JSON text in `doc`, with `hash` the
 * sha256 of the content; `created_at` is the first time a key was written, `updated_at` the last
 * time its content changed (both UTC instants as ISO 8601 text).
 */
import type { Generated } from "kysely";

export interface DocColumns {
  doc: string;
  hash: string;
  created_at: string;
  updated_at: string;
}

export interface KevEntryTable extends DocColumns {
  cve_id: string;
}

export interface KevCatalogTable {
  /** Always 1: one row for the catalog last imported. */
  id: number;
  catalog_version: string | null;
  released: string | null;
  imported_at: string;
}

export interface EpssScoreTable {
  cve: string;
  epss: number;
  percentile: number;
  score_date: string;
  model_version: string;
  previous_epss: number | null;
  created_at: string;
  updated_at: string;
}

export interface AdvisoryRecordTable extends DocColumns {
  id: string;
  source: string;
  source_id: string;
}

export interface AssetTable extends DocColumns {
  id: string;
  asset_group: string;
  system_owner: string;
}

export interface OwnerTable extends DocColumns {
  id: string;
}

export interface WorkItemTable extends DocColumns {
  id: string;
  advisory_id: string;
  asset_group: string;
  owner_id: string;
  lane: string;
}

export interface ImportTable {
  id: Generated<number>;
  file: string;
  sha256: string;
  format: string;
  imported_at: string;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
}

export interface ScanReportTable {
  /** sha256 of the report file. */
  id: string;
  file: string;
  format: string;
  scanner: string;
  scope: string;
  report_time: string;
  imported_at: string;
  /** ScanReportSummary as JSON. */
  doc: string;
}

export interface ScanAssetTable {
  asset_key: string;
  last_seen: string;
  /** ScanAsset as JSON. */
  doc: string;
}

/** The findings one scanner and scope reported on one asset, over every report that covered it. */
export interface ScanCoverageTable {
  /** scanner, scope and asset key joined by U+001F. */
  key: string;
  scanner: string;
  scope: string;
  asset_key: string;
  /** Time and sha256 of the latest report that covered the asset. */
  last_seen: string;
  last_report: string;
  /** Findings present, and gone, on the asset. */
  present: number;
  gone: number;
  /** The present findings, the states of those, and the gone entries: see StoredCoverage in scan-encode.ts. */
  findings: Uint8Array;
  states: string;
  gone_findings: Uint8Array | null;
}

export interface Database {
  kev_entries: KevEntryTable;
  kev_catalog: KevCatalogTable;
  epss_scores: EpssScoreTable;
  advisory_records: AdvisoryRecordTable;
  assets: AssetTable;
  owners: OwnerTable;
  work_items: WorkItemTable;
  imports: ImportTable;
  scan_reports: ScanReportTable;
  scan_assets: ScanAssetTable;
  scan_coverage: ScanCoverageTable;
}

/** Tables holding JSON documents, with their key columns and extra indexed columns (in write order). */
export const DOC_TABLES = {
  kev_entries: { keys: ["cve_id"], extras: [] },
  advisory_records: { keys: ["id", "source", "source_id"], extras: [] },
  assets: { keys: ["id"], extras: ["asset_group", "system_owner"] },
  owners: { keys: ["id"], extras: [] },
  work_items: { keys: ["id"], extras: ["advisory_id", "asset_group", "owner_id", "lane"] },
} as const satisfies Record<string, { keys: readonly string[]; extras: readonly string[] }>;

export type DocTable = keyof typeof DOC_TABLES;

/** One document row to write: key and extra column values in DOC_TABLES order. */
export interface DocRow {
  keys: readonly string[];
  extras: readonly string[];
  doc: string;
  hash: string;
  /** Instant recorded as updated_at (and created_at when the key is new). */
  at: string;
}

/**
 * Document rows built on demand, so a backend can build the next chunk while the database is still
 * writing the previous one. row(i) is called once per index, in order.
 */
export interface DocRows {
  readonly length: number;
  row(index: number): DocRow;
}

export function docRows<T>(items: readonly T[], toRow: (item: T) => DocRow): DocRows {
  return { length: items.length, row: (index) => toRow(items[index]!) };
}

/** One EPSS score row to write. */
export interface EpssRow {
  cve: string;
  epss: number;
  percentile: number;
  scoreDate: string;
  modelVersion: string;
}

/** What a bulk write did: keys inserted and keys whose content was replaced. */
export interface WriteCounts {
  added: number;
  updated: number;
}
