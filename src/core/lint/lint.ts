/**
 * Lint for handoffs: checks any handoff — written by patchline or by hand, in Markdown, plain
 * text or JSON — against the seed's quality checks and the communication rules.
 */
import {
  type CheckId,
  checkChangeAware,
  checkClosureDefined,
  checkConcreteDeadline,
  checkFallback,
  checkJsonKeys,
  checkMissingSuppliers,
  checkNextUpdate,
  checkOwnerReady,
  checkOwnersNamed,
  checkTriggerStated,
  type LintFinding,
} from "./checks.js";
import {
  type HandoffKind,
  jsonError,
  type ParsedHandoff,
  parseHandoff,
  type UpdateAudience,
  updateAudience,
} from "./parse.js";

export type { CheckId, LintFinding } from "./checks.js";
export { CHECK_IDS } from "./checks.js";
export type { HandoffKind, ParsedHandoff, UpdateAudience } from "./parse.js";
export { parseHandoff, updateAudience } from "./parse.js";

export interface LintResult {
  ok: boolean;
  kind: HandoffKind;
  findings: LintFinding[];
}

type Check = (doc: ParsedHandoff) => LintFinding[];

/** Which checks apply to which kind of message, in report order. */
export const CHECKS_BY_KIND: Record<HandoffKind, CheckId[]> = {
  handoff: [
    "owner-ready",
    "change-aware",
    "fallback-included",
    "closure-defined",
    "trigger-stated",
    "concrete-deadline",
    "owners-named",
    "next-update-stated",
  ],
  "validation-request": [
    "owners-named",
    "concrete-deadline",
    "next-update-stated",
    "trigger-stated",
    "missing-supplier",
  ],
  update: ["owners-named", "concrete-deadline", "next-update-stated"],
};

/**
 * Checks added for an update by its audience: the operational update answers why it is urgent and
 * what counts as complete, the leadership update states the risk and its triggers.
 */
export const UPDATE_EXTRA_CHECKS: Record<UpdateAudience, CheckId[]> = {
  operational: ["trigger-stated", "closure-defined"],
  leadership: ["trigger-stated"],
  "service-owner": [],
  status: [],
};

function checksFor(doc: ParsedHandoff): CheckId[] {
  const base = CHECKS_BY_KIND[doc.kind];
  return doc.kind === "update" ? [...base, ...UPDATE_EXTRA_CHECKS[updateAudience(doc.title)]] : base;
}

const RUNNERS: Partial<Record<CheckId, Check>> = {
  "owner-ready": checkOwnerReady,
  "change-aware": checkChangeAware,
  "fallback-included": checkFallback,
  "closure-defined": checkClosureDefined,
  "trigger-stated": checkTriggerStated,
  "concrete-deadline": checkConcreteDeadline,
  "owners-named": checkOwnersNamed,
  "next-update-stated": checkNextUpdate,
  "missing-supplier": checkMissingSuppliers,
};

function result(kind: HandoffKind, findings: LintFinding[]): LintResult {
  return { ok: findings.length === 0, kind, findings };
}

export function lintHandoff(text: string, opts: { fileName?: string } = {}): LintResult {
  const name = opts.fileName;
  if (typeof text !== "string" || text.trim() === "") {
    return result("handoff", [
      {
        check: "format",
        message: `${name ? `${name} is` : "The handoff is"} empty.`,
        fix: "Write the handoff: action requested, scope, owners, why this matters, fix, deadline, change notes, fallback, closure evidence and next update.",
      },
    ]);
  }
  if (name && /\.json$/i.test(name)) {
    const error = jsonError(text);
    if (error !== undefined) {
      return result("handoff", [
        {
          check: "format",
          message: `${name} is not valid JSON: ${error}.`,
          fix: "Fix the JSON syntax, or save a Markdown or text handoff under a .md or .txt name.",
        },
      ]);
    }
  }
  let doc: ParsedHandoff;
  try {
    doc = parseHandoff(text);
  } catch (e) {
    return result("handoff", [
      {
        check: "format",
        message: `The handoff could not be read: ${e instanceof Error ? e.message : String(e)}.`,
        fix: "Save the handoff as Markdown, plain text or a JSON object.",
      },
    ]);
  }
  const findings: LintFinding[] = [...checkJsonKeys(doc)];
  for (const id of checksFor(doc)) {
    const run = RUNNERS[id];
    if (run) findings.push(...run(doc));
  }
  return result(doc.kind, findings);
}
