import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basePolicy } from "../core/policy/defaults.js";
import type { Policy } from "../core/policy/types.js";
import { otherCounts } from "../core/scan/builder.js";
import { type AssetIndex, indexAssets, matchAsset } from "../core/scan/match.js";
import type { ScanAsset, ScanReport } from "../core/scan/types.js";
import { isPatchlineError, PatchlineError } from "../errors.js";
import { parseFile } from "../ingest/detect.js";
import type { FeedFormat } from "../ingest/types.js";
import type { ImportMeta, Store } from "../store/index.js";
import type { ScanImportCounts, ScanReportSummary } from "../store/scans.js";
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
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function ensureReadable(path: string, file: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new PatchlineError("INPUT_NOT_FOUND", "no such file", { file });
  }
  if (!info.isFile()) throw new PatchlineError("INPUT_UNREADABLE", "not a regular file", { file });
}

/**
 * Imports each file in its own transaction: a file is imported whole or not at all, and one bad
 * file does not stop the others. Errors are returned per file, never thrown for content problems.
 */
/** Scanner reports written together in one transaction (each still all or nothing on its own). */
const GROUP_FINDINGS = 20_000;
const GROUP_FILES = 250;

interface Pending {
  result: IngestFileResult;
  report: ScanReport;
  meta: ImportMeta;
}

function failed(result: IngestFileResult, error: unknown): void {
  if (!isPatchlineError(error)) throw error;
  const file = result.file;
  result.errors.push(error.place.file ? error.oneLine() : `${file}: ${error.oneLine()}`);
}

export async function ingestFiles(
  store: Store,
  files: readonly (string | InputFile)[],
  opts: IngestOptions,
): Promise<IngestFileResult[]> {
  const results: IngestFileResult[] = [];
  const session = new ScanSession(store, opts.policy ?? basePolicy(), opts.now);
  let pending: Pending[] = [];
  let pendingFindings = 0;
  // Writes the scanner reports read so far, then lets the tracker learn from each, in file order.
  const flush = async () => {
    if (pending.length === 0) return;
    const group = pending;
    pending = [];
    pendingFindings = 0;
    let written: Awaited<ReturnType<Store["importScans"]>>;
    try {
      written = await store.importScans(group.map((p) => ({ report: p.report, meta: p.meta })));
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
        if (scan) p.result.scan = await session.after(p.report, p.meta.file, p.meta.sha256, scan);
      } catch (error) {
        failed(p.result, error);
      }
    }
  };
  for (const [index, entry] of files.entries()) {
    const { path, name: file } = typeof entry === "string" ? { path: entry, name: entry } : entry;
    opts.onFile?.(file, index, files.length);
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
      await ensureReadable(path, file);
      const sha256 = await sha256Of(path);
      // A scanner report imported before is not read again: nothing in it can change anything.
      const known = await store.scanReport(sha256);
      if (known && (opts.format === undefined || opts.format === known.format)) {
        result.format = known.format as FeedFormat;
        Object.assign(result, { records: known.findings, unchanged: known.findings });
        result.scan = await session.again(known);
        continue;
      }
      const { format, batch } = await parseFile({ path, displayName: file }, opts.format);
      result.format = format;
      const meta: ImportMeta = { file, sha256, format, importedAt: opts.now };
      if (batch.kind === "scan") {
        pending.push({ result, report: batch.report, meta });
        pendingFindings += batch.report.findings.length;
        if (pendingFindings >= GROUP_FINDINGS || pending.length >= GROUP_FILES) await flush();
        continue;
      }
      // Anything else is written after the reports before it, in its own transaction.
      await flush();
      const { scan: _none, ...plain } = await store.importBatch(batch, meta);
      Object.assign(result, plain);
      if (batch.kind === "assets" || batch.kind === "owners") session.forget();
    } catch (error) {
      failed(result, error);
    }
  }
  await flush();
  return results;
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
    const assetIds = new Map<string, string>();
    const unknownAssets: { asset: string; reason: string }[] = [];
    for (const asset of assets) {
      const match = matchAsset(index, asset, this.policy.scanMatch);
      if (match.assetId !== undefined) assetIds.set(asset.key, match.assetId);
      else unknownAssets.push({ asset: asset.key, reason: match.reason });
    }
    return { assetIds, unknownAssets, actor };
  }

  /** Maps the report's assets to the inventory, then lets the tracker learn from the report. */
  async after(
    report: ScanReport,
    file: string,
    sha256: string,
    scan: ScanImportCounts,
  ): Promise<ScanFileResult> {
    const { assetIds, unknownAssets, actor } = await this.map(report.assets);
    let tracker: RescanOutcome = { evidence: [], verified: [], reopened: [] };
    if (!scan.seenBefore) {
      this.tracked ??= await loadTracked(this.store);
      try {
        tracker = await applyRescan(this.store, this.policy, this.now, {
          report,
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
      findings: report.findings.length,
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
      reportTime: known.reportTime,
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
    if (known.scope !== "") result.scope = known.scope;
    return result;
  }
}
