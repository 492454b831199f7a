/**
 * The policy: every threshold, deadline, cadence and default that decide, gate and plan use.
 * Loaded from one YAML file (see load.ts) over a built-in pack (see packs.ts).
 */
import type { MatchKey } from "../scan/match.js";
import type { EvidenceKind } from "../track/types.js";
import type { ChangeProfile, CheckpointKind, Confidence, Criticality, Exposure, Lane } from "../types.js";

export type PackName = "bod-26-04" | "bod-22-01" | "fedramp" | "custom";

/** A duration as written in policy: "72h", "3d", "2w", "90m", or ISO 8601 "P3D"/"PT4H". */
export type DurationText = string;

export interface MaintenanceWindow {
  /** Days of the week the window opens: "sat", "sun", … */
  days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
  /** Local wall-clock start in the owner's zone, "02:00". */
  start: string;
  /** Length of the window. */
  length: DurationText;
  /** A window must open at least this long after the handoff to be used. */
  minLeadTime: DurationText;
}

export interface CadencePolicy {
  /** Offsets from the handoff time; "final" may be the literal "deadline". */
  acknowledgment: DurationText;
  status: DurationText;
  "blocker-escalation": DurationText;
  final: DurationText | "deadline";
}

export interface Policy {
  pack: PackName;
  /** Zone used when an owner or asset names none. */
  defaultTimeZone: string;
  /** Zone in which a calendar due date (KEV dueDate) ends: end of that day there. */
  dueDateZone: string;
  thresholds: {
    /** EPSS probability at or above which EPSS counts as high. */
    epssHigh: number;
    /** EPSS percentile at or above which EPSS counts as high. */
    epssPercentileHigh: number;
    /** A rise of at least this much since the previous score is a review trigger. */
    epssJump: number;
    /** CVSS base score at or above which a missing-KEV item with exposure counts as high. */
    cvssHigh: number;
  };
  /** Asset roles that make an exploitable item urgent (identity, edge, …). */
  urgentRoles: string[];
  /** Criticalities that make an exploitable item urgent. */
  urgentCriticality: Criticality[];
  /** Exposures that count as "publicly exposed" (BOD 26-04 asset exposure = yes). */
  exposedLevels: Exposure[];
  /** Confidence given to each source of a signal. */
  sourceConfidence: Record<string, Confidence>;
  /** Deadline per lane × criticality, used by the custom pack and as the fallback of the others. */
  deadlines: Partial<Record<Lane, Record<Criticality, DurationText>>>;
  maintenanceWindow: MaintenanceWindow;
  /** Per-environment override of the window ("production" → Sunday 01:00). */
  environmentWindows: Record<string, MaintenanceWindow>;
  cadence: Partial<Record<Lane, CadencePolicy>>;
  /** Evidence that closes an item, per lane. */
  closureEvidence: Partial<Record<Lane, string[]>>;
  /**
   * Evidence kinds a work item needs before it can be verified, per lane: a list of groups, each
   * satisfied by any one of its kinds ([["version-proof"], ["scan", "inventory"]] = version proof
   * and a scan or an inventory record).
   */
  closureRequires: Partial<Record<Lane, EvidenceKind[][]>>;
  /** Change-safety defaults per environment ("default" applies to all). */
  changeDefaults: Record<string, ChangeProfile>;
  /** Whether change defaults from policy may satisfy the gate's testing/rollback fields. */
  gateAcceptsPolicyDefaults: boolean;
  /** Owner ids (from the owners directory) for roles the inventory does not name per asset. */
  roleOwners: { security?: string; governance?: string; leadership?: string };
  /**
   * How a scanned asset is found in the inventory: identity keys tried in order; the first that names
   * exactly one inventory asset wins.
   */
  scanMatch: MatchKey[];
}

/** A parsed policy file, changesets-style: never throws for content problems. */
export interface PolicyLoadResult {
  config: Policy;
  warnings: string[];
  /** Each names the bad key: "cadence.patch-now.acknowledgment: expected a duration like 4h, got 'soon'". */
  errors: string[];
}

/** What a pack says about one work item's deadline. */
export interface DeadlineRule {
  /** Relative duration from the clock start, or a calendar due date (YYYY-MM-DD, ends in dueDateZone). */
  duration?: DurationText;
  dueDate?: string;
  /** Band label: "3 days & forensic investigation", "KEV due date", "FedRAMP high: 30 days". */
  band: string;
  /** True when the pack also requires forensic triage before patching (BOD 26-04). */
  forensics: boolean;
  /** "fix on system upgrade": no deadline, item belongs in the patch window. */
  onUpgrade: boolean;
}

/** Inputs a pack needs to choose a deadline. */
export interface DeadlineInput {
  lane: Lane;
  criticality: Criticality;
  inKev: boolean;
  kevDueDate?: string;
  exposed: boolean;
  automatable?: "yes" | "no";
  technicalImpact?: "partial" | "total";
  cvssScore?: number;
}

export type { CheckpointKind };
