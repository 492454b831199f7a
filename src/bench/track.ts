/**
 * Tracker benchmark: seeds a store with `workItems` work items of `eventsPerItem` events each
 * (100k × 10 = 1M events by default, in cases of `caseSize` items), then times what the tracker
 * does at that size — loading one case's records, appending events, and verifying every chain.
 * Run it on an empty store: the seeded ids would collide with an earlier run.
 */
import { performance } from "node:perf_hooks";
import { chainEvents } from "../core/track/hash.js";
import type { CaseRecord, ItemRecord, NewEvent, TrackEvent } from "../core/track/types.js";
import type { Store } from "../store/index.js";

export interface TrackBenchOptions {
  workItems?: number;
  eventsPerItem?: number;
  caseSize?: number;
  /** Work items (distinct) to append one event each to. */
  appends?: number;
  /** Appends in flight at once (1: one after another). */
  concurrency?: number;
  /** Called with each result as it is measured. */
  progress?: (row: TrackBenchRow) => void;
}

export interface TrackBenchRow {
  phase: string;
  items: number;
  unit: string;
  seconds: number;
  target?: string;
}

const OPENED = "2026-11-02T09:00:00Z";
const DUE = "2026-11-05T17:00:00Z";

const caseId = (c: number) => `CASE-BENCH-${String(c).padStart(4, "0")}`;
const itemId = (c: number, i: number) =>
  `WI-BENCH-${String(c).padStart(4, "0")}-${String(i).padStart(6, "0")}`;

function instant(minutes: number): string {
  return new Date(Date.parse(OPENED) + minutes * 60_000).toISOString().replace(".000Z", "Z");
}

/** A plausible history: handoff, acknowledgment, then progress notes. */
function newEvents(cid: string, wi: string, count: number): NewEvent[] {
  const out: NewEvent[] = [];
  for (let n = 0; n < count; n++) {
    const at = instant(n * 30);
    if (n === 0) {
      out.push({
        caseId: cid,
        workItemId: wi,
        type: "handoff-sent",
        at,
        actor: "sec-analyst-1",
        role: "security",
        reason: "KEV listing with a three-day due date",
        payload: { lane: "patch-now", deadline: DUE, zone: "Europe/Berlin", cadence: [] },
      });
    } else if (n === 1) {
      out.push({
        caseId: cid,
        workItemId: wi,
        type: "acknowledged",
        at,
        actor: "owner-7",
        role: "system-owner",
        payload: {},
      });
    } else {
      out.push({
        caseId: cid,
        workItemId: wi,
        type: "progress",
        at,
        actor: "owner-7",
        role: "system-owner",
        payload: {
          note: `rollout wave ${n - 1} of ${count - 2} complete`,
          assetsDone: [`host-${n}.corp.example`],
        },
      });
    }
  }
  return out;
}

function recordOf(events: readonly TrackEvent[], before?: ItemRecord): ItemRecord {
  const last = events[events.length - 1]!;
  return {
    workItemId: last.workItemId,
    caseId: last.caseId,
    state: events.length > 2 || before ? "in-progress" : events.length === 2 ? "acknowledged" : "sent",
    lane: "patch-now",
    version: last.seq,
    lastHash: last.hash,
    sentAt: before?.sentAt ?? events[0]!.at,
    acknowledgedAt: before?.acknowledgedAt ?? events[1]?.at,
    reopenedCount: 0,
    evidence: [],
    deadline: DUE,
    zone: "Europe/Berlin",
    cadence: [
      { kind: "acknowledgment", due: instant(120), zone: "Europe/Berlin", local: "2026-11-02 12:00 CET" },
      { kind: "final", due: DUE, zone: "Europe/Berlin", local: "2026-11-05 18:00 CET" },
    ],
    metCheckpoints: ["acknowledgment"],
    updatedAt: last.at,
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { seconds: (performance.now() - start) / 1000, result };
}

/** Seeds the store through its bulk path, one case per transaction; returns the records written. */
async function seed(
  store: Store,
  items: number,
  perItem: number,
  caseSize: number,
): Promise<Map<string, ItemRecord>> {
  const records = new Map<string, ItemRecord>();
  for (let c = 0; c * caseSize < items; c++) {
    const size = Math.min(caseSize, items - c * caseSize);
    const cid = caseId(c);
    const ids = Array.from({ length: size }, (_, i) => itemId(c, i));
    const events: TrackEvent[] = [];
    const batch: ItemRecord[] = [];
    for (const wi of ids) {
      const chained = chainEvents(newEvents(cid, wi, perItem), 0, "");
      events.push(...chained);
      const record = recordOf(chained);
      batch.push(record);
      records.set(wi, record);
    }
    const c0: CaseRecord = {
      id: cid,
      advisoryId: `CVE-2026-${10000 + c}`,
      title: `Bench case ${c}`,
      openedAt: OPENED,
      workItemIds: ids,
    };
    await store.loadTrackHistory({ cases: [c0], events, records: batch });
  }
  return records;
}

export async function benchTracker(store: Store, opts: TrackBenchOptions = {}): Promise<TrackBenchRow[]> {
  const workItems = opts.workItems ?? 100_000;
  const perItem = opts.eventsPerItem ?? 10;
  const caseSize = Math.min(opts.caseSize ?? 10_000, workItems);
  const appends = Math.min(opts.appends ?? 10_000, workItems);
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const rows: TrackBenchRow[] = [];
  const add = (row: TrackBenchRow) => {
    rows.push(row);
    opts.progress?.(row);
  };

  const seeded = await timed(() => seed(store, workItems, perItem, caseSize));
  add({
    phase: `seed ${workItems.toLocaleString("en")} work items × ${perItem} events (bulk load)`,
    items: workItems * perItem,
    unit: "events",
    seconds: seeded.seconds,
  });
  const records = seeded.result;

  const loaded = await timed(() => store.itemRecords({ caseId: caseId(0) }));
  if (loaded.result.length !== caseSize)
    throw new Error(`expected ${caseSize} records, read ${loaded.result.length}`);
  add({
    phase: `load the records of a ${caseSize.toLocaleString("en")}-item case`,
    items: caseSize,
    unit: "records",
    seconds: loaded.seconds,
    target: "< 1 s",
  });

  // One new event for each of `appends` distinct work items, prepared before the clock starts.
  const work = [...records.values()].slice(0, appends).map((before) => {
    const [e] = chainEvents(
      [
        {
          caseId: before.caseId,
          workItemId: before.workItemId,
          type: "progress",
          at: instant(perItem * 30),
          actor: "owner-7",
          role: "system-owner",
          payload: { note: "last wave complete" },
        },
      ],
      before.version,
      before.lastHash,
    );
    return { before, events: [e!], record: recordOf([e!], before) };
  });
  const appended = await timed(async () => {
    let index = 0;
    const lane = async () => {
      while (index < work.length) {
        const w = work[index++]!;
        await store.appendEvents(w.before.workItemId, w.before.version, w.events, w.record);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  });
  add({
    phase: `append ${appends.toLocaleString("en")} events (one appendEvents call each, ${concurrency} in flight)`,
    items: appends,
    unit: "events",
    seconds: appended.seconds,
    target: "< 2 s",
  });

  // The same number of events again, on the next work items, through appendBatch: one transaction
  // per 1,000 work items, as a re-scan recording evidence across many items writes them.
  const batchSize = 1_000;
  const more = [...records.values()].slice(appends, appends * 2).map((before) => {
    const [e] = chainEvents(
      [
        {
          caseId: before.caseId,
          workItemId: before.workItemId,
          type: "progress",
          at: instant(perItem * 30),
          actor: "owner-7",
          role: "system-owner",
          payload: { note: "re-scan: no finding" },
        },
      ],
      before.version,
      before.lastHash,
    );
    return {
      workItemId: before.workItemId,
      expectedVersion: before.version,
      events: [e!],
      record: recordOf([e!], before),
    };
  });
  if (more.length > 0) {
    const batched = await timed(async () => {
      for (let start = 0; start < more.length; start += batchSize) {
        await store.appendBatch(more.slice(start, start + batchSize));
      }
    });
    add({
      phase: `append ${more.length.toLocaleString("en")} events with appendBatch (${batchSize.toLocaleString("en")} work items per transaction)`,
      items: more.length,
      unit: "events",
      seconds: batched.seconds,
      target: "< 2 s",
    });
  }

  const audit = await timed(() => store.auditVerify());
  if (audit.result.problems.length > 0)
    throw new Error(`audit found problems: ${audit.result.problems[0]!.reason}`);
  add({
    phase: `audit verify (${audit.result.chains.toLocaleString("en")} chains)`,
    items: audit.result.events,
    unit: "events",
    seconds: audit.seconds,
  });
  return rows;
}
