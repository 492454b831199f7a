/**
 * The store's public contract: what the CLI and the use cases call.
 */
import type { AdvisoryRecord, Asset, EpssScore, KevEntry, Owner, WorkItem } from "../core/types.js";
import type { FeedFormat, ImportCounts, ParsedBatch } from "../ingest/types.js";

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

export interface Store {
  readonly kind: "sqlite" | "postgres";
  /** Writes a parsed file in ONE transaction: all of it or nothing. */
  importBatch(batch: ParsedBatch, meta: ImportMeta): Promise<ImportCounts>;
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
  /** First-planned instant per work-item id (so deadlines do not slide on re-triage). */
  workItemStarts(): Promise<Map<string, string>>;
  /** The import log, oldest first. */
  imports(): Promise<ImportLogEntry[]>;
  close(): Promise<void>;
}
