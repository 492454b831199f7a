/** Wording the three audiences share: times, owners, states, checkpoint names and the next update. */
import { toZoned } from "../../time.js";
import type { DueCheckpoint, ItemState, NotAffectedJustification } from "../../track/types.js";
import type { OwnerRef } from "../../types.js";
import type { RenderModel } from "../model.js";
import { bothTimes, CHECKPOINT_LABELS, ownerShort, resolveOwnerName, stripFinalStop } from "../words.js";
import type { CaseSummary, Point } from "./summary.js";
import type { CaseEntry, UpdateCheckpoint, UpdateOwner, UpdateOwners, UpdateTime } from "./types.js";

export function updateTime(at: string, zone: string): UpdateTime {
  let local: string | null;
  try {
    local = toZoned(at, zone);
  } catch {
    local = null;
  }
  return { at, zone, local, text: bothTimes(at, zone) };
}

export const POINT_LABELS: Record<DueCheckpoint["kind"], string> = {
  ...CHECKPOINT_LABELS,
  "blocker-review": "Blocker review",
  "exception-review": "Exception review",
  "exception-expiry": "Exception expiry",
  "monitoring-end": "End of the monitoring window",
};

export const STATE_LABELS: Record<ItemState, string> = {
  sent: "sent, not yet acknowledged",
  acknowledged: "acknowledged",
  "in-progress": "in progress",
  patched: "patched (claimed), awaiting verification",
  verifying: "verifying",
  monitoring: "verified, in monitoring",
  closed: "closed",
  blocked: "blocked",
  mitigated: "mitigated, waiting for a fix",
  "exception-requested": "exception requested",
  "exception-granted": "exception granted",
  "exception-denied": "exception denied",
  reopened: "reopened",
  "not-affected": "not affected",
};

/** The CycloneDX / OpenVEX justifications in words. */
export const JUSTIFICATION_LABELS: Record<NotAffectedJustification, string> = {
  component_not_present: "the component is not present",
  vulnerable_code_not_present: "the vulnerable code is not present",
  vulnerable_code_not_in_execute_path: "the vulnerable code is not in the execute path",
  vulnerable_code_cannot_be_controlled_by_adversary:
    "the vulnerable code cannot be controlled by an adversary",
  inline_mitigations_already_exist: "inline mitigations already exist",
};

/** What an owner's "not affected" answer says, for the JSON forms. */
export interface NotAffectedJson {
  workItemId: string;
  assetGroup: string;
  owner: string;
  justification: NotAffectedJustification;
  reason: string;
  detail: string;
  evidence: string | null;
  recordedBy: string;
  recordedAt: UpdateTime;
}

export function notAffectedJson(entry: CaseEntry): NotAffectedJson | undefined {
  const { item, record } = entry;
  const na = record.notAffected;
  if (!na) return undefined;
  return {
    workItemId: item.id,
    assetGroup: item.assetGroup,
    owner: item.owner.name,
    justification: na.justification,
    reason: JUSTIFICATION_LABELS[na.justification] ?? na.justification,
    detail: na.detail,
    evidence: na.evidence ?? null,
    recordedBy: resolveOwnerName(item, na.recordedBy) ?? na.recordedBy,
    recordedAt: updateTime(na.recordedAt, record.zone || item.owner.timeZone),
  };
}

/** "DMZ file transfer (Integration Operations) — not affected: the component is not present; …". */
export function notAffectedSentence(n: NotAffectedJson): string {
  const evidence = n.evidence ? `; evidence: ${stripFinalStop(n.evidence)}` : "";
  return (
    `${n.assetGroup} (${n.owner}) — not affected: ${n.reason}; checked: ${stripFinalStop(n.detail)}${evidence}; ` +
    `recorded by ${n.recordedBy} on ${n.recordedAt.text}`
  );
}

/** "closed", or "closed or not affected" when some items were answered not affected. */
export function finishedWords(summary: CaseSummary): string {
  return summary.itemsByState["not-affected"] > 0 ? "closed or not affected" : "closed";
}

export function ownerJson(owner: OwnerRef): UpdateOwner {
  return { id: owner.id, name: owner.name, contact: owner.contact ?? null, timeZone: owner.timeZone };
}

export function ownersJson(summary: CaseSummary): UpdateOwners {
  return {
    security: summary.owners.security.map(ownerJson),
    systemOwner: summary.owners["system-owner"].map(ownerJson),
    serviceOwner: summary.owners["service-owner"].map(ownerJson),
    governance: summary.owners.governance.map(ownerJson),
  };
}

/** "A, B, C and 4 more" — long lists stay one line. */
export function namesList(names: string[], limit = 3, none = "none named"): string {
  if (names.length === 0) return none;
  if (names.length <= limit) return names.join(", ");
  return `${names.slice(0, limit).join(", ")} and ${names.length - limit} more`;
}

export function ownerNames(owners: OwnerRef[], limit = 3, none = "not named"): string {
  return namesList(
    owners.map((o) => ownerShort(o, o.name)),
    limit,
    none,
  );
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return "0%";
  return `${Math.round((part / whole) * 100)}%`;
}

export function checkpointJson(
  entry: CaseEntry,
  kind: DueCheckpoint["kind"],
  due: string,
  zone: string,
  escalateTo: string | undefined,
  overdue: boolean,
): UpdateCheckpoint {
  return {
    ...updateTime(due, zone),
    checkpoint: kind,
    label: POINT_LABELS[kind],
    workItemId: entry.item.id,
    assetGroup: entry.item.assetGroup,
    owner: entry.item.owner.name,
    escalateTo: resolveOwnerName(entry.item, escalateTo) ?? null,
    overdue,
  };
}

export function pointJson(entry: CaseEntry, point: Point): UpdateCheckpoint {
  return checkpointJson(entry, point.kind, point.due, point.zone, point.escalateTo, false);
}

export function dueJson(summary: CaseSummary, due: DueCheckpoint): UpdateCheckpoint {
  const entry = summary.entryById.get(due.workItemId);
  if (!entry) {
    return {
      ...updateTime(due.due, due.zone),
      checkpoint: due.kind,
      label: POINT_LABELS[due.kind],
      workItemId: due.workItemId,
      assetGroup: due.assetGroup,
      owner: due.owner,
      escalateTo: due.escalateTo ?? null,
      overdue: due.overdue,
    };
  }
  return checkpointJson(entry, due.kind, due.due, due.zone, due.escalateTo, due.overdue);
}

/** "Status update from Network Engineering (Dana Ruiz) (VPN edge firewalls) by …; if it is missed, escalate to …". */
export function checkpointSentence(c: UpdateCheckpoint): string {
  const escalate = c.escalateTo ? `; if it is missed, escalate to ${c.escalateTo}` : "";
  return `${c.label} from ${c.owner} (${c.assetGroup}) by ${c.text}${escalate}`;
}

export function overdueSentence(c: UpdateCheckpoint): string {
  const escalate = c.escalateTo ? `; escalate to ${c.escalateTo}` : "";
  return `OVERDUE: ${c.label.toLowerCase()} from ${c.owner} (${c.assetGroup}) was due ${c.text}${escalate}`;
}

/** The next update of the case: the earliest checkpoint still to come, or why there is none. */
export interface NextUpdate {
  checkpoint: UpdateCheckpoint | null;
  text: string;
}

export function nextUpdate(summary: CaseSummary): NextUpdate {
  if (summary.next) {
    const c = pointJson(summary.next.entry, summary.next.point);
    return { checkpoint: c, text: `Next update due: ${checkpointSentence(c)}.` };
  }
  const now = updateTime(summary.view.now, "UTC").text;
  const finished = summary.itemsByState.closed + summary.itemsByState["not-affected"];
  if (summary.workItems > 0 && finished === summary.workItems) {
    return {
      checkpoint: null,
      text: `Next update due: none — every work item is ${finishedWords(summary)} (record read ${now}).`,
    };
  }
  const oldest = summary.overdue[0];
  if (oldest) {
    const c = dueJson(summary, oldest);
    return {
      checkpoint: c,
      text: `Next update due: overdue since ${c.text} (${c.label.toLowerCase()} from ${c.owner}); security chases it at the next working hour.`,
    };
  }
  return {
    checkpoint: null,
    text: `Next update due: no checkpoint is scheduled after ${now}; security sets one when the cadence is renewed.`,
  };
}

/** One case-level title: "<Kind> — CVE-…: title (case C-…)". */
export function caseTitle(prefix: string, summary: CaseSummary): string {
  const c = summary.view.case;
  const name = c.title && c.title !== c.advisoryId ? `${c.advisoryId}: ${c.title}` : c.advisoryId;
  return `${prefix} — ${name} (case ${c.id})`;
}

export function caseJson(summary: CaseSummary) {
  const c = summary.view.case;
  return {
    id: c.id,
    advisoryId: c.advisoryId,
    title: c.title,
    openedAt: c.openedAt,
    workItems: summary.workItems,
    assets: summary.progress.total,
  };
}

/** The document model of an update; the Markdown and text renderers read only its title and sections. */
export interface UpdateModel extends Omit<RenderModel, "kind"> {
  kind: "update";
}
