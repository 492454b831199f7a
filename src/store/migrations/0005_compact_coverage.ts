/**
 * Stored rows of findings say once what their entries share, and are compressed with brotli instead
 * of deflate (faster at its low settings, and smaller). Until now each entry of a row repeated its
 * state, first and last sighting and last report; most entries of a row have the same ones, so the
 * row now holds them once (`base`) with, by position, what an entry has otherwise (`changes`). The
 * findings themselves are unchanged. Both forms are frozen here as of this migration.
 */
import { brotliCompressSync, brotliDecompressSync, constants, deflateSync, inflateSync } from "node:zlib";
import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema, as Kysely advises
type AnyDb = Kysely<any>;

type Fields = Record<string, unknown>;
interface Entry extends Fields {
  state: string;
  finding: unknown;
}
interface Row {
  v: 2;
  base?: Fields;
  findings: unknown[];
  changes?: Record<string, Fields>;
}

const SHARED = ["state", "firstSeen", "lastSeen", "lastReport"];
const OWN = ["goneAt", "goneReport"];
const PAGE = 500;

function compact(entries: Entry[]): Row {
  const row: Row = { v: 2, findings: entries.map((e) => e.finding) };
  const first = entries.find((e) => e.state === "present") ?? entries[0];
  if (!first) return row;
  const base: Fields = {};
  for (const k of SHARED) base[k] = first[k];
  row.base = base;
  const changes: Record<string, Fields> = {};
  entries.forEach((e, i) => {
    const own: Fields = {};
    for (const k of SHARED) if (e[k] !== base[k]) own[k] = e[k];
    for (const k of OWN) if (e[k] !== undefined) own[k] = e[k];
    if (Object.keys(own).length > 0) changes[i] = own;
  });
  if (Object.keys(changes).length > 0) row.changes = changes;
  return row;
}

function expand(row: Row): Entry[] {
  return row.findings.map((finding, i) => ({ ...row.base, ...row.changes?.[i], finding }) as Entry);
}

const deflated = {
  read: (bytes: Uint8Array): unknown => JSON.parse(inflateSync(bytes).toString("utf8")),
  write: (doc: unknown): Uint8Array => deflateSync(JSON.stringify(doc), { level: 1 }),
};

const brotli = {
  read: (bytes: Uint8Array): unknown => JSON.parse(brotliDecompressSync(bytes).toString("utf8")),
  write: (doc: unknown): Uint8Array =>
    brotliCompressSync(JSON.stringify(doc), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }),
};

type Form = typeof deflated;

async function rewrite(db: AnyDb, from: Form, to: Form, change: (doc: unknown) => unknown): Promise<void> {
  let after = "";
  for (;;) {
    const rows = (await db
      .selectFrom("scan_coverage")
      .select(["key", "findings"])
      .where("key", ">", after)
      .orderBy("key")
      .limit(PAGE)
      .execute()) as { key: string; findings: Uint8Array }[];
    for (const r of rows) {
      await db
        .updateTable("scan_coverage")
        .set({ findings: to.write(change(from.read(r.findings))) })
        .where("key", "=", r.key)
        .execute();
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.key;
  }
}

export function compactCoverage(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await rewrite(db, deflated, brotli, (doc) => compact(doc as Entry[]));
    },
    async down(db: AnyDb): Promise<void> {
      await rewrite(db, brotli, deflated, (doc) => expand(doc as Row));
    },
  };
}
