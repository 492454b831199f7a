import type { Command } from "commander";
import { type FindingRow, listFindings } from "../../app/findings.js";
import { plural } from "../../core/render/updates/common.js";
import { PatchlineError } from "../../errors.js";
import { type GlobalOptions, withContext } from "../context.js";

interface FindingsFlags {
  vuln?: string;
  asset?: string;
  scanner?: string;
  state?: string;
  json?: boolean;
}

const STATES = ["present", "gone", "all"] as const;

export function registerFindings(program: Command): void {
  program
    .command("findings")
    .description(
      "what the scanners reported: findings present (or gone since a later report covered the asset)",
    )
    .option("--vuln <id>", "one vulnerability (CVE, GHSA or the scanner's id; aliases count)")
    .option("--asset <id>", "one asset: an inventory asset id or a scanned asset key")
    .option("--scanner <name>", "one scanner (trivy, grype, nessus, …)")
    .option("--state <state>", `present, gone or all (default present)`)
    .option("--json", "print one JSON object per finding")
    .action(async (flags: FindingsFlags, cmd: Command) => {
      const state = flags.state ?? "present";
      if (!(STATES as readonly string[]).includes(state)) {
        throw new PatchlineError("USAGE", `--state must be one of ${STATES.join(", ")}; got '${state}'`);
      }
      const rows = await withContext(cmd.optsWithGlobals<GlobalOptions>(), ({ store, policy }) =>
        listFindings(store, policy.policy, {
          state: state as (typeof STATES)[number],
          ...(flags.vuln !== undefined ? { vuln: flags.vuln } : {}),
          ...(flags.asset !== undefined ? { asset: flags.asset } : {}),
          ...(flags.scanner !== undefined ? { scanner: flags.scanner } : {}),
        }),
      );
      if (flags.json) {
        for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      for (const r of rows) process.stdout.write(`${line(r)}\n`);
      process.stdout.write(`${summary(rows)}\n`);
    });
}

function line(r: FindingRow): string {
  const where = r.inventoryAsset ? `${r.asset} (${r.inventoryAsset})` : `${r.asset} (not in the inventory)`;
  const what = r.package ? `${r.package}${r.installed ? ` ${r.installed}` : ""}` : (r.port ?? "");
  const fix = r.fixed.length > 0 ? ` → ${r.fixed.join(", ")}` : "";
  const when = r.state === "gone" ? `gone since ${r.goneAt}` : `last seen ${r.lastSeen}`;
  return [r.state.padEnd(7), r.vulnId, where, `${what}${fix}`.trim(), r.severity, r.scanner, when]
    .filter((part) => part !== "")
    .join("  ");
}

function summary(rows: readonly FindingRow[]): string {
  const present = rows.filter((r) => r.state === "present").length;
  const assets = new Set(rows.map((r) => r.asset));
  const unknown = new Set(rows.filter((r) => r.inventoryAsset === undefined).map((r) => r.asset));
  return (
    `${plural(rows.length, "finding")}: ${present} present, ${rows.length - present} gone, on ${plural(assets.size, "asset")}` +
    (unknown.size > 0 ? ` (${unknown.size} not in the inventory)` : "")
  );
}
