import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdvisoryRecord } from "../../src/core/types.js";
import { corpus, cve5Record, cve5Records, syntheticMeta } from "./corpus.js";
import { asset, owner } from "./fixtures.js";
import { at, backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const backends = await backendsUnderTest();

describe.each(backends)("advisory records, assets and owners (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("stores CVE 5 records from the corpus and reads them back unchanged", async () => {
    const records = cve5Records();
    expect(records).toHaveLength(13);
    const m = syntheticMeta("cve5/", "cve5", at(1), "cve5-all");
    expect(await t.store.importBatch({ kind: "advisories", records }, m)).toEqual({
      records: 13,
      added: 13,
      updated: 0,
      unchanged: 0,
    });
    const stored = await t.store.advisoryRecords();
    expect(stored.map((r) => r.id)).toEqual(records.map((r) => r.id).sort());
    const panos = stored.find((r) => r.id === "CVE-2024-3400");
    expect(panos).toEqual(cve5Record("cve5/CVE-2024-3400.json"));
    expect(panos?.affected[0]?.vendor).toBe("Palo Alto Networks");
    expect(stored.find((r) => r.id === "CVE-2024-26613")?.state).toBe("rejected");
  });

  it("keys advisory records by id, source and source id", async () => {
    const cve = cve5Record("cve5/CVE-2021-44228.json");
    const csaf: AdvisoryRecord = {
      ...cve,
      source: "csaf",
      sourceId: "RHSA-2021:5217",
      title: "log4j (RHSA)",
    };
    await t.store.importBatch({ kind: "advisories", records: [cve] }, syntheticMeta("a", "cve5", at(1), "a"));
    const counts = await t.store.importBatch(
      { kind: "advisories", records: [csaf, { ...cve, title: "Log4Shell" }] },
      syntheticMeta("b", "csaf", at(2), "b"),
    );
    expect(counts).toEqual({ records: 2, added: 1, updated: 1, unchanged: 0 });
    const stored = await t.store.advisoryRecords();
    expect(stored.map((r) => [r.id, r.source, r.sourceId, r.title])).toEqual([
      ["CVE-2021-44228", "csaf", "RHSA-2021:5217", "log4j (RHSA)"],
      ["CVE-2021-44228", "cve5", "CVE-2021-44228", "Log4Shell"],
    ]);
  });

  it("content with keys in another order is unchanged", async () => {
    const a = asset(7);
    await t.store.importBatch(
      { kind: "assets", assets: [a] },
      syntheticMeta("i1", "inventory-json", at(1), "i1"),
    );
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    const counts = await t.store.importBatch(
      { kind: "assets", assets: [reordered] },
      syntheticMeta("i2", "inventory-json", at(2), "i2"),
    );
    expect(counts).toEqual({ records: 1, added: 0, updated: 0, unchanged: 1 });
  });

  it("imports assets and owners, updating only what changed", async () => {
    const assets = Array.from({ length: 50 }, (_, i) => asset(i));
    const owners = Array.from({ length: 5 }, (_, i) => owner(i));
    await t.store.importBatch(
      { kind: "assets", assets },
      syntheticMeta("inv.csv", "inventory-csv", at(1), "inv1"),
    );
    await t.store.importBatch(
      { kind: "owners", owners },
      syntheticMeta("own.csv", "owners-csv", at(1), "own1"),
    );

    const next = assets.map((a) => (a.id === "asset-00003" ? { ...a, exposure: "internet" as const } : a));
    next.push(asset(50));
    expect(
      await t.store.importBatch(
        { kind: "assets", assets: next },
        syntheticMeta("inv.csv", "inventory-csv", at(2), "inv2"),
      ),
    ).toEqual({ records: 51, added: 1, updated: 1, unchanged: 49 });

    const stored = await t.store.assets();
    expect(stored).toHaveLength(51);
    expect(stored[0]?.id).toBe("asset-00000");
    expect(stored.find((a) => a.id === "asset-00003")?.exposure).toBe("internet");
    expect(stored.find((a) => a.id === "asset-00050")).toEqual(asset(50));

    expect(
      await t.store.importBatch(
        { kind: "owners", owners: [owner(1, { timeZone: "Asia/Tokyo" }), owner(9)] },
        syntheticMeta("own.csv", "owners-csv", at(2), "own2"),
      ),
    ).toEqual({ records: 2, added: 1, updated: 1, unchanged: 0 });
    const storedOwners = await t.store.owners();
    expect(storedOwners.map((o) => o.id)).toEqual([
      "owner-0",
      "owner-1",
      "owner-2",
      "owner-3",
      "owner-4",
      "owner-9",
    ]);
    expect(storedOwners[1]?.timeZone).toBe("Asia/Tokyo");
  });

  it("large documents (a 130 KB CSAF text, 200 times) round-trip intact", async () => {
    const text = fs.readFileSync(corpus("csaf/cisco-sa-20180328-smi2.json"), "utf8");
    const base = cve5Record("cve5/CVE-2024-3400.json");
    const records = Array.from(
      { length: 200 },
      (_, i): AdvisoryRecord => ({
        ...base,
        source: "csaf",
        sourceId: `cisco-sa-${String(i).padStart(3, "0")}`,
        notes: [text],
      }),
    );
    const m = syntheticMeta("csaf/", "csaf", at(1), "big");
    expect(await t.store.importBatch({ kind: "advisories", records }, m)).toMatchObject({ added: 200 });
    const stored = await t.store.advisoryRecords();
    expect(stored).toHaveLength(200);
    expect(stored[199]?.notes[0]).toBe(text);
    expect(await t.store.importBatch({ kind: "advisories", records }, m)).toMatchObject({ unchanged: 200 });
  });

  it("an empty batch imports nothing and is still logged", async () => {
    const counts = await t.store.importBatch(
      { kind: "assets", assets: [] },
      syntheticMeta("e", "inventory-csv", at(1), "e"),
    );
    expect(counts).toEqual({ records: 0, added: 0, updated: 0, unchanged: 0 });
    expect(await t.store.imports()).toHaveLength(1);
  });
});
