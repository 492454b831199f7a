/**
 * The PostgreSQL backend: a small pg pool behind Kysely, optionally confined to one schema through
 * the connection's search_path.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PatchlineError } from "../../errors.js";
import type { Backend, Writer } from "../backend.js";
import { driverCode, driverMessage } from "../errors.js";
import { migrateToLatest } from "../migrations/index.js";
import { checkSchemaName, postgresAddress, redactUrl } from "../options.js";
import type { Database as Schema } from "../schema.js";
import { upsertDocs, upsertEpss } from "./bulk.js";

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
]);

/** Removes the URL's password from a message, in case a driver echoes it. */
function scrub(message: string, url: string): string {
  const secrets: string[] = [];
  try {
    const password = new URL(url).password;
    if (password) secrets.push(password, decodeURIComponent(password));
  } catch {
    // unparsable URL or password: nothing more to take out than redactUrl does
  }
  let out = message.split(url).join(redactUrl(url));
  for (const secret of secrets) out = out.split(secret).join("***");
  return out;
}

/** A connection failure as one actionable line. */
export function connectionError(url: string, e: unknown): PatchlineError {
  const address = postgresAddress(url);
  const code = driverCode(e);
  const message = scrub(driverMessage(e), url);
  let text: string;
  if ((code && UNREACHABLE.has(code)) || /timeout|terminated unexpectedly/i.test(message)) {
    text = `cannot connect to PostgreSQL at ${address} (${message}) — start it or set PATCHLINE_DATABASE_URL`;
  } else if (code === "28P01" || code === "28000") {
    text = `PostgreSQL at ${address} refused the login: ${message}`;
  } else if (code === "3D000") {
    text = `PostgreSQL at ${address}: ${message} — create it or fix PATCHLINE_DATABASE_URL`;
  } else {
    text = `cannot connect to PostgreSQL at ${address}: ${message}`;
  }
  return new PatchlineError("DATABASE_ERROR", text, {}, code ? { driverCode: code } : undefined);
}

/** Connects, creates the schema when one is named and missing, and migrates to the latest schema. */
/** PostgreSQL's codes for a relation or schema that vanished while the catalog was being read. */
const VANISHED = new Set(["42P01", "3F000"]);

/**
 * Migrates, trying again when another schema's table was dropped while the migrator read the
 * catalog (it looks at every schema's tables, and a concurrent drop elsewhere fails that read).
 * Each attempt runs in one transaction, so a failed one leaves nothing behind.
 */
async function migrateWithRetry(db: Kysely<Schema>, schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db, "postgres", schema);
      return;
    } catch (e) {
      const code = (e as { code?: unknown } | undefined)?.code;
      if (attempt >= 4 || typeof code !== "string" || !VANISHED.has(code)) throw e;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }
}

export async function openPostgres(url: string, schema?: string): Promise<Backend> {
  if (schema !== undefined) checkSchemaName(schema);
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: 10_000,
      application_name: "patchline",
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
  } catch (e) {
    throw connectionError(url, e);
  }
  // An idle connection that dies (server restart) is reported on the pool; the next query fails
  // with its own error, which is the one worth showing.
  pool.on("error", () => {});

  let currentSchema: string;
  try {
    const client = await pool.connect();
    try {
      if (schema) {
        // Two processes creating the same schema at once can both pass "if not exists"; the loser
        // fails on the catalog's unique index, which is fine as long as the schema is there.
        await client.query(`create schema if not exists ${schema}`).catch(async (e: unknown) => {
          const found = await client.query("select 1 from pg_namespace where nspname = $1", [schema]);
          if (found.rowCount === 0) throw e;
        });
      }
      const result = await client.query<{ schema: string | null }>("select current_schema() as schema");
      const found = result.rows[0]?.schema;
      if (!found) {
        throw new PatchlineError(
          "DATABASE_ERROR",
          `PostgreSQL at ${postgresAddress(url)} has no schema on the search_path to create tables in`,
        );
      }
      currentSchema = found;
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => {});
    if (e instanceof PatchlineError) throw e;
    throw connectionError(url, e);
  }

  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Naming the schema keeps Kysely's migration bookkeeping in this schema even when another
    // schema in the same database holds its own.
    await migrateWithRetry(db, currentSchema);
  } catch (e) {
    await db.destroy().catch(() => {});
    throw new PatchlineError(
      "DATABASE_ERROR",
      `cannot prepare the PostgreSQL schema ${currentSchema} at ${postgresAddress(url)}: ${scrub(driverMessage(e), url)}`,
    );
  }

  let closed = false;
  return {
    kind: "postgres",
    db,
    transaction: <T>(fn: (writer: Writer) => Promise<T>) =>
      db.transaction().execute((trx) =>
        fn({
          db: trx,
          upsertDocs: (table, rows) => upsertDocs(trx, table, rows),
          upsertEpss: (rows, at) => upsertEpss(trx, rows, at),
        }),
      ),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
