/**
 * Hand-built tracker histories for the store suite: events chained with the real hash functions
 * and a minimal record derived from them, around a real KEV entry from the corpus.
 */
import { chainEvents } from "../../src/core/track/hash.js";
import type { CaseRecord, ItemRecord, ItemState, NewEvent, TrackEvent } from "../../src/core/track/types.js";
import { kevBatch } from "./corpus.js";

const kev = kevBatch("kev/known_exploited_vulnerabilities.json");
/** The first entry of the sample catalog (CVE-2025-48384, Git, due 2025-09-15). */
export const KEV_ENTRY = kev.entries[0]!;
export const CASE_ID = `CASE-${KEV_ENTRY.cveId}`;
export const DUE = `${KEV_ENTRY.dueDate}T23:59:59Z`;

export function workItemId(n: number, caseId = CASE_ID): string {
  return `WI-${caseId.slice(5)}-${String(n).padStart(6, "0")}`;
}

export function caseRecord(items: number, caseId = CASE_ID): CaseRecord {
  return {
    id: caseId,
    advisoryId: KEV_ENTRY.cveId,
    title: `${KEV_ENTRY.vendorProject} ${KEV_ENTRY.product}: ${KEV_ENTRY.vulnerabilityName}`,
    openedAt: `${KEV_ENTRY.dateAdded}T12:00:00Z`,
    workItemIds: Array.from({ length: items }, (_, i) => workItemId(i + 1, caseId)),
  };
}

const STATE_AFTER: Partial<Record<TrackEvent["type"], ItemState>> = {
  "handoff-sent": "sent",
  acknowledged: "acknowledged",
  progress: "in-progress",
  blocked: "blocked",
  unblocked: "in-progress",
  patched: "patched",
  verified: "verifying",
  "monitoring-started": "monitoring",
  reopened: "reopened",
  closed: "closed",
};

export function handoff(wi: string, at: string, caseId = CASE_ID): NewEvent {
  return {
    caseId,
    workItemId: wi,
    type: "handoff-sent",
    at,
    actor: "sec-analyst-1",
    role: "security",
    reason: `${KEV_ENTRY.cveId} is on the KEV catalog`,
    payload: { lane: "patch-now", deadline: DUE, zone: "Europe/Berlin", cadence: [] },
  };
}

export function progress(
  wi: string,
  at: string,
  note: string,
  actor = "owner-7",
  caseId = CASE_ID,
): NewEvent {
  return { caseId, workItemId: wi, type: "progress", at, actor, role: "system-owner", payload: { note } };
}

/** The record after `events`, continuing from `before` (undefined for a new work item). */
export function recordAfter(before: ItemRecord | undefined, events: readonly TrackEvent[]): ItemRecord {
  const last = events[events.length - 1]!;
  const first = events[0]!;
  let state = before?.state ?? "sent";
  for (const e of events) state = STATE_AFTER[e.type] ?? state;
  return {
    workItemId: last.workItemId,
    caseId: last.caseId,
    state,
    lane: before?.lane ?? "patch-now",
    version: last.seq,
    lastHash: last.hash,
    sentAt: before?.sentAt ?? first.at,
    reopenedCount: before?.reopenedCount ?? 0,
    evidence: before?.evidence ?? [],
    deadline: DUE,
    zone: "Europe/Berlin",
    cadence: [],
    metCheckpoints: before?.metCheckpoints ?? [],
    updatedAt: last.at,
  };
}

/** Chains new events after the given record and returns them with the record that follows. */
export function next(
  before: ItemRecord | undefined,
  events: readonly NewEvent[],
): { events: TrackEvent[]; record: ItemRecord; expected: number } {
  const chained = chainEvents(events, before?.version ?? 0, before?.lastHash ?? "");
  return { events: chained, record: recordAfter(before, chained), expected: before?.version ?? 0 };
}
