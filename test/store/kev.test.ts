import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kevBatch, meta } from "./corpus.js";
import { at, backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const KEV = "kev/known_exploited_vulnerabilities.json";
const backends = await backendsUnderTest();

describe.each(backends)("KEV import (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("imports the 2025.08.25 catalog and remembers its version", async () => {
    const counts = await t.store.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(1)));
    expect(counts).toEqual({ records: 1404, added: 1404, updated: 0, unchanged: 0 });

    const entries = await t.store.kevEntries();
    expect(entries).toHaveLength(1404);
    const git = entries.find((e) => e.cveId === "CVE-2025-48384");
    expect(git).toMatchObject({
      vendorProject: "Git",
      dueDate: "2025-09-15",
      knownRansomwareCampaignUse: "Unknown",
    });
    expect(git?.cwes).toContain("CWE-59");
    expect(await t.store.kevCatalog()).toEqual({
      catalogVersion: "2025.08.25",
      released: "2025-08-25T17:04:19.9796Z",
    });
  });

  it("re-importing the same catalog writes nothing", async () => {
    const batch = kevBatch(KEV);
    await t.store.importBatch(batch, meta(KEV, "kev-json", at(1)));
    const read = () =>
      sql<{ cve_id: string; updated_at: string; version: string }>`select cve_id, updated_at, ${sql.raw(
        kind === "postgres" ? "xmin::text" : "'-'",
      )} as version from kev_entries order by cve_id`.execute(t.backend.db);
    const before = (await read()).rows;

    const again = await t.store.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(2)));
    expect(again).toEqual({ records: 1404, added: 0, updated: 0, unchanged: 1404 });
    // Same updated_at (the second import used another instant) and, on PostgreSQL, the same row versions.
    expect((await read()).rows).toEqual(before);
    expect(await t.store.imports()).toHaveLength(1);
  });

  it("keeps entries a later catalog no longer lists and counts changed ones", async () => {
    await t.store.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(1)));
    const later = kevBatch(KEV);
    const dropped = later.entries.shift()!;
    const changed = later.entries[0]!;
    changed.knownRansomwareCampaignUse = "Known";
    later.catalogVersion = "2025.08.26";
    later.released = "2025-08-26T15:00:00.0000Z";

    const counts = await t.store.importBatch(later, {
      ...meta(KEV, "kev-json", at(2)),
      sha256: "b".repeat(64),
    });
    expect(counts).toEqual({ records: 1403, added: 0, updated: 1, unchanged: 1402 });
    const entries = await t.store.kevEntries();
    expect(entries).toHaveLength(1404);
    expect(entries.find((e) => e.cveId === dropped.cveId)).toEqual(dropped);
    expect(entries.find((e) => e.cveId === changed.cveId)?.knownRansomwareCampaignUse).toBe("Known");
    expect(await t.store.kevCatalog()).toEqual({
      catalogVersion: "2025.08.26",
      released: "2025-08-26T15:00:00.0000Z",
    });
  });

  it("a catalog without a version keeps the last known one", async () => {
    expect(await t.store.kevCatalog()).toBeUndefined();
    await t.store.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(1)));
    const csvLike = kevBatch(KEV);
    delete csvLike.catalogVersion;
    delete csvLike.released;
    const counts = await t.store.importBatch(
      csvLike,
      meta("kev/known_exploited_vulnerabilities.csv", "kev-csv", at(2)),
    );
    expect(counts.unchanged).toBe(1404);
    expect((await t.store.kevCatalog())?.catalogVersion).toBe("2025.08.25");
  });

  it("the 2023 legacy catalog (no cwes) replaces older content of shared entries", async () => {
    const legacy = "kev/kev_2023-10-13_legacy-powershell-format.json";
    const old = kevBatch(legacy);
    const first = await t.store.importBatch(old, meta(legacy, "kev-json", at(1)));
    expect(first.added).toBe(old.entries.length);
    expect(old.entries.find((e) => e.cveId === "CVE-2021-44228")?.cwes).toEqual([]);
    const current = kevBatch(KEV);
    const counts = await t.store.importBatch(current, meta(KEV, "kev-json", at(2)));
    const oldIds = new Set(old.entries.map((e) => e.cveId));
    const shared = current.entries.filter((e) => oldIds.has(e.cveId)).length;
    expect(shared).toBeGreaterThan(900);
    expect(counts).toEqual({ records: 1404, added: 1404 - shared, updated: shared, unchanged: 0 });
    const log4shell = (await t.store.kevEntries()).find((e) => e.cveId === "CVE-2021-44228");
    expect(log4shell?.cwes).toEqual(["CWE-20", "CWE-400", "CWE-502"]);
  });

  it("an older catalog imported after a newer one changes none of the newer entries", async () => {
    const legacy = "kev/kev_2023-10-13_legacy-powershell-format.json";
    await t.store.importBatch(kevBatch(KEV), meta(KEV, "kev-json", at(1)));
    const old = kevBatch(legacy);
    const counts = await t.store.importBatch(old, meta(legacy, "kev-json", at(2)));
    expect(counts.updated).toBe(0);
    const log4shell = (await t.store.kevEntries()).find((e) => e.cveId === "CVE-2021-44228");
    expect(log4shell?.cwes).toEqual(["CWE-20", "CWE-400", "CWE-502"]);
    expect((await t.store.kevCatalog())?.catalogVersion).toBe("2025.08.25");
    // Entries only the old catalog lists are kept (removed since: they deserve a review).
    expect(counts.added).toBe((await t.store.kevEntries()).length - 1404);
  });
});
