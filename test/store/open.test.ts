import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { isPatchlineError } from "../../src/errors.js";
import { openStore } from "../../src/store/index.js";
import { epssBatch, meta } from "./corpus.js";
import { asset } from "./fixtures.js";
import { at, backendsUnderTest, dropSchema, newSchemaName, PG_URL, tempDir } from "./helpers.js";

const backends = await backendsUnderTest();
const EPSS = "epss/example-1.csv";

async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected a failure");
}

describe("SQLite files", () => {
  const dir = tempDir("pl-open-");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("creates missing parent directories, applies the pragmas and keeps data across reopen", async () => {
    const file = path.join(dir, "nested", "deeper", "patchline.db");
    const store = await openStore({ path: file });
    expect(store.kind).toBe("sqlite");
    await store.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(1)));
    await store.close();
    await store.close(); // closing twice is harmless
    expect(fs.existsSync(file)).toBe(true);

    const again = await openStore({ path: file });
    expect((await again.epssScores()).size).toBe(5);
    expect(await again.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(2)))).toMatchObject({
      unchanged: 5,
    });
    await again.close();

    const Database = (await import("better-sqlite3")).default;
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    const migrations = raw.prepare("select name from kysely_migration order by name").pluck().all();
    expect(migrations).toEqual([
      "0001_initial",
      "0002_tracker",
      "0003_scans",
      "0004_scan_coverage",
      "0005_compact_coverage",
    ]);
    raw.close();
  });

  it("opens an in-memory database", async () => {
    const store = await openStore({ path: ":memory:" });
    await store.importBatch({ kind: "assets", assets: [asset(1)] }, meta(EPSS, "inventory-csv", at(1)));
    expect(await store.assets()).toEqual([asset(1)]);
    await store.close();
  });

  it("names the file when it cannot be opened", async () => {
    const blocker = path.join(dir, "a-file");
    fs.writeFileSync(blocker, "x");
    const e = await failure(openStore({ path: path.join(blocker, "patchline.db") }));
    expect(isPatchlineError(e)).toBe(true);
    expect(e.code).toBe("DATABASE_ERROR");
    expect(e.message).toContain(`cannot open the database file ${path.join(blocker, "patchline.db")}`);
  });

  it("rejects a file that is not a SQLite database", async () => {
    const notDb = path.join(dir, "notes.db");
    fs.writeFileSync(
      notDb,
      "this is not a database, just text that is long enough to have a header page".repeat(20),
    );
    const e = await failure(openStore({ path: notDb }));
    expect(e.code).toBe("DATABASE_ERROR");
    expect(e.message).toBe(`cannot open the database file ${notDb}: it is not a SQLite database`);
  });

  it("rejects a directory", async () => {
    const e = await failure(openStore({ path: dir }));
    expect(e.message).toBe(`cannot open the database file ${dir}: it is a directory`);
  });
});

describe("PostgreSQL connection errors", () => {
  it("says where it tried to connect, without the password", async () => {
    const e = await failure(openStore({ url: "postgres://alice:s3cret-pw@127.0.0.1:1/patchline" }));
    expect(e.code).toBe("DATABASE_ERROR");
    expect(e.message).toMatch(
      /^cannot connect to PostgreSQL at 127\.0\.0\.1:1 \(.+\) — start it or set PATCHLINE_DATABASE_URL$/,
    );
    expect(e.message).not.toContain("s3cret");
  });

  it("rejects a schema name that would need quoting", async () => {
    const e = await failure(openStore({ url: PG_URL, schema: "Robert'); drop table x;--" }));
    expect(e.code).toBe("USAGE");
  });
});

describe.each(backends.filter((k) => k === "postgres"))("PostgreSQL schemas (%s)", () => {
  it("keeps two schemas in one database apart, each with its own migrations", async () => {
    const a = newSchemaName();
    const b = newSchemaName();
    try {
      const first = await openStore({ url: PG_URL, schema: a });
      await first.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(1)));
      const second = await openStore({ url: PG_URL, schema: b });
      expect((await second.epssScores()).size).toBe(0);
      expect((await first.epssScores()).size).toBe(5);
      await first.close();
      await second.close();

      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      const { rows } = await client.query<{ schema: string }>(
        "select table_schema as schema from information_schema.tables where table_name = 'kysely_migration' and table_schema in ($1, $2) order by 1",
        [a, b],
      );
      await client.end();
      expect(rows.map((r) => r.schema)).toEqual([a, b].sort());

      const reopened = await openStore({ url: PG_URL, schema: a });
      expect((await reopened.epssScores()).get("CVE-1999-0001")?.epss).toBe(0.00383);
      await reopened.close();
    } finally {
      await dropSchema(a);
      await dropSchema(b);
    }
  });

  it("opens one new schema from two stores at once", async () => {
    const schema = newSchemaName();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openStore({ url: PG_URL, schema })));
      await stores[0]!.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(1)));
      expect((await stores[2]!.epssScores()).size).toBe(5);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it("reports a missing database by name", async () => {
    const url = new URL(PG_URL);
    url.pathname = "/pl_no_such_database";
    const e = await failure(openStore({ url: url.toString() }));
    expect(e.code).toBe("DATABASE_ERROR");
    expect(e.message).toContain('database "pl_no_such_database" does not exist');
  });
});
