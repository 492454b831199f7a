import { describe, expect, it } from "vitest";
import { assess, describeRange } from "./assess.js";
import { decide } from "./decide.js";
import { workItemId } from "./ids.js";
import { bestCvss, ownerDirectory, POLICY_DEFAULT_MARK, planWorkItem } from "./plan.js";
import { builtInPolicy } from "./policy/packs.js";
import type { Policy } from "./policy/types.js";
import type { Advisory, Asset, Owner, Signals } from "./types.js";

const NOW = "2026-09-30T08:00:00Z";

const advisory: Advisory = {
  id: "CVE-2030-2000",
  sources: [{ source: "cve5", sourceId: "CVE-2030-2000" }],
  aliases: ["GHSA-xxxx"],
  state: "published",
  title: "Directory service flaw",
  cvss: [
    { version: "2.0", baseScore: 10, source: "nvd" },
    { version: "3.1", baseScore: 7.5, source: "adp:CISA-ADP" },
    { version: "3.1", baseScore: 8.1, source: "cna" },
  ],
  cwes: [],
  affected: [
    {
      vendor: "Acme",
      product: "Directory",
      cpes: [],
      versions: [{ version: "4.0", lessThan: "4.2.3", status: "affected", versionType: "semver" }],
      defaultStatus: "unaffected",
      fixedVersions: ["4.2.3"],
    },
  ],
  remediations: [
    {
      category: "vendor_fix",
      details: "Upgrade to 4.2.3",
      url: "https://acme.test/4.2.3",
      products: [],
      restartRequired: "service",
    },
  ],
  references: [{ url: "https://acme.test/advisory", tags: ["vendor-advisory"] }],
  notes: [],
};

function asset(over: Partial<Asset> = {}): Asset {
  return {
    id: "dir-01",
    name: "dir-01",
    assetGroup: "directory",
    environment: "production",
    exposure: "internal",
    roles: ["identity"],
    criticality: "critical",
    systemOwner: "idm",
    timeZone: "Asia/Tokyo",
    hostnames: [],
    ips: [],
    software: [{ vendor: "Acme", product: "Directory", version: "4.1.0" }],
    change: {
      testing: "Log in through every relying party",
      rollback: "Reinstall 4.1.0 from the media library",
    },
    ...over,
  };
}

// Internal identity server with a public PoC: urgent by policy, but BOD 26-04 alone says
// "fix on system upgrade" (not in KEV, not exposed, not automatable, partial impact).
const signals: Signals = {
  ssvc: { exploitation: "poc", automatable: "no", technicalImpact: "partial", source: "CISA-ADP" },
  exploitation: { level: "poc", source: "CISA-ADP SSVC", confidence: "high" },
};

function plan(
  assets: Asset[],
  owners: Owner[],
  policy: Policy = builtInPolicy("bod-26-04"),
  startedAt?: Map<string, string>,
) {
  const findings = assess([advisory], assets, policy).filter(
    (f) => f.status === "affected" || f.status === "unknown",
  );
  const decision = decide({ advisory, signals, findings, assets, policy });
  if (!decision) throw new Error("expected a decision");
  return planWorkItem({
    now: NOW,
    ...(startedAt ? { startedAt } : {}),
    policy,
    advisory,
    signals,
    decision,
    findings,
    assets,
    owners: ownerDirectory(owners),
    assetGroup: "directory",
    ownerId: "idm",
  });
}

const idm: Owner = {
  id: "idm",
  name: "Identity team",
  kind: "team",
  roles: ["system-owner"],
  timeZone: "America/New_York",
  escalatesTo: "cio",
};

describe("planWorkItem", () => {
  it("sets the deadline in the owner's zone, from the policy table when the pack gives no timeline", () => {
    const item = plan([asset()], [idm]);
    expect(item.id).toBe(workItemId("CVE-2030-2000", "directory", "idm"));
    expect(item.decision.rule).toBe("exposed-exploitable");
    expect(item.lane).toBe("patch-now");
    expect(item.deadline).toEqual({
      at: "2026-10-03T08:00:00Z",
      zone: "America/New_York",
      local: "2026-10-03T04:00:00-04:00",
      basis:
        "Policy deadline for patch-now on a critical asset (the pack alone says: fix on system upgrade): 3 days from handoff",
    });
    expect(item.policy).toEqual({ pack: "bod-26-04", band: "patch-now critical: 3 days" });
    expect(item.cadence[0]).toMatchObject({
      kind: "acknowledgment",
      due: "2026-09-30T12:00:00Z",
      zone: "America/New_York",
      escalateTo: "cio",
    });
  });

  it("falls back to the asset zone when the owner is not in the directory, then to the policy zone", () => {
    const item = plan([asset()], []);
    expect(item.owner).toEqual({ id: "idm", name: "idm", timeZone: "Asia/Tokyo" });
    expect(item.deadline?.zone).toBe("Asia/Tokyo");
    expect(item.deadline?.local).toBe("2026-10-03T17:00:00+09:00");

    const policy = builtInPolicy("bod-26-04");
    policy.defaultTimeZone = "Europe/Amsterdam";
    const { timeZone: _none, ...noZone } = asset();
    expect(plan([noZone], [], policy).deadline?.zone).toBe("Europe/Amsterdam");
  });

  it("does not trust an owner zone that is not an IANA zone", () => {
    const item = plan([asset()], [{ ...idm, timeZone: "Eastern" }]);
    expect(item.deadline?.zone).toBe("Asia/Tokyo");
    expect(item.caveats.some((c) => c.includes("'Eastern' is not an IANA zone"))).toBe(true);
  });

  it("fills the change profile from policy defaults, marked, and the gate can refuse them", () => {
    const policy = builtInPolicy("bod-26-04");
    policy.changeDefaults = {
      production: { rollback: "Restore the last snapshot" },
      default: { approval: "CAB" },
    };
    const testingOnly = asset({ change: { testing: "Log in through every relying party" } });
    const item = plan([testingOnly], [idm], policy);
    expect(item.change.testing).toBe("Log in through every relying party");
    expect(item.change.rollback).toBe(`Restore the last snapshot${POLICY_DEFAULT_MARK}`);
    expect(item.change.approval).toBe(`CAB${POLICY_DEFAULT_MARK}`);
    expect(item.change.maintenanceWindow).toBe(`sat 02:00 for 4 hours${POLICY_DEFAULT_MARK}`);
    expect(item.change.reboot).toBe("service");
    expect(item.changeFromPolicy).toEqual(["rollback", "maintenanceWindow", "approval"]);
    expect(item.lane).toBe("patch-now");

    policy.gateAcceptsPolicyDefaults = false;
    const strict = plan([testingOnly], [idm], policy);
    expect(strict.lane).toBe("validate");
    expect(strict.decision.proposedLane).toBe("patch-now");
    expect(strict.missing.map((m) => [m.field, m.supplierOwner])).toEqual([["rollback", "idm"]]);
  });

  it("fills the fix path, summary and fallback", () => {
    const item = plan([asset()], [idm]);
    expect(item.fix).toEqual({
      fixedVersion: "4.2.3",
      patchLinks: ["https://acme.test/advisory", "https://acme.test/4.2.3"],
      workarounds: [],
      mitigations: [],
      reboot: "service",
      knownIssues: [],
    });
    expect(item.advisory).toMatchObject({
      id: "CVE-2030-2000",
      aliases: ["GHSA-xxxx"],
      vendor: "Acme",
      product: "Directory",
      affectedVersions: [">= 4.0, < 4.2.3"],
      cvss: { version: "3.1", baseScore: 8.1, source: "cna" },
    });
    expect(item.fallback.monitoring).toContain("dir-01");
    expect(item.fallback.exceptionPath).toContain("governance / risk owner");
    expect(item.closureEvidence).toEqual(builtInPolicy("bod-26-04").closureEvidence["patch-now"]);
    expect(item.assets).toEqual([
      {
        id: "dir-01",
        name: "dir-01",
        environment: "production",
        exposure: "internal",
        roles: ["identity"],
        criticality: "critical",
        installed: "4.1.0",
        status: "affected",
        reason: "affected: 4.1.0 is in [4.0, 4.2.3)",
      },
    ]);
  });

  it("starts the clocks at the first planning time when one is known", () => {
    const id = workItemId("CVE-2030-2000", "directory", "idm");
    const first = "2026-09-28T08:00:00Z";
    const item = plan([asset()], [idm], builtInPolicy("bod-26-04"), new Map([[id, first]]));
    expect(item.plannedAt).toBe(first);
    expect(item.deadline?.at).toBe("2026-10-01T08:00:00Z");
    expect(item.cadence[0]?.due).toBe("2026-09-28T12:00:00Z");
  });
});

describe("summary helpers", () => {
  it("prefers the CNA's CVSS 3.1 or 4.0", () => {
    expect(bestCvss(advisory.cvss)).toEqual({ version: "3.1", baseScore: 8.1, source: "cna" });
    expect(
      bestCvss([
        { version: "2.0", baseScore: 5, source: "cna" },
        { version: "4.0", baseScore: 6, source: "adp:CISA-ADP" },
      ])?.version,
    ).toBe("4.0");
    expect(bestCvss([])).toBeUndefined();
  });
  it("renders ranges for people", () => {
    expect(describeRange({ version: "10.2.0", lessThan: "10.2.9-h1", status: "affected" })).toBe(
      ">= 10.2.0, < 10.2.9-h1",
    );
    expect(describeRange({ version: "0", lessThanOrEqual: "9.7p1", status: "affected" })).toBe("<= 9.7p1");
    expect(describeRange({ version: "1.0", status: "affected" })).toBe("= 1.0");
    expect(describeRange({ version: "2.0-beta9", lessThan: "*", status: "affected" })).toBe(">= 2.0-beta9");
  });
});
