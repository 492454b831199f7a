/**
 * Tracker tables as Kysely sees them, and events/records to rows and back. An event read back
 * from its row must hash exactly as it did when written, so the row holds every hashed field and
 * the payload as canonical JSON.
 */
import type { Kysely } from "kysely";
import { canonicalEventJson } from "../core/track/hash.js";
import type { CaseRecord, ItemRecord, TrackEvent } from "../core/track/types.js";
import type { Database } from "./schema.js";

export interface TrackCaseTable {
  id: string;
  advisory_id: string;
  opened_at: string;
  doc: string;
}

export interface TrackEventTable {
  work_item_id: string;
  seq: number;
  case_id: string;
  type: string;
  at: string;
  actor: string;
  role: string;
  reason: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface TrackItemTable {
  work_item_id: string;
  case_id: string;
  state: string;
  lane: string;
  version: number;
  last_hash: string;
  deadline: string | null;
  updated_at: string;
  doc: string;
}

// A type alias (not an interface), so it satisfies withTables' record constraint.
export type TrackTables = {
  track_cases: TrackCaseTable;
  track_events: TrackEventTable;
  track_items: TrackItemTable;
};

export type TrackDb = Kysely<Database & TrackTables>;

export const trackDb = (db: Kysely<Database>): TrackDb => db.withTables<TrackTables>();

export const EVENT_COLUMNS = [
  "work_item_id",
  "seq",
  "case_id",
  "type",
  "at",
  "actor",
  "role",
  "reason",
  "payload",
  "prev_hash",
  "hash",
] as const satisfies readonly (keyof TrackEventTable)[];

export const ITEM_COLUMNS = [
  "work_item_id",
  "case_id",
  "state",
  "lane",
  "version",
  "last_hash",
  "deadline",
  "updated_at",
  "doc",
] as const satisfies readonly (keyof TrackItemTable)[];

export function eventRow(e: TrackEvent): TrackEventTable {
  return {
    work_item_id: e.workItemId,
    seq: e.seq,
    case_id: e.caseId,
    type: e.type,
    at: e.at,
    actor: e.actor,
    role: e.role,
    reason: e.reason ?? null,
    payload: canonicalEventJson(e.payload),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

export function rowEvent(r: TrackEventTable): TrackEvent {
  const e = {
    seq: Number(r.seq),
    caseId: r.case_id,
    workItemId: r.work_item_id,
    type: r.type,
    at: r.at,
    actor: r.actor,
    role: r.role,
    payload: JSON.parse(r.payload) as unknown,
    prevHash: r.prev_hash,
    hash: r.hash,
  } as TrackEvent;
  if (r.reason !== null) e.reason = r.reason;
  return e;
}

export function itemRow(r: ItemRecord): TrackItemTable {
  return {
    work_item_id: r.workItemId,
    case_id: r.caseId,
    state: r.state,
    lane: r.lane,
    version: r.version,
    last_hash: r.lastHash,
    deadline: r.deadline ?? null,
    updated_at: r.updatedAt,
    doc: JSON.stringify(r),
  };
}

export function caseRow(c: CaseRecord): TrackCaseTable {
  return { id: c.id, advisory_id: c.advisoryId, opened_at: c.openedAt, doc: JSON.stringify(c) };
}

/** The values of a row in the given column order. */
export function rowValues<T extends object>(row: T, columns: readonly (keyof T)[]): unknown[] {
  return columns.map((c) => row[c]);
}
