import { describe, expect, it } from "vitest";
import { knownKeysAt, policyFileSchema, show } from "./schema.js";

describe("policy file schema", () => {
  it("knows the keys at each level, and none where keys are free-form", () => {
    expect(knownKeysAt([])).toContain("maintenanceWindow");
    expect(knownKeysAt(["cadence"])).toEqual([
      "patch-now",
      "patch-window",
      "validate",
      "blocked",
      "mitigate",
      "exception",
      "closure",
    ]);
    expect(knownKeysAt(["cadence", "patch-now"])).toEqual([
      "acknowledgment",
      "status",
      "blocker-escalation",
      "final",
    ]);
    expect(knownKeysAt(["environmentWindows", "production"])).toEqual([
      "days",
      "start",
      "length",
      "minLeadTime",
    ]);
    expect(knownKeysAt(["sourceConfidence"])).toEqual([]);
    expect(knownKeysAt(["nope", "deeper"])).toEqual([]);
  });

  it("accepts 'deadline' or a duration as the final checkpoint", () => {
    expect(policyFileSchema.safeParse({ cadence: { validate: { final: "deadline" } } }).success).toBe(true);
    expect(policyFileSchema.safeParse({ cadence: { validate: { final: "P5D" } } }).success).toBe(true);
    const bad = policyFileSchema.safeParse(
      { cadence: { validate: { final: "eventually" } } },
      { reportInput: true },
    );
    expect(bad.error?.issues[0]?.message).toBe(
      "expected a duration like 4h or P1D, or 'deadline', got 'eventually'",
    );
  });

  it("shows found values plainly", () => {
    expect(show("soon")).toBe("'soon'");
    expect(show(4)).toBe("4");
    expect(show([1])).toBe("a list");
    expect(show({})).toBe("a mapping");
    expect(show(null)).toBe("nothing");
  });
});
