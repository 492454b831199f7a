/**
 * `npm run bench:scans`: an estate of 10k assets × 100 findings — 1M findings in 10k Trivy reports —
 * plus full-size KEV and EPSS, and a 70 MB Nessus file. Reports the floor (reading and JSON.parse of
 * the reports alone), ingest (parse, match to the inventory, compare with earlier reports, persist),
 * a re-import of the unchanged reports, next week's re-scan (new reports, the same findings) and the
 * Nessus import, each in its own process with its time and peak RSS.
 * PATCHLINE_BENCH_REPORTS and PATCHLINE_BENCH_NESSUS_MB shrink it for a quick look.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ingestFiles } from "../app/ingest.js";
import { builtInPolicy } from "../core/policy/packs.js";
import { openStore } from "../store/index.js";
import { type BenchFiles, generate } from "./generate.js";
import { generateNessus, generateTrivy } from "./scan-generate.js";
import { benchSchema, dropSchema } from "./schema.js";

const NOW = "2026-11-23T09:00:00Z";
const REPORTS = Number(process.env.PATCHLINE_BENCH_REPORTS ?? 10_000);
const PER_REPORT = 100;
const NESSUS_MB = Number(process.env.PATCHLINE_BENCH_NESSUS_MB ?? 70);

interface Files extends BenchFiles {
  trivy: string[];
  /** The next week's reports of the same images: the same findings, a later scan time. */
  rescan: string[];
  trivyBytes: number;
  nessus: string;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function phase(name: string, dir: string, url: string | undefined): Promise<void> {
  const files = JSON.parse(await readFile(join(dir, "files.json"), "utf8")) as Files;
  const policy = builtInPolicy("bod-26-04");
  let items = 0;
  const start = performance.now();
  if (name === "floor") {
    // The fastest way one thread reads and parses them: blocking reads, nothing else on the loop.
    for (const f of files.trivy) {
      const json = JSON.parse(readFileSync(f, "utf8")) as { Results: { Vulnerabilities: unknown[] }[] };
      for (const r of json.Results) items += r.Vulnerabilities.length;
    }
  } else {
    const store = await openStore(
      url ? { url, schema: await readFile(join(dir, "schema"), "utf8") } : { path: join(dir, "bench.db") },
    );
    const ingest = async (list: string[]) => {
      const results = await ingestFiles(store, list, { now: NOW, policy });
      const failed = results.filter((r) => r.errors.length > 0);
      if (failed.length > 0) throw new Error(failed.flatMap((r) => r.errors).join("\n"));
      return results.reduce((n, r) => n + r.records, 0);
    };
    try {
      if (name === "setup") items = await ingest([files.owners, files.inventory, files.kev, files.epss]);
      else if (name === "scans" || name === "scans-again") items = await ingest(files.trivy);
      else if (name === "rescan") items = await ingest(files.rescan);
      else if (name === "nessus") items = await ingest([files.nessus]);
    } finally {
      await store.close();
    }
  }
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(`${JSON.stringify({ items, seconds, peakRssMb: peakRssMb() })}\n`);
}

const PHASES = [
  { name: "setup", label: "ingest owners, inventory (10k assets), KEV and EPSS", unit: "records" },
  {
    name: "floor",
    label: "read and JSON.parse the Trivy reports alone, on one thread (the floor)",
    unit: "findings",
  },
  {
    name: "scans",
    label: "ingest the Trivy reports: parse, match, compare, persist",
    unit: "findings",
    target: "≤ 2× floor, < 6 s",
  },
  { name: "scans-again", label: "re-import the unchanged reports", unit: "findings", target: "≥ 2× faster" },
  { name: "rescan", label: "ingest next week's re-scan: new reports, same findings", unit: "findings" },
  { name: "nessus", label: `ingest a ${NESSUS_MB} MB .nessus file (streamed)`, unit: "findings" },
];

async function main(): Promise<void> {
  const [, , flag, name, dirArg] = process.argv;
  const url = process.env.PATCHLINE_BENCH_DATABASE_URL;
  if (flag === "--phase" && name && dirArg) return phase(name, dirArg, url);

  const dir = await mkdtemp(join(tmpdir(), "patchline-bench-scans-"));
  const schema = benchSchema("bench_scans");
  await writeFile(join(dir, "schema"), schema);
  const w = (s: string) => process.stdout.write(s);
  try {
    process.stderr.write(
      `generating ${REPORTS.toLocaleString("en-US")} Trivy reports twice and a Nessus file…\n`,
    );
    const base = await generate(dir, { kev: 1500, epss: 300_000, assets: 10_000, products: 600 });
    const trivy = await generateTrivy(dir, REPORTS, PER_REPORT);
    const rescan = await generateTrivy(dir, REPORTS, PER_REPORT, "2026-11-27T06:00:00Z", "rescan");
    const nessus = join(dir, "estate.nessus");
    await generateNessus(nessus, NESSUS_MB);
    const files: Files = {
      ...base,
      trivy: trivy.files,
      rescan: rescan.files,
      trivyBytes: trivy.bytes,
      nessus,
    };
    await writeFile(join(dir, "files.json"), JSON.stringify(files));
    w(
      `patchline scanner bench — node ${process.version}, ${url ? "PostgreSQL" : "SQLite"}; ` +
        `${REPORTS.toLocaleString("en-US")} Trivy reports, ${(trivy.bytes / 1e6).toFixed(0)} MB\n\n`,
    );
    w("| phase | items | time | throughput | peak RSS | target |\n|---|---:|---:|---:|---:|---|\n");
    for (const p of PHASES) {
      process.stderr.write(`${p.label}…\n`);
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--phase", p.name, dir], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`phase ${p.name} failed`);
      const r = JSON.parse(child.stdout.trim()) as { items: number; seconds: number; peakRssMb: number };
      const rate = Math.round(r.items / r.seconds).toLocaleString("en-US");
      w(
        `| ${p.label} | ${r.items.toLocaleString("en-US")} ${p.unit} | ${r.seconds.toFixed(2)} s | ${rate} ${p.unit}/s | ${r.peakRssMb} MB | ${p.target ?? ""} |\n`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (url) await dropSchema(url, schema);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
