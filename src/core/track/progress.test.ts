import { describe, expect, it } from "vitest";
import { exceptionItem, patchNowItem } from "../render/fixtures.js";
import type { WorkItem } from "../types.js";
import { caseProgress } from "./progress.js";
import type { ItemRecord, ItemState } from "./types.js";

function recordFor(item: WorkItem, state: ItemState, extra: Partial<ItemRecord> = {}): ItemRecord {
  return {
    workItemId: item.id,
    caseId: "CASE-CVE-2024-3400",
    state,
    lane: item.lane,
    version: 1,
    lastHash: "",
    reopenedCount: 0,
    evidence: [],
    deadline: item.deadline?.at ?? null,
    zone: "America/New_York",
    cadence: item.cadence,
    metCheckpoints: [],
    updatedAt: item.plannedAt,
    ...extra,
  };
}

const BLOCKER = {
  category: "approval" as const,
  blocker: "emergency change needs the service owner's approval",
  risk: "gateways stay exposed",
  temporaryControl: "Threat Prevention signatures",
  owner: "svc-remote-access",
  nextReview: "2024-04-16T13:00:00Z",
  unblocksWhen: "change approved",
  since: "2024-04-15T15:00:00Z",
};

describe("caseProgress", () => {
  it("counts states and assets, lists blockers and decisions, names the next checkpoint", () => {
    const a = patchNowItem(); // 2 assets
    const b = { ...patchNowItem(), id: "WI-3400000002" };
    const c = { ...patchNowItem(), id: "WI-3400000003" };
    const d = exceptionItem();
    const entries = [
      {
        item: a,
        record: recordFor(a, "monitoring", {
          patchedAt: "2024-04-17T06:00:00Z",
          verifiedAt: "2024-04-17T10:00:00Z",
          metCheckpoints: ["acknowledgment", "status", "blocker-escalation", "final"],
        }),
      },
      { item: b, record: recordFor(b, "blocked", { blocker: BLOCKER, metCheckpoints: ["acknowledgment"] }) },
      {
        item: c,
        record: recordFor(c, "closed", {
          patchedAt: "2024-04-16T06:00:00Z",
          verifiedAt: "2024-04-16T10:00:00Z",
          closedAt: "2024-04-30T10:00:00Z",
        }),
      },
      {
        item: d,
        record: recordFor(d, "exception-requested", {
          exception: {
            status: "requested",
            justification: "x",
            compensatingControls: "y",
            expiry: "2024-06-30T00:00:00Z",
            reviewDate: "2024-06-01T00:00:00Z",
            requestedBy: "svc",
          },
        }),
      },
    ];
    const p = caseProgress(entries, "2024-04-16T20:00:00Z");
    expect(p.total).toBe(4);
    expect(p.byState).toMatchObject({
      monitoring: 1,
      blocked: 1,
      closed: 1,
      "exception-requested": 1,
      sent: 0,
    });
    expect(Object.values(p.byState).reduce((x, y) => x + y, 0)).toBe(4);
    const dAssets = d.assets.length;
    expect(p.assets).toEqual({
      total: 6 + dAssets,
      patched: 4,
      verified: 4,
      monitoring: 2,
      excepted: 0,
      closed: 2,
      notAffected: 0,
    });
    expect(p.blockers).toEqual([BLOCKER]);
    expect(p.decisionsNeeded).toEqual([
      `${d.governanceOwner?.name ?? "governance"}: grant or deny the exception requested for ${d.id} (${d.assetGroup}) until Sun 30 Jun 2024 00:00 UTC`,
      "Maria Chen: approve so WI-3400000002 (VPN edge firewalls) can proceed: emergency change needs the service owner's approval",
    ]);
    // The blocked item's status checkpoint (Tue 16 Apr 13:00Z) is the oldest unmet one, and overdue.
    expect(p.nextCheckpoint).toMatchObject({
      workItemId: "WI-3400000002",
      kind: "status",
      due: "2024-04-16T13:00:00Z",
      overdue: true,
      escalateTo: "netops",
    });
  });

  it("counts not-affected assets apart, never as patched or verified, with nothing due on them", () => {
    const a = patchNowItem();
    const b = { ...patchNowItem(), id: "WI-3400000002" };
    const entries = [
      {
        item: a,
        record: recordFor(a, "not-affected", {
          metCheckpoints: ["final"],
          notAffected: {
            justification: "vulnerable_code_not_present" as const,
            detail: "GlobalProtect is not configured on these firewalls",
            recordedBy: "netops",
            role: "system-owner" as const,
            recordedAt: "2024-04-15T16:00:00Z",
          },
        }),
      },
      { item: b, record: recordFor(b, "acknowledged", { metCheckpoints: ["acknowledgment"] }) },
    ];
    const p = caseProgress(entries, "2024-04-15T18:00:00Z");
    expect(p.byState["not-affected"]).toBe(1);
    expect(p.assets).toMatchObject({ total: 4, notAffected: 2, patched: 0, verified: 0, closed: 0 });
    // The not-affected item's own status checkpoint is not the next one: only the open item's is.
    expect(p.nextCheckpoint).toMatchObject({ workItemId: "WI-3400000002", kind: "status" });
  });

  it("handles 10k items in one pass in under 200 ms", () => {
    const states: ItemState[] = [
      "sent",
      "acknowledged",
      "in-progress",
      "patched",
      "monitoring",
      "closed",
      "blocked",
    ];
    const base = patchNowItem();
    const entries = Array.from({ length: 10_000 }, (_, i) => {
      const item = { ...base, id: `WI-${String(i).padStart(10, "0")}` };
      const state = states[i % states.length] as ItemState;
      return {
        item,
        record: recordFor(item, state, {
          ...(state === "blocked" ? { blocker: { ...BLOCKER, category: "technical" as const } } : {}),
          ...(state === "patched" || state === "monitoring" ? { patchedAt: "2024-04-17T00:00:00Z" } : {}),
          metCheckpoints: i % 2 ? ["acknowledgment"] : [],
        }),
      };
    });
    caseProgress(entries.slice(0, 100), "2024-04-16T00:00:00Z"); // warm up
    const started = performance.now();
    const p = caseProgress(entries, "2024-04-16T00:00:00Z");
    const elapsed = performance.now() - started;
    console.info(`caseProgress over 10k items: ${elapsed.toFixed(1)} ms`);
    expect(elapsed).toBeLessThan(200);
    expect(p.total).toBe(10_000);
    expect(p.byState.blocked).toBe(1428);
    expect(p.assets.total).toBe(20_000);
    expect(p.assets.patched).toBe(2 * (1429 + 1428));
    expect(p.blockers).toHaveLength(1428);
    expect(p.nextCheckpoint).toMatchObject({
      kind: "acknowledgment",
      workItemId: "WI-0000000000",
      overdue: true,
    });
  });
});
