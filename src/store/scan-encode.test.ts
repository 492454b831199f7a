import { describe, expect, it } from "vitest";
import { ReportBuilder } from "../core/scan/builder.js";
import type { ScanFinding } from "../core/scan/types.js";
import {
  type CoverageEntry,
  decodeCoverage,
  decodeFindings,
  encodeCoverage,
  encodeScan,
  lastSeenTogether,
} from "./scan-encode.js";

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
    const encoded = encodeScan(r);
    expect(encoded.findings).toBe(3);
    expect(encoded.head).not.toHaveProperty("findings");
    expect(encoded.coverage.map((c) => [c.asset, c.findings])).toEqual([
      ["host:web01", 2],
      ["host:db01", 1],
      ["host:idle01", 0],
    ]);
    const web = decodeFindings(encoded.coverage[0]?.blob as Uint8Array);
    expect(web.map((f) => f.vulnId)).toEqual(["CVE-2024-1", "CVE-2024-2"]);
    expect(web).toEqual(
      r.findings
        .filter((f) => f.asset === "host:web01")
        .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)),
    );
    expect(decodeFindings(encoded.coverage[2]?.blob as Uint8Array)).toEqual([]);
    // The not-affected finding is stored but is not something the report still sees.
    expect(encoded.sightings).toEqual([{ asset: "host:web01", ids: ["CVE-2024-2", "CVE-2024-1"] }]);
  });

  it("encodes the same findings to the same bytes, which is how a re-scan that found the same is told", () => {
    const a = encodeScan(report()).coverage[0]?.blob as Uint8Array;
    const b = encodeScan(report()).coverage[0]?.blob as Uint8Array;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe("encodeCoverage", () => {
  const findings = encodeScan(report()).coverage.flatMap((c) => decodeFindings(c.blob));
  const [a, b, c] = findings as [ScanFinding, ScanFinding, ScanFinding];
  const gone: CoverageEntry = {
    state: "gone",
    firstSeen: "t1",
    lastSeen: "t2",
    lastReport: "r2",
    goneAt: "t3",
    goneReport: "r3",
    finding: b,
  };

  it("gives back every entry of a row as it was, present and gone, in fingerprint order", () => {
    const present = (firstSeen: string, finding: ScanFinding): CoverageEntry => ({
      state: "present",
      firstSeen,
      lastSeen: "t3",
      lastReport: "r3",
      finding,
    });
    const entries = [present("t1", a), gone, present("t2", c)].sort((x, y) =>
      x.finding.fingerprint < y.finding.fingerprint ? -1 : 1,
    );
    const stored = encodeCoverage(entries, "t3", "r3");
    expect(stored.goneFindings).not.toBeNull();
    expect(decodeFindings(stored.findings).map((f) => f.vulnId)).toEqual(
      entries.filter((e) => e.state === "present").map((e) => e.finding.vulnId),
    );
    expect(lastSeenTogether(stored.states)).toBe(true);
    expect(decodeCoverage({ ...stored, lastSeen: "t3", lastReport: "r3" })).toEqual(entries);
  });

  it("notes a present finding last seen before the row's latest report, and an empty row", () => {
    const entries: CoverageEntry[] = [
      { state: "present", firstSeen: "t1", lastSeen: "t4", lastReport: "r4", finding: a },
      { state: "present", firstSeen: "t1", lastSeen: "t3", lastReport: "r3", finding: c },
    ];
    const stored = encodeCoverage(entries, "t4", "r4");
    expect(stored.goneFindings).toBeNull();
    expect(lastSeenTogether(stored.states)).toBe(false);
    expect(decodeCoverage({ ...stored, lastSeen: "t4", lastReport: "r4" })).toEqual(entries);
    const empty = encodeCoverage([], "t4", "r4");
    expect(decodeCoverage({ ...empty, lastSeen: "t4", lastReport: "r4" })).toEqual([]);
  });
});
