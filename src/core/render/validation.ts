/**
 * The validation request: sent instead of a handoff when the affected status is unknown or the
 * readiness gate found fields missing. It names exactly what is missing and who must supply it,
 * and asks that patching wait until product and version evidence is clear.
 */
import type { WorkItem } from "../types.js";
import { type Block, fields, list, paragraph, type RenderModel, type Section, table } from "./model.js";
import { caveatsSection, nextUpdateSection, ownersSection, scopeSection } from "./parts.js";
import { VALIDATION_HEADINGS as H, NOT_PROVIDED, VALIDATION_TITLE_PREFIX } from "./sections.js";
import {
  bothTimes,
  effectiveDeadline,
  GATE_FIELD_LABELS,
  LANE_LABELS,
  lowerFirst,
  ownerForRole,
  ROLE_LABELS,
  resolveOwnerName,
  signalLines,
  ssvcLine,
  stripFinalStop,
  triggerLine,
  vendorProduct,
} from "./words.js";

export function validationTitle(item: WorkItem): string {
  return `${VALIDATION_TITLE_PREFIX} — ${item.advisory.id}`;
}

/** One row of the missing-information table: field, what is missing, who must supply it. */
export interface MissingRow {
  field: string;
  detail: string;
  supplierRole: string;
  supplierName: string | undefined;
}

export function missingRows(item: WorkItem): MissingRow[] {
  if (item.missing.length > 0) {
    return item.missing.map((m) => ({
      field: GATE_FIELD_LABELS[m.field] ?? m.field,
      detail: m.detail,
      supplierRole: ROLE_LABELS[m.supplier] ?? m.supplier,
      supplierName: resolveOwnerName(item, m.supplierOwner) ?? ownerForRole(item, m.supplier)?.name,
    }));
  }
  // Lane "validate" without gate findings: the affected status itself is what is missing.
  const unknown = item.assets.filter((a) => a.status === "unknown");
  const systemOwner = { supplierRole: ROLE_LABELS["system-owner"], supplierName: item.owner.name };
  if (unknown.length === 0) {
    return [{ field: "Affected status", detail: item.decision.explanation || NOT_PROVIDED, ...systemOwner }];
  }
  return unknown.map((a) => ({
    field: `Affected status of ${a.name}`,
    detail: `installed build, vulnerable feature or backported fix${a.reason ? ` (${a.reason})` : ""}`,
    ...systemOwner,
  }));
}

export function supplierText(row: MissingRow): string {
  return `${row.supplierRole} — ${row.supplierName ?? "not named"}`;
}

export function validationAction(item: WorkItem): string {
  const names = item.assets.map((a) => a.name);
  const assets = names.length > 0 ? `${names.join(", ")} (${item.assetGroup})` : item.assetGroup;
  return (
    `Confirm whether ${assets} ${names.length === 1 ? "runs" : "run"} an affected build of ${vendorProduct(item)}, the vulnerable feature, ` +
    "an affected platform, or a build with a backported fix, and supply each item under Missing information. " +
    "Do not schedule patching until the product and version evidence is clear."
  );
}

function whySection(item: WorkItem): Section {
  const blocks: Block[] = [];
  const proposed = item.decision.proposedLane;
  const rows = missingRows(item);
  if (proposed !== "validate" && item.missing.length > 0) {
    blocks.push(
      paragraph(
        `This would be a ${LANE_LABELS[proposed]} order (rule: ${item.decision.rule}), but the readiness gate found ` +
          `${rows.length} missing field${rows.length === 1 ? "" : "s"}: ${rows.map((r) => r.field.toLowerCase()).join(", ")}. ` +
          "The order is sent once they are supplied.",
      ),
    );
  } else {
    blocks.push(
      paragraph(
        `The affected status is unknown: ${lowerFirst(stripFinalStop(item.decision.explanation || NOT_PROVIDED))}.`,
      ),
    );
  }
  if (item.decision.triggers.length > 0) {
    blocks.push(paragraph("Urgency triggers:"), list(item.decision.triggers.map(triggerLine)));
  } else {
    blocks.push(paragraph("No urgency trigger applies yet; the signals below explain the priority."));
  }
  blocks.push(paragraph("Signals:"), list(signalLines(item)));
  const ssvc = ssvcLine(item);
  if (ssvc) blocks.push(fields([{ label: "SSVC", value: ssvc }]));
  return { heading: H.why, blocks };
}

function missingSection(item: WorkItem): Section {
  return {
    heading: H.missing,
    blocks: [
      table(
        ["Field", "What is missing", "Who must supply it"],
        missingRows(item).map((r) => [r.field, r.detail, supplierText(r)]),
      ),
    ],
  };
}

function answerSection(item: WorkItem): Section {
  const deadline = effectiveDeadline(item);
  return {
    heading: H.deadline,
    blocks: [
      fields([
        { label: "Answer by", value: deadline ? bothTimes(deadline.at, deadline.zone) : NOT_PROVIDED },
        { label: "Basis", value: deadline?.basis ?? NOT_PROVIDED },
      ]),
    ],
  };
}

export function buildValidationRequest(item: WorkItem): RenderModel {
  return {
    kind: "validation-request",
    title: validationTitle(item),
    sections: [
      { heading: H.action, blocks: [paragraph(validationAction(item))] },
      whySection(item),
      missingSection(item),
      answerSection(item),
      scopeSection(item, H.scope),
      ownersSection(item, H.owners),
      caveatsSection(item, H.caveats),
      nextUpdateSection(item, H.next),
    ],
  };
}
