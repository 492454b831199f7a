import type { Command } from "commander";
import { boardRow, boardText } from "../../app/board.js";
import { runTriage } from "../../app/triage.js";
import { LANES, type Lane } from "../../core/types.js";
import { PatchlineError } from "../../errors.js";
import { type GlobalOptions, withContext } from "../context.js";

interface TriageFlags {
  json?: boolean;
  lane?: string;
}

export function registerTriage(program: Command): void {
  program
    .command("triage")
    .description("decide the lane of every affected advisory × asset group, gate it, plan deadlines")
    .option("--json", "print the work items as a JSON array")
    .option("--lane <lane>", `only this lane: ${LANES.join(", ")}`)
    .action(async (flags: TriageFlags, cmd: Command) => {
      if (flags.lane && !LANES.includes(flags.lane as Lane)) {
        throw new PatchlineError("USAGE", `--lane must be one of ${LANES.join(", ")}; got '${flags.lane}'`);
      }
      await withContext(cmd.optsWithGlobals<GlobalOptions>(), async ({ store, policy, now }) => {
        const result = await runTriage(store, policy.policy, now);
        const items = flags.lane ? result.workItems.filter((i) => i.lane === flags.lane) : result.workItems;
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify(
              items.map((i) => boardRow(i, now)),
              null,
              2,
            )}\n`,
          );
        } else {
          process.stdout.write(boardText(items, now, policy.source));
        }
      });
    });
}
