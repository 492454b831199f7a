import { describe, expect, it } from "vitest";
import { assess } from "./assess.js";
import { decide } from "./decide.js";
import { builtInPolicy } from "./policy/packs.js";
import type { Advisory, Asset, Criticality, EpssScore, Exposure, Remediation, Signals } from "./types.js";

function advisory(remediations: Remediation[] = [], lessThan = "2.0"): Advisory {
  return {
    id: "CVE-2030-1000",
    sources: [{ source: "cve5", sourceId: "CVE-2030-1000" }],
    aliases: [],
    state: "published",
    title: "Widget flaw",
    cvss: [],
    cwes: [],
    affected: [
      {
        vendor: "Acme",
        product: "Widget",
        cpes: [],
        versions: [{ version: "1.0", lessThan, status: "affected", versionType: "custom" }],
        defaultStatus: "unaffected",
        fixedVersions: lessThan === "*" ? [] : [lessThan],
      },
    ],
    remediations,
    references: [],
    notes: [],
  };
}

function asset(
  opts: { exposure?: Exposure; roles?: string[]; criticality?: Criticality; version?: string } = {},
): Asset {
  const software =
    opts.version === ""
      ? { vendor: "Acme", product: "Widget" }
      : { vendor: "Acme", product: "Widget", version: opts.version ?? "1.5" };
  return {
    id: "w-1",
    name: "widget-1",
    assetGroup: "widgets",
    environment: "production",
    exposure: opts.exposure ?? "internal",
    roles: opts.roles ?? [],
    criticality: opts.criticality ?? "medium",
    systemOwner: "ops",
    hostnames: [],
    ips: [],
    software: [software],
  };
}

const epss = (score: number, percentile: number): EpssScore => ({
  cve: "CVE-2030-1000",
  epss: score,
  percentile,
  scoreDate: "2026-09-29",
  modelVersion: "v2026.06.15",
});

function run(a: Advisory, assets: Asset[], signals: Signals, policy = builtInPolicy("bod-26-04")) {
  const findings = assess([a], assets, policy);
  return decide({ advisory: a, signals, findings, assets, policy });
}

describe("decide", () => {
  it("makes no decision when nothing is affected or unknown", () => {
    expect(run(advisory(), [asset({ version: "2.1" })], {})).toBeNull();
  });

  it("asks for validation when the status is unknown", () => {
    const d = run(advisory(), [asset({ version: "" })], {})!;
    expect(d.lane).toBe("validate");
    expect(d.rule).toBe("affected-status-unknown");
    expect(d.explanation).toContain("installed version not recorded");
    expect(d.reviewTriggers.map((t) => t.kind)).toContain("affected-status");
  });

  it("uses policy thresholds for exposed + high EPSS", () => {
    const exposed = [asset({ exposure: "internet" })];
    const high = { epss: epss(0.02, 0.96) };
    const d = run(advisory(), exposed, high)!;
    expect([d.lane, d.rule]).toEqual(["patch-now", "exposed-exploitable"]);
    expect(d.triggers.map((t) => t.kind)).toEqual(["epss", "exposure"]);
    expect(d.triggers[0]?.confidence).toBe("medium");

    const strict = builtInPolicy("bod-26-04");
    strict.thresholds.epssPercentileHigh = 0.99;
    const relaxed = run(advisory(), exposed, high, strict)!;
    expect([relaxed.lane, relaxed.rule]).toEqual(["patch-window", "affected-fixable"]);
    expect(relaxed.reviewTriggers.map((t) => t.kind)).toEqual([
      "kev",
      "exploitation",
      "epss",
      "vendor-guidance",
    ]);
  });

  it("treats an identity role with a public PoC as urgent even when internal", () => {
    const d = run(advisory(), [asset({ roles: ["identity"] })], {
      ssvc: { exploitation: "poc", source: "CISA-ADP" },
      exploitation: { level: "poc", source: "CISA-ADP SSVC", confidence: "high" },
    })!;
    expect([d.lane, d.rule]).toEqual(["patch-now", "exposed-exploitable"]);
    expect(d.triggers.map((t) => t.kind)).toEqual(["exploitation", "role"]);
    expect(d.ssvc).toBeUndefined(); // automatable and technical impact are not stated: nothing invented
  });

  it("computes the SSVC outcome when the three points are known, assuming mission impact from criticality", () => {
    const ssvc = {
      exploitation: "active" as const,
      automatable: "yes" as const,
      technicalImpact: "total" as const,
      source: "CISA-ADP",
    };
    const low = run(advisory(), [asset({ criticality: "low" })], {
      ssvc,
      exploitation: { level: "active", source: "CISA-ADP SSVC", confidence: "high" },
    })!;
    expect([low.lane, low.rule]).toEqual(["patch-now", "active-exploitation"]);
    expect(low.ssvc?.outcome).toBe("Attend");
    expect(low.ssvc?.assumed).toEqual(["mission impact low (from asset criticality low)"]);
    const critical = run(advisory(), [asset({ criticality: "critical" })], { ssvc })!;
    expect(critical.ssvc?.outcome).toBe("Act");
  });

  it("sends an item with no fix to mitigate, even when KEV-listed", () => {
    const a = advisory(
      [
        { category: "none_available", details: "No fix.", products: ["Widget"] },
        { category: "workaround", details: "Disable the web UI.", products: [] },
      ],
      "*",
    );
    const d = run(a, [asset()], {
      kev: {
        cveId: a.id,
        vendorProject: "Acme",
        product: "Widget",
        vulnerabilityName: "x",
        dateAdded: "2026-09-01",
        shortDescription: "",
        requiredAction: "",
        dueDate: "2026-09-22",
        knownRansomwareCampaignUse: "Unknown",
        notes: "",
        cwes: [],
      },
    })!;
    expect([d.lane, d.rule]).toEqual(["mitigate", "no-fix-available"]);
    expect(d.reviewTriggers.map((t) => t.kind)).toContain("fixed-version");
    expect(d.triggers[0]).toMatchObject({ kind: "kev", source: "CISA KEV catalog", confidence: "high" });
  });

  it("ignores a no-fix statement for another product", () => {
    const a = advisory([{ category: "no_fix_planned", details: "EOL.", products: ["Gadget Pro"] }]);
    expect(run(a, [asset()], {})?.rule).toBe("affected-fixable");
  });
});
