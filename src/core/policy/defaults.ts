/**
 * The base policy every pack starts from. Packs change the deadline logic (see packs.ts); a policy
 * file changes any value (see load.ts). policy/default.yaml at the repository root documents every key.
 */
import { MATCH_KEYS } from "../scan/match.js";
import type { EvidenceKind } from "../track/types.js";
import type { Lane } from "../types.js";
import type { CadencePolicy, Policy } from "./types.js";

const PATCH_CLOSURE_EVIDENCE = [
  "version proof (installed version at or above the fixed version)",
  "deployment record or change ticket",
  "post-patch scan or inventory evidence",
  "validation timestamp",
];

const CADENCE: Partial<Record<Lane, CadencePolicy>> = {
  "patch-now": { acknowledgment: "4h", status: "24h", "blocker-escalation": "48h", final: "deadline" },
  "patch-window": { acknowledgment: "2d", status: "7d", "blocker-escalation": "14d", final: "deadline" },
  validate: { acknowledgment: "1d", status: "2d", "blocker-escalation": "3d", final: "deadline" },
  mitigate: { acknowledgment: "4h", status: "24h", "blocker-escalation": "48h", final: "deadline" },
};

const PATCH_CLOSURE_REQUIRES: EvidenceKind[][] = [
  ["version-proof"],
  ["deployment-record", "change-ticket"],
  ["scan", "inventory"],
];

/** A fresh copy of the base policy (callers may mutate it). */
export function basePolicy(): Policy {
  return {
    pack: "bod-26-04",
    defaultTimeZone: "UTC",
    dueDateZone: "America/New_York",
    thresholds: { epssHigh: 0.1, epssPercentileHigh: 0.95, epssJump: 0.1, cvssHigh: 7.0 },
    urgentRoles: ["identity", "edge"],
    urgentCriticality: ["critical"],
    exposedLevels: ["internet"],
    sourceConfidence: {
      kev: "high",
      "cisa-adp": "high",
      cna: "high",
      csaf: "high",
      epss: "medium",
      inventory: "medium",
      scanner: "medium",
    },
    // Used by the custom pack, and by BOD 22-01 for items that are not in KEV.
    deadlines: {
      "patch-now": { critical: "3d", high: "7d", medium: "14d", low: "30d" },
    },
    maintenanceWindow: { days: ["sat"], start: "02:00", length: "4h", minLeadTime: "24h" },
    environmentWindows: {},
    cadence: structuredClone(CADENCE),
    closureEvidence: {
      "patch-now": [...PATCH_CLOSURE_EVIDENCE],
      "patch-window": [...PATCH_CLOSURE_EVIDENCE],
      mitigate: ["mitigation applied and tested", "exposure re-validated", "SOC monitoring in place"],
      validate: ["product and version evidence per asset"],
    },
    closureRequires: {
      "patch-now": structuredClone(PATCH_CLOSURE_REQUIRES),
      "patch-window": structuredClone(PATCH_CLOSURE_REQUIRES),
      mitigate: [["attestation"], ["scan", "inventory"]],
      validate: [["inventory", "version-proof", "attestation"]],
    },
    // Empty on purpose: the readiness gate must not be satisfied by invented change-safety defaults.
    changeDefaults: {},
    gateAcceptsPolicyDefaults: true,
    roleOwners: {},
    scanMatch: [...MATCH_KEYS],
  };
}

/** Answer deadline for a validation request when the policy sets none. */
export const DEFAULT_VALIDATE_DEADLINE = "2d";
/** Mitigation deadline when the policy sets none (KEV items get the shorter one). */
export const DEFAULT_MITIGATE_DEADLINE = "7d";
export const DEFAULT_MITIGATE_DEADLINE_KEV = "3d";
