/**
 * The remediation record: cases, work-item states and the append-only events they are derived
 * from. Plain data; instants are UTC ISO strings, zones IANA names.
 */
import type { Checkpoint, FunctionalRole, Lane, WorkItem } from "../types.js";

// ---------------------------------------------------------------- states

export type ItemState =
  | "sent"
  | "acknowledged"
  | "in-progress"
  | "patched"
  | "verifying"
  | "monitoring"
  | "closed"
  | "blocked"
  | "mitigated"
  | "exception-requested"
  | "exception-granted"
  | "exception-denied"
  | "reopened"
  | "not-affected";

export const ITEM_STATES: readonly ItemState[] = [
  "sent",
  "acknowledged",
  "in-progress",
  "patched",
  "verifying",
  "monitoring",
  "closed",
  "blocked",
  "mitigated",
  "exception-requested",
  "exception-granted",
  "exception-denied",
  "reopened",
  "not-affected",
];

export type BlockerCategory = "technical" | "operational" | "approval" | "vendor" | "exception";

export type EvidenceKind =
  | "version-proof"
  | "deployment-record"
  | "scan"
  | "inventory"
  | "change-ticket"
  | "screenshot"
  | "attestation"
  | "forensic-scoping"
  | "forensic-evidence"
  | "forensic-decision";

export type ForensicOutcome = "no-evidence" | "suspected" | "confirmed";

/** Why an asset group is not affected: the CycloneDX / OpenVEX justifications. */
export type NotAffectedJustification =
  | "component_not_present"
  | "vulnerable_code_not_present"
  | "vulnerable_code_not_in_execute_path"
  | "vulnerable_code_cannot_be_controlled_by_adversary"
  | "inline_mitigations_already_exist";

// ---------------------------------------------------------------- events

export type EventType =
  | "handoff-sent"
  | "acknowledged"
  | "progress"
  | "blocked"
  | "unblocked"
  | "mitigated"
  | "exception-requested"
  | "exception-granted"
  | "exception-denied"
  | "exception-expired"
  | "evidence-added"
  | "patched"
  | "verified"
  | "monitoring-started"
  | "reopened"
  | "closed"
  | "lane-changed"
  | "not-affected";

/** Payload per event type. Every field a person supplies is validated before the event is written. */
export interface EventPayloads {
  "handoff-sent": {
    lane: Lane;
    deadline: string | null;
    zone: string;
    cadence: Checkpoint[];
    channel?: string;
  };
  acknowledged: { note?: string };
  progress: { note: string; assetsDone?: string[] };
  blocked: {
    category: BlockerCategory;
    blocker: string;
    risk: string;
    temporaryControl: string;
    owner: string;
    nextReview: string;
    unblocksWhen: string;
  };
  unblocked: { note: string };
  mitigated: { mitigation: string; residualRisk: string; socMonitoring: string };
  "exception-requested": {
    justification: string;
    compensatingControls: string;
    expiry: string;
    reviewDate: string;
  };
  "exception-granted": { expiry: string; reviewDate: string; conditions?: string };
  "exception-denied": { note: string };
  "exception-expired": { expiry: string };
  "evidence-added": {
    kind: EvidenceKind;
    reference: string;
    observedAt: string;
    attestedBy: string;
    assets?: string[];
    version?: string;
    outcome?: ForensicOutcome;
  };
  patched: { version?: string; assets?: string[]; note?: string };
  verified: { note?: string };
  "monitoring-started": {
    watched: string;
    owner: string;
    window: string;
    endsAt: string;
    reopenOn: string[];
  };
  reopened: { why: string; source?: string };
  closed: { note?: string };
  "lane-changed": { from: Lane; to: Lane; why: string };
  /** The answer to "is this asset group affected?": no, why, what was checked, and where it is shown. */
  "not-affected": { justification: NotAffectedJustification; detail: string; evidence?: string };
}

export interface TrackEvent<T extends EventType = EventType> {
  /** Position in the work item's chain, 1-based; the writer states the one it expects (optimistic concurrency). */
  seq: number;
  caseId: string;
  workItemId: string;
  type: T;
  /** UTC instant the event was recorded (the clock passed in). */
  at: string;
  /** Owner id or name of who acted. */
  actor: string;
  role: FunctionalRole;
  reason?: string;
  payload: EventPayloads[T];
  /** sha256 of the previous event of the same work item ("" for the first). */
  prevHash: string;
  /** sha256 over this event's canonical content and prevHash. */
  hash: string;
}

/** An event as a command proposes it, before seq and hashes are assigned. */
export type NewEvent<T extends EventType = EventType> = Omit<TrackEvent<T>, "seq" | "prevHash" | "hash">;

// ---------------------------------------------------------------- projection

export interface Blocker {
  category: BlockerCategory;
  blocker: string;
  risk: string;
  temporaryControl: string;
  owner: string;
  nextReview: string;
  unblocksWhen: string;
  since: string;
}

export interface ExceptionRecord {
  status: "requested" | "granted" | "denied" | "expired";
  justification: string;
  compensatingControls: string;
  expiry: string;
  reviewDate: string;
  requestedBy: string;
  decidedBy?: string;
  decidedAt?: string;
}

export interface EvidenceRecord {
  kind: EvidenceKind;
  reference: string;
  observedAt: string;
  attestedBy: string;
  recordedAt: string;
  assets?: string[];
  version?: string;
  outcome?: ForensicOutcome;
}

export interface NotAffectedRecord {
  justification: NotAffectedJustification;
  detail: string;
  evidence?: string;
  recordedBy: string;
  role: FunctionalRole;
  recordedAt: string;
}

export interface MonitoringRecord {
  watched: string;
  owner: string;
  window: string;
  startedAt: string;
  endsAt: string;
  reopenOn: string[];
}

/** Current state of one work item, derived from its events (the projection kept beside them). */
export interface ItemRecord {
  workItemId: string;
  caseId: string;
  state: ItemState;
  lane: Lane;
  /** Number of events so far (the seq of the last one). */
  version: number;
  lastHash: string;
  sentAt?: string;
  acknowledgedAt?: string;
  patchedAt?: string;
  verifiedAt?: string;
  closedAt?: string;
  reopenedCount: number;
  blocker?: Blocker;
  exception?: ExceptionRecord;
  evidence: EvidenceRecord[];
  monitoring?: MonitoringRecord;
  mitigation?: { mitigation: string; residualRisk: string; socMonitoring: string; since: string };
  /** Kept while the item is not-affected; a reopen clears it (the events keep it in the timeline). */
  notAffected?: NotAffectedRecord;
  deadline: string | null;
  zone: string;
  cadence: Checkpoint[];
  /** Checkpoint kinds already satisfied (acknowledgment by the ack, final by verify/exception outcome/not affected…). */
  metCheckpoints: string[];
  updatedAt: string;
}

/** A case: the source-of-truth record for one advisory (or campaign) and its work items. */
export interface CaseRecord {
  id: string;
  advisoryId: string;
  title: string;
  openedAt: string;
  workItemIds: string[];
}

/** One checkpoint that is due or overdue, for `patchline due`. */
export interface DueCheckpoint {
  workItemId: string;
  caseId: string;
  advisoryId: string;
  assetGroup: string;
  owner: string;
  kind: Checkpoint["kind"] | "blocker-review" | "exception-review" | "exception-expiry" | "monitoring-end";
  due: string;
  zone: string;
  overdue: boolean;
  escalateTo?: string;
}

export type { WorkItem };
