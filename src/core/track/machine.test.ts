import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PatchlineError } from "../../errors.js";
import { planCadence } from "../cadence.js";
import { basePolicy } from "../policy/defaults.js";
import { patchNowItem, validateItem } from "../render/fixtures.js";
import type { WorkItem } from "../types.js";
import { verifyChain } from "./hash.js";
import { allowedEvents, applyEvent, INCIDENT_RESPONSE, reduce } from "./machine.js";
import { CASE_ID, newEvent, run, sent } from "./testkit.js";
import type { EventPayloads, EventType, ItemRecord, ItemState, NewEvent } from "./types.js";
import { ITEM_STATES } from "./types.js";

const policy = basePolicy();

function thrown(fn: () => unknown): PatchlineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchlineError) return e;
    throw e;
  }
  throw new Error("expected a PatchlineError");
}

const T0 = "2024-04-15T13:00:00Z";
const LATER = "2024-04-25T00:00:00Z";

// ---------------------------------------------------------------- transition table

/** What each state allows, written out independently of rules.ts. */
const EXPECTED: Record<ItemState, EventType[]> = {
  sent: [
    "acknowledged",
    "blocked",
    "mitigated",
    "exception-requested",
    "evidence-added",
    "lane-changed",
    "not-affected",
  ],
  acknowledged: [
    "progress",
    "blocked",
    "mitigated",
    "exception-requested",
    "evidence-added",
    "patched",
    "lane-changed",
    "not-affected",
  ],
  "in-progress": [
    "progress",
    "blocked",
    "mitigated",
    "exception-requested",
    "evidence-added",
    "patched",
    "lane-changed",
    "not-affected",
  ],
  patched: ["evidence-added", "verified", "lane-changed"],
  verifying: ["evidence-added", "verified", "monitoring-started", "reopened", "lane-changed"],
  monitoring: ["evidence-added", "reopened", "closed", "lane-changed"],
  closed: ["evidence-added", "reopened"],
  blocked: [
    "progress",
    "blocked",
    "unblocked",
    "mitigated",
    "exception-requested",
    "evidence-added",
    "patched",
    "lane-changed",
    "not-affected",
  ],
  mitigated: ["progress", "exception-requested", "evidence-added", "patched", "verified", "lane-changed"],
  "exception-requested": ["exception-granted", "exception-denied", "evidence-added", "lane-changed"],
  "exception-granted": [
    "exception-expired",
    "evidence-added",
    "patched",
    "reopened",
    "closed",
    "lane-changed",
  ],
  "exception-denied": [
    "acknowledged",
    "progress",
    "blocked",
    "mitigated",
    "exception-requested",
    "evidence-added",
    "patched",
    "lane-changed",
    "not-affected",
  ],
  reopened: [
    "acknowledged",
    "progress",
    "blocked",
    "mitigated",
    "exception-requested",
    "evidence-added",
    "patched",
    "lane-changed",
    "not-affected",
  ],
  // Final like closed: security may reopen it; it only gains evidence otherwise.
  "not-affected": ["evidence-added", "reopened"],
};

/** A valid event of each type, by a role allowed to record it. */
const SAMPLES: { [T in Exclude<EventType, "handoff-sent">]: [NewEvent["role"], EventPayloads[T]] } = {
  acknowledged: ["system-owner", { note: "on it" }],
  progress: ["system-owner", { note: "passive node upgraded" }],
  blocked: [
    "system-owner",
    {
      category: "technical",
      blocker: "HA sync fails on 11.1.2-h3",
      risk: "active node stays exposed",
      temporaryControl: "Threat Prevention signatures 95187/95189/95191",
      owner: "netops",
      nextReview: "2024-04-26T13:00:00Z",
      unblocksWhen: "vendor hotfix for HA sync",
    },
  ],
  unblocked: ["system-owner", { note: "hotfix installed" }],
  mitigated: [
    "system-owner",
    { mitigation: "GlobalProtect telemetry disabled", residualRisk: "low", socMonitoring: "SOC rule 4411" },
  ],
  "exception-requested": [
    "service-owner",
    {
      justification: "peak trading week",
      compensatingControls: "signatures + geo-blocking",
      expiry: "2024-05-30T00:00:00Z",
      reviewDate: "2024-05-15T00:00:00Z",
    },
  ],
  "exception-granted": ["governance", { expiry: "2024-05-30T00:00:00Z", reviewDate: "2024-05-15T00:00:00Z" }],
  "exception-denied": ["governance", { note: "risk too high for an internet-facing gateway" }],
  "exception-expired": ["security", { expiry: "2024-04-24T00:00:00Z" }],
  "evidence-added": [
    "system-owner",
    { kind: "screenshot", reference: "ticket CHG-1/attachment 3", observedAt: T0, attestedBy: "netops" },
  ],
  patched: ["system-owner", { version: "11.1.2-h3", assets: ["fw-edge-01", "fw-edge-02"] }],
  verified: ["security", { note: "scan clean" }],
  "monitoring-started": [
    "security",
    {
      watched: "GlobalProtect logs",
      owner: "soc",
      window: "14d",
      endsAt: "2024-05-09T00:00:00Z",
      reopenOn: ["re-detection in a scan"],
    },
  ],
  reopened: ["security", { why: "scan re-detected the vulnerable build on fw-edge-02" }],
  closed: ["security", { note: "done" }],
  "lane-changed": ["security", { from: "patch-now", to: "patch-window", why: "exposure removed" }],
  "not-affected": [
    "system-owner",
    {
      justification: "vulnerable_code_not_present",
      detail: "GlobalProtect gateway and portal are not configured on these firewalls",
      evidence: "config export CHG-7/running-config.xml",
    },
  ],
};

/** A record in `state` with everything the guards look at already satisfied. */
function recordIn(state: ItemState): ItemRecord {
  return {
    workItemId: "WI-3400a1b2c3",
    caseId: CASE_ID,
    state,
    lane: "patch-now",
    version: 5,
    lastHash: "h5",
    sentAt: T0,
    verifiedAt: "2024-04-18T00:00:00Z",
    reopenedCount: 0,
    blocker: { ...SAMPLES.blocked[1], since: T0 },
    exception: {
      status: state === "exception-granted" ? "granted" : "requested",
      justification: "x",
      compensatingControls: "y",
      expiry: "2024-04-24T00:00:00Z",
      reviewDate: "2024-04-20T00:00:00Z",
      requestedBy: "svc-remote-access",
    },
    evidence: (["version-proof", "deployment-record", "scan", "forensic-evidence"] as const).map((kind) => ({
      kind,
      reference: `${kind}-1`,
      observedAt: T0,
      attestedBy: "netops",
      recordedAt: T0,
    })),
    monitoring: {
      watched: "logs",
      owner: "soc",
      window: "7d",
      startedAt: "2024-04-17T00:00:00Z",
      endsAt: "2024-04-24T00:00:00Z",
      reopenOn: ["rollback"],
    },
    deadline: "2024-04-20T03:59:59Z",
    zone: "America/New_York",
    cadence: patchNowItem().cadence,
    metCheckpoints: ["before-exception:in-progress"],
    updatedAt: T0,
  };
}

describe("transition table", () => {
  // No fixed version, so "mitigated" is allowed by the item in every open state.
  const item: WorkItem = {
    ...patchNowItem(),
    fix: { ...patchNowItem().fix, fixedVersion: undefined },
  } as WorkItem;
  delete item.fix.fixedVersion;
  const types = Object.keys(SAMPLES) as (keyof typeof SAMPLES)[];

  for (const state of ITEM_STATES) {
    it(`${state}: allows exactly ${EXPECTED[state].join(", ")}`, () => {
      expect(allowedEvents(recordIn(state), item).sort()).toEqual([...EXPECTED[state]].sort());
      for (const type of types) {
        const [role, payload] = SAMPLES[type];
        const event = newEvent(item, type, role, "actor-1", LATER, payload as never);
        if (EXPECTED[state].includes(type)) {
          const next = applyEvent(recordIn(state), event, item, policy);
          expect(next.version).toBe(6);
          expect(next.updatedAt).toBe(LATER);
          expect(next.lastHash).toBe("h5");
        } else {
          const err = thrown(() => applyEvent(recordIn(state), event, item, policy));
          expect(err.code, `${state} + ${type}`).toBe("ILLEGAL_TRANSITION");
          expect(err.message).toContain(state);
        }
      }
    });
  }

  it("names the state and what is allowed when refusing", () => {
    const item2 = patchNowItem();
    const err = thrown(() =>
      applyEvent(
        recordIn("sent"),
        newEvent(item2, "patched", "system-owner", "dana", LATER, {}),
        item2,
        policy,
      ),
    );
    expect(err.message).toBe(
      "cannot record patched on WI-3400a1b2c3: it is sent; allowed now: acknowledged, blocked, exception-requested, evidence-added, lane-changed, not-affected",
    );
  });

  it("only handoff-sent starts a record, and only once", () => {
    const item2 = patchNowItem();
    expect(allowedEvents(undefined, item2)).toEqual(["handoff-sent"]);
    const ack = newEvent(item2, "acknowledged", "system-owner", "dana", T0, {});
    expect(thrown(() => applyEvent(undefined, ack, item2, policy)).code).toBe("ILLEGAL_TRANSITION");
    const r = applyEvent(undefined, sent(item2), item2, policy);
    expect(r).toMatchObject({
      state: "sent",
      lane: "patch-now",
      version: 1,
      deadline: "2024-04-20T03:59:59Z",
      zone: "America/New_York",
      sentAt: "2024-04-15T13:00:00Z",
    });
    expect(r.cadence.map((c) => c.kind)).toEqual(["acknowledgment", "status", "blocker-escalation", "final"]);
    expect(thrown(() => applyEvent(r, sent(item2, LATER), item2, policy)).code).toBe("ILLEGAL_TRANSITION");
  });

  it("refuses mitigation while a fixed version exists outside the mitigate lane", () => {
    const item2 = patchNowItem();
    const [role, payload] = SAMPLES.mitigated;
    const err = thrown(() =>
      applyEvent(
        recordIn("in-progress"),
        newEvent(item2, "mitigated", role, "dana", LATER, payload),
        item2,
        policy,
      ),
    );
    expect(err.code).toBe("ILLEGAL_TRANSITION");
    expect(err.message).toContain("fixed version 11.1.2-h3 exists");
    expect(allowedEvents(recordIn("in-progress"), item2)).not.toContain("mitigated");
  });
});

// ---------------------------------------------------------------- roles

describe("roles", () => {
  const item = patchNowItem();
  const requested = recordIn("exception-requested");

  it("only governance grants an exception", () => {
    const ev = newEvent(
      item,
      "exception-granted",
      "system-owner",
      "dana",
      LATER,
      SAMPLES["exception-granted"][1],
    );
    const err = thrown(() => applyEvent(requested, ev, item, policy));
    expect(err.code).toBe("FORBIDDEN_ROLE");
    expect(err.message).toBe("only governance may grant an exception; dana acted as system-owner");
    const ok = applyEvent(requested, { ...ev, role: "governance", actor: "grc" }, item, policy);
    expect(ok.state).toBe("exception-granted");
    expect(ok.exception).toMatchObject({ status: "granted", decidedBy: "grc", decidedAt: LATER });
  });

  it.each([
    [
      "acknowledged",
      "security",
      "sent",
      "only system-owner may acknowledge a work item; actor-1 acted as security",
    ],
    ["verified", "system-owner", "patched", "only security may verify a fix; actor-1 acted as system-owner"],
    [
      "closed",
      "governance",
      "monitoring",
      "only security may close a work item; actor-1 acted as governance",
    ],
    ["reopened", "leadership", "closed", "only security may reopen a work item; actor-1 acted as leadership"],
    [
      "evidence-added",
      "service-owner",
      "patched",
      "only system-owner or security may add evidence; actor-1 acted as service-owner",
    ],
    ["exception-denied", "security", "exception-requested", "only governance may deny an exception"],
  ] as const)("%s by %s is refused", (type, role, state, message) => {
    const ev = newEvent(item, type, role, "actor-1", LATER, SAMPLES[type][1] as never);
    const err = thrown(() => applyEvent(recordIn(state), ev, item, policy));
    expect(err.code).toBe("FORBIDDEN_ROLE");
    expect(err.message).toContain(message);
  });

  it("the service owner may block for approval but not for a technical issue", () => {
    const payload = SAMPLES.blocked[1];
    const technical = newEvent(item, "blocked", "service-owner", "maria", LATER, payload);
    const err = thrown(() => applyEvent(recordIn("acknowledged"), technical, item, policy));
    expect(err.code).toBe("FORBIDDEN_ROLE");
    expect(err.message).toContain("of category technical");
    const approval = { ...technical, payload: { ...payload, category: "approval" as const } };
    const r = applyEvent(recordIn("acknowledged"), approval, item, policy);
    expect(r.state).toBe("blocked");
    expect(r.blocker?.category).toBe("approval");
  });

  it("governance may close a granted exception; security too", () => {
    const ev = newEvent(item, "closed", "governance", "grc", LATER, { note: "accepted risk" });
    expect(applyEvent(recordIn("exception-granted"), ev, item, policy).state).toBe("closed");
    expect(applyEvent(recordIn("exception-granted"), { ...ev, role: "security" }, item, policy).state).toBe(
      "closed",
    );
  });
});

// ---------------------------------------------------------------- payloads

describe("payload validation", () => {
  const item = patchNowItem();

  it("names the missing field", () => {
    const { nextReview: _omit, ...rest } = SAMPLES.blocked[1];
    const ev = newEvent(item, "blocked", "system-owner", "dana", LATER, rest as EventPayloads["blocked"]);
    const err = thrown(() => applyEvent(recordIn("in-progress"), ev, item, policy));
    expect(err.code).toBe("VALIDATION_ERROR");
    expect(err.message).toBe("blocked: nextReview is required (an instant like 2026-11-26T17:00:00Z)");
    expect(err.place.path).toBe("payload.nextReview");
  });

  it.each([
    ["blocked", { ...SAMPLES.blocked[1], category: "weather" }, "category must be one of technical"],
    [
      "evidence-added",
      { kind: "forensic-decision", reference: "IR-7", observedAt: T0, attestedBy: "soc" },
      "outcome is required",
    ],
    [
      "evidence-added",
      { kind: "scan", reference: "r", observedAt: "2030-01-01T00:00:00Z", attestedBy: "soc" },
      "observedAt",
    ],
    [
      "monitoring-started",
      { ...SAMPLES["monitoring-started"][1], window: "a fortnight" },
      "window must be a duration",
    ],
    [
      "monitoring-started",
      { ...SAMPLES["monitoring-started"][1], reopenOn: [] },
      "reopenOn must name at least one",
    ],
    ["reopened", { why: "  " }, "why is required"],
    ["exception-granted", { expiry: "2024-05-01T00:00:00Z", reviewDate: "2024-06-01T00:00:00Z" }, "expiry"],
    ["progress", { note: 42 }, "note must be text"],
  ] as const)("%s payload %# is refused", (type, payload, message) => {
    const state =
      type === "monitoring-started"
        ? "verifying"
        : type === "exception-granted"
          ? "exception-requested"
          : "in-progress";
    const [role] = SAMPLES[type];
    const ev = newEvent(item, type, role, "x", LATER, payload as never);
    const err = thrown(() => applyEvent(recordIn(state), ev, item, policy));
    expect(err.code).toBe("VALIDATION_ERROR");
    expect(err.message).toContain(message);
  });

  it("refuses an event dated before the last one", () => {
    const ev = newEvent(item, "progress", "system-owner", "dana", "2024-04-01T00:00:00Z", { note: "x" });
    const err = thrown(() => applyEvent(recordIn("in-progress"), ev, item, policy));
    expect(err.code).toBe("VALIDATION_ERROR");
    expect(err.message).toContain("before the last event");
  });

  it("refuses an unknown role as a validation error", () => {
    const ev = newEvent(item, "progress", "owner" as never, "dana", LATER, { note: "x" });
    const err = thrown(() => applyEvent(recordIn("in-progress"), ev, item, policy));
    expect(err.code).toBe("VALIDATION_ERROR");
    expect(err.message).toBe(
      "progress: role must be one of security, system-owner, service-owner, governance, leadership, got 'owner'",
    );
  });

  it("refuses an event for another work item", () => {
    const ev = {
      ...newEvent(item, "progress", "system-owner", "dana", LATER, { note: "x" }),
      workItemId: "WI-0000000000",
    };
    expect(thrown(() => applyEvent(recordIn("in-progress"), ev, item, policy)).code).toBe("VALIDATION_ERROR");
  });
});

// ---------------------------------------------------------------- closure on evidence

describe("closure on positive evidence", () => {
  const item = patchNowItem();
  const so = (type: EventType, at: string, payload: object) =>
    newEvent(item, type, "system-owner", "netops", at, payload as never);
  const sec = (type: EventType, at: string, payload: object) =>
    newEvent(item, type, "security", "sec-vm", at, payload as never);
  const evidence = (kind: string, at: string) =>
    so("evidence-added", at, {
      kind,
      reference: `${kind}:fw-edge-01`,
      observedAt: at,
      attestedBy: "Dana Ruiz",
    });

  const upToPatched = [
    sent(item),
    so("acknowledged", "2024-04-15T14:00:00Z", {}),
    so("progress", "2024-04-16T12:00:00Z", { note: "lab pair upgraded" }),
    so("patched", "2024-04-17T06:00:00Z", { version: "11.1.2-h3" }),
  ];

  it("patched alone never closes", () => {
    const { record } = run(item, policy, upToPatched);
    expect(record.state).toBe("patched");
    expect(record.metCheckpoints).toEqual(["acknowledgment", "status", "blocker-escalation"]);
    const err = thrown(() => applyEvent(record, sec("closed", "2024-04-17T07:00:00Z", {}), item, policy));
    expect(err.code).toBe("ILLEGAL_TRANSITION");
    expect(err.message).toMatch(
      /^cannot close WI-3400a1b2c3: the lane patch-now requires evidence version-proof, deployment-record or change-ticket, scan or inventory; recorded: none; security has not verified the fix; no monitoring window has run \(it is patched\)$/,
    );
    const verify = thrown(() =>
      applyEvent(record, sec("verified", "2024-04-17T07:00:00Z", {}), item, policy),
    );
    expect(verify.message).toBe(
      "cannot verify WI-3400a1b2c3: the lane patch-now requires evidence version-proof, deployment-record or change-ticket, scan or inventory; recorded: none",
    );
  });

  it("verification lists only what is still missing, then passes; monitoring ends; closing follows", () => {
    const partial = [
      ...upToPatched,
      evidence("version-proof", "2024-04-17T07:00:00Z"),
      evidence("change-ticket", "2024-04-17T07:05:00Z"),
    ];
    const { record } = run(item, policy, partial);
    expect(record.state).toBe("verifying");
    const err = thrown(() => applyEvent(record, sec("verified", "2024-04-17T08:00:00Z", {}), item, policy));
    expect(err.message).toBe(
      "cannot verify WI-3400a1b2c3: the lane patch-now requires evidence scan or inventory; recorded: version-proof, change-ticket",
    );

    const full = [
      ...partial,
      evidence("scan", "2024-04-17T09:00:00Z"),
      sec("verified", "2024-04-17T10:00:00Z", { note: "scan clean" }),
      sec("monitoring-started", "2024-04-17T11:00:00Z", {
        watched: "GlobalProtect and system logs",
        owner: "soc",
        window: "14d",
        reopenOn: ["re-detection in a scan", "rollback"],
      }),
    ];
    const monitored = run(item, policy, full);
    expect(monitored.record.state).toBe("monitoring");
    expect(monitored.record.metCheckpoints).toContain("final");
    // 14 calendar days in America/New_York from 07:00 EDT.
    expect(monitored.record.monitoring?.endsAt).toBe("2024-05-01T11:00:00Z");

    const early = thrown(() =>
      applyEvent(monitored.record, sec("closed", "2024-04-30T00:00:00Z", {}), item, policy),
    );
    expect(early.message).toContain("runs until 2024-05-01T11:00:00Z");
    const closed = applyEvent(monitored.record, sec("closed", "2024-05-01T11:00:00Z", {}), item, policy);
    expect(closed).toMatchObject({ state: "closed", closedAt: "2024-05-01T11:00:00Z", version: 10 });

    // The projection rebuilt from the chain equals the one kept while writing.
    expect(verifyChain(monitored.chain)).toEqual({ ok: true });
    expect(reduce(monitored.chain, item, policy)).toEqual(monitored.record);
    expect(monitored.record.lastHash).toMatch(/^[0-9a-f]{64}$/);
    // A later, stricter policy does not make the recorded history unreadable.
    const stricter = basePolicy();
    stricter.closureRequires["patch-now"] = [["attestation"]];
    expect(reduce(monitored.chain, item, stricter).state).toBe("monitoring");
  });

  it("a validate item closes once answered", () => {
    const v = validateItem();
    const { record } = run(v, policy, [
      sent(v),
      newEvent(v, "acknowledged", "system-owner", "mft-ops", "2023-06-05T09:00:00Z", {}),
    ]);
    const close = newEvent(v, "closed", "security", "sec-vm", "2023-06-06T00:00:00Z", {});
    expect(thrown(() => applyEvent(record, close, v, policy)).message).toBe(
      `cannot close ${v.id}: the lane validate requires evidence inventory or version-proof or attestation; recorded: none`,
    );
    const answered = applyEvent(
      record,
      newEvent(v, "evidence-added", "system-owner", "mft-ops", "2023-06-05T12:00:00Z", {
        kind: "inventory",
        reference: "CMDB export 2023-06-05",
        observedAt: "2023-06-05T11:00:00Z",
        attestedBy: "mft-ops",
      }),
      v,
      policy,
    );
    expect(applyEvent(answered, close, v, policy).state).toBe("closed");
  });

  it("closureRequires in the policy decides", () => {
    const lenient = basePolicy();
    lenient.closureRequires["patch-now"] = [["screenshot"]];
    const { record } = run(item, lenient, [
      ...upToPatched,
      evidence("screenshot", "2024-04-17T07:00:00Z"),
      sec("verified", "2024-04-17T08:00:00Z", {}),
    ]);
    expect(record.verifiedAt).toBe("2024-04-17T08:00:00Z");
  });
});

// ---------------------------------------------------------------- exceptions and reopening

describe("exceptions and reopening", () => {
  const item = patchNowItem();
  const base = [
    sent(item),
    newEvent(item, "acknowledged", "system-owner", "netops", "2024-04-15T14:00:00Z", {}),
    newEvent(item, "blocked", "system-owner", "netops", "2024-04-15T15:00:00Z", SAMPLES.blocked[1]),
    newEvent(item, "exception-requested", "service-owner", "svc-remote-access", "2024-04-15T16:00:00Z", {
      ...SAMPLES["exception-requested"][1],
    }),
  ];

  it("a denial returns the item to the state before the request", () => {
    const denied = run(item, policy, [
      ...base,
      newEvent(item, "exception-denied", "governance", "grc", "2024-04-15T17:00:00Z", { note: "no" }),
    ]).record;
    expect(denied.state).toBe("blocked");
    expect(denied.blocker?.blocker).toBe("HA sync fails on 11.1.2-h3");
    expect(denied.exception).toMatchObject({
      status: "denied",
      decidedBy: "grc",
      requestedBy: "svc-remote-access",
    });
    expect(denied.metCheckpoints).toEqual(["acknowledgment", "status", "blocker-escalation", "final"]);
  });

  it("reopening clears the claim, verification and old proof, and reopens the final checkpoint", () => {
    const r = recordIn("monitoring");
    r.metCheckpoints = ["acknowledgment", "final", "forensic-evidence"];
    const reopened = applyEvent(
      r,
      newEvent(item, "reopened", "security", "sec-vm", LATER, {
        why: "rollback on fw-edge-02",
        source: "scan",
      }),
      item,
      policy,
    );
    expect(reopened).toMatchObject({ state: "reopened", reopenedCount: 1 });
    expect(reopened.verifiedAt).toBeUndefined();
    expect(reopened.monitoring).toBeUndefined();
    expect(reopened.evidence.map((e) => e.kind)).toEqual(["forensic-evidence"]);
    expect(reopened.metCheckpoints).toEqual(["acknowledgment", "forensic-evidence"]);
    expect(allowedEvents(reopened, item)).toContain("acknowledged");
  });

  it("reduce refuses a chain with a gap", () => {
    const { chain } = run(item, policy, base);
    expect(thrown(() => reduce([chain[0]!, chain[2]!], item, policy)).message).toContain("out of order");
    expect(thrown(() => reduce([], item, policy)).code).toBe("NOT_FOUND");
  });
});

// ---------------------------------------------------------------- not affected

describe("not affected", () => {
  const v = validateItem();
  const answer = (role: NewEvent["role"], at: string, payload: object) =>
    newEvent(v, "not-affected", role, "mft-ops", at, payload as EventPayloads["not-affected"]);
  const ANSWER = {
    justification: "component_not_present",
    detail: "MOVEit Transfer was decommissioned; the host runs only the SFTP gateway (checked in the CMDB)",
    evidence: "CMDB export 2023-06-05",
  };
  const acked = () =>
    run(v, policy, [
      sent(v),
      newEvent(v, "acknowledged", "system-owner", "mft-ops", "2023-06-05T09:00:00Z", {}),
    ]).record;

  it("answers a validation request: kept on the record, final checkpoint met, nothing left to close", () => {
    const r = applyEvent(acked(), answer("system-owner", "2023-06-05T12:00:00Z", ANSWER), v, policy);
    expect(r.state).toBe("not-affected");
    expect(r.notAffected).toEqual({
      ...ANSWER,
      recordedBy: "mft-ops",
      role: "system-owner",
      recordedAt: "2023-06-05T12:00:00Z",
    });
    expect(r.metCheckpoints).toEqual(["acknowledgment", "final"]);
    expect(r.patchedAt).toBeUndefined();
    expect(r.verifiedAt).toBeUndefined();
    expect(allowedEvents(r, v).sort()).toEqual(["evidence-added", "reopened"]);
    const close = newEvent(v, "closed", "security", "sec-vm", "2023-06-06T00:00:00Z", {});
    expect(thrown(() => applyEvent(r, close, v, policy)).code).toBe("ILLEGAL_TRANSITION");
  });

  it("the service owner may answer too, without the optional evidence reference", () => {
    const { evidence: _omit, ...bare } = ANSWER;
    const r = applyEvent(acked(), answer("service-owner", "2023-06-05T12:00:00Z", bare), v, policy);
    expect(r.notAffected).toMatchObject({ role: "service-owner" });
    expect(r.notAffected).not.toHaveProperty("evidence");
  });

  it("clears a blocker it answers", () => {
    const item = patchNowItem();
    const event = newEvent(item, "not-affected", "system-owner", "netops", LATER, SAMPLES["not-affected"][1]);
    const blocked = applyEvent(recordIn("blocked"), event, item, policy);
    expect(blocked.state).toBe("not-affected");
    expect(blocked.blocker).toBeUndefined();
  });

  it.each([
    ["security", "only system-owner or service-owner may record a work item as not affected"],
    ["governance", "only system-owner or service-owner may record a work item as not affected"],
  ] as const)("is refused to %s", (role, message) => {
    const err = thrown(() => applyEvent(acked(), answer(role, "2023-06-05T12:00:00Z", ANSWER), v, policy));
    expect(err.code).toBe("FORBIDDEN_ROLE");
    expect(err.message).toContain(message);
  });

  it.each([
    [
      { ...ANSWER, justification: "not_vulnerable" },
      "not-affected: justification must be one of component_not_present",
    ],
    [
      { ...ANSWER, justification: undefined },
      "not-affected: justification is required (one of component_not_present",
    ],
    [{ ...ANSWER, detail: "  " }, "not-affected: detail is required (text)"],
    [{ justification: "component_not_present" }, "not-affected: detail is required (text)"],
    [{ ...ANSWER, evidence: 7 }, "not-affected: evidence must be text, got 7"],
  ])("payload %# is refused, naming the field", (payload, message) => {
    const err = thrown(() =>
      applyEvent(acked(), answer("system-owner", "2023-06-05T12:00:00Z", payload), v, policy),
    );
    expect(err.code).toBe("VALIDATION_ERROR");
    expect(err.message).toContain(message);
    const field = message.split(": ")[1]?.split(" ")[0];
    expect(err.place.path).toBe(`payload.${field}`);
  });

  it("only security reopens it, and reopening drops the answer and the old evidence", () => {
    const { record, chain } = run(v, policy, [
      sent(v),
      newEvent(v, "acknowledged", "system-owner", "mft-ops", "2023-06-05T09:00:00Z", {}),
      newEvent(v, "evidence-added", "system-owner", "mft-ops", "2023-06-05T11:00:00Z", {
        kind: "inventory",
        reference: "CMDB export 2023-06-05",
        observedAt: "2023-06-05T10:00:00Z",
        attestedBy: "mft-ops",
      }),
      answer("system-owner", "2023-06-05T12:00:00Z", ANSWER),
    ]);
    expect(reduce(chain, v, policy)).toEqual(record);
    const why = { why: "a scan found MOVEit Transfer 2023.0.1 on mft-01" };
    const byOwner = newEvent(v, "reopened", "system-owner", "mft-ops", "2023-06-07T00:00:00Z", why);
    expect(thrown(() => applyEvent(record, byOwner, v, policy)).code).toBe("FORBIDDEN_ROLE");
    const reopened = applyEvent(record, { ...byOwner, role: "security", actor: "sec-vm" }, v, policy);
    expect(reopened).toMatchObject({ state: "reopened", reopenedCount: 1 });
    expect(reopened.notAffected).toBeUndefined();
    expect(reopened.evidence).toEqual([]);
    expect(reopened.metCheckpoints).toEqual(["acknowledgment"]);
    // Closing the validation request again needs fresh evidence.
    const close = newEvent(v, "closed", "security", "sec-vm", "2023-06-07T01:00:00Z", {});
    expect(thrown(() => applyEvent(reopened, close, v, policy)).message).toContain("recorded: none");
  });
});

// ---------------------------------------------------------------- BOD 26-04 forensics

/** The KEV listing date of CVE-2024-3400, from the corpus catalog. */
function kevDateAdded(cve: string): string {
  const file = path.resolve("../shared/corpus/kev/known_exploited_vulnerabilities.json");
  const catalog = JSON.parse(readFileSync(file, "utf8")) as {
    vulnerabilities: { cveID: string; dateAdded: string }[];
  };
  const entry = catalog.vulnerabilities.find((v) => v.cveID === cve);
  if (!entry) throw new Error(`${cve} not in the corpus KEV catalog`);
  return entry.dateAdded;
}

describe("forensic gating (BOD 26-04)", () => {
  const plain = patchNowItem();
  const added = kevDateAdded("CVE-2024-3400");
  const item: WorkItem = {
    ...plain,
    cadence: planCadence({
      policy,
      lane: "patch-now",
      start: plain.plannedAt,
      deadline: plain.deadline,
      zone: "America/New_York",
      forensics: true,
      kevDateAdded: added,
    }),
  };
  const so = (type: EventType, at: string, payload: object) =>
    newEvent(item, type, "system-owner", "netops", at, payload as never);
  const forensic = (kind: string, at: string, extra: object = {}) =>
    so("evidence-added", at, {
      kind,
      reference: `IR-1/${kind}`,
      observedAt: at,
      attestedBy: "SOC",
      ...extra,
    });
  const start = [sent(item), so("acknowledged", "2024-04-15T14:00:00Z", {})];

  it("plans the forensic clock from the KEV listing (2024-04-12, US Eastern midnight)", () => {
    expect(added).toBe("2024-04-12");
    const forensicDue = item.cadence
      .filter((c) => c.kind.startsWith("forensic-"))
      .map((c) => [c.kind, c.due]);
    expect(forensicDue).toEqual([
      ["forensic-scoping", "2024-04-12T06:00:00Z"],
      ["forensic-evidence", "2024-04-13T04:00:00Z"],
      ["forensic-decision", "2024-04-15T04:00:00Z"],
    ]);
  });

  it("refuses the patch until volatile evidence is collected", () => {
    const { record } = run(item, policy, [...start, forensic("forensic-scoping", "2024-04-15T14:30:00Z")]);
    expect(record.metCheckpoints).toContain("forensic-scoping");
    const err = thrown(() => applyEvent(record, so("patched", "2024-04-16T00:00:00Z", {}), item, policy));
    expect(err.code).toBe("ILLEGAL_TRANSITION");
    expect(err.message).toBe(
      `cannot record ${item.id} as patched: forensic triage comes first, and volatile evidence must be collected before the patch (evidence forensic-evidence); recorded: forensic-scoping`,
    );
    const collected = applyEvent(record, forensic("forensic-evidence", "2024-04-15T20:00:00Z"), item, policy);
    expect(collected.metCheckpoints).toContain("forensic-evidence");
    expect(applyEvent(collected, so("patched", "2024-04-16T00:00:00Z", {}), item, policy).state).toBe(
      "patched",
    );
  });

  it("the item without forensic checkpoints patches without them", () => {
    const { record } = run(plain, policy, [
      sent(plain),
      newEvent(plain, "acknowledged", "system-owner", "n", "2024-04-15T14:00:00Z", {}),
    ]);
    const patched = applyEvent(
      record,
      newEvent(plain, "patched", "system-owner", "n", "2024-04-16T00:00:00Z", {}),
      plain,
      policy,
    );
    expect(patched.state).toBe("patched");
  });

  it("a confirmed compromise hands the item to incident response and meets the decision checkpoint", () => {
    const { record } = run(item, policy, [
      ...start,
      forensic("forensic-decision", "2024-04-15T18:00:00Z", { outcome: "confirmed" }),
    ]);
    expect(record.metCheckpoints).toEqual(["acknowledgment", "forensic-decision", INCIDENT_RESPONSE]);
    expect(record.evidence[0]?.outcome).toBe("confirmed");
    const suspected = run(item, policy, [
      ...start,
      forensic("forensic-decision", "2024-04-15T18:00:00Z", { outcome: "no-evidence" }),
    ]).record;
    expect(suspected.metCheckpoints).not.toContain(INCIDENT_RESPONSE);
  });
});
