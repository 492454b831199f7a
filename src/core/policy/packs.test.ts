import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { computeDeadline } from "../time.js";
import type { Criticality } from "../types.js";
import {
  builtInPolicy,
  deadlineRule,
  fedrampSeverity,
  isExposed,
  isPackName,
  PACK_NAMES,
  windowFor,
} from "./packs.js";
import type { DeadlineInput } from "./types.js";

const START = "2026-11-23T14:00:00Z";

function input(over: Partial<DeadlineInput>): DeadlineInput {
  return { lane: "patch-now", criticality: "high", inKev: false, exposed: false, ...over };
}

function kevEntry(cve: string): { dateAdded: string; dueDate: string } {
  const text = readFileSync(
    path.resolve("../shared/corpus/kev/known_exploited_vulnerabilities.json"),
    "utf8",
  );
  const found = (
    JSON.parse(text).vulnerabilities as { cveID: string; dateAdded: string; dueDate: string }[]
  ).find((v) => v.cveID === cve);
  if (!found) throw new Error(`${cve} not in the corpus catalog`);
  return found;
}

describe("built-in policies", () => {
  it("has four packs sharing one base", () => {
    expect(PACK_NAMES).toEqual(["bod-26-04", "bod-22-01", "fedramp", "custom"]);
    for (const pack of PACK_NAMES) {
      const p = builtInPolicy(pack);
      expect(p.pack).toBe(pack);
      expect(p.defaultTimeZone).toBe("UTC");
      expect(p.dueDateZone).toBe("America/New_York");
      expect(p.thresholds).toEqual({ epssHigh: 0.1, epssPercentileHigh: 0.95, epssJump: 0.1, cvssHigh: 7 });
      expect(p.maintenanceWindow).toEqual({
        days: ["sat"],
        start: "02:00",
        length: "4h",
        minLeadTime: "24h",
      });
      expect(p.cadence["patch-now"]).toEqual({
        acknowledgment: "4h",
        status: "24h",
        "blocker-escalation": "48h",
        final: "deadline",
      });
      expect(p.closureEvidence.validate).toEqual(["product and version evidence per asset"]);
      expect(p.changeDefaults).toEqual({});
      expect(p.gateAcceptsPolicyDefaults).toBe(true);
    }
    expect(isPackName("fedramp")).toBe(true);
    expect(isPackName("pci")).toBe(false);
  });

  it("hands out independent copies", () => {
    const a = builtInPolicy("custom");
    a.urgentRoles.push("payment");
    a.cadence["patch-now"]!.status = "1h";
    const b = builtInPolicy("custom");
    expect(b.urgentRoles).toEqual(["identity", "edge"]);
    expect(b.cadence["patch-now"]!.status).toBe("24h");
  });

  it("counts exposure and picks environment windows from the policy", () => {
    const p = builtInPolicy("bod-26-04");
    expect(isExposed(p, "internet")).toBe(true);
    expect(isExposed(p, "partner")).toBe(false);
    p.environmentWindows.production = { days: ["sun"], start: "01:00", length: "2h", minLeadTime: "24h" };
    expect(windowFor(p, "production").days).toEqual(["sun"]);
    expect(windowFor(p, "staging")).toBe(p.maintenanceWindow);
    expect(windowFor(p)).toBe(p.maintenanceWindow);
  });
});

describe("bod-26-04", () => {
  const policy = builtInPolicy("bod-26-04");
  const rows = (
    parse(readFileSync(path.resolve("../shared/corpus/ssvc/cisa_bod_26_04_1_0_0.csv"), "utf8"), {
      skip_empty_lines: true,
    }) as string[][]
  ).slice(1);

  it.each(rows)(
    "row %s gives the published timeline for patch-now",
    (_row, kev, exposed, automatable, ti, band) => {
      const rule = deadlineRule(
        policy,
        input({
          inKev: kev === "yes",
          exposed: exposed === "yes",
          automatable: automatable as "yes" | "no",
          technicalImpact: ti as "partial" | "total",
        }),
      );
      expect(rule?.band).toBe(band);
      expect(rule?.forensics).toBe(band === "3 days & forensic investigation");
      if (band === "fix on system upgrade") {
        expect(rule?.onUpgrade).toBe(true);
        expect(rule?.duration).toBeUndefined();
      } else {
        expect(rule?.onUpgrade).toBe(false);
        expect(rule?.duration).toBe(`${/^(\d+)/.exec(band as string)?.[1]}d`);
      }
    },
  );

  it("assumes automatable and total impact when unknown, and says so", () => {
    const rule = deadlineRule(policy, input({ inKev: true, exposed: true }));
    expect(rule?.band).toBe("3 days & forensic investigation");
    const d = computeDeadline(rule!, START, "Europe/Amsterdam", policy);
    expect(d?.basis).toBe(
      "BOD 26-04 (In KEV, exposed, automatable (assumed), total impact (assumed)): 3 days from handoff",
    );
    expect(d?.at).toBe("2026-11-26T14:00:00Z");
  });

  it("keeps the forensic flag on other lanes", () => {
    const rule = deadlineRule(
      policy,
      input({ lane: "mitigate", inKev: true, exposed: true, technicalImpact: "total" }),
    );
    expect(rule).toMatchObject({ duration: "3d", forensics: true });
  });
});

describe("bod-22-01", () => {
  const policy = builtInPolicy("bod-22-01");

  it("uses the KEV due date for KEV items", () => {
    const entry = kevEntry("CVE-2024-3400");
    const rule = deadlineRule(policy, input({ inKev: true, kevDueDate: entry.dueDate, exposed: true }));
    expect(rule).toMatchObject({ band: "KEV due date", dueDate: entry.dueDate, forensics: false });
    const d = computeDeadline(rule!, `${entry.dateAdded}T12:00:00Z`, "Asia/Kolkata", policy);
    expect(entry.dueDate).toBe("2024-04-19");
    expect(d?.at).toBe("2024-04-20T03:59:59Z");
    expect(d?.local).toBe("2024-04-20T09:29:59+05:30");
  });

  it("falls back to the policy table for other items", () => {
    const rule = deadlineRule(policy, input({ criticality: "medium" }));
    expect(rule?.duration).toBe("14d");
    expect(computeDeadline(rule!, START, "UTC", policy)?.basis).toBe(
      "BOD 22-01 (not in KEV; policy deadline for a medium asset): 14 days from handoff",
    );
  });
});

describe("fedramp", () => {
  const policy = builtInPolicy("fedramp");

  it("maps CVSS and criticality to severities", () => {
    expect(fedrampSeverity(9.8, "low")).toBe("critical");
    expect(fedrampSeverity(9.0, "low")).toBe("critical");
    expect(fedrampSeverity(7.0, "low")).toBe("high");
    expect(fedrampSeverity(6.9, "critical")).toBe("moderate");
    expect(fedrampSeverity(3.9, "critical")).toBe("low");
    const byCriticality: Record<Criticality, string> = {
      critical: "critical",
      high: "high",
      medium: "moderate",
      low: "low",
    };
    for (const [c, s] of Object.entries(byCriticality))
      expect(fedrampSeverity(undefined, c as Criticality)).toBe(s);
  });

  it("gives 30, 90 and 180 days", () => {
    expect(deadlineRule(policy, input({ cvssScore: 9.8 }))).toMatchObject({
      duration: "30d",
      band: "FedRAMP critical: 30 days",
    });
    expect(deadlineRule(policy, input({ cvssScore: 7.5 }))).toMatchObject({
      duration: "30d",
      band: "FedRAMP high: 30 days",
    });
    expect(deadlineRule(policy, input({ cvssScore: 5.3 }))).toMatchObject({ duration: "90d" });
    expect(deadlineRule(policy, input({ cvssScore: 2.1 }))).toMatchObject({ duration: "180d" });
    const noScore = deadlineRule(policy, input({ criticality: "medium" }));
    expect(noScore).toMatchObject({ duration: "90d", band: "FedRAMP moderate: 90 days" });
    expect(computeDeadline(noScore!, START, "UTC", policy)?.basis).toBe(
      "FedRAMP moderate (asset criticality medium, no CVSS score): 90 days from handoff",
    );
  });

  it("caps KEV items by the KEV due date", () => {
    const entry = kevEntry("CVE-2025-48384");
    const rule = deadlineRule(policy, input({ inKev: true, kevDueDate: entry.dueDate, cvssScore: 8.1 }));
    expect(rule).toMatchObject({ duration: "30d", dueDate: "2025-09-15" });
    expect(computeDeadline(rule!, `${entry.dateAdded}T15:00:00Z`, "UTC", policy)?.at).toBe(
      "2025-09-16T03:59:59Z",
    );
  });
});

describe("custom", () => {
  it("reads the deadline table by lane and criticality", () => {
    const policy = builtInPolicy("custom");
    expect(deadlineRule(policy, input({ criticality: "critical" }))).toMatchObject({ duration: "3d" });
    expect(deadlineRule(policy, input({ criticality: "low" }))).toMatchObject({ duration: "30d" });
    policy.deadlines.mitigate = { critical: "1d", high: "2d", medium: "5d", low: "7d" };
    expect(deadlineRule(policy, input({ lane: "mitigate", inKev: true }))).toMatchObject({ duration: "2d" });
    delete policy.deadlines["patch-now"];
    expect(deadlineRule(policy, input({}))).toBeNull();
  });
});

describe("lanes without an urgency deadline", () => {
  const policy = builtInPolicy("bod-26-04");

  it("patch-window: the end of the next maintenance window", () => {
    const rule = deadlineRule(policy, input({ lane: "patch-window", inKev: false }));
    expect(rule).toMatchObject({ band: "next maintenance window", onUpgrade: false });
    expect(rule?.duration).toBeUndefined();
    expect(rule?.dueDate).toBeUndefined();
    // Mon 23 Nov 14:00Z; 24h lead; Sat 28 Nov 02:00-06:00 in New York.
    expect(computeDeadline(rule!, START, "America/New_York", policy)?.at).toBe("2026-11-28T11:00:00Z");
  });

  it("validate: 2 days to answer; mitigate: 7 days, 3 in KEV", () => {
    expect(deadlineRule(policy, input({ lane: "validate" }))).toMatchObject({ duration: "2d" });
    expect(deadlineRule(policy, input({ lane: "mitigate" }))).toMatchObject({
      duration: "7d",
      band: "mitigation: 7 days",
    });
    const kev = deadlineRule(
      policy,
      input({ lane: "mitigate", inKev: true, automatable: "no", technicalImpact: "partial" }),
    );
    expect(kev).toMatchObject({ duration: "3d", forensics: false });
    expect(computeDeadline(kev!, START, "UTC", policy)?.basis).toBe(
      "Mitigation deadline (in KEV): 3 days from handoff",
    );
  });

  it("blocked, exception and closure: no rule of their own unless the policy sets one", () => {
    for (const lane of ["blocked", "exception", "closure"] as const) {
      expect(deadlineRule(policy, input({ lane }))).toBeNull();
    }
    const custom = builtInPolicy("custom");
    custom.deadlines.exception = { critical: "30d", high: "60d", medium: "90d", low: "90d" };
    expect(deadlineRule(custom, input({ lane: "exception" }))).toMatchObject({ duration: "60d" });
  });
});
