import type { Policy } from "../core/policy/types.js";
import { type TriageResult, triage } from "../core/triage.js";
import type { Store } from "../store/index.js";

/** Loads everything the core needs, decides and plans, and records the work items. */
export async function runTriage(store: Store, policy: Policy, now: string): Promise<TriageResult> {
  const [advisories, kev, assets, owners, startedAt] = await Promise.all([
    store.advisoryRecords(),
    store.kevEntries(),
    store.assets(),
    store.owners(),
    store.workItemStarts(),
  ]);
  const ids = new Set<string>();
  for (const record of advisories) {
    ids.add(record.id);
    for (const alias of record.aliases) ids.add(alias);
  }
  for (const entry of kev) ids.add(entry.cveId);
  const epss = await store.epssScores([...ids].filter((id) => id.startsWith("CVE-")));
  const result = triage({ now, policy, advisories, kev, epss, assets, owners, startedAt });
  await store.saveWorkItems(result.workItems);
  return result;
}
