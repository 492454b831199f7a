/**
 * How the store keeps a scanner's findings: one row per scanner × scope × asset, holding every
 * finding ever reported there as a deflated JSON list of entries. A re-scan compares and rewrites
 * whole assets, which is exactly what the rule "absent only counts for an asset the report covered"
 * asks for, and a million findings make ten thousand rows instead of a million.
 *
 * Encoding is pure and needs no database, so ingest can run it in worker threads while the main
 * thread writes.
 */
import { deflateSync, inflateSync } from "node:zlib";
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

export function encodeEntries(entries: readonly CoverageEntry[]): Uint8Array {
  return deflateText(JSON.stringify(entries));
}

export function decodeEntries(blob: Uint8Array): CoverageEntry[] {
  return JSON.parse(inflateSync(blob).toString("utf8")) as CoverageEntry[];
}

function deflateText(text: string): Uint8Array {
  // A copy of exactly the output, so that moving it to another thread moves nothing else.
  return new Uint8Array(deflateSync(text, { level: 1 }));
}

/**
 * Encodes a report for the store: every asset it covered gets the entries of its findings, as if
 * seen for the first time at the report's time (the store merges them with what it had). A report
 * without a time of its own is dated by its import.
 */
export function encodeScan(report: ScanReport, sha256: string, importedAt: string): EncodedScan {
  const { findings, ...head } = report;
  const reportTime = report.reportTime ?? importedAt;
  const byAsset = new Map<string, CoverageEntry[]>();
  for (const a of report.assets) byAsset.set(a.key, []);
  for (const finding of [...findings].sort(byFingerprint)) {
    let list = byAsset.get(finding.asset);
    if (!list) {
      list = [];
      byAsset.set(finding.asset, list);
    }
    list.push({ state: "present", firstSeen: reportTime, lastSeen: reportTime, lastReport: sha256, finding });
  }
  const coverage: EncodedCoverage[] = [];
  for (const [asset, list] of byAsset) {
    coverage.push({ asset, findings: list.length, blob: encodeEntries(list) });
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
