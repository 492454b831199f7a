/**
 * The tracker's write use cases at campaign size: a handoff of N work items (`patchline handoff
 * --all`) and one acknowledgment on each of them, written through recordEvents — state machine,
 * hash chain and store — as a user's command writes them. Needs an empty store for its ids.
 */
import { performance } from "node:perf_hooks";
import { recordEvents, recordHandoffs } from "../app/track/record.js";
import { basePolicy } from "../core/policy/defaults.js";
import { patchNowItem } from "../core/render/fixtures.js";
import type { WorkItem } from "../core/types.js";
import type { Store } from "../store/index.js";
import type { TrackBenchRow } from "./track.js";

const NOW = "2026-11-02T09:00:00Z";
const LATER = "2026-11-02T11:00:00Z";

export async function benchTrackerUseCases(store: Store, n = 10_000): Promise<TrackBenchRow[]> {
  const template = patchNowItem();
  const items: WorkItem[] = Array.from({ length: n }, (_, i) => ({
    ...template,
    id: `WI-CAMPAIGN-${String(i).padStart(6, "0")}`,
    assetGroup: `campaign-group-${i}`,
    plannedAt: NOW,
  }));
  await store.saveWorkItems(items);
  const policy = basePolicy();
  const rows: TrackBenchRow[] = [];

  let start = performance.now();
  const sent = await recordHandoffs(store, policy, NOW, items, "secops");
  if (sent !== n) throw new Error(`expected ${n} handoffs, recorded ${sent}`);
  rows.push({
    phase: `hand off a ${n.toLocaleString("en")}-item campaign (recordHandoffs: one handoff-sent event each)`,
    items: n,
    unit: "events",
    seconds: (performance.now() - start) / 1000,
    target: "< 2 s",
  });

  start = performance.now();
  const acked = await recordEvents(
    store,
    policy,
    LATER,
    items.map((item) => ({
      workItemId: item.id,
      drafts: [{ type: "acknowledged", actor: item.owner.id, role: "system-owner", payload: {} }],
    })),
  );
  if (acked.some((r) => r.record.state !== "acknowledged")) throw new Error("an item was not acknowledged");
  rows.push({
    phase: `acknowledge ${n.toLocaleString("en")} work items (recordEvents, state machine and hash chain included)`,
    items: n,
    unit: "events",
    seconds: (performance.now() - start) / 1000,
    target: "< 2 s",
  });
  return rows;
}
