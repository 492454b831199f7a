import { basePolicy } from "../core/policy/defaults.js";
import type { Policy } from "../core/policy/types.js";
import { otherCounts } from "../core/scan/builder.js";
import { type AssetIndex, indexAssets, mapAssets } from "../core/scan/match.js";
import type { ScanAsset } from "../core/scan/types.js";
import { isPatchlineError } from "../errors.js";
import type { FeedFormat } from "../ingest/types.js";
import type { ImportMeta, Store } from "../store/index.js";
import type { EncodedScan } from "../store/scan-encode.js";
import type { ScanImportCounts, ScanReportSummary } from "../store/scans.js";
import { openReader, type Reader, weightOf } from "./ingest-pool.js";
import { type ReadOptions, readInput } from "./ingest-read.js";
import { applyRescan, loadTracked, type RescanOutcome, type Tracked } from "./rescan.js";
import { securityActor } from "./track/actor.js";

/** What ingest reports for a scanner report, beyond the counts every file has. */
export interface ScanFileResult {
  scanner: string;
  reportTime?: string;
  scope?: string;
  /** Findings read (after merging duplicates) and the duplicates merged into them. */
  findings: number;
  duplicates: number;
  /** Assets the report covered, and those that match no inventory asset (listed, not dropped). */
  assets: number;
  unknownAssets: { asset: string; reason: string }[];
  /** Items that are not vulnerabilities, per kind (misconfiguration, secret, licence, …). */
  other: Record<string, number>;
  /** SBOM components listed. */
  components: number;
  /** Findings gone since an earlier report of the same scanner and scope covered their asset. */
  gone: number;
  redetected: number;
  /** Findings older than what is stored (a report imported out of order): left alone. */
  stale: number;
  /** True when the same file had been imported before: nothing changed. */
  seenBefore: boolean;
  /** What the report did to tracked work items. */
  tracker: RescanOutcome;
}

export interface IngestFileResult {
  file: string;
  format: FeedFormat | null;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Present for scanner reports. */
  scan?: ScanFileResult;
  /** One-line errors naming the file and the place; empty when the import succeeded. */
  errors: string[];
}

/** A file to read, and the name to show for it in results and errors. */
export interface InputFile {
  path: string;
  name: string;
}

export interface IngestOptions {
  now: string;
  /** For scanner reports: how assets match the inventory, and the lanes' closure rules. */
  policy?: Policy;
  format?: FeedFormat;
  /** Called before each file starts, for progress display. */
  onFile?: (file: string, index: number, total: number) => void;
  /**
   * Worker threads that read and parse scanner reports ahead of the writes: a number, or "auto"
   * (the default: one per core, up to four, when there are enough files to pay for them); 0 reads
   * everything on this thread.
   */
  workers?: number | "auto";
}

/**
 * Scanner reports written together in one transaction (each still all or nothing on its own): up to
 * this many files, or this many findings, SBOM components and other items together.
 */
const GROUP_ITEMS = 20_000;
const GROUP_FILES = 250;

interface Pending {
  result: IngestFileResult;
  scan: EncodedScan;
  meta: ImportMeta;
}

function failed(result: IngestFileResult, error: unknown): void {
  if (!isPatchlineError(error)) throw error;
  const file = result.file;
  result.errors.push(error.place.file ? error.oneLine() : `${file}: ${error.oneLine()}`);
}

/**
 * Imports each file on its own: a file is imported whole or not at all, and one bad file does not
 * stop the others. Errors are returned per file, never thrown for content problems. Scanner reports
 * are read ahead of the writes (in worker threads when there are many) and written in groups, one
 * transaction with a savepoint per file; anything else is written in a transaction of its own.
 */
export async function ingestFiles(
  store: Store,
  files: readonly (string | InputFile)[],
  opts: IngestOptions,
): Promise<IngestFileResult[]> {
  const inputs = files.map((entry) => (typeof entry === "string" ? { path: entry, name: entry } : entry));
  const results: IngestFileResult[] = [];
  const session = new ScanSession(store, opts.policy ?? basePolicy(), opts.now);
  const readOpts: ReadOptions = {
    knownFormat: async (sha256) => (await store.scanReport(sha256))?.format,
    ...(opts.format ? { format: opts.format } : {}),
  };
  const reader = await openReader(store, inputs, readOpts, opts.workers ?? "auto");
  const summaries = new KnownReports(store, reader);
  let pending: Pending[] = [];
  let pendingItems = 0;
  // Writes the scanner reports read so far, then lets the tracker learn from each, in file order.
  const flush = async () => {
    if (pending.length === 0) return;
    const group = pending;
    pending = [];
    pendingItems = 0;
    let written: Awaited<ReturnType<Store["importScans"]>>;
    try {
      written = await store.importScans(group.map((p) => ({ scan: p.scan, meta: p.meta })));
    } catch (error) {
      for (const p of group) failed(p.result, error);
      return;
    }
    for (const [i, p] of group.entries()) {
      const outcome = written[i];
      try {
        if (outcome === undefined || !("records" in outcome)) throw outcome;
        const { scan, ...plain } = outcome;
        Object.assign(p.result, plain);
        if (scan) p.result.scan = await session.after(p.scan, p.meta.file, p.meta.sha256, scan);
      } catch (error) {
        failed(p.result, error);
      }
    }
  };
  try {
    for (const [index, { path, name: file }] of inputs.entries()) {
      opts.onFile?.(file, index, inputs.length);
      const result: IngestFileResult = {
        file,
        format: null,
        records: 0,
        added: 0,
        updated: 0,
        unchanged: 0,
        errors: [],
      };
      results.push(result);
      try {
        let read = await reader.read(index);
        // A worker leaves files that are not scanner reports to this thread.
        if (read.kind === "elsewhere") read = await readInput(path, file, readOpts);
        if (read.kind === "failed") throw read.error;
        if (read.kind === "elsewhere") throw new Error(`${file} was left to the main thread twice`);
        if (read.kind === "known") {
          const known = await summaries.take(read.sha256, index);
          if (!known) throw new Error(`the report imported from ${file} is no longer in the store`);
          result.format = known.format as FeedFormat;
          Object.assign(result, { records: known.findings, unchanged: known.findings });
          result.scan = await session.again(known);
          continue;
        }
        result.format = read.format;
        const meta: ImportMeta = { file, sha256: read.sha256, format: read.format, importedAt: opts.now };
        if (read.kind === "scan") {
          pending.push({ result, scan: read.scan, meta });
          pendingItems += weightOf(read.scan);
          if (pendingItems >= GROUP_ITEMS || pending.length >= GROUP_FILES) await flush();
          continue;
        }
        // Anything else is written after the reports before it, in its own transaction.
        await flush();
        const { scan: _none, ...plain } = await store.importBatch(read.batch, meta);
        Object.assign(result, plain);
        if (read.batch.kind === "assets" || read.batch.kind === "owners") session.forget();
      } catch (error) {
        failed(result, error);
      }
    }
    await flush();
  } finally {
    await reader.close();
  }
  return results;
}

/** Reports read ahead and recognised as imported before are looked up together: one query for many. */
const KNOWN_BATCH = 256;

class KnownReports {
  private readonly cache = new Map<string, ScanReportSummary>();

  constructor(
    private readonly store: Store,
    private readonly reader: Reader,
  ) {}

  /** The stored summary of the report at inputs[index], known by its sha256. */
  async take(sha256: string, index: number): Promise<ScanReportSummary | undefined> {
    if (!this.cache.has(sha256)) {
      const ids = new Set([sha256]);
      for (let i = index + 1; i < index + KNOWN_BATCH; i++) {
        const ahead = this.reader.peek(i);
        if (ahead?.kind === "known" && !this.cache.has(ahead.sha256)) ids.add(ahead.sha256);
      }
      for (const s of await this.store.scanReports([...ids])) this.cache.set(s.id, s);
    }
    const found = this.cache.get(sha256);
    this.cache.delete(sha256);
    return found;
  }
}

/**
 * What scanner imports in one run share: the inventory index and the security actor, read once (and
 * again after an inventory or owners file in the same run).
 */
class ScanSession {
  private index: AssetIndex | undefined;
  private actor: string | undefined;
  private tracked: Tracked | undefined;

  constructor(
    private readonly store: Store,
    private readonly policy: Policy,
    private readonly now: string,
  ) {}

  forget(): void {
    this.index = undefined;
    this.actor = undefined;
  }

  private async load(): Promise<{ index: AssetIndex; actor: string }> {
    if (this.index === undefined || this.actor === undefined) {
      const [assets, owners] = await Promise.all([this.store.assets(), this.store.owners()]);
      this.index = indexAssets(assets);
      this.actor = securityActor(owners, this.policy);
    }
    return { index: this.index, actor: this.actor };
  }

  private async map(assets: readonly ScanAsset[]) {
    const { index, actor } = await this.load();
    const { ids: assetIds, unknown: unknownAssets } = mapAssets(index, assets, this.policy.scanMatch);
    return { assetIds, unknownAssets, actor };
  }

  /** Maps the report's assets to the inventory, then lets the tracker learn from the report. */
  async after(
    encoded: EncodedScan,
    file: string,
    sha256: string,
    scan: ScanImportCounts,
  ): Promise<ScanFileResult> {
    const report = encoded.head;
    const { assetIds, unknownAssets, actor } = await this.map(report.assets);
    let tracker: RescanOutcome = { evidence: [], verified: [], reopened: [] };
    if (!scan.seenBefore) {
      this.tracked ??= await loadTracked(this.store);
      try {
        tracker = await applyRescan(this.store, this.policy, this.now, {
          report,
          sightings: encoded.sightings,
          file,
          sha256,
          assetIds,
          actor,
          tracked: this.tracked,
        });
      } catch (error) {
        // Someone else wrote to the tracker meanwhile: read it afresh for the next report.
        this.tracked = undefined;
        throw error;
      }
    }
    const result: ScanFileResult = {
      scanner: report.scanner,
      findings: encoded.findings,
      duplicates: report.duplicates,
      assets: report.assets.length,
      unknownAssets,
      other: otherCounts(report),
      components: report.components.length,
      gone: scan.gone.length,
      redetected: scan.redetected.length,
      stale: scan.stale,
      seenBefore: scan.seenBefore,
      tracker,
    };
    if (report.reportTime !== undefined) result.reportTime = report.reportTime;
    if (report.scope !== undefined) result.scope = report.scope;
    return result;
  }

  /** The result for a report imported before, from what the store kept of it. */
  async again(known: ScanReportSummary): Promise<ScanFileResult> {
    const { unknownAssets } = await this.map(known.assets);
    const result: ScanFileResult = {
      scanner: known.scanner,
      findings: known.findings,
      duplicates: known.duplicates,
      assets: known.assets.length,
      unknownAssets,
      other: known.other,
      components: known.components.length,
      gone: 0,
      redetected: 0,
      stale: 0,
      seenBefore: true,
      tracker: { evidence: [], verified: [], reopened: [] },
    };
    // The same fields, in the same order, as for a report read afresh.
    if (!known.timeFromImport) result.reportTime = known.reportTime;
    if (known.scope !== "") result.scope = known.scope;
    return result;
  }
}
