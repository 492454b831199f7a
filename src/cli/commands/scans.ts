import type { Command } from "commander";
import { plural } from "../../core/render/updates/common.js";
import { type GlobalOptions, withContext } from "../context.js";

interface ScansFlags {
  scanner?: string;
  json?: boolean;
}

export function registerScans(program: Command): void {
  program
    .command("scans")
    .description("the scanner reports imported, oldest report time first")
    .option("--scanner <name>", "one scanner (trivy, grype, nessus, …)")
    .option("--json", "print one JSON object per report")
    .action(async (flags: ScansFlags, cmd: Command) => {
      const reports = await withContext(cmd.optsWithGlobals<GlobalOptions>(), ({ store }) =>
        store.scanReports(),
      );
      const shown =
        flags.scanner === undefined ? reports : reports.filter((r) => r.scanner === flags.scanner);
      for (const r of shown) {
        if (flags.json) {
          const { otherItems: _items, components, ...rest } = r;
          process.stdout.write(`${JSON.stringify({ ...rest, components: components.length })}\n`);
          continue;
        }
        const other = Object.entries(r.other).map(([kind, n]) => `${n} ${kind}`);
        const parts = [
          r.reportTime + (r.timeFromImport ? " (import time)" : ""),
          r.scanner + (r.scope ? ` (${r.scope})` : ""),
          r.file,
          plural(r.findings, "finding"),
          plural(r.assets.length, "asset"),
          ...(other.length > 0 ? [`kept apart: ${other.join(", ")}`] : []),
          ...(r.components.length > 0 ? [plural(r.components.length, "component")] : []),
          `sha256 ${r.id.slice(0, 12)}`,
        ];
        process.stdout.write(`${parts.join("  ")}\n`);
      }
      if (!flags.json) process.stdout.write(`${plural(shown.length, "report")}\n`);
    });
}
