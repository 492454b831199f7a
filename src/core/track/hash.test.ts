import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalEventJson, chainEvents, eventHash, verifyChain } from "./hash.js";
import type { NewEvent, TrackEvent } from "./types.js";

// A real KEV entry: the first of the sample catalog.
const kev = JSON.parse(
  fs.readFileSync(path.resolve("../shared/corpus/kev/known_exploited_vulnerabilities.json"), "utf8"),
) as { vulnerabilities: { cveID: string; dueDate: string; vendorProject: string }[] };
const entry = kev.vulnerabilities[0]!;

function base(n: number): NewEvent {
  return {
    caseId: `CASE-${entry.cveID}`,
    workItemId: "WI-1",
    type: "progress",
    at: `2025-09-0${n}T08:00:00Z`,
    actor: "owner-1",
    role: "system-owner",
    payload: { note: `${entry.vendorProject} step ${n}` },
  };
}

function chain(n: number): TrackEvent[] {
  return chainEvents(
    Array.from({ length: n }, (_, i) => base(i + 1)),
    0,
    "",
  );
}

describe("canonicalEventJson", () => {
  it("sorts keys at every level and drops undefined members", () => {
    expect(canonicalEventJson({ b: 1, a: { d: [1, undefined], c: "x" }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[1,null]},"b":1}',
    );
  });
});

describe("eventHash", () => {
  it("is the same whatever order the fields were built in", () => {
    const e = { ...base(1), seq: 1, prevHash: "" };
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as typeof e;
    expect(Object.keys(reordered)[0]).toBe("prevHash");
    expect(eventHash(reordered)).toBe(eventHash(e));
    expect(eventHash(e)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("covers the payload, the prevHash and the seq", () => {
    const e = { ...base(1), seq: 1, prevHash: "" };
    const h = eventHash(e);
    expect(eventHash({ ...e, payload: { note: "other" } })).not.toBe(h);
    expect(eventHash({ ...e, prevHash: "00" })).not.toBe(h);
    expect(eventHash({ ...e, seq: 2 })).not.toBe(h);
    expect(eventHash({ ...e, reason: entry.cveID })).not.toBe(h);
  });

  it("ignores a hash field passed along", () => {
    const e = { ...base(1), seq: 1, prevHash: "" };
    expect(eventHash({ ...e, hash: "whatever" } as TrackEvent)).toBe(eventHash(e));
  });
});

describe("chainEvents + verifyChain", () => {
  it("links each event to the one before", () => {
    const events = chain(3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]!.prevHash).toBe("");
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(verifyChain(events)).toEqual({ ok: true });
    expect(verifyChain([])).toEqual({ ok: true });
  });

  it("continues an existing chain", () => {
    const first = chain(2);
    const more = chainEvents([base(3)], 2, first[1]!.hash);
    expect(more[0]!.seq).toBe(3);
    expect(verifyChain([...first, ...more])).toEqual({ ok: true });
  });

  it("names an edited event", () => {
    const events = chain(8);
    events[6] = { ...events[6]!, payload: { note: "rewritten" } };
    expect(verifyChain(events)).toEqual({ ok: false, seq: 7, reason: "event 7 was edited (hash mismatch)" });
  });

  it("names a removed middle event", () => {
    const events = chain(6);
    events.splice(4, 1);
    expect(verifyChain(events)).toEqual({
      ok: false,
      seq: 5,
      reason: "event 5 is missing (seq jumps from 4 to 6)",
    });
  });

  it("names several removed events and a missing first one", () => {
    const events = chain(6);
    expect(verifyChain([...events.slice(0, 2), ...events.slice(5)])).toMatchObject({
      seq: 3,
      reason: "events 3–5 are missing (seq jumps from 2 to 6)",
    });
    expect(verifyChain(events.slice(1))).toMatchObject({
      seq: 1,
      reason: "event 1 is missing (seq jumps from 0 to 2)",
    });
  });

  it("names a re-hashed edit by the broken link after it", () => {
    const events = chain(4);
    const edited = { ...events[1]!, payload: { note: "rewritten" } };
    events[1] = { ...edited, hash: eventHash(edited) };
    expect(verifyChain(events)).toEqual({
      ok: false,
      seq: 3,
      reason: "event 3 does not link to event 2 (prevHash mismatch)",
    });
  });

  it("refuses events out of order", () => {
    const events = chain(3);
    expect(verifyChain([events[0]!, events[2]!, events[1]!])).toMatchObject({ ok: false, seq: 2 });
  });
});
