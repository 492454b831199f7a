/**
 * How the store keeps a scanner's findings: one row per scanner × scope × asset, holding every
 * finding ever reported there as a compressed JSON list of entries. A re-scan compares and rewrites
 * whole assets, which is exactly what the rule "absent only counts for an asset the report covered"
 * asks for, and a million findings make ten thousand rows instead of a million.
 *
 * Encoding is pure and needs no database, so ingest can run it in worker threads while the main
 * thread writes.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";
import { sightingsOf } from "../core/scan/sightings.js";
import type { ScanFinding, ScanReport, ScanReportHead, Sighting } from "../core/scan/types.js";

/** One finding as kept for a scanner × scope × asset. */
export interface CoverageEntry {
  state: "present" | "gone";
  firstSeen: string;
  lastSeen: string;
  /** sha256 of the report that last listed it. */
  lastReport: string;
  goneAt?: string;
  goneReport?: string;
  finding: ScanFinding;
}

/** The findings one report has on one asset, encoded as entries first seen in that report. */
export interface EncodedCoverage {
  asset: string;
  findings: number;
  blob: Uint8Array;
}

/** A report ready for the store: its head, its findings encoded per asset, and what it still sees. */
export interface EncodedScan {
  head: ScanReportHead;
  findings: number;
  coverage: EncodedCoverage[];
  sightings: Sighting[];
}

/** What an entry says besides its finding. */
export type EntryFields = Omit<CoverageEntry, "finding">;

/**
 * A row as stored (JSON, brotli-compressed): the fields most of its entries share are written once, in
 * `base`, and `changes` holds, by position, only what an entry has otherwise. A report's findings
 * all share them, so a fresh row is just its findings.
 */
interface StoredRow {
  v: 2;
  base?: Pick<CoverageEntry, "state" | "firstSeen" | "lastSeen" | "lastReport">;
  findings: ScanFinding[];
  changes?: Record<string, Partial<EntryFields>>;
}

const SHARED = ["state", "firstSeen", "lastSeen", "lastReport"] as const;
const OWN = ["goneAt", "goneReport"] as const;

/** The row of findings first seen together: every entry present, seen at `at` in `report`. */
export function encodeFresh(findings: readonly ScanFinding[], at: string, report: string): Uint8Array {
  const row: StoredRow = {
    v: 2,
    base: { state: "present", firstSeen: at, lastSeen: at, lastReport: report },
    findings: findings as ScanFinding[],
  };
  return compressText(JSON.stringify(row));
}

/** What an entry has other than the row's shared fields, or undefined when nothing. */
function ownFields(e: CoverageEntry, base: NonNullable<StoredRow["base"]>): Partial<EntryFields> | undefined {
  const own: Partial<EntryFields> = {};
  let any = false;
  for (const k of SHARED) {
    if (e[k] !== base[k]) {
      Object.assign(own, { [k]: e[k] });
      any = true;
    }
  }
  for (const k of OWN) {
    if (e[k] !== undefined) {
      own[k] = e[k];
      any = true;
    }
  }
  return any ? own : undefined;
}

export function encodeEntries(entries: readonly CoverageEntry[]): Uint8Array {
  const first = entries.find((e) => e.state === "present") ?? entries[0];
  const row: StoredRow = { v: 2, findings: entries.map((e) => e.finding) };
  if (first) {
    const base = {
      state: first.state,
      firstSeen: first.firstSeen,
      lastSeen: first.lastSeen,
      lastReport: first.lastReport,
    };
    row.base = base;
    const changes: Record<string, Partial<EntryFields>> = {};
    let changed = false;
    entries.forEach((e, i) => {
      const own = ownFields(e, base);
      if (own) {
        changes[i] = own;
        changed = true;
      }
    });
    if (changed) row.changes = changes;
  }
  return compressText(JSON.stringify(row));
}

export function decodeEntries(blob: Uint8Array): CoverageEntry[] {
  const row = JSON.parse(brotliDecompressSync(blob).toString("utf8")) as StoredRow;
  const { base, findings, changes } = row;
  if (row.v !== 2 || !Array.isArray(findings)) throw new Error("a stored row of findings in an unknown form");
  if (findings.length === 0) return [];
  if (!base) throw new Error("a stored row of findings without its shared fields");
  const out: CoverageEntry[] = new Array(findings.length);
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as ScanFinding;
    const own = changes?.[i];
    out[i] = own
      ? { ...base, ...own, finding }
      : {
          state: base.state,
          firstSeen: base.firstSeen,
          lastSeen: base.lastSeen,
          lastReport: base.lastReport,
          finding,
        };
  }
  return out;
}

/** Brotli at its second-fastest setting: faster than deflate's fastest here, and smaller. */
function compressText(text: string): Uint8Array {
  const bytes = Buffer.from(text, "utf8");
  const out = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  // A copy of exactly the output, so that moving it to another thread moves nothing else.
  return new Uint8Array(out);
}

/**
 * Encodes a report for the store: every asset it covered gets the entries of its findings, as if
 * seen for the first time at the report's time (the store merges them with what it had). A report
 * without a time of its own is dated by its import.
 */
export function encodeScan(report: ScanReport, sha256: string, importedAt: string): EncodedScan {
  const { findings, ...head } = report;
  const reportTime = report.reportTime ?? importedAt;
  const byAsset = new Map<string, ScanFinding[]>();
  for (const a of report.assets) byAsset.set(a.key, []);
  for (const finding of [...findings].sort(byFingerprint)) {
    let list = byAsset.get(finding.asset);
    if (!list) {
      list = [];
      byAsset.set(finding.asset, list);
    }
    list.push(finding);
  }
  const coverage: EncodedCoverage[] = [];
  for (const [asset, list] of byAsset) {
    coverage.push({ asset, findings: list.length, blob: encodeFresh(list, reportTime, sha256) });
  }
  return { head, findings: findings.length, coverage, sightings: sightingsOf(findings) };
}

/** Orders findings (or entries) by fingerprint, the order a coverage row keeps them in. */
export function byFingerprint(a: { fingerprint: string }, b: { fingerprint: string }): number {
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

/** The key of a scanner × scope × asset row, or of a finding (scanner, scope, fingerprint). */
export function scopedKey(scanner: string, scope: string, id: string): string {
  return `${scanner}\u001f${scope}\u001f${id}`;
}
