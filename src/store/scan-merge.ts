/**
 * What a report does to the findings stored for one asset it covered (same scanner and scope):
 * - a finding seen again stays present, with its first sighting kept (re-detected when it had gone);
 * - a finding stored as present that this report lacks is gone, as of this report;
 * - nothing changes because of a report older than what is stored for a finding (imported late).
 */
import { byFingerprint, type CoverageEntry } from "./scan-encode.js";

export interface MergeCounts {
  added: number;
  updated: number;
  unchanged: number;
  stale: number;
  /** Fingerprints back after having gone. */
  redetected: string[];
  /** Fingerprints gone with this report. */
  gone: string[];
}

/** Equality of two values read from JSON (key order aside), without writing either out again. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
  return true;
}

export function emptyMergeCounts(): MergeCounts {
  return { added: 0, updated: 0, unchanged: 0, stale: 0, redetected: [], gone: [] };
}

/**
 * Merges the report's entries for one asset (all present, seen at reportTime) into the stored ones.
 * Returns the entries to store, ordered by fingerprint; adds to `counts`.
 */
export function mergeCoverage(
  stored: readonly CoverageEntry[],
  incoming: readonly CoverageEntry[],
  reportTime: string,
  report: string,
  counts: MergeCounts,
): CoverageEntry[] {
  const before = new Map(stored.map((e) => [e.finding.fingerprint, e]));
  const out = new Map<string, CoverageEntry>();
  for (const next of incoming) {
    const fp = next.finding.fingerprint;
    const prior = before.get(fp);
    if (!prior) {
      counts.added++;
      out.set(fp, next);
      continue;
    }
    if (prior.lastSeen > reportTime) {
      counts.stale++;
      out.set(fp, prior);
      continue;
    }
    const back = prior.state === "gone";
    if (back) counts.redetected.push(fp);
    if (back || !sameJson(prior.finding, next.finding)) counts.updated++;
    else counts.unchanged++;
    out.set(fp, {
      state: "present",
      firstSeen: prior.firstSeen,
      lastSeen: reportTime,
      lastReport: report,
      finding: next.finding,
    });
  }
  for (const [fp, prior] of before) {
    if (out.has(fp)) continue;
    if (prior.state === "present" && prior.lastSeen <= reportTime) {
      counts.gone.push(fp);
      out.set(fp, { ...prior, state: "gone", goneAt: reportTime, goneReport: report });
    } else {
      out.set(fp, prior);
    }
  }
  return [...out.values()].sort((a, b) => byFingerprint(a.finding, b.finding));
}
