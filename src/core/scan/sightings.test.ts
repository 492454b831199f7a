import { describe, expect, it } from "vitest";
import { sightingsOf } from "./sightings.js";
import type { ScanFinding } from "./types.js";

function finding(
  asset: string,
  vulnId: string,
  status: ScanFinding["status"],
  aliases: string[] = [],
): ScanFinding {
  return {
    fingerprint: `${asset}|${vulnId}`,
    asset,
    vulnId,
    aliases,
    fixedVersions: [],
    severity: "high",
    cvss: [],
    locations: [],
    status,
  };
}

describe("sightingsOf", () => {
  it("lists per asset the upper-cased ids of findings still there, once each", () => {
    const out = sightingsOf([
      finding("a", "cve-2024-1", "affected", ["GHSA-xxxx"]),
      finding("b", "CVE-2024-2", "fixed"),
      finding("a", "CVE-2024-1", "unknown"),
      finding("a", "CVE-2024-3", "will_not_fix"),
    ]);
    expect(out).toEqual([
      { asset: "a", ids: ["CVE-2024-1", "GHSA-XXXX", "CVE-2024-3"] },
      { asset: "b", ids: ["CVE-2024-2"] },
    ]);
  });

  it("leaves out what the report says is gone or not there", () => {
    expect(sightingsOf([finding("a", "CVE-1", "resolved"), finding("a", "CVE-2", "not_affected")])).toEqual(
      [],
    );
  });
});
