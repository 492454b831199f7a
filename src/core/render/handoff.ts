/**
 * The patch owner handoff for every lane except "validate": the action asked for, then scope,
 * owners, urgency, fix path, deadline, change safety, fallback, closure proof, caveats and the next
 * update — each under a fixed heading, with "not provided" written where a value is missing.
 */
import type { WorkItem } from "../types.js";
import { type Block, fields, list, paragraph, type RenderModel, type Section } from "./model.js";
import { caveatsSection, nextUpdateSection, ownersSection, scopeSection } from "./parts.js";
import { BLOCKER_CATEGORIES, HANDOFF_HEADINGS as H, HANDOFF_TITLE_PREFIX, NOT_PROVIDED } from "./sections.js";
import {
  becauseText,
  bothTimes,
  changeNotes,
  evidenceList,
  joinOrNotProvided,
  LANE_LABELS,
  lowerFirst,
  orNotProvided,
  ownerShort,
  productLabel,
  reviewDateText,
  signalLines,
  ssvcLine,
  stripFinalStop,
  triggerLine,
} from "./words.js";

export function handoffTitle(item: WorkItem): string {
  return `${HANDOFF_TITLE_PREFIX} — ${item.advisory.id}: ${item.advisory.title}`;
}

function deadlineText(item: WorkItem): string {
  return item.deadline ? bothTimes(item.deadline.at, item.deadline.zone) : `a deadline (${NOT_PROVIDED})`;
}

function reviewText(item: WorkItem): string | undefined {
  return reviewDateText(item.fallback.reviewDate, item.deadline?.zone ?? item.owner.timeZone);
}

/** The one-sentence ask for the lane, following the seed's copy template. */
export function actionSentence(item: WorkItem): string {
  const group = item.assetGroup;
  const product = productLabel(item);
  const by = deadlineText(item);
  switch (item.lane) {
    case "patch-now":
      return (
        `Patch now: patch ${group} (${product}) to ${item.fix.fixedVersion ?? `the fixed version (${NOT_PROVIDED})`} ` +
        `by ${by} because ${becauseText(item)}. Confirm the affected versions, the test result, the rollback plan, ` +
        "the deployment time and the post-patch validation evidence."
      );
    case "patch-window": {
      const window = item.change.maintenanceWindow ?? "the next scheduled maintenance window";
      const triggers = item.decision.reviewTriggers.map((t) => stripFinalStop(t.text));
      return (
        `Patch in window: include ${product} on ${group} in the next patch window (${window}) and finish by ${by}. ` +
        `Priority is planned because ${lowerFirst(stripFinalStop(item.decision.explanation || "no urgency trigger applies"))}.` +
        (triggers.length > 0 ? ` Review triggers that re-decide it: ${triggers.join("; ")}.` : "")
      );
    }
    case "mitigate": {
      const mitigation = item.fix.mitigations[0] ?? item.fix.workarounds[0] ?? item.fallback.mitigation;
      return (
        `Mitigate: no fixed version exists for ${product} yet. Apply the mitigation or exposure reduction ` +
        `(${stripFinalStop(orNotProvided(mitigation))}) on ${group} by ${by}, document the residual risk, ask the SOC ` +
        "to monitor the affected assets, and track vendor guidance until a fixed version exists."
      );
    }
    case "blocked": {
      const review = reviewText(item);
      return (
        `Blocked: patching ${group} (${product}) cannot move. State the blocker, its risk, the temporary control in ` +
        `place, its owner, the next review date${review ? ` (${review})` : ""} and the approval or test result needed ` +
        `to unblock patching, by ${by}. Recorded blocker: ${stripFinalStop(item.decision.explanation || NOT_PROVIDED)}.`
      );
    }
    case "exception":
      return (
        `Exception review: ${ownerShort(item.governanceOwner, "governance / risk")} to review the exception requested ` +
        `for ${group} (${product}) by ${by}: its owner, justification, compensating controls, expiry and review date.`
      );
    case "closure":
      return (
        `Confirm closure: provide closure evidence for ${group} (${product}) by ${by}: ` +
        `${joinOrNotProvided(evidenceList(item), ", ")}, plus any systems still exposed or deferred.`
      );
    case "validate":
      return `Validate: confirm the affected status of ${group} (${product}) by ${by}.`;
  }
}

function whySection(item: WorkItem): Section {
  const blocks: Block[] = [];
  if (item.decision.triggers.length > 0) {
    blocks.push(paragraph("Urgency triggers:"), list(item.decision.triggers.map(triggerLine)));
  } else {
    blocks.push(paragraph("No urgency trigger applies; the signals below explain the priority."));
  }
  blocks.push(paragraph("Signals:"), list(signalLines(item)));
  const rows = [{ label: "Lane", value: `${LANE_LABELS[item.lane]} (rule: ${item.decision.rule})` }];
  const ssvc = ssvcLine(item);
  if (ssvc) rows.push({ label: "SSVC", value: ssvc });
  rows.push({ label: "Decision", value: orNotProvided(item.decision.explanation) });
  blocks.push(fields(rows));
  return { heading: H.why, blocks };
}

function fixSection(item: WorkItem): Section {
  const f = item.fix;
  const fixed =
    f.fixedVersion ??
    (item.lane === "mitigate" ? "none available yet — track vendor guidance until one exists" : NOT_PROVIDED);
  return {
    heading: H.fix,
    blocks: [
      fields([
        { label: "Fixed version", value: fixed },
        { label: "Patch links", value: joinOrNotProvided(f.patchLinks, " ") },
        { label: "Workarounds", value: joinOrNotProvided(f.workarounds) },
        { label: "Mitigations", value: joinOrNotProvided(f.mitigations) },
        { label: "Reboot", value: orNotProvided(f.reboot ?? item.change.reboot) },
        { label: "Supersedence", value: orNotProvided(f.supersedence) },
        { label: "Known issues", value: joinOrNotProvided(f.knownIssues) },
      ]),
    ],
  };
}

function deadlineSection(item: WorkItem): Section {
  const rows = [];
  if (item.lane === "patch-window") {
    rows.push({ label: "Window", value: orNotProvided(item.change.maintenanceWindow) });
  }
  rows.push({
    label: "Deadline",
    value: item.deadline
      ? bothTimes(item.deadline.at, item.deadline.zone)
      : `${NOT_PROVIDED} — policy ${item.policy.pack}${item.policy.band ? ` (${item.policy.band})` : ""} sets none`,
  });
  rows.push({
    label: "Basis",
    value: item.deadline
      ? `${item.deadline.basis} (policy ${item.policy.pack}${item.policy.band ? `, ${item.policy.band}` : ""})`
      : NOT_PROVIDED,
  });
  const blocks: Block[] = [fields(rows)];
  const triggers = item.decision.reviewTriggers.map((t) => stripFinalStop(t.text));
  if (triggers.length > 0) {
    blocks.push(paragraph("Review triggers (the lane and deadline are re-decided if any of these happen):"));
    blocks.push(list(triggers));
  } else {
    blocks.push(paragraph("Review triggers: none recorded."));
  }
  return { heading: H.deadline, blocks };
}

function changeSection(item: WorkItem): Section {
  const notes = changeNotes(item);
  return {
    heading: H.change,
    blocks: [
      fields([
        { label: "Testing", value: notes.testing },
        { label: "Rollback", value: notes.rollback },
        { label: "Maintenance window", value: notes.maintenanceWindow },
        { label: "Dependencies", value: notes.dependencies },
        { label: "Approval", value: notes.approval },
        { label: "Communication", value: notes.communication },
        { label: "Reboot", value: notes.reboot },
        { label: "Known issues", value: notes.knownIssues },
      ]),
    ],
  };
}

function fallbackSection(item: WorkItem): Section {
  const fb = item.fallback;
  const governance = ownerShort(item.governanceOwner, "governance / risk (not named)");
  const security = ownerShort(item.securityOwner, "the security team");
  return {
    heading: H.fallback,
    blocks: [
      fields([
        { label: "Temporary control", value: orNotProvided(fb.mitigation) },
        { label: "SOC monitoring", value: orNotProvided(fb.monitoring) },
        {
          label: "Exception path",
          value: fb.exceptionPath
            ? `${stripFinalStop(fb.exceptionPath)}; decided by ${governance}`
            : NOT_PROVIDED,
        },
        { label: "Review date", value: orNotProvided(reviewText(item)) },
        {
          label: "Report a blocker",
          value:
            `to ${security} as soon as it is known, naming its category — ${BLOCKER_CATEGORIES.slice(0, -1).join(", ")} ` +
            `or ${BLOCKER_CATEGORIES[BLOCKER_CATEGORIES.length - 1]} — and the decision or help needed`,
        },
      ]),
    ],
  };
}

function closureSection(item: WorkItem): Section {
  const evidence = evidenceList(item);
  const security = ownerShort(item.securityOwner, "the security team");
  return {
    heading: H.closure,
    blocks:
      evidence.length > 0
        ? [
            list(evidence),
            paragraph(
              `Send the evidence with a timestamp to ${security}. A patch attempt alone does not close the item.`,
            ),
          ]
        : [paragraph(`Evidence: ${NOT_PROVIDED}.`)],
  };
}

export function buildHandoff(item: WorkItem): RenderModel {
  return {
    kind: "handoff",
    title: handoffTitle(item),
    sections: [
      { heading: H.action, blocks: [paragraph(actionSentence(item))] },
      scopeSection(item, H.scope),
      ownersSection(item, H.owners),
      whySection(item),
      fixSection(item),
      deadlineSection(item),
      changeSection(item),
      fallbackSection(item),
      closureSection(item),
      caveatsSection(item, H.caveats),
      nextUpdateSection(item, H.next),
    ],
  };
}
