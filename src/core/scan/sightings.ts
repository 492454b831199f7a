import { REPORT_STATUSES, type ReportStatus, type ScanFinding, type Sighting } from "./types.js";

/** Statuses that mean the report still sees the vulnerability on the asset: all but "not there". */
export const STILL_THERE: ReadonlySet<ReportStatus> = new Set(
  REPORT_STATUSES.filter((s) => s !== "not_affected" && s !== "resolved"),
);

/** Per asset, the ids of the vulnerabilities the report still sees there, in first-seen order. */
export function sightingsOf(findings: readonly ScanFinding[]): Sighting[] {
  const byAsset = new Map<string, Set<string>>();
  for (const f of findings) {
    if (!STILL_THERE.has(f.status)) continue;
    let ids = byAsset.get(f.asset);
    if (!ids) {
      ids = new Set();
      byAsset.set(f.asset, ids);
    }
    ids.add(f.vulnId.toUpperCase());
    for (const alias of f.aliases) ids.add(alias.toUpperCase());
  }
  return [...byAsset].map(([asset, ids]) => ({ asset, ids: [...ids] }));
}
