/**
 * The work-item state machine. Pure: an event goes in with the current projection, the next
 * projection comes out, or a PatchlineError explains the refusal:
 * - VALIDATION_ERROR: a bad or missing field, named;
 * - FORBIDDEN_ROLE: the role may not take this action ("only governance may grant an exception");
 * - ILLEGAL_TRANSITION: the current state does not allow it, or the proof it needs is missing.
 *
 * Two facts have no field of their own in ItemRecord and are kept in `metCheckpoints`:
 * - "incident-response": a forensic decision of "confirmed" handed the item to incident response;
 * - "before-exception:<state>": the state an exception request came from, so a denial returns there.
 */
import { PatchlineError } from "../../errors.js";
import type { Policy } from "../policy/types.js";
import { addInZone, parseInstant } from "../time.js";
import type { WorkItem } from "../types.js";
import {
  closureGroups,
  describeGroups,
  describeRecorded,
  isForensicKind,
  missingEvidence,
} from "./evidence.js";
import { EVENT_TYPES, validateEvent } from "./payload.js";
import { ACTION, FROM, isFinal, MEETS, ROLES, SERVICE_OWNER_BLOCKERS } from "./rules.js";
import type {
  EventPayloads,
  EventType,
  EvidenceKind,
  EvidenceRecord,
  ItemRecord,
  ItemState,
  NewEvent,
  TrackEvent,
} from "./types.js";

export const INCIDENT_RESPONSE = "incident-response";
const BEFORE_EXCEPTION = "before-exception:";

/** The handoff-sent payload for a work item: lane, deadline, zone and cadence as planned. */
export function handoffPayload(item: WorkItem, channel?: string): EventPayloads["handoff-sent"] {
  return {
    lane: item.lane,
    deadline: item.deadline?.at ?? null,
    zone: item.deadline?.zone ?? item.owner.timeZone,
    cadence: structuredClone(item.cadence),
    ...(channel !== undefined ? { channel } : {}),
  };
}

/** True when the item was handed to incident response (a confirmed forensic decision). */
export function isWithIncidentResponse(record: ItemRecord): boolean {
  return record.metCheckpoints.includes(INCIDENT_RESPONSE);
}

/** True when the cadence carries BOD 26-04 forensic checkpoints. */
export function needsForensics(record: Pick<ItemRecord, "cadence">): boolean {
  return record.cadence.some((c) => c.kind.startsWith("forensic-"));
}

/**
 * Validates the event's payload, the actor's role and the transition, and returns the next
 * projection: version + 1, updatedAt = event.at. lastHash is left as it was: the writer sets it once
 * the event's hash is known.
 */
export function applyEvent(
  record: ItemRecord | undefined,
  event: NewEvent,
  item: WorkItem,
  policy: Policy,
): ItemRecord {
  return step(record, event, item, policy, true);
}

/**
 * Replays a work item's events into its projection. The chain must be complete and in order
 * (seq 1, 2, …). Checks that depend on the policy of the day (evidence a lane needs, forensic
 * gating, fix availability) were made when each event was written and are not made again, so a
 * later policy change never makes a recorded history unreadable.
 */
export function reduce(events: readonly TrackEvent[], item: WorkItem, policy: Policy): ItemRecord {
  let record: ItemRecord | undefined;
  for (const e of events) {
    const expected = (record?.version ?? 0) + 1;
    if (e.seq !== expected) {
      throw new PatchlineError(
        "VALIDATION_ERROR",
        `${item.id}: event ${e.seq} is out of order; expected event ${expected}`,
        { path: `events[${expected - 1}].seq` },
      );
    }
    const { seq: _seq, prevHash: _prev, hash, ...proposed } = e;
    record = step(record, proposed, item, policy, false);
    record.lastHash = hash;
  }
  if (record === undefined) throw new PatchlineError("NOT_FOUND", `${item.id} has no recorded events`);
  return record;
}

/** The events the current state allows (roles and evidence are not considered). */
export function allowedEvents(record: ItemRecord | undefined, item: WorkItem): EventType[] {
  if (record === undefined) return ["handoff-sent"];
  const out: EventType[] = [];
  for (const type of EVENT_TYPES) {
    if (type === "handoff-sent") continue;
    if (type === "closed") {
      if (closableState(record)) out.push(type);
      continue;
    }
    if (!FROM[type].includes(record.state)) continue;
    if (type === "mitigated" && !mitigationAllowed(record, item)) continue;
    if (type === "monitoring-started" && record.verifiedAt === undefined) continue;
    out.push(type);
  }
  return out;
}

// ---------------------------------------------------------------- internals

function closableState(record: ItemRecord): boolean {
  if (isFinal(record.state)) return false;
  return record.state === "monitoring" || record.state === "exception-granted" || record.lane === "validate";
}

function mitigationAllowed(record: ItemRecord, item: WorkItem): boolean {
  return record.lane === "mitigate" || !item.fix.fixedVersion;
}

function illegal(message: string, details?: Record<string, unknown>): PatchlineError {
  return new PatchlineError("ILLEGAL_TRANSITION", message, {}, details);
}

function refuseState(record: ItemRecord, event: NewEvent, item: WorkItem): never {
  const allowed = allowedEvents(record, item);
  throw illegal(
    `cannot record ${event.type} on ${record.workItemId}: it is ${record.state}; allowed now: ${allowed.join(", ") || "nothing"}`,
    { state: record.state, allowed },
  );
}

function checkRole(record: ItemRecord | undefined, event: NewEvent): void {
  const { type, role, actor } = event;
  let roles = ROLES[type];
  if (type === "closed" && record?.state === "exception-granted") roles = ["governance", "security"];
  if (!roles.includes(role)) {
    throw new PatchlineError(
      "FORBIDDEN_ROLE",
      `only ${roles.join(" or ")} may ${ACTION[type]}; ${actor} acted as ${role}`,
      {},
      { required: roles, role, actor },
    );
  }
  if (role !== "service-owner") return;
  const category =
    type === "blocked"
      ? (event.payload as EventPayloads["blocked"]).category
      : type === "unblocked"
        ? record?.blocker?.category
        : undefined;
  if (category !== undefined && !(SERVICE_OWNER_BLOCKERS as readonly string[]).includes(category)) {
    throw new PatchlineError(
      "FORBIDDEN_ROLE",
      `only system-owner may ${ACTION[type]} of category ${category} (a service owner handles approval and operational blockers); ${actor} acted as service-owner`,
      {},
      { required: ["system-owner"], role, actor },
    );
  }
}

function ms(instant: string): number {
  return parseInstant(instant).epochMilliseconds;
}

function meet(record: ItemRecord, kinds: readonly string[]): void {
  for (const k of kinds) if (!record.metCheckpoints.includes(k)) record.metCheckpoints.push(k);
}

function unmeet(record: ItemRecord, kind: string): void {
  record.metCheckpoints = record.metCheckpoints.filter((k) => k !== kind);
}

function create(event: NewEvent): ItemRecord {
  const p = event.payload as EventPayloads["handoff-sent"];
  return {
    workItemId: event.workItemId,
    caseId: event.caseId,
    state: "sent",
    lane: p.lane,
    version: 1,
    lastHash: "",
    sentAt: event.at,
    reopenedCount: 0,
    evidence: [],
    deadline: p.deadline,
    zone: p.zone,
    cadence: structuredClone(p.cadence),
    metCheckpoints: [],
    updatedAt: event.at,
  };
}

function step(
  record: ItemRecord | undefined,
  event: NewEvent,
  item: WorkItem,
  policy: Policy,
  enforce: boolean,
): ItemRecord {
  validateEvent(event);
  if (event.workItemId !== item.id) {
    throw new PatchlineError(
      "VALIDATION_ERROR",
      `${event.type}: the event is for ${event.workItemId}, not ${item.id}`,
      { path: "workItemId" },
    );
  }
  if (record !== undefined) {
    if (record.workItemId !== event.workItemId || record.caseId !== event.caseId) {
      throw new PatchlineError(
        "VALIDATION_ERROR",
        `${event.type}: the event is for ${event.caseId}/${event.workItemId}, the record is ${record.caseId}/${record.workItemId}`,
        { path: "workItemId" },
      );
    }
    if (ms(event.at) < ms(record.updatedAt)) {
      throw new PatchlineError(
        "VALIDATION_ERROR",
        `${event.type}: at (${event.at}) is before the last event on ${record.workItemId} (${record.updatedAt})`,
        { path: "at" },
      );
    }
  }
  checkRole(record, event);

  if (record === undefined) {
    if (event.type !== "handoff-sent") {
      throw illegal(
        `cannot record ${event.type} on ${event.workItemId}: no handoff has been sent; allowed now: handoff-sent`,
        {
          state: null,
          allowed: ["handoff-sent"],
        },
      );
    }
    return create(event);
  }
  if (event.type === "handoff-sent") {
    throw illegal(
      `cannot send ${record.workItemId} again: it was sent at ${record.sentAt ?? "an earlier time"} and is ${record.state}`,
      {
        state: record.state,
      },
    );
  }
  if (event.type === "closed") {
    if (isFinal(record.state)) refuseState(record, event, item);
    checkClosure(record, event.at, policy, enforce);
  } else if (!FROM[event.type].includes(record.state)) {
    refuseState(record, event, item);
  }

  const next: ItemRecord = {
    ...record,
    version: record.version + 1,
    updatedAt: event.at,
    evidence: [...record.evidence],
    metCheckpoints: [...record.metCheckpoints],
  };
  meet(next, MEETS[event.type] ?? []);
  transition(next, record, event, item, policy, enforce);
  return next;
}

function transition(
  next: ItemRecord,
  prev: ItemRecord,
  event: NewEvent,
  item: WorkItem,
  policy: Policy,
  enforce: boolean,
): void {
  const at = event.at;
  switch (event.type) {
    case "acknowledged":
      next.state = "acknowledged";
      next.acknowledgedAt = at;
      return;
    case "progress":
      // A status note while blocked or mitigated keeps that state.
      if (prev.state !== "blocked" && prev.state !== "mitigated") next.state = "in-progress";
      return;
    case "blocked": {
      const p = event.payload as EventPayloads["blocked"];
      next.state = "blocked";
      next.blocker = {
        category: p.category,
        blocker: p.blocker,
        risk: p.risk,
        temporaryControl: p.temporaryControl,
        owner: p.owner,
        nextReview: p.nextReview,
        unblocksWhen: p.unblocksWhen,
        since: prev.state === "blocked" && prev.blocker ? prev.blocker.since : at,
      };
      return;
    }
    case "unblocked":
      next.state = "in-progress";
      delete next.blocker;
      return;
    case "mitigated": {
      if (enforce && !mitigationAllowed(prev, item)) {
        throw illegal(
          `cannot record ${prev.workItemId} as mitigated: the lane is ${prev.lane} and fixed version ${item.fix.fixedVersion} exists; patch it, or request an exception`,
          { state: prev.state },
        );
      }
      const p = event.payload as EventPayloads["mitigated"];
      next.state = "mitigated";
      next.mitigation = {
        mitigation: p.mitigation,
        residualRisk: p.residualRisk,
        socMonitoring: p.socMonitoring,
        since: at,
      };
      delete next.blocker;
      return;
    }
    case "exception-requested": {
      const p = event.payload as EventPayloads["exception-requested"];
      next.state = "exception-requested";
      next.exception = {
        status: "requested",
        justification: p.justification,
        compensatingControls: p.compensatingControls,
        expiry: p.expiry,
        reviewDate: p.reviewDate,
        requestedBy: event.actor,
      };
      next.metCheckpoints = next.metCheckpoints.filter((k) => !k.startsWith(BEFORE_EXCEPTION));
      next.metCheckpoints.push(`${BEFORE_EXCEPTION}${prev.state}`);
      return;
    }
    case "exception-granted": {
      const p = event.payload as EventPayloads["exception-granted"];
      next.state = "exception-granted";
      next.exception = {
        ...(prev.exception ?? requestedFallback(event)),
        status: "granted",
        expiry: p.expiry,
        reviewDate: p.reviewDate,
        decidedBy: event.actor,
        decidedAt: at,
      };
      delete next.blocker;
      next.metCheckpoints = next.metCheckpoints.filter((k) => !k.startsWith(BEFORE_EXCEPTION));
      return;
    }
    case "exception-denied": {
      const before = prev.metCheckpoints.find((k) => k.startsWith(BEFORE_EXCEPTION));
      next.state = before ? (before.slice(BEFORE_EXCEPTION.length) as ItemState) : "exception-denied";
      next.exception = {
        ...(prev.exception ?? requestedFallback(event)),
        status: "denied",
        decidedBy: event.actor,
        decidedAt: at,
      };
      next.metCheckpoints = next.metCheckpoints.filter((k) => !k.startsWith(BEFORE_EXCEPTION));
      return;
    }
    case "exception-expired":
      if (next.exception) next.exception = { ...next.exception, status: "expired" };
      reopen(next);
      return;
    case "evidence-added": {
      const p = event.payload as EventPayloads["evidence-added"];
      const ev: EvidenceRecord = {
        kind: p.kind,
        reference: p.reference,
        observedAt: p.observedAt,
        attestedBy: p.attestedBy,
        recordedAt: at,
        ...(p.assets !== undefined ? { assets: [...p.assets] } : {}),
        ...(p.version !== undefined ? { version: p.version } : {}),
        ...(p.outcome !== undefined ? { outcome: p.outcome } : {}),
      };
      next.evidence.push(ev);
      if (isForensicKind(p.kind)) meet(next, [p.kind]);
      if (p.kind === "forensic-decision" && p.outcome === "confirmed") meet(next, [INCIDENT_RESPONSE]);
      // The first proof after a patch claim starts its verification.
      if (prev.state === "patched" && !isForensicKind(p.kind)) next.state = "verifying";
      return;
    }
    case "patched":
      if (enforce && needsForensics(prev) && !prev.evidence.some((e) => e.kind === "forensic-evidence")) {
        throw illegal(
          `cannot record ${prev.workItemId} as patched: forensic triage comes first, and volatile evidence must be collected before the patch (evidence forensic-evidence); recorded: ${describeRecorded(prev.evidence.filter((e) => isForensicKind(e.kind)))}`,
          { state: prev.state, missing: [["forensic-evidence"]] },
        );
      }
      next.state = "patched";
      next.patchedAt = at;
      delete next.blocker;
      return;
    case "verified": {
      if (enforce) {
        const missing = missingEvidence(closureGroups(policy, prev.lane), prev.evidence);
        if (missing.length > 0) {
          throw illegal(`cannot verify ${prev.workItemId}: ${evidenceShortfall(prev, missing)}`, {
            state: prev.state,
            missing,
          });
        }
      }
      next.state = "verifying";
      next.verifiedAt = at;
      return;
    }
    case "monitoring-started": {
      if (prev.verifiedAt === undefined) {
        throw illegal(`cannot start monitoring ${prev.workItemId}: security has not verified the fix yet`, {
          state: prev.state,
        });
      }
      const p = event.payload as EventPayloads["monitoring-started"];
      next.state = "monitoring";
      next.monitoring = {
        watched: p.watched,
        owner: p.owner,
        window: p.window,
        startedAt: at,
        endsAt: p.endsAt ? p.endsAt : addInZone(at, p.window, prev.zone),
        reopenOn: [...p.reopenOn],
      };
      return;
    }
    case "reopened":
      reopen(next);
      return;
    case "closed":
      next.state = "closed";
      next.closedAt = at;
      return;
    case "not-affected": {
      const p = event.payload as EventPayloads["not-affected"];
      next.state = "not-affected";
      next.notAffected = {
        justification: p.justification,
        detail: p.detail,
        ...(p.evidence !== undefined ? { evidence: p.evidence } : {}),
        recordedBy: event.actor,
        role: event.role,
        recordedAt: at,
      };
      delete next.blocker;
      return;
    }
    case "lane-changed": {
      const p = event.payload as EventPayloads["lane-changed"];
      if (p.from !== prev.lane) {
        throw new PatchlineError(
          "VALIDATION_ERROR",
          `lane-changed: from ('${p.from}') is not the current lane of ${prev.workItemId} (${prev.lane})`,
          { path: "payload.from" },
        );
      }
      next.lane = p.to;
      return;
    }
    case "handoff-sent":
      return;
  }
}

function requestedFallback(event: NewEvent) {
  return {
    status: "requested" as const,
    justification: "",
    compensatingControls: "",
    expiry: "",
    reviewDate: "",
    requestedBy: event.actor,
  };
}

/**
 * Back to work: the claim, verification, monitoring, closure and a "not affected" answer no longer
 * hold, the final checkpoint is open again, and only forensic evidence carries over (proof of the
 * old fix or answer proves nothing now; the events keep it in the timeline).
 */
function reopen(next: ItemRecord): void {
  next.state = "reopened";
  next.reopenedCount += 1;
  delete next.patchedAt;
  delete next.verifiedAt;
  delete next.closedAt;
  delete next.monitoring;
  delete next.notAffected;
  next.evidence = next.evidence.filter((e) => isForensicKind(e.kind));
  unmeet(next, "final");
}

function evidenceShortfall(record: ItemRecord, missing: readonly (readonly EvidenceKind[])[]): string {
  const recorded = describeRecorded(record.evidence.filter((e) => !isForensicKind(e.kind)));
  return `the lane ${record.lane} requires evidence ${describeGroups(missing)}; recorded: ${recorded}`;
}

/**
 * Closing is allowed after verification and a monitoring window that has ended, on a granted
 * exception, or, for the validate lane, once the answer (the evidence the lane names) is recorded.
 */
function checkClosure(record: ItemRecord, at: string, policy: Policy, enforce: boolean): void {
  if (record.state === "exception-granted") return;
  const id = record.workItemId;
  if (record.state === "monitoring" && record.monitoring) {
    if (!enforce || ms(record.monitoring.endsAt) <= ms(at)) return;
    throw illegal(
      `cannot close ${id}: its monitoring window (${record.monitoring.window}) runs until ${record.monitoring.endsAt}; reopen it if a reopen condition occurred`,
      { state: record.state },
    );
  }
  const missing = missingEvidence(closureGroups(policy, record.lane), record.evidence);
  if (record.lane === "validate") {
    if (!enforce || missing.length === 0) return;
    throw illegal(`cannot close ${id}: ${evidenceShortfall(record, missing)}`, {
      state: record.state,
      missing,
    });
  }
  if (!enforce) return;
  const parts: string[] = [];
  if (missing.length > 0) parts.push(evidenceShortfall(record, missing));
  if (record.verifiedAt === undefined) parts.push("security has not verified the fix");
  parts.push("no monitoring window has run");
  throw illegal(`cannot close ${id}: ${parts.join("; ")} (it is ${record.state})`, {
    state: record.state,
    missing,
  });
}
