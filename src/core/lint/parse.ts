/**
 * Reads a handoff written by patchline or by hand — JSON, Markdown or plain text — into named
 * sections. Headings are recognised in any case, with or without "#", with or without a trailing
 * colon, set on their own line or inline ("Action requested: … Scope: …" on one line).
 */
import { HANDOFF_DOCUMENT_KEYS } from "../render/json.js";

export type SectionKey =
  | "preamble"
  | "action"
  | "scope"
  | "owners"
  | "why"
  | "fix"
  | "deadline"
  | "change"
  | "fallback"
  | "closure"
  | "caveats"
  | "next"
  | "cadence"
  | "missing";

export type HandoffKind = "handoff" | "validation-request" | "update";

/** One row of a "missing information" list, with the supplier cell or key when there is one. */
export interface MissingEntry {
  label: string;
  text: string;
  supplier: string | undefined;
}

export interface ParsedHandoff {
  format: "json" | "markdown" | "text";
  kind: HandoffKind;
  title: string;
  /** Lane when the document states it (JSON "lane"), else undefined. */
  lane: string | undefined;
  sections: Partial<Record<SectionKey, string>>;
  /** The whole document with markup removed (for JSON: every value as "key: value" lines). */
  body: string;
  missing: MissingEntry[] | undefined;
  /** For a patchline JSON document: the required keys it lacks. */
  missingKeys: string[];
}

/** Section names and the synonyms accepted for each. */
export const SECTION_LABELS: Record<Exclude<SectionKey, "preamble">, string[]> = {
  action: [
    "action requested",
    "action",
    "ask",
    "request",
    "what we need confirmed",
    "what we need",
    "what to confirm",
    "please confirm",
  ],
  scope: [
    "scope",
    "affected scope",
    "affected assets",
    "affected systems",
    "assets",
    "assets in scope",
    "in scope",
    "what is in scope",
    "what assets or services are in scope",
  ],
  owners: [
    "owners",
    "ownership",
    "functional owners",
    "who owns it",
    "who owns execution",
    "owners and roles",
    "contacts",
    "who to answer",
    "whom to answer",
  ],
  why: [
    "why this matters",
    "why it matters",
    "why",
    "why now",
    "why urgent",
    "why it is urgent",
    "why it is urgent now",
    "why is it urgent now",
    "risk summary",
    "urgency",
    "triggers",
    "trigger",
    "why we are asking",
    "why we ask",
    "reason for urgency",
  ],
  fix: [
    "fix or workaround",
    "fix",
    "fix path",
    "fix and workaround",
    "remediation",
    "workaround",
    "solution",
  ],
  deadline: [
    "deadline or window",
    "deadline",
    "deadline and window",
    "the deadline",
    "what is the deadline",
    "due date",
    "due by",
    "target date",
    "answer needed by",
    "answer by",
    "respond by",
    "reply by",
  ],
  change: ["change notes", "change safety", "change details", "change plan", "change"],
  fallback: [
    "if blocked",
    "fallback",
    "if patching is blocked",
    "blockers",
    "blocker path",
    "if you are blocked",
    "how to raise blockers or exceptions",
    "how should blockers or exception requests be raised",
    "blockers and decisions needed",
  ],
  closure: [
    "closure evidence needed",
    "closure evidence",
    "closure proof",
    "closure",
    "definition of done",
    "done when",
    "what counts as done",
    "what counts as complete",
    "what counts as completion",
    "evidence needed",
    "completion criteria",
  ],
  caveats: ["caveats", "caveat", "limitations", "assumptions"],
  next: [
    "next update due",
    "next update",
    "next status update",
    "next checkpoint",
    "next update time",
    "when the next update is due",
    "when is the next status update due",
  ],
  cadence: ["checkpoints", "cadence", "update cadence", "status updates"],
  missing: ["missing information", "missing fields", "missing", "what is missing", "information needed"],
};

const LABEL_TO_KEY = new Map<string, SectionKey>();
for (const [key, labels] of Object.entries(SECTION_LABELS)) {
  for (const label of labels) LABEL_TO_KEY.set(label, key as SectionKey);
}

const ALL_LABELS = [...LABEL_TO_KEY.keys()].sort((a, b) => b.length - a.length);

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The copy template's own labels are distinctive enough to start a section anywhere in a line
 * ("Patch owner handoff - CVE-… Action requested: …"); every other name only at the start of a
 * line, after a sentence or after a bullet.
 */
const ANYWHERE_LABELS = new Set([
  "action requested",
  "why this matters",
  "fix or workaround",
  "deadline or window",
  "change notes",
  "if blocked",
  "closure evidence needed",
  "next update due",
]);

/** "Label:" anywhere in a line; group 1 is what precedes it, group 2 the label. */
const INLINE_LABEL = new RegExp(
  `(^|[.;!?]\\s+|[-*•]\\s+|\\s)(${ALL_LABELS.map((l) => escapeRe(l).replace(/ /g, "\\s+")).join("|")})\\s*:`,
  "gi",
);

function labelKey(text: string): SectionKey | undefined {
  return LABEL_TO_KEY.get(text.toLowerCase().replace(/\s+/g, " ").trim());
}

/** Markup removed: emphasis, code ticks, heading marks, quote marks; links kept as "text (url)". */
export function normaliseLine(line: string): string {
  return line
    .replace(/\r$/, "")
    .replace(/!?\[([^\]]+)\]\(([^)\s]+)\)/g, "$1 ($2)")
    .replace(/\*\*|__|`/g, "")
    .replace(/^\s{0,3}>\s?/, "")
    .replace(/^\s{0,3}#{1,6}\s*/, "")
    .replace(/\s+#+\s*$/, "");
}

function isUnderline(line: string): boolean {
  return /^\s*(?:=+|-+|\*+|_+)\s*$/.test(line) && line.trim().length >= 3;
}

/** A line that is only a section name: "## Scope", "SCOPE", "Scope:", "1. Scope", "- Scope:". */
function headingKey(line: string): SectionKey | undefined {
  const bare = line
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "")
    .replace(/[:：]\s*$/, "")
    .trim();
  if (bare === "" || bare.length > 40) return undefined;
  return labelKey(bare);
}

interface Segment {
  key: SectionKey | undefined;
  text: string;
}

function splitInline(line: string): Segment[] {
  const segments: Segment[] = [];
  let key: SectionKey | undefined;
  let start = 0;
  INLINE_LABEL.lastIndex = 0;
  for (let m = INLINE_LABEL.exec(line); m !== null; m = INLINE_LABEL.exec(line)) {
    const prefix = m[1] ?? "";
    const label = m[2] ?? "";
    const atBoundary = m.index === 0 || prefix.trim() !== "";
    if (!atBoundary && !ANYWHERE_LABELS.has(label.toLowerCase().replace(/\s+/g, " "))) continue;
    const found = labelKey(label);
    if (!found) continue;
    segments.push({ key, text: line.slice(start, m.index + prefix.length) });
    key = found;
    start = m.index + m[0].length;
  }
  segments.push({ key, text: line.slice(start) });
  return segments;
}

/** Titles of the audience-specific updates rendered from a case record. */
const UPDATE_TITLE_RE =
  /\b(?:status|operational|progress|leadership) update\b|\bservice[- ]owner (?:notice|update)\b|^\s*update\b/i;

/** Which update it is, from its title: the checks that apply depend on it. */
export type UpdateAudience = "operational" | "leadership" | "service-owner" | "status";

export function updateAudience(title: string): UpdateAudience {
  if (/\boperational update\b/i.test(title)) return "operational";
  if (/\bleadership update\b/i.test(title)) return "leadership";
  if (/\bservice[- ]owner (?:notice|update)\b/i.test(title)) return "service-owner";
  return "status";
}

function detectKind(head: string, title = ""): HandoffKind {
  // An update names itself in its title; its body may quote a lane such as "validate affected status".
  if (UPDATE_TITLE_RE.test(title)) return "update";
  if (/validation request|validate affected status|affected[- ]version validation/i.test(head)) {
    return "validation-request";
  }
  if (UPDATE_TITLE_RE.test(head)) return "update";
  return "handoff";
}

function parseText(text: string): ParsedHandoff {
  const raw = text.replace(/\r\n?/g, "\n").split("\n");
  const markdown = raw.some((l) => /^\s{0,3}#{1,6}\s|^\s*\|.*\|\s*$|\*\*[^*]+\*\*/.test(l));
  const sections: Partial<Record<SectionKey, string>> = {};
  const append = (key: SectionKey, chunk: string) => {
    const trimmed = chunk.trim();
    const before = sections[key];
    if (before === undefined) sections[key] = trimmed;
    else if (trimmed !== "") sections[key] = before === "" ? trimmed : `${before}\n${trimmed}`;
  };
  let current: SectionKey = "preamble";
  let title: string | undefined;
  const bodyLines: string[] = [];
  for (const rawLine of raw) {
    if (isUnderline(rawLine)) continue;
    const line = normaliseLine(rawLine);
    if (line.trim() === "") continue;
    bodyLines.push(line);
    const heading = headingKey(line);
    if (heading) {
      title ??= "";
      current = heading;
      append(current, "");
      continue;
    }
    const segments = splitInline(line);
    if (title === undefined) title = (segments[0]?.text ?? line).trim();
    for (const seg of segments) {
      if (seg.key) current = seg.key;
      if (seg.key || seg.text.trim() !== "") append(current, seg.text);
    }
  }
  const finalTitle = title ?? "";
  const head = `${finalTitle}\n${sections.preamble ?? ""}`.slice(0, 400);
  return {
    format: markdown ? "markdown" : "text",
    kind: detectKind(head, finalTitle),
    title: finalTitle,
    lane: undefined,
    sections,
    body: bodyLines.join("\n"),
    missing: sections.missing === undefined ? undefined : missingFromText(sections.missing),
    missingKeys: [],
  };
}

function splitRow(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** Rows of a Markdown table or bullets/lines of a list; the header row names the supplier column. */
function missingFromText(content: string): MissingEntry[] {
  const entries: MissingEntry[] = [];
  const lines = content.split("\n").filter((l) => l.trim() !== "");
  let supplierColumn: number | undefined;
  let sawHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\s*\|/.test(line)) {
      const cells = splitRow(line);
      if (cells.every((c) => /^:?-{2,}:?$/.test(c) || c === "")) continue;
      const next = lines[i + 1] ?? "";
      if (!sawHeader && /^\s*\|?\s*:?-{2,}/.test(next)) {
        sawHeader = true;
        const idx = cells.findIndex((c) => /who|suppl|owner|from|provide/i.test(c));
        supplierColumn = idx >= 0 ? idx : undefined;
        continue;
      }
      entries.push({
        label: cells[0] ?? line,
        text: cells.join(" | "),
        supplier: supplierColumn === undefined ? undefined : (cells[supplierColumn] ?? ""),
      });
      continue;
    }
    const text = line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").trim();
    if (text === "") continue;
    entries.push({ label: text.split(/\s+[—–-]\s+|:/)[0]?.trim() ?? text, text, supplier: undefined });
  }
  return entries;
}

// ---------------------------------------------------------------- JSON

const JSON_KEY_TO_SECTION: Record<string, SectionKey> = {
  action: "action",
  actionrequested: "action",
  ask: "action",
  request: "action",
  scope: "scope",
  assets: "scope",
  affectedassets: "scope",
  owners: "owners",
  owner: "owners",
  ownership: "owners",
  contacts: "owners",
  urgency: "why",
  why: "why",
  whythismatters: "why",
  triggers: "why",
  reason: "why",
  risk: "why",
  risksummary: "why",
  fix: "fix",
  fixpath: "fix",
  fixorworkaround: "fix",
  remediation: "fix",
  workaround: "fix",
  deadline: "deadline",
  deadlineorwindow: "deadline",
  due: "deadline",
  duedate: "deadline",
  answerby: "deadline",
  answerneededby: "deadline",
  change: "change",
  changenotes: "change",
  changesafety: "change",
  fallback: "fallback",
  ifblocked: "fallback",
  blockers: "fallback",
  closureevidence: "closure",
  closureevidenceneeded: "closure",
  closure: "closure",
  closureproof: "closure",
  definitionofdone: "closure",
  donewhen: "closure",
  caveats: "caveats",
  nextupdate: "next",
  nextupdatedue: "next",
  nextstatusupdate: "next",
  nextcheckpoint: "next",
  cadence: "cadence",
  checkpoints: "cadence",
  missing: "missing",
  missingfields: "missing",
  missinginformation: "missing",
};

function keyWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase()
    .trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Values as "key words: value" lines. An object with a "name" becomes one line naming it (owners,
 * assets), so a missing name reads as an empty value rather than as its role's description.
 */
export function flattenJson(value: unknown, path: string[] = []): string[] {
  const label = path.map(keyWords).join(" ");
  const line = (v: string) => (label === "" ? v : `${label}: ${v}`);
  if (value === null || value === undefined) return [line("null")];
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return [line(String(value))];
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [line("[]")];
    return value.flatMap((v) => flattenJson(v, path));
  }
  if (isRecord(value)) {
    if ("name" in value && (typeof value.name === "string" || value.name === null)) {
      const parts = [value.name, value.contact, value.timeZone].filter(
        (p): p is string => typeof p === "string" && p.trim() !== "",
      );
      return [line(parts.join(" "))];
    }
    return Object.entries(value).flatMap(([k, v]) => flattenJson(v, [...path, k]));
  }
  return [line(String(value))];
}

function firstString(obj: Record<string, unknown>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === "string" && v.trim() !== "") return v;
  }
  return undefined;
}

function missingFromJson(value: unknown): MissingEntry[] {
  const items = Array.isArray(value)
    ? value
    : isRecord(value)
      ? Object.entries(value).map(([k, v]) => ({ [k]: v }))
      : [];
  return items.map((item) => {
    if (typeof item === "string") return { label: item, text: item, supplier: undefined };
    if (isRecord(item)) {
      const label = firstString(item, ["label", "field", "name"]) ?? flattenJson(item)[0] ?? "";
      const supplier =
        firstString(item, [
          "supplierName",
          "supplier",
          "supplierOwner",
          "suppliedBy",
          "who",
          "owner",
          "role",
        ]) ?? "";
      return { label, text: flattenJson(item).join("; "), supplier };
    }
    return { label: String(item), text: String(item), supplier: undefined };
  });
}

function normKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function parseJson(obj: Record<string, unknown>): ParsedHandoff {
  const sections: Partial<Record<SectionKey, string>> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = JSON_KEY_TO_SECTION[normKey(k)];
    if (!key) continue;
    const text = flattenJson(v).join("\n");
    sections[key] = sections[key] === undefined ? text : `${sections[key]}\n${text}`;
  }
  const title = firstString(obj, ["title", "subject", "summary"]) ?? "";
  const kindText = typeof obj.kind === "string" ? obj.kind : title;
  const schema = typeof obj.schema === "string" ? obj.schema : "";
  // A document that claims the patchline schema must carry every key of it.
  const missingKeys = schema.startsWith("patchline.handoff/")
    ? HANDOFF_DOCUMENT_KEYS.filter((k) => !(k in obj))
    : [];
  const missingValue = Object.entries(obj).find(([k]) => JSON_KEY_TO_SECTION[normKey(k)] === "missing")?.[1];
  return {
    format: "json",
    kind: /validation/i.test(kindText)
      ? "validation-request"
      : /update/i.test(kindText)
        ? "update"
        : "handoff",
    title,
    lane: typeof obj.lane === "string" ? obj.lane : undefined,
    sections,
    body: flattenJson(obj).join("\n"),
    missing: missingValue === undefined ? undefined : missingFromJson(missingValue),
    missingKeys,
  };
}

/** Parses JSON when the text is a JSON object; otherwise reads Markdown or plain text. */
export function parseHandoff(text: string): ParsedHandoff {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      value = undefined;
    }
    if (isRecord(value)) return parseJson(value);
  }
  return parseText(text);
}

/** The JSON parse error for text that is meant to be JSON, or undefined when it parses. */
export function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
