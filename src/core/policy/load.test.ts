import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PatchlineError } from "../../errors.js";
import { computeDeadline } from "../time.js";
import { closest, loadPolicyOrThrow, parsePolicy } from "./load.js";
import { builtInPolicy, deadlineRule } from "./packs.js";

const example = (name: string) => readFileSync(path.resolve("policy", name), "utf8");

describe("example policy files", () => {
  it("default.yaml states exactly the built-in defaults", () => {
    const r = parsePolicy(example("default.yaml"), "policy/default.yaml");
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.config).toEqual(builtInPolicy("bod-26-04"));
  });

  it("fedramp.yaml loads over the fedramp pack", () => {
    const r = parsePolicy(example("fedramp.yaml"), "policy/fedramp.yaml");
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.config.pack).toBe("fedramp");
    expect(r.config.exposedLevels).toEqual(["internet", "partner"]);
    expect(r.config.environmentWindows.production).toEqual({
      days: ["sun"],
      start: "22:00",
      length: "4h",
      minLeadTime: "48h",
    });
    expect(r.config.closureEvidence["patch-now"]).toContain("POA&M item updated or closed");
    expect(r.config.cadence["patch-now"]?.status).toBe("24h");
  });

  it("custom.yaml merges its table and cadence over the base", () => {
    const r = parsePolicy(example("custom.yaml"), "policy/custom.yaml");
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const p = r.config;
    expect(p.pack).toBe("custom");
    expect(p.cadence["patch-now"]).toEqual({
      acknowledgment: "2h",
      status: "12h",
      "blocker-escalation": "24h",
      final: "deadline",
    });
    expect(p.cadence.validate?.status).toBe("2d");
    expect(p.thresholds).toEqual({ epssHigh: 0.2, epssPercentileHigh: 0.95, epssJump: 0.1, cvssHigh: 8 });
    expect(p.urgentCriticality).toEqual(["critical", "high"]);
    expect(p.gateAcceptsPolicyDefaults).toBe(false);
    const rule = deadlineRule(p, { lane: "patch-now", criticality: "critical", inKev: false, exposed: true });
    const d = computeDeadline(rule!, "2026-11-23T14:00:00Z", p.defaultTimeZone, p);
    expect(d?.local).toBe("2026-11-25T15:00:00+01:00");
    // Tue/Thu 22:00 Amsterdam, 12h lead: Monday 15:00 → Tuesday 22:00 → ends Wednesday 01:00.
    const window = computeDeadline(
      { band: "next maintenance window", forensics: false, onUpgrade: false },
      "2026-11-23T14:00:00Z",
      p.defaultTimeZone,
      p,
    );
    expect(window?.local).toBe("2026-11-25T01:00:00+01:00");
  });
});

describe("parsePolicy", () => {
  it("treats an empty file as the default pack", () => {
    for (const text of ["", "# nothing set\n"]) {
      const r = parsePolicy(text);
      expect(r.errors).toEqual([]);
      expect(r.config).toEqual(builtInPolicy("bod-26-04"));
    }
  });

  it("names the bad key and what was expected", () => {
    const r = parsePolicy(
      [
        "defaultTimeZone: Mars/Olympus",
        "cadence:",
        "  patch-now:",
        "    acknowledgment: soon",
        "thresholds:",
        "  epssHigh: 2",
        "  cvssHigh: high",
        "exposedLevels: [internet, dmz]",
        "maintenanceWindow:",
        "  start: '25:00'",
        "gateAcceptsPolicyDefaults: sometimes",
        "pack: pci",
      ].join("\n"),
    );
    expect(r.errors).toEqual([
      "defaultTimeZone: 'Mars/Olympus' is not an IANA time zone",
      "cadence.patch-now.acknowledgment: expected a duration like 4h or P1D, got 'soon'",
      "thresholds.epssHigh: expected a number from 0 to 1, got 2",
      "thresholds.cvssHigh: expected a number from 0 to 10, got 'high'",
      "exposedLevels[1]: expected one of internet, partner, internal, isolated, got 'dmz'",
      "maintenanceWindow.start: expected a start time like 02:00 (24-hour clock), got '25:00'",
      "gateAcceptsPolicyDefaults: expected true or false, got 'sometimes'",
      "pack: expected one of bod-26-04, bod-22-01, fedramp, custom, got 'pci'",
    ]);
    expect(r.config).toEqual(builtInPolicy("bod-26-04"));
    expect(r.problems.find((p) => p.path === "cadence.patch-now.acknowledgment")).toMatchObject({
      line: 4,
      column: 21,
    });
  });

  it("warns about unknown keys and suggests the closest known key", () => {
    const r = parsePolicy(
      [
        "pack: bod-22-01",
        "cadense:",
        "  patch-now:",
        "    status: 12h",
        "cadence:",
        "  patch_window:",
        "    status: 3d",
        "  patch-now:",
        "    acknowlegment: 1h",
        "maintenanceWindow:",
        "  lenght: 2h",
        "favouriteColour: blue",
      ].join("\n"),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "cadense: unknown key, ignored (did you mean 'cadence'?)",
      "cadence.patch_window: unknown key, ignored (did you mean 'patch-window'?)",
      "cadence.patch-now.acknowlegment: unknown key, ignored (did you mean 'acknowledgment'?)",
      "maintenanceWindow.lenght: unknown key, ignored (did you mean 'length'?)",
      "favouriteColour: unknown key, ignored",
    ]);
    expect(r.config.pack).toBe("bod-22-01");
    expect(r.config.cadence["patch-window"]?.status).toBe("7d");
    expect(r.config.maintenanceWindow.length).toBe("4h");
  });

  it("reports YAML syntax errors with line and column", () => {
    const r = parsePolicy("pack: custom\nurgentRoles: [identity, edge\n");
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^YAML syntax error at line 3, column 1: /);
    expect(r.problems[0]).toMatchObject({ line: 3, column: 1 });
    expect(parsePolicy("pack: custom\npack: fedramp\n").errors[0]).toBe(
      "YAML syntax error at line 2, column 1: Map keys must be unique",
    );
  });

  it("rejects a file that is not a mapping, and broken aliases, without throwing", () => {
    expect(parsePolicy("- pack: custom\n").errors).toEqual([
      "expected a mapping of policy keys at the top level, got a list",
    ]);
    expect(parsePolicy("just text").errors).toEqual([
      "expected a mapping of policy keys at the top level, got 'just text'",
    ]);
    expect(parsePolicy("urgentRoles: *missing\n").errors[0]).toMatch(/alias/i);
  });

  it("normalises zones and day names, keeps the pack's value for empty keys", () => {
    const r = parsePolicy(
      [
        "defaultTimeZone: europe/amsterdam",
        "maintenanceWindow:",
        "  days: [Saturday, SUN]",
        "  start: '1:30'",
        "roleOwners:",
        "thresholds:",
      ].join("\n"),
    );
    expect(r.errors).toEqual([]);
    expect(r.config.defaultTimeZone).toBe("Europe/Amsterdam");
    expect(r.config.maintenanceWindow).toEqual({
      days: ["sat", "sun"],
      start: "01:30",
      length: "4h",
      minLeadTime: "24h",
    });
    expect(r.config.roleOwners).toEqual({});
    expect(r.config.thresholds.epssHigh).toBe(0.1);
  });

  it("replaces lists and merges mappings", () => {
    const r = parsePolicy(
      ["urgentRoles: [payment]", "sourceConfidence:", "  scanner: low", "  vendor-bulletin: high"].join("\n"),
    );
    expect(r.config.urgentRoles).toEqual(["payment"]);
    expect(r.config.sourceConfidence).toMatchObject({
      kev: "high",
      scanner: "low",
      "vendor-bulletin": "high",
    });
  });

  it("requires a full table or cadence where the pack has none to fill from", () => {
    const r = parsePolicy(
      [
        "deadlines:",
        "  validate:",
        "    critical: 1d",
        "    high: 1d",
        "cadence:",
        "  blocked:",
        "    status: 1d",
      ].join("\n"),
    );
    expect(r.errors).toEqual([
      "deadlines.validate.medium: missing: a deadline table needs a duration for every criticality (critical, high, medium, low)",
      "deadlines.validate.low: missing: a deadline table needs a duration for every criticality (critical, high, medium, low)",
      "cadence.blocked.acknowledgment: missing: the pack has no blocked cadence to fill it from; expected a duration like 4h or P1D",
      "cadence.blocked.blocker-escalation: missing: the pack has no blocked cadence to fill it from; expected a duration like 4h or P1D",
      "cadence.blocked.final: missing: the pack has no blocked cadence to fill it from; expected a duration like 4h or P1D",
    ]);
  });

  it("warns when checkpoints are out of order", () => {
    const r = parsePolicy("cadence:\n  patch-now:\n    status: 2h\n");
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(["cadence.patch-now.status: status (2h) comes before acknowledgment (4h)"]);
  });
});

describe("loadPolicyOrThrow", () => {
  it("returns the policy and warnings", () => {
    const { policy, warnings } = loadPolicyOrThrow("pack: fedramp\nfoo: 1\n", "ops.yaml");
    expect(policy.pack).toBe("fedramp");
    expect(warnings).toEqual(["foo: unknown key, ignored"]);
  });

  it("throws POLICY_INVALID naming the file, the place of the first problem and every bad key", () => {
    const text = "cadence:\n  patch-now:\n    acknowledgment: soon\ndueDateZone: Nowhere/Land\n";
    let error: unknown;
    try {
      loadPolicyOrThrow(text, "ops.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatchlineError);
    const pe = error as PatchlineError;
    expect(pe.code).toBe("POLICY_INVALID");
    expect(pe.message).toMatch(
      /^cadence\.patch-now\.acknowledgment: expected a duration like 4h or P1D, got 'soon'; dueDateZone: .*Nowhere\/Land/,
    );
    expect(pe.place).toEqual({ file: "ops.yaml", line: 3, column: 21 });
    expect(pe.oneLine()).toMatch(/^ops\.yaml:3:21: cadence\.patch-now\.acknowledgment: /);
  });
});

describe("closest", () => {
  it("suggests only likely intents", () => {
    expect(closest("Cadence", ["cadence", "pack"])).toBe("cadence");
    expect(closest("patch_now", ["patch-now", "validate"])).toBe("patch-now");
    expect(closest("zzzz", ["cadence", "pack"])).toBeUndefined();
  });
});
