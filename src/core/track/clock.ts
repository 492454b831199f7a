/**
 * What the passing of time does to a work item. Pure: the clock is passed in as `now`, and the
 * events returned are proposals for the writer to append like any other (actor "patchline").
 * - A granted exception past its expiry expires, and the work item reopens.
 * - A monitoring window that ended with no reopen condition recorded closes the work item.
 */
import { formatUtc, parseInstant } from "../time.js";
import type { ItemRecord, NewEvent, WorkItem } from "./types.js";

/** The actor named on events that time itself produces. */
export const SYSTEM_ACTOR = "patchline";

export function timeEvents(record: ItemRecord, item: WorkItem, now: string): NewEvent[] {
  const nowMs = parseInstant(now).epochMilliseconds;
  const base = {
    caseId: record.caseId,
    workItemId: record.workItemId,
    at: now,
    actor: SYSTEM_ACTOR,
  } as const;
  const out: NewEvent[] = [];

  const ex = record.exception;
  if (record.state === "exception-granted" && ex && ex.status === "granted" && ex.expiry !== "") {
    if (parseInstant(ex.expiry).epochMilliseconds <= nowMs) {
      const by = ex.decidedBy ?? item.governanceOwner?.name ?? "governance";
      const event: NewEvent<"exception-expired"> = {
        ...base,
        type: "exception-expired",
        role: "security",
        reason: `the exception granted by ${by} expired on ${formatUtc(ex.expiry)}; ${record.workItemId} reopens and needs a fix or a new exception`,
        payload: { expiry: ex.expiry },
      };
      out.push(event);
    }
  }

  const mon = record.monitoring;
  if (record.state === "monitoring" && mon && parseInstant(mon.endsAt).epochMilliseconds <= nowMs) {
    const event: NewEvent<"closed"> = {
      ...base,
      type: "closed",
      role: "security",
      reason: `the ${mon.window} monitoring window (${mon.watched}, owned by ${mon.owner}) ended on ${formatUtc(mon.endsAt)} with no reopen condition recorded`,
      payload: { note: `closed at the end of monitoring; watched for: ${mon.reopenOn.join(", ")}` },
    };
    out.push(event);
  }
  return out;
}
