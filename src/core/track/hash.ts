/**
 * Tamper evidence for the event log: each event's hash covers its whole content and the previous
 * event's hash, so an edited, inserted or removed event breaks the chain from that point on.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../canonical.js";
import type { TrackEvent } from "./types.js";

/** JSON text with object keys sorted at every level and undefined members left out. */
export const canonicalEventJson: (value: unknown) => string = canonicalJson;

/** sha256 (hex) of the canonical JSON of every field of the event, prevHash included. */
export function eventHash(e: Omit<TrackEvent, "hash">): string {
  const { hash: _ignored, ...content } = e as TrackEvent;
  return createHash("sha256").update(canonicalEventJson(content), "utf8").digest("hex");
}

export type ChainCheck = { ok: true } | { ok: false; seq: number; reason: string };

/**
 * Checks one work item's events, given in seq order: seq runs 1..n without gaps, each prevHash is
 * the previous event's hash, and each hash recomputes from the content. Reports the first problem.
 */
export function verifyChain(events: readonly TrackEvent[]): ChainCheck {
  let prev: TrackEvent | undefined;
  for (const e of events) {
    const expectedSeq = (prev?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq) {
      if (e.seq > expectedSeq) {
        const missing =
          e.seq - expectedSeq === 1
            ? `event ${expectedSeq} is missing`
            : `events ${expectedSeq}–${e.seq - 1} are missing`;
        return {
          ok: false,
          seq: expectedSeq,
          reason: `${missing} (seq jumps from ${expectedSeq - 1} to ${e.seq})`,
        };
      }
      return {
        ok: false,
        seq: e.seq,
        reason: `event ${e.seq} is out of order (expected seq ${expectedSeq})`,
      };
    }
    if (prev && e.workItemId !== prev.workItemId) {
      return {
        ok: false,
        seq: e.seq,
        reason: `event ${e.seq} belongs to ${e.workItemId}, not ${prev.workItemId}`,
      };
    }
    const expectedPrev = prev?.hash ?? "";
    if (e.prevHash !== expectedPrev) {
      return {
        ok: false,
        seq: e.seq,
        reason: `event ${e.seq} does not link to event ${e.seq - 1} (prevHash mismatch)`,
      };
    }
    if (eventHash(e) !== e.hash) {
      return { ok: false, seq: e.seq, reason: `event ${e.seq} was edited (hash mismatch)` };
    }
    prev = e;
  }
  return { ok: true };
}

/** Assigns seq, prevHash and hash to new events that follow the given last seq and hash. */
export function chainEvents<T extends Omit<TrackEvent, "seq" | "prevHash" | "hash">>(
  events: readonly T[],
  afterSeq: number,
  afterHash: string,
): TrackEvent[] {
  const out: TrackEvent[] = [];
  let seq = afterSeq;
  let prevHash = afterHash;
  for (const e of events) {
    seq += 1;
    const unsigned = { ...e, seq, prevHash } as Omit<TrackEvent, "hash">;
    const hash = eventHash(unsigned);
    out.push({ ...unsigned, hash } as TrackEvent);
    prevHash = hash;
  }
  return out;
}
