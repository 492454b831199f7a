/**
 * The leadership update: risk, business impact, progress as numbers, blockers and the decisions
 * needed, ownership, confidence and the next checkpoint — short enough for one screen, no asset
 * tables. Everything comes from the one-pass summary; only the few lines shown are formatted.
 */
import type { Confidence } from "../../types.js";
import { fields, list, paragraph } from "../model.js";
import { NOT_PROVIDED } from "../sections.js";
import { lowerFirst, ownerShort, resolveOwnerName, reviewDateText, stripFinalStop } from "../words.js";
import {
  caseJson,
  caseTitle,
  dueJson,
  finishedWords,
  namesList,
  nextUpdate,
  ownerNames,
  ownersJson,
  percent,
  plural,
  type UpdateModel,
  updateTime,
} from "./common.js";
import type { CaseSummary, Progress, ServiceImpact } from "./summary.js";
import {
  type CaseEntry,
  UPDATE_SCHEMA,
  type UpdateBase,
  type UpdateCheckpoint,
  type UpdateOwners,
  type UpdateTime,
} from "./types.js";

export const LEADERSHIP_TITLE_PREFIX = "Leadership update";

export const LEADERSHIP_HEADINGS = {
  risk: "Risk summary",
  progress: "Progress",
  decisions: "Blockers and decisions needed",
  owners: "Ownership",
  confidence: "Confidence and next checkpoint",
} as const;

/** At most this many blocker or decision lines; the rest are counted. */
export const DECISION_LINES = 3;

export interface LeadershipUpdate extends UpdateBase {
  audience: "leadership";
  risk: { summary: string; triggers: string[] };
  businessImpact: { services: ServiceImpact[]; text: string };
  progress: Progress & { workItems: number; text: string; workItemsText: string };
  decisions: {
    exceptionsPending: number;
    approvalsWaiting: number;
    otherBlockers: number;
    overdue: number;
    /** The first lines, most pressing first; `more` counts the rest. */
    lines: string[];
    more: number;
  };
  owners: UpdateOwners;
  confidence: {
    sources: { source: string; confidence: Confidence }[];
    scope: { assets: number; unknown: number };
    verification: {
      verified: number;
      patched: number;
      /** Assets answered "not affected": resolved, but never counted as verified. */
      notAffected: number;
      total: number;
      coverage: string;
      withEvidence: number;
    };
    sourcesText: string;
    verificationText: string;
  };
  deadline: { earliest: UpdateTime | null; latest: UpdateTime | null; text: string };
  nextUpdate: { checkpoint: UpdateCheckpoint | null; text: string };
}

function riskSummary(summary: CaseSummary): LeadershipUpdate["risk"] {
  const first = summary.view.entries[0]?.item;
  const advisories = new Set<string>();
  const groups = new Set<string>();
  for (const { item } of summary.view.entries) {
    advisories.add(item.advisory.id);
    groups.add(item.assetGroup);
  }
  const what =
    advisories.size === 1 && first
      ? `${first.advisory.id} (${first.advisory.product}${first.advisory.component ? ` ${first.advisory.component}` : ""})`
      : `${plural(advisories.size, "advisory", "advisories")} (${namesList([...advisories], 3)})`;
  const triggers = summary.triggers.map((t) => lowerFirst(stripFinalStop(t.text)));
  const because =
    triggers.length > 0
      ? `${triggers.slice(0, 4).join("; ")}${triggers.length > 4 ? `; and ${plural(triggers.length - 4, "more trigger")}` : ""}`
      : "no urgency trigger applies (planned remediation)";
  const { total, notAffected } = summary.progress;
  const scope =
    notAffected > 0
      ? `${total - notAffected} of ${plural(total, "asset")} in scope in ${plural(groups.size, "asset group")} (${notAffected} not affected, as their owners answered)`
      : `${plural(total, "asset")} in ${plural(groups.size, "asset group")}`;
  return {
    summary: `${what} affects ${scope}: ${because}`,
    triggers,
  };
}

function businessImpact(summary: CaseSummary): LeadershipUpdate["businessImpact"] {
  const services = [...summary.services].sort((a, b) => b.openAssets - a.openAssets || b.assets - a.assets);
  const shown = services.slice(0, 3).map((s) => {
    const extra = [
      s.openAssets > 0 ? `${s.openAssets} still open` : "none open",
      s.internetFacing > 0 ? `${s.internetFacing} internet-facing` : undefined,
      s.critical > 0 ? `${s.critical} business-critical` : undefined,
    ].filter((x) => x !== undefined);
    return `${s.service} (${plural(s.assets, "asset")}; ${extra.join(", ")})`;
  });
  const more = services.length > 3 ? `; and ${services.length - 3} more services` : "";
  return {
    services,
    text: shown.length > 0 ? `${shown.join("; ")}${more}` : "no business service recorded",
  };
}

function progressText(p: Progress): string {
  const open = [
    p.blocked > 0 ? `${p.blocked} blocked` : undefined,
    p.mitigated > 0 ? `${p.mitigated} mitigated` : undefined,
    p.exceptionRequested > 0 ? `${p.exceptionRequested} awaiting an exception decision` : undefined,
  ].filter((x) => x !== undefined);
  const notAffected =
    p.notAffected > 0 ? `, ${p.notAffected} not affected (as their owners answered; nothing to patch)` : "";
  return (
    `${p.total} in scope — ${p.patched} patched (awaiting verification), ${p.verified} verified ` +
    `(${p.closed} closed, ${p.inMonitoring} in monitoring), ${p.excepted} excepted${notAffected}, ${p.open} open` +
    (open.length > 0 ? ` (${open.join(", ")})` : "")
  );
}

function workItemsText(summary: CaseSummary): string {
  const parts = Object.entries(summary.itemsByState)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state.replace(/-/g, " ")}`);
  return `${summary.workItems} — ${parts.join(", ") || "none"}`;
}

function decisionLine(entry: CaseEntry): string {
  const { item, record } = entry;
  if (record.state === "exception-requested") {
    const ex = record.exception;
    return (
      `Exception for ${item.assetGroup} (${item.owner.name}) awaits ${ownerShort(item.governanceOwner, "governance / risk")}` +
      (ex ? `: ${stripFinalStop(ex.justification)}; requested expiry ${ex.expiry}` : "")
    );
  }
  const b = record.blocker;
  if (!b) return `${item.assetGroup} (${item.owner.name}) is blocked; the blocker is not recorded`;
  const when = reviewDateText(b.nextReview, record.zone || item.owner.timeZone);
  const review = when ? `; next review ${when}` : "";
  if (b.category === "approval") {
    return `Approval needed from ${resolveOwnerName(item, b.owner) ?? b.owner} for ${item.assetGroup}: ${stripFinalStop(b.blocker)}${review}`;
  }
  return `${b.category[0]?.toUpperCase()}${b.category.slice(1)} blocker on ${item.assetGroup} (${item.owner.name}): ${stripFinalStop(b.blocker)}; unblocks when ${lowerFirst(stripFinalStop(b.unblocksWhen))}${review}`;
}

function decisions(summary: CaseSummary): LeadershipUpdate["decisions"] {
  const approvals: CaseEntry[] = [];
  const others: CaseEntry[] = [];
  for (const e of summary.blocked) {
    if (e.record.blocker?.category === "approval") approvals.push(e);
    else others.push(e);
  }
  // Decisions first (exceptions and approvals), then the other blockers, then the overdue count.
  const ordered = [...summary.exceptionsPending, ...approvals, ...others];
  const lines: string[] = [];
  const overdue = summary.overdue.length;
  const total = ordered.length + (overdue > 0 ? 1 : 0);
  const room = total > DECISION_LINES ? DECISION_LINES - 1 : DECISION_LINES;
  if (overdue > 0) {
    const oldest = summary.overdue[0];
    const c = oldest ? dueJson(summary, oldest) : undefined;
    lines.push(
      `${plural(overdue, "checkpoint")} overdue` +
        (c
          ? ` — oldest: ${c.label.toLowerCase()} from ${c.owner}, due ${c.text}${c.escalateTo ? `, escalated to ${c.escalateTo}` : ""}`
          : ""),
    );
  }
  for (const e of ordered) {
    if (lines.length >= room) break;
    lines.push(decisionLine(e));
  }
  return {
    exceptionsPending: summary.exceptionsPending.length,
    approvalsWaiting: approvals.length,
    otherBlockers: others.length,
    overdue,
    lines,
    more: total - lines.length,
  };
}

function confidence(summary: CaseSummary): LeadershipUpdate["confidence"] {
  const sources = new Map<string, Confidence>();
  for (const t of summary.triggers) if (!sources.has(t.source)) sources.set(t.source, t.confidence);
  let withEvidence = 0;
  for (const { record } of summary.view.entries) if (record.evidence.length > 0) withEvidence++;
  const p = summary.progress;
  const list = [...sources].map(([source, c]) => ({ source, confidence: c }));
  const unknown = summary.unknownAssets;
  const rest = p.total - p.notAffected;
  const scopeText =
    p.notAffected === 0
      ? unknown > 0
        ? `${unknown} of ${p.total} assets have an unknown affected status`
        : `all ${p.total} assets confirmed affected`
      : `${p.notAffected} of ${p.total} assets not affected (as their owners answered)` +
        (unknown > 0
          ? `; ${unknown} have an unknown affected status`
          : rest > 0
            ? `; the other ${rest} confirmed affected`
            : "");
  const notAffectedText =
    p.notAffected > 0 ? `; ${p.notAffected} not affected (an answer, not a verified fix)` : "";
  return {
    sources: list,
    scope: { assets: p.total, unknown: summary.unknownAssets },
    verification: {
      verified: p.verified,
      patched: p.patched,
      notAffected: p.notAffected,
      total: p.total,
      coverage: percent(p.verified, p.total),
      withEvidence,
    },
    sourcesText:
      `${
        list.length > 0
          ? list
              .slice(0, 4)
              .map((s) => `${s.source} (${s.confidence})`)
              .join(", ")
          : "no trigger source recorded"
      }` + `${list.length > 4 ? ` and ${list.length - 4} more` : ""}; ${scopeText}`,
    verificationText:
      `${p.verified} of ${p.total} assets verified (${percent(p.verified, p.total)}); ${p.patched} patched and awaiting verification${notAffectedText}; ` +
      `closure evidence recorded on ${withEvidence} of ${summary.workItems} work items`,
  };
}

export function leadershipDocument(summary: CaseSummary): LeadershipUpdate {
  const early = summary.earliestDeadline;
  const late = summary.latestDeadline;
  const earliest = early ? updateTime(early.at, early.zone) : null;
  const latest = late ? updateTime(late.at, late.zone) : null;
  const p = summary.progress;
  return {
    schema: UPDATE_SCHEMA,
    kind: "update",
    audience: "leadership",
    title: caseTitle(LEADERSHIP_TITLE_PREFIX, summary),
    case: caseJson(summary),
    asOf: summary.view.now,
    risk: riskSummary(summary),
    businessImpact: businessImpact(summary),
    progress: {
      ...p,
      workItems: summary.workItems,
      text: progressText(p),
      workItemsText: workItemsText(summary),
    },
    decisions: decisions(summary),
    owners: ownersJson(summary),
    confidence: confidence(summary),
    deadline: {
      earliest,
      latest,
      text: earliest
        ? `${summary.deadlinesOpen ? "" : `every work item is ${finishedWords(summary)}; it was `}${earliest.text}${latest && latest.at !== earliest.at ? `; last ${latest.text}` : ""}`
        : `${NOT_PROVIDED} — no open work item carries a deadline`,
    },
    nextUpdate: nextUpdate(summary),
  };
}

export function leadershipModel(doc: LeadershipUpdate, summary: CaseSummary): UpdateModel {
  const H = LEADERSHIP_HEADINGS;
  const d = doc.decisions;
  const decisionLines = [...d.lines];
  if (d.more > 0) decisionLines.push(`and ${d.more} more — see the operational update`);
  return {
    kind: "update",
    title: doc.title,
    sections: [
      {
        heading: H.risk,
        blocks: [
          fields([
            { label: "Risk", value: doc.risk.summary },
            { label: "Business impact", value: doc.businessImpact.text },
            { label: "Deadline", value: doc.deadline.text },
          ]),
        ],
      },
      {
        heading: H.progress,
        blocks: [
          fields([
            { label: "Assets", value: doc.progress.text },
            { label: "Work items", value: doc.progress.workItemsText },
          ]),
        ],
      },
      {
        heading: H.decisions,
        blocks: [
          decisionLines.length > 0
            ? list(decisionLines)
            : paragraph("None: no blocker, pending exception or overdue checkpoint."),
        ],
      },
      {
        heading: H.owners,
        blocks: [
          fields([
            { label: "Security (prioritises)", value: ownerNames(summary.owners.security) },
            { label: "Execution (system owners)", value: ownerNames(summary.owners["system-owner"]) },
            {
              label: "Business decisions (service owners)",
              value: ownerNames(summary.owners["service-owner"]),
            },
            { label: "Exceptions (governance / risk)", value: ownerNames(summary.owners.governance) },
          ]),
        ],
      },
      {
        heading: H.confidence,
        blocks: [
          fields([
            { label: "Sources", value: doc.confidence.sourcesText },
            { label: "Verification", value: doc.confidence.verificationText },
            { label: "Next checkpoint", value: doc.nextUpdate.text.replace(/^Next update due: /, "") },
          ]),
        ],
      },
    ],
  };
}
