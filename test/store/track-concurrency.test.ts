import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/core/track/hash.js";
import { openStore, type Store } from "../../src/store/index.js";
import { at, backendsUnderTest, openTestStore, PG_URL, type TestStore } from "./helpers.js";
import { buildChild, forkChild } from "./track-child.js";
import { handoff, next, progress, workItemId } from "./track-fixtures.js";
import { appendWithRetry } from "./track-writer.js";

const backends = await backendsUnderTest();

describe.each(backends)("two writers on one work item (%s)", (kind) => {
  let t: TestStore;
  let other: Store;
  const wi = workItemId(1);
  beforeEach(async () => {
    t = await openTestStore(kind);
    other =
      kind === "sqlite"
        ? await openStore({ path: t.where })
        : await openStore({ url: PG_URL, schema: t.where });
    const first = next(undefined, [handoff(wi, at(1))]);
    await t.store.appendEvents(wi, 0, first.events, first.record);
  });
  afterEach(async () => {
    await other.close();
    await t.cleanup();
  });

  it("the same expected version from two connections at once: exactly one wins", async () => {
    for (let round = 0; round < 10; round++) {
      const record = (await t.store.itemRecord(wi))!;
      const a = next(record, [progress(wi, at(2), `a${round}`, "owner-a")]);
      const b = next(record, [progress(wi, at(2), `b${round}`, "owner-b")]);
      const results = await Promise.allSettled([
        t.store.appendEvents(wi, record.version, a.events, a.record),
        other.appendEvents(wi, record.version, b.events, b.record),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected");
      expect(rejected?.reason).toMatchObject({
        code: "CONFLICT",
        message: `work item ${wi} changed since version ${record.version} (now ${record.version + 1}); reload and retry`,
      });
    }
    const events = await other.events(wi);
    expect(events).toHaveLength(11);
    expect(verifyChain(events)).toEqual({ ok: true });
  });

  it("two connections appending with retry lose no event", async () => {
    const [a, b] = await Promise.all([
      appendWithRetry(t.store, wi, 40, "owner-a"),
      appendWithRetry(other, wi, 40, "owner-b"),
    ]);
    expect(a.appended + b.appended).toBe(80);
    const events = await t.store.events(wi);
    expect(events).toHaveLength(81);
    expect(events.filter((e) => e.actor === "owner-a")).toHaveLength(40);
    expect(events.filter((e) => e.actor === "owner-b")).toHaveLength(40);
    expect(verifyChain(events)).toEqual({ ok: true });
    expect((await t.store.itemRecord(wi))?.version).toBe(81);
    expect((await t.store.auditVerify()).problems).toEqual([]);
  });

  it("a writer in another process and this one, racing with retry, lose no event", async () => {
    const script = buildChild("test/store/track-writer.ts");
    const children = [1, 2].map((n) => forkChild(script, [kind, t.where, wi, "60", `proc-${n}`], { PG_URL }));
    const outputs = children.map(
      (child) =>
        new Promise<{ appended: number; conflicts: number }>((resolve, reject) => {
          let out = "";
          let err = "";
          child.stdout?.on("data", (d: Buffer) => {
            out += d.toString();
          });
          child.stderr?.on("data", (d: Buffer) => {
            err += d.toString();
          });
          child.on("exit", (code) =>
            code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child failed: ${err}`)),
          );
        }),
    );
    await Promise.all(children.map((c) => new Promise((resolve) => c.once("message", resolve))));
    for (const c of children) c.send("go");
    const here = await appendWithRetry(t.store, wi, 60, "parent");
    const results = await Promise.all(outputs);
    expect(here.appended).toBe(60);
    expect(results.map((r) => r.appended)).toEqual([60, 60]);
    const events = await t.store.events(wi);
    expect(events).toHaveLength(181);
    for (const actor of ["parent", "proc-1", "proc-2"]) {
      expect(events.filter((e) => e.actor === actor).map((e) => e.payload)).toEqual(
        Array.from({ length: 60 }, (_, i) => ({ note: `${actor} #${i + 1}` })),
      );
    }
    expect(verifyChain(events)).toEqual({ ok: true });
    expect((await t.store.auditVerify()).problems).toEqual([]);
    // The race was real: writers were refused and retried.
    const conflicts = here.conflicts + results.reduce((n, r) => n + r.conflicts, 0);
    console.log(`[${kind}] cross-process race: 180 appends, ${conflicts} conflicts retried`);
    expect(conflicts).toBeGreaterThan(0);
  }, 60_000);
});
