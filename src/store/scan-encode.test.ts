import { describe, expect, it } from "vitest";
import { ReportBuilder } from "../core/scan/builder.js";
import { type CoverageEntry, decodeEntries, encodeEntries, encodeScan } from "./scan-encode.js";

function report() {
  const b = new ReportBuilder("trivy");
  const web = b.asset({ hostname: "web01" }) as string;
  const db = b.asset({ hostname: "db01" }) as string;
  b.asset({ hostname: "idle01" });
  b.finding({
    asset: web,
    vulnId: "CVE-2024-2",
    package: { name: "openssl", version: "3.0.2" },
    severity: "high",
  });
  b.finding({ asset: web, vulnId: "CVE-2024-1", package: { name: "zlib", version: "1.2" }, severity: "low" });
  b.finding({ asset: db, vulnId: "CVE-2024-3", severity: "critical", status: "not_affected" });
  return b.build({ reportTime: "2026-11-20T06:00:00Z", scope: "image" });
}

describe("encodeScan", () => {
  it("keeps every covered asset, its findings in fingerprint order, and what the report still sees", () => {
    const r = report();
    const encoded = encodeScan(r, "ab".repeat(32), "2026-11-23T09:00:00Z");
    expect(encoded.findings).toBe(3);
    expect(encoded.head).not.toHaveProperty("findings");
    expect(encoded.coverage.map((c) => [c.asset, c.findings])).toEqual([
      ["host:web01", 2],
      ["host:db01", 1],
      ["host:idle01", 0],
    ]);
    const web = decodeEntries(encoded.coverage[0]?.blob as Uint8Array);
    expect(web.map((e) => e.finding.vulnId)).toEqual(["CVE-2024-1", "CVE-2024-2"]);
    expect(web[0]).toMatchObject({
      state: "present",
      firstSeen: "2026-11-20T06:00:00Z",
      lastSeen: "2026-11-20T06:00:00Z",
      lastReport: "ab".repeat(32),
    });
    expect(web.map((e) => e.finding)).toEqual(
      r.findings
        .filter((f) => f.asset === "host:web01")
        .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)),
    );
    // The not-affected finding is stored but is not something the report still sees.
    expect(encoded.sightings).toEqual([{ asset: "host:web01", ids: ["CVE-2024-2", "CVE-2024-1"] }]);
  });

  it("dates a report without a time of its own by the import", () => {
    const b = new ReportBuilder("nessus");
    const a = b.asset({ ip: "10.0.0.1" }) as string;
    b.finding({ asset: a, vulnId: "CVE-2024-9", severity: "medium" });
    const encoded = encodeScan(b.build({}), "cd".repeat(32), "2026-11-23T09:00:00Z");
    expect(decodeEntries(encoded.coverage[0]?.blob as Uint8Array)[0]?.firstSeen).toBe("2026-11-23T09:00:00Z");
  });
});

describe("encodeEntries", () => {
  it("gives back every entry as it was, whatever it shares with the others", () => {
    const findings = encodeScan(report(), "ab".repeat(32), "2026-11-23T09:00:00Z").coverage.flatMap((c) =>
      decodeEntries(c.blob).map((e) => e.finding),
    );
    const [a, b, c] = findings as [
      CoverageEntry["finding"],
      CoverageEntry["finding"],
      CoverageEntry["finding"],
    ];
    const entries: CoverageEntry[] = [
      {
        state: "gone",
        firstSeen: "t1",
        lastSeen: "t2",
        lastReport: "r2",
        goneAt: "t3",
        goneReport: "r3",
        finding: a,
      },
      { state: "present", firstSeen: "t1", lastSeen: "t3", lastReport: "r3", finding: b },
      { state: "present", firstSeen: "t2", lastSeen: "t3", lastReport: "r3", finding: c },
    ];
    expect(decodeEntries(encodeEntries(entries))).toEqual(entries);
    expect(decodeEntries(encodeEntries([]))).toEqual([]);
  });
});
