/**
 * Scanner reports: each imported report (by the sha256 of its file, so the same report twice is
 * imported once), the assets scanners have named, and the current state of every finding per
 * scanner and scope — present, or gone since a later report covered its asset without it.
 */
import type { Kysely, Migration } from "kysely";
import type { StoreKind } from "../backend.js";
import { columnTypes } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema, as Kysely advises
type AnyDb = Kysely<any>;

export function scans(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable("scan_reports")
        .addColumn("id", t.key, (c) => c.primaryKey().notNull())
        .addColumn("file", t.text, (c) => c.notNull())
        .addColumn("format", t.key, (c) => c.notNull())
        .addColumn("scanner", t.key, (c) => c.notNull())
        .addColumn("scope", t.key, (c) => c.notNull())
        .addColumn("report_time", t.key, (c) => c.notNull())
        .addColumn("imported_at", t.text, (c) => c.notNull())
        .addColumn("doc", t.text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("scan_assets")
        .addColumn("asset_key", t.key, (c) => c.primaryKey().notNull())
        .addColumn("last_seen", t.key, (c) => c.notNull())
        .addColumn("doc", t.text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("scan_findings")
        .addColumn("key", t.key, (c) => c.primaryKey().notNull())
        .addColumn("scanner", t.key, (c) => c.notNull())
        .addColumn("scope", t.key, (c) => c.notNull())
        .addColumn("asset_key", t.key, (c) => c.notNull())
        .addColumn("vuln_id", t.key, (c) => c.notNull())
        .addColumn("state", t.key, (c) => c.notNull())
        .addColumn("report_status", t.key, (c) => c.notNull())
        .addColumn("first_seen", t.key, (c) => c.notNull())
        .addColumn("last_seen", t.key, (c) => c.notNull())
        .addColumn("last_report", t.key, (c) => c.notNull())
        .addColumn("gone_at", t.key)
        .addColumn("gone_report", t.key)
        .addColumn("hash", t.text, (c) => c.notNull())
        .addColumn("doc", t.text, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("scan_findings_coverage")
        .on("scan_findings")
        .columns(["scanner", "scope", "asset_key"])
        .execute();
      await db.schema.createIndex("scan_findings_vuln").on("scan_findings").column("vuln_id").execute();
      await db.schema.createIndex("scan_findings_asset").on("scan_findings").column("asset_key").execute();
    },

    async down(db: AnyDb): Promise<void> {
      for (const table of ["scan_findings", "scan_assets", "scan_reports"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
