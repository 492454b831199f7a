import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtInPolicy } from "../policy/packs.js";
import { triage } from "../triage.js";
import type { Asset, KevEntry, Owner } from "../types.js";
import { type ScanEvidence, scanFindings } from "./assess.js";
import { ReportBuilder } from "./builder.js";
import type { ScanFinding } from "./types.js";

const NOW = "2026-11-23T08:00:00Z";

/** The real KEV entry for Log4Shell, from the catalog in the corpus. */
function log4shell(): KevEntry {
  const json = JSON.parse(
    readFileSync(path.resolve("../shared/corpus/kev/known_exploited_vulnerabilities.json"), "utf8"),
  ) as { vulnerabilities: (Omit<KevEntry, "cveId"> & { cveID: string })[] };
  const entry = json.vulnerabilities.find((v) => v.cveID === "CVE-2021-44228");
  if (!entry) throw new Error("Log4Shell missing from the KEV corpus file");
  const { cveID, ...rest } = entry;
  return { ...rest, cveId: cveID, notes: rest.notes ?? "", cwes: rest.cwes ?? [] };
}

const owners: Owner[] = [
  { id: "apps", name: "App platform", kind: "team", roles: ["system-owner"], timeZone: "Europe/Berlin" },
  { id: "sec", name: "Security office", kind: "team", roles: ["security"], timeZone: "UTC" },
];

const shop: Asset = {
  id: "shop-api",
  name: "shop-api",
  assetGroup: "shop",
  environment: "production",
  exposure: "internet",
  roles: [],
  criticality: "high",
  systemOwner: "apps",
  hostnames: [],
  ips: [],
  identifiers: ["ghcr.io/acme/shop-api"],
  software: [],
  change: { testing: "Run the checkout smoke suite", rollback: "Redeploy the previous image tag" },
};

function found(
  vulnId: string,
  pkg: string,
  version: string,
  fixed: string[],
  status?: ScanFinding["status"],
) {
  const b = new ReportBuilder("trivy");
  const asset = b.asset({ image: "ghcr.io/acme/shop-api:2.4" }) as string;
  b.finding({
    asset,
    vulnId,
    package: { name: pkg, version, ecosystem: "jar" },
    fixedVersions: fixed,
    severity: "critical",
    title: `${pkg} flaw`,
    ...(status ? { status } : {}),
  });
  return b.build().findings[0] as ScanFinding;
}

const evidence = (finding: ScanFinding, extra: Partial<ScanEvidence> = {}): ScanEvidence => ({
  assetId: "shop-api",
  scanner: "trivy",
  state: "present",
  lastSeen: "2026-11-20T06:00:00Z",
  finding,
  ...extra,
});

describe("scanner findings in triage", () => {
  it("sends a KEV vulnerability a scanner found straight to patch-now with the scanner's fixed version", () => {
    const f = found("CVE-2021-44228", "org.apache.logging.log4j:log4j-core", "2.14.1", ["2.15.0"]);
    const result = triage({
      now: NOW,
      policy: builtInPolicy("bod-26-04"),
      advisories: [],
      kev: [log4shell()],
      epss: new Map(),
      assets: [shop],
      owners,
      scans: [evidence(f)],
    });
    expect(result.workItems).toHaveLength(1);
    const item = result.workItems[0];
    expect(item?.missing).toEqual([]);
    expect(item?.lane).toBe("patch-now");
    expect(item?.fix.fixedVersion).toBe("2.15.0");
    expect(item?.assets[0]?.reason).toBe(
      "affected: reported by trivy on org.apache.logging.log4j:log4j-core 2.14.1, last seen 2026-11-20; fixed in 2.15.0",
    );
  });

  it("builds an advisory for a vulnerability only the scanner names", () => {
    const f = found("GHSA-abcd-1234-wxyz", "left-pad", "1.0.0", ["1.3.0"]);
    const { findings, added } = scanFindings([evidence(f)], new Map());
    expect(added.map((a) => [a.id, a.title, a.affected[0]?.fixedVersions])).toEqual([
      ["GHSA-abcd-1234-wxyz", "left-pad flaw", ["1.3.0"]],
    ]);
    expect(findings[0]).toMatchObject({
      advisoryId: "GHSA-abcd-1234-wxyz",
      status: "affected",
      fixedVersion: "1.3.0",
    });
  });

  it("turns a gone finding into fixed, and the report's own not-affected into not affected", () => {
    const gone = found("CVE-2021-44228", "log4j-core", "2.14.1", ["2.15.0"]);
    const notAffected = found("CVE-2022-0001", "log4j-core", "2.17.1", [], "not_affected");
    const { findings } = scanFindings(
      [evidence(gone, { state: "gone", goneAt: "2026-11-22T06:00:00Z" }), evidence(notAffected)],
      new Map(),
    );
    expect(findings.map((f) => [f.advisoryId, f.status, f.reason])).toEqual([
      ["CVE-2021-44228", "fixed", "fixed: trivy no longer reports it on log4j-core 2.14.1 since 2026-11-22"],
      [
        "CVE-2022-0001",
        "not_affected",
        "not_affected: reported by trivy on log4j-core 2.17.1, last seen 2026-11-20 (report status not_affected)",
      ],
    ]);
    const result = triage({
      now: NOW,
      policy: builtInPolicy("bod-26-04"),
      advisories: [],
      kev: [log4shell()],
      epss: new Map(),
      assets: [shop],
      owners,
      scans: [evidence(gone, { state: "gone", goneAt: "2026-11-22T06:00:00Z" })],
    });
    expect(result.workItems).toHaveLength(0);
  });
});
