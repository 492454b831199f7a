/**
 * Tracker writes on SQLite, inside a write transaction the backend opened with BEGIN IMMEDIATE
 * (so no other connection or process can write between the version check and the inserts).
 */
import { CompiledQuery } from "kysely";
import {
  EVENT_COLUMNS,
  ITEM_COLUMNS,
  rowValues,
  type TrackCaseTable,
  type TrackDb,
  type TrackEventTable,
  type TrackItemTable,
} from "../track-rows.js";

/** Rows per multi-row insert: 11 columns × 500 stays well under SQLite's 32,766 parameters. */
const EVENT_CHUNK = 500;
const ITEM_CHUNK = 1_000;

function placeholders(rows: number, columns: number): string {
  const tuple = `(${Array.from({ length: columns }, () => "?").join(",")})`;
  return Array.from({ length: rows }, () => tuple).join(",");
}

async function insertRows<T extends object>(
  db: TrackDb,
  table: string,
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
  chunk: number,
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const params: unknown[] = [];
    for (const row of part) for (const c of columns) params.push(row[c]);
    await db.executeQuery(
      CompiledQuery.raw(
        `insert into ${table} (${columns.join(", ")}) values ${placeholders(part.length, columns.length)}`,
        params,
      ),
    );
  }
}

const UPDATE_ITEM =
  "update track_items set case_id = ?, state = ?, lane = ?, version = ?, last_hash = ?, deadline = ?, " +
  "updated_at = ?, doc = ? where work_item_id = ? and version = ? and last_hash = ?";
const INSERT_ITEM = `insert into track_items (${ITEM_COLUMNS.join(", ")}) values ${placeholders(1, ITEM_COLUMNS.length)} on conflict (work_item_id) do nothing`;

/**
 * Moves the record from (expectedVersion, prevHash) to the new one and inserts the events, through
 * cached prepared statements on the transaction's connection (an append is two or three statements,
 * so statement preparation would otherwise dominate). Returns false, having written nothing, when the
 * stored record is not at that version and hash.
 */
export function appendSqlite(
  run: (sql: string, params: readonly unknown[]) => number,
  expectedVersion: number,
  prevHash: string,
  events: readonly TrackEventTable[],
  item: TrackItemTable,
): boolean {
  const moved =
    expectedVersion === 0
      ? run(INSERT_ITEM, rowValues(item, ITEM_COLUMNS))
      : run(UPDATE_ITEM, [
          item.case_id,
          item.state,
          item.lane,
          item.version,
          item.last_hash,
          item.deadline,
          item.updated_at,
          item.doc,
          item.work_item_id,
          expectedVersion,
          prevHash,
        ]);
  if (moved !== 1) return false;
  for (let start = 0; start < events.length; start += EVENT_CHUNK) {
    const part = events.slice(start, start + EVENT_CHUNK);
    const params: unknown[] = [];
    for (const row of part) for (const c of EVENT_COLUMNS) params.push(row[c]);
    run(
      `insert into track_events (${EVENT_COLUMNS.join(", ")}) values ${placeholders(part.length, EVENT_COLUMNS.length)}`,
      params,
    );
  }
  return true;
}

export async function bulkLoadSqlite(
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
  await insertRows(db, "track_events", EVENT_COLUMNS, events, EVENT_CHUNK);
  await insertRows(db, "track_items", ITEM_COLUMNS, items, ITEM_CHUNK);
}
