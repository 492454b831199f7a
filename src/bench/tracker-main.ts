import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../store/index.js";
import { benchCaseView } from "./case-view.js";
import { benchSchema, dropSchema } from "./schema.js";
import { benchTracker } from "./track.js";
import { benchTrackerUseCases } from "./track-usecase.js";

/**
 * `npm run bench:tracker`: 100k work items with 1M events, then the tracker's hot paths at that size.
 * PATCHLINE_BENCH_DATABASE_URL runs it on PostgreSQL (in a fresh schema) instead of a SQLite file.
 */
async function main(): Promise<void> {
  const url = process.env.PATCHLINE_BENCH_DATABASE_URL;
  const dir = await mkdtemp(join(tmpdir(), "patchline-bench-tracker-"));
  const schema = benchSchema("bench_tracker");
  const store = await openStore(url ? { url, schema } : { path: join(dir, "tracker.db") });
  const w = (s: string) => process.stdout.write(s);
  try {
    w(`patchline tracker bench — node ${process.version}, ${url ? "PostgreSQL" : "SQLite"}\n\n`);
    w("| phase | items | time | target |\n|---|---:|---:|---|\n");
    const row = (r: { phase: string; items: number; unit: string; seconds: number; target?: string }) =>
      w(
        `| ${r.phase} | ${r.items.toLocaleString("en-US")} ${r.unit} | ${r.seconds.toFixed(2)} s | ${r.target ?? ""} |\n`,
      );
    await benchTracker(store, { progress: row });
    for (const r of await benchCaseView(store, "CASE-BENCH-0000", "2026-11-06T09:00:00Z")) row(r);
    for (const r of await benchTrackerUseCases(store)) row(r);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
    if (url) await dropSchema(url, schema);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
