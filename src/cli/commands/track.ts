import type { Command } from "commander";
import { resolveActor } from "../../app/track/actor.js";
import { type Draft, recordEvent } from "../../app/track/record.js";
import { parseWhen } from "../../app/track/when.js";
import { addInZone } from "../../core/time.js";
import {
  BLOCKER_CATEGORIES,
  EVIDENCE_KIND_LIST as EVIDENCE_KINDS,
  FORENSIC_OUTCOMES,
  NOT_AFFECTED_JUSTIFICATIONS,
} from "../../core/track/payload.js";
import type { ForensicOutcome } from "../../core/track/types.js";
import type { FunctionalRole } from "../../core/types.js";
import { PatchlineError } from "../../errors.js";
import { type Context, type GlobalOptions, withContext } from "../context.js";

type Flags = Record<string, string | string[] | undefined>;

interface ActionSpec {
  /** Roles that usually take this action (the first the actor holds is used without --role). */
  roles: readonly FunctionalRole[];
  /** Builds the event from the flags, the actor's zone and the clock. */
  draft: (flags: Flags, ctx: { zone: string; now: string; actor: string }) => Omit<Draft, "actor" | "role">;
}

function text(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new PatchlineError(
      "USAGE",
      `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required`,
    );
  }
  return value.trim();
}

function optional(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function list(flags: Flags, name: string): string[] | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((v) => v.trim());
  return items.filter((v) => v !== "");
}

function oneOf<T extends string>(flags: Flags, name: string, allowed: readonly T[]): T {
  const value = text(flags, name);
  if (!allowed.includes(value as T)) {
    throw new PatchlineError("USAGE", `--${name} must be one of ${allowed.join(", ")}; got '${value}'`);
  }
  return value as T;
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

async function act(id: string, flags: Flags, cmd: Command, spec: ActionSpec): Promise<void> {
  const globals = cmd.optsWithGlobals<GlobalOptions & { as?: string; role?: string; reason?: string }>();
  await withContext(globals, async ({ store, policy, now }: Context) => {
    const owners = await store.owners();
    const actor = resolveActor(owners, globals.as ?? process.env.PATCHLINE_ACTOR, globals.role, spec.roles);
    const zone = owners.find((o) => o.id === actor.id)?.timeZone ?? policy.policy.defaultTimeZone;
    const draft = spec.draft(flags, { zone, now, actor: actor.id });
    const { record, events } = await recordEvent(store, policy.policy, now, id, {
      ...draft,
      actor: actor.id,
      role: actor.role,
      ...(globals.reason ? { reason: globals.reason } : {}),
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ record, events }, null, 2)}\n`);
      return;
    }
    for (const e of events)
      process.stdout.write(`${id}: ${e.type} by ${e.actor} (${e.role}), event ${e.seq}\n`);
    process.stdout.write(`${id}: now ${record.state}\n`);
  });
}

function action(
  parent: Command,
  name: string,
  description: string,
  spec: ActionSpec,
  options: string[][] = [],
) {
  const cmd = parent.command(name).description(description).argument("<id>", "work item id (WI-…)");
  cmd.option("--json", "print the recorded events and the record as JSON");
  for (const [flag, help, repeat] of options) {
    if (!flag || !help) continue;
    if (repeat) cmd.option(flag, help, (v: string, prev: string[] = []) => [...prev, v]);
    else cmd.option(flag, help);
  }
  cmd.action((id: string, flags: Flags, c: Command) => act(id, flags, c, spec));
  return cmd;
}

const SYSTEM: FunctionalRole[] = ["system-owner"];
const SECURITY: FunctionalRole[] = ["security"];

export function registerTrack(program: Command): void {
  program
    .option("--as <owner-id>", "who is acting (an owner id from the owners directory; or PATCHLINE_ACTOR)")
    .option("--role <role>", "the role the actor acts in, when they hold several")
    .option("--reason <text>", "why, recorded with the event");

  action(
    program,
    "ack",
    "acknowledge a handoff (system owner)",
    {
      roles: SYSTEM,
      draft: (f) => ({ type: "acknowledged", payload: compact({ note: optional(f, "note") }) }),
    },
    [["--note <text>", "optional note"]],
  );

  action(
    program,
    "progress",
    "report progress (system owner)",
    {
      roles: SYSTEM,
      draft: (f) => ({
        type: "progress",
        payload: compact({ note: text(f, "note"), assetsDone: list(f, "assets") }),
      }),
    },
    [
      ["--note <text>", "what happened"],
      ["--assets <ids>", "asset ids done (comma-separated)"],
    ],
  );

  action(
    program,
    "patched",
    "claim the fix is deployed; closure still needs evidence and verification (system owner)",
    {
      roles: SYSTEM,
      draft: (f) => ({
        type: "patched",
        payload: compact({
          version: optional(f, "deployed"),
          assets: list(f, "assets"),
          note: optional(f, "note"),
        }),
      }),
    },
    [
      ["--deployed <version>", "version deployed"],
      ["--assets <ids>", "asset ids patched"],
      ["--note <text>", "note"],
    ],
  );

  action(
    program,
    "block",
    "record a blocker (system or service owner)",
    {
      roles: ["system-owner", "service-owner"],
      draft: (f, { zone }) => ({
        type: "blocked",
        payload: {
          category: oneOf(f, "category", BLOCKER_CATEGORIES),
          blocker: text(f, "blocker"),
          risk: text(f, "risk"),
          temporaryControl: text(f, "temporaryControl"),
          owner: text(f, "owner"),
          nextReview: parseWhen(text(f, "nextReview"), zone, "--next-review"),
          unblocksWhen: text(f, "unblocksWhen"),
        },
      }),
    },
    [
      ["--category <category>", `technical, operational, approval, vendor or exception`],
      ["--blocker <text>", "what blocks the patch"],
      ["--risk <text>", "the risk while it is blocked"],
      ["--temporary-control <text>", "the control in place meanwhile"],
      ["--owner <owner-id>", "who owns clearing the blocker"],
      ["--next-review <date>", "when the blocker is reviewed again"],
      ["--unblocks-when <text>", "the approval, test result or fix that unblocks it"],
    ],
  );

  action(
    program,
    "unblock",
    "clear the blocker (system or service owner)",
    {
      roles: ["system-owner", "service-owner"],
      draft: (f) => ({ type: "unblocked", payload: { note: text(f, "note") } }),
    },
    [["--note <text>", "what unblocked it"]],
  );

  action(
    program,
    "not-affected",
    "answer a validation request: the asset group is not affected (system or service owner)",
    {
      roles: ["system-owner", "service-owner"],
      draft: (f) => ({
        type: "not-affected",
        payload: compact({
          justification: oneOf(f, "justification", NOT_AFFECTED_JUSTIFICATIONS),
          detail: text(f, "detail"),
          evidence: optional(f, "evidence"),
        }),
      }),
    },
    [
      ["--justification <j>", NOT_AFFECTED_JUSTIFICATIONS.join(", ")],
      ["--detail <text>", "what was checked, e.g. the build or configuration that rules it out"],
      ["--evidence <ref>", "where it is shown: ticket, report, file or URL"],
    ],
  );

  action(
    program,
    "mitigate",
    "record a mitigation while no fix exists (system owner)",
    {
      roles: SYSTEM,
      draft: (f) => ({
        type: "mitigated",
        payload: {
          mitigation: text(f, "mitigation"),
          residualRisk: text(f, "residualRisk"),
          socMonitoring: text(f, "soc"),
        },
      }),
    },
    [
      ["--mitigation <text>", "the mitigation applied"],
      ["--residual-risk <text>", "the risk that remains"],
      ["--soc <text>", "what the SOC monitors"],
    ],
  );

  const exception = program.command("exception").description("request, grant or deny an exception");
  action(
    exception,
    "request",
    "request an exception (system or service owner)",
    {
      roles: ["system-owner", "service-owner"],
      draft: (f, { zone }) => ({
        type: "exception-requested",
        payload: {
          justification: text(f, "justification"),
          compensatingControls: text(f, "controls"),
          expiry: parseWhen(text(f, "expiry"), zone, "--expiry"),
          reviewDate: parseWhen(text(f, "review"), zone, "--review"),
        },
      }),
    },
    [
      ["--justification <text>", "why the patch cannot move"],
      ["--controls <text>", "compensating controls"],
      ["--expiry <date>", "when the exception ends"],
      ["--review <date>", "when it is reviewed"],
    ],
  );
  action(
    exception,
    "grant",
    "grant the requested exception (governance only)",
    {
      roles: ["governance"],
      draft: (f, { zone }) => ({
        type: "exception-granted",
        payload: compact({
          expiry: parseWhen(text(f, "expiry"), zone, "--expiry"),
          reviewDate: parseWhen(text(f, "review"), zone, "--review"),
          conditions: optional(f, "conditions"),
        }),
      }),
    },
    [
      ["--expiry <date>", "when it ends"],
      ["--review <date>", "review date"],
      ["--conditions <text>", "conditions"],
    ],
  );
  action(
    exception,
    "deny",
    "deny the requested exception (governance only)",
    {
      roles: ["governance"],
      draft: (f) => ({ type: "exception-denied", payload: { note: text(f, "note") } }),
    },
    [["--note <text>", "why it is denied"]],
  );

  const evidence = program.command("evidence").description("closure and forensic evidence");
  action(
    evidence,
    "add",
    "add evidence (system owner or security)",
    {
      roles: ["system-owner", "security"],
      draft: (f, { zone, now, actor }) => {
        const outcome = optional(f, "outcome");
        if (outcome && !FORENSIC_OUTCOMES.includes(outcome as ForensicOutcome)) {
          throw new PatchlineError(
            "USAGE",
            `--outcome must be no-evidence, suspected or confirmed; got '${outcome}'`,
          );
        }
        const observed = optional(f, "observedAt");
        return {
          type: "evidence-added",
          payload: compact({
            kind: oneOf(f, "kind", EVIDENCE_KINDS),
            reference: text(f, "reference"),
            observedAt: observed ? parseWhen(observed, zone, "--observed-at") : now,
            attestedBy: optional(f, "attestedBy") ?? actor,
            assets: list(f, "assets"),
            version: optional(f, "versionSeen"),
            outcome: outcome as ForensicOutcome | undefined,
          }),
        };
      },
    },
    [
      ["--kind <kind>", EVIDENCE_KINDS.join(", ")],
      ["--reference <ref>", "ticket, report, file or URL"],
      ["--observed-at <when>", "when the evidence was taken (default: now)"],
      ["--attested-by <owner-id>", "who attests it (default: the actor)"],
      ["--assets <ids>", "asset ids it covers"],
      ["--version-seen <version>", "version the evidence shows"],
      ["--outcome <outcome>", "forensic decision: no-evidence, suspected, confirmed"],
    ],
  );

  action(
    program,
    "verify",
    "confirm the fix from the evidence (security)",
    {
      roles: SECURITY,
      draft: (f) => ({ type: "verified", payload: compact({ note: optional(f, "note") }) }),
    },
    [["--note <text>", "note"]],
  );

  action(
    program,
    "monitor",
    "start the monitoring window after verification (security)",
    {
      roles: SECURITY,
      draft: (f, { zone, now }) => {
        const window = text(f, "window");
        const reopenOn = list(f, "reopenOn") ?? [];
        if (reopenOn.length === 0)
          throw new PatchlineError("USAGE", "--reopen-on is required (repeat it for each condition)");
        return {
          type: "monitoring-started",
          payload: {
            watched: text(f, "watch"),
            owner: text(f, "owner"),
            window,
            endsAt: addInZone(now, window, zone),
            reopenOn,
          },
        };
      },
    },
    [
      ["--watch <text>", "what is watched"],
      ["--owner <owner-id>", "who owns the watch"],
      ["--window <duration>", "how long, e.g. 14d"],
      ["--reopen-on <condition>", "a condition that reopens the item (repeatable)", "repeat"],
    ],
  );

  action(
    program,
    "reopen",
    "reopen a work item (security)",
    {
      roles: SECURITY,
      draft: (f) => ({
        type: "reopened",
        payload: compact({ why: text(f, "why"), source: optional(f, "source") }),
      }),
    },
    [
      ["--why <text>", "what happened"],
      ["--source <text>", "the report or signal that showed it"],
    ],
  );

  action(
    program,
    "close",
    "close a verified, monitored item (security)",
    {
      roles: SECURITY,
      draft: (f) => ({ type: "closed", payload: compact({ note: optional(f, "note") }) }),
    },
    [["--note <text>", "note"]],
  );
}
