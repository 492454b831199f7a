import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type EpssBatch, epssBatch, meta, syntheticMeta } from "./corpus.js";
import { at, backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const OLD = "epss/example-1.csv"; // 2025-02-20, 5 rows
const NEW = "epss/epss_scores-current_2026-09-29_prefix100.csv"; // 2026-09-29, 100 rows
const backends = await backendsUnderTest();

describe.each(backends)("EPSS import (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("a newer file updates shared CVEs and keeps the previous score", async () => {
    expect(await t.store.importBatch(epssBatch(OLD), meta(OLD, "epss-csv", at(1)))).toEqual({
      records: 5,
      added: 5,
      updated: 0,
      unchanged: 0,
    });
    expect(await t.store.importBatch(epssBatch(NEW), meta(NEW, "epss-csv", at(2)))).toEqual({
      records: 100,
      added: 95,
      updated: 5,
      unchanged: 0,
    });
    const scores = await t.store.epssScores();
    expect(scores.size).toBe(100);
    expect(scores.get("CVE-1999-0001")).toEqual({
      cve: "CVE-1999-0001",
      epss: 0.03351,
      percentile: 0.88255,
      scoreDate: "2026-09-29",
      modelVersion: "v2026.06.15",
      previousEpss: 0.00383,
    });
    expect(scores.get("CVE-1999-0101")?.previousEpss).toBeUndefined();
  });

  it("an older file never overwrites newer scores and counts them as unchanged", async () => {
    await t.store.importBatch(epssBatch(NEW), meta(NEW, "epss-csv", at(1)));
    const counts = await t.store.importBatch(epssBatch(OLD), meta(OLD, "epss-csv", at(2)));
    expect(counts).toEqual({ records: 5, added: 0, updated: 0, unchanged: 5 });
    const score = (await t.store.epssScores(["CVE-1999-0002"])).get("CVE-1999-0002");
    expect(score).toEqual({
      cve: "CVE-1999-0002",
      epss: 0.27858,
      percentile: 0.98037,
      scoreDate: "2026-09-29",
      modelVersion: "v2026.06.15",
    });
  });

  it("re-importing the same file changes nothing and logs once", async () => {
    await t.store.importBatch(epssBatch(NEW), meta(NEW, "epss-csv", at(1)));
    const before = await t.backend.db
      .selectFrom("epss_scores")
      .select(["cve", "updated_at"])
      .orderBy("cve")
      .execute();
    const counts = await t.store.importBatch(epssBatch(NEW), meta(NEW, "epss-csv", at(2)));
    expect(counts).toEqual({ records: 100, added: 0, updated: 0, unchanged: 100 });
    expect(
      await t.backend.db.selectFrom("epss_scores").select(["cve", "updated_at"]).orderBy("cve").execute(),
    ).toEqual(before);
    expect(before[0]?.updated_at).toBe(at(1));
    expect(await t.store.imports()).toHaveLength(1);
  });

  it("previousEpss follows score changes, not date-only changes", async () => {
    const day = (date: string, epss: number): EpssBatch => ({
      kind: "epss",
      modelVersion: "v2026.06.15",
      scoreDate: date,
      scores: [
        { cve: "CVE-2024-3400", epss, percentile: 0.99, scoreDate: date, modelVersion: "v2026.06.15" },
      ],
    });
    const log = (n: number) => syntheticMeta(`epss-${n}.csv`, "epss-csv", at(n), `day-${n}`);
    await t.store.importBatch(day("2026-09-27", 0.5), log(1));
    expect(await t.store.importBatch(day("2026-09-28", 0.9), log(2))).toMatchObject({ updated: 1 });
    // A new day with the same score: the date moves, the previous score stays 0.5.
    expect(await t.store.importBatch(day("2026-09-29", 0.9), log(3))).toMatchObject({ updated: 1 });
    // The same day re-scored (a corrected file): updated, and the replaced value becomes the previous one.
    expect(await t.store.importBatch(day("2026-09-29", 0.95), log(4))).toMatchObject({ updated: 1 });
    const score = (await t.store.epssScores(["CVE-2024-3400"])).get("CVE-2024-3400");
    expect(score).toMatchObject({ epss: 0.95, previousEpss: 0.9, scoreDate: "2026-09-29" });
    expect((await t.store.imports()).map((i) => i.updated)).toEqual([0, 1, 1, 1]);
  });

  it("a CVE listed twice in one file counts once per line and keeps the last", async () => {
    const batch = epssBatch(OLD);
    const first = batch.scores[0]!;
    batch.scores.push({ ...first, epss: 0.5 });
    const counts = await t.store.importBatch(batch, meta(OLD, "epss-csv", at(1)));
    expect(counts).toEqual({ records: 6, added: 5, updated: 0, unchanged: 1 });
    expect((await t.store.epssScores([first.cve])).get(first.cve)?.epss).toBe(0.5);
  });

  it("looks up only the CVEs asked for", async () => {
    await t.store.importBatch(epssBatch(NEW), meta(NEW, "epss-csv", at(1)));
    const wanted = ["CVE-1999-0001", "CVE-1999-0050", "CVE-2099-0001", "CVE-1999-0001"];
    const scores = await t.store.epssScores(wanted);
    expect([...scores.keys()].sort()).toEqual(["CVE-1999-0001", "CVE-1999-0050"]);
    expect((await t.store.epssScores([])).size).toBe(0);
    const many = Array.from({ length: 1200 }, (_, i) => `CVE-1999-${String(i).padStart(4, "0")}`);
    expect((await t.store.epssScores(many)).size).toBe(100);
  });
});
