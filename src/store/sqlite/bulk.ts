/**
 * SQLite bulk writes straight on the better-sqlite3 handle: multi-row upserts through cached
 * prepared statements, all inside the caller's transaction. Change detection happens in SQL (the
 * ON CONFLICT … WHERE clause), so unchanged rows are never rewritten; counts come from the
 * statement's change count and the row count before and after (exact, because the transaction
 * holds SQLite's write lock from its first statement).
 */
import type BetterSqlite3 from "better-sqlite3";
import { DOC_TABLES, type DocRows, type DocTable, type EpssRow, type WriteCounts } from "../schema.js";

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** Rows per multi-row statement (well under SQLite's 32,766 bound parameters). */
const DOC_CHUNK = 100;
const EPSS_CHUNK = 200;

function repeat(n: number, text: string): string {
  return Array.from({ length: n }, () => text).join(",");
}

export class SqliteBulk {
  readonly #raw: BetterSqlite3.Database;
  readonly #cache = new Map<string, Statement>();

  constructor(raw: BetterSqlite3.Database) {
    this.#raw = raw;
  }

  #prepare(text: string): Statement {
    let stmt = this.#cache.get(text);
    if (!stmt) {
      stmt = this.#raw.prepare(text);
      this.#cache.set(text, stmt);
    }
    return stmt;
  }

  /** One statement through the statement cache; returns the rows changed. */
  run(sql: string, params: readonly unknown[]): number {
    return this.#prepare(sql).run(...params).changes;
  }

  /** One query through the statement cache; returns its rows. */
  all(sql: string, params: readonly unknown[]): unknown[] {
    return this.#prepare(sql).all(...params);
  }

  #count(table: string): number {
    return Number(this.#prepare(`select count(*) from ${table}`).pluck().get());
  }

  upsertDocs(table: DocTable, rows: DocRows): WriteCounts {
    if (rows.length === 0) return { added: 0, updated: 0 };
    const { keys, extras } = DOC_TABLES[table];
    const columns = [...keys, ...extras, "doc", "hash", "created_at", "updated_at"];
    const tuple = `(${repeat(columns.length - 1, "?")},?)`;
    const set = [...extras, "doc", "hash", "updated_at"].map((c) => `${c} = excluded.${c}`).join(", ");
    const statement = (n: number) =>
      this.#prepare(
        `insert into ${table} (${columns.join(", ")}) values ${repeat(n, tuple)} ` +
          `on conflict (${keys.join(", ")}) do update set ${set} where ${table}.hash <> excluded.hash`,
      );

    // Keys already stored, counted per chunk from the chunk's own keys: the cost follows the batch,
    // not the table (a count of the whole table per import grows with every file imported).
    const keyTuple = `(${repeat(keys.length, "?")})`;
    const existing = (n: number) =>
      this.#prepare(
        `select count(*) from ${table} where (${keys.join(", ")}) in (values ${repeat(n, keyTuple)})`,
      ).pluck();
    let changes = 0;
    let added = 0;
    for (let start = 0; start < rows.length; start += DOC_CHUNK) {
      const n = Math.min(DOC_CHUNK, rows.length - start);
      const params: unknown[] = [];
      const keyParams: unknown[] = [];
      for (let i = start; i < start + n; i++) {
        const row = rows.row(i);
        for (const k of row.keys) {
          params.push(k ?? null);
          keyParams.push(k ?? null);
        }
        for (const e of row.extras) params.push(e ?? null);
        params.push(row.doc, row.hash, row.at, row.at);
      }
      added += n - Number(existing(n).get(keyParams));
      changes += statement(n).run(params).changes;
    }
    return { added, updated: changes - added };
  }

  upsertEpss(rows: readonly EpssRow[], at: string): WriteCounts {
    if (rows.length === 0) return { added: 0, updated: 0 };
    const statement = (n: number) =>
      this.#prepare(
        "insert into epss_scores (cve, epss, percentile, score_date, model_version, previous_epss, created_at, updated_at) " +
          `values ${repeat(n, "(?, ?, ?, ?, ?, null, @at, @at)")} ` +
          "on conflict (cve) do update set " +
          "previous_epss = case when epss_scores.epss <> excluded.epss then epss_scores.epss else epss_scores.previous_epss end, " +
          "epss = excluded.epss, percentile = excluded.percentile, score_date = excluded.score_date, " +
          "model_version = excluded.model_version, updated_at = excluded.updated_at " +
          "where excluded.score_date > epss_scores.score_date or (excluded.score_date = epss_scores.score_date and " +
          "(excluded.epss <> epss_scores.epss or excluded.percentile <> epss_scores.percentile " +
          "or excluded.model_version <> epss_scores.model_version))",
      );

    const before = this.#count("epss_scores");
    const named = { at };
    const full = statement(EPSS_CHUNK);
    const params: unknown[] = new Array(EPSS_CHUNK * 5);
    let changes = 0;
    let start = 0;
    for (; start + EPSS_CHUNK <= rows.length; start += EPSS_CHUNK) {
      for (let i = 0, p = 0; i < EPSS_CHUNK; i++) {
        const row = rows[start + i]!;
        params[p++] = row.cve;
        params[p++] = row.epss;
        params[p++] = row.percentile;
        params[p++] = row.scoreDate;
        params[p++] = row.modelVersion;
      }
      changes += full.run(...params, named).changes;
    }
    if (start < rows.length) {
      const rest: unknown[] = [];
      for (let i = start; i < rows.length; i++) {
        const row = rows[i]!;
        rest.push(row.cve, row.epss, row.percentile, row.scoreDate, row.modelVersion);
      }
      changes += statement(rows.length - start).run(...rest, named).changes;
    }
    const added = this.#count("epss_scores") - before;
    return { added, updated: changes - added };
  }
}
