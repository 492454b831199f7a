import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/index.js";
import { epssBatch, kevBatch, meta } from "./corpus.js";
import { at, backendsUnderTest, openTestStore, PG_URL, type TestStore, tempDir } from "./helpers.js";

const EPSS = "epss/epss_scores-current_2026-09-29_prefix100.csv";
const KEV = "kev/known_exploited_vulnerabilities.json";
const backends = await backendsUnderTest();

describe.each(backends)("simultaneous imports (%s)", (kind) => {
  let t: TestStore;
  let other: Store | undefined;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await t.cleanup();
  });

  it("two imports of the same file through one store: one adds, the other finds nothing new", async () => {
    const results = await Promise.all([
      t.store.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(1))),
      t.store.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(2))),
    ]);
    expect(results.map((r) => r.added).sort()).toEqual([0, 100]);
    expect(results.map((r) => r.unchanged).sort()).toEqual([0, 100]);
    expect(await t.store.imports()).toHaveLength(1);
  });

  it("two connections to the same database wait for each other instead of failing", async () => {
    other =
      kind === "sqlite"
        ? await openStore({ path: t.where })
        : await openStore({ url: PG_URL, schema: t.where });
    const results = await Promise.all([
      t.store.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(1))),
      other.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(2))),
      other.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(3))),
    ]);
    expect(results[0]!.added + results[1]!.added).toBe(1404);
    expect(results[0]!.unchanged + results[1]!.unchanged).toBe(1404);
    expect(results[2]).toMatchObject({ added: 100 });
    expect(await other.kevEntries()).toHaveLength(1404);
  });
});

describe("SQLite: opening one new file twice at once", () => {
  it("migrates once and both stores work", async () => {
    const dir = tempDir("pl-concurrent-");
    const file = path.join(dir, "p.db");
    try {
      const [a, b] = await Promise.all([openStore({ path: file }), openStore({ path: file })]);
      await Promise.all([
        a.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(1))),
        b.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(1))),
      ]);
      expect((await b.epssScores()).size).toBe(100);
      expect(await a.kevEntries()).toHaveLength(1404);
      await a.close();
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
