/**
 * Migration 0004 moves scanner findings from one row each to one row per scanner × scope × asset;
 * 0005 writes once what the entries of a row share. Findings stored the old way come through
 * unchanged, and the way back restores the old rows.
 */
import { brotliDecompressSync, inflateSync } from "node:zlib";
import { Migrator, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReportBuilder } from "../../src/core/scan/builder.js";
import type { FeedFormat } from "../../src/ingest/types.js";
import { migrateToLatest, migrationProvider } from "../../src/store/migrations/index.js";
import { backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const backends = await backendsUnderTest();

function report(time: string, hosts: Record<string, string[]>) {
  const b = new ReportBuilder("trivy");
  for (const [host, cves] of Object.entries(hosts)) {
    const asset = b.asset({ hostname: host }) as string;
    for (const cve of cves) {
      b.finding({ asset, vulnId: cve, package: { name: "openssl", version: "3.0.2" }, severity: "high" });
    }
  }
  return { kind: "scan" as const, report: b.build({ reportTime: time, scope: "image" }) };
}

function meta(n: number) {
  return {
    file: `scan-${n}.json`,
    sha256: `sha-${n}`,
    format: "trivy-json" as FeedFormat,
    importedAt: "2026-11-20T00:00:00Z",
  };
}

describe.each(backends)("migration 0004: scanner findings per asset (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("carries findings over both ways, present and gone, and later reports compare with them", async () => {
    await t.store.importBatch(
      report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1", "CVE-2024-2"], db01: ["CVE-2024-3"] }),
      meta(1),
    );
    await t.store.importBatch(report("2026-11-08T00:00:00Z", { web01: ["CVE-2024-1"] }), meta(2));
    const before = await t.store.scanFindings();
    expect(before.map((f) => [f.finding.vulnId, f.state])).toEqual([
      ["CVE-2024-3", "present"],
      ["CVE-2024-1", "present"],
      ["CVE-2024-2", "gone"],
    ]);

    const schema = kind === "postgres" ? { migrationTableSchema: t.where } : {};
    const migrator = new Migrator({ db: t.backend.db, provider: migrationProvider(kind), ...schema });
    const down = await migrator.migrateTo("0003_scans");
    expect(down.error).toBeUndefined();
    const rows = await sql<{ key: string; state: string; gone_report: string | null }>`
      select key, state, gone_report from scan_findings order by key`.execute(t.backend.db);
    expect(rows.rows.map((r) => [r.key.split("\u001f").at(-1), r.state, r.gone_report])).toEqual([
      ["host:db01|CVE-2024-3|pkg:openssl@3.0.2", "present", null],
      ["host:web01|CVE-2024-1|pkg:openssl@3.0.2", "present", null],
      ["host:web01|CVE-2024-2|pkg:openssl@3.0.2", "gone", "sha-2"],
    ]);

    await migrateToLatest(t.backend.db, kind, kind === "postgres" ? t.where : undefined);
    expect(await t.store.scanFindings()).toEqual(before);

    const third = await t.store.importBatch(
      report("2026-11-15T00:00:00Z", { web01: ["CVE-2024-1", "CVE-2024-2"] }),
      meta(3),
    );
    expect(third.scan?.redetected).toEqual(["host:web01|CVE-2024-2|pkg:openssl@3.0.2"]);
  });
  it("0005 keeps present findings apart from gone ones and says once what they share; the way back restores every entry whole", async () => {
    await t.store.importBatch(
      report("2026-11-01T00:00:00Z", { web01: ["CVE-2024-1", "CVE-2024-2"], db01: ["CVE-2024-3"] }),
      meta(1),
    );
    await t.store.importBatch(report("2026-11-08T00:00:00Z", { web01: ["CVE-2024-1"] }), meta(2));
    await t.store.importBatch(
      report("2026-11-15T00:00:00Z", { web01: ["CVE-2024-1", "CVE-2024-4"] }),
      meta(3),
    );
    const before = await t.store.scanFindings();
    const unpack = (bytes: Uint8Array) => JSON.parse(brotliDecompressSync(bytes).toString("utf8")) as unknown;
    const rows = async () =>
      (
        await sql<{ findings: Uint8Array; states: string; gone_findings: Uint8Array | null }>`
          select findings, states, gone_findings from scan_coverage order by key`.execute(t.backend.db)
      ).rows;
    const compact = await rows();
    const [db01, web01] = compact;
    expect(db01?.gone_findings).toBeNull();
    expect((unpack(web01?.findings as Uint8Array) as { vulnId: string }[]).map((f) => f.vulnId)).toEqual([
      "CVE-2024-1",
      "CVE-2024-4",
    ]);
    expect(JSON.parse(web01?.states as string)).toEqual({
      firstSeen: "2026-11-01T00:00:00Z",
      own: { 1: { firstSeen: "2026-11-15T00:00:00Z" } },
    });
    const gone = (unpack(web01?.gone_findings as Uint8Array) as Record<string, unknown>[]).map(
      ({ finding, ...rest }) => rest,
    );
    expect(gone).toEqual([
      {
        state: "gone",
        firstSeen: "2026-11-01T00:00:00Z",
        lastSeen: "2026-11-01T00:00:00Z",
        lastReport: "sha-1",
        goneAt: "2026-11-08T00:00:00Z",
        goneReport: "sha-2",
      },
    ]);

    const schema = kind === "postgres" ? { migrationTableSchema: t.where } : {};
    const migrator = new Migrator({ db: t.backend.db, provider: migrationProvider(kind), ...schema });
    expect((await migrator.migrateTo("0004_scan_coverage")).error).toBeUndefined();
    const old = await sql<{ findings: Uint8Array }>`select findings from scan_coverage order by key`.execute(
      t.backend.db,
    );
    const whole = JSON.parse(inflateSync(old.rows[1]?.findings as Uint8Array).toString("utf8")) as Record<
      string,
      unknown
    >[];
    expect(whole.map(({ finding, ...rest }) => rest)).toEqual([
      {
        state: "present",
        firstSeen: "2026-11-01T00:00:00Z",
        lastSeen: "2026-11-15T00:00:00Z",
        lastReport: "sha-3",
      },
      gone[0],
      {
        state: "present",
        firstSeen: "2026-11-15T00:00:00Z",
        lastSeen: "2026-11-15T00:00:00Z",
        lastReport: "sha-3",
      },
    ]);

    await migrateToLatest(t.backend.db, kind, kind === "postgres" ? t.where : undefined);
    expect(await rows()).toEqual(compact);
    expect(await t.store.scanFindings()).toEqual(before);
  });
});
