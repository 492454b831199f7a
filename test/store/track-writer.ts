/**
 * A second writer in its own process: opens the store, waits for "go", then appends `count`
 * progress events to one work item, reloading and retrying on every CONFLICT. Reports
 * { appended, conflicts } on stdout.
 */
import type { ItemRecord } from "../../src/core/track/types.js";
import { isPatchlineError } from "../../src/errors.js";
import { openStore } from "../../src/store/index.js";
import { next, progress } from "./track-fixtures.js";

export async function appendWithRetry(
  store: Awaited<ReturnType<typeof openStore>>,
  wi: string,
  count: number,
  actor: string,
): Promise<{ appended: number; conflicts: number }> {
  let appended = 0;
  let conflicts = 0;
  while (appended < count) {
    const record: ItemRecord | undefined = await store.itemRecord(wi);
    const step = next(record, [progress(wi, "2025-08-26T09:00:00Z", `${actor} #${appended + 1}`, actor)]);
    try {
      await store.appendEvents(wi, step.expected, step.events, step.record);
      appended++;
    } catch (e) {
      if (isPatchlineError(e) && e.code === "CONFLICT") conflicts++;
      else throw e;
    }
  }
  return { appended, conflicts };
}

async function main(): Promise<void> {
  const [kind, where, wi, count, actor] = process.argv.slice(2);
  if (!kind || !where || !wi || !count || !actor) throw new Error("usage: kind where workItem count actor");
  const store =
    kind === "sqlite"
      ? await openStore({ path: where })
      : await openStore({ url: process.env.PG_URL!, schema: where });
  try {
    await new Promise<void>((resolve) => {
      process.once("message", () => resolve());
      process.send?.("ready");
    });
    const result = await appendWithRetry(store, wi, Number(count), actor);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
  }
}

if (process.argv[1]?.endsWith("track-writer.js")) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
