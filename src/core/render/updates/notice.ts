/**
 * The service-owner notice: what the remediation means for each business service, the downtime
 * and window, the approval needed, by when (in the service owner's zone and in UTC) and whom to
 * answer. One notice covers every service owner of the case, each with their own lines.
 */
import type { OwnerRef } from "../../types.js";
import { fields, list, paragraph } from "../model.js";
import { NOT_PROVIDED } from "../sections.js";
import { ownerShort, stripFinalStop } from "../words.js";
import {
  caseJson,
  caseTitle,
  type NotAffectedJson,
  namesList,
  nextUpdate,
  notAffectedJson,
  notAffectedSentence,
  ownerJson,
  ownerNames,
  ownersJson,
  POINT_LABELS,
  plural,
  STATE_LABELS,
  type UpdateModel,
  updateTime,
} from "./common.js";
import { type CaseSummary, progressBucket, toMs } from "./summary.js";
import {
  type CaseEntry,
  UPDATE_SCHEMA,
  type UpdateBase,
  type UpdateCheckpoint,
  type UpdateOwner,
  type UpdateOwners,
  type UpdateTime,
} from "./types.js";

export const NOTICE_TITLE_PREFIX = "Service owner notice";

export const NOTICE_HEADINGS = {
  impact: "Impact on the service",
  downtime: "Downtime and window",
  approval: "Approval needed",
  deadline: "Answer needed by",
  answer: "Who to answer",
  next: "Next update due",
} as const;

export interface ServiceNotice {
  serviceOwner: UpdateOwner | null;
  services: string[];
  impact: string;
  changes: {
    workItemId: string;
    assetGroup: string;
    systemOwner: string;
    state: string;
    assets: string[];
    window: string;
    reboot: string;
    dependencies: string;
    communication: string;
    approvalRoute: string;
  }[];
  /** Work items patched, excepted or closed: no further downtime for them. */
  done: number;
  /** Work items their owner answered "not affected": no change and no downtime. */
  notAffected: NotAffectedJson[];
  approval: string[];
  answerBy: (UpdateTime & { basis: string }) | null;
}

export interface ServiceOwnerUpdate extends UpdateBase {
  audience: "service-owner";
  why: string[];
  notices: ServiceNotice[];
  owners: UpdateOwners;
  answerTo: string;
  deadline: { answerBy: { serviceOwner: string; time: UpdateTime | null; basis: string }[] };
  nextUpdate: { checkpoint: UpdateCheckpoint | null; text: string };
}

interface Group {
  owner: OwnerRef | undefined;
  entries: { entry: CaseEntry; index: number }[];
}

function groups(summary: CaseSummary): Group[] {
  const map = new Map<string, Group>();
  summary.view.entries.forEach((entry, index) => {
    const key = entry.item.serviceOwner?.id ?? "";
    let g = map.get(key);
    if (!g) {
      g = { owner: entry.item.serviceOwner, entries: [] };
      map.set(key, g);
    }
    g.entries.push({ entry, index });
  });
  return [...map.values()];
}

function approvalsFor(entry: CaseEntry): string[] {
  const { item, record } = entry;
  const out: string[] = [];
  const state = record.state;
  if (state === "exception-requested") {
    out.push(
      `${item.assetGroup}: confirm the business impact of the exception requested (${stripFinalStop(record.exception?.justification ?? NOT_PROVIDED)}); ${ownerShort(item.governanceOwner, "governance / risk")} decides it`,
    );
  } else if (state === "blocked" && record.blocker?.category === "approval") {
    out.push(
      `${item.assetGroup}: the change waits for your approval — ${stripFinalStop(record.blocker.blocker)}; unblocks when ${stripFinalStop(record.blocker.unblocksWhen)}`,
    );
  } else if (progressBucket(state) === "open" && state !== "blocked") {
    const window = item.change.maintenanceWindow ?? "a window you name";
    out.push(
      `${item.assetGroup}: approve the change and its downtime in ${stripFinalStop(window)}` +
        (item.change.approval ? ` (route: ${stripFinalStop(item.change.approval)})` : ""),
    );
  }
  return out;
}

function notice(summary: CaseSummary, group: Group): ServiceNotice {
  const services = new Set<string>();
  let assets = 0;
  let openAssets = 0;
  let internet = 0;
  let critical = 0;
  const changes: ServiceNotice["changes"] = [];
  const approval: string[] = [];
  const notAffected: NotAffectedJson[] = [];
  let done = 0;
  let best: { at: string; zone: string; basis: string; ms: number } | undefined;
  for (const { entry, index } of group.entries) {
    const { item, record } = entry;
    const open = progressBucket(record.state) === "open";
    for (const s of item.businessServices) services.add(s);
    for (const a of item.assets) {
      if (a.businessService) services.add(a.businessService);
      assets++;
      if (open) openAssets++;
      if (a.exposure === "internet") internet++;
      if (a.criticality === "critical") critical++;
    }
    if (!open) {
      const answer = record.state === "not-affected" ? notAffectedJson(entry) : undefined;
      if (answer) notAffected.push(answer);
      else done++;
      continue;
    }
    changes.push({
      workItemId: item.id,
      assetGroup: item.assetGroup,
      systemOwner: item.owner.name,
      state: record.state,
      assets: item.assets.map((a) => a.name),
      window: item.change.maintenanceWindow ?? NOT_PROVIDED,
      reboot: item.change.reboot ?? item.fix.reboot ?? NOT_PROVIDED,
      dependencies: item.change.dependencies ?? NOT_PROVIDED,
      communication: item.change.communication ?? NOT_PROVIDED,
      approvalRoute: item.change.approval ?? NOT_PROVIDED,
    });
    approval.push(...approvalsFor(entry));
    const point = summary.nextByEntry[index];
    const candidate = point
      ? {
          at: point.due,
          zone: point.zone,
          basis: `${POINT_LABELS[point.kind].toLowerCase()} of ${item.assetGroup}`,
          ms: point.ms,
        }
      : record.deadline
        ? {
            at: record.deadline,
            zone: record.zone,
            basis: `deadline of ${item.assetGroup}`,
            ms: toMs(record.deadline),
          }
        : undefined;
    if (candidate && (best === undefined || candidate.ms < best.ms)) best = candidate;
  }
  const zone = group.owner?.timeZone ?? best?.zone ?? "UTC";
  const triggers = summary.triggers.slice(0, 2).map((t) => stripFinalStop(t.text));
  const impact =
    `${plural(assets, "asset")} behind ${namesList([...services], 3, "no named service")} ` +
    `(${openAssets} still to change${internet > 0 ? `, ${internet} internet-facing` : ""}${critical > 0 ? `, ${critical} business-critical` : ""})` +
    (triggers.length > 0 ? `; urgent because: ${triggers.join("; ")}` : "");
  return {
    serviceOwner: group.owner ? ownerJson(group.owner) : null,
    services: [...services],
    impact,
    changes,
    done,
    notAffected,
    approval,
    answerBy: best ? { ...updateTime(best.at, zone), basis: best.basis } : null,
  };
}

export function noticeDocument(summary: CaseSummary): ServiceOwnerUpdate {
  const notices = groups(summary).map((g) => notice(summary, g));
  const security = summary.owners.security;
  return {
    schema: UPDATE_SCHEMA,
    kind: "update",
    audience: "service-owner",
    title: caseTitle(NOTICE_TITLE_PREFIX, summary),
    case: caseJson(summary),
    asOf: summary.view.now,
    why: summary.triggers.map((t) => `${stripFinalStop(t.text)} (source: ${t.source})`),
    notices,
    owners: ownersJson(summary),
    answerTo: security.length > 0 ? ownerNames(security, 3) : "the security team",
    deadline: {
      answerBy: notices.map((n) => ({
        serviceOwner: n.serviceOwner?.name ?? "service owner not named",
        time: n.answerBy,
        basis: n.answerBy?.basis ?? `no change is pending as of ${updateTime(summary.view.now, "UTC").text}`,
      })),
    },
    nextUpdate: nextUpdate(summary),
  };
}

function who(n: ServiceNotice): string {
  return n.serviceOwner ? n.serviceOwner.name : "Service owner not named";
}

export function noticeModel(doc: ServiceOwnerUpdate, summary: CaseSummary): UpdateModel {
  const H = NOTICE_HEADINGS;
  const downtime = doc.notices.flatMap((n) =>
    n.changes.map(
      (c) =>
        `${c.assetGroup} (${namesList(c.assets, 4)}; ${STATE_LABELS[c.state as keyof typeof STATE_LABELS] ?? c.state}) — ` +
        `window: ${stripFinalStop(c.window)}; restart: ${stripFinalStop(c.reboot)}; dependencies: ${stripFinalStop(c.dependencies)}; ` +
        `users told: ${stripFinalStop(c.communication)}`,
    ),
  );
  const done = doc.notices.reduce((sum, n) => sum + n.done, 0);
  const notAffected = doc.notices.flatMap((n) => n.notAffected.map(notAffectedSentence));
  const approvals = doc.notices.flatMap((n) => n.approval.map((a) => `${who(n)} — ${a}`));
  const asOf = updateTime(doc.asOf, "UTC").text;
  const answerBy = doc.notices.map((n) => {
    if (!n.answerBy) return `${who(n)}: no answer needed — no change is pending as of ${asOf}`;
    if (n.approval.length === 0) {
      return `${who(n)}: nothing to approve now; next checkpoint ${n.answerBy.text} (${n.answerBy.basis})`;
    }
    return `${who(n)}: by ${n.answerBy.text} (${n.answerBy.basis})`;
  });
  return {
    kind: "update",
    title: doc.title,
    sections: [
      {
        heading: H.impact,
        blocks: [list(doc.notices.map((n) => `${who(n)}: ${n.impact}`))],
      },
      {
        heading: H.downtime,
        blocks: [
          downtime.length > 0
            ? list(downtime)
            : paragraph("No change is pending: no further downtime is planned."),
          ...(done > 0
            ? [
                paragraph(
                  `${plural(done, "work item")} already patched, excepted or closed: no further downtime for them.`,
                ),
              ]
            : []),
          ...(notAffected.length > 0
            ? [
                paragraph("Not affected, as their owner answered: no change and no downtime."),
                list(notAffected),
              ]
            : []),
        ],
      },
      {
        heading: H.approval,
        blocks: [
          approvals.length > 0
            ? list(approvals)
            : paragraph("No approval is needed from the service owner now."),
        ],
      },
      { heading: H.deadline, blocks: [list(answerBy)] },
      {
        heading: H.answer,
        blocks: [
          fields([
            { label: "Answer to", value: `${doc.answerTo}, on the record of case ${doc.case.id}` },
            {
              label: "System owner (executes the change)",
              value: ownerNames(summary.owners["system-owner"]),
            },
            { label: "Governance / risk (decides exceptions)", value: ownerNames(summary.owners.governance) },
          ]),
        ],
      },
      { heading: H.next, blocks: [paragraph(doc.nextUpdate.text)] },
    ],
  };
}
