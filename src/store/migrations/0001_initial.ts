/**
 * The initial schema: intelligence (KEV, EPSS, advisory records), estate (assets, owners),
 * planned work items and the import log.
 */
import { type CreateTableBuilder, type Kysely, type Migration, sql } from "kysely";
import type { StoreKind } from "../backend.js";
import { columnTypes } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema, as Kysely advises
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: table builders are untyped inside migrations
type Table = CreateTableBuilder<string, any>;

export function initial(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  /** doc, hash, created_at and updated_at: every document table has them. */
  const docColumns = (table: Table): Table =>
    table
      .addColumn("doc", t.text, (c) => c.notNull())
      .addColumn("hash", t.text, (c) => c.notNull())
      .addColumn("created_at", t.text, (c) => c.notNull())
      .addColumn("updated_at", t.text, (c) => c.notNull());

  return {
    async up(db: AnyDb): Promise<void> {
      await docColumns(
        db.schema.createTable("kev_entries").addColumn("cve_id", t.key, (c) => c.primaryKey().notNull()),
      ).execute();

      await db.schema
        .createTable("kev_catalog")
        .addColumn("id", t.int, (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn("catalog_version", t.text)
        .addColumn("released", t.text)
        .addColumn("imported_at", t.text, (c) => c.notNull())
        .execute();

      // EPSS is the bulk table (about 300,000 rows a day). Its few scalar columns are compared
      // directly instead of through a document hash. SQLite keeps it clustered on the CVE.
      let epss = db.schema
        .createTable("epss_scores")
        .addColumn("cve", t.key, (c) => c.primaryKey().notNull())
        .addColumn("epss", t.float, (c) => c.notNull())
        .addColumn("percentile", t.float, (c) => c.notNull())
        .addColumn("score_date", t.key, (c) => c.notNull())
        .addColumn("model_version", t.text, (c) => c.notNull())
        .addColumn("previous_epss", t.float)
        .addColumn("created_at", t.text, (c) => c.notNull())
        .addColumn("updated_at", t.text, (c) => c.notNull());
      if (kind === "sqlite") epss = epss.modifyEnd(sql`without rowid`);
      await epss.execute();

      await docColumns(
        db.schema
          .createTable("advisory_records")
          .addColumn("id", t.key, (c) => c.notNull())
          .addColumn("source", t.key, (c) => c.notNull())
          .addColumn("source_id", t.key, (c) => c.notNull())
          .addPrimaryKeyConstraint("advisory_records_pk", ["id", "source", "source_id"]),
      ).execute();
      await db.schema
        .createIndex("advisory_records_source_id")
        .on("advisory_records")
        .column("source_id")
        .execute();

      await docColumns(
        db.schema
          .createTable("assets")
          .addColumn("id", t.key, (c) => c.primaryKey().notNull())
          .addColumn("asset_group", t.key, (c) => c.notNull())
          .addColumn("system_owner", t.key, (c) => c.notNull()),
      ).execute();
      await db.schema.createIndex("assets_asset_group").on("assets").column("asset_group").execute();
      await db.schema.createIndex("assets_system_owner").on("assets").column("system_owner").execute();

      await docColumns(
        db.schema.createTable("owners").addColumn("id", t.key, (c) => c.primaryKey().notNull()),
      ).execute();

      await docColumns(
        db.schema
          .createTable("work_items")
          .addColumn("id", t.key, (c) => c.primaryKey().notNull())
          .addColumn("advisory_id", t.key, (c) => c.notNull())
          .addColumn("asset_group", t.key, (c) => c.notNull())
          .addColumn("owner_id", t.key, (c) => c.notNull())
          .addColumn("lane", t.key, (c) => c.notNull()),
      ).execute();
      await db.schema.createIndex("work_items_advisory_id").on("work_items").column("advisory_id").execute();
      await db.schema.createIndex("work_items_owner_id").on("work_items").column("owner_id").execute();

      const imports = db.schema.createTable("imports");
      await (kind === "postgres"
        ? imports.addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : imports.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      )
        .addColumn("file", t.text, (c) => c.notNull())
        .addColumn("sha256", t.key, (c) => c.notNull())
        .addColumn("format", t.key, (c) => c.notNull())
        .addColumn("imported_at", t.text, (c) => c.notNull())
        .addColumn("records", t.int, (c) => c.notNull())
        .addColumn("added", t.int, (c) => c.notNull())
        .addColumn("updated", t.int, (c) => c.notNull())
        .addColumn("unchanged", t.int, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("imports_sha256_format")
        .on("imports")
        .columns(["sha256", "format"])
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      for (const table of [
        "imports",
        "work_items",
        "owners",
        "assets",
        "advisory_records",
        "epss_scores",
        "kev_catalog",
        "kev_entries",
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
