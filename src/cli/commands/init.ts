import { copyFileSync, existsSync } from "node:fs";
import type { Command } from "commander";
import { packagePath } from "../../app/paths.js";
import { DEFAULT_POLICY_FILE } from "../../app/policy.js";
import { type GlobalOptions, withContext } from "../context.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("create the database (migrated to the latest schema) and a starter policy file")
    .action(async (_flags: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const wrotePolicy = !globals.policy && !existsSync(DEFAULT_POLICY_FILE);
      if (wrotePolicy) copyFileSync(packagePath("policy", "default.yaml"), DEFAULT_POLICY_FILE);
      await withContext(globals, async ({ store, policy }) => {
        process.stdout.write(`database ready (${store.kind})\n`);
        process.stdout.write(
          wrotePolicy
            ? `wrote ${DEFAULT_POLICY_FILE} (pack ${policy.policy.pack}); edit it to set your thresholds and deadlines\n`
            : `policy: ${policy.source}\n`,
        );
      });
    });
}
