import { describe, expect, it } from "vitest";
import { assetKey, canonicalVulnId, normaliseSeverity, ReportBuilder, severityFromScore } from "./builder.js";

describe("report builder", () => {
  it("keys assets by their strongest identifier and fills identifiers in later", () => {
    const b = new ReportBuilder("nessus");
    const k1 = b.asset({ ip: "10.0.0.5" });
    const k2 = b.asset({ hostname: "WEB01.corp.example", ip: "10.0.0.6" });
    expect(k1).toBe("ip:10.0.0.5");
    expect(k2).toBe("host:web01.corp.example");
    expect(b.asset({ hostname: "web01.corp.example", os: "Debian 12" })).toBe(k2);
    expect(b.asset({})).toBeUndefined();
    const report = b.build();
    expect(report.assets).toEqual([
      { key: "ip:10.0.0.5", ip: "10.0.0.5" },
      { key: "host:web01.corp.example", hostname: "WEB01.corp.example", ip: "10.0.0.6", os: "Debian 12" },
    ]);
  });

  it("merges findings with the same fingerprint and counts the duplicates", () => {
    const b = new ReportBuilder("grype");
    const asset = b.asset({ image: "alpine:3.10" }) as string;
    const pkg = { name: "openssl", version: "1.1.1d-r0", ecosystem: "apk" };
    b.finding({
      asset,
      vulnId: "cve-2020-1967",
      package: pkg,
      severity: "medium",
      locations: ["/lib/apk/db/installed"],
    });
    b.finding({
      asset,
      vulnId: "CVE-2020-1967",
      package: pkg,
      severity: "high",
      locations: ["/usr/lib/libssl.so"],
      fixedVersions: ["1.1.1g-r0"],
      aliases: ["GHSA-xxxx", "CVE-2020-1967"],
    });
    b.finding({ asset, vulnId: "CVE-2020-1967", package: { ...pkg, version: "1.1.1e-r0" } });
    const report = b.build({ reportTime: "2026-11-01T10:00:00Z" });
    expect(report.duplicates).toBe(1);
    expect(report.findings).toHaveLength(2);
    const first = report.findings[0];
    expect(first?.vulnId).toBe("CVE-2020-1967");
    expect(first?.severity).toBe("high");
    expect(first?.locations).toEqual(["/lib/apk/db/installed", "/usr/lib/libssl.so"]);
    expect(first?.fixedVersions).toEqual(["1.1.1g-r0"]);
    expect(first?.aliases).toEqual(["GHSA-xxxx"]);
    expect(first?.fingerprint).toBe("image:alpine:3.10|CVE-2020-1967|pkg:openssl@1.1.1d-r0");
  });

  it("keeps network findings per port and plugin, and other items apart", () => {
    const b = new ReportBuilder("nessus");
    const asset = b.asset({ ip: "10.0.0.5" }) as string;
    b.finding({ asset, vulnId: "CVE-2024-6387", port: "22/tcp", plugin: "201194" });
    b.finding({ asset, vulnId: "CVE-2024-6387", port: "2222/tcp", plugin: "201194" });
    b.other({ kind: "informational", asset, id: "19506", title: "Nessus Scan Information" });
    b.other({ kind: "informational", asset, id: "19506", title: "Nessus Scan Information" });
    const report = b.build();
    expect(report.findings.map((f) => f.port)).toEqual(["22/tcp", "2222/tcp"]);
    expect(report.duplicates).toBe(0);
    expect(report.other).toHaveLength(1);
  });

  it("normalises severities and ids", () => {
    expect(normaliseSeverity("Moderate")).toBe("medium");
    expect(normaliseSeverity("NEGLIGIBLE")).toBe("low");
    expect(normaliseSeverity("None")).toBe("info");
    expect(normaliseSeverity("weird")).toBe("unknown");
    expect(normaliseSeverity(9.8)).toBe("critical");
    expect(severityFromScore(0)).toBe("info");
    expect(severityFromScore(6.9)).toBe("medium");
    expect(canonicalVulnId(" cve-2021-44228 ")).toBe("CVE-2021-44228");
    expect(canonicalVulnId("GHSA-jfh8-c2jp-5v3q")).toBe("GHSA-jfh8-c2jp-5v3q");
    expect(assetKey({ repository: "https://github.com/Acme/Shop" })).toBe(
      "repository:https://github.com/Acme/Shop",
    );
  });
});
