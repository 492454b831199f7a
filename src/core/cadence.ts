/**
 * Update cadence: the checkpoints an owner must meet from the handoff time, each shown in the
 * owner's zone, plus forensic checkpoints when the pack requires forensic triage (BOD 26-04).
 */

import type { Policy } from "./policy/types.js";
import { addInZone, canonicalZone, compareInstants, startOfDayInZone, toZoned } from "./time.js";
import type { Checkpoint, CheckpointKind, Deadline, Lane } from "./types.js";

/** Forensic clock offsets (from the KEV listing when known, else from the handoff). */
export const FORENSIC_OFFSETS: readonly { kind: CheckpointKind; offset: string; beforePatch: boolean }[] = [
  { kind: "forensic-scoping", offset: "2h", beforePatch: false },
  { kind: "forensic-evidence", offset: "24h", beforePatch: true },
  { kind: "forensic-decision", offset: "72h", beforePatch: false },
];

const KIND_ORDER: readonly CheckpointKind[] = [
  "forensic-scoping",
  "acknowledgment",
  "status",
  "forensic-evidence",
  "blocker-escalation",
  "forensic-decision",
  "final",
];

/**
 * Checkpoints for a work item, sorted by due time.
 * - acknowledgment, status, blocker-escalation: the lane's offsets from `start`, never after the
 *   deadline (a checkpoint that would fall later is moved to the deadline).
 * - final: the deadline when the lane's final is "deadline" (left out when there is no deadline), or
 *   start + the final duration, again never after the deadline.
 * - forensics: forensic-scoping (2h), forensic-evidence (24h, volatile evidence collected, and never
 *   after the patch deadline) and forensic-decision (72h: no evidence / suspected / confirmed
 *   compromise), counted from kevDateAdded (a YYYY-MM-DD date starts at midnight in
 *   policy.dueDateZone; an instant is used as is) or from `start` when it is not given.
 * A lane with no cadence in the policy (blocked, exception, closure unless configured) yields only
 * the forensic checkpoints: plan passes the underlying lane for those.
 */
export function planCadence(args: {
  policy: Policy;
  lane: Lane;
  start: string;
  deadline: Deadline | null;
  zone: string;
  escalateTo?: string;
  forensics: boolean;
  kevDateAdded?: string;
}): Checkpoint[] {
  const { policy, lane, start, deadline } = args;
  const zone = canonicalZone(args.zone);
  const out: Checkpoint[] = [];
  const notAfterDeadline = (due: string) =>
    deadline !== null && compareInstants(due, deadline.at) > 0 ? deadline.at : due;
  const push = (kind: CheckpointKind, due: string) =>
    out.push({
      kind,
      due,
      zone,
      local: toZoned(due, zone),
      ...(args.escalateTo !== undefined ? { escalateTo: args.escalateTo } : {}),
    });

  const cadence = policy.cadence[lane];
  if (cadence) {
    for (const kind of ["acknowledgment", "status", "blocker-escalation"] as const) {
      push(kind, notAfterDeadline(addInZone(start, cadence[kind], zone)));
    }
    if (cadence.final === "deadline") {
      if (deadline !== null) push("final", deadline.at);
    } else {
      push("final", notAfterDeadline(addInZone(start, cadence.final, zone)));
    }
  }

  if (args.forensics) {
    const clock = forensicClock(args.kevDateAdded, start, policy.dueDateZone);
    for (const f of FORENSIC_OFFSETS) {
      const due = addInZone(clock, f.offset, zone);
      push(f.kind, f.beforePatch ? notAfterDeadline(due) : due);
    }
  }

  return out.sort(
    (a, b) => compareInstants(a.due, b.due) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
}

function forensicClock(kevDateAdded: string | undefined, start: string, dueDateZone: string): string {
  if (kevDateAdded === undefined || kevDateAdded === "") return start;
  if (/^\d{4}-\d{2}-\d{2}$/.test(kevDateAdded)) return startOfDayInZone(kevDateAdded, dueDateZone);
  return kevDateAdded;
}
