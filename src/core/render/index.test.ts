import { describe, expect, it } from "vitest";
import { lintHandoff } from "../lint/lint.js";
import { formatLocal, formatUtc } from "../time.js";
import type { WorkItem } from "../types.js";
import {
  blockedItem,
  closureItem,
  exceptionItem,
  fixturesByLane,
  mitigateItem,
  patchNowItem,
  patchWindowItem,
  unknownStatusItem,
  validateItem,
} from "./fixtures.js";
import {
  BLOCKER_CATEGORIES,
  HANDOFF_DOCUMENT_KEYS,
  HANDOFF_FORMATS,
  HANDOFF_HEADINGS,
  type HandoffDocument,
  handoffJson,
  renderHandoff,
  VALIDATION_HEADINGS,
} from "./index.js";

const both = (at: string, zone: string) => `${formatLocal(at, zone)} (${formatUtc(at)})`;

function mdHeadings(md: string): string[] {
  return md
    .split("\n")
    .filter((l) => l.startsWith("## "))
    .map((l) => l.slice(3));
}

/** The text of one Markdown section, up to the next "## ". */
function mdSection(md: string, heading: string): string {
  const start = md.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const rest = md.slice(start + heading.length + 4);
  const end = rest.indexOf("\n## ");
  return end < 0 ? rest : rest.slice(0, end);
}

function parseJson(item: WorkItem): HandoffDocument {
  return JSON.parse(renderHandoff(item, "json")) as HandoffDocument;
}

describe("patch-now handoff (CVE-2024-3400)", () => {
  const item = patchNowItem();
  const md = renderHandoff(item, "md");

  it("has the title and every section in the fixed order", () => {
    expect(md.split("\n")[0]).toBe(
      "# Patch owner handoff — CVE-2024-3400: PAN-OS: Arbitrary File Creation Leads to OS Command Injection Vulnerability in GlobalProtect",
    );
    expect(mdHeadings(md)).toEqual(Object.values(HANDOFF_HEADINGS));
  });

  it("asks for the patch with version, deadline in the owner's zone and UTC, and the triggers", () => {
    expect(mdSection(md, "Action requested")).toContain(
      "Patch now: patch VPN edge firewalls (PAN-OS GlobalProtect) to 11.1.2-h3 by Fri 19 Apr 2024 23:59 EDT (America/New_York) " +
        "(Sat 20 Apr 2024 03:59 UTC) because listed in CISA KEV on 2024-04-12 (due 2024-04-19); known use in ransomware campaigns;",
    );
    expect(mdSection(md, "Action requested")).toContain(
      "the rollback plan, the deployment time and the post-patch validation",
    );
  });

  it("lists scope fields and one table row per asset", () => {
    const scope = mdSection(md, "Scope");
    expect(scope).toContain(
      "- **Affected versions:** 10.2.0 before 10.2.9-h1; 11.0.0 before 11.0.4-h1; 11.1.0 before 11.1.2-h3",
    );
    expect(scope).toContain("- **Business services:** Remote access VPN");
    expect(scope).toContain("| Asset | Environment | Exposure | Roles | Criticality | Installed | Status |");
    expect(scope).toContain(
      "| fw-edge-02 | production | internet | edge, vpn | critical | PAN-OS 11.1.2 | affected (11.1.2 is in the affected range 11.1.0 before 11.1.2-h3) |",
    );
  });

  it("names each functional owner with its duty, contact and zone", () => {
    const owners = mdSection(md, "Owners");
    expect(owners).toContain(
      "- **System owner (executes the change):** Network Engineering (Dana Ruiz) — netops@example.com — America/New_York",
    );
    expect(owners).toContain(
      "- **Service owner (approves downtime, the window and business decisions):** Maria Chen",
    );
    expect(owners).toContain(
      "- **Security (prioritises and tracks the remediation):** Vulnerability Management (Priya Shah)",
    );
    expect(owners).toContain("- **Governance / risk (decides exceptions):** Risk and Compliance (Lee Park)");
  });

  it("explains why with source and confidence per trigger, the signals and SSVC", () => {
    const why = mdSection(md, "Why this matters");
    expect(why).toContain(
      "- Listed in CISA KEV on 2024-04-12 (due 2024-04-19) — source: CISA KEV catalog 2025.08.25; confidence: high",
    );
    expect(why).toContain(
      "- CISA KEV: listed on 2024-04-12, due 2024-04-19; known use in ransomware campaigns",
    );
    expect(why).toContain("- EPSS: no score recorded");
    expect(why).toContain("- Exposure: internet ×2");
    expect(why).toContain(
      "- **SSVC:** Act — exploitation active, automatable yes, technical impact total (source: CISA-ADP, 2024-04-17T04:00:13.543064Z",
    );
  });

  it("writes the fix path and 'not provided' where a value is missing", () => {
    const fix = mdSection(md, "Fix or workaround");
    expect(fix).toContain("- **Fixed version:** 11.1.2-h3");
    expect(fix).toContain("- **Patch links:** https://security.paloaltonetworks.com/CVE-2024-3400");
    expect(fix).toContain("- **Workarounds:** not provided");
    expect(fix).toContain("- **Supersedence:** not provided");
  });

  it("gives the deadline in both zones with its basis", () => {
    const deadline = mdSection(md, "Deadline or window");
    expect(deadline).toContain(`- **Deadline:** ${both("2024-04-20T03:59:59Z", "America/New_York")}`);
    expect(deadline).toContain(
      "BOD 22-01: KEV due date 2024-04-19, end of day America/New_York (policy bod-22-01, kev)",
    );
  });

  it("covers change safety, the blocker path and closure evidence", () => {
    const change = mdSection(md, "Change notes");
    expect(change).toContain("- **Rollback:** Boot the previous PAN-OS image kept on each node");
    expect(change).toContain("- **Known issues:** none reported by the sources");
    const blocked = mdSection(md, "If blocked");
    expect(blocked).toContain("- **Review date:** 2024-04-18");
    for (const category of BLOCKER_CATEGORIES) expect(blocked).toContain(category);
    expect(blocked).toContain("decided by Risk and Compliance (Lee Park) (grc@example.com)");
    const closure = mdSection(md, "Closure evidence needed");
    expect(closure).toContain("- deployment record or change ticket");
    expect(closure).toContain("A patch attempt alone does not close the item.");
  });

  it("states the next checkpoint and every checkpoint with its escalation", () => {
    const next = mdSection(md, "Next update due");
    expect(next).toContain(
      "Acknowledgment from Network Engineering (Dana Ruiz) by Mon 15 Apr 2024 13:00 EDT (America/New_York) (Mon 15 Apr 2024 17:00 UTC); " +
        "if it is missed, security escalates to Head of Infrastructure.",
    );
    expect(next).toContain(
      "| Blocker escalation | Wed 17 Apr 2024 09:00 EDT (America/New_York) | Wed 17 Apr 2024 13:00 UTC | Maria Chen |",
    );
    expect(next).toContain("| Final outcome (verification or exception) |");
  });

  it("renders plain text with capitalised, underlined headings and one bullet per table row", () => {
    const text = renderHandoff(item, "text");
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      "Patch owner handoff — CVE-2024-3400: PAN-OS: Arbitrary File Creation Leads to OS Command Injection Vulnerability in GlobalProtect",
    );
    expect(lines[1]).toMatch(/^=+$/);
    for (const heading of Object.values(HANDOFF_HEADINGS)) {
      const at = lines.indexOf(heading.toUpperCase());
      expect(at, heading).toBeGreaterThan(0);
      expect(lines[at + 1]).toBe("-".repeat(heading.length));
    }
    expect(text).toContain("Fixed version: 11.1.2-h3");
    expect(text).toContain(
      "- fw-edge-01 — environment: production; exposure: internet; roles: edge, vpn; criticality: critical; installed: PAN-OS 11.1.2;",
    );
    expect(text).not.toContain("**");
  });

  it("gives the JSON document every key, with the deadline as at/zone/local/basis", () => {
    const doc = parseJson(item);
    expect(Object.keys(doc)).toEqual([...HANDOFF_DOCUMENT_KEYS]);
    expect(doc.schema).toBe("patchline.handoff/1");
    expect(doc.kind).toBe("handoff");
    expect(doc.deadline).toMatchObject({
      at: "2024-04-20T03:59:59Z",
      zone: "America/New_York",
      local: "2024-04-19T23:59:59-04:00",
      basis: "BOD 22-01: KEV due date 2024-04-19, end of day America/New_York",
      localText: "Fri 19 Apr 2024 23:59 EDT (America/New_York)",
      utcText: "Sat 20 Apr 2024 03:59 UTC",
    });
    expect(doc.owners.systemOwner).toEqual({
      role: "system-owner",
      duty: "executes the change",
      id: "netops",
      name: "Network Engineering (Dana Ruiz)",
      contact: "netops@example.com",
      timeZone: "America/New_York",
    });
    expect(doc.urgency.triggers.map((t) => t.kind)).toEqual([
      "kev",
      "ransomware",
      "exploitation",
      "exposure",
      "role",
    ]);
    expect(doc.urgency.ssvc?.outcome).toBe("Act");
    expect(doc.fix.fixedVersion).toBe("11.1.2-h3");
    expect(doc.fix.supersedence).toBeNull();
    expect(doc.nextUpdate).toMatchObject({ checkpoint: "acknowledgment", at: "2024-04-15T17:00:00Z" });
    expect(doc.cadence.map((c) => c.checkpoint)).toEqual([
      "acknowledgment",
      "status",
      "blocker-escalation",
      "final",
    ]);
    expect(doc.cadence[1]?.escalateTo).toBe("Network Engineering (Dana Ruiz)");
    expect(doc.missing).toEqual([]);
    expect(doc.fallback.blockerCategories).toEqual([...BLOCKER_CATEGORIES]);
    expect(handoffJson(item)).toEqual(doc);
  });
});

describe("action requested per lane", () => {
  it("patch-window: next window, planned reason and review triggers", () => {
    const md = renderHandoff(patchWindowItem(), "md");
    const action = mdSection(md, "Action requested");
    expect(action).toContain(
      "Patch in window: include Red Hat Enterprise Linux 9 openssh on Internal build servers in the next patch window " +
        `(Sat 02:00 to 06:00 Europe/Berlin) and finish by ${both("2024-07-06T04:00:00Z", "Europe/Berlin")}.`,
    );
    expect(action).toContain(
      "Priority is planned because not in KEV, proof-of-concept only and internal exposure",
    );
    expect(action).toContain("Review triggers that re-decide it: CVE-2024-6387 is added to CISA KEV;");
    expect(action).toContain("Red Hat changes its guidance or the fixed build.");
    expect(mdSection(md, "Deadline or window")).toContain("- **Window:** Sat 02:00 to 06:00 Europe/Berlin");
    expect(mdSection(md, "Why this matters")).toContain("No urgency trigger applies");
    expect(mdSection(md, "Why this matters")).toContain("- CISA KEV: not listed");
  });

  it("mitigate: mitigation, residual risk, SOC monitoring and vendor tracking", () => {
    const md = renderHandoff(mitigateItem(), "md");
    expect(mdSection(md, "Action requested")).toContain(
      "Mitigate: no fixed version exists for EN100 Ethernet module DNP3 IP variant yet. Apply the mitigation or exposure " +
        "reduction (Disable web service within the device configuration if it is not used) on Substation protection relays",
    );
    expect(mdSection(md, "Action requested")).toContain(
      "document the residual risk, ask the SOC to monitor the affected assets, and track vendor guidance until a fixed version exists.",
    );
    expect(mdSection(md, "Fix or workaround")).toContain(
      "- **Fixed version:** none available yet — track vendor guidance until one exists",
    );
    expect(mdSection(md, "Fix or workaround")).toContain(
      "- **Workarounds:** Block access to port 80/tcp and 443/tcp e.g. with an external firewall",
    );
  });

  it("blocked: blocker, risk, temporary control, owner, review date and what unblocks", () => {
    const action = mdSection(renderHandoff(blockedItem(), "md"), "Action requested");
    expect(action).toContain(
      "Blocked: patching Billing application servers (Apache Log4j2 log4j-core) cannot move.",
    );
    expect(action).toContain(
      "the next review date (2021-12-20) and the approval or test result needed to unblock patching",
    );
    expect(action).toContain(`by ${both("2021-12-20T06:30:00Z", "Asia/Kolkata")}`);
    expect(action).toContain(
      "Recorded blocker: Vendor limitation: the billing vendor has not certified log4j-core 2.15.0",
    );
  });

  it("exception: the governance owner reviews owner, justification, controls, expiry and review date", () => {
    const action = mdSection(renderHandoff(exceptionItem(), "md"), "Action requested");
    expect(action).toContain(
      "Exception review: Risk and Compliance (Lee Park) (grc@example.com) to review the exception requested for Lab test appliances (curl)",
    );
    expect(action).toContain("its owner, justification, compensating controls, expiry and review date.");
  });

  it("closure: the evidence list and leftovers", () => {
    const action = mdSection(renderHandoff(closureItem(), "md"), "Action requested");
    expect(action).toContain(
      `Confirm closure: provide closure evidence for VPN edge firewalls (PAN-OS GlobalProtect) by ${both("2024-04-19T21:00:00Z", "America/New_York")}: ` +
        "version proof (installed version at or above the fixed version), deployment record or change ticket,",
    );
    expect(action).toContain("plus any systems still exposed or deferred.");
  });
});

describe("validation request", () => {
  const item = validateItem();
  const md = renderHandoff(item, "md");

  it("is its own message with its own sections", () => {
    expect(md.split("\n")[0]).toBe("# Validation request — CVE-2023-34362");
    expect(mdHeadings(md)).toEqual(Object.values(VALIDATION_HEADINGS));
    expect(md).not.toContain("Patch owner handoff");
  });

  it("asks to confirm the affected build before any patching", () => {
    const ask = mdSection(md, "What we need confirmed");
    expect(ask).toContain(
      "Confirm whether mft-01 (Partner file transfer) runs an affected build of Progress MOVEit Transfer, the vulnerable feature, " +
        "an affected platform, or a build with a backported fix",
    );
    expect(ask).toContain("Do not schedule patching until the product and version evidence is clear.");
  });

  it("says which lane it would have been and why the gate stopped it", () => {
    const why = mdSection(md, "Why we are asking");
    expect(why).toContain(
      "This would be a patch now order (rule: kev-listed), but the readiness gate found 4 missing fields: fixed version, " +
        "testing expectations, rollback path, deadline.",
    );
    expect(why).toContain(
      "- Listed in CISA KEV on 2023-06-02 (due 2023-06-23) — source: CISA KEV catalog 2025.08.25",
    );
  });

  it("lists each missing field with what is missing and who supplies it (role and named owner)", () => {
    const missing = mdSection(md, "Missing information");
    expect(missing).toContain("| Field | What is missing | Who must supply it |");
    expect(missing).toContain(
      "| Fixed version | the installed MOVEit Transfer release line is not reported, so the fixed build cannot be chosen | " +
        "System owner — File Transfer Operations (Aiko Tanaka) |",
    );
    // No supplierOwner recorded: the role's holder on the work item is named.
    expect(missing).toContain(
      "| Rollback path | no rollback path for the upgrade, which also changes the database schema | System owner — File Transfer Operations (Aiko Tanaka) |",
    );
    expect(missing).toContain(
      "| Deadline | no maintenance window agreed with partners | Service owner — Hannah Brooks |",
    );
  });

  it("gives the answer deadline in the owner's zone and UTC", () => {
    expect(mdSection(md, "Answer needed by")).toContain(
      `- **Answer by:** ${both("2023-06-07T08:00:00Z", "Asia/Tokyo")}`,
    );
    expect(mdSection(md, "Answer needed by")).toContain("Wed 7 Jun 2023 08:00 UTC");
  });

  it("JSON marks the kind and carries the missing list with suppliers", () => {
    const doc = parseJson(item);
    expect(doc.kind).toBe("validation-request");
    expect(doc.title).toBe("Validation request — CVE-2023-34362");
    expect(doc.missing.map((m) => [m.field, m.supplier, m.supplierName])).toEqual([
      ["fixedVersion", "system-owner", "File Transfer Operations (Aiko Tanaka)"],
      ["testing", "system-owner", "File Transfer Operations (Aiko Tanaka)"],
      ["rollback", "system-owner", "File Transfer Operations (Aiko Tanaka)"],
      ["deadline", "service-owner", "Hannah Brooks"],
    ]);
    expect(doc.change.testing).toMatch(/^not recorded for .* to state what is tested and who signs off by /);
    expect(doc.change.notRecorded).toContain("testing");
  });

  it("for an unknown affected status, asks for the status of each unknown asset", () => {
    const unknown = unknownStatusItem();
    const out = renderHandoff(unknown, "md");
    expect(mdSection(out, "Why we are asking")).toContain(
      "The affected status is unknown: the installed xz build is custom, so its affected status is unknown.",
    );
    expect(mdSection(out, "Missing information")).toContain(
      "| Affected status of dev-ws-17 | installed build, vulnerable feature or backported fix (custom build; a backported fix cannot be ruled out) | System owner — Linux Platform (Jonas Weber) |",
    );
    expect(parseJson(unknown).missing).toEqual([
      expect.objectContaining({
        field: "affectedStatus",
        supplier: "system-owner",
        supplierOwner: "linux-platform",
      }),
    ]);
  });
});

describe("every lane in every format passes the lint", () => {
  const items: [string, WorkItem][] = [
    ...Object.entries(fixturesByLane()),
    ["validate (unknown status)", unknownStatusItem()],
  ];
  for (const [lane, item] of items) {
    for (const format of HANDOFF_FORMATS) {
      it(`${lane} as ${format}`, () => {
        const result = lintHandoff(renderHandoff(item, format));
        expect(result.findings).toEqual([]);
        expect(result.ok).toBe(true);
        expect(result.kind).toBe(item.lane === "validate" ? "validation-request" : "handoff");
      });
    }
  }
});

describe("gaps stay visible", () => {
  function bare(): WorkItem {
    const item = patchNowItem();
    return {
      ...item,
      change: {},
      serviceOwner: undefined,
      fallback: { mitigation: "", monitoring: "", exceptionPath: "" },
      closureEvidence: [],
      cadence: [],
    };
  }

  it("writes 'not provided' for every missing change note and fallback field", () => {
    const md = renderHandoff(bare(), "md");
    for (const label of [
      "Testing",
      "Rollback",
      "Maintenance window",
      "Dependencies",
      "Approval",
      "Communication",
    ]) {
      expect(mdSection(md, "Change notes")).toContain(`- **${label}:** not provided`);
    }
    expect(mdSection(md, "If blocked")).toContain("- **Temporary control:** not provided");
    expect(mdSection(md, "Owners")).toContain(
      "- **Service owner (approves downtime, the window and business decisions):** not named",
    );
    expect(mdSection(md, "Next update due")).toContain("Next update: not provided");
  });

  it("and the lint reports them in every format", () => {
    for (const format of HANDOFF_FORMATS) {
      const checks = new Set(lintHandoff(renderHandoff(bare(), format)).findings.map((f) => f.check));
      expect([...checks].sort(), format).toEqual(
        [
          "change-aware",
          "closure-defined",
          "fallback-included",
          "next-update-stated",
          "owner-ready",
          "owners-named",
        ].sort(),
      );
    }
  });

  it("keeps rendering when the zone is unknown, and shows UTC", () => {
    const item = patchNowItem();
    item.deadline = { ...item.deadline!, zone: "Mars/Olympus_Mons" };
    const md = renderHandoff(item, "md");
    expect(mdSection(md, "Deadline or window")).toContain(
      "Sat 20 Apr 2024 03:59 UTC (zone 'Mars/Olympus_Mons' not recognised)",
    );
  });

  it("shows a UTC recipient's deadline once", () => {
    const item = patchNowItem();
    item.deadline = { ...item.deadline!, zone: "UTC", local: "2024-04-20T03:59:59+00:00" };
    expect(mdSection(renderHandoff(item, "md"), "Deadline or window")).toContain(
      "- **Deadline:** Sat 20 Apr 2024 03:59 UTC\n",
    );
  });

  it("answers a validation request without a deadline by its final checkpoint", () => {
    const item = validateItem();
    item.deadline = null;
    const doc = handoffJson(item);
    expect(doc.deadline).toMatchObject({
      at: "2023-06-07T08:00:00Z",
      zone: "Asia/Tokyo",
      local: "2023-06-07T17:00:00+09:00",
      basis: "final checkpoint of the validation cadence",
    });
    expect(lintHandoff(renderHandoff(item, "md")).findings).toEqual([]);
  });

  it("rejects an unknown format with a usage error", () => {
    expect(() => renderHandoff(patchNowItem(), "pdf" as never)).toThrow(/unknown handoff format 'pdf'/);
  });

  it("escapes table pipes in asset names", () => {
    const item = patchNowItem();
    item.assets[0]!.name = "fw|edge|01";
    expect(renderHandoff(item, "md")).toContain("| fw\\|edge\\|01 | production |");
  });
});
