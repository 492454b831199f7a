import type { Command } from "commander";
import { lintFile, lintReport } from "../../app/lint.js";

export function registerLint(program: Command): void {
  program
    .command("lint")
    .description(
      "check handoffs (Markdown, text or JSON; patchline's or hand-written) against the quality checks",
    )
    .argument("<files...>", "handoff files, or - for standard input")
    .option("--json", "print the findings as JSON")
    .action(async (files: string[], flags: { json?: boolean }) => {
      const results = [];
      for (const file of files) results.push(await lintFile(file));
      process.stdout.write(flags.json ? `${JSON.stringify(results, null, 2)}\n` : lintReport(results));
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    });
}
