/**
 * Every checkpoint due soon or overdue across work items, oldest first, for `patchline due` and the
 * updates. Pure: `now` is passed in. Instants are UTC ISO strings, so they are compared as epoch
 * milliseconds once each.
 */
import { addInZone, parseInstant } from "../time.js";
import { isFinal } from "./rules.js";
import type { DueCheckpoint, ItemRecord, WorkItem } from "./types.js";

export interface DueEntry {
  item: WorkItem;
  record: ItemRecord;
}

const KIND_ORDER: readonly DueCheckpoint["kind"][] = [
  "forensic-scoping",
  "acknowledgment",
  "status",
  "forensic-evidence",
  "blocker-escalation",
  "forensic-decision",
  "final",
  "blocker-review",
  "exception-review",
  "exception-expiry",
  "monitoring-end",
];

/**
 * Checkpoints not yet met that fall due up to now + horizon (default 24h), and every overdue one:
 * - the item's cadence (acknowledgment, status, blocker escalation, final, forensic checkpoints);
 * - "blocker-review": a blocked item's next review date;
 * - "exception-review" and "exception-expiry": a granted exception's review date and expiry;
 * - "monitoring-end": the end of a monitoring window.
 * Closed and not-affected items have nothing due. An overdue checkpoint names whom to escalate to: the checkpoint's
 * own escalateTo, else the owner's escalation contact (item.escalationOwner).
 */
export function dueCheckpoints(
  entries: readonly DueEntry[],
  now: string,
  opts: { horizon?: string } = {},
): DueCheckpoint[] {
  const nowMs = parseInstant(now).epochMilliseconds;
  const untilMs = parseInstant(addInZone(now, opts.horizon ?? "24h", "UTC")).epochMilliseconds;
  const found: { ms: number; c: DueCheckpoint }[] = [];

  for (const { item, record } of entries) {
    if (isFinal(record.state)) continue;
    const escalation = item.escalationOwner?.id;
    const add = (
      kind: DueCheckpoint["kind"],
      due: string,
      zone: string,
      owner: string,
      escalateTo: string | undefined,
    ) => {
      const ms = Date.parse(due);
      if (Number.isNaN(ms) || ms > untilMs) return;
      const overdue = ms < nowMs;
      const c: DueCheckpoint = {
        workItemId: record.workItemId,
        caseId: record.caseId,
        advisoryId: item.advisory.id,
        assetGroup: item.assetGroup,
        owner,
        kind,
        due,
        zone,
        overdue,
      };
      const to = escalateTo ?? escalation;
      if (overdue && to !== undefined) c.escalateTo = to;
      found.push({ ms, c });
    };

    const met = record.metCheckpoints;
    for (const cp of record.cadence) {
      if (met.includes(cp.kind)) continue;
      add(cp.kind, cp.due, cp.zone, item.owner.id, cp.escalateTo);
    }
    if (record.state === "blocked" && record.blocker) {
      add("blocker-review", record.blocker.nextReview, record.zone, record.blocker.owner, undefined);
    }
    if (record.state === "exception-granted" && record.exception?.status === "granted") {
      const governance = item.governanceOwner?.id ?? "governance";
      const security = item.securityOwner?.id;
      add("exception-review", record.exception.reviewDate, record.zone, governance, security);
      add("exception-expiry", record.exception.expiry, record.zone, governance, security);
    }
    if (record.state === "monitoring" && record.monitoring) {
      add(
        "monitoring-end",
        record.monitoring.endsAt,
        record.zone,
        record.monitoring.owner,
        item.securityOwner?.id,
      );
    }
  }

  found.sort(
    (a, b) =>
      a.ms - b.ms ||
      KIND_ORDER.indexOf(a.c.kind) - KIND_ORDER.indexOf(b.c.kind) ||
      (a.c.workItemId < b.c.workItemId ? -1 : a.c.workItemId > b.c.workItemId ? 1 : 0),
  );
  return found.map((f) => f.c);
}
