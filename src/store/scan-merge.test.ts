import { describe, expect, it } from "vitest";
import type { ScanFinding } from "../core/scan/types.js";
import type { CoverageEntry } from "./scan-encode.js";
import { emptyMergeCounts, mergeCoverage, sameJson } from "./scan-merge.js";

function finding(vulnId: string, extra: Partial<ScanFinding> = {}): ScanFinding {
  return {
    fingerprint: `host:web01|${vulnId}`,
    asset: "host:web01",
    vulnId,
    aliases: [],
    fixedVersions: [],
    severity: "high",
    cvss: [],
    locations: [],
    status: "affected",
    ...extra,
  };
}

function seen(f: ScanFinding, at: string, report: string, more: Partial<CoverageEntry> = {}): CoverageEntry {
  return { state: "present", firstSeen: at, lastSeen: at, lastReport: report, finding: f, ...more };
}

const MON = "2026-11-02T06:00:00Z";
const TUE = "2026-11-03T06:00:00Z";
const WED = "2026-11-04T06:00:00Z";

describe("mergeCoverage", () => {
  it("adds new findings, keeps the first sighting of known ones and counts changed content", () => {
    const counts = emptyMergeCounts();
    const out = mergeCoverage(
      [seen(finding("CVE-1"), MON, "r1"), seen(finding("CVE-2"), MON, "r1")],
      [
        seen(finding("CVE-1"), TUE, "r2"),
        seen(finding("CVE-2", { severity: "critical" }), TUE, "r2"),
        seen(finding("CVE-3"), TUE, "r2"),
      ],
      TUE,
      "r2",
      counts,
    );
    expect(counts).toMatchObject({ added: 1, updated: 1, unchanged: 1, stale: 0, gone: [], redetected: [] });
    expect(out.map((e) => [e.finding.vulnId, e.firstSeen, e.lastSeen, e.lastReport])).toEqual([
      ["CVE-1", MON, TUE, "r2"],
      ["CVE-2", MON, TUE, "r2"],
      ["CVE-3", TUE, TUE, "r2"],
    ]);
    expect(out[1]?.finding.severity).toBe("critical");
  });

  it("marks a finding the report lacks as gone, and brings it back when seen again", () => {
    const counts = emptyMergeCounts();
    const gone = mergeCoverage([seen(finding("CVE-1"), MON, "r1")], [], TUE, "r2", counts);
    expect(counts.gone).toEqual(["host:web01|CVE-1"]);
    expect(gone[0]).toMatchObject({ state: "gone", goneAt: TUE, goneReport: "r2", lastSeen: MON });

    const again = emptyMergeCounts();
    const back = mergeCoverage(gone, [seen(finding("CVE-1"), WED, "r3")], WED, "r3", again);
    expect(again).toMatchObject({ redetected: ["host:web01|CVE-1"], updated: 1, gone: [] });
    expect(back[0]).toEqual(seen(finding("CVE-1"), MON, "r3", { lastSeen: WED }));
  });

  it("leaves alone what a report older than the stored sighting says", () => {
    const counts = emptyMergeCounts();
    const stored = [seen(finding("CVE-1"), WED, "r3"), seen(finding("CVE-2"), WED, "r3")];
    const out = mergeCoverage(stored, [seen(finding("CVE-1"), MON, "r1")], MON, "r1", counts);
    expect(counts).toMatchObject({ stale: 1, gone: [], added: 0 });
    expect(out).toEqual(stored);
  });

  it("does not count a finding that was gone already as gone again", () => {
    const counts = emptyMergeCounts();
    const stored = [seen(finding("CVE-1"), MON, "r1", { state: "gone", goneAt: TUE, goneReport: "r2" })];
    expect(mergeCoverage(stored, [], WED, "r3", counts)).toEqual(stored);
    expect(counts.gone).toEqual([]);
  });
});

describe("sameJson", () => {
  it("compares values read from JSON deeply, whatever the key order", () => {
    expect(sameJson({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: [1, { c: "x" }] }, { a: 1, b: [1, { c: "y" }] })).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
    expect(sameJson({ a: null }, { a: {} })).toBe(false);
    expect(sameJson({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });
});
