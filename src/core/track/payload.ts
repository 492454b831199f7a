/**
 * Checks every field a person supplies with an event before it reaches the record. Each failure is
 * a VALIDATION_ERROR naming the event type and the field ("blocked: nextReview is required …"),
 * with the field's path ("payload.nextReview") as its place.
 */
import { PatchlineError } from "../../errors.js";
import { isDuration, isValidZone, parseInstant } from "../time.js";
import { type FunctionalRole, LANES } from "../types.js";
import type {
  BlockerCategory,
  EventType,
  EvidenceKind,
  ForensicOutcome,
  NewEvent,
  NotAffectedJustification,
} from "./types.js";

export const EVENT_TYPES: readonly EventType[] = [
  "handoff-sent",
  "acknowledged",
  "progress",
  "blocked",
  "unblocked",
  "mitigated",
  "exception-requested",
  "exception-granted",
  "exception-denied",
  "exception-expired",
  "evidence-added",
  "patched",
  "verified",
  "monitoring-started",
  "reopened",
  "closed",
  "lane-changed",
  "not-affected",
];

export const FUNCTIONAL_ROLES: readonly FunctionalRole[] = [
  "security",
  "system-owner",
  "service-owner",
  "governance",
  "leadership",
];

export const BLOCKER_CATEGORIES: readonly BlockerCategory[] = [
  "technical",
  "operational",
  "approval",
  "vendor",
  "exception",
];

export const EVIDENCE_KIND_LIST: readonly EvidenceKind[] = [
  "version-proof",
  "deployment-record",
  "scan",
  "inventory",
  "change-ticket",
  "screenshot",
  "attestation",
  "forensic-scoping",
  "forensic-evidence",
  "forensic-decision",
];

export const FORENSIC_OUTCOMES: readonly ForensicOutcome[] = ["no-evidence", "suspected", "confirmed"];

/** The CycloneDX / OpenVEX justifications for "not affected". */
export const NOT_AFFECTED_JUSTIFICATIONS: readonly NotAffectedJustification[] = [
  "component_not_present",
  "vulnerable_code_not_present",
  "vulnerable_code_not_in_execute_path",
  "vulnerable_code_cannot_be_controlled_by_adversary",
  "inline_mitigations_already_exist",
];

/** Conditions that commonly reopen a monitored fix (a monitoring event may name others). */
export const REOPEN_CONDITIONS: readonly string[] = [
  "re-detection in a scan",
  "rollback of the fix",
  "missed nodes",
  "new KEV listing or exploitation evidence",
];

const INSTANT_HINT = "an instant like 2026-11-26T17:00:00Z";

type Fields = Record<string, unknown>;

function fail(type: string, field: string, problem: string): never {
  throw new PatchlineError("VALIDATION_ERROR", `${type}: ${field} ${problem}`, { path: `payload.${field}` });
}

function show(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "a mapping" : String(value);
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function text(p: Fields, type: string, field: string, required: boolean): void {
  const v = p[field];
  if (isMissing(v)) {
    if (required) fail(type, field, "is required (text)");
    if (v === undefined || v === null) return;
  }
  if (typeof v !== "string") fail(type, field, `must be text, got ${show(v)}`);
}

function instant(p: Fields, type: string, field: string, required: boolean): void {
  const v = p[field];
  if (isMissing(v)) {
    if (required) fail(type, field, `is required (${INSTANT_HINT})`);
    return;
  }
  if (typeof v !== "string") fail(type, field, `must be ${INSTANT_HINT}, got ${show(v)}`);
  try {
    parseInstant(v);
  } catch {
    fail(type, field, `must be ${INSTANT_HINT}, got ${show(v)}`);
  }
}

function oneOf(p: Fields, type: string, field: string, values: readonly string[], required: boolean): void {
  const v = p[field];
  if (isMissing(v)) {
    if (required) fail(type, field, `is required (one of ${values.join(", ")})`);
    return;
  }
  if (typeof v !== "string" || !values.includes(v)) {
    fail(type, field, `must be one of ${values.join(", ")}, got ${show(v)}`);
  }
}

function textList(p: Fields, type: string, field: string, required: boolean): void {
  const v = p[field];
  if (v === undefined || v === null) {
    if (required) fail(type, field, "is required (a list of text)");
    return;
  }
  if (!Array.isArray(v)) fail(type, field, `must be a list of text, got ${show(v)}`);
  if (required && v.length === 0) fail(type, field, "must name at least one entry");
  v.forEach((item, i) => {
    if (typeof item !== "string" || item.trim() === "")
      fail(type, `${field}[${i}]`, "must be non-empty text");
  });
}

function isInstant(value: string): boolean {
  try {
    parseInstant(value);
    return true;
  } catch {
    return false;
  }
}

function notBefore(p: Fields, type: string, later: string, earlier: string): void {
  const a = p[later];
  const b = p[earlier];
  if (typeof a !== "string" || typeof b !== "string") return;
  if (parseInstant(a).epochMilliseconds < parseInstant(b).epochMilliseconds) {
    fail(type, later, `(${a}) must not be before ${earlier} (${b})`);
  }
}

/** Checks the envelope (type, actor, role, time) and the payload of an event. */
export function validateEvent(event: NewEvent): void {
  const e = event as unknown as Fields;
  if (typeof e.type !== "string" || !EVENT_TYPES.includes(e.type as EventType)) {
    throw new PatchlineError(
      "VALIDATION_ERROR",
      `unknown event type ${show(e.type)}; expected one of ${EVENT_TYPES.join(", ")}`,
      { path: "type" },
    );
  }
  const type = event.type;
  const envelope = (field: string, problem: string): never => {
    throw new PatchlineError("VALIDATION_ERROR", `${type}: ${field} ${problem}`, { path: field });
  };
  if (typeof e.actor !== "string" || e.actor.trim() === "") envelope("actor", "is required (who acted)");
  if (typeof e.role !== "string" || !FUNCTIONAL_ROLES.includes(e.role as FunctionalRole)) {
    envelope("role", `must be one of ${FUNCTIONAL_ROLES.join(", ")}, got ${show(e.role)}`);
  }
  if (typeof e.workItemId !== "string" || e.workItemId === "") envelope("workItemId", "is required");
  if (typeof e.caseId !== "string" || e.caseId === "") envelope("caseId", "is required");
  if (typeof e.at !== "string") envelope("at", `is required (${INSTANT_HINT})`);
  try {
    parseInstant(event.at);
  } catch {
    envelope("at", `must be ${INSTANT_HINT}, got ${show(e.at)}`);
  }
  if (e.reason !== undefined && typeof e.reason !== "string") envelope("reason", "must be text");
  if (e.payload === null || typeof e.payload !== "object" || Array.isArray(e.payload)) {
    envelope("payload", `must be a mapping, got ${show(e.payload)}`);
  }
  checkPayload(type, e.payload as Fields, event.at);
}

function checkPayload(type: EventType, p: Fields, at: string): void {
  switch (type) {
    case "handoff-sent": {
      oneOf(p, type, "lane", LANES, true);
      if (p.deadline !== null) instant(p, type, "deadline", true);
      text(p, type, "zone", true);
      if (!isValidZone(p.zone as string))
        fail(type, "zone", `must be an IANA time zone, got ${show(p.zone)}`);
      if (!Array.isArray(p.cadence)) fail(type, "cadence", "is required (a list of checkpoints)");
      (p.cadence as unknown[]).forEach((c, i) => {
        const cp = c as Fields;
        if (cp === null || typeof cp !== "object") fail(type, `cadence[${i}]`, "must be a checkpoint");
        if (typeof cp.kind !== "string" || cp.kind === "") fail(type, `cadence[${i}].kind`, "is required");
        if (typeof cp.due !== "string" || !isInstant(cp.due)) {
          fail(type, `cadence[${i}].due`, `must be ${INSTANT_HINT}, got ${show(cp.due)}`);
        }
      });
      text(p, type, "channel", false);
      return;
    }
    case "acknowledged":
    case "verified":
    case "closed":
      text(p, type, "note", false);
      return;
    case "progress":
      text(p, type, "note", true);
      textList(p, type, "assetsDone", false);
      return;
    case "blocked":
      oneOf(p, type, "category", BLOCKER_CATEGORIES, true);
      for (const f of ["blocker", "risk", "temporaryControl", "owner", "unblocksWhen"])
        text(p, type, f, true);
      instant(p, type, "nextReview", true);
      return;
    case "unblocked":
    case "exception-denied":
      text(p, type, "note", true);
      return;
    case "mitigated":
      for (const f of ["mitigation", "residualRisk", "socMonitoring"]) text(p, type, f, true);
      return;
    case "exception-requested":
      text(p, type, "justification", true);
      text(p, type, "compensatingControls", true);
      instant(p, type, "expiry", true);
      instant(p, type, "reviewDate", true);
      notBefore(p, type, "expiry", "reviewDate");
      notBefore({ ...p, at }, type, "expiry", "at");
      return;
    case "exception-granted":
      instant(p, type, "expiry", true);
      instant(p, type, "reviewDate", true);
      notBefore(p, type, "expiry", "reviewDate");
      notBefore({ ...p, at }, type, "expiry", "at");
      text(p, type, "conditions", false);
      return;
    case "exception-expired":
      instant(p, type, "expiry", true);
      return;
    case "evidence-added":
      oneOf(p, type, "kind", EVIDENCE_KIND_LIST, true);
      text(p, type, "reference", true);
      instant(p, type, "observedAt", true);
      text(p, type, "attestedBy", true);
      textList(p, type, "assets", false);
      text(p, type, "version", false);
      if (p.kind === "forensic-decision") oneOf(p, type, "outcome", FORENSIC_OUTCOMES, true);
      else if (p.outcome !== undefined) fail(type, "outcome", "applies only to forensic-decision evidence");
      if (parseInstant(p.observedAt as string).epochMilliseconds > parseInstant(at).epochMilliseconds) {
        fail(type, "observedAt", `(${String(p.observedAt)}) is after the time of the event (${at})`);
      }
      return;
    case "patched":
      text(p, type, "version", false);
      textList(p, type, "assets", false);
      text(p, type, "note", false);
      return;
    case "monitoring-started":
      text(p, type, "watched", true);
      text(p, type, "owner", true);
      text(p, type, "window", true);
      if (!isDuration(p.window as string))
        fail(type, "window", `must be a duration like 14d, got ${show(p.window)}`);
      textList(p, type, "reopenOn", true);
      instant(p, type, "endsAt", false);
      return;
    case "reopened":
      text(p, type, "why", true);
      text(p, type, "source", false);
      return;
    case "lane-changed":
      oneOf(p, type, "from", LANES, true);
      oneOf(p, type, "to", LANES, true);
      text(p, type, "why", true);
      if (p.from === p.to) fail(type, "to", `must differ from the current lane (${String(p.from)})`);
      return;
    case "not-affected":
      oneOf(p, type, "justification", NOT_AFFECTED_JUSTIFICATIONS, true);
      text(p, type, "detail", true);
      text(p, type, "evidence", false);
      return;
  }
}
