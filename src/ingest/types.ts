/**
 * What every parser returns: normalised records, fully validated before anything is written,
 * so an import is all or nothing. A parser that meets bad input throws a PatchlineError
 * (code PARSE_ERROR or VALIDATION_ERROR) whose place names the file and the line or JSON path.
 */
import type { ScanReport } from "../core/scan/types.js";
import type { AdvisoryRecord, Asset, EpssScore, KevEntry, Owner } from "../core/types.js";
import type { ScanImportCounts } from "../store/scans.js";
import type { ReportFormat } from "./formats.js";

export type FeedFormat =
  | ReportFormat
  | "kev-json"
  | "kev-csv"
  | "epss-csv"
  | "cve5"
  | "csaf"
  | "inventory-csv"
  | "inventory-json"
  | "owners-csv"
  | "owners-json";

export type ParsedBatch =
  | { kind: "kev"; catalogVersion?: string; released?: string; entries: KevEntry[] }
  | { kind: "epss"; modelVersion: string; scoreDate: string; scores: EpssScore[] }
  | { kind: "advisories"; records: AdvisoryRecord[] }
  | { kind: "assets"; assets: Asset[] }
  | { kind: "owners"; owners: Owner[] }
  | { kind: "scan"; report: ScanReport };

export interface ParseInput {
  /** Path on disk to read (streamed when large). */
  path: string;
  /** The name to use in messages: the path as the user typed it. */
  displayName: string;
  /** The file's bytes, when the caller has read them already (then `path` is not read again). */
  content?: Buffer;
}

export type Parser = (input: ParseInput) => Promise<ParsedBatch>;

/** Counts that ingest reports per file. */
export interface ImportCounts {
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  /** For a scanner report: what the comparison with earlier reports found. */
  scan?: ScanImportCounts;
}
