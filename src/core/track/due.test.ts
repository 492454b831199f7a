import { describe, expect, it } from "vitest";
import { planCadence } from "../cadence.js";
import { basePolicy } from "../policy/defaults.js";
import { OWNERS, patchNowItem, patchWindowItem } from "../render/fixtures.js";
import type { WorkItem } from "../types.js";
import { dueCheckpoints } from "./due.js";
import type { ItemRecord } from "./types.js";

const policy = basePolicy();

/** New York owner, patch window planned on Fri 6 Mar 2026 10:00 EST, two days before DST starts. */
function newYorkItem(): WorkItem {
  const base = patchWindowItem();
  return {
    ...base,
    id: "WI-aaaa000001",
    owner: OWNERS.netops,
    escalationOwner: { id: "head-of-infra", name: "Head of Infrastructure", timeZone: "America/New_York" },
    deadline: null,
    cadence: planCadence({
      policy,
      lane: "patch-window",
      start: "2026-03-06T15:00:00Z",
      deadline: null,
      zone: "America/New_York",
      forensics: false,
    }),
  };
}

/** Berlin owner, patch-now planned on Sat 28 Mar 2026 10:00 CET, the day before CEST starts. */
function berlinItem(): WorkItem {
  const base = patchNowItem();
  return {
    ...base,
    id: "WI-bbbb000002",
    owner: OWNERS.linux,
    escalationOwner: { id: "cio-office", name: "CIO office", timeZone: "Europe/Berlin" },
    deadline: null,
    cadence: planCadence({
      policy,
      lane: "patch-now",
      start: "2026-03-28T09:00:00Z",
      deadline: null,
      zone: "Europe/Berlin",
      forensics: false,
      escalateTo: "linux-lead",
    }),
  };
}

function recordFor(item: WorkItem, state: ItemRecord["state"], extra: Partial<ItemRecord> = {}): ItemRecord {
  return {
    workItemId: item.id,
    caseId: "CASE-1",
    state,
    lane: item.lane,
    version: 1,
    lastHash: "",
    reopenedCount: 0,
    evidence: [],
    deadline: null,
    zone: item.cadence[0]?.zone ?? "UTC",
    cadence: item.cadence,
    metCheckpoints: [],
    updatedAt: item.plannedAt,
    ...extra,
  };
}

const NOW = "2026-03-29T10:00:00Z";

describe("dueCheckpoints", () => {
  const ny = newYorkItem();
  const berlin = berlinItem();

  it("plans across the DST changes at the same wall-clock time (days) or exact hours", () => {
    // 2 days after Fri 10:00 EST lands on Sun 10:00 EDT: 14:00Z, not 15:00Z.
    expect(ny.cadence.map((c) => [c.kind, c.due, c.local])).toEqual([
      ["acknowledgment", "2026-03-08T14:00:00Z", "2026-03-08T10:00:00-04:00"],
      ["status", "2026-03-13T14:00:00Z", "2026-03-13T10:00:00-04:00"],
      ["blocker-escalation", "2026-03-20T14:00:00Z", "2026-03-20T10:00:00-04:00"],
    ]);
    // 24 exact hours after Sat 10:00 CET is Sun 11:00 CEST.
    expect(berlin.cadence.find((c) => c.kind === "status")?.local).toBe("2026-03-29T11:00:00+02:00");
  });

  it("lists unmet checkpoints oldest first across zones, escalating the overdue ones", () => {
    const entries = [
      { item: berlin, record: recordFor(berlin, "sent") },
      { item: ny, record: recordFor(ny, "in-progress", { metCheckpoints: ["acknowledgment"] }) },
    ];
    const due = dueCheckpoints(entries, NOW);
    expect(due.map((d) => [d.workItemId, d.kind, d.due, d.zone, d.overdue, d.escalateTo])).toEqual([
      ["WI-aaaa000001", "status", "2026-03-13T14:00:00Z", "America/New_York", true, "head-of-infra"],
      [
        "WI-aaaa000001",
        "blocker-escalation",
        "2026-03-20T14:00:00Z",
        "America/New_York",
        true,
        "head-of-infra",
      ],
      ["WI-bbbb000002", "acknowledgment", "2026-03-28T13:00:00Z", "Europe/Berlin", true, "linux-lead"],
      ["WI-bbbb000002", "status", "2026-03-29T09:00:00Z", "Europe/Berlin", true, "linux-lead"],
      ["WI-bbbb000002", "blocker-escalation", "2026-03-30T09:00:00Z", "Europe/Berlin", false, undefined],
    ]);
    expect(due[0]).toMatchObject({ advisoryId: "CVE-2024-6387", owner: "netops", caseId: "CASE-1" });
    // A shorter horizon leaves out what is not due yet.
    const soon = dueCheckpoints(entries, NOW, { horizon: "1h" });
    expect(soon).toHaveLength(4);
    expect(soon.every((d) => d.overdue)).toBe(true);
  });

  it("adds blocker reviews, exception dates and monitoring ends; closed items have nothing due", () => {
    const met = { metCheckpoints: ["acknowledgment", "status", "blocker-escalation", "final"] };
    const blocked = recordFor(ny, "blocked", {
      ...met,
      blocker: {
        category: "vendor",
        blocker: "no fixed package for RHEL 9.2 EUS yet",
        risk: "sshd reachable from the jump hosts",
        temporaryControl: "LoginGraceTime 0",
        owner: "linux-platform",
        nextReview: "2026-03-27T08:00:00Z",
        unblocksWhen: "Red Hat ships the EUS erratum",
        since: "2026-03-20T08:00:00Z",
      },
    });
    const excepted = recordFor({ ...berlin, id: "WI-cccc000003" }, "exception-granted", {
      ...met,
      exception: {
        status: "granted",
        justification: "x",
        compensatingControls: "y",
        expiry: "2026-04-20T22:00:00Z",
        reviewDate: "2026-03-30T07:00:00Z",
        requestedBy: "svc",
      },
    });
    const monitoring = recordFor({ ...berlin, id: "WI-dddd000004" }, "monitoring", {
      ...met,
      monitoring: {
        watched: "sshd logs",
        owner: "soc",
        window: "7d",
        startedAt: "2026-03-21T00:00:00Z",
        endsAt: "2026-03-28T00:00:00Z",
        reopenOn: ["rollback"],
      },
    });
    const closed = recordFor({ ...berlin, id: "WI-eeee000005" }, "closed");
    const entries = [
      { item: berlin, record: excepted },
      { item: ny, record: blocked },
      { item: berlin, record: monitoring },
      { item: berlin, record: closed },
    ];
    const due = dueCheckpoints(entries, NOW);
    expect(due.map((d) => [d.kind, d.owner, d.overdue, d.escalateTo])).toEqual([
      ["blocker-review", "linux-platform", true, "head-of-infra"],
      ["monitoring-end", "soc", true, "sec-vm"],
      ["exception-review", "grc", false, undefined],
    ]);
    const month = dueCheckpoints(entries, NOW, { horizon: "30d" });
    expect(month.at(-1)).toMatchObject({
      kind: "exception-expiry",
      due: "2026-04-20T22:00:00Z",
      overdue: false,
    });
  });

  it("a not-affected item has nothing due, whatever checkpoints it left unmet", () => {
    const answered = recordFor(berlin, "not-affected", {
      metCheckpoints: ["final"],
      notAffected: {
        justification: "component_not_present",
        detail: "openssh-server is not installed on these hosts (rpm -q openssh-server)",
        recordedBy: "linux-platform",
        role: "system-owner",
        recordedAt: "2026-03-28T12:00:00Z",
      },
    });
    expect(dueCheckpoints([{ item: berlin, record: answered }], NOW, { horizon: "30d" })).toEqual([]);
    // The same item still open owes its acknowledgment, status and escalation checkpoints.
    expect(dueCheckpoints([{ item: berlin, record: recordFor(berlin, "sent") }], NOW)).toHaveLength(3);
  });
});
