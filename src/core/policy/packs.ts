/**
 * Policy packs: the base policy (defaults.ts) plus the deadline logic of one regime.
 *
 * How deadlineRule treats each lane (every pack):
 * - patch-now: the pack's own timeline (below).
 * - patch-window: policy.deadlines["patch-window"][criticality] when the policy sets it; otherwise
 *   { band: "next maintenance window", no duration, no dueDate }. For that rule the deadline is the
 *   END of the next maintenance window: plan picks the window (policy.environmentWindows[environment]
 *   or policy.maintenanceWindow, see windowFor) and calls nextWindow(window, start, zone), or simply
 *   computeDeadline(rule, start, zone, policy, window), which does exactly that.
 * - validate: policy.deadlines.validate[criticality], else "2d" (answer deadline).
 * - mitigate: policy.deadlines.mitigate[criticality], else "3d" for KEV items and "7d" otherwise.
 * - blocked / exception / closure: these keep the deadline of the underlying lane, so plan calls
 *   deadlineRule with that lane (Decision.proposedLane). Called with the lane itself, the answer is
 *   policy.deadlines[lane][criticality] when set, else null.
 *
 * Pack timelines for patch-now:
 * - bod-26-04: the BOD 26-04 band from In KEV × exposed × automatable × technical impact. Unknown
 *   automatable / technical impact are taken as "yes" / "total" (the conservative case) and the basis
 *   says "(assumed)". "fix on system upgrade" → onUpgrade (no deadline: the item belongs in the patch
 *   window). "& forensic investigation" → forensics true, on every lane.
 * - bod-22-01: KEV items → the KEV due date; other items → policy.deadlines["patch-now"].
 * - fedramp: severity from CVSS (≥9 critical, ≥7 high, ≥4 moderate, else low) or, without a score, from
 *   asset criticality; critical/high 30 days, moderate 90, low 180; KEV items also carry the KEV due
 *   date and computeDeadline uses whichever is earlier.
 * - custom: policy.deadlines["patch-now"][criticality]; null when the policy has none.
 */
import { bandDuration, bandNeedsForensics, bod2604Band } from "../ssvc.js";
import type { ExplainedDeadlineRule } from "../time.js";
import { describeDuration } from "../time.js";
import type { Criticality, Exposure, Lane } from "../types.js";
import {
  basePolicy,
  DEFAULT_MITIGATE_DEADLINE,
  DEFAULT_MITIGATE_DEADLINE_KEV,
  DEFAULT_VALIDATE_DEADLINE,
} from "./defaults.js";
import type { DeadlineInput, DeadlineRule, MaintenanceWindow, PackName, Policy } from "./types.js";

export const PACK_NAMES: readonly PackName[] = ["bod-26-04", "bod-22-01", "fedramp", "custom"];

export const PACK_TITLES: Record<PackName, string> = {
  "bod-26-04": "CISA BOD 26-04 remediation timelines",
  "bod-22-01": "CISA BOD 22-01 (KEV due dates)",
  fedramp: "FedRAMP remediation timeframes",
  custom: "Custom deadline table",
};

export function isPackName(value: unknown): value is PackName {
  return typeof value === "string" && (PACK_NAMES as readonly string[]).includes(value);
}

/** A complete policy for a pack: the shared base with the pack's name. */
export function builtInPolicy(pack: PackName): Policy {
  const policy = basePolicy();
  policy.pack = pack;
  return policy;
}

/** BOD 26-04 "asset exposure": the exposure is one the policy counts as public. */
export function isExposed(policy: Policy, exposure: Exposure): boolean {
  return policy.exposedLevels.includes(exposure);
}

/** The maintenance window for an environment: its override when the policy has one, else the default. */
export function windowFor(policy: Policy, environment?: string): MaintenanceWindow {
  return (
    (environment !== undefined ? policy.environmentWindows[environment] : undefined) ??
    policy.maintenanceWindow
  );
}

export type FedrampSeverity = "critical" | "high" | "moderate" | "low";

const FEDRAMP_DAYS: Record<FedrampSeverity, number> = { critical: 30, high: 30, moderate: 90, low: 180 };

const CRITICALITY_TO_FEDRAMP: Record<Criticality, FedrampSeverity> = {
  critical: "critical",
  high: "high",
  medium: "moderate",
  low: "low",
};

export function fedrampSeverity(cvssScore: number | undefined, criticality: Criticality): FedrampSeverity {
  if (cvssScore === undefined || !Number.isFinite(cvssScore)) return CRITICALITY_TO_FEDRAMP[criticality];
  if (cvssScore >= 9) return "critical";
  if (cvssScore >= 7) return "high";
  if (cvssScore >= 4) return "moderate";
  return "low";
}

function rule(fields: Partial<ExplainedDeadlineRule> & { band: string }): ExplainedDeadlineRule {
  return { forensics: false, onUpgrade: false, ...fields };
}

function tableRule(
  policy: Policy,
  lane: Lane,
  criticality: Criticality,
  forensics: boolean,
): ExplainedDeadlineRule | null {
  const duration = policy.deadlines[lane]?.[criticality];
  if (duration === undefined) return null;
  return rule({
    duration,
    band: `${lane} ${criticality}: ${describeDuration(duration)}`,
    because: `Policy deadline for ${lane} on a ${criticality} asset`,
    forensics,
  });
}

function bod2604(input: DeadlineInput) {
  const automatable = input.automatable ?? "yes";
  const technicalImpact = input.technicalImpact ?? "total";
  const band = bod2604Band({ inKev: input.inKev, exposed: input.exposed, automatable, technicalImpact });
  const facts = [
    input.inKev ? "In KEV" : "Not in KEV",
    input.exposed ? "exposed" : "not exposed",
    `${automatable === "yes" ? "automatable" : "not automatable"}${input.automatable ? "" : " (assumed)"}`,
    `${technicalImpact} impact${input.technicalImpact ? "" : " (assumed)"}`,
  ];
  return { band, because: `BOD 26-04 (${facts.join(", ")})` };
}

function patchNowRule(
  policy: Policy,
  input: DeadlineInput,
  forensics: boolean,
): ExplainedDeadlineRule | null {
  switch (policy.pack) {
    case "bod-26-04": {
      const { band, because } = bod2604(input);
      const duration = bandDuration(band);
      if (duration === null) return rule({ band, because, onUpgrade: true });
      return rule({ band, because, duration, forensics });
    }
    case "bod-22-01": {
      if (input.inKev && input.kevDueDate) {
        return rule({ band: "KEV due date", dueDate: input.kevDueDate, because: "BOD 22-01" });
      }
      const fallback = tableRule(policy, "patch-now", input.criticality, false);
      if (fallback === null) return null;
      fallback.because = `BOD 22-01 (${input.inKev ? "in KEV without a due date" : "not in KEV"}; policy deadline for a ${input.criticality} asset)`;
      return fallback;
    }
    case "fedramp": {
      const severity = fedrampSeverity(input.cvssScore, input.criticality);
      const days = FEDRAMP_DAYS[severity];
      const from =
        input.cvssScore !== undefined && Number.isFinite(input.cvssScore)
          ? `CVSS ${input.cvssScore.toFixed(1)}`
          : `asset criticality ${input.criticality}, no CVSS score`;
      return rule({
        band: `FedRAMP ${severity}: ${days} days`,
        duration: `${days}d`,
        because: `FedRAMP ${severity} (${from})`,
        ...(input.inKev && input.kevDueDate ? { dueDate: input.kevDueDate } : {}),
      });
    }
    case "custom":
      return tableRule(policy, "patch-now", input.criticality, false);
  }
}

/** What the policy's pack says about one work item's deadline; null = no deadline. */
export function deadlineRule(policy: Policy, input: DeadlineInput): ExplainedDeadlineRule | null {
  const forensics = policy.pack === "bod-26-04" && bandNeedsForensics(bod2604(input).band);
  const { lane, criticality } = input;
  switch (lane) {
    case "patch-now":
      return patchNowRule(policy, input, forensics);
    case "patch-window":
      return (
        tableRule(policy, lane, criticality, forensics) ??
        rule({ band: "next maintenance window", because: "Next maintenance window", forensics })
      );
    case "validate":
      return (
        tableRule(policy, lane, criticality, forensics) ??
        rule({
          band: `validation answer: ${describeDuration(DEFAULT_VALIDATE_DEADLINE)}`,
          duration: DEFAULT_VALIDATE_DEADLINE,
          because: "Validation answer deadline",
          forensics,
        })
      );
    case "mitigate": {
      const duration = input.inKev ? DEFAULT_MITIGATE_DEADLINE_KEV : DEFAULT_MITIGATE_DEADLINE;
      return (
        tableRule(policy, lane, criticality, forensics) ??
        rule({
          band: `mitigation: ${describeDuration(duration)}`,
          duration,
          because: input.inKev ? "Mitigation deadline (in KEV)" : "Mitigation deadline",
          forensics,
        })
      );
    }
    default:
      return tableRule(policy, lane, criticality, forensics);
  }
}

export type { DeadlineRule };
