/**
 * Audience-specific updates rendered from the record of one case: the operational update for
 * execution teams, the leadership update and the service-owner notice — as Markdown, plain text
 * or JSON (schema "patchline.update/1"). Pure: the instant `now` comes with the view.
 */
import { PatchlineError } from "../../../errors.js";
import { renderMarkdown } from "../markdown.js";
import type { RenderModel } from "../model.js";
import { renderText } from "../text.js";
import type { UpdateModel } from "./common.js";
import { type LeadershipUpdate, leadershipDocument, leadershipModel } from "./leadership.js";
import { noticeDocument, noticeModel, type ServiceOwnerUpdate } from "./notice.js";
import { type OpsUpdate, opsDocument, opsModel } from "./ops.js";
import { type CaseSummary, summariseCase } from "./summary.js";
import { AUDIENCES, type Audience, type CaseView, UPDATE_FORMATS, type UpdateFormat } from "./types.js";

export type UpdateDocument = OpsUpdate | LeadershipUpdate | ServiceOwnerUpdate;

function checkArgs(audience: Audience, format: UpdateFormat): void {
  if (!AUDIENCES.includes(audience)) {
    throw new PatchlineError(
      "USAGE",
      `unknown audience '${String(audience)}': expected ops, leadership or service-owner`,
    );
  }
  if (!UPDATE_FORMATS.includes(format)) {
    throw new PatchlineError("USAGE", `unknown update format '${String(format)}': expected md, text or json`);
  }
}

function build(summary: CaseSummary, audience: Audience): { doc: UpdateDocument; model: () => UpdateModel } {
  switch (audience) {
    case "ops": {
      const doc = opsDocument(summary);
      return { doc, model: () => opsModel(doc, summary) };
    }
    case "leadership": {
      const doc = leadershipDocument(summary);
      return { doc, model: () => leadershipModel(doc, summary) };
    }
    case "service-owner": {
      const doc = noticeDocument(summary);
      return { doc, model: () => noticeModel(doc, summary) };
    }
  }
}

/** The structured update (the JSON form's content) for an audience. */
export function updateDocument(view: CaseView, audience: Audience): UpdateDocument {
  checkArgs(audience, "json");
  return build(summariseCase(view), audience).doc;
}

/** The document model behind the Markdown and text forms. */
export function updateModel(view: CaseView, audience: Audience): UpdateModel {
  checkArgs(audience, "md");
  return build(summariseCase(view), audience).model();
}

/** The shared renderers read only the title and sections; the model kind is fixed for them. */
function asRenderModel(model: UpdateModel): RenderModel {
  return { kind: "handoff", title: model.title, sections: model.sections };
}

export function renderUpdate(view: CaseView, audience: Audience, format: UpdateFormat): string {
  checkArgs(audience, format);
  const built = build(summariseCase(view), audience);
  switch (format) {
    case "md":
      return renderMarkdown(asRenderModel(built.model()));
    case "text":
      return renderText(asRenderModel(built.model()));
    case "json":
      return `${JSON.stringify(built.doc, null, 2)}\n`;
  }
}

export type { UpdateModel } from "./common.js";
export type { LeadershipUpdate } from "./leadership.js";
export { LEADERSHIP_HEADINGS, LEADERSHIP_TITLE_PREFIX } from "./leadership.js";
export type { ServiceOwnerUpdate } from "./notice.js";
export { NOTICE_HEADINGS, NOTICE_TITLE_PREFIX } from "./notice.js";
export type { OpsUpdate } from "./ops.js";
export { OPS_HEADINGS, OPS_TITLE_PREFIX } from "./ops.js";
export type { CaseSummary, Progress } from "./summary.js";
export { summariseCase } from "./summary.js";
export type { Audience, CaseView, UpdateFormat, UpdateTime } from "./types.js";
export { AUDIENCES, UPDATE_FORMATS, UPDATE_SCHEMA } from "./types.js";
