/**
 * How the store keeps a scanner's findings: one row per scanner × scope × asset, holding every
 * finding ever reported there as compressed JSON (StoredCoverage). A re-scan compares and rewrites
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

/** The findings one report has on one asset, encoded as a row's present findings (encodeFindings). */
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

/**
 * A row's findings as stored, beside its key columns (schema.ts). Present findings and gone ones are
 * kept apart, so that the present ones are stored exactly as a report's own encoding gives them and
 * a re-scan that finds the same can be told by comparing bytes, without decoding anything:
 * - `findings`: the present findings, in fingerprint order (encodeFindings);
 * - `states`: JSON saying when they were first seen, and by position what any of them has otherwise
 *   (a present finding is otherwise last seen in the row's latest report: `lastSeen`, `lastReport`);
 * - `goneFindings`: the gone entries, whole, in fingerprint order, or null when there are none.
 */
export interface StoredCoverage {
  lastSeen: string;
  lastReport: string;
  findings: Uint8Array;
  states: string;
  goneFindings: Uint8Array | null;
}

type Seen = Pick<CoverageEntry, "firstSeen" | "lastSeen" | "lastReport">;

interface PresentStates {
  firstSeen?: string;
  own?: Record<string, Partial<Seen>>;
}

/** The present findings of a row, or of one report on one asset, as stored. */
export function encodeFindings(findings: readonly ScanFinding[]): Uint8Array {
  return compressText(JSON.stringify(findings));
}

/** The states of findings all first seen, and last seen, in the row's latest report. */
export function freshStates(firstSeen: string): string {
  return JSON.stringify({ firstSeen } satisfies PresentStates);
}

/** True when every present finding was last seen in the row's latest report (see StoredCoverage). */
export function lastSeenTogether(states: string): boolean {
  const { own } = JSON.parse(states) as PresentStates;
  if (!own) return true;
  return Object.values(own).every((o) => o.lastSeen === undefined && o.lastReport === undefined);
}

function readJson<T>(blob: Uint8Array): T {
  return JSON.parse(brotliDecompressSync(blob).toString("utf8")) as T;
}

/** Findings as encodeFindings stored them. */
export function decodeFindings(blob: Uint8Array): ScanFinding[] {
  return readJson<ScanFinding[]>(blob);
}

/** The findings of one report on one asset as entries: present, first and last seen in it. */
export function freshEntries(blob: Uint8Array, at: string, report: string): CoverageEntry[] {
  return decodeFindings(blob).map((finding) => ({
    state: "present",
    firstSeen: at,
    lastSeen: at,
    lastReport: report,
    finding,
  }));
}

/** Every entry of a stored row, present and gone, in fingerprint order. */
export function decodeCoverage(row: StoredCoverage): CoverageEntry[] {
  const findings = decodeFindings(row.findings);
  const { firstSeen = row.lastSeen, own } = JSON.parse(row.states) as PresentStates;
  const present: CoverageEntry[] = findings.map((finding, i) => {
    const entry: CoverageEntry = {
      state: "present",
      firstSeen,
      lastSeen: row.lastSeen,
      lastReport: row.lastReport,
      finding,
    };
    const mine = own?.[i];
    return mine ? { ...entry, ...mine } : entry;
  });
  if (!row.goneFindings) return present;
  const gone = readJson<CoverageEntry[]>(row.goneFindings);
  return [...present, ...gone].sort((a, b) => byFingerprint(a.finding, b.finding));
}

/** Encodes a row's entries (in fingerprint order) for a row last seen at lastSeen in lastReport. */
export function encodeCoverage(
  entries: readonly CoverageEntry[],
  lastSeen: string,
  lastReport: string,
): Pick<StoredCoverage, "findings" | "states" | "goneFindings"> {
  const present = entries.filter((e) => e.state === "present");
  const gone = entries.filter((e) => e.state === "gone");
  const states: PresentStates = {};
  const first = present[0];
  if (first) {
    const firstSeen = first.firstSeen;
    states.firstSeen = firstSeen;
    const own: Record<string, Partial<Seen>> = {};
    let any = false;
    present.forEach((e, i) => {
      const mine: Partial<Seen> = {};
      if (e.firstSeen !== firstSeen) mine.firstSeen = e.firstSeen;
      if (e.lastSeen !== lastSeen) mine.lastSeen = e.lastSeen;
      if (e.lastReport !== lastReport) mine.lastReport = e.lastReport;
      if (Object.keys(mine).length > 0) {
        own[i] = mine;
        any = true;
      }
    });
    if (any) states.own = own;
  }
  return {
    findings: encodeFindings(present.map((e) => e.finding)),
    states: JSON.stringify(states),
    goneFindings: gone.length > 0 ? compressText(JSON.stringify(gone)) : null,
  };
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
 * Encodes a report for the store: every asset it covered gets its findings, in fingerprint order, as
 * a row's present findings are stored (the store merges them with what it had).
 */
export function encodeScan(report: ScanReport): EncodedScan {
  const { findings, ...head } = report;
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
    coverage.push({ asset, findings: list.length, blob: encodeFindings(list) });
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
