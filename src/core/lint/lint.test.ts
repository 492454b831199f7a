import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { patchNowItem, validateItem } from "../render/fixtures.js";
import { renderHandoff } from "../render/index.js";
import { type LintFinding, type LintResult, lintHandoff } from "./lint.js";

/** A hand-written patch-now handoff in Markdown that meets every check. */
const GOOD = `# Patch owner handoff – CVE-2024-3400 (PAN-OS GlobalProtect)

## Action requested
Patch now: upgrade fw-edge-01 and fw-edge-02 to PAN-OS 11.1.2-h3 by the deadline below.

## Scope
- Assets: fw-edge-01, fw-edge-02 (production, internet-facing, PAN-OS 11.1.2)
- Business service: Remote access VPN

## Owners
- System owner (executes): Network Engineering, Dana Ruiz (America/New_York)
- Service owner (approves the emergency change): Maria Chen
- Security: Priya Shah, Vulnerability Management
- Governance / risk (exceptions): Lee Park

## Why this matters
Listed in CISA KEV on 2024-04-12 with known ransomware use; active exploitation; internet-facing edge VPN gateways.

## Fix or workaround
Upgrade to PAN-OS 11.1.2-h3 (https://security.paloaltonetworks.com/CVE-2024-3400). Until then apply Threat ID 95187.

## Deadline or window
2024-04-19 23:59 EDT (America/New_York), which is 2024-04-20 03:59 UTC.

## Change notes
- Testing: upgrade the lab pair fw-lab-01/02 first
- Rollback: boot the previous PAN-OS image (about 15 minutes per node)
- Reboot: each node reboots once
- Dependencies: HA pair, upgrade the passive node first
- Maintenance window: 2024-04-16 22:00 to 2024-04-17 02:00 EDT

## If blocked
- Temporary control: Threat Prevention with Threat ID 95187 on the GlobalProtect interface
- Monitoring: SOC watches GlobalProtect logs for exploitation attempts
- Exception path: request to Risk and Compliance (Lee Park)
- Review date: 2024-04-18

## Closure evidence needed
Installed version from "show system info", the change ticket, a rescan with no finding, and the validation timestamp.

## Next update due
2024-04-16 09:00 EDT (America/New_York), status from Dana Ruiz.
`;

/** GOOD with one section's body replaced (or the section removed when body is null). */
function withSection(heading: string, body: string | null, text = GOOD): string {
  const start = text.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const afterHeading = start + heading.length + 4;
  const next = text.indexOf("\n## ", afterHeading);
  const end = next < 0 ? text.length : next + 1;
  return body === null
    ? text.slice(0, start) + text.slice(end)
    : `${text.slice(0, afterHeading)}${body}\n\n${text.slice(end)}`;
}

function only(result: LintResult, check: string): LintFinding[] {
  return result.findings.filter((f) => f.check === check);
}

function checks(result: LintResult): string[] {
  return [...new Set(result.findings.map((f) => f.check))].sort();
}

describe("a well-formed hand-written handoff", () => {
  it("passes every check in Markdown", () => {
    const result = lintHandoff(GOOD);
    expect(result).toEqual({ ok: true, kind: "handoff", findings: [] });
  });

  it("passes as plain text with capitalised headings, colons and no markup", () => {
    const text = GOOD.replace(/^# /m, "")
      .replace(/^## (.*)$/gm, (_, h: string) => `${h.toUpperCase()}:`)
      .replace(/^- /gm, "");
    expect(text).toContain("WHY THIS MATTERS:\n");
    expect(lintHandoff(text).findings).toEqual([]);
  });
});

describe("the seed's own copy template", () => {
  const seed = readFileSync(path.resolve("../shared/seeds/000_ec1e103cedf0881f.txt"), "utf8");
  const template = seed.split("\n").find((l) => l.startsWith("Patch owner handoff - [CVE/advisory]")) ?? "";

  it("as published, with its [slots] unfilled, fails every handoff check", () => {
    expect(template).toContain("Deadline or window: [date/window/review trigger].");
    const result = lintHandoff(template);
    expect(checks(result)).toEqual([
      "change-aware",
      "closure-defined",
      "concrete-deadline",
      "fallback-included",
      "next-update-stated",
      "owner-ready",
      "owners-named",
      "trigger-stated",
    ]);
  });

  it("filled in properly on one line, passes", () => {
    const fills = [
      "CVE-2024-3400",
      "patch now",
      "fw-edge-01 and fw-edge-02 (PAN-OS 11.1.2 with GlobalProtect, production, internet-facing); system owner Network Engineering (Dana Ruiz) executes; service owner Maria Chen approves the emergency change",
      "listed in CISA KEV on 2024-04-12 with known ransomware use; active exploitation; internet-facing edge VPN gateways; source confidence high",
      "upgrade to PAN-OS 11.1.2-h3 (https://security.paloaltonetworks.com/CVE-2024-3400); until then apply Threat ID 95187",
      "2024-04-19 17:00 UTC (13:00 EDT, America/New_York); next update due 2024-04-16 15:00 UTC; review if the vendor changes its guidance",
      "tested on the lab pair fw-lab-01; rollback by booting the previous PAN-OS image; reboot required (about 15 minutes per node); dependency: HA pair fails over, upgrade the passive node first; maintenance window 2024-04-17 02:00 to 04:00 EDT; no known issues",
      "temporary control is Threat Prevention with Threat ID 95187 on the GlobalProtect interface; SOC monitors GlobalProtect logs for exploitation attempts; exception requests go to Governance (Lee Park); review date 2024-04-18",
      "show system info output with the PAN-OS version, the change ticket deployment record, a rescan showing no finding, and a validation timestamp",
      "a KEV listing is not proof of compromise",
    ];
    let i = 0;
    const filled = template.replace(/\[[^\]]*\]/g, () => fills[i++] ?? "");
    expect(i).toBe(fills.length);
    expect(filled.split("\n")).toHaveLength(1);
    const result = lintHandoff(filled);
    expect(result.findings).toEqual([]);
    expect(result.kind).toBe("handoff");
  });
});

describe("bad handoffs fail the intended check with the fix", () => {
  it("'Patch ASAP' as the deadline", () => {
    const text = withSection("Deadline or window", "ASAP", withSection("Action requested", "Patch ASAP."));
    const found = only(lintHandoff(text), "concrete-deadline");
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("given as 'ASAP'");
    expect(found[0]?.fix).toBe("Replace 'ASAP' with a date, time and zone, e.g. 2026-11-26 17:00 UTC.");
  });

  it("'today', 'end of day' and 'urgently' with no date", () => {
    for (const word of [
      "today",
      "end of day",
      "urgently",
      "as soon as possible",
      "EOD",
      "tonight",
      "immediately",
    ]) {
      const found = only(
        lintHandoff(withSection("Deadline or window", `Patch ${word}.`)),
        "concrete-deadline",
      );
      expect(
        found.map((f) => f.fix),
        word,
      ).toEqual([`Replace '${word}' with a date, time and zone, e.g. 2026-11-26 17:00 UTC.`]);
    }
  });

  it("accepts 'end of day' when the date and zone are given with it", () => {
    const text = withSection("Deadline or window", "KEV due date 2024-04-19, end of day America/New_York.");
    expect(only(lintHandoff(text), "concrete-deadline")).toEqual([]);
  });

  it("a deadline without a time zone", () => {
    const found = only(
      lintHandoff(withSection("Deadline or window", "2024-04-19 17:00")),
      "concrete-deadline",
    );
    expect(found.map((f) => f.message)).toEqual(["The deadline '2024-04-19 17:00' has no time zone."]);
    expect(found[0]?.fix).toBe("Give the deadline as a date, time and zone, e.g. 2026-11-26 17:00 UTC.");
  });

  it("a deadline without a time of day", () => {
    const found = only(
      lintHandoff(withSection("Deadline or window", "Friday 19 April 2024, UTC")),
      "concrete-deadline",
    );
    expect(found[0]?.message).toBe("The deadline 'Friday 19 April 2024, UTC' has no time of day.");
  });

  it("no owner anywhere", () => {
    const text = withSection("Owners", null).replace("status from Dana Ruiz", "status to follow");
    const result = lintHandoff(text);
    expect(only(result, "owners-named").map((f) => f.message)).toEqual([
      "No one is named to execute the change (system owner).",
      "No one is named to approve the emergency change (service owner).",
    ]);
    expect(only(result, "owners-named")[0]?.fix).toBe(
      "Name the system owner who executes it, e.g. 'System owner (executes): Network Engineering — Dana Ruiz'.",
    );
    expect(only(result, "owner-ready").map((f) => f.message)).toEqual([
      "Does not name the owner who executes the change.",
    ]);
  });

  it("owners given as TBD", () => {
    const found = only(lintHandoff(withSection("Owners", "TBD")), "owners-named");
    expect(found.map((f) => f.message)).toEqual(["The Owners section only says 'TBD'."]);
  });

  it("a role without a name", () => {
    const found = only(
      lintHandoff(withSection("Owners", "- System owner: TBD\n- Service owner: Maria Chen")),
      "owners-named",
    );
    expect(found.map((f) => f.message)).toEqual([
      "The owner who executes is not named: 'System owner: TBD'.",
    ]);
  });

  it("a patch-now order without an approver; a planned patch does not need one", () => {
    const owners = "- System owner (executes): Network Engineering, Dana Ruiz";
    const now = only(lintHandoff(withSection("Owners", owners)), "owners-named");
    expect(now.map((f) => f.message)).toEqual([
      "No one is named to approve the emergency change (service owner).",
    ]);
    const planned = withSection(
      "Action requested",
      "Patch in window: include PAN-OS 11.1.2-h3 in the next patch window.",
      withSection("Owners", owners),
    );
    expect(only(lintHandoff(planned), "owners-named")).toEqual([]);
  });

  it("no rollback", () => {
    const change =
      "- Testing: lab pair first\n- Reboot: once per node\n- Dependencies: HA pair\n- Maintenance window: 2024-04-16 22:00 EDT";
    const found = only(lintHandoff(withSection("Change notes", change)), "change-aware");
    expect(found.map((f) => f.message)).toEqual(["Change notes do not cover rollback."]);
    expect(found[0]?.fix).toBe(
      "State the rollback path (how to revert and how long it takes) under Change notes.",
    );
  });

  it("rollback marked not provided, and 'no rollback'", () => {
    const provided = GOOD.replace(
      "Rollback: boot the previous PAN-OS image (about 15 minutes per node)",
      "Rollback: not provided",
    );
    expect(only(lintHandoff(provided), "change-aware").map((f) => f.message)).toEqual([
      "Change notes leave rollback empty: 'Rollback: not provided'.",
    ]);
    const none = GOOD.replace(
      "Rollback: boot the previous PAN-OS image (about 15 minutes per node)",
      "Rollback: none",
    );
    expect(only(lintHandoff(none), "change-aware")).toHaveLength(1);
  });

  it("change notes with only n/a", () => {
    const found = only(lintHandoff(withSection("Change notes", "n/a")), "change-aware");
    expect(found.map((f) => f.message)).toEqual(["Change notes only say 'n/a'."]);
  });

  it("'done when patched'", () => {
    const found = only(
      lintHandoff(withSection("Closure evidence needed", "Done when patched.")),
      "closure-defined",
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toBe(
      "Closure is defined only as 'Done when patched': that says a patch was attempted, not what proves it.",
    );
    expect(found[0]?.fix).toContain("installed version evidence, deployment record or change ticket");
  });

  it("no next update", () => {
    const found = only(lintHandoff(withSection("Next update due", null)), "next-update-stated");
    expect(found.map((f) => f.message)).toEqual(["No next update time is stated."]);
    expect(found[0]?.fix).toBe(
      "State when the next update is due with a date, time and zone, e.g. 'Next update due: 2026-11-26 17:00 UTC'.",
    );
  });

  it("a next update of 'tomorrow morning'", () => {
    const found = only(
      lintHandoff(withSection("Next update due", "Tomorrow morning.")),
      "next-update-stated",
    );
    expect(found.map((f) => f.message)).toEqual(["No next update time is stated: 'Tomorrow morning'."]);
  });

  it("no trigger for the urgency", () => {
    const found = only(
      lintHandoff(withSection("Why this matters", "High priority, please prioritise.")),
      "trigger-stated",
    );
    expect(found.map((f) => f.message)).toEqual([
      "The reason for urgency names no trigger: 'High priority, please prioritise'.",
    ]);
    expect(found[0]?.fix).toContain("Listed in CISA KEV on 2024-04-12");
  });

  it("'If blocked: n/a'", () => {
    const found = only(lintHandoff(withSection("If blocked", "n/a")), "fallback-included");
    expect(found.map((f) => f.message)).toEqual(["'If blocked' only says 'n/a'."]);
  });

  it("a fallback with no review date", () => {
    const found = only(
      lintHandoff(GOOD.replace("- Review date: 2024-04-18\n", "- Review date: TBD\n")),
      "fallback-included",
    );
    expect(found.map((f) => f.message)).toEqual([
      "The fallback notes leave a review date empty: 'Review date: TBD'.",
    ]);
    expect(found[0]?.fix).toBe("Give a review date, e.g. 'Review date: 2026-12-01'.");
  });

  it("no fix path", () => {
    const found = only(lintHandoff(withSection("Fix or workaround", "not provided")), "owner-ready");
    expect(found.map((f) => f.message)).toEqual(["The fix path only says 'not provided'."]);
  });

  it("an unstructured note fails the checks it cannot meet", () => {
    const result = lintHandoff(
      "Hi team, please patch the VPN boxes ASAP because of the new Palo Alto bug. Thanks!",
    );
    expect(result.ok).toBe(false);
    expect(checks(result)).toEqual([
      "change-aware",
      "closure-defined",
      "concrete-deadline",
      "fallback-included",
      "next-update-stated",
      "owner-ready",
      "owners-named",
      "trigger-stated",
    ]);
    expect(only(result, "concrete-deadline")[0]?.message).toContain("'ASAP'");
  });
});

describe("JSON handoffs", () => {
  const rendered = () => JSON.parse(renderHandoff(patchNowItem(), "json")) as Record<string, unknown>;

  it("missing keys fail with the keys named", () => {
    const doc = rendered();
    delete doc.owners;
    delete doc.nextUpdate;
    delete doc.cadence;
    const result = lintHandoff(JSON.stringify(doc, null, 2));
    expect(only(result, "json-keys").map((f) => f.message)).toEqual([
      "The JSON handoff lacks keys 'owners', 'nextUpdate', 'cadence'.",
    ]);
    expect(only(result, "json-keys")[0]?.fix).toContain("a patchline.handoff/1 document carries every key");
    expect(only(result, "next-update-stated").map((f) => f.message)).toEqual([
      "No next update time is stated.",
    ]);
  });

  it("null values fail their checks as missing content", () => {
    const doc = rendered();
    doc.change = { ...(doc.change as object), rollback: null };
    doc.deadline = null;
    const result = lintHandoff(JSON.stringify(doc));
    expect(only(result, "change-aware").map((f) => f.message)).toEqual([
      "Change notes leave rollback empty: 'rollback: null'.",
    ]);
    expect(only(result, "concrete-deadline").map((f) => f.message)).toEqual([
      "The deadline only says 'null'.",
    ]);
  });

  it("a hand-written JSON handoff is checked by its keys", () => {
    const result = lintHandoff(
      JSON.stringify({
        action: "Patch ASAP",
        owner: "Dana Ruiz",
        why: "KEV",
        fix: "11.1.2-h3",
        deadline: "ASAP",
      }),
    );
    expect(only(result, "concrete-deadline").map((f) => f.fix)).toEqual([
      "Replace 'ASAP' with a date, time and zone, e.g. 2026-11-26 17:00 UTC.",
    ]);
    expect(only(result, "json-keys")).toEqual([]);
    expect(only(result, "trigger-stated")).toEqual([]);
  });

  it("invalid JSON in a .json file is one clear finding", () => {
    const result = lintHandoff('{"schema": "patchline.handoff/1", ', { fileName: "handoff.json" });
    expect(result.ok).toBe(false);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]?.check).toBe("format");
    expect(result.findings[0]?.message).toMatch(/^handoff\.json is not valid JSON: /);
  });
});

describe("validation requests", () => {
  const GOOD_REQUEST = `# Validation request — CVE-2023-34362

## What we need confirmed
Confirm whether mft-01 runs an affected MOVEit Transfer build. Do not schedule patching until the version is clear.

## Why we are asking
Listed in CISA KEV on 2023-06-02; this would be a patch-now order but the fixed version is unknown.

## Missing information
| Field | What is missing | Who must supply it |
| --- | --- | --- |
| Fixed version | installed release line | System owner — Aiko Tanaka |
| Maintenance window | none agreed with partners | Service owner — Hannah Brooks |

## Answer needed by
2023-06-07 17:00 JST (Asia/Tokyo)

## Owners
- System owner (answers): File Transfer Operations, Aiko Tanaka

## Next update due
2023-06-06 17:00 JST (Asia/Tokyo)
`;

  it("a complete request passes", () => {
    expect(lintHandoff(GOOD_REQUEST)).toEqual({ ok: true, kind: "validation-request", findings: [] });
  });

  it("a missing field without a supplier fails", () => {
    const text = GOOD_REQUEST.replace("| System owner — Aiko Tanaka |", "| TBD |");
    const found = only(lintHandoff(text), "missing-supplier");
    expect(found.map((f) => f.message)).toEqual([
      "Missing field 'Fixed version' does not say who must supply it.",
    ]);
    expect(found[0]?.fix).toBe("Name the role and owner who supplies it, e.g. 'System owner — Dana Ruiz'.");
  });

  it("a list without a supplier column must name the role in each line", () => {
    const text = GOOD_REQUEST.replace(
      /\| Field[\s\S]*Hannah Brooks \|\n/,
      "- Fixed version: installed release line, supplied by the system owner (Aiko Tanaka)\n- Maintenance window: none agreed\n",
    );
    expect(only(lintHandoff(text), "missing-supplier").map((f) => f.message)).toEqual([
      "Missing field 'Maintenance window' does not say who must supply it.",
    ]);
  });

  it("applies only its own checks: no change notes or closure needed, but a named owner is", () => {
    const noNames = GOOD_REQUEST.replace(/## Owners[\s\S]*?\n\n/, "")
      .replace("System owner — Aiko Tanaka", "System owner")
      .replace("Service owner — Hannah Brooks", "Service owner");
    const result = lintHandoff(noNames);
    expect(checks(result)).toEqual(["owners-named"]);
    expect(result.findings.map((f) => f.message)).toEqual([
      "The owner who executes is not named: 'System owner'.",
    ]);
  });

  it("a rendered request whose supplier was removed fails, in JSON too", () => {
    const doc = JSON.parse(renderHandoff(validateItem(), "json")) as { missing: Record<string, unknown>[] };
    doc.missing[0] = { ...doc.missing[0], supplier: "", supplierOwner: null, supplierName: null };
    const result = lintHandoff(JSON.stringify(doc));
    expect(result.kind).toBe("validation-request");
    expect(only(result, "missing-supplier").map((f) => f.message)).toEqual([
      "Missing field 'Fixed version' does not say who must supply it.",
    ]);
  });
});

describe("status updates and edge input", () => {
  it("a status update is checked for owners, deadline and next update only", () => {
    const update = [
      "Status update — CVE-2024-3400",
      "Owners: Network Engineering (Dana Ruiz) executes; Maria Chen approves.",
      "Deadline: 2024-04-19 23:59 EDT (America/New_York).",
      "Next update: 2024-04-17 09:00 EDT (America/New_York).",
    ].join("\n");
    expect(lintHandoff(update)).toEqual({ ok: true, kind: "update", findings: [] });
  });

  it("empty input is one finding, never a crash", () => {
    expect(lintHandoff("   \n")).toEqual({
      ok: false,
      kind: "handoff",
      findings: [expect.objectContaining({ check: "format", message: "The handoff is empty." })],
    });
  });

  it("binary-looking or odd input returns findings instead of throwing", () => {
    for (const odd of ["\u0000\u0001\u0002", "{", "null", "[1,2,3]", "#".repeat(5000), "|".repeat(300)]) {
      const result = lintHandoff(odd);
      expect(result.ok, JSON.stringify(odd.slice(0, 10))).toBe(false);
    }
  });
});
