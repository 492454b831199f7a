import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Asset, EpssScore } from "../../src/core/types.js";
import { isPatchlineError } from "../../src/errors.js";
import { epssBatch, kevBatch, meta, syntheticMeta } from "./corpus.js";
import { asset, workItem } from "./fixtures.js";
import { at, backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const backends = await backendsUnderTest();

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

describe.each(backends)("all or nothing (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("an asset batch with a poisoned record deep inside leaves nothing behind", async () => {
    // 12,000 assets: the bad one sits in the third statement on both backends, after rows were written.
    const assets: Asset[] = Array.from({ length: 12_000 }, (_, i) => asset(i));
    assets[11_000] = { ...assets[11_000]!, id: null as unknown as string };
    const error = await rejection(
      t.store.importBatch(
        { kind: "assets", assets },
        syntheticMeta("inventory.csv", "inventory-csv", at(1), "bad"),
      ),
    );
    expect(isPatchlineError(error)).toBe(true);
    expect(error).toMatchObject({ code: "DATABASE_ERROR" });
    expect((error as Error).message).toMatch(
      /^the database rejected the import, nothing was written: .*null/i,
    );
    expect(error).toMatchObject({ place: { file: "inventory.csv" } });
    expect(await t.store.assets()).toEqual([]);
    expect(await t.store.imports()).toEqual([]);
  });

  it("a poisoned record in the first of many statements fails cleanly", async () => {
    const assets: Asset[] = Array.from({ length: 9_000 }, (_, i) => asset(i));
    assets[10] = { ...assets[10]!, systemOwner: null as unknown as string };
    await expect(
      t.store.importBatch(
        { kind: "assets", assets },
        syntheticMeta("inventory.csv", "inventory-csv", at(1), "bad"),
      ),
    ).rejects.toMatchObject({ code: "DATABASE_ERROR", message: expect.stringMatching(/system_owner/) });
    expect(await t.store.assets()).toEqual([]);
    expect(await t.store.imports()).toEqual([]);
  });

  it("a failed EPSS import keeps the scores that were there before", async () => {
    const good = "epss/example-1.csv";
    await t.store.importBatch(epssBatch(good), meta(good, "epss-csv", at(1)));
    const before = await t.store.epssScores();

    const next = epssBatch("epss/epss_scores-current_2026-09-29_prefix100.csv");
    const filler: EpssScore[] = Array.from({ length: 60_000 }, (_, i) => ({
      cve: `CVE-2030-${100000 + i}`,
      epss: 0.1,
      percentile: 0.5,
      scoreDate: next.scoreDate,
      modelVersion: next.modelVersion,
    }));
    // Sorted after the filler, so the first 50,000+ rows are written before the bad one fails.
    next.scores.push(...filler, { ...filler[0]!, cve: "CVE-2030-999999", epss: null as unknown as number });
    const error = await rejection(
      t.store.importBatch(next, syntheticMeta("epss.csv", "epss-csv", at(2), "bad-epss")),
    );
    expect(error).toMatchObject({ code: "DATABASE_ERROR" });
    expect(await t.store.epssScores()).toEqual(before);
    expect(await t.store.imports()).toHaveLength(1);
  });

  it("a KEV import that fails keeps the old catalog version and entries", async () => {
    const file = "kev/known_exploited_vulnerabilities.json";
    const first = kevBatch(file);
    first.entries = first.entries.slice(0, 100);
    await t.store.importBatch(first, meta(file, "kev-json", at(1)));
    const next = kevBatch(file);
    next.catalogVersion = "2099.01.01";
    next.entries[500] = { ...next.entries[500]!, cveId: null as unknown as string };
    await expect(
      t.store.importBatch(next, syntheticMeta(file, "kev-json", at(2), "bad-kev")),
    ).rejects.toMatchObject({
      code: "DATABASE_ERROR",
    });
    expect(await t.store.kevEntries()).toHaveLength(100);
    expect((await t.store.kevCatalog())?.catalogVersion).toBe("2025.08.25");
  });

  it("saving work items is all or nothing too", async () => {
    const items = [workItem(1, at(1)), workItem(2, at(1), { id: null as unknown as string })];
    await expect(t.store.saveWorkItems(items)).rejects.toMatchObject({ code: "DATABASE_ERROR" });
    expect(await t.store.workItems()).toEqual([]);
  });

  it("the store stays usable after a failed import", async () => {
    const assets = [asset(1), { ...asset(2), id: null as unknown as string }];
    await expect(
      t.store.importBatch({ kind: "assets", assets }, syntheticMeta("x", "inventory-csv", at(1), "x")),
    ).rejects.toMatchObject({ code: "DATABASE_ERROR" });
    const counts = await t.store.importBatch(
      { kind: "assets", assets: [asset(1)] },
      syntheticMeta("y", "inventory-csv", at(2), "y"),
    );
    expect(counts).toEqual({ records: 1, added: 1, updated: 0, unchanged: 0 });
  });
});
