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
