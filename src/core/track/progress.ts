/**
 * Case-level progress for the leadership update: counts per state, assets at each stage, open
 * blockers, the decisions someone has to take, and the next checkpoint. One pass over the items.
 */
import { formatUtc } from "../time.js";
import type { DueEntry } from "./due.js";
import { INCIDENT_RESPONSE } from "./machine.js";
import { isFinal } from "./rules.js";
import { type Blocker, type DueCheckpoint, ITEM_STATES, type ItemState } from "./types.js";

export interface CaseProgress {
  /** Work items. */
  total: number;
  byState: Record<ItemState, number>;
  /**
   * Assets by stage, counted per work item: patched = the fix was claimed (and not since reopened),
   * verified = security verified it, monitoring = in a monitoring window now, excepted = under a
   * granted exception, closed = closed, notAffected = its owner answered it is not affected (never
   * counted as patched or verified). patched includes the verified ones, verified the monitored.
   */
  assets: {
    total: number;
    patched: number;
    verified: number;
    monitoring: number;
    excepted: number;
    closed: number;
    notAffected: number;
  };
  /** Open blockers, the longest-standing first. */
  blockers: Blocker[];
  /** One sentence per decision someone has to take. */
  decisionsNeeded: string[];
  /**
   * The earliest checkpoint not yet met across open items (closed and not-affected ones have none;
   * an overdue one when `now` is given and it has passed; the escalation contact is then named).
   */
  nextCheckpoint?: DueCheckpoint;
}

function emptyStates(): Record<ItemState, number> {
  const out = {} as Record<ItemState, number>;
  for (const s of ITEM_STATES) out[s] = 0;
  return out;
}

export function caseProgress(entries: readonly DueEntry[], now?: string): CaseProgress {
  const byState = emptyStates();
  const assets = {
    total: 0,
    patched: 0,
    verified: 0,
    monitoring: 0,
    excepted: 0,
    closed: 0,
    notAffected: 0,
  };
  const blockers: Blocker[] = [];
  const exceptionDecisions: string[] = [];
  const blockerDecisions: string[] = [];
  const incidentNotes: string[] = [];
  const nowMs = now === undefined ? undefined : Date.parse(now);
  let next:
    | {
        ms: number;
        entry: DueEntry;
        kind: DueCheckpoint["kind"];
        due: string;
        zone: string;
        escalateTo?: string;
      }
    | undefined;

  // Items of one case share checkpoint instants: parse each distinct one once.
  const parsed = new Map<string, number>();
  const msOf = (instant: string): number => {
    let v = parsed.get(instant);
    if (v === undefined) {
      v = Date.parse(instant);
      parsed.set(instant, v);
    }
    return v;
  };

  const shown = new Map<string, string>();
  const utc = (instant: string): string => {
    let v = shown.get(instant);
    if (v === undefined) {
      v = formatUtc(instant);
      shown.set(instant, v);
    }
    return v;
  };

  for (const entry of entries) {
    const { item, record } = entry;
    const n = item.assets.length;
    byState[record.state] += 1;
    assets.total += n;
    if (record.patchedAt !== undefined) assets.patched += n;
    if (record.verifiedAt !== undefined) assets.verified += n;
    if (record.state === "monitoring") assets.monitoring += n;
    if (record.state === "exception-granted") assets.excepted += n;
    if (record.state === "closed") assets.closed += n;
    if (record.state === "not-affected") assets.notAffected += n;
    if (isFinal(record.state)) continue;

    const who = `${item.id} (${item.assetGroup})`;
    if (record.state === "blocked" && record.blocker) {
      const b = record.blocker;
      blockers.push(b);
      if (b.category === "approval") {
        const by = item.serviceOwner?.name ?? "the service owner";
        blockerDecisions.push(`${by}: approve so ${who} can proceed: ${b.blocker}`);
      } else if (nowMs !== undefined && msOf(b.nextReview) < nowMs) {
        blockerDecisions.push(
          `${b.owner}: blocker on ${who} was due for review on ${utc(b.nextReview)}: ${b.blocker} (unblocks when ${b.unblocksWhen})`,
        );
      }
    }
    if (record.state === "exception-requested" && record.exception) {
      const by = item.governanceOwner?.name ?? "governance";
      exceptionDecisions.push(
        `${by}: grant or deny the exception requested for ${who} until ${utc(record.exception.expiry)}`,
      );
    }
    if (record.metCheckpoints.includes(INCIDENT_RESPONSE)) {
      incidentNotes.push(`incident response: confirmed compromise on ${who}; decide containment and scope`);
    }

    for (const cp of record.cadence) {
      if (record.metCheckpoints.includes(cp.kind)) continue;
      const ms = msOf(cp.due);
      if (next === undefined || ms < next.ms) {
        next = {
          ms,
          entry,
          kind: cp.kind,
          due: cp.due,
          zone: cp.zone,
          ...(cp.escalateTo ? { escalateTo: cp.escalateTo } : {}),
        };
      }
    }
  }

  blockers.sort((a, b) => msOf(a.since) - msOf(b.since));
  const result: CaseProgress = {
    total: entries.length,
    byState,
    assets,
    blockers,
    decisionsNeeded: [...exceptionDecisions, ...blockerDecisions, ...incidentNotes],
  };
  if (next !== undefined) {
    const { item, record } = next.entry;
    const overdue = nowMs !== undefined && next.ms < nowMs;
    const cp: DueCheckpoint = {
      workItemId: record.workItemId,
      caseId: record.caseId,
      advisoryId: item.advisory.id,
      assetGroup: item.assetGroup,
      owner: item.owner.id,
      kind: next.kind,
      due: next.due,
      zone: next.zone,
      overdue,
    };
    const to = next.escalateTo ?? item.escalationOwner?.id;
    if (overdue && to !== undefined) cp.escalateTo = to;
    result.nextCheckpoint = cp;
  }
  return result;
}
