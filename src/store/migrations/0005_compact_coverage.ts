/**
 * A row of findings keeps its present findings apart from its gone ones, and says once what the
 * present ones share. Until now a row was one deflated JSON list of entries, each repeating its
 * state, first and last sighting and last report. Now:
 * - `findings` holds the present findings alone, brotli-compressed, exactly as a report's own
 *   encoding gives them, so a re-scan that finds the same can be told by comparing bytes;
 * - `states` (JSON) says when they were first seen and, by position, what any of them has otherwise
 *   (a present finding is otherwise last seen in the row's latest report, `last_seen`/`last_report`);
 * - `gone_findings` holds the gone entries whole, brotli-compressed, or null when there are none.
 * The findings themselves are unchanged. Both forms are frozen here as of this migration.
 */
import { brotliCompressSync, brotliDecompressSync, constants, deflateSync, inflateSync } from "node:zlib";
import type { Kysely, Migration } from "kysely";
import type { StoreKind } from "../backend.js";
import { columnTypes } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema, as Kysely advises
type AnyDb = Kysely<any>;

interface Entry {
  state: string;
  firstSeen: string;
  lastSeen: string;
  lastReport: string;
  goneAt?: string;
  goneReport?: string;
  finding: { fingerprint: string };
}

type Seen = Partial<Pick<Entry, "firstSeen" | "lastSeen" | "lastReport">>;

interface Row {
  key: string;
  last_seen: string;
  last_report: string;
  findings: Uint8Array;
  states: string;
  gone_findings: Uint8Array | null;
}

const PAGE = 500;

const unpack = (bytes: Uint8Array): unknown => JSON.parse(brotliDecompressSync(bytes).toString("utf8"));
/** As scan-encode.ts compresses (the same settings give the same bytes, which re-scans compare). */
function pack(doc: unknown): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(doc), "utf8");
  return brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
}

function byFingerprint(a: Entry, b: Entry): number {
  const x = a.finding.fingerprint;
  const y = b.finding.fingerprint;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The old list of entries in the new columns. */
function split(r: Row): Pick<Row, "findings" | "states" | "gone_findings"> {
  const entries = JSON.parse(inflateSync(r.findings).toString("utf8")) as Entry[];
  const present = entries.filter((e) => e.state !== "gone");
  const gone = entries.filter((e) => e.state === "gone");
  const states: { firstSeen?: string; own?: Record<string, Seen> } = {};
  const firstSeen = present[0]?.firstSeen;
  if (firstSeen !== undefined) {
    states.firstSeen = firstSeen;
    const own: Record<string, Seen> = {};
    present.forEach((e, i) => {
      const mine: Seen = {};
      if (e.firstSeen !== firstSeen) mine.firstSeen = e.firstSeen;
      if (e.lastSeen !== r.last_seen) mine.lastSeen = e.lastSeen;
      if (e.lastReport !== r.last_report) mine.lastReport = e.lastReport;
      if (Object.keys(mine).length > 0) own[i] = mine;
    });
    if (Object.keys(own).length > 0) states.own = own;
  }
  return {
    findings: pack(present.map((e) => e.finding)),
    states: JSON.stringify(states),
    gone_findings: gone.length > 0 ? pack(gone) : null,
  };
}

/** The new columns as the old list of entries. */
function join(r: Row): Uint8Array {
  const findings = unpack(r.findings) as Entry["finding"][];
  const { firstSeen = r.last_seen, own } = JSON.parse(r.states) as {
    firstSeen?: string;
    own?: Record<string, Seen>;
  };
  const present: Entry[] = findings.map((finding, i) => ({
    state: "present",
    firstSeen,
    lastSeen: r.last_seen,
    lastReport: r.last_report,
    ...own?.[i],
    finding,
  }));
  const gone = r.gone_findings ? (unpack(r.gone_findings) as Entry[]) : [];
  return deflateSync(JSON.stringify([...present, ...gone].sort(byFingerprint)), { level: 1 });
}

async function rewrite(db: AnyDb, change: (r: Row) => Record<string, unknown>): Promise<void> {
  let after = "";
  for (;;) {
    const rows = (await db
      .selectFrom("scan_coverage")
      .selectAll()
      .where("key", ">", after)
      .orderBy("key")
      .limit(PAGE)
      .execute()) as Row[];
    for (const r of rows) {
      await db.updateTable("scan_coverage").set(change(r)).where("key", "=", r.key).execute();
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.key;
  }
}

export function compactCoverage(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .alterTable("scan_coverage")
        .addColumn("states", t.text, (c) => c.notNull().defaultTo("{}"))
        .execute();
      await db.schema.alterTable("scan_coverage").addColumn("gone_findings", t.blob).execute();
      await rewrite(db, split);
    },
    async down(db: AnyDb): Promise<void> {
      await rewrite(db, (r) => ({ findings: join(r) }));
      await db.schema.alterTable("scan_coverage").dropColumn("gone_findings").execute();
      await db.schema.alterTable("scan_coverage").dropColumn("states").execute();
    },
  };
}
