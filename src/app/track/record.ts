import type { Policy } from "../../core/policy/types.js";
import { timeEvents } from "../../core/track/clock.js";
import { eventHash } from "../../core/track/hash.js";
import { applyEvent } from "../../core/track/machine.js";
import type { CaseRecord, EventType, ItemRecord, NewEvent, TrackEvent } from "../../core/track/types.js";
import type { WorkItem } from "../../core/types.js";
import { PatchlineError } from "../../errors.js";
import type { Store } from "../../store/index.js";

/** The case of an advisory: one source-of-truth record holding its work items. */
export function caseIdFor(advisoryId: string): string {
  return `CASE-${advisoryId}`;
}

export async function loadItem(store: Store, id: string): Promise<WorkItem> {
  const item = await store.workItem(id);
  if (!item)
    throw new PatchlineError("NOT_FOUND", `no work item '${id}'; run 'patchline triage' to list them`);
  return item;
}

/** Creates or extends the case of the item's advisory. */
export async function ensureCase(store: Store, item: WorkItem, now: string): Promise<CaseRecord> {
  const id = caseIdFor(item.advisory.id);
  const existing = await store.caseById(id);
  if (existing?.workItemIds.includes(item.id)) return existing;
  const next: CaseRecord = existing
    ? { ...existing, workItemIds: [...existing.workItemIds, item.id].sort() }
    : { id, advisoryId: item.advisory.id, title: item.advisory.title, openedAt: now, workItemIds: [item.id] };
  await store.saveCase(next);
  return next;
}

/** Seals drafts into chained events, applying each to the projection in turn. */
function seal(
  record: ItemRecord | undefined,
  drafts: readonly NewEvent[],
  item: WorkItem,
  policy: Policy,
): { events: TrackEvent[]; record: ItemRecord } {
  let current = record;
  const events: TrackEvent[] = [];
  for (const draft of drafts) {
    const next = applyEvent(current, draft, item, policy);
    const seq = (current?.version ?? 0) + 1;
    const unsigned = { ...draft, seq, prevHash: current?.lastHash ?? "" } as Omit<TrackEvent, "hash">;
    const event = { ...unsigned, hash: eventHash(unsigned) } as TrackEvent;
    current = { ...next, version: seq, lastHash: event.hash };
    events.push(event);
  }
  if (!current) throw new PatchlineError("VALIDATION_ERROR", "no event to record");
  return { events, record: current };
}

export interface Draft<T extends EventType = EventType> {
  type: T;
  actor: string;
  role: NewEvent["role"];
  reason?: string;
  payload: NewEvent<T>["payload"];
}

/**
 * Records one event on a work item: what the clock already did first (an expired exception, a
 * finished monitoring window), then the event, all appended in one transaction that fails with
 * CONFLICT when someone else wrote to the item in between.
 */
export async function recordEvent(
  store: Store,
  policy: Policy,
  now: string,
  workItemId: string,
  draft: Draft,
): Promise<{ record: ItemRecord; events: TrackEvent[] }> {
  const item = await loadItem(store, workItemId);
  const kase = await ensureCase(store, item, now);
  const record = await store.itemRecord(workItemId);
  const base = { caseId: kase.id, workItemId, at: now };
  const drafts: NewEvent[] = [];
  if (!record && draft.type !== "handoff-sent") {
    throw new PatchlineError(
      "ILLEGAL_TRANSITION",
      `work item ${workItemId} has not been handed off yet; run 'patchline handoff ${workItemId}' first`,
    );
  }
  if (record) drafts.push(...timeEvents(record, item, now));
  drafts.push({ ...base, ...draft } as NewEvent);
  const sealed = seal(record, drafts, item, policy);
  await store.appendEvents(workItemId, record?.version ?? 0, sealed.events, sealed.record);
  return sealed;
}

/** The events to record on one work item, in order, for recordEvents. */
export interface BatchEntry {
  workItemId: string;
  drafts: readonly Draft[];
}

/** Largest number of work items written in one transaction by recordEvents. */
export const BATCH_ITEMS = 5000;

/** Creates or extends the cases of many items, writing each case once. */
async function ensureCases(
  store: Store,
  items: readonly WorkItem[],
  now: string,
): Promise<Map<string, string>> {
  const byCase = new Map<string, WorkItem[]>();
  for (const item of items) {
    const id = caseIdFor(item.advisory.id);
    const list = byCase.get(id);
    if (list) list.push(item);
    else byCase.set(id, [item]);
  }
  const caseOf = new Map<string, string>();
  for (const [id, members] of byCase) {
    const existing = await store.caseById(id);
    const known = new Set(existing?.workItemIds ?? []);
    const fresh = members.filter((m) => !known.has(m.id)).map((m) => m.id);
    for (const m of members) caseOf.set(m.id, id);
    if (existing && fresh.length === 0) continue;
    const first = members[0] as WorkItem;
    const ids = [...known, ...fresh].sort();
    await store.saveCase(
      existing
        ? { ...existing, workItemIds: ids }
        : { id, advisoryId: first.advisory.id, title: first.advisory.title, openedAt: now, workItemIds: ids },
    );
  }
  return caseOf;
}

/**
 * Records one event on each of many work items (a handoff of a whole campaign, evidence from a
 * re-scan): the clock's own events first, as recordEvent does, then each event. Every transition is
 * checked before anything is written; then the events go to the store in batches of BATCH_ITEMS work
 * items, one transaction each, and a batch fails whole with CONFLICT when any of its items changed
 * in between. A work item may appear once.
 */
export async function recordEvents(
  store: Store,
  policy: Policy,
  now: string,
  entries: readonly BatchEntry[],
  /** The work items, when the caller holds them already (else they are read from the store). */
  known?: ReadonlyMap<string, WorkItem>,
): Promise<{ workItemId: string; record: ItemRecord; events: TrackEvent[] }[]> {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.workItemId))
      throw new PatchlineError("VALIDATION_ERROR", `work item ${e.workItemId} appears twice in one batch`);
    seen.add(e.workItemId);
  }
  const ids = [...seen];
  const missing = known ? ids.filter((id) => !known.has(id)) : ids;
  const items = new Map<string, WorkItem>();
  if (known) for (const id of ids) if (known.has(id)) items.set(id, known.get(id) as WorkItem);
  for (const item of missing.length > 0 ? await store.workItemsByIds(missing) : []) items.set(item.id, item);
  for (const id of ids) {
    if (!items.has(id))
      throw new PatchlineError("NOT_FOUND", `no work item '${id}'; run 'patchline triage' to list them`);
  }
  const records = new Map<string, ItemRecord>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await store.itemRecords({ ids: ids.slice(i, i + 500) })) records.set(r.workItemId, r);
  }
  const caseOf = await ensureCases(store, [...items.values()], now);
  const sealed = entries.map(({ workItemId, drafts: wanted }) => {
    const item = items.get(workItemId) as WorkItem;
    const record = records.get(workItemId);
    if (wanted.length === 0)
      throw new PatchlineError("VALIDATION_ERROR", `no event to record on ${workItemId}`);
    if (!record && wanted[0]?.type !== "handoff-sent") {
      throw new PatchlineError(
        "ILLEGAL_TRANSITION",
        `work item ${workItemId} has not been handed off yet; run 'patchline handoff ${workItemId}' first`,
      );
    }
    const drafts: NewEvent[] = record ? timeEvents(record, item, now) : [];
    const base = { caseId: caseOf.get(workItemId) as string, workItemId, at: now };
    for (const draft of wanted) drafts.push({ ...base, ...draft } as NewEvent);
    return { workItemId, before: record?.version ?? 0, ...seal(record, drafts, item, policy) };
  });
  for (let i = 0; i < sealed.length; i += BATCH_ITEMS) {
    await store.appendBatch(
      sealed.slice(i, i + BATCH_ITEMS).map((s) => ({
        workItemId: s.workItemId,
        expectedVersion: s.before,
        events: s.events,
        record: s.record,
      })),
    );
  }
  return sealed.map(({ workItemId, record, events }) => ({ workItemId, record, events }));
}

/** Records the handoff of each item not yet sent (in batches); returns how many were recorded. */
export async function recordHandoffs(
  store: Store,
  policy: Policy,
  now: string,
  items: readonly WorkItem[],
  actor: string,
): Promise<number> {
  const sent = new Set<string>();
  for (let i = 0; i < items.length; i += 500) {
    const ids = items.slice(i, i + 500).map((item) => item.id);
    for (const r of await store.itemRecords({ ids })) sent.add(r.workItemId);
  }
  const entries: BatchEntry[] = [];
  const queued = new Set<string>();
  for (const item of items) {
    if (sent.has(item.id) || queued.has(item.id)) continue;
    queued.add(item.id);
    entries.push({
      workItemId: item.id,
      drafts: [
        {
          type: "handoff-sent",
          actor,
          role: "security",
          payload: {
            lane: item.lane,
            deadline: item.deadline?.at ?? null,
            zone: item.deadline?.zone ?? item.owner.timeZone,
            cadence: item.cadence,
          },
        },
      ],
    });
  }
  await recordEvents(store, policy, now, entries, new Map(items.map((item) => [item.id, item])));
  return entries.length;
}

/** Applies what the passage of time did to every open item (expired exceptions, ended monitoring). */
export async function advanceClock(store: Store, policy: Policy, now: string): Promise<number> {
  // Only a granted exception (expiry) or a monitoring window (its end) changes with time alone.
  const candidates = await store.itemRecords({ states: ["exception-granted", "monitoring"] });
  const items = new Map(
    (await store.workItemsByIds(candidates.map((r) => r.workItemId))).map((i) => [i.id, i]),
  );
  const batch: { workItemId: string; expectedVersion: number; events: TrackEvent[]; record: ItemRecord }[] =
    [];
  let applied = 0;
  for (const record of candidates) {
    const item = items.get(record.workItemId);
    if (!item) continue;
    const drafts = timeEvents(record, item, now);
    if (drafts.length === 0) continue;
    const sealed = seal(record, drafts, item, policy);
    batch.push({ workItemId: record.workItemId, expectedVersion: record.version, ...sealed });
    applied += drafts.length;
  }
  for (let i = 0; i < batch.length; i += BATCH_ITEMS)
    await store.appendBatch(batch.slice(i, i + BATCH_ITEMS));
  return applied;
}
