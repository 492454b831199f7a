/**
 * Rendering of a work item into the message its lane calls for: the patch owner handoff, or for
 * lane "validate" the validation request — as Markdown, plain text or JSON.
 */
import { PatchlineError } from "../../errors.js";
import type { WorkItem } from "../types.js";
import { buildHandoff } from "./handoff.js";
import { handoffJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import type { RenderModel } from "./model.js";
import { renderText } from "./text.js";
import { buildValidationRequest } from "./validation.js";

export type HandoffFormat = "md" | "text" | "json";

export const HANDOFF_FORMATS: readonly HandoffFormat[] = ["md", "text", "json"];

/** The document model behind the Markdown and text forms. */
export function handoffModel(item: WorkItem): RenderModel {
  return item.lane === "validate" ? buildValidationRequest(item) : buildHandoff(item);
}

export function renderHandoff(item: WorkItem, format: HandoffFormat): string {
  switch (format) {
    case "md":
      return renderMarkdown(handoffModel(item));
    case "text":
      return renderText(handoffModel(item));
    case "json":
      return `${JSON.stringify(handoffJson(item), null, 2)}\n`;
    default:
      throw new PatchlineError(
        "USAGE",
        `unknown handoff format '${String(format)}': expected md, text or json`,
      );
  }
}

export type { HandoffDocument, HandoffOwner, HandoffTime } from "./json.js";
export { HANDOFF_DOCUMENT_KEYS, HANDOFF_SCHEMA, handoffJson } from "./json.js";
export type { Block, RenderModel, Section } from "./model.js";
export { BLOCKER_CATEGORIES, HANDOFF_HEADINGS, VALIDATION_HEADINGS } from "./sections.js";
