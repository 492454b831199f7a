import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ingestFiles } from "../app/ingest.js";
import { runTriage } from "../app/triage.js";
import { builtInPolicy } from "../core/policy/packs.js";
import { openStore, type StoreOptions } from "../store/index.js";
import { generate } from "./generate.js";

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

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

async function main(): Promise<void> {
  const sizes = { kev: 1500, epss: 300_000, assets: 10_000, products: 600 };
  const dir = await mkdtemp(join(tmpdir(), "patchline-bench-"));
  const rows: Row[] = [];
  try {
    process.stderr.write(`generating synthetic inputs in a temporary folder…\n`);
    const files = await generate(dir, sizes);
    const url = process.env.PATCHLINE_BENCH_DATABASE_URL;
    const storeOptions: StoreOptions = url ? { url } : { path: join(dir, "bench.db") };
    const store = await openStore(storeOptions);
    const policy = builtInPolicy("bod-26-04");
    const ingest = async (list: string[]) => {
      const results = await ingestFiles(store, list, { now: NOW });
      const failed = results.filter((r) => r.errors.length > 0);
      if (failed.length > 0) throw new Error(failed.flatMap((r) => r.errors).join("\n"));
      return results.reduce((n, r) => n + r.records, 0);
    };
    try {
      const [estate, tEstate] = await timed(() => ingest([files.owners, files.inventory]));
      rows.push({
        phase: "ingest owners + inventory",
        items: estate,
        unit: "records",
        seconds: tEstate,
        peakRssMb: peakRssMb(),
      });

      const [feeds, tFeeds] = await timed(() => ingest([files.kev, files.epss]));
      rows.push({
        phase: "ingest KEV + EPSS",
        items: feeds,
        unit: "rows",
        seconds: tFeeds,
        peakRssMb: peakRssMb(),
        target: "< 3 s",
      });

      const [again, tAgain] = await timed(() => ingest([files.kev, files.epss]));
      rows.push({
        phase: "re-import KEV + EPSS (unchanged)",
        items: again,
        unit: "rows",
        seconds: tAgain,
        peakRssMb: peakRssMb(),
      });

      const [advisories, tAdv] = await timed(() => ingest(files.cve5));
      rows.push({
        phase: "ingest CVE 5 records",
        items: advisories,
        unit: "records",
        seconds: tAdv,
        peakRssMb: peakRssMb(),
      });

      const [result, tTriage] = await timed(() => runTriage(store, policy, NOW));
      rows.push({
        phase: `triage ${sizes.assets} assets × ${sizes.kev} KEV advisories`,
        items: result.workItems.length,
        unit: "work items",
        seconds: tTriage,
        peakRssMb: peakRssMb(),
        target: "< 5 s",
      });
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const w = (s: string) => process.stdout.write(s);
  w(`patchline bench — node ${process.version}, ${process.platform}/${process.arch}\n\n`);
  w(`| phase | items | time | throughput | peak RSS | target |\n|---|---:|---:|---:|---:|---|\n`);
  for (const r of rows) {
    const rate = Math.round(r.items / r.seconds).toLocaleString("en-US");
    w(
      `| ${r.phase} | ${r.items.toLocaleString("en-US")} ${r.unit} | ${r.seconds.toFixed(2)} s | ${rate} ${r.unit}/s | ${r.peakRssMb} MB | ${r.target ?? ""} |\n`,
    );
  }
  w(`\npeak RSS of the whole run: ${peakRssMb()} MB (target < 500 MB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
