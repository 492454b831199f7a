/**
 * Wording shared by the handoff and the validation request: times in the recipient zone and in
 * UTC, owner lines, signal summaries, checkpoint names. Pure; never reads the clock.
 */
import { formatLocal, formatUtc } from "../time.js";
import type {
  Checkpoint,
  CheckpointKind,
  Deadline,
  FunctionalRole,
  GateField,
  Lane,
  OwnerRef,
  UrgencyTrigger,
  WorkItem,
} from "../types.js";
import { NOT_PROVIDED } from "./sections.js";

/** One instant shown both ways: "Thu 26 Nov 2026 12:00 EST (America/New_York)" and "Thu 26 Nov 2026 17:00 UTC". */
export interface TimeText {
  local: string;
  utc: string;
}

export function timeText(instant: string, zone: string): TimeText {
  let utc: string;
  try {
    utc = formatUtc(instant);
  } catch {
    return { local: instant, utc: instant };
  }
  try {
    return { local: formatLocal(instant, zone), utc };
  } catch {
    // An unknown zone must not stop the message: show UTC and name the zone as given.
    return { local: `${utc} (zone '${zone}' not recognised)`, utc };
  }
}

/** "Thu 26 Nov 2026 12:00 EST (America/New_York) (Thu 26 Nov 2026 17:00 UTC)". */
export function bothTimes(instant: string, zone: string): string {
  const t = timeText(instant, zone);
  // A recipient in UTC gets the time once: "Thu 26 Nov 2026 17:00 UTC", not the same text twice.
  const sameAsUtc =
    t.local === t.utc || (t.local.startsWith(t.utc) && /^ \([^\s)]+\)$/.test(t.local.slice(t.utc.length)));
  return sameAsUtc ? t.utc : `${t.local} (${t.utc})`;
}

/** A review date is either a calendar date (kept as written) or an instant (shown both ways). */
export function reviewDateText(value: string | undefined, zone: string): string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return bothTimes(value, zone);
  return value;
}

export function orNotProvided(value: string | undefined | null): string {
  return value !== undefined && value !== null && value.trim() !== "" ? value : NOT_PROVIDED;
}

export function joinOrNotProvided(values: readonly string[], separator = "; "): string {
  const kept = values.filter((v) => v.trim() !== "");
  return kept.length > 0 ? kept.join(separator) : NOT_PROVIDED;
}

/** "PAN-OS" or "PAN-OS GlobalProtect" when the sources name a component. */
export function productLabel(item: WorkItem): string {
  const { product, component } = item.advisory;
  return component && component !== product ? `${product} ${component}` : product;
}

/** "Palo Alto Networks PAN-OS". */
export function vendorProduct(item: WorkItem): string {
  const { vendor, product } = item.advisory;
  return product.toLowerCase().startsWith(vendor.toLowerCase()) ? product : `${vendor} ${product}`;
}

export function lowerFirst(text: string): string {
  if (text.length < 2) return text.toLowerCase();
  // Keep acronyms and proper names ("CISA", "EPSS", "PAN-OS") as written.
  const second = text[1] ?? "";
  return second === second.toUpperCase() && /[A-Za-z]/.test(second)
    ? text
    : text[0]!.toLowerCase() + text.slice(1);
}

export function stripFinalStop(text: string): string {
  return text.trim().replace(/[.;:\s]+$/, "");
}

export const ROLE_LABELS: Record<FunctionalRole, string> = {
  security: "Security",
  "system-owner": "System owner",
  "service-owner": "Service owner",
  governance: "Governance / risk",
  leadership: "Leadership",
};

export const ROLE_DUTIES: Record<FunctionalRole, string> = {
  security: "prioritises and tracks the remediation",
  "system-owner": "executes the change",
  "service-owner": "approves downtime, the window and business decisions",
  governance: "decides exceptions",
  leadership: "receives decision-grade status",
};

export function ownerForRole(item: WorkItem, role: FunctionalRole): OwnerRef | undefined {
  switch (role) {
    case "system-owner":
      return item.owner;
    case "service-owner":
      return item.serviceOwner;
    case "security":
      return item.securityOwner;
    case "governance":
      return item.governanceOwner;
    default:
      return undefined;
  }
}

/** Every owner the item knows, to resolve ids written in checkpoints and missing fields. */
export function knownOwners(item: WorkItem): OwnerRef[] {
  return [
    item.owner,
    item.serviceOwner,
    item.securityOwner,
    item.governanceOwner,
    item.escalationOwner,
  ].filter((o): o is OwnerRef => o !== undefined);
}

/** An owner id, role name or free text, resolved to a display name where possible. */
export function resolveOwnerName(item: WorkItem, ref: string | undefined): string | undefined {
  if (ref === undefined || ref.trim() === "") return undefined;
  const byId = knownOwners(item).find((o) => o.id === ref || o.name === ref);
  if (byId) return byId.name;
  const role = ref as FunctionalRole;
  if (role in ROLE_LABELS) {
    const holder = ownerForRole(item, role);
    return holder ? `${holder.name} (${ROLE_LABELS[role].toLowerCase()})` : ROLE_LABELS[role];
  }
  return ref;
}

/** "Dana Ruiz — dana.ruiz@example.com — America/New_York". */
export function ownerText(owner: OwnerRef | undefined): string {
  if (!owner) return "not named";
  const parts = [owner.name];
  if (owner.contact) parts.push(owner.contact);
  if (owner.timeZone) parts.push(owner.timeZone);
  return parts.join(" — ");
}

/** "Dana Ruiz (dana.ruiz@example.com)". */
export function ownerShort(owner: OwnerRef | undefined, fallback: string): string {
  if (!owner) return fallback;
  return owner.contact ? `${owner.name} (${owner.contact})` : owner.name;
}

export function triggerLine(t: UrgencyTrigger): string {
  return `${stripFinalStop(t.text)} — source: ${t.source}; confidence: ${t.confidence}`;
}

/** The reason clause after "because": the triggers, or the decision's explanation when there are none. */
export function becauseText(item: WorkItem): string {
  const triggers = item.decision.triggers.map((t) => lowerFirst(stripFinalStop(t.text)));
  if (triggers.length > 0) return triggers.join("; ");
  return lowerFirst(stripFinalStop(item.decision.explanation || "the decision recorded no trigger"));
}

/**
 * The signals behind the decision, stated even when they do not make the item urgent, so the
 * reader sees KEV, exploitation, EPSS, exposure, role and criticality either way.
 */
export function signalLines(item: WorkItem): string[] {
  const lines: string[] = [];
  const { kev, epss, cvss } = item.advisory;
  if (kev) {
    lines.push(
      `CISA KEV: listed on ${kev.dateAdded}, due ${kev.dueDate}${kev.ransomware ? "; known use in ransomware campaigns" : ""}`,
    );
  } else {
    lines.push("CISA KEV: not listed");
  }
  const exploitation =
    item.decision.triggers.find((t) => t.kind === "exploitation")?.text ??
    (item.decision.ssvc?.points.exploitation
      ? `SSVC exploitation ${item.decision.ssvc.points.exploitation} (${item.decision.ssvc.points.source})`
      : undefined);
  lines.push(`Exploitation: ${exploitation ? stripFinalStop(exploitation) : "no evidence recorded"}`);
  lines.push(
    epss ? `EPSS: ${epss.score} (percentile ${epss.percentile}) on ${epss.date}` : "EPSS: no score recorded",
  );
  const exposures = countBy(item.assets.map((a) => a.exposure));
  lines.push(`Exposure: ${exposures || "no assets listed"}`);
  const roles = [...new Set(item.assets.flatMap((a) => a.roles))];
  lines.push(`Asset roles: ${roles.length > 0 ? roles.join(", ") : "none recorded"}`);
  const criticality = countBy(item.assets.map((a) => a.criticality));
  lines.push(`Business criticality: ${criticality || "not recorded"}`);
  if (cvss) {
    lines.push(
      `CVSS ${cvss.version}: ${cvss.baseScore}${cvss.severity ? ` ${cvss.severity}` : ""} (scored by ${cvss.source})`,
    );
  }
  return lines;
}

/** "internet ×2, internal ×1" in first-seen order. */
function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => (n > 1 ? `${v} ×${n}` : v)).join(", ");
}

export function ssvcLine(item: WorkItem): string | undefined {
  const ssvc = item.decision.ssvc;
  if (!ssvc) return undefined;
  const p = ssvc.points;
  const points = [
    p.exploitation ? `exploitation ${p.exploitation}` : undefined,
    p.automatable ? `automatable ${p.automatable}` : undefined,
    p.technicalImpact ? `technical impact ${p.technicalImpact}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const assumed = ssvc.assumed.length > 0 ? `; assumed: ${ssvc.assumed.join(", ")}` : "";
  const when = p.timestamp ? `, ${p.timestamp}` : "";
  return `${ssvc.outcome} — ${points.join(", ") || "decision points not stated"} (source: ${p.source}${when}${assumed})`;
}

export const LANE_LABELS: Record<Lane, string> = {
  "patch-now": "patch now",
  "patch-window": "patch in the next window",
  validate: "validate affected status",
  blocked: "blocked change",
  mitigate: "mitigate (no safe patch yet)",
  exception: "exception review",
  closure: "closure evidence",
};

export const CHECKPOINT_LABELS: Record<CheckpointKind, string> = {
  acknowledgment: "Acknowledgment",
  status: "Status update",
  "blocker-escalation": "Blocker escalation",
  final: "Final outcome (verification or exception)",
  "forensic-scoping": "Forensic scoping",
  "forensic-evidence": "Forensic evidence",
  "forensic-decision": "Forensic decision",
};

export const GATE_FIELD_LABELS: Record<GateField, string> = {
  scope: "Affected scope",
  fixedVersion: "Fixed version",
  urgency: "Urgency",
  deadline: "Deadline",
  testing: "Testing expectations",
  rollback: "Rollback path",
  closureEvidence: "Closure evidence",
};

function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Checkpoints in due order. */
export function sortedCadence(item: WorkItem): Checkpoint[] {
  return [...item.cadence].sort((a, b) => instantMs(a.due) - instantMs(b.due));
}

/** The first checkpoint due at or after the planning instant; the last one if all have passed. */
export function nextCheckpoint(item: WorkItem): Checkpoint | undefined {
  const sorted = sortedCadence(item);
  const planned = instantMs(item.plannedAt);
  return sorted.find((c) => instantMs(c.due) >= planned) ?? sorted[sorted.length - 1];
}

/** The deadline the item carries, or for a validation request the final checkpoint when it has none. */
export function effectiveDeadline(item: WorkItem): Deadline | undefined {
  if (item.deadline) return item.deadline;
  if (item.lane === "validate") {
    const final = item.cadence.find((c) => c.kind === "final");
    if (final) {
      return {
        at: final.due,
        zone: final.zone,
        local: final.local,
        basis: "final checkpoint of the validation cadence",
      };
    }
  }
  return undefined;
}

/** Closure evidence items with blanks dropped. */
export function evidenceList(item: WorkItem): string[] {
  return item.closureEvidence.filter((e) => e.trim() !== "");
}

export type ChangeNoteField =
  | "testing"
  | "rollback"
  | "maintenanceWindow"
  | "dependencies"
  | "approval"
  | "communication"
  | "reboot";

export type ChangeNotes = Record<ChangeNoteField, string> & {
  knownIssues: string;
  notRecorded: ChangeNoteField[];
};

const CHANGE_ASKS: Record<ChangeNoteField, { ask: string; role: "system" | "service" }> = {
  testing: { ask: "state what is tested and who signs off", role: "system" },
  rollback: { ask: "state how to roll back and how long it takes", role: "system" },
  maintenanceWindow: { ask: "confirm the maintenance window", role: "service" },
  dependencies: { ask: "name dependent systems or confirm there are none", role: "system" },
  approval: { ask: "state who approves the change", role: "service" },
  communication: { ask: "state who is told before and after the change", role: "service" },
  reboot: { ask: "confirm whether a reboot or restart is needed", role: "system" },
};

/**
 * The change notes of a handoff. A change-safety fact that neither the inventory nor the policy
 * gives becomes a named ask with a time, so the gap is visible before the change is made.
 */
export function changeNotes(item: WorkItem): ChangeNotes {
  const c = item.change;
  const values: Record<ChangeNoteField, string | undefined> = {
    testing: c.testing,
    rollback: c.rollback,
    maintenanceWindow: c.maintenanceWindow,
    dependencies: c.dependencies,
    approval: c.approval,
    communication: c.communication,
    reboot: c.reboot ?? item.fix.reboot,
  };
  // Without a checkpoint there is no time to ask by: the gap stays "not provided" (and fails lint).
  const next = nextCheckpoint(item);
  const notRecorded: ChangeNoteField[] = [];
  const out = {} as Record<ChangeNoteField, string>;
  for (const field of Object.keys(CHANGE_ASKS) as ChangeNoteField[]) {
    const value = values[field];
    if (value !== undefined && value.trim() !== "") {
      out[field] = value;
      continue;
    }
    notRecorded.push(field);
    if (!next) {
      out[field] = NOT_PROVIDED;
      continue;
    }
    const by = ` by ${bothTimes(next.due, next.zone)}`;
    const { ask, role } = CHANGE_ASKS[field];
    const who =
      role === "service"
        ? ownerShort(item.serviceOwner, "the service owner")
        : ownerShort(item.owner, "the system owner");
    out[field] = `not recorded for ${item.assetGroup} — ${who} to ${ask}${by}`;
  }
  const knownIssues =
    item.fix.knownIssues.length > 0 ? item.fix.knownIssues.join("; ") : "none reported by the sources";
  return { ...out, knownIssues, notRecorded };
}
