import type { Command } from "commander";
import { advanceClock } from "../../app/track/record.js";
import { loadCase, loadTracked } from "../../app/track/view.js";
import { type Audience, renderUpdate } from "../../core/render/updates/index.js";
import { formatLocal, formatUtc } from "../../core/time.js";
import { dueCheckpoints } from "../../core/track/due.js";
import { PatchlineError } from "../../errors.js";
import { type GlobalOptions, withContext } from "../context.js";

const AUDIENCES: readonly Audience[] = ["ops", "leadership", "service-owner"];

export function registerRecord(program: Command): void {
  program
    .command("show")
    .description("one work item: its state and the whole timeline of events")
    .argument("<id>", "work item id (WI-…)")
    .option("--json", "print the record and events as JSON")
    .action(async (id: string, flags: { json?: boolean }, cmd: Command) => {
      await withContext(cmd.optsWithGlobals<GlobalOptions>(), async ({ store }) => {
        const item = await store.workItem(id);
        if (!item)
          throw new PatchlineError("NOT_FOUND", `no work item '${id}'; run 'patchline triage' to list them`);
        const record = await store.itemRecord(id);
        const events = await store.events(id);
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ workItem: item, record: record ?? null, events }, null, 2)}\n`,
          );
          return;
        }
        const zone = item.deadline?.zone ?? item.owner.timeZone;
        const w = (s: string) => process.stdout.write(`${s}\n`);
        w(`${item.id} — ${item.advisory.id}: ${item.advisory.title}`);
        w(`  asset group ${item.assetGroup}, owner ${item.owner.name} (${zone})`);
        w(`  lane ${record?.lane ?? item.lane}, state ${record?.state ?? "not handed off yet"}`);
        if (item.deadline)
          w(`  deadline ${formatLocal(item.deadline.at, zone)} (${formatUtc(item.deadline.at)})`);
        if (record?.blocker) w(`  blocked (${record.blocker.category}): ${record.blocker.blocker}`);
        if (record?.exception)
          w(`  exception ${record.exception.status}, expires ${formatUtc(record.exception.expiry)}`);
        if (record?.monitoring)
          w(`  monitoring until ${formatUtc(record.monitoring.endsAt)}: ${record.monitoring.watched}`);
        if (record?.notAffected) {
          const na = record.notAffected;
          w(`  not affected (${na.justification}), recorded by ${na.recordedBy} (${na.role}): ${na.detail}`);
          if (na.evidence) w(`  evidence: ${na.evidence}`);
        }
        w("");
        w("Timeline");
        if (events.length === 0) w("  (no events)");
        for (const e of events) {
          const why = e.reason ? ` — ${e.reason}` : "";
          w(
            `  ${String(e.seq).padStart(3)}  ${formatLocal(e.at, zone)}  ${e.type} by ${e.actor} (${e.role})${why}`,
          );
          const details = Object.entries(e.payload as Record<string, unknown>)
            .filter(([k]) => k !== "cadence")
            .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`);
          if (details.length > 0) w(`       ${details.join("; ")}`);
        }
      });
    });

  program
    .command("due")
    .description("every checkpoint due or overdue across work items, oldest first, with whom to escalate to")
    .option("--json", "print as JSON")
    .option("--horizon <duration>", "also list checkpoints due within this long", "24h")
    .action(async (flags: { json?: boolean; horizon: string }, cmd: Command) => {
      await withContext(cmd.optsWithGlobals<GlobalOptions>(), async ({ store, policy, now }) => {
        await advanceClock(store, policy.policy, now);
        const due = dueCheckpoints(await loadTracked(store), now, { horizon: flags.horizon });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(due, null, 2)}\n`);
          return;
        }
        if (due.length === 0) process.stdout.write("nothing due\n");
        const names = new Map((await store.owners()).map((o) => [o.id, o.name]));
        for (const d of due) {
          const flag = d.overdue ? "OVERDUE" : "due    ";
          const to = d.escalateTo ? (names.get(d.escalateTo) ?? d.escalateTo) : undefined;
          const esc = d.overdue && to ? ` → escalate to ${to}` : "";
          process.stdout.write(
            `${flag} ${formatUtc(d.due)} (${formatLocal(d.due, d.zone)})  ${d.workItemId} ${d.advisoryId} ${d.assetGroup}  ${d.kind}, ${d.owner}${esc}\n`,
          );
        }
      });
    });

  program
    .command("update")
    .description("the update for one audience, rendered from the case record")
    .argument("<case>", "case id (CASE-…) or advisory id")
    .option("--audience <audience>", AUDIENCES.join(", "), "ops")
    .option("--format <format>", "md, text or json", "md")
    .action(async (ref: string, flags: { audience: string; format: string }, cmd: Command) => {
      if (!AUDIENCES.includes(flags.audience as Audience)) {
        throw new PatchlineError(
          "USAGE",
          `--audience must be one of ${AUDIENCES.join(", ")}; got '${flags.audience}'`,
        );
      }
      if (!["md", "text", "json"].includes(flags.format)) {
        throw new PatchlineError("USAGE", `--format must be md, text or json; got '${flags.format}'`);
      }
      await withContext(cmd.optsWithGlobals<GlobalOptions>(), async ({ store, now }) => {
        const view = await loadCase(store, ref, now);
        process.stdout.write(
          `${renderUpdate({ ...view, now }, flags.audience as Audience, flags.format as "md" | "text" | "json")}\n`,
        );
      });
    });

  const audit = program.command("audit").description("tamper evidence of the event record");
  audit
    .command("verify")
    .description("recompute every event chain; report edited or deleted events")
    .action(async (_flags: unknown, cmd: Command) => {
      await withContext(cmd.optsWithGlobals<GlobalOptions>(), async ({ store }) => {
        const r = await store.auditVerify();
        for (const p of r.problems) process.stdout.write(`✗ ${p.workItemId} event ${p.seq}: ${p.reason}\n`);
        process.stdout.write(
          `${r.chains} chains, ${r.events} events: ${r.problems.length === 0 ? "intact" : `${r.problems.length} problems`}\n`,
        );
        if (r.problems.length > 0) process.exitCode = 1;
      });
    });
}
