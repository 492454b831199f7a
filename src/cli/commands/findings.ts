import { once } from "node:events";
import type { Command } from "commander";
import { type FindingRow, visitFindings } from "../../app/findings.js";
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
      const tally = { all: 0, present: 0, assets: new Set<string>(), unknown: new Set<string>() };
      const out = process.stdout;
      const write = async (text: string) => {
        if (!out.write(text)) await once(out, "drain");
      };
      await withContext(cmd.optsWithGlobals<GlobalOptions>(), ({ store, policy }) =>
        visitFindings(
          store,
          policy.policy,
          {
            state: state as (typeof STATES)[number],
            ...(flags.vuln !== undefined ? { vuln: flags.vuln } : {}),
            ...(flags.asset !== undefined ? { asset: flags.asset } : {}),
            ...(flags.scanner !== undefined ? { scanner: flags.scanner } : {}),
          },
          async (r) => {
            tally.all++;
            if (r.state === "present") tally.present++;
            tally.assets.add(r.asset);
            if (r.inventoryAsset === undefined) tally.unknown.add(r.asset);
            await write(flags.json ? `${JSON.stringify(r)}\n` : `${line(r)}\n`);
          },
        ),
      );
      if (!flags.json) {
        await write(
          `${plural(tally.all, "finding")}: ${tally.present} present, ${tally.all - tally.present} gone, on ${plural(tally.assets.size, "asset")}` +
            (tally.unknown.size > 0 ? ` (${tally.unknown.size} not in the inventory)` : "") +
            "\n",
        );
      }
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
