import type { Command } from "commander";
import { boardText } from "../../app/board.js";
import { resolveNow } from "../../app/clock.js";
import { runDemo } from "../../app/demo.js";
import { resolvePolicy } from "../../app/policy.js";
import { renderHandoff } from "../../core/render/index.js";
import { formatUtc } from "../../core/time.js";
import { resolveStoreOptions } from "../../store/index.js";
import type { GlobalOptions } from "../context.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("run the whole job on the shipped example data (fresh embedded database)")
    .option("--out <dir>", "where to write the handoffs", "out/demo")
    .action(async (flags: { out: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const now = resolveNow(globals.now);
      const policy = resolvePolicy(globals.policy);
      const store = resolveStoreOptions(process.env, { db: globals.db ?? ".patchline/demo.db" });
      const result = await runDemo({ store, fresh: true, policy: policy.policy, now, outDir: flags.out });
      const w = (s: string) => process.stdout.write(s);

      w("1. Import\n");
      for (const r of result.imports) {
        w(
          r.errors.length
            ? `   ✗ ${r.errors.join("; ")}\n`
            : `   ${r.file}: ${r.format}, ${r.records} read, ${r.added} added\n`,
        );
      }
      w("\n2. Triage\n\n");
      w(boardText(result.triage.workItems, now, policy.source));
      const clean = result.lint.filter((l) => l.ok).length;
      w(
        `\n3. Handoffs: ${result.handoffs.length} written to ${flags.out}/ — ${clean} of ${result.lint.length} pass lint\n`,
      );
      for (const l of result.lint.filter((x) => !x.ok)) {
        w(`   ✗ ${l.file}: ${l.findings.map((f) => f.check).join(", ")}\n`);
      }
      const first = result.triage.workItems.find((i) => i.lane === "patch-now");
      const validation = result.triage.workItems.find((i) => i.lane === "validate");
      for (const item of [first, validation]) {
        if (!item) continue;
        w(
          `\n--- ${item.lane === "validate" ? "a validation request" : "a patch-now handoff"} (${item.id}) ---\n\n`,
        );
        w(renderHandoff(item, "text"));
        w("\n");
      }
      if (result.walk) {
        w(`\n4. One emergency from handoff to closure: ${result.walk.itemId} (${result.walk.advisoryId})\n`);
        for (const step of result.walk.steps) {
          w(`\n   ${formatUtc(step.at)} — ${step.title}\n`);
          if (step.shown) w(`\n${indent(step.shown.text)}\n`);
        }
        w(
          `\n   The whole timeline: patchline --db ${store.path ?? ".patchline/demo.db"} show ${result.walk.itemId}\n`,
        );
      }
      if (result.imports.some((r) => r.errors.length) || clean !== result.lint.length) process.exitCode = 1;
    });
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => (l ? `      ${l}` : l))
    .join("\n");
}
