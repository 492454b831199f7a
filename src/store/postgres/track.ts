/**
 * Tracker writes on PostgreSQL. An append is ONE statement: a conditional UPDATE of the record
 * (… where version = expected, which row-locks it and re-checks the version after any concurrent
 * writer commits) or, for a first append, an INSERT … ON CONFLICT DO NOTHING; the events are
 * inserted only when that moved the record. One statement is one implicit transaction: both land
 * or neither does, in a single round trip.
 */
import { CompiledQuery } from "kysely";
import {
  type EVENT_COLUMNS,
  ITEM_COLUMNS,
  type TrackCaseTable,
  type TrackDb,
  type TrackEventTable,
  type TrackItemTable,
} from "../track-rows.js";

const EVENT_TYPES: Record<(typeof EVENT_COLUMNS)[number], string> = {
  work_item_id: "text",
  seq: "integer",
  case_id: "text",
  type: "text",
  at: "text",
  actor: "text",
  role: "text",
  reason: "text",
  payload: "text",
  prev_hash: "text",
  hash: "text",
};

const ITEM_TYPES: Record<(typeof ITEM_COLUMNS)[number], string> = {
  work_item_id: "text",
  case_id: "text",
  state: "text",
  lane: "text",
  version: "integer",
  last_hash: "text",
  deadline: "text",
  updated_at: "text",
  doc: "text",
};

/** insert into table (columns) select columns from json_to_recordset($n::json) x(column type, …) */
function recordset(table: string, types: Record<string, string>, param: string): string {
  const columns = Object.keys(types);
  const shape = columns.map((c) => `${c} ${types[c]}`).join(", ");
  return `insert into ${table} (${columns.join(", ")}) select ${columns.map((c) => `x.${c}`).join(", ")} from json_to_recordset(${param}::json) as x(${shape})`;
}

const INSERT_EVENTS = recordset("track_events", EVENT_TYPES, "$1");
const INSERT_ITEMS = recordset("track_items", ITEM_TYPES, "$1");

const EVENTS_IF_MOVED = `${recordset("track_events", EVENT_TYPES, "$2")} where exists (select 1 from moved) returning 1`;

const APPEND_UPDATE =
  "with moved as (update track_items set case_id = j.case_id, state = j.state, lane = j.lane, version = j.version, " +
  "last_hash = j.last_hash, deadline = j.deadline, updated_at = j.updated_at, doc = j.doc " +
  `from json_to_record($1::json) as j(${Object.entries(ITEM_TYPES)
    .map(([c, t]) => `${c} ${t}`)
    .join(", ")}) ` +
  "where track_items.work_item_id = j.work_item_id and track_items.version = $3 and track_items.last_hash = $4 returning 1), " +
  `inserted as (${EVENTS_IF_MOVED}) ` +
  "select (select count(*) from moved)::int as moved, (select count(*) from inserted)::int as inserted";

const APPEND_FIRST =
  `with moved as (insert into track_items (${ITEM_COLUMNS.join(", ")}) ` +
  `select ${ITEM_COLUMNS.map((c) => `j.${c}`).join(", ")} from json_to_record($1::json) as j(${Object.entries(
    ITEM_TYPES,
  )
    .map(([c, t]) => `${c} ${t}`)
    .join(", ")}) on conflict (work_item_id) do nothing returning 1), ` +
  `inserted as (${EVENTS_IF_MOVED}) ` +
  "select (select count(*) from moved)::int as moved, (select count(*) from inserted)::int as inserted";

/** See appendSqlite: false (nothing written) when the record is not at expectedVersion and prevHash. */
export async function appendPostgres(
  db: TrackDb,
  expectedVersion: number,
  prevHash: string,
  events: readonly TrackEventTable[],
  item: TrackItemTable,
): Promise<boolean> {
  const query =
    expectedVersion === 0
      ? CompiledQuery.raw(APPEND_FIRST, [JSON.stringify(item), JSON.stringify(events)])
      : CompiledQuery.raw(APPEND_UPDATE, [
          JSON.stringify(item),
          JSON.stringify(events),
          expectedVersion,
          prevHash,
        ]);
  const result = await db.executeQuery<{ moved: number; inserted: number }>(query);
  return result.rows[0]?.moved === 1;
}

const ITEM_SHAPE = Object.entries(ITEM_TYPES)
  .map(([c, t]) => `${c} ${t}`)
  .join(", ");

const UPDATE_MANY =
  "update track_items set case_id = j.case_id, state = j.state, lane = j.lane, version = j.version, " +
  "last_hash = j.last_hash, deadline = j.deadline, updated_at = j.updated_at, doc = j.doc " +
  `from json_to_recordset($1::json) as j(${ITEM_SHAPE}, expected integer, prev_hash text) ` +
  "where track_items.work_item_id = j.work_item_id and track_items.version = j.expected " +
  "and track_items.last_hash = j.prev_hash returning track_items.work_item_id";

const INSERT_FIRST_MANY =
  `insert into track_items (${ITEM_COLUMNS.join(", ")}) select ${ITEM_COLUMNS.map((c) => `j.${c}`).join(", ")} ` +
  `from json_to_recordset($1::json) as j(${ITEM_SHAPE}) on conflict (work_item_id) do nothing returning work_item_id`;

/** Events per statement in a batched append. */
const BATCH_EVENTS = 5_000;

/**
 * A batch of appends in three kinds of statement, inside the caller's transaction: every record
 * moved with one multi-row conditional UPDATE (and one INSERT for first appends), then the events.
 * Returns the first work item whose record was not at its expected version (the caller rolls the
 * transaction back), or null when every record moved and the events are in.
 */
export async function appendBatchPostgres(
  db: TrackDb,
  entries: readonly {
    expectedVersion: number;
    prevHash: string;
    rows: readonly TrackEventTable[];
    item: TrackItemTable;
  }[],
): Promise<string | null> {
  const moved = new Set<string>();
  const updates = entries.filter((e) => e.expectedVersion > 0);
  const firsts = entries.filter((e) => e.expectedVersion === 0);
  if (updates.length > 0) {
    const param = JSON.stringify(
      updates.map((e) => ({ ...e.item, expected: e.expectedVersion, prev_hash: e.prevHash })),
    );
    const r = await db.executeQuery<{ work_item_id: string }>(CompiledQuery.raw(UPDATE_MANY, [param]));
    for (const row of r.rows) moved.add(row.work_item_id);
  }
  if (firsts.length > 0) {
    const param = JSON.stringify(firsts.map((e) => e.item));
    const r = await db.executeQuery<{ work_item_id: string }>(CompiledQuery.raw(INSERT_FIRST_MANY, [param]));
    for (const row of r.rows) moved.add(row.work_item_id);
  }
  const stale = entries.find((e) => !moved.has(e.item.work_item_id));
  if (stale) return stale.item.work_item_id;
  const events = entries.flatMap((e) => e.rows);
  for (let start = 0; start < events.length; start += BATCH_EVENTS) {
    await db.executeQuery(
      CompiledQuery.raw(INSERT_EVENTS, [JSON.stringify(events.slice(start, start + BATCH_EVENTS))]),
    );
  }
  return null;
}

/** Rows per statement when bulk loading. */
const BULK_CHUNK = 20_000;

export async function bulkLoadPostgres(
  db: TrackDb,
  cases: readonly TrackCaseTable[],
  events: readonly TrackEventTable[],
  items: readonly TrackItemTable[],
): Promise<void> {
  for (const c of cases) {
    await db
      .insertInto("track_cases")
      .values(c)
      .onConflict((oc) =>
        oc.column("id").doUpdateSet({ advisory_id: c.advisory_id, opened_at: c.opened_at, doc: c.doc }),
      )
      .execute();
  }
  for (let start = 0; start < events.length; start += BULK_CHUNK) {
    await db.executeQuery(
      CompiledQuery.raw(INSERT_EVENTS, [JSON.stringify(events.slice(start, start + BULK_CHUNK))]),
    );
  }
  for (let start = 0; start < items.length; start += BULK_CHUNK) {
    await db.executeQuery(
      CompiledQuery.raw(INSERT_ITEMS, [JSON.stringify(items.slice(start, start + BULK_CHUNK))]),
    );
  }
}
