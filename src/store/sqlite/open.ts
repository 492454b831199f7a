/**
 * The embedded backend: one better-sqlite3 connection shared by Kysely and the bulk paths.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { PatchlineError } from "../../errors.js";
import type { Backend, Writer } from "../backend.js";
import { driverMessage } from "../errors.js";
import { migrateToLatest } from "../migrations/index.js";
import type { Database as Schema } from "../schema.js";
import { SqliteBulk } from "./bulk.js";
import { withFileLock } from "./lock.js";

function cannotOpen(file: string, reason: string): PatchlineError {
  return new PatchlineError("DATABASE_ERROR", `cannot open the database file ${file}: ${reason}`, { file });
}

function isMemory(file: string): boolean {
  return file === ":memory:" || file.startsWith("file::memory:");
}

/** Opens (creating when missing) the SQLite database at `file` and migrates it to the latest schema. */
export async function openSqlite(file: string): Promise<Backend> {
  if (!isMemory(file)) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (e) {
      throw cannotOpen(file, `cannot create its directory (${driverMessage(e)})`);
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw cannotOpen(file, "it is a directory");
  }

  let raw: Database.Database;
  try {
    raw = new Database(file, { timeout: 5000 });
  } catch (e) {
    throw cannotOpen(file, driverMessage(e));
  }
  try {
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.pragma("foreign_keys = ON");
    raw.pragma("busy_timeout = 5000");
    // Room for bulk upserts (EPSS is ~300,000 rows) without spilling pages mid-transaction.
    raw.pragma("cache_size = -65536");
  } catch (e) {
    raw.close();
    const message = driverMessage(e);
    throw cannotOpen(file, /not a database/i.test(message) ? "it is not a SQLite database" : message);
  }

  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: raw }) });
  // Each in-memory database is private to its connection; a file is shared by every connection to it.
  const lockKey = isMemory(file) ? Symbol(file) : path.resolve(file);
  try {
    await withFileLock(lockKey, () => migrateToLatest(db, "sqlite"));
  } catch (e) {
    await db.destroy();
    throw new PatchlineError(
      "DATABASE_ERROR",
      `cannot prepare the database file ${file}: ${driverMessage(e)}`,
      { file },
    );
  }

  const bulk = new SqliteBulk(raw);
  let closed = false;
  return {
    kind: "sqlite",
    db,
    // A write transaction first takes this file's in-process queue (see lock.ts), then Kysely's
    // single connection, so no other query slips in; BEGIN IMMEDIATE takes SQLite's write lock up
    // front (waiting up to busy_timeout for other processes).
    transaction: <T>(fn: (writer: Writer) => Promise<T>) =>
      withFileLock(lockKey, () =>
        db.connection().execute(async (conn) => {
          raw.exec("BEGIN IMMEDIATE");
          try {
            const writer: Writer = {
              db: conn,
              upsertDocs: async (table, rows) => bulk.upsertDocs(table, rows),
              upsertEpss: async (rows, at) => bulk.upsertEpss(rows, at),
              run: (sql, params) => bulk.run(sql, params),
              all: (sql, params) => bulk.all(sql, params),
            };
            const result = await fn(writer);
            raw.exec("COMMIT");
            return result;
          } catch (e) {
            if (raw.inTransaction) raw.exec("ROLLBACK");
            throw e;
          }
        }),
      ),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
