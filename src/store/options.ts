/**
 * Where the store lives: an embedded SQLite file (the default) or a PostgreSQL server.
 */
import { fileURLToPath } from "node:url";
import { PatchlineError } from "../errors.js";

export interface StoreOptions {
  /** "postgres://…" or "postgresql://…" selects PostgreSQL; anything else is ignored in favour of `path`. */
  url?: string;
  /** SQLite database file (":memory:" for a throw-away database). */
  path?: string;
  /** PostgreSQL schema to keep every table in (created when missing). Ignored by SQLite. */
  schema?: string;
}

export const DEFAULT_DB_PATH = "./.patchline/patchline.db";

export function isPostgresUrl(value: string | undefined): boolean {
  return value !== undefined && /^postgres(ql)?:\/\//i.test(value.trim());
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/** A value from --db or PATCHLINE_DATABASE_URL: a PostgreSQL URL, a file: URL or a plain path. */
function locate(value: string): StoreOptions {
  if (isPostgresUrl(value)) return { url: value };
  if (/^file:/i.test(value)) {
    if (!/^file:\/\//i.test(value)) return { path: value.slice(5) };
    try {
      return { path: fileURLToPath(value) };
    } catch (e) {
      throw new PatchlineError("USAGE", `invalid database file URL "${value}": ${(e as Error).message}`);
    }
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    throw new PatchlineError(
      "USAGE",
      `unsupported database URL scheme "${scheme[1]}:": use a postgres:// URL or a SQLite file path`,
    );
  }
  return { path: value };
}

/**
 * Resolves the store location: the --db flag (a path or a PostgreSQL URL) wins, then
 * PATCHLINE_DATABASE_URL, then PATCHLINE_DB (a path), then ./.patchline/patchline.db.
 * PATCHLINE_DATABASE_SCHEMA names a PostgreSQL schema.
 */
export function resolveStoreOptions(env: NodeJS.ProcessEnv, flags: { db?: string }): StoreOptions {
  const schema = nonEmpty(env.PATCHLINE_DATABASE_SCHEMA);
  const withSchema = (o: StoreOptions): StoreOptions => (schema && o.url ? { ...o, schema } : o);
  const flag = nonEmpty(flags.db);
  if (flag) return withSchema(locate(flag));
  const url = nonEmpty(env.PATCHLINE_DATABASE_URL);
  if (url) return withSchema(locate(url));
  const path = nonEmpty(env.PATCHLINE_DB);
  if (path) return { path };
  return { path: DEFAULT_DB_PATH };
}

/** The URL with any password replaced by "***", safe to print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const key of [...u.searchParams.keys()]) {
      if (/pass/i.test(key)) u.searchParams.set(key, "***");
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
  }
}

/** "host:port" of a PostgreSQL URL, for messages. */
export function postgresAddress(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get("host") || "localhost";
    return `${host}:${u.port || "5432"}`;
  } catch {
    return "the configured address";
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks a schema name: lower-case letters, digits and "_", so it needs no quoting. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new PatchlineError(
      "USAGE",
      `invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and "_" (at most 63)`,
    );
  }
  return schema;
}
