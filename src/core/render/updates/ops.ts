/**
 * The operational update for execution teams: the eight questions of an urgent remediation
 * message, in order — what the issue is, why it is urgent now, what is in scope, who owns
 * execution, the deadline, what counts as complete, how to raise blockers or exceptions and when
 * the next update is due — with the asset table and every owner's status.
 */
import type { Lane, UrgencyTrigger } from "../../types.js";
import { type Block, fields, list, paragraph, table } from "../model.js";
import { BLOCKER_CATEGORIES, NOT_PROVIDED } from "../sections.js";
import {
  evidenceList,
  joinOrNotProvided,
  LANE_LABELS,
  ownerShort,
  productLabel,
  ROLE_DUTIES,
  resolveOwnerName,
  stripFinalStop,
  triggerLine,
  vendorProduct,
} from "../words.js";
import {
  caseJson,
  caseTitle,
  dueJson,
  finishedWords,
  type NotAffectedJson,
  namesList,
  nextUpdate,
  notAffectedJson,
  notAffectedSentence,
  overdueSentence,
  ownerNames,
  ownersJson,
  POINT_LABELS,
  plural,
  pointJson,
  STATE_LABELS,
  type UpdateModel,
  updateTime,
} from "./common.js";
import { type CaseSummary, pointInstant } from "./summary.js";
import {
  type CaseView,
  UPDATE_SCHEMA,
  type UpdateBase,
  type UpdateCheckpoint,
  type UpdateOwners,
  type UpdateTime,
} from "./types.js";

export const OPS_TITLE_PREFIX = "Operational update";

/** The eight questions, in the order the update answers them. */
export const OPS_HEADINGS = {
  issue: "What is the issue",
  urgency: "Why it is urgent now",
  scope: "What is in scope",
  owners: "Who owns execution",
  deadline: "The deadline",
  closure: "What counts as complete",
  blockers: "How to raise blockers or exceptions",
  next: "When the next update is due",
} as const;

export interface OpsUpdate extends UpdateBase {
  audience: "ops";
  issue: {
    advisories: {
      id: string;
      title: string;
      product: string;
      affectedVersions: string[];
      fixedVersions: string[];
    }[];
    record: string;
  };
  urgency: { triggers: UrgencyTrigger[]; lines: string[] };
  scope: {
    assetClasses: { assetGroup: string; roles: string[]; assets: number }[];
    systems: string[];
    environmentPriority: {
      order: number;
      environment: string;
      exposure: string;
      assets: number;
      text: string;
    }[];
    dueWindow: { opens: UpdateTime | null; closes: UpdateTime | null; text: string };
    respondsFirst: { role: string; owners: string[]; by: UpdateTime | null; text: string };
  };
  assets: {
    asset: string;
    assetGroup: string;
    environment: string;
    exposure: string;
    roles: string[];
    criticality: string;
    installed: string | null;
    status: string;
    systemOwner: string;
    state: string;
  }[];
  owners: UpdateOwners;
  ownerStatus: {
    workItemId: string;
    owner: string;
    assetGroup: string;
    state: string;
    lastEvent: UpdateTime;
    nextCheckpoint: UpdateCheckpoint | null;
    overdue: UpdateCheckpoint[];
  }[];
  deadline: {
    earliest: UpdateTime | null;
    latest: UpdateTime | null;
    /** False when every work item is closed or not affected: earliest and latest are then the deadlines they had. */
    open: boolean;
    byOwner: {
      workItemId: string;
      owner: string;
      assetGroup: string;
      deadline: UpdateTime | null;
      basis: string;
    }[];
  };
  closure: {
    rule: string;
    byLane: { lane: Lane; assetGroups: string[]; evidence: string[] }[];
    /** Work items their owner answered "not affected": nothing to change unless security reopens them. */
    notAffected: NotAffectedJson[];
  };
  blockers: {
    reportTo: string;
    categories: string[];
    exceptionsDecidedBy: string;
    businessDecisionsBy: string;
    open: {
      workItemId: string;
      assetGroup: string;
      owner: string;
      category: string;
      blocker: string;
      risk: string;
      temporaryControl: string;
      blockerOwner: string;
      nextReview: UpdateTime | null;
      unblocksWhen: string;
    }[];
    exceptionsPending: {
      workItemId: string;
      assetGroup: string;
      requestedBy: string;
      justification: string;
      compensatingControls: string;
      expiry: string;
      reviewDate: string;
      decidedBy: string;
    }[];
  };
  nextUpdate: { checkpoint: UpdateCheckpoint | null; text: string; overdue: UpdateCheckpoint[] };
}

const CATEGORY_WORDS: Record<string, string> = {
  technical: "technical issue",
  operational: "operational constraint",
  approval: "approval dependency",
  vendor: "vendor limitation",
  exception: "exception request",
};

function timeOrNull(at: string | null | undefined, zone: string): UpdateTime | null {
  return at ? updateTime(at, zone) : null;
}

function issue(summary: CaseSummary): OpsUpdate["issue"] {
  const seen = new Map<string, OpsUpdate["issue"]["advisories"][number]>();
  for (const { item } of summary.view.entries) {
    const a = item.advisory;
    let entry = seen.get(a.id);
    if (!entry) {
      entry = {
        id: a.id,
        title: a.title,
        product: `${vendorProduct(item)}${a.component && a.component !== a.product ? ` (${a.component})` : ""}`,
        affectedVersions: [...a.affectedVersions],
        fixedVersions: [],
      };
      seen.set(a.id, entry);
    }
    const fixed = item.fix.fixedVersion;
    if (fixed && !entry.fixedVersions.includes(fixed)) entry.fixedVersions.push(fixed);
  }
  const c = summary.view.case;
  const opened = updateTime(c.openedAt, "UTC").text;
  const asOf = updateTime(summary.view.now, "UTC").text;
  return {
    advisories: [...seen.values()],
    record:
      `case ${c.id}, opened ${opened}; this update is rendered from the record as of ${asOf}. ` +
      "Report progress, blockers and evidence on the record, not in side threads",
  };
}

function scope(summary: CaseSummary): OpsUpdate["scope"] {
  const classes = new Map<string, { assetGroup: string; roles: string[]; assets: number }>();
  const systems: string[] = [];
  for (const { item } of summary.view.entries) {
    let c = classes.get(item.assetGroup);
    if (!c) {
      c = { assetGroup: item.assetGroup, roles: [], assets: 0 };
      classes.set(item.assetGroup, c);
    }
    c.assets += item.assets.length;
    for (const a of item.assets) {
      for (const r of a.roles) if (!c.roles.includes(r)) c.roles.push(r);
      systems.push(a.name);
    }
  }
  const environmentPriority = summary.environments.map((g, i) => ({
    order: i + 1,
    environment: g.environment,
    exposure: g.exposure,
    assets: g.assets,
    text: `${i + 1}. ${g.environment}, ${g.exposure === "internet" ? "internet-facing" : g.exposure} — ${plural(g.assets, "asset")} (${namesList(g.names, 4)})`,
  }));
  const opens = summary.firstSent ? updateTime(summary.firstSent, "UTC") : null;
  const early = summary.earliestDeadline;
  const late = summary.latestDeadline;
  const closes = late ? updateTime(late.at, late.zone) : null;
  const windowText =
    opens && early && late
      ? `from the handoff ${opens.text} to the first deadline ${updateTime(early.at, early.zone).text}` +
        (late.at !== early.at ? ` and the last ${closes?.text}` : "")
      : opens
        ? `from the handoff ${opens.text}; no open work item carries a deadline`
        : NOT_PROVIDED;

  // Who moves first: the owner of the earliest checkpoint still to come.
  const first = summary.next;
  const firstRole = first?.point.kind.startsWith("forensic")
    ? "Security (forensic triage before patching)"
    : "System owner of each asset group (acknowledges and starts the change)";
  const firstOwners = first?.point.kind.startsWith("forensic")
    ? summary.owners.security.map((o) => o.name)
    : summary.owners["system-owner"].map((o) => o.name);
  const by = first ? updateTime(first.point.due, first.point.zone) : null;
  return {
    assetClasses: [...classes.values()],
    systems,
    environmentPriority,
    dueWindow: { opens, closes, text: windowText },
    respondsFirst: {
      role: firstRole,
      owners: firstOwners,
      by,
      text: `${firstRole}: ${namesList(firstOwners, 4)}${by && first ? ` — ${POINT_LABELS[first.point.kind].toLowerCase()} by ${by.text}` : ""}`,
    },
  };
}

function ownerStatus(summary: CaseSummary): OpsUpdate["ownerStatus"] {
  return summary.view.entries.map((entry, i) => {
    const { item, record } = entry;
    const point = summary.nextByEntry[i];
    const overdue = (summary.dueByItem.get(item.id) ?? [])
      .filter((d) => d.overdue)
      .map((d) => dueJson(summary, d));
    return {
      workItemId: item.id,
      owner: item.owner.name,
      assetGroup: item.assetGroup,
      state: record.state,
      lastEvent: updateTime(record.updatedAt, record.zone || item.owner.timeZone),
      nextCheckpoint: point ? pointJson(entry, point) : null,
      overdue,
    };
  });
}

function closure(summary: CaseSummary): OpsUpdate["closure"] {
  const groups = new Map<string, { lane: Lane; assetGroups: string[]; evidence: string[] }>();
  for (const { item, record } of summary.view.entries) {
    const evidence = evidenceList(item);
    const lane = record.lane ?? item.lane;
    const key = `${lane}\u0000${evidence.join("\u0000")}`;
    let g = groups.get(key);
    if (!g) {
      g = { lane, assetGroups: [], evidence };
      groups.set(key, g);
    }
    if (!g.assetGroups.includes(item.assetGroup)) g.assetGroups.push(item.assetGroup);
  }
  return {
    rule:
      "A patch claim alone does not close a work item: the evidence its lane names is checked, the fix is " +
      "verified, and the item then stays in monitoring for its window (rollback, missed nodes, re-detection " +
      "or new exploitation evidence reopen it) before it closes",
    byLane: [...groups.values()],
    notAffected: summary.notAffected.flatMap((e) => notAffectedJson(e) ?? []),
  };
}

function blockers(summary: CaseSummary): OpsUpdate["blockers"] {
  const security = summary.owners.security;
  return {
    reportTo: security.length > 0 ? ownerNames(security, 3) : "the security team",
    categories: [...BLOCKER_CATEGORIES],
    exceptionsDecidedBy: ownerNames(summary.owners.governance, 3, "governance / risk (not named)"),
    businessDecisionsBy: ownerNames(summary.owners["service-owner"], 3, "the service owner (not named)"),
    open: summary.blocked.map(({ item, record }) => {
      const b = record.blocker;
      return {
        workItemId: item.id,
        assetGroup: item.assetGroup,
        owner: item.owner.name,
        category: b ? (CATEGORY_WORDS[b.category] ?? b.category) : NOT_PROVIDED,
        blocker: b?.blocker ?? NOT_PROVIDED,
        risk: b?.risk ?? NOT_PROVIDED,
        temporaryControl: b?.temporaryControl ?? NOT_PROVIDED,
        blockerOwner: b ? (resolveOwnerName(item, b.owner) ?? b.owner) : NOT_PROVIDED,
        nextReview: b ? timeOrNull(pointInstant(b.nextReview, record.zone), record.zone) : null,
        unblocksWhen: b?.unblocksWhen ?? NOT_PROVIDED,
      };
    }),
    exceptionsPending: summary.exceptionsPending.map(({ item, record }) => {
      const ex = record.exception;
      return {
        workItemId: item.id,
        assetGroup: item.assetGroup,
        requestedBy: ex?.requestedBy ?? NOT_PROVIDED,
        justification: ex?.justification ?? NOT_PROVIDED,
        compensatingControls: ex?.compensatingControls ?? NOT_PROVIDED,
        expiry: ex?.expiry ?? NOT_PROVIDED,
        reviewDate: ex?.reviewDate ?? NOT_PROVIDED,
        decidedBy: ownerShort(item.governanceOwner, "governance / risk"),
      };
    }),
  };
}

export function opsDocument(summary: CaseSummary): OpsUpdate {
  const view: CaseView = summary.view;
  const next = nextUpdate(summary);
  const entries = view.entries;
  return {
    schema: UPDATE_SCHEMA,
    kind: "update",
    audience: "ops",
    title: caseTitle(OPS_TITLE_PREFIX, summary),
    case: caseJson(summary),
    asOf: view.now,
    issue: issue(summary),
    urgency: {
      triggers: summary.triggers,
      lines:
        summary.triggers.length > 0
          ? summary.triggers.map(triggerLine)
          : [
              ...new Set(
                entries.map(
                  ({ item }) =>
                    `No urgency trigger for ${item.assetGroup}: ${stripFinalStop(item.decision.explanation || NOT_PROVIDED)}`,
                ),
              ),
            ],
    },
    scope: scope(summary),
    assets: entries.flatMap(({ item, record }) =>
      item.assets.map((a) => ({
        asset: a.name,
        assetGroup: item.assetGroup,
        environment: a.environment,
        exposure: a.exposure,
        roles: a.roles,
        criticality: a.criticality,
        installed: a.installed ?? null,
        status: a.status,
        systemOwner: item.owner.name,
        state: record.state,
      })),
    ),
    owners: ownersJson(summary),
    ownerStatus: ownerStatus(summary),
    deadline: {
      earliest: summary.earliestDeadline
        ? updateTime(summary.earliestDeadline.at, summary.earliestDeadline.zone)
        : null,
      latest: summary.latestDeadline
        ? updateTime(summary.latestDeadline.at, summary.latestDeadline.zone)
        : null,
      open: summary.deadlinesOpen,
      byOwner: entries.map(({ item, record }) => {
        const at = record.deadline ?? item.deadline?.at ?? null;
        const zone = item.deadline?.zone ?? (record.zone || item.owner.timeZone);
        return {
          workItemId: item.id,
          owner: item.owner.name,
          assetGroup: item.assetGroup,
          deadline: timeOrNull(at, zone),
          basis: item.deadline?.basis ?? NOT_PROVIDED,
        };
      }),
    },
    closure: closure(summary),
    blockers: blockers(summary),
    nextUpdate: { ...next, overdue: summary.overdue.map((d) => dueJson(summary, d)) },
  };
}

// ---------------------------------------------------------------- model

function issueBlocks(doc: OpsUpdate, summary: CaseSummary): Block[] {
  const rows = doc.issue.advisories.flatMap((a) => [
    { label: "Advisory", value: `${a.id} — ${a.title || NOT_PROVIDED}` },
    { label: "Product", value: a.product },
    { label: "Affected versions", value: joinOrNotProvided(a.affectedVersions) },
    { label: "Fixed version", value: joinOrNotProvided(a.fixedVersions, ", ") },
  ]);
  const first = summary.view.entries[0]?.item;
  if (doc.issue.advisories.length === 0 && first) rows.push({ label: "Product", value: productLabel(first) });
  rows.push({ label: "Record", value: doc.issue.record });
  return [fields(rows)];
}

function scopeBlocks(doc: OpsUpdate): Block[] {
  const s = doc.scope;
  const blocks: Block[] = [
    fields([
      {
        label: "Affected asset classes",
        value: joinOrNotProvided(
          s.assetClasses.map(
            (c) =>
              `${c.assetGroup} (${plural(c.assets, "asset")}${c.roles.length > 0 ? `; roles: ${c.roles.join(", ")}` : ""})`,
          ),
        ),
      },
      {
        label: "Known in-scope systems",
        value:
          s.systems.length > 0
            ? `${plural(s.systems.length, "asset")}: ${namesList(s.systems, 20)}`
            : "none listed",
      },
      { label: "Due window", value: s.dueWindow.text },
      { label: "Responds first", value: s.respondsFirst.text },
    ]),
    paragraph("Environments in order (production internet-facing first):"),
    list(s.environmentPriority.map((e) => e.text.replace(/^\d+\. /, ""))),
  ];
  if (doc.assets.length > 0) {
    blocks.push(
      table(
        [
          "Asset",
          "Asset group",
          "Environment",
          "Exposure",
          "Installed",
          "Status",
          "System owner",
          "Work item state",
        ],
        doc.assets.map((a) => [
          a.asset,
          a.assetGroup,
          a.environment,
          a.exposure,
          a.installed ?? "not reported",
          a.status,
          a.systemOwner,
          STATE_LABELS[a.state as keyof typeof STATE_LABELS] ?? a.state,
        ]),
      ),
    );
  }
  return blocks;
}

function ownersBlocks(doc: OpsUpdate): Block[] {
  const names = (owners: { name: string; contact: string | null }[], none: string) =>
    owners.length > 0
      ? owners.map((o) => (o.contact ? `${o.name} (${o.contact})` : o.name)).join("; ")
      : none;
  return [
    fields([
      { label: `Security (${ROLE_DUTIES.security})`, value: names(doc.owners.security, "not named") },
      {
        label: `System owners (${ROLE_DUTIES["system-owner"]})`,
        value: names(doc.owners.systemOwner, "not named"),
      },
      {
        label: "Service owners (decide business matters: downtime, windows, approvals)",
        value: names(doc.owners.serviceOwner, "not named"),
      },
      {
        label: `Governance / risk (${ROLE_DUTIES.governance})`,
        value: names(doc.owners.governance, "not named"),
      },
    ]),
    paragraph("Status by owner:"),
    table(
      ["System owner", "Asset group", "Work item", "State", "Last event", "Next checkpoint", "Overdue"],
      doc.ownerStatus.map((o) => [
        o.owner,
        o.assetGroup,
        o.workItemId,
        STATE_LABELS[o.state as keyof typeof STATE_LABELS] ?? o.state,
        o.lastEvent.text,
        o.nextCheckpoint
          ? `${o.nextCheckpoint.label} by ${o.nextCheckpoint.text}`
          : o.state === "not-affected"
            ? "none (not affected)"
            : "none (closed)",
        o.overdue.length > 0 ? o.overdue.map((d) => `${d.label} was due ${d.text}`).join(" / ") : "no",
      ]),
    ),
  ];
}

function deadlineBlocks(doc: OpsUpdate, summary: CaseSummary): Block[] {
  const d = doc.deadline;
  const rows = [];
  if (d.earliest && !d.open)
    rows.push({ label: `Deadline (every work item is ${finishedWords(summary)})`, value: d.earliest.text });
  else if (d.earliest) rows.push({ label: "First deadline", value: d.earliest.text });
  if (d.latest && d.latest.at !== d.earliest?.at) rows.push({ label: "Last deadline", value: d.latest.text });
  const blocks: Block[] = [];
  if (rows.length > 0) blocks.push(fields(rows));
  else blocks.push(paragraph(`Deadline: ${NOT_PROVIDED} — no open work item carries one.`));
  blocks.push(
    paragraph("Each owner's deadline, in the owner's zone and in UTC:"),
    table(
      ["System owner", "Asset group", "Deadline", "Basis"],
      d.byOwner.map((o) => [o.owner, o.assetGroup, o.deadline ? o.deadline.text : NOT_PROVIDED, o.basis]),
    ),
  );
  return blocks;
}

function closureBlocks(doc: OpsUpdate): Block[] {
  const blocks: Block[] = [
    list(
      doc.closure.byLane.map(
        (g) => `${LANE_LABELS[g.lane]} (${namesList(g.assetGroups, 4)}): ${joinOrNotProvided(g.evidence)}`,
      ),
    ),
    paragraph(`${doc.closure.rule}.`),
  ];
  const na = doc.closure.notAffected;
  if (na.length > 0) {
    blocks.push(
      paragraph(
        "Answered not affected by their owner (no change needed; security reopens the item if a scan or new " +
          "information shows otherwise):",
      ),
      list(na.map(notAffectedSentence)),
    );
  }
  return blocks;
}

function blockerBlocks(doc: OpsUpdate): Block[] {
  const b = doc.blockers;
  const cats = b.categories;
  const blocks: Block[] = [
    fields([
      {
        label: "Report a blocker",
        value:
          `to ${b.reportTo} on the record as soon as it is known, naming its category — ` +
          `${cats.slice(0, -1).join(", ")} or ${cats[cats.length - 1]} — with its risk, temporary control, owner, next review date and what unblocks it`,
      },
      {
        label: "Exception requests",
        value: `decided by ${b.exceptionsDecidedBy}, with justification, compensating controls, expiry and review date`,
      },
      { label: "Business approvals (downtime, window)", value: `from ${b.businessDecisionsBy}` },
    ]),
  ];
  const open = b.open.map(
    (x) =>
      `${x.assetGroup} (${x.owner}) — ${x.category}: ${stripFinalStop(x.blocker)}; risk: ${stripFinalStop(x.risk)}; ` +
      `temporary control: ${stripFinalStop(x.temporaryControl)}; owner: ${x.blockerOwner}; ` +
      `next review: ${x.nextReview ? x.nextReview.text : NOT_PROVIDED}; unblocks when: ${stripFinalStop(x.unblocksWhen)}`,
  );
  const pending = b.exceptionsPending.map(
    (x) =>
      `${x.assetGroup} — exception requested by ${x.requestedBy}: ${stripFinalStop(x.justification)}; compensating controls: ` +
      `${stripFinalStop(x.compensatingControls)}; expiry ${x.expiry}; review ${x.reviewDate}; decision by ${x.decidedBy}`,
  );
  blocks.push(paragraph(open.length > 0 ? "Open blockers:" : "Open blockers: none recorded."));
  if (open.length > 0) blocks.push(list(open));
  if (pending.length > 0) blocks.push(paragraph("Exception requests awaiting a decision:"), list(pending));
  return blocks;
}

function nextBlocks(doc: OpsUpdate): Block[] {
  const blocks: Block[] = [paragraph(doc.nextUpdate.text)];
  if (doc.nextUpdate.overdue.length > 0) {
    blocks.push(
      paragraph("Overdue checkpoints, oldest first:"),
      list(doc.nextUpdate.overdue.map(overdueSentence)),
    );
  }
  return blocks;
}

export function opsModel(doc: OpsUpdate, summary: CaseSummary): UpdateModel {
  const H = OPS_HEADINGS;
  return {
    kind: "update",
    title: doc.title,
    sections: [
      { heading: H.issue, blocks: issueBlocks(doc, summary) },
      { heading: H.urgency, blocks: [list(doc.urgency.lines)] },
      { heading: H.scope, blocks: scopeBlocks(doc) },
      { heading: H.owners, blocks: ownersBlocks(doc) },
      { heading: H.deadline, blocks: deadlineBlocks(doc, summary) },
      { heading: H.closure, blocks: closureBlocks(doc) },
      { heading: H.blockers, blocks: blockerBlocks(doc) },
      { heading: H.next, blocks: nextBlocks(doc) },
    ],
  };
}
