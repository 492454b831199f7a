import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordEvent, recordEvents, recordHandoffs } from "../../src/app/track/record.js";
import { basePolicy } from "../../src/core/policy/defaults.js";
import { patchNowItem } from "../../src/core/render/fixtures.js";
import type { WorkItem } from "../../src/core/types.js";
import { PatchlineError } from "../../src/errors.js";
import { backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const backends = await backendsUnderTest();
const NOW = "2026-11-02T09:00:00Z";
const LATER = "2026-11-02T11:00:00Z";
const policy = basePolicy();

function items(n: number): WorkItem[] {
  const template = patchNowItem();
  return Array.from({ length: n }, (_, i) => ({
    ...template,
    id: `WI-BATCH-${String(i).padStart(4, "0")}`,
    assetGroup: `group-${i}`,
  }));
}

const ack = (w: WorkItem) => ({
  workItemId: w.id,
  drafts: [{ type: "acknowledged" as const, actor: w.owner.id, role: "system-owner" as const, payload: {} }],
});

async function failure(promise: Promise<unknown>): Promise<PatchlineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}

describe.each(backends)("batched tracker writes (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("hands off a campaign in batches, once per item, and builds one case per advisory", async () => {
    const list = items(12);
    await t.store.saveWorkItems(list);
    expect(await recordHandoffs(t.store, policy, NOW, list, "secops")).toBe(12);
    // A second run (and a list naming an item twice) records nothing more.
    expect(await recordHandoffs(t.store, policy, NOW, [...list, list[0] as WorkItem], "secops")).toBe(0);
    const records = await t.store.itemRecords();
    expect(records.map((r) => r.state)).toEqual(Array(12).fill("sent"));
    const cases = await t.store.cases();
    expect(cases).toHaveLength(1);
    expect(cases[0]?.workItemIds).toEqual(list.map((w) => w.id));
    expect((await t.store.auditVerify()).problems).toEqual([]);
  });

  it("records one event on each of many items and chains it after the earlier ones", async () => {
    const list = items(5);
    await t.store.saveWorkItems(list);
    await recordHandoffs(t.store, policy, NOW, list, "secops");
    const done = await recordEvents(t.store, policy, LATER, list.map(ack));
    expect(done.map((d) => [d.record.state, d.record.version])).toEqual(Array(5).fill(["acknowledged", 2]));
    const events = await t.store.events(list[3]?.id as string);
    expect(events.map((e) => e.type)).toEqual(["handoff-sent", "acknowledged"]);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect((await t.store.auditVerify()).problems).toEqual([]);
  });

  it("writes nothing when one item of the batch may not take the event", async () => {
    const list = items(3);
    await t.store.saveWorkItems(list);
    await recordHandoffs(t.store, policy, NOW, list.slice(0, 2), "secops");
    // The third item was never handed off: the whole batch is refused before anything is written.
    const error = await failure(recordEvents(t.store, policy, LATER, list.map(ack)));
    expect(error.code).toBe("ILLEGAL_TRANSITION");
    expect(error.message).toContain(list[2]?.id);
    expect((await t.store.itemRecords()).map((r) => r.state)).toEqual(["sent", "sent"]);
  });

  it("refuses an item named twice and an unknown item", async () => {
    const list = items(2);
    await t.store.saveWorkItems(list);
    await recordHandoffs(t.store, policy, NOW, list, "secops");
    const twice = await failure(recordEvents(t.store, policy, LATER, [ack(list[0]!), ack(list[0]!)]));
    expect(twice.code).toBe("VALIDATION_ERROR");
    const unknown = await failure(
      recordEvents(t.store, policy, LATER, [{ ...ack(list[0]!), workItemId: "WI-NOPE" }]),
    );
    expect(unknown.code).toBe("NOT_FOUND");
    expect((await t.store.events(list[0]?.id as string)).map((e) => e.type)).toEqual(["handoff-sent"]);
  });

  it("fails the batch with CONFLICT when another writer got to an item first", async () => {
    const list = items(3);
    await t.store.saveWorkItems(list);
    await recordHandoffs(t.store, policy, NOW, list, "secops");
    // Prepare the batch from the current records, then let a single write land in between.
    const store = t.store;
    const original = store.appendBatch.bind(store);
    let raced = false;
    store.appendBatch = async (entries) => {
      if (!raced) {
        raced = true;
        await recordEvent(store, policy, LATER, list[1]?.id as string, ack(list[1]!).drafts[0]!);
      }
      return original(entries);
    };
    const error = await failure(recordEvents(store, policy, LATER, list.map(ack)));
    store.appendBatch = original;
    expect(error.code).toBe("CONFLICT");
    expect((await store.itemRecords()).map((r) => r.state)).toEqual(["sent", "acknowledged", "sent"]);
    expect((await store.events(list[0]?.id as string)).map((e) => e.type)).toEqual(["handoff-sent"]);
  });
});
