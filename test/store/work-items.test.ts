import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workItem } from "./fixtures.js";
import { at, backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const backends = await backendsUnderTest();

describe.each(backends)("work items (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("saves, reads back and counts", async () => {
    const items = [workItem(2, at(1)), workItem(1, at(1))];
    expect(await t.store.saveWorkItems(items)).toEqual({ added: 2, updated: 0, unchanged: 0 });
    const stored = await t.store.workItems();
    expect(stored.map((w) => w.id)).toEqual(["WI-0000000001", "WI-0000000002"]);
    expect(stored[1]).toEqual(items[0]);
    expect(await t.store.workItem("WI-0000000001")).toEqual(items[1]);
    expect(await t.store.workItem("WI-ffffffffff")).toBeUndefined();
  });

  it("re-planning later keeps the first planned instant; only real changes count", async () => {
    await t.store.saveWorkItems([workItem(1, at(1)), workItem(2, at(1))]);
    // Same content planned again on day 2: nothing changes, not even the stored plannedAt.
    expect(await t.store.saveWorkItems([workItem(1, at(2)), workItem(2, at(2))])).toEqual({
      added: 0,
      updated: 0,
      unchanged: 2,
    });
    expect((await t.store.workItem("WI-0000000001"))?.plannedAt).toBe(at(1));

    // Day 3: item 1 moves to the validate lane, item 3 is new.
    const moved = workItem(1, at(3), { lane: "validate" });
    expect(await t.store.saveWorkItems([moved, workItem(2, at(3)), workItem(3, at(3))])).toEqual({
      added: 1,
      updated: 1,
      unchanged: 1,
    });
    expect(await t.store.workItem("WI-0000000001")).toEqual(moved);
    expect(await t.store.workItemStarts()).toEqual(
      new Map([
        ["WI-0000000001", at(1)],
        ["WI-0000000002", at(1)],
        ["WI-0000000003", at(3)],
      ]),
    );
  });

  it("stores and filters on the indexed columns", async () => {
    await t.store.saveWorkItems([workItem(1, at(1), { lane: "mitigate" })]);
    const row = await t.backend.db
      .selectFrom("work_items")
      .select(["advisory_id", "asset_group", "owner_id", "lane"])
      .where("id", "=", "WI-0000000001")
      .executeTakeFirst();
    expect(row).toEqual({
      advisory_id: "CVE-2024-3400",
      asset_group: "group-1",
      owner_id: "owner-1",
      lane: "mitigate",
    });
  });
});
