import type { Policy } from "../core/policy/types.js";
import { type Audience, renderUpdate } from "../core/render/updates/index.js";
import { addInZone, formatUtc } from "../core/time.js";
import type { WorkItem } from "../core/types.js";
import type { Store } from "../store/index.js";
import { advanceClock, caseIdFor, type Draft, recordEvent } from "./track/record.js";
import { loadCase } from "./track/view.js";

export interface WalkStep {
  at: string;
  title: string;
  /** Rendered update or `due` listing shown after the step, when there is one. */
  shown?: { label: string; text: string };
}

/**
 * One emergency from handoff to closure on the example data, written to the record through the
 * same use cases the commands use: acknowledgment, forensic scoping, a blocker and its escalation,
 * an exception request and its denial, evidence, verification, monitoring, a reopen, closure.
 */
export async function walkEmergency(
  store: Store,
  policy: Policy,
  start: string,
  item: WorkItem,
  people: { security: string; system: string; service: string; governance: string },
): Promise<WalkStep[]> {
  const zone = item.deadline?.zone ?? item.owner.timeZone;
  const at = (offset: string) => addInZone(start, offset, zone);
  const steps: WalkStep[] = [];
  const caseId = caseIdFor(item.advisory.id);

  const act = async (offset: string, title: string, draft: Draft) => {
    const when = at(offset);
    await recordEvent(store, policy, when, item.id, draft);
    steps.push({ at: when, title });
  };
  const show = async (offset: string, audience: Audience, label: string) => {
    const when = at(offset);
    const view = await loadCase(store, caseId, when);
    steps.push({
      at: when,
      title: label,
      shown: { label, text: renderUpdate({ ...view, now: when }, audience, "text") },
    });
  };
  const showDue = async (offset: string, label: string) => {
    const when = at(offset);
    const { due } = await loadCase(store, caseId, when);
    const lines = due
      .filter((d) => d.overdue)
      .map(
        (d) =>
          `OVERDUE ${formatUtc(d.due)}: ${d.kind} (${d.owner})${d.escalateTo ? ` → escalate to ${d.escalateTo}` : ""}`,
      );
    steps.push({ at: when, title: label, shown: { label, text: lines.join("\n") || "nothing overdue" } });
  };
  const sys = { actor: people.system, role: "system-owner" as const };
  const sec = { actor: people.security, role: "security" as const };

  await show("0h", "ops", "Operational update at handoff");
  await act("1h", "System owner acknowledges", {
    ...sys,
    type: "acknowledged",
    payload: { note: "On it; HA pairs first" },
  });
  await act("2h", "Forensic scoping recorded", {
    ...sec,
    type: "evidence-added",
    payload: {
      kind: "forensic-scoping",
      reference: "IR-2211 scoping note: 4 internet-facing GlobalProtect gateways, 1 lab unit",
      observedAt: at("2h"),
      attestedBy: people.security,
    },
  });
  await act("5h", "Blocker: the out-of-window reboot needs emergency CAB approval", {
    ...sys,
    type: "blocked",
    payload: {
      category: "approval",
      blocker: "Rebooting the HA peers outside the Sunday window needs emergency CAB approval",
      risk: "Internet-facing GlobalProtect gateways stay exploitable until patched",
      temporaryControl: "Threat Prevention signature for the exploit applied; device telemetry disabled",
      owner: people.service,
      nextReview: at("1d"),
      unblocksWhen: "Emergency CAB approves an out-of-window slot",
    },
  });
  await showDue("1d1h", "The blocker's review date passes: `patchline due` escalates");
  await show("2d", "leadership", "Leadership update: blocker waiting for a decision");
  await act("2d1h", "Service owner requests an exception until the Sunday window", {
    actor: people.service,
    role: "service-owner",
    type: "exception-requested",
    payload: {
      justification: "Month-end remote access peak; a daytime failover would drop 2,000 VPN sessions",
      compensatingControls:
        "Threat Prevention signature applied, telemetry disabled, SOC watching GlobalProtect logs",
      expiry: at("5d"),
      reviewDate: at("3d"),
    },
  });
  await show("2d2h", "service-owner", "Service-owner notice: exception pending");
  await act("2d3h", "Governance denies the exception (KEV-listed and internet-facing)", {
    actor: people.governance,
    role: "governance",
    type: "exception-denied",
    payload: { note: "KEV-listed, exploited, internet-facing: patch in the emergency CAB slot tonight" },
  });
  await act("2d4h", "Emergency CAB approves: unblocked", {
    ...sys,
    type: "unblocked",
    payload: { note: "CAB-7781 approved for 22:00 tonight" },
  });
  await act("2d5h", "Volatile evidence collected before patching", {
    ...sec,
    type: "evidence-added",
    payload: {
      kind: "forensic-evidence",
      reference: "IR-2211: tech-support files and memory captures of all 4 gateways",
      observedAt: at("2d5h"),
      attestedBy: people.security,
    },
  });
  await act("2d6h", "Forensic triage decision: no evidence of compromise", {
    ...sec,
    type: "evidence-added",
    payload: {
      kind: "forensic-decision",
      reference: "IR-2211 triage decision",
      observedAt: at("2d6h"),
      attestedBy: people.security,
      outcome: "no-evidence",
    },
  });
  await act("2d10h", "System owner reports the fix deployed", {
    ...sys,
    type: "patched",
    payload: { version: "10.2.9-h1", note: "Both HA pairs upgraded" },
  });
  for (const [kind, reference] of [
    ["version-proof", "show system info: sw-version 10.2.9-h1 on the patched gateways"],
    ["change-ticket", "CAB-7781 implemented"],
    ["scan", "Authenticated re-scan after the change"],
  ] as const) {
    await act("2d11h", `Evidence added: ${kind}`, {
      ...sys,
      type: "evidence-added",
      payload: { kind, reference, observedAt: at("2d11h"), attestedBy: people.system },
    });
  }
  await act("2d12h", "Security verifies the fix from the evidence", {
    ...sec,
    type: "verified",
    payload: {},
  });
  const monitoring = {
    watched:
      "GlobalProtect logs and Threat Prevention hits for exploitation attempts; nightly authenticated scan",
    owner: people.security,
    reopenOn: ["re-detection in a scan", "rollback", "missed nodes", "new exploitation evidence"],
  };
  await act("2d13h", "Monitoring window starts (14 days)", {
    ...sec,
    type: "monitoring-started",
    payload: { ...monitoring, window: "14d", endsAt: at("16d13h") },
  });
  await act("4d", "Reopened: the nightly scan still sees 10.2.7-h3 on a missed HA peer", {
    ...sec,
    type: "reopened",
    payload: {
      why: "Nightly scan still reports PAN-OS 10.2.7-h3 on one HA peer",
      source: "nightly authenticated scan",
    },
  });
  await act("4d2h", "Missed peer patched", {
    ...sys,
    type: "patched",
    payload: { version: "10.2.9-h1", note: "Missed HA peer upgraded" },
  });
  // A reopened item closes on fresh evidence only.
  for (const [kind, reference] of [
    ["version-proof", "show system info: sw-version 10.2.9-h1 on the missed peer"],
    ["change-ticket", "CAB-7781 amended: missed HA peer upgraded"],
    ["scan", "Re-scan of all four gateways: no finding"],
  ] as const) {
    await act("4d3h", `Evidence added: ${kind}`, {
      ...sys,
      type: "evidence-added",
      payload: { kind, reference, observedAt: at("4d3h"), attestedBy: people.system },
    });
  }
  await act("4d4h", "Verified again", { ...sec, type: "verified", payload: {} });
  await act("4d5h", "Monitoring window restarts (7 days)", {
    ...sec,
    type: "monitoring-started",
    payload: { ...monitoring, window: "7d", endsAt: at("11d5h") },
  });
  const end = at("12d");
  await advanceClock(store, policy, end);
  steps.push({ at: end, title: "Monitoring window ends with no reopen condition: the item closes" });
  await show("12d", "leadership", "Leadership update at closure");
  return steps;
}
