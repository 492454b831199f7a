import type { Command } from "commander";
import { ingestFiles, type ScanFileResult } from "../../app/ingest.js";
import { expandInputs } from "../../app/ingest-inputs.js";
import { plural } from "../../core/render/updates/common.js";
import { PatchlineError } from "../../errors.js";
import { FEED_FORMATS } from "../../ingest/detect.js";
import type { FeedFormat } from "../../ingest/types.js";
import { type GlobalOptions, withContext } from "../context.js";
import { progress } from "../progress.js";

interface IngestFlags {
  format?: string;
  json?: boolean;
  workers?: string;
}

/** --workers: "auto" or a whole number of threads (0 reads everything on the main thread). */
function workersFlag(value: string | undefined): number | "auto" {
  if (value === undefined || value === "auto") return "auto";
  if (!/^\d+$/.test(value) || Number(value) > 64) {
    throw new PatchlineError(
      "USAGE",
      `--workers must be auto or a whole number from 0 to 64; got '${value}'`,
    );
  }
  return Number(value);
}

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description(
      "import feeds, advisories, scanner reports, the asset inventory and the owners directory (format detected)",
    )
    .argument(
      "<files...>",
      "files or directories (every file under them, hidden ones left out): KEV, EPSS, CVE 5, CSAF, NVD, OSV; Trivy, Grype, SARIF, osv-scanner, Nessus/Tenable, OpenVAS, Qualys, CycloneDX, SPDX; inventory, owners",
    )
    .option("--format <format>", `force the format: ${FEED_FORMATS.join(", ")}`)
    .option("--json", "print one JSON object per file")
    .option(
      "--workers <n>",
      "threads that read and parse scanner reports while others are written: auto (one per core, up to 4, for 16 files or more) or a number; 0 for none",
      "auto",
    )
    .action(async (files: string[], flags: IngestFlags, cmd: Command) => {
      const format = flags.format as FeedFormat | undefined;
      const workers = workersFlag(flags.workers);
      if (format && !FEED_FORMATS.includes(format)) {
        throw new PatchlineError(
          "USAGE",
          `--format must be one of ${FEED_FORMATS.join(", ")}; got '${format}'`,
        );
      }
      const results = await withContext(
        cmd.optsWithGlobals<GlobalOptions>(),
        async ({ store, now, policy }) => {
          const bar = progress(!flags.json);
          const out = await ingestFiles(store, await expandInputs(files), {
            now,
            policy: policy.policy,
            ...(format ? { format } : {}),
            workers,
            onFile: (file, i, total) => bar.step(`importing ${file} (${i + 1}/${total})`),
          });
          bar.done("import finished");
          return out;
        },
      );
      for (const r of results) {
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(r)}\n`);
        } else if (r.errors.length === 0 && r.scan) {
          process.stdout.write(`${r.file}: ${r.format}, ${scanLine(r.scan)}\n`);
          for (const u of r.scan.unknownAssets) {
            process.stdout.write(`  unknown asset ${u.asset}: ${u.reason}\n`);
          }
        } else if (r.errors.length === 0) {
          process.stdout.write(
            `${r.file}: ${r.format}, ${r.records} read, ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged\n`,
          );
        }
        for (const e of r.errors) process.stderr.write(`patchline: ${e}\n`);
      }
      if (results.some((r) => r.errors.length > 0)) process.exitCode = 65;
    });
}

function scanLine(s: ScanFileResult): string {
  if (s.seenBefore) return `${plural(s.findings, "finding")}, already imported: nothing changed`;
  const parts = [
    `${plural(s.findings, "finding")} (${plural(s.duplicates, "duplicate")} merged)`,
    `${plural(s.assets, "asset")} (${s.unknownAssets.length} unknown)`,
  ];
  const other = Object.entries(s.other).map(([kind, n]) => `${n} ${kind}`);
  if (other.length > 0) parts.push(`kept apart: ${other.join(", ")}`);
  if (s.components > 0) parts.push(plural(s.components, "component"));
  if (s.gone > 0) parts.push(`${s.gone} gone since the last scan`);
  if (s.redetected > 0) parts.push(`${s.redetected} re-detected`);
  if (s.stale > 0) parts.push(`${s.stale} older than stored (left alone)`);
  const t = s.tracker;
  if (t.evidence.length + t.verified.length + t.reopened.length > 0) {
    parts.push(
      `tracker: ${t.evidence.length} evidence, ${t.verified.length} verified, ${t.reopened.length} reopened`,
    );
  }
  return parts.join(", ");
}
