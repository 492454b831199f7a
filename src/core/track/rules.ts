/**
 * The tracker's tables: which state each event may follow, and which functional role may record it.
 *
 *   sent → acknowledged → in-progress → patched (a claim) → verifying → monitoring → closed
 *   blocked (from sent, acknowledged, in-progress, reopened; unblocked returns to in-progress)
 *   mitigated (residual risk while no fix exists, or the lane is mitigate)
 *   exception-requested → exception-granted | back to the state before the request (denied)
 *   not-affected (the owner's answer to "is it affected?", from the open states and blocked; final)
 *   reopened (from verifying, monitoring, closed, exception-granted, not-affected; then acknowledge again)
 */
import type { FunctionalRole } from "../types.js";
import { type EventType, ITEM_STATES, type ItemState } from "./types.js";

/**
 * "exception-denied" is where an item lands only when the state before the request is unknown
 * (a record written by hand); it then behaves like an acknowledged item.
 */
const OPEN: readonly ItemState[] = ["sent", "acknowledged", "in-progress", "reopened", "exception-denied"];

/** States nothing is due in any more: closed, and not-affected until security reopens it. */
export function isFinal(state: ItemState): boolean {
  return state === "closed" || state === "not-affected";
}

/** States each event may follow. "closed" and "handoff-sent" are decided in machine.ts. */
export const FROM: Record<Exclude<EventType, "handoff-sent" | "closed">, readonly ItemState[]> = {
  acknowledged: ["sent", "reopened", "exception-denied"],
  progress: ["acknowledged", "in-progress", "reopened", "exception-denied", "blocked", "mitigated"],
  blocked: [...OPEN, "blocked"],
  unblocked: ["blocked"],
  mitigated: [...OPEN, "blocked"],
  "exception-requested": [...OPEN, "blocked", "mitigated"],
  "exception-granted": ["exception-requested"],
  "exception-denied": ["exception-requested"],
  "exception-expired": ["exception-granted"],
  "evidence-added": [...ITEM_STATES],
  patched: [
    "acknowledged",
    "in-progress",
    "blocked",
    "mitigated",
    "reopened",
    "exception-denied",
    "exception-granted",
  ],
  verified: ["patched", "verifying", "mitigated"],
  "monitoring-started": ["verifying"],
  reopened: ["verifying", "monitoring", "closed", "exception-granted", "not-affected"],
  "lane-changed": [
    "sent",
    "acknowledged",
    "in-progress",
    "patched",
    "verifying",
    "monitoring",
    "blocked",
    "mitigated",
    "exception-requested",
    "exception-granted",
    "exception-denied",
    "reopened",
  ],
  "not-affected": [...OPEN, "blocked"],
};

/**
 * Who may record each event. Security prioritises and judges the fix, the system owner executes,
 * the service owner decides business matters (approval and operational blockers, exception
 * requests), governance decides exceptions; either owner may answer that the item is not affected.
 * Closing a granted exception is also open to governance (checked in machine.ts).
 */
export const ROLES: Record<EventType, readonly FunctionalRole[]> = {
  "handoff-sent": ["security"],
  "lane-changed": ["security"],
  verified: ["security"],
  "monitoring-started": ["security"],
  reopened: ["security"],
  closed: ["security"],
  "exception-expired": ["security"],
  acknowledged: ["system-owner"],
  progress: ["system-owner"],
  patched: ["system-owner"],
  mitigated: ["system-owner"],
  blocked: ["system-owner", "service-owner"],
  unblocked: ["system-owner", "service-owner"],
  "exception-requested": ["system-owner", "service-owner"],
  "not-affected": ["system-owner", "service-owner"],
  "evidence-added": ["system-owner", "security"],
  "exception-granted": ["governance"],
  "exception-denied": ["governance"],
};

/** Blocker categories a service owner may raise or clear (business decisions). */
export const SERVICE_OWNER_BLOCKERS = ["approval", "operational"] as const;

/** The action in words, for messages: "only governance may grant an exception". */
export const ACTION: Record<EventType, string> = {
  "handoff-sent": "send a handoff",
  acknowledged: "acknowledge a work item",
  progress: "report progress",
  blocked: "record a blocker",
  unblocked: "clear a blocker",
  mitigated: "record a mitigation",
  "exception-requested": "request an exception",
  "exception-granted": "grant an exception",
  "exception-denied": "deny an exception",
  "exception-expired": "expire an exception",
  "evidence-added": "add evidence",
  patched: "report a work item patched",
  verified: "verify a fix",
  "monitoring-started": "start monitoring",
  reopened: "reopen a work item",
  closed: "close a work item",
  "lane-changed": "change the lane",
  "not-affected": "record a work item as not affected",
};

/** Which checkpoint kinds an event meets. */
export const MEETS: Partial<Record<EventType, readonly string[]>> = {
  acknowledged: ["acknowledgment"],
  progress: ["status"],
  blocked: ["status"],
  patched: ["status", "blocker-escalation"],
  unblocked: ["blocker-escalation"],
  "exception-requested": ["blocker-escalation"],
  verified: ["final"],
  "exception-granted": ["final"],
  "exception-denied": ["final"],
  closed: ["final"],
  "not-affected": ["final"],
};
