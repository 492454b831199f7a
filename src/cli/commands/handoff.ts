import type { Command } from "commander";
import { HANDOFF_FORMATS, writeHandoffs } from "../../app/handoff.js";
import { securityActor } from "../../app/track/actor.js";
import { recordHandoffs } from "../../app/track/record.js";
import { runTriage } from "../../app/triage.js";
import { type HandoffFormat, renderHandoff } from "../../core/render/index.js";
import { PatchlineError } from "../../errors.js";
import { type GlobalOptions, withContext } from "../context.js";

interface HandoffFlags {
  all?: boolean;
  format: string;
  out?: string;
}

export function registerHandoff(program: Command): void {
  program
    .command("handoff")
    .description("write the handoff (or validation request) for one work item or all of them")
    .argument("[id]", "work item id (WI-…) as shown by triage")
    .option("--all", "every work item")
    .option("--format <format>", `output format: ${HANDOFF_FORMATS.join(", ")}`, "md")
    .option("--out <dir>", "write one file per work item into this folder instead of printing")
    .action(async (id: string | undefined, flags: HandoffFlags, cmd: Command) => {
      const format = flags.format as HandoffFormat;
      if (!HANDOFF_FORMATS.includes(format)) {
        throw new PatchlineError(
          "USAGE",
          `--format must be one of ${HANDOFF_FORMATS.join(", ")}; got '${format}'`,
        );
      }
      if (!id && !flags.all) throw new PatchlineError("USAGE", "name a work item id, or use --all");
      if (id && flags.all) throw new PatchlineError("USAGE", "give either a work item id or --all, not both");
      await withContext(cmd.optsWithGlobals<GlobalOptions>(), async ({ store, policy, now }) => {
        let items = await store.workItems();
        if (items.length === 0) items = (await runTriage(store, policy.policy, now)).workItems;
        if (id) {
          const item = items.find((i) => i.id === id);
          if (!item)
            throw new PatchlineError(
              "NOT_FOUND",
              `no work item '${id}'; run 'patchline triage' to list them`,
            );
          items = [item];
        }
        // Handing off opens the record: each item not yet sent gets its "handoff-sent" event.
        const globals = cmd.optsWithGlobals<GlobalOptions & { as?: string }>();
        const actor =
          globals.as ?? process.env.PATCHLINE_ACTOR ?? securityActor(await store.owners(), policy.policy);
        await recordHandoffs(store, policy.policy, now, items, actor);
        if (flags.out) {
          const written = await writeHandoffs(items, format, flags.out);
          for (const w of written) process.stdout.write(`${w.path}\n`);
          return;
        }
        if (format === "json") {
          const docs = items.map((i) => JSON.parse(renderHandoff(i, "json")) as unknown);
          process.stdout.write(`${JSON.stringify(id ? docs[0] : docs, null, 2)}\n`);
          return;
        }
        process.stdout.write(items.map((i) => renderHandoff(i, format)).join("\n\n---\n\n"));
        process.stdout.write("\n");
      });
    });
}
