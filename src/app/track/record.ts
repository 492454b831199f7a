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

/** Records the handoff of each item not yet sent; returns how many were recorded. */
export async function recordHandoffs(
  store: Store,
  policy: Policy,
  now: string,
  items: readonly WorkItem[],
  actor: string,
): Promise<number> {
  let sent = 0;
  for (const item of items) {
    if (await store.itemRecord(item.id)) continue;
    await recordEvent(store, policy, now, item.id, {
      type: "handoff-sent",
      actor,
      role: "security",
      payload: {
        lane: item.lane,
        deadline: item.deadline?.at ?? null,
        zone: item.deadline?.zone ?? item.owner.timeZone,
        cadence: item.cadence,
      },
    });
    sent += 1;
  }
  return sent;
}

/** Applies what the passage of time did to every open item (expired exceptions, ended monitoring). */
export async function advanceClock(store: Store, policy: Policy, now: string): Promise<number> {
  let applied = 0;
  // Only a granted exception (expiry) or a monitoring window (its end) changes with time alone.
  const candidates = await store.itemRecords({ states: ["exception-granted", "monitoring"] });
  const items = new Map(
    (await store.workItemsByIds(candidates.map((r) => r.workItemId))).map((i) => [i.id, i]),
  );
  for (const record of candidates) {
    const item = items.get(record.workItemId);
    if (!item) continue;
    const drafts = timeEvents(record, item, now);
    if (drafts.length === 0) continue;
    const sealed = seal(record, drafts, item, policy);
    await store.appendEvents(record.workItemId, record.version, sealed.events, sealed.record);
    applied += drafts.length;
  }
  return applied;
}
