import type { Policy } from "../core/policy/types.js";
import type { ScanEvidence } from "../core/scan/assess.js";
import { indexAssets, mapAssets } from "../core/scan/match.js";
import type { ScanAsset } from "../core/scan/types.js";
import { type TriageResult, triage } from "../core/triage.js";
import type { Asset } from "../core/types.js";
import type { Store } from "../store/index.js";
import type { StoredFinding } from "../store/scans.js";

/** Stored scanner findings on assets the inventory knows, matched by the policy's keys. */
export function scanEvidence(
  stored: readonly StoredFinding[],
  scanned: readonly ScanAsset[],
  assets: readonly Asset[],
  policy: Policy,
): ScanEvidence[] {
  if (stored.length === 0) return [];
  const inventoryId = mapAssets(indexAssets(assets), scanned, policy.scanMatch).ids;
  const out: ScanEvidence[] = [];
  for (const s of stored) {
    const assetId = inventoryId.get(s.finding.asset);
    if (assetId === undefined) continue;
    const e: ScanEvidence = {
      assetId,
      scanner: s.scanner,
      state: s.state,
      lastSeen: s.lastSeen,
      finding: s.finding,
    };
    if (s.goneAt !== undefined) e.goneAt = s.goneAt;
    out.push(e);
  }
  return out;
}

/** Loads everything the core needs, decides and plans, and records the work items. */
export async function runTriage(store: Store, policy: Policy, now: string): Promise<TriageResult> {
  const [advisories, kev, assets, owners, startedAt, stored, scanned] = await Promise.all([
    store.advisoryRecords(),
    store.kevEntries(),
    store.assets(),
    store.owners(),
    store.workItemStarts(),
    store.scanFindings(),
    store.scanAssets(),
  ]);
  const scans = scanEvidence(stored, scanned, assets, policy);
  const ids = new Set<string>();
  for (const record of advisories) {
    ids.add(record.id);
    for (const alias of record.aliases) ids.add(alias);
  }
  for (const entry of kev) ids.add(entry.cveId);
  for (const e of scans) ids.add(e.finding.vulnId);
  const epss = await store.epssScores([...ids].filter((id) => id.startsWith("CVE-")));
  const result = triage({ now, policy, advisories, kev, epss, assets, owners, startedAt, scans });
  await store.saveWorkItems(result.workItems);
  return result;
}
