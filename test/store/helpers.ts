/**
 * Shared set-up for the store integration suite: every test runs on SQLite and on PostgreSQL.
 * PostgreSQL comes from PATCHLINE_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test);
 * each opened store gets its own schema pl_test_<random>, dropped afterwards. When PostgreSQL is
 * unreachable the postgres half is skipped with a message — except under CI, where it must run
 * (and therefore fails).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, it } from "vitest";
import type { Backend } from "../../src/store/backend.js";
import { openBackend, type Store, type StoreKind } from "../../src/store/index.js";
import { createStore } from "../../src/store/store.js";

export const PG_URL = process.env.PATCHLINE_TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message || e.name : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The backends to run: always sqlite; postgres when reachable or when CI is set. Registers a
 * visible skipped suite when postgres is left out.
 */
export async function backendsUnderTest(): Promise<StoreKind[]> {
  const problem = await postgresProblem();
  if (problem === undefined || process.env.CI) return ["sqlite", "postgres"];
  const note = `postgres: skipped — PostgreSQL unreachable (${problem}); set PATCHLINE_TEST_DATABASE_URL or start it`;
  console.warn(`[store suite] ${note}`);
  describe.skip(note, () => {
    it("runs this file's tests on PostgreSQL too", () => {});
  });
  return ["sqlite"];
}

export interface TestStore {
  store: Store;
  backend: Backend;
  kind: StoreKind;
  /** SQLite file path, or PostgreSQL schema name. */
  where: string;
  /** Closes the store and removes its file or schema. */
  cleanup(): Promise<void>;
}

export function tempDir(prefix = "pl-store-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

export function newSchemaName(): string {
  return `pl_test_${randomBytes(6).toString("hex")}`;
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === "sqlite") {
    const dir = tempDir();
    const file = path.join(dir, "patchline.db");
    const backend = await openBackend({ path: file });
    const store = createStore(backend);
    return {
      store,
      backend,
      kind,
      where: file,
      cleanup: async () => {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = newSchemaName();
  const backend = await openBackend({ url: PG_URL, schema });
  const store = createStore(backend);
  return {
    store,
    backend,
    kind,
    where: schema,
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/** A fixed instant per step, so tests never depend on the clock. */
export function at(n: number): string {
  return `2026-10-0${n}T08:00:00Z`;
}
