import { describe, expect, it } from "vitest";
import { planCadence } from "./cadence.js";
import { builtInPolicy, deadlineRule } from "./policy/packs.js";
import { computeDeadline } from "./time.js";
import type { Deadline } from "./types.js";

const policy = builtInPolicy("bod-26-04");
const NY = "America/New_York";

function deadline(at: string, zone = NY): Deadline {
  return { at, zone, local: "", basis: "test" };
}

describe("planCadence", () => {
  it("lays out patch-now checkpoints from the handoff, hours exact across spring-forward", () => {
    const start = "2026-03-06T17:00:00Z";
    const rule = deadlineRule(policy, {
      lane: "patch-now",
      criticality: "critical",
      inKev: true,
      exposed: true,
      automatable: "yes",
      technicalImpact: "partial",
    });
    const d = computeDeadline(rule!, start, NY, policy);
    expect(d?.at).toBe("2026-03-09T16:00:00Z");
    const cps = planCadence({
      policy,
      lane: "patch-now",
      start,
      deadline: d,
      zone: NY,
      escalateTo: "ops-lead",
      forensics: false,
    });
    expect(cps.map((c) => [c.kind, c.due, c.local])).toEqual([
      ["acknowledgment", "2026-03-06T21:00:00Z", "2026-03-06T16:00:00-05:00"],
      ["status", "2026-03-07T17:00:00Z", "2026-03-07T12:00:00-05:00"],
      ["blocker-escalation", "2026-03-08T17:00:00Z", "2026-03-08T13:00:00-04:00"],
      ["final", "2026-03-09T16:00:00Z", "2026-03-09T12:00:00-04:00"],
    ]);
    expect(cps.every((c) => c.escalateTo === "ops-lead" && c.zone === NY)).toBe(true);
  });

  it("never puts a checkpoint after the deadline", () => {
    const start = "2026-11-23T14:00:00Z";
    // validate: 1d, 2d, 3d, deadline; with a 2-day deadline the 3d escalation moves to the deadline.
    const cps = planCadence({
      policy,
      lane: "validate",
      start,
      deadline: deadline("2026-11-25T14:00:00Z"),
      zone: NY,
      forensics: false,
    });
    expect(cps.map((c) => [c.kind, c.due])).toEqual([
      ["acknowledgment", "2026-11-24T14:00:00Z"],
      ["status", "2026-11-25T14:00:00Z"],
      ["blocker-escalation", "2026-11-25T14:00:00Z"],
      ["final", "2026-11-25T14:00:00Z"],
    ]);
    expect(cps.some((c) => "escalateTo" in c)).toBe(false);
  });

  it("leaves out the final checkpoint when there is no deadline", () => {
    const cps = planCadence({
      policy,
      lane: "patch-window",
      start: "2026-11-23T14:00:00Z",
      deadline: null,
      zone: "UTC",
      forensics: false,
    });
    expect(cps.map((c) => [c.kind, c.due])).toEqual([
      ["acknowledgment", "2026-11-25T14:00:00Z"],
      ["status", "2026-11-30T14:00:00Z"],
      ["blocker-escalation", "2026-12-07T14:00:00Z"],
    ]);
  });

  it("uses a final duration when the policy gives one, capped by the deadline", () => {
    const custom = builtInPolicy("custom");
    custom.cadence.mitigate = { acknowledgment: "2h", status: "1d", "blocker-escalation": "2d", final: "5d" };
    const start = "2026-11-23T14:00:00Z";
    const free = planCadence({
      policy: custom,
      lane: "mitigate",
      start,
      deadline: null,
      zone: "UTC",
      forensics: false,
    });
    expect(free.at(-1)).toMatchObject({ kind: "final", due: "2026-11-28T14:00:00Z" });
    const capped = planCadence({
      policy: custom,
      lane: "mitigate",
      start,
      deadline: deadline("2026-11-26T14:00:00Z"),
      zone: "UTC",
      forensics: false,
    });
    expect(capped.at(-1)).toMatchObject({ kind: "final", due: "2026-11-26T14:00:00Z" });
  });

  it("adds forensic checkpoints on the KEV clock, sorted with the rest", () => {
    const start = "2025-08-26T13:00:00Z";
    const cps = planCadence({
      policy,
      lane: "patch-now",
      start,
      deadline: deadline("2025-08-29T13:00:00Z"),
      zone: NY,
      forensics: true,
      kevDateAdded: "2025-08-25",
    });
    // 2025-08-25 starts at 04:00Z in New York (EDT).
    expect(cps.map((c) => [c.kind, c.due])).toEqual([
      ["forensic-scoping", "2025-08-25T06:00:00Z"],
      ["forensic-evidence", "2025-08-26T04:00:00Z"],
      ["acknowledgment", "2025-08-26T17:00:00Z"],
      ["status", "2025-08-27T13:00:00Z"],
      ["forensic-decision", "2025-08-28T04:00:00Z"],
      ["blocker-escalation", "2025-08-28T13:00:00Z"],
      ["final", "2025-08-29T13:00:00Z"],
    ]);
    expect(cps.find((c) => c.kind === "forensic-decision")?.local).toBe("2025-08-28T00:00:00-04:00");
  });

  it("runs forensics from the handoff without a KEV date, evidence before the patch deadline", () => {
    const start = "2026-11-23T14:00:00Z";
    const cps = planCadence({
      policy,
      lane: "patch-now",
      start,
      deadline: deadline("2026-11-24T02:00:00Z"),
      zone: "Europe/Amsterdam",
      forensics: true,
    });
    const due = Object.fromEntries(cps.map((c) => [c.kind, c.due]));
    expect(due["forensic-scoping"]).toBe("2026-11-23T16:00:00Z");
    expect(due["forensic-evidence"]).toBe("2026-11-24T02:00:00Z");
    expect(due["forensic-decision"]).toBe("2026-11-26T14:00:00Z");
    const times = cps.map((c) => Date.parse(c.due));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("gives only forensic checkpoints for a lane without a cadence", () => {
    const args = {
      policy,
      lane: "blocked" as const,
      start: "2026-11-23T14:00:00Z",
      deadline: null,
      zone: "UTC",
    };
    expect(planCadence({ ...args, forensics: false })).toEqual([]);
    expect(planCadence({ ...args, forensics: true }).map((c) => c.kind)).toEqual([
      "forensic-scoping",
      "forensic-evidence",
      "forensic-decision",
    ]);
  });
});
