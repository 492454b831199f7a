import { describe, expect, it } from "vitest";
import { basePolicy } from "../policy/defaults.js";
import { patchNowItem } from "../render/fixtures.js";
import { timeEvents } from "./clock.js";
import { applyEvent } from "./machine.js";
import { newEvent, run, sent } from "./testkit.js";

const policy = basePolicy();
const item = patchNowItem();

describe("timeEvents", () => {
  const granted = run(item, policy, [
    sent(item),
    newEvent(item, "acknowledged", "system-owner", "netops", "2024-04-15T14:00:00Z", {}),
    newEvent(item, "exception-requested", "service-owner", "svc-remote-access", "2024-04-15T15:00:00Z", {
      justification: "HA pair cannot fail over during the quarter-end close",
      compensatingControls: "Threat Prevention signatures and geo-blocking on GlobalProtect",
      expiry: "2024-04-30T22:00:00Z",
      reviewDate: "2024-04-25T13:00:00Z",
    }),
    newEvent(item, "exception-granted", "governance", "grc", "2024-04-15T18:00:00Z", {
      expiry: "2024-04-30T22:00:00Z",
      reviewDate: "2024-04-25T13:00:00Z",
    }),
  ]).record;

  it("does nothing before the exception expires", () => {
    expect(timeEvents(granted, item, "2024-04-30T21:59:59Z")).toEqual([]);
  });

  it("expires the exception and reopens the item once the clock passes the expiry", () => {
    const events = timeEvents(granted, item, "2024-05-01T00:00:00Z");
    expect(events).toHaveLength(1);
    const [expired] = events;
    expect(expired).toMatchObject({
      type: "exception-expired",
      actor: "patchline",
      role: "security",
      at: "2024-05-01T00:00:00Z",
      payload: { expiry: "2024-04-30T22:00:00Z" },
    });
    expect(expired?.reason).toBe(
      "the exception granted by grc expired on Tue 30 Apr 2024 22:00 UTC; WI-3400a1b2c3 reopens and needs a fix or a new exception",
    );
    const next = applyEvent(granted, expired!, item, policy);
    expect(next).toMatchObject({ state: "reopened", reopenedCount: 1, version: 5 });
    expect(next.exception?.status).toBe("expired");
    expect(next.metCheckpoints).not.toContain("final");
    expect(timeEvents(next, item, "2024-05-02T00:00:00Z")).toEqual([]);
  });

  it("closes a monitored item at the end of its window", () => {
    const evidence = (kind: string, at: string) =>
      newEvent(item, "evidence-added", "system-owner", "netops", at, {
        kind: kind as "scan",
        reference: `${kind} fw-edge-01/02`,
        observedAt: at,
        attestedBy: "Dana Ruiz",
      });
    const monitored = run(item, policy, [
      sent(item),
      newEvent(item, "acknowledged", "system-owner", "netops", "2024-04-15T14:00:00Z", {}),
      newEvent(item, "patched", "system-owner", "netops", "2024-04-17T06:00:00Z", { version: "11.1.2-h3" }),
      evidence("version-proof", "2024-04-17T06:10:00Z"),
      evidence("deployment-record", "2024-04-17T06:20:00Z"),
      evidence("inventory", "2024-04-17T06:30:00Z"),
      newEvent(item, "verified", "security", "sec-vm", "2024-04-17T08:00:00Z", {}),
      newEvent(item, "monitoring-started", "security", "sec-vm", "2024-04-17T09:00:00Z", {
        watched: "GlobalProtect and system logs",
        owner: "soc",
        window: "7d",
        endsAt: "2024-04-24T09:00:00Z",
        reopenOn: ["re-detection in a scan", "rollback"],
      }),
    ]).record;
    expect(timeEvents(monitored, item, "2024-04-24T08:59:59Z")).toEqual([]);
    const [closing] = timeEvents(monitored, item, "2024-04-24T09:00:00Z");
    expect(closing).toMatchObject({ type: "closed", actor: "patchline", role: "security" });
    expect(closing?.reason).toContain("ended on Wed 24 Apr 2024 09:00 UTC with no reopen condition recorded");
    const closed = applyEvent(monitored, closing!, item, policy);
    expect(closed).toMatchObject({ state: "closed", closedAt: "2024-04-24T09:00:00Z" });
    expect(timeEvents(closed, item, "2024-06-01T00:00:00Z")).toEqual([]);
  });

  it("leaves a not-affected item alone: it is final like a closed one", () => {
    const answered = run(item, policy, [
      sent(item),
      newEvent(item, "acknowledged", "system-owner", "netops", "2024-04-15T14:00:00Z", {}),
      newEvent(item, "not-affected", "system-owner", "netops", "2024-04-15T16:00:00Z", {
        justification: "vulnerable_code_not_in_execute_path",
        detail:
          "GlobalProtect portal and gateway are disabled on both firewalls (show global-protect-gateway)",
      }),
    ]).record;
    expect(answered.state).toBe("not-affected");
    expect(timeEvents(answered, item, "2025-04-15T00:00:00Z")).toEqual([]);
  });
});
