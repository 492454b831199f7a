/**
 * Helpers for the tracker's tests: events with the fields every event needs, and a chain of
 * events replayed the way a writer would append them.
 */
import type { Policy } from "../policy/types.js";
import type { WorkItem } from "../types.js";
import { eventHash } from "./hash.js";
import { applyEvent, handoffPayload } from "./machine.js";
import type { EventPayloads, EventType, ItemRecord, NewEvent, TrackEvent } from "./types.js";

export const CASE_ID = "CASE-CVE-2024-3400";

export function newEvent<T extends EventType>(
  item: WorkItem,
  type: T,
  role: NewEvent["role"],
  actor: string,
  at: string,
  payload: EventPayloads[T],
): NewEvent<T> {
  return { caseId: CASE_ID, workItemId: item.id, type, at, actor, role, payload };
}

export function sent(item: WorkItem, at = item.plannedAt): NewEvent<"handoff-sent"> {
  return newEvent(item, "handoff-sent", "security", "sec-vm", at, handoffPayload(item, "email"));
}

/** Applies events in turn, as a writer would, keeping the hash chain. */
export function run(
  item: WorkItem,
  policy: Policy,
  events: readonly NewEvent[],
): { record: ItemRecord; chain: TrackEvent[] } {
  let record: ItemRecord | undefined;
  const chain: TrackEvent[] = [];
  for (const e of events) {
    record = applyEvent(record, e, item, policy);
    const unsigned = { ...e, seq: chain.length + 1, prevHash: chain.at(-1)?.hash ?? "" };
    const hash = eventHash(unsigned);
    record.lastHash = hash;
    chain.push({ ...unsigned, hash });
  }
  if (record === undefined) throw new Error("no events");
  return { record, chain };
}
