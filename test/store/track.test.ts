import { CompiledQuery } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventHash, verifyChain } from "../../src/core/track/hash.js";
import type { ItemRecord } from "../../src/core/track/types.js";
import { at, backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";
import {
  CASE_ID,
  caseRecord,
  DUE,
  handoff,
  KEV_ENTRY,
  next,
  progress,
  workItemId,
} from "./track-fixtures.js";

const backends = await backendsUnderTest();

describe.each(backends)("tracker store (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** Writes a work item with `steps` events (handoff, then progress notes) one append at a time. */
  async function history(wi: string, steps: number): Promise<ItemRecord> {
    let record: ItemRecord | undefined;
    for (let i = 0; i < steps; i++) {
      const step = next(record, [i === 0 ? handoff(wi, at(1)) : progress(wi, at(2), `step ${i + 1}`)]);
      await t.store.appendEvents(wi, step.expected, step.events, step.record);
      record = step.record;
    }
    return record!;
  }

  async function rawExec(text: string, params: unknown[]): Promise<void> {
    // One placeholder syntax for both: ? on SQLite, $n on PostgreSQL.
    let n = 0;
    const q = kind === "postgres" ? text.replace(/\?/g, () => `$${++n}`) : text;
    await t.backend.db.executeQuery(CompiledQuery.raw(q, params));
  }

  it("saves and reads cases by id (upsert)", async () => {
    const c = caseRecord(3);
    await t.store.saveCase(c);
    await t.store.saveCase({ ...c, title: `${c.title} (updated)` });
    expect(await t.store.cases()).toEqual([{ ...c, title: `${c.title} (updated)` }]);
    expect((await t.store.caseById(CASE_ID))?.advisoryId).toBe("CVE-2025-48384");
    expect(await t.store.caseById("CASE-nope")).toBeUndefined();
  });

  it("appends events and keeps the record beside them", async () => {
    const wi = workItemId(1);
    const first = next(undefined, [handoff(wi, at(1))]);
    await t.store.appendEvents(wi, 0, first.events, first.record);
    const second = next(first.record, [
      progress(wi, at(2), "staging patched"),
      progress(wi, at(3), "prod half"),
    ]);
    await t.store.appendEvents(wi, 1, second.events, second.record);

    const events = await t.store.events(wi);
    expect(events).toEqual([...first.events, ...second.events]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]!.payload).toEqual({
      lane: "patch-now",
      deadline: "2025-09-15T23:59:59Z",
      zone: "Europe/Berlin",
      cadence: [],
    });
    expect(events[0]!.reason).toBe(`${KEV_ENTRY.cveId} is on the KEV catalog`);
    expect(events[1]!).not.toHaveProperty("reason");
    expect(verifyChain(events)).toEqual({ ok: true });

    const record = await t.store.itemRecord(wi);
    expect(record).toEqual(second.record);
    expect(record).toMatchObject({
      version: 3,
      state: "in-progress",
      lastHash: events[2]!.hash,
      deadline: DUE,
    });
    expect(await t.store.itemRecord("WI-nope")).toBeUndefined();
    expect(await t.store.events("WI-nope")).toEqual([]);
  });

  it("filters records by case and state", async () => {
    await history(workItemId(1), 1);
    await history(workItemId(2), 2);
    await history(workItemId(3), 3);
    const other = workItemId(9, "CASE-other");
    const o = next(undefined, [handoff(other, at(1), "CASE-other")]);
    await t.store.appendEvents(other, 0, o.events, o.record);

    expect((await t.store.itemRecords({ caseId: CASE_ID })).map((r) => r.workItemId)).toEqual([
      workItemId(1),
      workItemId(2),
      workItemId(3),
    ]);
    // Byte order of the ids: "WI-C…" before "WI-o…".
    expect((await t.store.itemRecords({ states: ["sent"] })).map((r) => r.workItemId)).toEqual([
      workItemId(1),
      other,
    ]);
    expect(
      (await t.store.itemRecords({ caseId: CASE_ID, states: ["in-progress"] })).map((r) => r.workItemId),
    ).toEqual([workItemId(2), workItemId(3)]);
    expect(await t.store.itemRecords({ states: [] })).toEqual([]);
    expect(await t.store.itemRecords()).toHaveLength(4);
  });

  it("refuses a stale expected version with CONFLICT and writes nothing", async () => {
    const wi = workItemId(1);
    const record = await history(wi, 2);
    const mine = next(record, [progress(wi, at(3), "mine")]);
    const theirs = next(record, [progress(wi, at(3), "theirs", "owner-8")]);
    await t.store.appendEvents(wi, 2, mine.events, mine.record);
    await expect(t.store.appendEvents(wi, 2, theirs.events, theirs.record)).rejects.toMatchObject({
      code: "CONFLICT",
      message: `work item ${wi} changed since version 2 (now 3); reload and retry`,
      details: { workItemId: wi, expectedVersion: 2, currentVersion: 3 },
    });
    // A first append for an item that already exists conflicts too.
    const fresh = next(undefined, [handoff(wi, at(4))]);
    await expect(t.store.appendEvents(wi, 0, fresh.events, fresh.record)).rejects.toMatchObject({
      code: "CONFLICT",
      message: `work item ${wi} changed since version 0 (now 3); reload and retry`,
    });
    // The retry, built on the reloaded record, goes through.
    const reloaded = (await t.store.itemRecord(wi))!;
    const retry = next(reloaded, [progress(wi, at(3), "theirs", "owner-8")]);
    await t.store.appendEvents(wi, 3, retry.events, retry.record);
    const events = await t.store.events(wi);
    expect(events.map((e) => [e.seq, e.actor])).toEqual([
      [1, "sec-analyst-1"],
      [2, "owner-7"],
      [3, "owner-7"],
      [4, "owner-8"],
    ]);
    expect(verifyChain(events)).toEqual({ ok: true });
  });

  it("appends to many work items in one batch, all or nothing", async () => {
    const ids = [1, 2, 3].map((n) => workItemId(n));
    const firsts = ids.map((wi) => ({ wi, step: next(undefined, [handoff(wi, at(1))]) }));
    await t.store.appendBatch(
      firsts.map(({ wi, step }) => ({
        workItemId: wi,
        expectedVersion: 0,
        events: step.events,
        record: step.record,
      })),
    );
    for (const wi of ids) expect((await t.store.itemRecord(wi))?.version).toBe(1);

    // Someone else moves the third item on; the batch built on version 1 is then stale for it,
    // and fails whole: nothing of the other two is written.
    const seconds = firsts.map(({ wi, step }) => ({
      wi,
      step: next(step.record, [progress(wi, at(2), "batch")]),
    }));
    const third = firsts[2]!;
    const other = next(third.step.record, [progress(third.wi, at(2), "other writer", "owner-8")]);
    await t.store.appendEvents(third.wi, 1, other.events, other.record);
    const stale = seconds.map(({ wi, step }) => ({
      workItemId: wi,
      expectedVersion: 1,
      events: step.events,
      record: step.record,
    }));
    await expect(t.store.appendBatch(stale)).rejects.toMatchObject({
      code: "CONFLICT",
      details: { workItemId: third.wi },
    });
    for (const wi of ids.slice(0, 2)) {
      expect((await t.store.itemRecord(wi))?.version).toBe(1);
      expect(await t.store.events(wi)).toHaveLength(1);
    }

    // The retry without the item someone else moved goes through.
    await t.store.appendBatch(stale.slice(0, 2));
    for (const wi of ids) {
      const events = await t.store.events(wi);
      expect(events).toHaveLength(2);
      expect(verifyChain(events)).toEqual({ ok: true });
    }
    expect((await t.store.auditVerify()).problems).toEqual([]);
  });

  it("refuses events that do not continue the chain, before writing", async () => {
    const wi = workItemId(1);
    const record = await history(wi, 1);
    const ok = next(record, [progress(wi, at(2), "x")]);
    const wrongSeq = { ...ok.events[0]!, seq: 5 };
    await expect(t.store.appendEvents(wi, 1, [wrongSeq], ok.record)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
      message: expect.stringMatching(/has seq 5, expected 2/),
    });
    const forged = { ...ok.events[0]!, payload: { note: "changed after hashing" } };
    await expect(t.store.appendEvents(wi, 1, [forged], ok.record)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
      message: expect.stringMatching(/hash that does not match its content/),
    });
    await expect(t.store.appendEvents(wi, 1, ok.events, { ...ok.record, version: 7 })).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
    });
    const unlinked = next({ ...record, lastHash: "f".repeat(64) }, [progress(wi, at(2), "x")]);
    await expect(t.store.appendEvents(wi, 1, unlinked.events, unlinked.record)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
      message: `event 2 of work item ${wi} does not link to the stored event 1 (prevHash mismatch)`,
    });
    await expect(t.store.appendEvents(wi, 1, [], ok.record)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
    });
    expect((await t.store.events(wi)).length).toBe(1);
    expect((await t.store.itemRecord(wi))?.version).toBe(1);
  });

  it("a poisoned append leaves neither events nor record behind", async () => {
    const wi = workItemId(1);
    const record = await history(wi, 2);
    // Three events; the last one lacks its actor (NOT NULL), after two good rows.
    const batch = next(record, [
      progress(wi, at(3), "a"),
      progress(wi, at(3), "b"),
      { ...progress(wi, at(3), "c"), actor: null as unknown as string },
    ]);
    const error = await t.store.appendEvents(wi, 2, batch.events, batch.record).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "DATABASE_ERROR",
      message: expect.stringMatching(
        new RegExp(
          `^the database rejected the events for work item ${wi}, nothing was written: .*(null|NULL)`,
        ),
      ),
    });
    expect((await t.store.events(wi)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await t.store.itemRecord(wi)).toEqual(record);
    // Still usable: the same append without the poison goes through.
    const good = next(record, [progress(wi, at(3), "a")]);
    await t.store.appendEvents(wi, 2, good.events, good.record);
    expect((await t.store.itemRecord(wi))?.version).toBe(3);
  });

  it("the (work item, seq) key stops a duplicate even when the record was lost", async () => {
    const wi = workItemId(1);
    await history(wi, 2);
    await rawExec("delete from track_items where work_item_id = ?", [wi]);
    const again = next(undefined, [handoff(wi, at(5))]);
    await expect(t.store.appendEvents(wi, 0, again.events, again.record)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await t.store.events(wi)).map((e) => e.at)).toEqual([at(1), at(2)]);
    expect(await t.store.itemRecord(wi)).toBeUndefined();
  });

  describe("audit verify", () => {
    beforeEach(async () => {
      await t.store.saveCase(caseRecord(4));
      await history(workItemId(1), 9);
      await history(workItemId(2), 6);
      await history(workItemId(3), 3);
      await history(workItemId(4), 1);
    });

    it("passes an untouched log", async () => {
      expect(await t.store.auditVerify()).toEqual({ chains: 4, events: 19, problems: [] });
    });

    it("finds an event whose payload was edited in the database", async () => {
      await rawExec("update track_events set payload = ? where work_item_id = ? and seq = ?", [
        '{"note":"nothing to see here"}',
        workItemId(1),
        7,
      ]);
      expect(await t.store.auditVerify()).toEqual({
        chains: 4,
        events: 19,
        problems: [{ workItemId: workItemId(1), seq: 7, reason: "event 7 was edited (hash mismatch)" }],
      });
    });

    it("finds an edit whose hash was recomputed, by the broken link", async () => {
      const [e] = (await t.store.events(workItemId(2))).filter((x) => x.seq === 3);
      const edited = { ...e!, actor: "someone-else" };
      await rawExec("update track_events set actor = ?, hash = ? where work_item_id = ? and seq = ?", [
        "someone-else",
        eventHash(edited),
        workItemId(2),
        3,
      ]);
      expect((await t.store.auditVerify()).problems).toEqual([
        { workItemId: workItemId(2), seq: 4, reason: "event 4 does not link to event 3 (prevHash mismatch)" },
      ]);
    });

    it("finds a deleted middle event", async () => {
      await rawExec("delete from track_events where work_item_id = ? and seq = ?", [workItemId(1), 5]);
      expect(await t.store.auditVerify()).toEqual({
        chains: 4,
        events: 18,
        problems: [
          { workItemId: workItemId(1), seq: 5, reason: "event 5 is missing (seq jumps from 4 to 6)" },
        ],
      });
    });

    it("finds a deleted last event through the record", async () => {
      await rawExec("delete from track_events where work_item_id = ? and seq = ?", [workItemId(2), 6]);
      expect((await t.store.auditVerify()).problems).toEqual([
        {
          workItemId: workItemId(2),
          seq: 6,
          reason: "event 6 is missing (the record is at version 6, the chain ends at 5)",
        },
      ]);
    });

    it("finds a deleted last event even when the record was rolled back to match the version", async () => {
      await rawExec("delete from track_events where work_item_id = ? and seq = ?", [workItemId(3), 3]);
      await rawExec("update track_items set version = 2 where work_item_id = ?", [workItemId(3)]);
      expect((await t.store.auditVerify()).problems).toEqual([
        {
          workItemId: workItemId(3),
          seq: 2,
          reason: "event 2 does not match the record's last hash (edited or replaced)",
        },
      ]);
    });

    it("finds a whole chain deleted, and events with no record", async () => {
      await rawExec("delete from track_events where work_item_id = ?", [workItemId(3)]);
      await rawExec("delete from track_items where work_item_id = ?", [workItemId(4)]);
      expect(await t.store.auditVerify()).toEqual({
        chains: 4,
        events: 16,
        problems: [
          {
            workItemId: workItemId(3),
            seq: 1,
            reason: "events 1–3 are missing (the record is at version 3, the chain ends at 0)",
          },
          { workItemId: workItemId(4), seq: 1, reason: "1 events but no current-state record" },
        ],
      });
    });
  });

  it("audit verify pages through long logs", async () => {
    // More events than one page (10,000), loaded in bulk.
    const c = caseRecord(1_200);
    const events = [];
    const records = [];
    for (const wi of c.workItemIds) {
      const steps = next(undefined, [
        handoff(wi, at(1)),
        ...Array.from({ length: 9 }, (_, i) => progress(wi, at(2), `step ${i}`)),
      ]);
      events.push(...steps.events);
      records.push(steps.record);
    }
    expect(await t.store.loadTrackHistory({ cases: [c], events, records })).toEqual({
      cases: 1,
      events: 12_000,
      records: 1_200,
    });
    await rawExec("update track_events set at = ? where work_item_id = ? and seq = ?", [
      at(9),
      c.workItemIds[1_100]!,
      4,
    ]);
    expect(await t.store.auditVerify()).toEqual({
      chains: 1_200,
      events: 12_000,
      problems: [{ workItemId: c.workItemIds[1_100], seq: 4, reason: "event 4 was edited (hash mismatch)" }],
    });
    expect(await t.store.itemRecords({ caseId: CASE_ID })).toHaveLength(1_200);
    // Loading the same history again overlaps: refused whole.
    await expect(
      t.store.loadTrackHistory({ events: events.slice(0, 10), records: records.slice(0, 1) }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await t.store.auditVerify()).events).toBe(12_000);
  });
});
