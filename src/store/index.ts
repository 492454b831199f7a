/**
 * The store: every feed, the estate and the planned work in one database — embedded SQLite by
 * default, PostgreSQL when given a postgres:// URL. Opening it applies pending migrations.
 */
import type { Backend } from "./backend.js";
import { DEFAULT_DB_PATH, isPostgresUrl, type StoreOptions } from "./options.js";
import { openPostgres } from "./postgres/open.js";
import { openSqlite } from "./sqlite/open.js";
import { createStore } from "./store.js";
import type { Store } from "./types.js";

export type { StoreKind } from "./backend.js";
export { DEFAULT_DB_PATH, redactUrl, resolveStoreOptions, type StoreOptions } from "./options.js";
export type { ImportLogEntry, ImportMeta, SaveCounts, Store } from "./types.js";

/** Opens the backend the options name, migrated to the latest schema (for tools and tests). */
export async function openBackend(opts: StoreOptions = {}): Promise<Backend> {
  return opts.url && isPostgresUrl(opts.url)
    ? openPostgres(opts.url, opts.schema)
    : openSqlite(opts.path || DEFAULT_DB_PATH);
}

/** Connects (creating the SQLite file and its directory when needed) and migrates to the latest schema. */
export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  return createStore(await openBackend(opts));
}
