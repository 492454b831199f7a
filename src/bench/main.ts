import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ingestFiles } from "../app/ingest.js";
import { runTriage } from "../app/triage.js";
import { builtInPolicy } from "../core/policy/packs.js";
import { openStore } from "../store/index.js";
import { type BenchFiles, generate } from "./generate.js";
import { benchSchema, dropSchema } from "./schema.js";

/**
 * `npm run bench`: full-size synthetic KEV (1,500), EPSS (300k rows), CVE 5 records and an estate of
 * 10k assets; reports throughput, time and peak RSS per phase. PATCHLINE_BENCH_DATABASE_URL runs it
 * on PostgreSQL instead of a fresh SQLite file.
 */

const NOW = "2026-11-23T09:00:00Z";

interface Row {
  phase: string;
  items: number;
  unit: string;
  seconds: number;
  peakRssMb: number;
  target?: string;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const SIZES = { kev: 1500, epss: 300_000, assets: 10_000, products: 600 };

/** One phase in its own process, as the CLI runs it: its own time and its own peak RSS. */
async function phase(name: string, dir: string, url: string | undefined): Promise<void> {
  const files = JSON.parse(await readFile(join(dir, "files.json"), "utf8")) as BenchFiles;
  const store = await openStore(
    url ? { url, schema: await readFile(join(dir, "schema"), "utf8") } : { path: join(dir, "bench.db") },
  );
  const ingest = async (list: string[]) => {
    const results = await ingestFiles(store, list, { now: NOW });
    const failed = results.filter((r) => r.errors.length > 0);
    if (failed.length > 0) throw new Error(failed.flatMap((r) => r.errors).join("\n"));
    return results.reduce((n, r) => n + r.records, 0);
  };
  try {
    let items = 0;
    const start = performance.now();
    if (name === "estate") items = await ingest([files.owners, files.inventory]);
    else if (name === "feeds" || name === "feeds-again") items = await ingest([files.kev, files.epss]);
    else if (name === "advisories") items = await ingest(files.cve5);
    else if (name === "triage")
      items = (await runTriage(store, builtInPolicy("bod-26-04"), NOW)).workItems.length;
    const seconds = (performance.now() - start) / 1000;
    process.stdout.write(`${JSON.stringify({ items, seconds, peakRssMb: peakRssMb() })}\n`);
  } finally {
    await store.close();
  }
}

const PHASES: { name: string; label: string; unit: string; target?: string }[] = [
  { name: "estate", label: "ingest owners + inventory (10k assets)", unit: "records" },
  { name: "feeds", label: "ingest KEV (1,500) + EPSS (300k rows)", unit: "rows", target: "< 3 s" },
  { name: "feeds-again", label: "re-import the same KEV + EPSS", unit: "rows" },
  { name: "advisories", label: "ingest 1,500 CVE 5 records", unit: "records" },
  {
    name: "triage",
    label: "triage 10k assets × 1,500 KEV advisories (load, decide, plan, persist)",
    unit: "work items",
    target: "< 5 s",
  },
];

async function main(): Promise<void> {
  const [, , flag, name, dirArg] = process.argv;
  const url = process.env.PATCHLINE_BENCH_DATABASE_URL;
  if (flag === "--phase" && name && dirArg) return phase(name, dirArg, url);

  const dir = await mkdtemp(join(tmpdir(), "patchline-bench-"));
  const schema = benchSchema("bench_feeds");
  await writeFile(join(dir, "schema"), schema);
  const rows: Row[] = [];
  try {
    process.stderr.write("generating synthetic inputs in a temporary folder…\n");
    const files = await generate(dir, SIZES);
    await writeFile(join(dir, "files.json"), JSON.stringify(files));
    for (const p of PHASES) {
      process.stderr.write(`${p.label}…\n`);
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--phase", p.name, dir], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      });
      if (child.status !== 0) throw new Error(`phase ${p.name} failed`);
      const r = JSON.parse(child.stdout.trim()) as { items: number; seconds: number; peakRssMb: number };
      rows.push({ phase: p.label, unit: p.unit, ...r, ...(p.target ? { target: p.target } : {}) });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (url) await dropSchema(url, schema);
  }
  const w = (s: string) => process.stdout.write(s);
  w(
    `patchline bench — node ${process.version}, ${process.platform}/${process.arch}, ${url ? "PostgreSQL" : "SQLite"}\n\n`,
  );
  w("| phase | items | time | throughput | peak RSS | target |\n|---|---:|---:|---:|---:|---|\n");
  for (const r of rows) {
    const rate = Math.round(r.items / r.seconds).toLocaleString("en-US");
    w(
      `| ${r.phase} | ${r.items.toLocaleString("en-US")} ${r.unit} | ${r.seconds.toFixed(2)} s | ${rate} ${r.unit}/s | ${r.peakRssMb} MB | ${r.target ?? ""} |\n`,
    );
  }
  w(`\nlargest peak RSS of any phase: ${Math.max(...rows.map((r) => r.peakRssMb))} MB (target < 500 MB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
