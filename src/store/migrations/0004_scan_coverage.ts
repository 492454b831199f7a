/**
 * Scanner findings move from one row per finding to one row per scanner × scope × asset (the
 * findings of that asset as a deflated JSON list): a report's comparison reads and writes whole
 * assets, and an estate's million findings make thousands of rows instead of a million. Findings
 * stored before are carried over unchanged.
 */
import { deflateSync, inflateSync } from "node:zlib";
import type { Kysely, Migration } from "kysely";
import type { StoreKind } from "../backend.js";
import { columnTypes } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema, as Kysely advises
type AnyDb = Kysely<any>;

interface OldRow {
  key: string;
  scanner: string;
  scope: string;
  asset_key: string;
  state: string;
  first_seen: string;
  last_seen: string;
  last_report: string;
  gone_at: string | null;
  gone_report: string | null;
  doc: string;
}

/** The entries of one asset, in the form scan-encode.ts reads (frozen here as of this migration). */
function entryOf(r: OldRow): Record<string, unknown> {
  return {
    state: r.state === "gone" ? "gone" : "present",
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    lastReport: r.last_report,
    ...(r.gone_at !== null ? { goneAt: r.gone_at } : {}),
    ...(r.gone_report !== null ? { goneReport: r.gone_report } : {}),
    finding: JSON.parse(r.doc) as unknown,
  };
}

async function carryOver(db: AnyDb): Promise<void> {
  const groups = (await db
    .selectFrom("scan_findings")
    .select(["scanner", "scope", "asset_key"])
    .distinct()
    .orderBy("scanner")
    .orderBy("scope")
    .orderBy("asset_key")
    .execute()) as { scanner: string; scope: string; asset_key: string }[];
  for (const g of groups) {
    const rows = (await db
      .selectFrom("scan_findings")
      .selectAll()
      .where("scanner", "=", g.scanner)
      .where("scope", "=", g.scope)
      .where("asset_key", "=", g.asset_key)
      .orderBy("key")
      .execute()) as OldRow[];
    const latest = rows.reduce((a, b) => (b.last_seen > a.last_seen ? b : a));
    await db
      .insertInto("scan_coverage")
      .values({
        key: `${g.scanner}\u001f${g.scope}\u001f${g.asset_key}`,
        scanner: g.scanner,
        scope: g.scope,
        asset_key: g.asset_key,
        last_seen: latest.last_seen,
        last_report: latest.last_report,
        present: rows.filter((r) => r.state !== "gone").length,
        gone: rows.filter((r) => r.state === "gone").length,
        findings: deflateSync(JSON.stringify(rows.map(entryOf)), { level: 1 }),
      })
      .execute();
  }
}

interface Entry {
  state: string;
  firstSeen: string;
  lastSeen: string;
  lastReport: string;
  goneAt?: string;
  goneReport?: string;
  finding: { fingerprint: string; vulnId: string; status: string };
}

/** One row per finding again, as 0003 kept them (the content hash is the one 0003 computed). */
async function carryBack(db: AnyDb): Promise<void> {
  const rows = (await db.selectFrom("scan_coverage").selectAll().orderBy("key").execute()) as {
    scanner: string;
    scope: string;
    asset_key: string;
    findings: Uint8Array;
  }[];
  for (const r of rows) {
    const entries = JSON.parse(inflateSync(r.findings).toString("utf8")) as Entry[];
    for (const e of entries) {
      const doc = JSON.stringify(e.finding);
      await db
        .insertInto("scan_findings")
        .values({
          key: `${r.scanner}\u001f${r.scope}\u001f${e.finding.fingerprint}`,
          scanner: r.scanner,
          scope: r.scope,
          asset_key: r.asset_key,
          vuln_id: e.finding.vulnId,
          state: e.state,
          report_status: e.finding.status,
          first_seen: e.firstSeen,
          last_seen: e.lastSeen,
          last_report: e.lastReport,
          gone_at: e.goneAt ?? null,
          gone_report: e.goneReport ?? null,
          hash: fnv1a(doc),
          doc,
        })
        .execute();
    }
  }
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

export function scanCoverage(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable("scan_coverage")
        .addColumn("key", t.key, (c) => c.primaryKey().notNull())
        .addColumn("scanner", t.key, (c) => c.notNull())
        .addColumn("scope", t.key, (c) => c.notNull())
        .addColumn("asset_key", t.key, (c) => c.notNull())
        .addColumn("last_seen", t.key, (c) => c.notNull())
        .addColumn("last_report", t.key, (c) => c.notNull())
        .addColumn("present", t.int, (c) => c.notNull())
        .addColumn("gone", t.int, (c) => c.notNull())
        .addColumn("findings", t.blob, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("scan_coverage_asset").on("scan_coverage").column("asset_key").execute();
      await carryOver(db);
      await db.schema.dropTable("scan_findings").execute();
    },

    async down(db: AnyDb): Promise<void> {
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
      await carryBack(db);
      await db.schema.dropTable("scan_coverage").execute();
    },
  };
}
