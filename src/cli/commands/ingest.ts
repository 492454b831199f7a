import type { Command } from "commander";
import { ingestFiles } from "../../app/ingest.js";
import { PatchlineError } from "../../errors.js";
import { FEED_FORMATS } from "../../ingest/detect.js";
import type { FeedFormat } from "../../ingest/types.js";
import { type GlobalOptions, withContext } from "../context.js";
import { progress } from "../progress.js";

interface IngestFlags {
  format?: string;
  json?: boolean;
}

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description("import feeds, advisories, the asset inventory and the owners directory (format detected)")
    .argument(
      "<files...>",
      "KEV (JSON/CSV), EPSS CSV (plain or gzip), CVE 5 JSON, CSAF 2.0 JSON, inventory, owners",
    )
    .option("--format <format>", `force the format: ${FEED_FORMATS.join(", ")}`)
    .option("--json", "print one JSON object per file")
    .action(async (files: string[], flags: IngestFlags, cmd: Command) => {
      const format = flags.format as FeedFormat | undefined;
      if (format && !FEED_FORMATS.includes(format)) {
        throw new PatchlineError(
          "USAGE",
          `--format must be one of ${FEED_FORMATS.join(", ")}; got '${format}'`,
        );
      }
      const results = await withContext(cmd.optsWithGlobals<GlobalOptions>(), async ({ store, now }) => {
        const bar = progress(!flags.json);
        const out = await ingestFiles(store, files, {
          now,
          ...(format ? { format } : {}),
          onFile: (file, i, total) => bar.step(`importing ${file} (${i + 1}/${total})`),
        });
        bar.done("import finished");
        return out;
      });
      for (const r of results) {
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(r)}\n`);
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
