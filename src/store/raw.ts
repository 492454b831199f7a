/**
 * One SQL text for both backends, for the statements a bulk import runs thousands of times: on
 * SQLite through the transaction's cache of prepared statements, elsewhere through Kysely with
 * PostgreSQL's numbered placeholders. Texts use `?` placeholders and hold no literal question mark.
 */
import { CompiledQuery } from "kysely";
import type { Writer } from "./backend.js";

const numbered = new Map<string, string>();

function dollars(text: string): string {
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, out);
  }
  return out;
}

/** Runs a statement; returns the rows it changed. */
export async function rawRun(w: Writer, text: string, params: readonly unknown[]): Promise<number> {
  if (w.run) return w.run(text, params);
  const result = await w.db.executeQuery(CompiledQuery.raw(dollars(text), [...params]));
  return Number(result.numAffectedRows ?? 0);
}

/** Runs a query; returns its rows. */
export async function rawAll<T>(w: Writer, text: string, params: readonly unknown[]): Promise<T[]> {
  if (w.all) return w.all(text, params) as T[];
  const result = await w.db.executeQuery<T>(CompiledQuery.raw(dollars(text), [...params]));
  return [...result.rows];
}

/** Most parameters one statement carries (PostgreSQL allows 65,535). */
const MAX_PARAMS = 30_000;

/**
 * Inserts rows: on SQLite one cached statement per row, elsewhere multi-row statements. `tail` is
 * added after the values (an ON CONFLICT clause); rows must not repeat a conflict key.
 */
export async function rawInsert(
  w: Writer,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  tail = "",
): Promise<void> {
  const head = `insert into ${table} (${columns.join(", ")}) values `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  if (w.run) {
    const text = `${head}${tuple}${tail}`;
    for (const row of rows) w.run(text, row);
    return;
  }
  const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    await rawRun(w, `${head}${chunk.map(() => tuple).join(", ")}${tail}`, chunk.flat());
  }
}

/** Most values asked for in one `in (…)` list. */
export const IN_LIST_MAX = 500;

/** The values in consecutive parts of at most `size`, for `in (…)` lists. */
export function* chunks<T>(values: readonly T[], size = IN_LIST_MAX): Generator<T[]> {
  for (let i = 0; i < values.length; i += size) yield values.slice(i, i + size);
}

/** Rows whose `column` is one of `values`, asked in chunks of at most `chunk` values. */
export async function rawIn<T>(
  w: Writer,
  select: string,
  column: string,
  values: readonly unknown[],
  chunk = IN_LIST_MAX,
): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(values, chunk)) {
    out.push(
      ...(await rawAll<T>(w, `${select} where ${column} in (${part.map(() => "?").join(", ")})`, part)),
    );
  }
  return out;
}
