import { readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { Policy } from "../core/policy/types.js";
import type { TriageResult } from "../core/triage.js";
import { openStore, type StoreOptions } from "../store/index.js";
import { type WrittenHandoff, writeHandoffs } from "./handoff.js";
import { type IngestFileResult, type InputFile, ingestFiles } from "./ingest.js";
import { type FileLintResult, lintFile } from "./lint.js";
import { packagePath } from "./paths.js";
import { securityActor } from "./track/actor.js";
import { recordHandoffs } from "./track/record.js";
import { runTriage } from "./triage.js";
import { type WalkStep, walkEmergency } from "./walkthrough.js";

export interface DemoResult {
  imports: IngestFileResult[];
  triage: TriageResult;
  handoffs: WrittenHandoff[];
  lint: FileLintResult[];
  /** The emergency walked from handoff to closure, when the examples have a patch-now item. */
  walk: { itemId: string; advisoryId: string; steps: WalkStep[] } | null;
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
    const owners = await store.owners();
    await recordHandoffs(store, opts.policy, opts.now, triage.workItems, securityActor(owners, opts.policy));
    const emergency =
      triage.workItems.find((i) => i.lane === "patch-now" && i.advisory.id === "CVE-2024-3400") ??
      triage.workItems.find((i) => i.lane === "patch-now");
    let walk: DemoResult["walk"] = null;
    if (emergency) {
      const people = {
        security: securityActor(owners, opts.policy),
        system: emergency.owner.id,
        service: emergency.serviceOwner?.id ?? emergency.owner.id,
        governance:
          emergency.governanceOwner?.id ?? owners.find((o) => o.roles.includes("governance"))?.id ?? "",
      };
      const steps = await walkEmergency(store, opts.policy, opts.now, emergency, people);
      walk = { itemId: emergency.id, advisoryId: emergency.advisory.id, steps };
    }
    return { imports, triage, handoffs, lint, walk };
  } finally {
    await store.close();
  }
}
