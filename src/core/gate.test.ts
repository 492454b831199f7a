import { describe, expect, it } from "vitest";
import { type GateDraft, readinessGate } from "./gate.js";
import { builtInPolicy } from "./policy/packs.js";

function draft(over: Partial<GateDraft> = {}): GateDraft {
  return {
    lane: "patch-now",
    advisoryId: "CVE-2024-3400",
    product: "Palo Alto Networks PAN-OS",
    affectedVersions: [">= 10.2.0, < 10.2.9-h1"],
    assetGroup: "edge-fw",
    assets: [
      {
        id: "fw-01",
        name: "fw-01",
        environment: "production",
        exposure: "internet",
        roles: ["edge"],
        criticality: "critical",
        installed: "10.2.7",
        status: "affected",
        reason: "affected: 10.2.7 is in [10.2.0, 10.2.9-h1)",
      },
    ],
    owner: { id: "net", name: "Network team", timeZone: "America/Chicago" },
    serviceOwner: { id: "svc", name: "Remote access", timeZone: "America/Chicago" },
    securityOwner: { id: "sec", name: "Security office", timeZone: "UTC" },
    fixedVersion: "10.2.9-h1",
    assetsWithoutFix: [],
    triggers: [
      {
        kind: "kev",
        text: "Listed in CISA KEV on 2024-04-12 (due 2024-04-19)",
        source: "CISA KEV catalog",
        confidence: "high",
      },
    ],
    deadline: {
      at: "2026-10-03T08:00:00Z",
      zone: "America/Chicago",
      local: "2026-10-03T03:00:00-05:00",
      basis: "BOD 26-04",
    },
    change: { testing: "Smoke-test VPN", rollback: "Boot previous image" },
    changeFromPolicy: [],
    closureEvidence: ["version proof"],
    ...over,
  };
}

const policy = builtInPolicy("bod-26-04");

describe("readinessGate", () => {
  it("passes a complete patch-now order", () => {
    expect(readinessGate(draft(), policy)).toEqual([]);
  });

  it("names every missing field of a patch-now order and who supplies it", () => {
    const { fixedVersion: _drop, ...rest } = draft();
    const missing = readinessGate(
      { ...rest, assetsWithoutFix: ["fw-01"], triggers: [], deadline: null, change: {}, closureEvidence: [] },
      policy,
    );
    expect(missing.map((m) => [m.field, m.supplier, m.supplierOwner])).toEqual([
      ["fixedVersion", "system-owner", "net"],
      ["urgency", "security", "sec"],
      ["deadline", "security", "sec"],
      ["testing", "system-owner", "net"],
      ["rollback", "system-owner", "net"],
      ["closureEvidence", "security", "sec"],
    ]);
    expect(missing[0]?.detail).toBe(
      "No fixed version of Palo Alto Networks PAN-OS is known for fw-01 (10.2.7): confirm which release fixes it and that it applies to these assets.",
    );
  });

  it("flags the assets a fixed version does not cover", () => {
    const missing = readinessGate(draft({ assetsWithoutFix: ["fw-01"] }), policy);
    expect(missing.map((m) => m.field)).toEqual(["fixedVersion"]);
  });

  it("accepts policy change defaults only when the policy says so", () => {
    const fromPolicy = draft({ changeFromPolicy: ["testing", "rollback"] });
    expect(readinessGate(fromPolicy, policy)).toEqual([]);
    const strict = builtInPolicy("bod-26-04");
    strict.gateAcceptsPolicyDefaults = false;
    expect(readinessGate(fromPolicy, strict).map((m) => m.field)).toEqual(["testing", "rollback"]);
  });

  it("checks only scope, fixed version and closure evidence for the patch window", () => {
    const d = draft({ lane: "patch-window", triggers: [], deadline: null, change: {} });
    expect(readinessGate(d, policy)).toEqual([]);
    expect(readinessGate({ ...d, closureEvidence: [] }, policy).map((m) => m.field)).toEqual([
      "closureEvidence",
    ]);
  });

  it("asks the system owner for versions and security for a missing owner", () => {
    const d = draft({
      owner: { id: "", name: "", timeZone: "UTC" },
      assets: [
        {
          ...draft().assets[0]!,
          installed: undefined,
          status: "unknown",
          reason: "unknown: installed version not recorded",
        },
      ],
    });
    const scope = readinessGate(d, policy).filter((m) => m.field === "scope");
    expect(scope.map((m) => m.supplier)).toEqual(["system-owner", "security"]);
    expect(scope[0]?.detail).toContain("installed version not recorded");
    expect(scope[1]?.supplierOwner).toBe("sec");
  });

  it("has no gate for lanes other than patch-now, patch-window and validate", () => {
    expect(readinessGate(draft({ lane: "mitigate", closureEvidence: [] }), policy)).toEqual([]);
  });
});
