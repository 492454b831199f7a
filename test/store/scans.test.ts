import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReportBuilder } from "../../src/core/scan/builder.js";
import type { ScanReport } from "../../src/core/scan/types.js";
import type { FeedFormat } from "../../src/ingest/types.js";
import type { ImportMeta } from "../../src/store/index.js";
import { encodeScan } from "../../src/store/scan-encode.js";
import { backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const backends = await backendsUnderTest();

/** A Trivy-like report: each host with the given CVEs on openssl. */
function report(time: string | undefined, hosts: Record<string, string[]>, scope?: string): ScanReport {
  const b = new ReportBuilder("trivy");
  for (const [host, cves] of Object.entries(hosts)) {
    const asset = b.asset({ hostname: host }) as string;
    for (const cve of cves) {
      b.finding({ asset, vulnId: cve, package: { name: "openssl", version: "3.0.2" }, severity: "high" });
    }
  }
  return b.build({ ...(time ? { reportTime: time } : {}), ...(scope ? { scope } : {}) });
}

/** A report encoded for importScans, as ingest hands it over. */
function encoded(r: ScanReport, m: ImportMeta) {
  return { scan: encodeScan(r), meta: m };
}

let n = 0;
function meta(at = "2026-11-20T00:00:00Z") {
  n += 1;
  return { file: `scan-${n}.json`, sha256: `sha-${n}`, format: "trivy-json" as FeedFormat, importedAt: at };
}

describe.each(backends)("scanner reports in the store (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const batch = (r: ScanReport) => ({ kind: "scan" as const, report: r });

  it("stores findings once and changes nothing when the same file comes again", async () => {
    const r = report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1", "CVE-2024-2"], web02: ["CVE-2024-1"] });
    const m = meta();
    const first = await t.store.importBatch(batch(r), m);
    expect(first).toMatchObject({ records: 3, added: 3, updated: 0, unchanged: 0 });
    const again = await t.store.importBatch(batch(r), { ...m, importedAt: "2026-11-21T00:00:00Z" });
    expect(again).toMatchObject({ records: 3, added: 0, updated: 0, unchanged: 3 });
    expect(again.scan?.seenBefore).toBe(true);
    expect(await t.store.scanFindings({ state: "present" })).toHaveLength(3);
    expect(await t.store.scanReports()).toHaveLength(1);
    expect((await t.store.scanAssets()).map((a) => a.key)).toEqual(["host:web01", "host:web02"]);
  });

  it("marks a finding gone only on an asset the later report covered", async () => {
    await t.store.importBatch(
      batch(report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1"], web02: ["CVE-2024-1"] })),
      meta(),
    );
    // The re-scan covers web01 only (a partial scan): web02's finding must stay present.
    const second = await t.store.importBatch(batch(report("2026-11-08T00:00:00Z", { web01: [] })), meta());
    expect(second.scan?.gone).toEqual(["host:web01|CVE-2024-1|pkg:openssl@3.0.2"]);
    const present = await t.store.scanFindings({ state: "present" });
    expect(present.map((f) => f.finding.asset)).toEqual(["host:web02"]);
    const gone = await t.store.scanFindings({ state: "gone" });
    expect(gone[0]).toMatchObject({ goneAt: "2026-11-08T00:00:00Z", goneReport: `sha-${n}` });
  });

  it("re-detects a gone finding, and leaves everything alone for an older report imported late", async () => {
    await t.store.importBatch(batch(report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1"] })), meta());
    await t.store.importBatch(batch(report("2026-11-08T00:00:00Z", { web01: [] })), meta());
    const back = await t.store.importBatch(
      batch(report("2026-11-15T00:00:00Z", { web01: ["CVE-2024-1"] })),
      meta(),
    );
    expect(back.scan?.redetected).toHaveLength(1);
    expect(back).toMatchObject({ added: 0, updated: 1 });
    // A report from before the last one, imported now: it neither closes nor re-opens anything.
    const late = await t.store.importBatch(batch(report("2026-11-10T00:00:00Z", { web01: [] })), meta());
    expect(late.scan?.gone).toEqual([]);
    const stale = await t.store.importBatch(
      batch(report("2026-11-09T00:00:00Z", { web01: ["CVE-2024-1"] })),
      meta(),
    );
    expect(stale.scan?.stale).toBe(1);
    const [f] = await t.store.scanFindings();
    expect(f).toMatchObject({
      state: "present",
      lastSeen: "2026-11-15T00:00:00Z",
      firstSeen: "2026-11-01T00:00:00Z",
    });
  });

  it("a re-scan that finds the same marks it seen again, keeping first sightings and what has gone", async () => {
    await t.store.importBatch(
      batch(report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1", "CVE-2024-2"] })),
      meta(),
    );
    await t.store.importBatch(batch(report("2026-11-08T00:00:00Z", { web01: ["CVE-2024-1"] })), meta());
    const same = await t.store.importBatch(
      batch(report("2026-11-15T00:00:00Z", { web01: ["CVE-2024-1"] })),
      meta(),
    );
    expect(same).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    expect(same.scan).toMatchObject({ gone: [], redetected: [], stale: 0 });
    const seen = await t.store.scanFindings();
    expect(seen.map((f) => [f.finding.vulnId, f.state, f.firstSeen, f.lastSeen, f.lastReport])).toEqual([
      ["CVE-2024-1", "present", "2026-11-01T00:00:00Z", "2026-11-15T00:00:00Z", `sha-${n}`],
      ["CVE-2024-2", "gone", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", `sha-${n - 2}`],
    ]);
    // What is stored after being seen again compares as before.
    const back = await t.store.importBatch(
      batch(report("2026-11-22T00:00:00Z", { web01: ["CVE-2024-1", "CVE-2024-2"] })),
      meta(),
    );
    expect(back.scan?.redetected).toEqual(["host:web01|CVE-2024-2|pkg:openssl@3.0.2"]);
    expect((await t.store.scanFindings()).map((f) => [f.state, f.firstSeen, f.lastSeen])).toEqual([
      ["present", "2026-11-01T00:00:00Z", "2026-11-22T00:00:00Z"],
      ["present", "2026-11-01T00:00:00Z", "2026-11-22T00:00:00Z"],
    ]);
  });

  it("compares like with like: another scope or scanner never closes a finding", async () => {
    await t.store.importBatch(
      batch(report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1"] }, "full audit")),
      meta(),
    );
    const other = await t.store.importBatch(
      batch(report("2026-11-08T00:00:00Z", { web01: [] }, "web app tests")),
      meta(),
    );
    expect(other.scan?.gone).toEqual([]);
    expect(await t.store.scanFindings({ state: "present" })).toHaveLength(1);
  });

  it("uses the import time when the report does not say when it ran", async () => {
    await t.store.importBatch(
      batch(report(undefined, { web01: ["CVE-2024-1"] })),
      meta("2026-11-20T08:00:00Z"),
    );
    const [summary] = await t.store.scanReports();
    expect(summary).toMatchObject({ reportTime: "2026-11-20T08:00:00Z", timeFromImport: true, findings: 1 });
    const [finding] = await t.store.scanFindings();
    expect(finding).toMatchObject({ firstSeen: "2026-11-20T08:00:00Z", lastSeen: "2026-11-20T08:00:00Z" });
  });
});

describe.each(backends)("several scanner reports in one transaction (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("writes each report on its own: a failing one is rolled back alone", async () => {
    const good1 = report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1"] });
    const bad = report("2026-11-01T00:00:00Z", { web02: ["CVE-2024-2"] });
    // A report without a scanner name breaks a NOT NULL column: the database refuses that report.
    (bad as { scanner: unknown }).scanner = null;
    const good2 = report("2026-11-01T00:00:00Z", { web03: ["CVE-2024-3"] });
    const out = await t.store.importScans([
      encoded(good1, meta()),
      encoded(bad, meta()),
      encoded(good2, meta()),
    ]);
    expect(out.map((o) => ("records" in o ? o.added : o.code))).toEqual([1, "DATABASE_ERROR", 1]);
    expect((await t.store.scanFindings()).map((f) => f.finding.asset)).toEqual(["host:web01", "host:web03"]);
    expect((await t.store.scanReports()).map((r) => r.assets[0]?.key)).toEqual(["host:web01", "host:web03"]);
  });

  it("sees its own earlier reports: the second of two reports of one asset compares with the first", async () => {
    const out = await t.store.importScans([
      encoded(report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1"] }), meta()),
      encoded(report("2026-11-08T00:00:00Z", { web01: [] }), meta()),
    ]);
    expect(out.map((o) => ("records" in o ? o.scan?.gone.length : -1))).toEqual([0, 1]);
  });

  it("takes the same file twice in one group as one import, logged once", async () => {
    const r = report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1"], web02: ["CVE-2024-1"] });
    const m = meta();
    const out = await t.store.importScans([encoded(r, m), encoded(r, { ...m, file: "copy.json" })]);
    expect(out.map((o) => ("records" in o ? [o.added, o.scan?.seenBefore] : o.code))).toEqual([
      [2, false],
      [0, true],
    ]);
    expect((await t.store.imports()).map((i) => i.file)).toEqual([m.file]);
    expect(await t.store.scanFindings()).toHaveLength(2);
  });

  it("reads findings narrowed by vulnerability (aliases too), scanner and asset", async () => {
    const batch = (r: ScanReport) => ({ kind: "scan" as const, report: r });
    await t.store.importBatch(
      batch(report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1", "CVE-2024-2"], web02: ["CVE-2024-1"] })),
      meta(),
    );
    const grype = new ReportBuilder("grype");
    const asset = grype.asset({ hostname: "web01" }) as string;
    grype.finding({ asset, vulnId: "GHSA-aaaa-bbbb-cccc", aliases: ["CVE-2024-9"], severity: "low" });
    await t.store.importBatch(batch(grype.build({ reportTime: "2026-11-02T00:00:00Z" })), meta());

    const ids = (f: { vulnIds?: string[]; scanner?: string; assets?: string[] }) =>
      t.store
        .scanFindings(f)
        .then((all) => all.map((x) => `${x.scanner} ${x.finding.asset} ${x.finding.vulnId}`));
    expect(await ids({ vulnIds: ["cve-2024-9"] })).toEqual(["grype host:web01 GHSA-aaaa-bbbb-cccc"]);
    expect(await ids({ scanner: "trivy", assets: ["host:web02"] })).toEqual(["trivy host:web02 CVE-2024-1"]);
    expect(await ids({ assets: ["host:web01"], vulnIds: ["CVE-2024-2"] })).toEqual([
      "trivy host:web01 CVE-2024-2",
    ]);
    expect(await ids({ assets: [] })).toEqual([]);
  });

  it("walks every finding page by page, in asset order, and filters on the way", async () => {
    const hosts: Record<string, string[]> = {};
    for (let i = 0; i < 450; i++) hosts[`h${String(i).padStart(3, "0")}`] = ["CVE-2024-1", "CVE-2024-2"];
    await t.store.importScans([encoded(report("2026-11-01T00:00:00Z", hosts), meta())]);
    const seen: string[] = [];
    const n = await t.store.eachScanFinding({ vulnIds: ["CVE-2024-2"] }, (f) => {
      seen.push(f.finding.asset);
    });
    expect(n).toBe(450);
    expect(seen).toEqual(Object.keys(hosts).map((h) => `host:${h}`));
    let all = 0;
    await t.store.eachScanFinding({}, () => {
      all++;
    });
    expect(all).toBe(900);
  });
});
