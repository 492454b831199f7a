/**
 * The tracker: cases, the append-only event log of each work item (its hash chain) and the
 * projection of each work item's current state, kept beside the events in the same transaction.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { StoreKind } from "../backend.js";
import { columnTypes } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema, as Kysely advises
type AnyDb = Kysely<any>;

export function tracker(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable("track_cases")
        .addColumn("id", t.key, (c) => c.primaryKey().notNull())
        .addColumn("advisory_id", t.key, (c) => c.notNull())
        .addColumn("opened_at", t.text, (c) => c.notNull())
        .addColumn("doc", t.text, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("track_cases_advisory_id")
        .on("track_cases")
        .column("advisory_id")
        .execute();

      // One row per event; (work_item_id, seq) is the chain order and the last line of defence
      // against two writers appending the same position. SQLite keeps the rows clustered on it.
      let events = db.schema
        .createTable("track_events")
        .addColumn("work_item_id", t.key, (c) => c.notNull())
        .addColumn("seq", t.int, (c) => c.notNull())
        .addColumn("case_id", t.key, (c) => c.notNull())
        .addColumn("type", t.key, (c) => c.notNull())
        .addColumn("at", t.text, (c) => c.notNull())
        .addColumn("actor", t.text, (c) => c.notNull())
        .addColumn("role", t.key, (c) => c.notNull())
        .addColumn("reason", t.text)
        .addColumn("payload", t.text, (c) => c.notNull())
        .addColumn("prev_hash", t.text, (c) => c.notNull())
        .addColumn("hash", t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint("track_events_pk", ["work_item_id", "seq"]);
      if (kind === "sqlite") events = events.modifyEnd(sql`without rowid`);
      await events.execute();

      await db.schema
        .createTable("track_items")
        .addColumn("work_item_id", t.key, (c) => c.primaryKey().notNull())
        .addColumn("case_id", t.key, (c) => c.notNull())
        .addColumn("state", t.key, (c) => c.notNull())
        .addColumn("lane", t.key, (c) => c.notNull())
        .addColumn("version", t.int, (c) => c.notNull())
        .addColumn("last_hash", t.text, (c) => c.notNull())
        .addColumn("deadline", t.key)
        .addColumn("updated_at", t.text, (c) => c.notNull())
        .addColumn("doc", t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("track_items_case_id").on("track_items").column("case_id").execute();
      await db.schema.createIndex("track_items_state").on("track_items").column("state").execute();
      await db.schema.createIndex("track_items_deadline").on("track_items").column("deadline").execute();
    },

    async down(db: AnyDb): Promise<void> {
      for (const table of ["track_items", "track_events", "track_cases"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
