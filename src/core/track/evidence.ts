/**
 * What evidence a lane needs before a work item can be verified, and what is still missing.
 * The policy key `closureRequires` lists groups of evidence kinds; each group is met by any one of
 * its kinds, and every group must be met.
 */
import type { Policy } from "../policy/types.js";
import type { Lane } from "../types.js";
import type { EvidenceKind, EvidenceRecord } from "./types.js";

/** Evidence about forensic triage (BOD 26-04); it never counts towards closure. */
export const FORENSIC_KINDS: readonly EvidenceKind[] = [
  "forensic-scoping",
  "forensic-evidence",
  "forensic-decision",
];

export function isForensicKind(kind: EvidenceKind): boolean {
  return FORENSIC_KINDS.includes(kind);
}

/**
 * The groups the lane needs. Lanes without their own entry (blocked, exception, closure: states of
 * a patch that is under way) fall back to the patch-now groups.
 */
export function closureGroups(policy: Policy, lane: Lane): EvidenceKind[][] {
  return policy.closureRequires[lane] ?? policy.closureRequires["patch-now"] ?? [];
}

/** The groups no recorded evidence meets yet, in policy order. */
export function missingEvidence(
  groups: readonly (readonly EvidenceKind[])[],
  evidence: readonly Pick<EvidenceRecord, "kind">[],
): EvidenceKind[][] {
  const have = new Set(evidence.map((e) => e.kind));
  return groups.filter((g) => !g.some((k) => have.has(k))).map((g) => [...g]);
}

/** "version-proof, scan or inventory": groups separated by commas, alternatives by "or". */
export function describeGroups(groups: readonly (readonly EvidenceKind[])[]): string {
  return groups.map((g) => g.join(" or ")).join(", ");
}

/** "deployment-record, screenshot" or "none": the distinct kinds recorded, in order of arrival. */
export function describeRecorded(evidence: readonly Pick<EvidenceRecord, "kind">[]): string {
  const kinds = [...new Set(evidence.map((e) => e.kind))];
  return kinds.length ? kinds.join(", ") : "none";
}
