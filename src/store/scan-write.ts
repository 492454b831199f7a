/**
 * Writing scanner reports inside the caller's transaction, many at a time. Reports are compared in
 * file order, each with what the store holds and what the reports before it in the same call said,
 * and the rows are then written with a handful of statements per call instead of several per report:
 * - the report itself, keyed by the sha256 of its file, so the same file again changes nothing;
 * - the assets it covered (their last description wins);
 * - its findings, one row per scanner × scope × asset (scan-encode.ts), merged with what the same
 *   scanner and scope said before about that asset (scan-merge.ts). When the report's findings on
 *   the asset are byte for byte the ones the row holds as present, nothing needs decoding: the row
 *   is only marked as seen again.
 */
import { otherCounts } from "../core/scan/builder.js";
import type { Writer } from "./backend.js";
import { rawIn, rawInsert, rawRun } from "./raw.js";
import {
  type CoverageEntry,
  decodeCoverage,
  type EncodedScan,
  encodeCoverage,
  freshEntries,
  freshStates,
  lastSeenTogether,
  scopedKey,
} from "./scan-encode.js";
import { emptyMergeCounts, mergeCoverage } from "./scan-merge.js";
import type { ScanImportCounts, ScanReportSummary } from "./scans.js";
import type { ScanCoverageTable } from "./schema.js";
import type { ImportMeta } from "./types.js";

export interface ScanEntry {
  scan: EncodedScan;
  meta: ImportMeta;
}

const REPORT_COLUMNS = ["id", "file", "format", "scanner", "scope", "report_time", "imported_at", "doc"];
const ASSET_COLUMNS = ["asset_key", "last_seen", "doc"];
const SAVE_ASSET_TAIL =
  " on conflict (asset_key) do update set last_seen = excluded.last_seen, doc = excluded.doc";
const COVERAGE_COLUMNS = [
  "key",
  "scanner",
  "scope",
  "asset_key",
  "last_seen",
  "last_report",
  "present",
  "gone",
  "findings",
  "states",
  "gone_findings",
];
const UPDATE_COVERAGE =
  "update scan_coverage set last_seen = ?, last_report = ?, present = ?, gone = ?, findings = ?, states = ?, gone_findings = ? where key = ?";
const TOUCH_COVERAGE = "update scan_coverage set last_seen = ?, last_report = ? where key = ?";

/** What is known of one scanner × scope × asset while the call runs. */
interface Coverage {
  key: string;
  scanner: string;
  scope: string;
  asset: string;
  lastSeen: string;
  lastReport: string;
  /** Stored before this call: written back with an update, otherwise inserted. */
  stored: boolean;
  /** Findings changed by this call. */
  dirty: boolean;
  /** Seen again by this call with the same findings: only lastSeen and lastReport change. */
  touched: boolean;
  /** The findings as stored (read, or as the report brought them), until a merge decodes them. */
  encoded?: { findings: Uint8Array; states: string; goneFindings: Uint8Array | null };
  entries?: CoverageEntry[];
  present: number;
  gone: number;
}

/**
 * True when a report's findings on an asset (encoded) are exactly the row's present ones, each last
 * seen in the row's latest report: then merging would change nothing but when the row was last seen.
 */
function seenAgain(row: Coverage, blob: Uint8Array): boolean {
  const e = row.encoded;
  return e !== undefined && bytes(e.findings).equals(blob) && lastSeenTogether(e.states);
}

/** Every entry of the row, decoded from what is stored unless a merge in this call decoded it. */
function entriesOf(row: Coverage): CoverageEntry[] {
  if (row.entries) return row.entries;
  const { lastSeen, lastReport } = row;
  return row.encoded ? decodeCoverage({ ...row.encoded, lastSeen, lastReport }) : [];
}

/** Bytes as the database driver binds them. */
function bytes(blob: Uint8Array): Buffer {
  return Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
}

/** Writes the reports in order; returns what each did. Throws when the database refuses a row. */
export async function writeScans(w: Writer, list: readonly ScanEntry[]): Promise<ScanImportCounts[]> {
  const ids = [...new Set(list.map((e) => e.meta.sha256))];
  const known = new Set(
    (await rawIn<{ id: string }>(w, "select id from scan_reports", "id", ids)).map((r) => r.id),
  );
  const coverage = await priorCoverage(w, list, known);

  const reports: unknown[][] = [];
  const assets = new Map<string, unknown[]>();
  const out: ScanImportCounts[] = [];
  for (const { scan, meta } of list) {
    const { head } = scan;
    const merged = emptyMergeCounts();
    const counts: ScanImportCounts = {
      findings: scan.findings,
      duplicates: head.duplicates,
      assets: head.assets.length,
      ...merged,
      seenBefore: false,
    };
    out.push(counts);
    if (known.has(meta.sha256)) {
      counts.seenBefore = true;
      counts.unchanged = scan.findings;
      continue;
    }
    known.add(meta.sha256);
    const scope = head.scope ?? "";
    const reportTime = head.reportTime ?? meta.importedAt;
    reports.push([
      meta.sha256,
      meta.file,
      meta.format,
      head.scanner,
      scope,
      reportTime,
      meta.importedAt,
      JSON.stringify(summaryOf(scan, meta, scope, reportTime)),
    ]);
    for (const a of head.assets) assets.set(a.key, [a.key, reportTime, JSON.stringify(a)]);
    for (const c of scan.coverage) {
      const key = scopedKey(head.scanner, scope, c.asset);
      const before = coverage.get(key);
      if (!before) {
        merged.added += c.findings;
        coverage.set(key, {
          key,
          scanner: head.scanner,
          scope,
          asset: c.asset,
          lastSeen: reportTime,
          lastReport: meta.sha256,
          stored: false,
          dirty: true,
          touched: false,
          encoded: { findings: c.blob, states: freshStates(reportTime), goneFindings: null },
          present: c.findings,
          gone: 0,
        });
        continue;
      }
      if (seenAgain(before, c.blob)) {
        // The same findings: each stays present with its first sighting, last seen in this report,
        // unless the row was last seen in a later report (this one was imported late).
        if (before.lastSeen > reportTime) merged.stale += c.findings;
        else {
          merged.unchanged += c.findings;
          Object.assign(before, { lastSeen: reportTime, lastReport: meta.sha256, touched: true });
        }
        continue;
      }
      const entries = mergeCoverage(
        entriesOf(before),
        freshEntries(c.blob, reportTime, meta.sha256),
        reportTime,
        meta.sha256,
        merged,
      );
      const later = before.lastSeen > reportTime;
      Object.assign(before, {
        lastSeen: later ? before.lastSeen : reportTime,
        lastReport: later ? before.lastReport : meta.sha256,
        dirty: true,
        entries,
        encoded: undefined,
        present: entries.filter((e) => e.state === "present").length,
        gone: entries.filter((e) => e.state === "gone").length,
      });
    }
    Object.assign(counts, merged);
  }

  await rawInsert(w, "scan_reports", REPORT_COLUMNS, reports);
  await rawInsert(w, "scan_assets", ASSET_COLUMNS, [...assets.values()], SAVE_ASSET_TAIL);
  const inserts: unknown[][] = [];
  for (const c of coverage.values()) {
    if (!c.dirty) {
      if (c.touched) await rawRun(w, TOUCH_COVERAGE, [c.lastSeen, c.lastReport, c.key]);
      continue;
    }
    const e = c.encoded ?? encodeCoverage(c.entries ?? [], c.lastSeen, c.lastReport);
    const values = [
      c.lastSeen,
      c.lastReport,
      c.present,
      c.gone,
      bytes(e.findings),
      e.states,
      e.goneFindings && bytes(e.goneFindings),
    ];
    if (c.stored) await rawRun(w, UPDATE_COVERAGE, [...values, c.key]);
    else inserts.push([c.key, c.scanner, c.scope, c.asset, ...values]);
  }
  await rawInsert(w, "scan_coverage", COVERAGE_COLUMNS, inserts);
  return out;
}

/** What the store holds for the assets the new reports cover. */
async function priorCoverage(
  w: Writer,
  list: readonly ScanEntry[],
  known: ReadonlySet<string>,
): Promise<Map<string, Coverage>> {
  const keys = new Set<string>();
  for (const { scan, meta } of list) {
    if (known.has(meta.sha256)) continue;
    for (const c of scan.coverage) keys.add(scopedKey(scan.head.scanner, scan.head.scope ?? "", c.asset));
  }
  const rows = await rawIn<ScanCoverageTable>(
    w,
    "select key, scanner, scope, asset_key, last_seen, last_report, present, gone, findings, states, gone_findings from scan_coverage",
    "key",
    [...keys],
  );
  const out = new Map<string, Coverage>();
  for (const r of rows) {
    out.set(r.key, {
      key: r.key,
      scanner: r.scanner,
      scope: r.scope,
      asset: r.asset_key,
      lastSeen: r.last_seen,
      lastReport: r.last_report,
      stored: true,
      dirty: false,
      touched: false,
      encoded: { findings: r.findings, states: r.states, goneFindings: r.gone_findings },
      present: Number(r.present),
      gone: Number(r.gone),
    });
  }
  return out;
}

function summaryOf(
  scan: EncodedScan,
  meta: ImportMeta,
  scope: string,
  reportTime: string,
): ScanReportSummary {
  const { head } = scan;
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
  return summary;
}
