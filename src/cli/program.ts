import { Command, CommanderError } from "commander";
import { EXIT_CODES, isPatchlineError } from "../errors.js";
import { registerDemo } from "./commands/demo.js";
import { registerFindings } from "./commands/findings.js";
import { registerHandoff } from "./commands/handoff.js";
import { registerIngest } from "./commands/ingest.js";
import { registerInit } from "./commands/init.js";
import { registerLint } from "./commands/lint.js";
import { registerRecord } from "./commands/record.js";
import { registerScans } from "./commands/scans.js";
import { registerTrack } from "./commands/track.js";
import { registerTriage } from "./commands/triage.js";
import { VERSION } from "./version.js";

export function buildProgram(): Command {
  const program = new Command("patchline")
    .description(
      "Vulnerability intelligence in, owner-ready patch handoffs out, tracked to verified closure.",
    )
    .version(VERSION)
    .option("--db <path-or-url>", "SQLite file or postgres:// URL (default ./.patchline/patchline.db)")
    .option(
      "--policy <file>",
      "policy YAML (default ./patchline.policy.yaml, else the built-in BOD 26-04 pack)",
    )
    .option("--now <instant>", "pin the clock, e.g. 2026-11-23T09:00:00Z")
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerIngest(program);
  registerFindings(program);
  registerScans(program);
  registerTriage(program);
  registerHandoff(program);
  registerLint(program);
  registerTrack(program);
  registerRecord(program);
  registerDemo(program);
  return program;
}

/** Every error ends here: one line on stderr, an exit code from the taxonomy, no stack trace. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_CODES.USAGE;
    }
    if (isPatchlineError(error)) {
      process.stderr.write(`patchline: ${error.oneLine()}\n`);
      return EXIT_CODES[error.code];
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`patchline: internal error: ${message}\n`);
    if (process.env.PATCHLINE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 70;
  }
}
