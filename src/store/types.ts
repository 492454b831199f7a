/**
 * The store's public contract: what the CLI and the use cases call.
 */

import type { ScanAsset } from "../core/scan/types.js";
import type { CaseRecord, ItemRecord, ItemState, TrackEvent } from "../core/track/types.js";
import type { AdvisoryRecord, Asset, EpssScore, KevEntry, Owner, WorkItem } from "../core/types.js";
import type { PatchlineError } from "../errors.js";
import type { FeedFormat, ImportCounts, ParsedBatch } from "../ingest/types.js";
import type { EncodedScan } from "./scan-encode.js";
import type { FindingFilter, ScanReportSummary, StoredFinding } from "./scans.js";

export interface ImportMeta {
  /** The file as the user named it. */
  file: string;
  /** sha256 (hex) of the file's bytes. */
  sha256: string;
  format: FeedFormat;
  /** UTC instant of the import, ISO 8601. */
  importedAt: string;
}

export interface ImportLogEntry {
  file: string;
  sha256: string;
  format: string;
  importedAt: string;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
}

export interface SaveCounts {
  added: number;
  updated: number;
  unchanged: number;
}

/** One problem `audit verify` found in a work item's event chain. */
export interface AuditProblem {
  workItemId: string;
  /** The first event (position in the chain) the problem concerns. */
  seq: number;
  reason: string;
}

export interface AuditReport {
  /** Work items checked (each with its chain of events, its record, or both). */
  chains: number;
  events: number;
  problems: AuditProblem[];
}

/** A whole tracker history written at once (seeding, restore): no concurrency check, inserts only. */
export interface TrackHistory {
  cases?: readonly CaseRecord[];
  /** Complete chains: every event of each work item named, seq 1…n, with its record in `records`. */
  events: readonly TrackEvent[];
  records: readonly ItemRecord[];
}

/** The tracker's record: cases, append-only events and the projection kept beside them. */
export interface AppendEntry {
  workItemId: string;
  expectedVersion: number;
  events: readonly TrackEvent[];
  record: ItemRecord;
}

export interface TrackStore {
  /** Inserts or replaces a case by id. */
  saveCase(c: CaseRecord): Promise<void>;
  cases(): Promise<CaseRecord[]>;
  caseById(id: string): Promise<CaseRecord | undefined>;
  /**
   * Appends events to one work item and replaces its record, in ONE transaction. The stored
   * version must equal expectedVersion (0: no record yet), else CONFLICT and nothing is written.
   * Events carry seq expectedVersion+1…, prevHash and hash already (see core/track/hash.ts);
   * record.version and record.lastHash must match the last of them (VALIDATION_ERROR otherwise).
   */
  appendEvents(
    workItemId: string,
    expectedVersion: number,
    events: readonly TrackEvent[],
    record: ItemRecord,
  ): Promise<void>;
  /**
   * appendEvents for many work items in ONE transaction (a re-scan recording evidence on every item
   * it covers, a bulk import): all are written or none. The first stale version fails the whole
   * batch with CONFLICT naming that work item. A work item may appear once per batch.
   */
  appendBatch(entries: readonly AppendEntry[]): Promise<void>;
  /** Every event of one work item, in seq order. */
  events(workItemId: string): Promise<TrackEvent[]>;
  itemRecord(workItemId: string): Promise<ItemRecord | undefined>;
  /**
   * Records ordered by work-item id, optionally of one case, in the given states and/or with the given
   * work-item ids (keep an id list to a few hundred per call).
   */
  itemRecords(filter?: {
    caseId?: string;
    states?: readonly ItemState[];
    ids?: readonly string[];
  }): Promise<ItemRecord[]>;
  /** Walks every event chain page by page and checks it against its record. */
  auditVerify(): Promise<AuditReport>;
  /** Bulk-inserts complete histories in one transaction (chains are checked for seq and links, not rehashed). */
  loadTrackHistory(history: TrackHistory): Promise<{ cases: number; events: number; records: number }>;
}

export interface Store extends TrackStore {
  readonly kind: "sqlite" | "postgres";
  /** Writes a parsed file in ONE transaction: all of it or nothing. */
  importBatch(batch: ParsedBatch, meta: ImportMeta): Promise<ImportCounts>;
  /**
   * Writes many scanner reports (encoded with encodeScan) in one transaction, each in its own savepoint: a report that fails is
   * rolled back alone (its slot holds the error), the others are written, in order.
   */
  importScans(
    entries: readonly { scan: EncodedScan; meta: ImportMeta }[],
  ): Promise<(ImportCounts | PatchlineError)[]>;
  advisoryRecords(): Promise<AdvisoryRecord[]>;
  kevEntries(): Promise<KevEntry[]>;
  /** Version and release instant of the last KEV catalog imported that stated them. */
  kevCatalog(): Promise<{ catalogVersion?: string; released?: string } | undefined>;
  /** Every stored score, or only those of the given CVE ids. */
  epssScores(cves?: readonly string[]): Promise<Map<string, EpssScore>>;
  assets(): Promise<Asset[]>;
  owners(): Promise<Owner[]>;
  /** Upserts work items by id; an item whose content differs only in plannedAt is unchanged. */
  saveWorkItems(items: readonly WorkItem[]): Promise<SaveCounts>;
  workItems(): Promise<WorkItem[]>;
  workItem(id: string): Promise<WorkItem | undefined>;
  /** The work items with these ids (in no particular order; unknown ids are skipped). */
  workItemsByIds(ids: readonly string[]): Promise<WorkItem[]>;
  /** First-planned instant per work-item id (so deadlines do not slide on re-triage). */
  workItemStarts(): Promise<Map<string, string>>;
  /** Scanner findings as stored (present, gone, or all), narrowed by vulnerability, scanner or asset. */
  scanFindings(filter?: FindingFilter): Promise<StoredFinding[]>;
  /**
   * Visits the stored findings that pass the filter a page at a time (memory stays small), ordered
   * by scanner, scope and asset, then fingerprint; returns how many were visited.
   */
  eachScanFinding(
    filter: FindingFilter,
    visit: (finding: StoredFinding) => void | Promise<void>,
  ): Promise<number>;
  /** Every asset a scanner has named, as last described. */
  scanAssets(): Promise<ScanAsset[]>;
  /** Imported scanner reports (all, or those with these sha256 ids), oldest report time first. */
  scanReports(ids?: readonly string[]): Promise<ScanReportSummary[]>;
  /** The sha256 and format of every scanner report imported. */
  knownScanReports(): Promise<Map<string, string>>;
  /** The scanner report imported from a file with this sha256, if any. */
  scanReport(sha256: string): Promise<ScanReportSummary | undefined>;
  /** The import log, oldest first. */
  imports(): Promise<ImportLogEntry[]>;
  close(): Promise<void>;
}
