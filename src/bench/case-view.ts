import { performance } from "node:perf_hooks";
import { loadCase } from "../app/track/view.js";
import { renderUpdate } from "../core/render/updates/index.js";
import { dueCheckpoints } from "../core/track/due.js";
import type { ItemRecord } from "../core/track/types.js";
import type { WorkItem } from "../core/types.js";
import type { Store } from "../store/index.js";

const ZONES = ["America/New_York", "Europe/Amsterdam", "Asia/Kolkata", "Australia/Sydney"];

/** A planned work item for a tracked record: what `patchline triage` would have stored for it. */
function workItemFor(record: ItemRecord, n: number): WorkItem {
  const zone = ZONES[n % ZONES.length] ?? "UTC";
  const owner = { id: `team-${n % 50}`, name: `Platform team ${n % 50}`, timeZone: zone };
  return {
    id: record.workItemId,
    advisory: {
      id: "CVE-2024-3400",
      aliases: [],
      title: "PAN-OS GlobalProtect command injection",
      vendor: "Palo Alto Networks",
      product: "PAN-OS",
      affectedVersions: [">= 10.2.0, < 10.2.9-h1"],
      kev: { dateAdded: "2024-04-12", dueDate: "2024-04-19", ransomware: false },
    },
    assetGroup: `group-${n}`,
    environments: ["production"],
    businessServices: [`service-${n % 40}`],
    owner,
    securityOwner: { id: "secops", name: "Security Operations", timeZone: "UTC" },
    governanceOwner: { id: "risk", name: "Risk Office", timeZone: "UTC" },
    assets: [
      {
        id: `asset-${n}`,
        name: `fw-${n}.example.com`,
        environment: "production",
        exposure: n % 3 === 0 ? "internet" : "internal",
        roles: ["edge"],
        criticality: n % 5 === 0 ? "critical" : "high",
        installed: "10.2.7",
        status: "affected",
        reason: "affected: 10.2.7 is in [10.2.0, 10.2.9-h1)",
      },
    ],
    lane: record.lane,
    decision: {
      lane: record.lane,
      proposedLane: record.lane,
      rule: "kev-listed",
      explanation: "Patch now: it is listed in CISA KEV.",
      triggers: [
        {
          kind: "kev",
          text: "Listed in CISA KEV on 2024-04-12",
          source: "CISA KEV catalog",
          confidence: "high",
        },
      ],
      reviewTriggers: [],
    },
    missing: [],
    fix: { fixedVersion: "10.2.9-h1", patchLinks: [], workarounds: [], mitigations: [], knownIssues: [] },
    change: { testing: "HA peer first", rollback: "Previous image" },
    fallback: {
      mitigation: "Restrict the portal",
      monitoring: "SOC watches GlobalProtect logs",
      exceptionPath: "Ask Risk Office",
    },
    closureEvidence: ["version proof", "scan"],
    deadline: record.deadline
      ? { at: record.deadline, zone, local: record.deadline, basis: "BOD 26-04: 3 days" }
      : null,
    cadence: record.cadence,
    policy: { pack: "bod-26-04", band: "3 days" },
    caveats: [],
    plannedAt: "2026-11-02T09:00:00Z",
  };
}

/**
 * The reads people run on a large case: `patchline due` for it and the leadership update, with the
 * work items of the case stored as triage would have stored them.
 */
export async function benchCaseView(
  store: Store,
  caseId: string,
  now: string,
): Promise<{ phase: string; items: number; unit: string; seconds: number; target: string }[]> {
  const records = await store.itemRecords({ caseId });
  await store.saveWorkItems(records.map(workItemFor));
  const rows = [];
  let t = performance.now();
  const view = await loadCase(store, caseId, now);
  const due = dueCheckpoints(view.entries, now);
  rows.push({
    phase: `due for a ${records.length.toLocaleString("en-US")}-item case (load records and work items, compute checkpoints)`,
    items: due.length,
    unit: "checkpoints",
    seconds: (performance.now() - t) / 1000,
    target: "< 1 s",
  });
  t = performance.now();
  const again = await loadCase(store, caseId, now);
  const text = renderUpdate({ ...again, now }, "leadership", "text");
  rows.push({
    phase: `leadership update for the same case (load and render, ${text.split("\n").length} lines)`,
    items: again.entries.length,
    unit: "work items",
    seconds: (performance.now() - t) / 1000,
    target: "< 1 s",
  });
  return rows;
}
