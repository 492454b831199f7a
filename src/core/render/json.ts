/**
 * The JSON form of a handoff or validation request: a stable document (schema
 * "patchline.handoff/1") with every key always present — null or [] when there is no value — so
 * consumers never guess whether a key was dropped.
 */

import { toZoned } from "../time.js";
import type {
  CheckpointKind,
  CvssScore,
  FunctionalRole,
  GateField,
  Lane,
  OwnerRef,
  ReviewTrigger,
  SsvcOutcome,
  SsvcPoints,
  UrgencyTrigger,
  WorkItem,
  WorkItemAsset,
} from "../types.js";
import { actionSentence, handoffTitle } from "./handoff.js";
import { BLOCKER_CATEGORIES } from "./sections.js";
import { missingRows, validationAction, validationTitle } from "./validation.js";
import {
  type ChangeNoteField,
  changeNotes,
  effectiveDeadline,
  GATE_FIELD_LABELS,
  nextCheckpoint,
  ownerForRole,
  ownerShort,
  ROLE_DUTIES,
  resolveOwnerName,
  signalLines,
  sortedCadence,
  timeText,
} from "./words.js";

export const HANDOFF_SCHEMA = "patchline.handoff/1";

/** Every top-level key of a HandoffDocument, in order; the lint checks JSON handoffs against it. */
export const HANDOFF_DOCUMENT_KEYS = [
  "schema",
  "kind",
  "id",
  "lane",
  "title",
  "action",
  "advisory",
  "scope",
  "owners",
  "urgency",
  "fix",
  "deadline",
  "change",
  "fallback",
  "closureEvidence",
  "caveats",
  "nextUpdate",
  "cadence",
  "missing",
  "policy",
  "plannedAt",
] as const;

export interface HandoffOwner {
  role: FunctionalRole;
  /** What this role does for the item: "executes the change". */
  duty: string;
  id: string | null;
  name: string | null;
  contact: string | null;
  timeZone: string | null;
}

/** An instant with its recipient zone, ISO with offset, and both display forms. */
export interface HandoffTime {
  at: string;
  zone: string;
  local: string;
  localText: string;
  utcText: string;
}

export interface HandoffCheckpoint extends HandoffTime {
  checkpoint: CheckpointKind;
  escalateTo: string | null;
}

export interface HandoffDocument {
  schema: typeof HANDOFF_SCHEMA;
  kind: "handoff" | "validation-request";
  id: string;
  lane: Lane;
  title: string;
  /** The request in one paragraph, as the Markdown and text forms write it. */
  action: string;
  advisory: {
    id: string;
    aliases: string[];
    title: string;
    vendor: string;
    product: string;
    component: string | null;
    affectedVersions: string[];
    cvss: CvssScore | null;
    kev: { dateAdded: string; dueDate: string; ransomware: boolean } | null;
    epss: { score: number; percentile: number; date: string } | null;
  };
  scope: {
    advisoryId: string;
    aliases: string[];
    vendor: string;
    product: string;
    component: string | null;
    affectedVersions: string[];
    assetGroup: string;
    environments: string[];
    businessServices: string[];
    assets: (Omit<WorkItemAsset, "businessService" | "installed"> & {
      businessService: string | null;
      installed: string | null;
    })[];
  };
  owners: {
    security: HandoffOwner;
    systemOwner: HandoffOwner;
    serviceOwner: HandoffOwner;
    governance: HandoffOwner;
  };
  urgency: {
    proposedLane: Lane;
    rule: string;
    explanation: string;
    triggers: UrgencyTrigger[];
    /** KEV, exploitation, EPSS, exposure, roles, criticality and CVSS in plain sentences. */
    signals: string[];
    ssvc: { outcome: SsvcOutcome; points: SsvcPoints; assumed: string[] } | null;
    reviewTriggers: ReviewTrigger[];
  };
  fix: {
    fixedVersion: string | null;
    patchLinks: string[];
    workarounds: string[];
    mitigations: string[];
    reboot: string | null;
    supersedence: string | null;
    knownIssues: string[];
  };
  deadline: {
    at: string;
    zone: string;
    local: string;
    basis: string;
    localText: string;
    utcText: string;
  } | null;
  /** Each change-safety fact, or the ask for it when it is not recorded (listed in notRecorded). */
  change: {
    testing: string;
    rollback: string;
    maintenanceWindow: string;
    dependencies: string;
    approval: string;
    communication: string;
    reboot: string;
    knownIssues: string[];
    notRecorded: ChangeNoteField[];
  };
  fallback: {
    mitigation: string | null;
    monitoring: string | null;
    exceptionPath: string | null;
    /** Who decides exceptions (the governance / risk owner). */
    governanceOwner: string | null;
    reviewDate: string | null;
    reportBlockerTo: string;
    blockerCategories: string[];
  };
  closureEvidence: string[];
  caveats: string[];
  nextUpdate: (HandoffCheckpoint & { from: string }) | null;
  cadence: HandoffCheckpoint[];
  missing: {
    field: GateField | "affectedStatus";
    label: string;
    detail: string;
    supplier: FunctionalRole;
    supplierOwner: string | null;
    supplierName: string | null;
  }[];
  policy: { pack: string; band: string | null };
  plannedAt: string;
}

function nonEmpty(value: string | undefined | null): string | null {
  return value !== undefined && value !== null && value.trim() !== "" ? value : null;
}

function owner(role: FunctionalRole, ref: OwnerRef | undefined): HandoffOwner {
  return {
    role,
    duty: ROLE_DUTIES[role],
    id: ref?.id ?? null,
    name: ref?.name ?? null,
    contact: ref?.contact ?? null,
    timeZone: ref?.timeZone ?? null,
  };
}

function isoLocal(at: string, zone: string): string {
  try {
    return toZoned(at, zone);
  } catch {
    return at;
  }
}

function time(at: string, zone: string, local: string | undefined): HandoffTime {
  const t = timeText(at, zone);
  return { at, zone, local: local || isoLocal(at, zone), localText: t.local, utcText: t.utc };
}

function missingList(item: WorkItem): HandoffDocument["missing"] {
  if (item.missing.length > 0) {
    return item.missing.map((m) => ({
      field: m.field,
      label: GATE_FIELD_LABELS[m.field] ?? m.field,
      detail: m.detail,
      supplier: m.supplier,
      supplierOwner: m.supplierOwner ?? null,
      supplierName: resolveOwnerName(item, m.supplierOwner) ?? ownerForRole(item, m.supplier)?.name ?? null,
    }));
  }
  if (item.lane !== "validate") return [];
  return missingRows(item).map((r) => ({
    field: "affectedStatus",
    label: r.field,
    detail: r.detail,
    supplier: "system-owner",
    supplierOwner: item.owner.id,
    supplierName: r.supplierName ?? null,
  }));
}

export function handoffJson(item: WorkItem): HandoffDocument {
  const a = item.advisory;
  const validation = item.lane === "validate";
  const deadline = effectiveDeadline(item);
  const next = nextCheckpoint(item);
  const notes = changeNotes(item);
  return {
    schema: HANDOFF_SCHEMA,
    kind: validation ? "validation-request" : "handoff",
    id: item.id,
    lane: item.lane,
    title: validation ? validationTitle(item) : handoffTitle(item),
    action: validation ? validationAction(item) : actionSentence(item),
    advisory: {
      id: a.id,
      aliases: [...a.aliases],
      title: a.title,
      vendor: a.vendor,
      product: a.product,
      component: a.component ?? null,
      affectedVersions: [...a.affectedVersions],
      cvss: a.cvss ?? null,
      kev: a.kev ?? null,
      epss: a.epss ?? null,
    },
    scope: {
      advisoryId: a.id,
      aliases: [...a.aliases],
      vendor: a.vendor,
      product: a.product,
      component: a.component ?? null,
      affectedVersions: [...a.affectedVersions],
      assetGroup: item.assetGroup,
      environments: [...item.environments],
      businessServices: [...item.businessServices],
      assets: item.assets.map((x) => ({
        ...x,
        roles: [...x.roles],
        businessService: x.businessService ?? null,
        installed: x.installed ?? null,
      })),
    },
    owners: {
      security: owner("security", item.securityOwner),
      systemOwner: owner("system-owner", item.owner),
      serviceOwner: owner("service-owner", item.serviceOwner),
      governance: owner("governance", item.governanceOwner),
    },
    urgency: {
      proposedLane: item.decision.proposedLane,
      rule: item.decision.rule,
      explanation: item.decision.explanation,
      triggers: item.decision.triggers.map((t) => ({ ...t })),
      signals: signalLines(item),
      ssvc: item.decision.ssvc
        ? {
            outcome: item.decision.ssvc.outcome,
            points: { ...item.decision.ssvc.points },
            assumed: [...item.decision.ssvc.assumed],
          }
        : null,
      reviewTriggers: item.decision.reviewTriggers.map((t) => ({ ...t })),
    },
    fix: {
      fixedVersion: nonEmpty(item.fix.fixedVersion),
      patchLinks: [...item.fix.patchLinks],
      workarounds: [...item.fix.workarounds],
      mitigations: [...item.fix.mitigations],
      reboot: nonEmpty(item.fix.reboot ?? item.change.reboot),
      supersedence: nonEmpty(item.fix.supersedence),
      knownIssues: [...item.fix.knownIssues],
    },
    deadline: deadline
      ? {
          ...time(deadline.at, deadline.zone, deadline.local),
          basis: deadline.basis,
        }
      : null,
    change: {
      testing: notes.testing,
      rollback: notes.rollback,
      maintenanceWindow: notes.maintenanceWindow,
      dependencies: notes.dependencies,
      approval: notes.approval,
      communication: notes.communication,
      reboot: notes.reboot,
      knownIssues: [...item.fix.knownIssues],
      notRecorded: notes.notRecorded,
    },
    fallback: {
      mitigation: nonEmpty(item.fallback.mitigation),
      monitoring: nonEmpty(item.fallback.monitoring),
      exceptionPath: nonEmpty(item.fallback.exceptionPath),
      governanceOwner: item.governanceOwner?.name ?? null,
      reviewDate: nonEmpty(item.fallback.reviewDate),
      reportBlockerTo: ownerShort(item.securityOwner, "the security team"),
      blockerCategories: [...BLOCKER_CATEGORIES],
    },
    closureEvidence: item.closureEvidence.filter((e) => e.trim() !== ""),
    caveats: [
      ...item.caveats.filter((c) => c.trim() !== ""),
      ...item.assets
        .filter((x) => x.status === "unknown")
        .map((x) => `${x.name}: affected status unknown${x.reason ? ` — ${x.reason}` : ""}`),
    ],
    nextUpdate: next
      ? {
          checkpoint: next.kind,
          ...time(next.due, next.zone, next.local),
          escalateTo: resolveOwnerName(item, next.escalateTo) ?? null,
          from: item.owner.name,
        }
      : null,
    cadence: sortedCadence(item).map((c) => ({
      checkpoint: c.kind,
      ...time(c.due, c.zone, c.local),
      escalateTo: resolveOwnerName(item, c.escalateTo) ?? null,
    })),
    missing: missingList(item),
    policy: { pack: item.policy.pack, band: item.policy.band ?? null },
    plannedAt: item.plannedAt,
  };
}
