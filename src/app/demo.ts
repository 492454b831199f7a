import { readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { Policy } from "../core/policy/types.js";
import type { TriageResult } from "../core/triage.js";
import { openStore, type StoreOptions } from "../store/index.js";
import { type WrittenHandoff, writeHandoffs } from "./handoff.js";
import { type IngestFileResult, type InputFile, ingestFiles } from "./ingest.js";
import { type FileLintResult, lintFile } from "./lint.js";
import { packagePath } from "./paths.js";
import { runTriage } from "./triage.js";

export interface DemoResult {
  imports: IngestFileResult[];
  triage: TriageResult;
  handoffs: WrittenHandoff[];
  lint: FileLintResult[];
}

/** The shipped example data, in import order: people first, then estate, then intelligence. */
export function exampleFiles(): InputFile[] {
  const feeds = readdirSync(packagePath("examples", "feeds"))
    .filter((f) => /\.(json|csv|gz)$/.test(f))
    .sort()
    .map((f) => `examples/feeds/${f}`);
  return ["examples/owners.csv", "examples/inventory.csv", ...feeds].map((name) => ({
    path: packagePath(...name.split("/")),
    name,
  }));
}

/**
 * The main job end to end on the example data: import, triage, write every handoff, lint them.
 * Starts from an empty database so that it shows the same thing every time.
 */
export async function runDemo(opts: {
  store: StoreOptions;
  fresh: boolean;
  policy: Policy;
  now: string;
  outDir: string;
}): Promise<DemoResult> {
  if (opts.fresh && opts.store.path && opts.store.path !== ":memory:") {
    for (const suffix of ["", "-wal", "-shm"]) await rm(`${opts.store.path}${suffix}`, { force: true });
  }
  await rm(opts.outDir, { recursive: true, force: true });
  const store = await openStore(opts.store);
  try {
    const imports = await ingestFiles(store, exampleFiles(), { now: opts.now });
    const triage = await runTriage(store, opts.policy, opts.now);
    const handoffs = await writeHandoffs(triage.workItems, "md", opts.outDir);
    const lint: FileLintResult[] = [];
    for (const h of handoffs) lint.push(await lintFile(h.path));
    return { imports, triage, handoffs, lint };
  } finally {
    await store.close();
  }
}
