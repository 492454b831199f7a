import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { epssBatch, kevBatch, meta } from "./corpus.js";
import { at, backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const EPSS = "epss/example-1.csv";
const KEV = "kev/known_exploited_vulnerabilities.json";
const backends = await backendsUnderTest();

describe.each(backends)("import log (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("records file, sha256, format, instant and counts in import order", async () => {
    const e = meta(EPSS, "epss-csv", at(1));
    const k = meta(KEV, "kev-json", at(2));
    await t.store.importBatch(epssBatch(EPSS), e);
    await t.store.importBatch(kevBatch(KEV), k);
    expect(await t.store.imports()).toEqual([
      {
        file: EPSS,
        sha256: e.sha256,
        format: "epss-csv",
        importedAt: at(1),
        records: 5,
        added: 5,
        updated: 0,
        unchanged: 0,
      },
      {
        file: KEV,
        sha256: k.sha256,
        format: "kev-json",
        importedAt: at(2),
        records: 1404,
        added: 1404,
        updated: 0,
        unchanged: 0,
      },
    ]);
    expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the same file twice is logged once; a different file with nothing new is still logged", async () => {
    await t.store.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(1)));
    await t.store.importBatch(epssBatch(EPSS), meta(EPSS, "epss-csv", at(2)));
    expect(await t.store.imports()).toHaveLength(1);

    // Same rows under another file hash (say, re-saved with other line endings): logged, all unchanged.
    await t.store.importBatch(epssBatch(EPSS), { ...meta(EPSS, "epss-csv", at(3)), sha256: "0".repeat(64) });
    const log = await t.store.imports();
    expect(log).toHaveLength(2);
    expect(log[1]).toMatchObject({ importedAt: at(3), added: 0, updated: 0, unchanged: 5 });
  });

  it("the same file again after its rows changed in between is logged, with what it changed back", async () => {
    const kev = kevBatch(KEV);
    await t.store.importBatch(kev, meta(KEV, "kev-json", at(1)));
    const edited = kevBatch(KEV);
    edited.entries[0] = { ...edited.entries[0]!, notes: "edited" };
    await t.store.importBatch(edited, { ...meta(KEV, "kev-json", at(2)), sha256: "1".repeat(64) });
    await t.store.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(3)));
    const log = await t.store.imports();
    expect(log.map((l) => [l.importedAt, l.updated])).toEqual([
      [at(1), 0],
      [at(2), 1],
      [at(3), 1],
    ]);
  });
});
