/**
 * Hand-made estate and plan fixtures (the corpus has no inventory or work items).
 */
import type { Asset, Owner, WorkItem } from "../../src/core/types.js";

export function asset(n: number, overrides: Partial<Asset> = {}): Asset {
  const id = `asset-${String(n).padStart(5, "0")}`;
  return {
    id,
    name: `host${n}.corp.example`,
    assetGroup: `group-${n % 40}`,
    environment: n % 3 === 0 ? "production" : "staging",
    exposure: n % 10 === 0 ? "internet" : "internal",
    roles: n % 25 === 0 ? ["edge"] : [],
    businessService: `service-${n % 12}`,
    criticality: n % 7 === 0 ? "critical" : "medium",
    systemOwner: `owner-${n % 30}`,
    serviceOwner: `svc-owner-${n % 12}`,
    timeZone: n % 2 === 0 ? "Europe/Berlin" : "America/New_York",
    hostnames: [`host${n}`],
    ips: [`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`],
    software: [
      { purl: "pkg:generic/openssh", vendor: "OpenBSD", product: "OpenSSH", version: `9.${n % 8}p1` },
      { vendor: "Apache", product: "log4j-core", version: "2.14.1" },
    ],
    ...overrides,
  };
}

export function owner(n: number, overrides: Partial<Owner> = {}): Owner {
  return {
    id: `owner-${n}`,
    name: `Owner ${n}`,
    kind: n % 2 === 0 ? "team" : "person",
    roles: ["system-owner"],
    timeZone: "Europe/Berlin",
    contact: `owner${n}@corp.example`,
    ...overrides,
  };
}

export function workItem(n: number, plannedAt: string, overrides: Partial<WorkItem> = {}): WorkItem {
  return {
    id: `WI-${n.toString(16).padStart(10, "0")}`,
    advisory: {
      id: "CVE-2024-3400",
      aliases: [],
      title: "PAN-OS: OS Command Injection Vulnerability in GlobalProtect",
      vendor: "Palo Alto Networks",
      product: "PAN-OS",
      affectedVersions: ["10.2.0 < 10.2.9-h1"],
      kev: { dateAdded: "2024-04-12", dueDate: "2024-04-19", ransomware: false },
    },
    assetGroup: `group-${n}`,
    environments: ["production"],
    businessServices: ["remote-access"],
    owner: { id: `owner-${n}`, name: `Owner ${n}`, timeZone: "Europe/Berlin" },
    assets: [
      {
        id: `asset-${n}`,
        name: `fw${n}`,
        environment: "production",
        exposure: "internet",
        roles: ["edge"],
        criticality: "critical",
        status: "affected",
        reason: "10.2.7 is below 10.2.9-h1",
      },
    ],
    lane: "patch-now",
    decision: {
      lane: "patch-now",
      proposedLane: "patch-now",
      rule: "kev-listed",
      explanation: "Listed in CISA KEV",
      triggers: [],
      reviewTriggers: [],
    },
    missing: [],
    fix: { fixedVersion: "10.2.9-h1", patchLinks: [], workarounds: [], mitigations: [], knownIssues: [] },
    change: { testing: "smoke test", rollback: "previous image" },
    fallback: { mitigation: "disable telemetry", monitoring: "SOC watch", exceptionPath: "governance" },
    closureEvidence: ["version proof"],
    deadline: null,
    cadence: [],
    policy: { pack: "bod-26-04" },
    caveats: [],
    plannedAt,
    ...overrides,
  };
}
