/**
 * The quality checks. Each one looks for the content itself — a named person, a date with time and
 * zone, a rollback step — not for the heading: a section whose only content is "not provided",
 * "TBD" or "n/a" fails like a missing one.
 */
import type { ParsedHandoff, SectionKey } from "./parse.js";

export interface LintFinding {
  check: string;
  message: string;
  fix: string;
}

export const CHECK_IDS = [
  "owner-ready",
  "change-aware",
  "fallback-included",
  "closure-defined",
  "trigger-stated",
  "concrete-deadline",
  "owners-named",
  "next-update-stated",
  "missing-supplier",
  "json-keys",
  "format",
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

const EXAMPLE_TIME = "2026-11-26 17:00 UTC";

// ---------------------------------------------------------------- text helpers

const MONTHS =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const DATE_RE = new RegExp(
  [
    "\\b\\d{4}-\\d{2}-\\d{2}",
    "\\b\\d{1,2}[/.]\\d{1,2}[/.]\\d{4}\\b",
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}\\b`,
    `\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`,
  ].join("|"),
  "i",
);
const TIME_RE =
  /\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\b(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?![a-z])|\bnoon\b|\bmidnight\b/i;
/** "End of day" is a time of day when the date and zone are given with it. */
const END_OF_DAY_RE = /\bend of (?:the )?(?:business )?day\b|\bEOD\b|\bCOB\b|\bclose of business\b/i;
const ZONE_RE = new RegExp(
  [
    "\\b(?:UTC|GMT)\\b",
    "\\b(?:utc|gmt)(?=\\W|$)",
    "\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})(?![\\d])",
    "(?:^|\\s)[+-](?:0\\d|1[0-4]):?[0-5]\\d\\b",
    "\\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z_]+(?:/[A-Za-z_]+)?",
    "\\b(?:[ECMPA][SD]T|AK[SD]T|HST|NZ[SD]T|AE[SD]T|AC[SD]T|AWST|CES?T|EES?T|WES?T|BST|IST|JST|KST|SGT|HKT|MSK|BRT|SAST|WIB|ICT|PHT)\\b",
    "\\b(?:Eastern|Central|Mountain|Pacific) (?:Standard |Daylight )?Time\\b",
  ].join("|"),
);
const VAGUE_RE =
  /\b(ASAP|as soon as possible|today|tonight|EOD|end of (?:the )?(?:business )?day|COB|close of business|right away|urgent(?:ly)?|immediately)\b/gi;

export function hasDate(text: string): boolean {
  return DATE_RE.test(text);
}

export function hasTime(text: string): boolean {
  return TIME_RE.test(text);
}

export function hasZone(text: string): boolean {
  return ZONE_RE.test(text);
}

/** An explicit date, a time of day and a zone or UTC offset, all in the same text. */
export function isConcrete(text: string): boolean {
  return hasDate(text) && (hasTime(text) || END_OF_DAY_RE.test(text)) && hasZone(text);
}

/** Lines (table rows as their cells), then sentences and "; " parts within them. */
export function clauses(text: string): string[] {
  return text
    .split("\n")
    .flatMap((line) => (/^\s*\|/.test(line) ? line.split(/(?<!\\)\|/) : [line]))
    .filter((cell) => !/^\s*:?-{2,}:?\s*$/.test(cell))
    .flatMap((line) => line.split(/;\s+|(?<=[.!?])\s+(?=[A-Z0-9"'([])/))
    .map((c) => c.trim())
    .filter((c) => c !== "");
}

const PLACEHOLDER_WORDS = new Set([
  "not",
  "provided",
  "tbd",
  "tba",
  "tbc",
  "na",
  "unknown",
  "pending",
  "todo",
  "to",
  "be",
  "confirmed",
  "determined",
  "decided",
  "defined",
  "agreed",
  "later",
  "yet",
  "named",
  "assigned",
  "unassigned",
  "nobody",
  "someone",
  "somebody",
  "anyone",
  "whoever",
  "null",
  "undefined",
  "nil",
  "xxx",
  "set",
  "given",
  "available",
  "see",
  "below",
  "above",
]);

const NONE_WORDS = new Set(["no", "none", "without", "missing", "absent", "nothing"]);

function words(text: string): string[] {
  return text
    .replace(/\[[^\]]*\]/g, " ") // unfilled template slots: "[date/window]"
    .replace(/\bn\/a\b/gi, "na")
    .toLowerCase()
    .split(/[^a-z0-9@]+/)
    .filter((w) => w !== "");
}

/** True when the text has no content beyond placeholders ("not provided", "TBD", "n/a", "[date]", "—"). */
export function isPlaceholder(text: string): boolean {
  return words(text).every((w) => PLACEHOLDER_WORDS.has(w));
}

/** A section whose every line is empty or a placeholder, labels aside ("Rollback: not provided"). */
export function isEmptySection(text: string): boolean {
  return clauses(text).every((c) => isPlaceholder(splitLabel(c)?.value ?? c));
}

function quote(text: string, max = 90): string {
  const oneLine = text
    .replace(/\s+/g, " ")
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "")
    .replace(/[.;:,\s]+$/, "")
    .trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** "Label: value" → { label, value } when the label is short. */
function splitLabel(clause: string): { label: string; value: string } | undefined {
  const m = /^\s*(?:[-*•]\s+)?([^:]{1,60}?)\s*:\s*(.*)$/.exec(clause);
  if (!m || (m[1] ?? "").split(/\s+/).length > 8 || /\d$/.test(m[1] ?? "")) return undefined;
  return { label: m[1] ?? "", value: m[2] ?? "" };
}

const FILLER = new Set([
  "plan",
  "plans",
  "path",
  "notes",
  "note",
  "required",
  "requirement",
  "requirements",
  "scope",
  "details",
  "expected",
  "expectations",
  "steps",
  "step",
  "the",
  "a",
  "an",
  "is",
  "are",
  "will",
  "of",
  "for",
  "and",
  "with",
  "if",
  "needed",
  "process",
  "risk",
  "risks",
  "procedure",
  "info",
  "information",
]);

interface ItemSearch {
  /** A clause that states the item with real content. */
  found: string | undefined;
  /** A clause that names the item but only with a placeholder ("Rollback: not provided"). */
  empty: string | undefined;
}

/**
 * Looks for an item (rollback, monitoring, …) in the clauses of a text. A clause labelled with the
 * item ("Rollback: …") decides when there is one; otherwise any clause mentioning it counts. The
 * clause must say something beyond the keyword and placeholders.
 */
function searchItem(
  text: string,
  keyword: RegExp,
  opts: { noneIsMissing?: boolean; needs?: (clause: string) => boolean } = {},
): ItemSearch {
  const all = clauses(text);
  const labelled = all.filter((c) => {
    const l = splitLabel(c);
    return l !== undefined && keyword.test(l.label);
  });
  const candidates = labelled.length > 0 ? labelled : all.filter((c) => keyword.test(c));
  let empty: string | undefined;
  for (const clause of candidates) {
    const global = new RegExp(
      keyword.source,
      keyword.flags.includes("g") ? keyword.flags : `${keyword.flags}g`,
    );
    const rest = words(clause.replace(global, " ")).filter((w) => !FILLER.has(w));
    const meaningful = rest.filter(
      (w) => !PLACEHOLDER_WORDS.has(w) && !(opts.noneIsMissing && NONE_WORDS.has(w)),
    );
    const valid = meaningful.length > 0 && (opts.needs ? opts.needs(clause) : true);
    if (valid) return { found: clause, empty: undefined };
    empty ??= clause;
  }
  return { found: undefined, empty };
}

function section(doc: ParsedHandoff, ...keys: SectionKey[]): string | undefined {
  const parts = keys.map((k) => doc.sections[k]).filter((s): s is string => s !== undefined);
  return parts.length > 0 ? parts.join("\n") : undefined;
}

function cueClauses(text: string, cue: RegExp): string {
  return clauses(text)
    .filter((c) => cue.test(c))
    .join("\n");
}

// ---------------------------------------------------------------- owners

const GENERIC_OWNER_WORDS = new Set([
  ...FILLER,
  "to",
  "by",
  "or",
  "be",
  "who",
  "which",
  "that",
  "this",
  "must",
  "should",
  "shall",
  "can",
  "owner",
  "owners",
  "system",
  "service",
  "business",
  "patch",
  "security",
  "governance",
  "role",
  "roles",
  "executes",
  "execute",
  "execution",
  "executing",
  "approve",
  "approves",
  "approval",
  "approver",
  "approved",
  "decides",
  "decide",
  "decision",
  "decisions",
  "exception",
  "exceptions",
  "responsible",
  "accountable",
  "team",
  "emergency",
  "change",
  "changes",
  "prioritises",
  "prioritizes",
  "tracks",
  "track",
  "remediation",
  "downtime",
  "window",
  "name",
  "contact",
  "duty",
  "functional",
  "asset",
  "platform",
  "application",
  "infrastructure",
  "technical",
  "assignee",
  "implements",
  "implementer",
  "carried",
  "out",
  "lead",
  "manager",
  "it",
  "our",
  "your",
]);

const NOT_NAMES = new Set([
  "The",
  "A",
  "An",
  "This",
  "That",
  "System",
  "Service",
  "Business",
  "Owner",
  "Owners",
  "Security",
  "Governance",
  "Risk",
  "Patch",
  "Please",
  "Send",
  "Confirm",
  "If",
  "When",
  "Who",
  "Role",
  "Team",
  "Change",
  "Emergency",
  "Approves",
  "Approval",
  "Executes",
  "Not",
  "None",
  "Unknown",
  "Pending",
  "Asset",
  "Platform",
  "Application",
]);

const EXECUTOR_RE =
  /\b(?:system|patch|asset|platform|application|infrastructure|technical)[- ]owners?\b(?!\s+handoff)|(?<!(?:service|business|risk|exception|governance)[- ])\bowners?\b(?=\s*(?:\([^)]*\))?\s*[:=—–])|\bexecut(?:es|ed by|ion|ing|or)\b|\bassign(?:ed to|ee)\b|\bresponsible\b|\bimplement(?:s|ed by|er)\b|\bcarried out by\b/i;
const APPROVER_RE =
  /\bservice[- ]owners?\b|\bbusiness[- ]owners?\b|\bapprov(?:es|ed by|er|al by|al from)\b|\bchange advisory board\b|\bCAB\b|\bchange manager\b/i;

function looksNamed(text: string): boolean {
  if (/[\w.+-]+@[\w-]+\.[\w.]+|(?:^|\s)@[\w-]{2,}/.test(text)) return true;
  // Proper names: a capital followed by lower case ("Dana", "McKay"), not acronyms or ids.
  const tokens = text.match(/\b[A-Z][a-z][A-Za-z'’-]*/g) ?? [];
  return tokens.some((t) => !NOT_NAMES.has(t));
}

/** A clause that names a role and, with it, who holds it. */
function findNamed(text: string, role: RegExp): { named: string | undefined; unnamed: string | undefined } {
  let unnamed: string | undefined;
  for (const clause of clauses(text)) {
    const m = role.exec(clause);
    if (!m) continue;
    const after = clause.slice(m.index + m[0].length);
    const labelled = /^\s*(?:\([^)]*\))?\s*[:=—–-]\s*(.*)$/.exec(after);
    if (labelled) {
      const value = labelled[1] ?? "";
      const meaningful = words(value).filter((w) => !PLACEHOLDER_WORDS.has(w) && !GENERIC_OWNER_WORDS.has(w));
      if (meaningful.length > 0) return { named: clause, unnamed: undefined };
      unnamed ??= clause;
      continue;
    }
    const rest = `${clause.slice(0, m.index)} ${after}`;
    if (looksNamed(rest)) return { named: clause, unnamed: undefined };
    unnamed ??= clause;
  }
  return { named: undefined, unnamed };
}

function isPatchNow(doc: ParsedHandoff): boolean {
  if (doc.lane !== undefined) return doc.lane === "patch-now";
  const head = `${doc.title}\n${doc.sections.action ?? ""}\n${doc.sections.preamble ?? ""}`;
  return /\bpatch[- ]now\b|\burgent patch\b|\bemergency (?:patch|change)\b/i.test(head);
}

// ---------------------------------------------------------------- checks

function finding(check: CheckId, message: string, fix: string): LintFinding {
  return { check, message, fix };
}

/** Executor (and for patch-now the approver) named in the owners section, or anywhere when there is none. */
export function checkOwnersNamed(doc: ParsedHandoff): LintFinding[] {
  const owners = doc.sections.owners;
  if (owners !== undefined && isEmptySection(owners)) {
    return [
      finding(
        "owners-named",
        owners.trim() === ""
          ? "The Owners section is empty."
          : `The Owners section only says '${quote(owners)}'.`,
        "Name the functional owners: the system owner who executes, the service owner who approves, security and governance / risk.",
      ),
    ];
  }
  const findings: LintFinding[] = [];
  // The owners section first; a name given elsewhere in the text still counts.
  const search = (role: RegExp) => {
    const inOwners = findNamed(owners ?? doc.body, role);
    if (inOwners.named !== undefined || owners === undefined) return inOwners;
    const inBody = findNamed(doc.body, role);
    return inBody.named !== undefined ? inBody : inOwners;
  };
  const executor = search(EXECUTOR_RE);
  if (!executor.named) {
    findings.push(
      finding(
        "owners-named",
        executor.unnamed
          ? `The owner who executes is not named: '${quote(executor.unnamed)}'.`
          : "No one is named to execute the change (system owner).",
        "Name the system owner who executes it, e.g. 'System owner (executes): Network Engineering — Dana Ruiz'.",
      ),
    );
  }
  if (doc.kind === "handoff" && isPatchNow(doc)) {
    const approver = search(APPROVER_RE);
    if (!approver.named) {
      findings.push(
        finding(
          "owners-named",
          approver.unnamed
            ? `The owner who approves the emergency change is not named: '${quote(approver.unnamed)}'.`
            : "No one is named to approve the emergency change (service owner).",
          "Name the service owner who approves downtime and the change, e.g. 'Service owner (approves): Remote Access — Maria Chen'.",
        ),
      );
    }
  }
  return findings;
}

const DEADLINE_CUE = /\b(?:by|deadline|due|until|no later than|before|window|answer)\b/i;

/** Vague words used where a deadline belongs: in a clause that carries no concrete date, time and zone. */
function vagueWords(text: string): { word: string; clause: string }[] {
  const found: { word: string; clause: string }[] = [];
  for (const clause of clauses(text)) {
    if (isConcrete(clause)) continue;
    for (const m of clause.matchAll(VAGUE_RE)) {
      const word = m[1] ?? m[0];
      if (!found.some((f) => f.word.toLowerCase() === word.toLowerCase())) found.push({ word, clause });
    }
  }
  return found;
}

function missingParts(text: string): string[] {
  const parts: string[] = [];
  if (!hasDate(text)) parts.push("date");
  if (!hasTime(text) && !END_OF_DAY_RE.test(text)) parts.push("time of day");
  if (!hasZone(text)) parts.push("time zone");
  return parts;
}

/** The clause that comes closest to a concrete time (most of date, time and zone). */
function bestClause(text: string): string | undefined {
  let best: string | undefined;
  let bestMissing = 4;
  for (const c of clauses(text)) {
    const n = missingParts(c).length;
    if (n < bestMissing) {
      best = c;
      bestMissing = n;
    }
  }
  return best;
}

function timeFindings(
  check: "concrete-deadline" | "next-update-stated",
  what: string,
  context: string | undefined,
  vagueScope: string,
  fixExample: string,
): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const v of vagueWords(vagueScope)) {
    findings.push(
      finding(
        check,
        `The ${what} is given as '${v.word}' ('${quote(v.clause)}'); readers in other time zones read it differently.`,
        `Replace '${v.word}' with a date, time and zone, e.g. ${EXAMPLE_TIME}.`,
      ),
    );
  }
  const concrete = context !== undefined && clauses(context).some(isConcrete);
  if (concrete || findings.length > 0) return findings;
  if (context === undefined || context.trim() === "") {
    return [finding(check, `No ${what} is stated.`, fixExample)];
  }
  if (isEmptySection(context)) {
    return [finding(check, `The ${what} only says '${quote(context)}'.`, fixExample)];
  }
  const best = bestClause(context) ?? context;
  const parts = missingParts(best);
  if (parts.length === 3) return [finding(check, `No ${what} is stated: '${quote(best)}'.`, fixExample)];
  return [
    finding(
      check,
      `The ${what} '${quote(best)}' has no ${parts.join(" and no ")}.`,
      `Give the ${what} as a date, time and zone, e.g. ${EXAMPLE_TIME}.`,
    ),
  ];
}

export function checkConcreteDeadline(doc: ParsedHandoff): LintFinding[] {
  const deadline = doc.sections.deadline;
  const context = deadline ?? cueClauses(`${doc.sections.action ?? ""}\n${doc.body}`, DEADLINE_CUE);
  const structured = Object.keys(doc.sections).some((k) => k !== "preamble");
  const vagueScope = structured
    ? [doc.title, doc.sections.action, deadline].filter((s) => s !== undefined).join("\n")
    : doc.body;
  return timeFindings(
    "concrete-deadline",
    "deadline",
    context === "" ? undefined : context,
    vagueScope,
    `Add a deadline with a date, time and zone, e.g. 'Deadline: ${EXAMPLE_TIME}'.`,
  );
}

const NEXT_CUE =
  /\bnext (?:status )?update\b|\bnext checkpoint\b|\bupdate (?:is )?due\b|\bnext report\b|\bstatus update (?:by|at|on)\b/i;

export function checkNextUpdate(doc: ParsedHandoff): LintFinding[] {
  const context = section(doc, "next") ?? section(doc, "cadence") ?? cueClauses(doc.body, NEXT_CUE);
  return timeFindings(
    "next-update-stated",
    "next update time",
    context === "" ? undefined : context,
    section(doc, "next") ?? "",
    `State when the next update is due with a date, time and zone, e.g. 'Next update due: ${EXAMPLE_TIME}'.`,
  );
}

const TRIGGER_RE =
  /\bKEV\b|\bknown[- ]exploited\b|\bexploit(?:ed|ation|s)?\b|\bin the wild\b|\bransomware\b|\bEPSS\b|\bexpos(?:ed|ure)\b|\binternet[- ]facing\b|\bpublic[- ]facing\b|\bexternally (?:reachable|facing)\b|(?<![\w-])(?:identity|edge)(?![\w-])|\bdomain controllers?\b|\bbusiness[- ]critical\b|\bcritical (?:service|system|asset|infrastructure|application)s?\b|\bcriticality\b|\bproof[- ]of[- ]concept\b|\bPoC\b|\bSSVC\b/i;

export function checkTriggerStated(doc: ParsedHandoff): LintFinding[] {
  const why = doc.sections.why;
  const fix =
    "State the trigger, e.g. 'Listed in CISA KEV on 2024-04-12; active exploitation reported; internet-facing VPN gateways'.";
  if (why !== undefined && isEmptySection(why)) {
    return [finding("trigger-stated", `'Why this matters' only says '${quote(why) || "nothing"}'.`, fix)];
  }
  const structured = Object.keys(doc.sections).some((k) => k !== "preamble");
  const context = structured
    ? [why, doc.sections.action, doc.title].filter((s) => s !== undefined).join("\n")
    : doc.body;
  if (TRIGGER_RE.test(context)) return [];
  return [
    finding(
      "trigger-stated",
      why
        ? `The reason for urgency names no trigger: '${quote(why)}'.`
        : "The reason for urgency is not stated (KEV listing, exploitation, EPSS, exposure, identity or edge role, business criticality).",
      fix,
    ),
  ];
}

interface Item {
  name: string;
  keyword: RegExp;
  noneIsMissing?: boolean;
  needs?: (clause: string) => boolean;
  fix: string;
}

function itemFindings(check: CheckId, place: string, context: string, items: Item[]): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const item of items) {
    const opts: { noneIsMissing?: boolean; needs?: (clause: string) => boolean } = {};
    if (item.noneIsMissing !== undefined) opts.noneIsMissing = item.noneIsMissing;
    if (item.needs !== undefined) opts.needs = item.needs;
    const r = searchItem(context, item.keyword, opts);
    if (r.found) continue;
    findings.push(
      finding(
        check,
        r.empty
          ? `${place} leave ${item.name} empty: '${quote(r.empty)}'.`
          : `${place} do not cover ${item.name}.`,
        item.fix,
      ),
    );
  }
  return findings;
}

const CHANGE_ITEMS: Item[] = [
  {
    name: "testing",
    keyword: /\btest(?:s|ed|ing)?\b|\bQA\b|\bstaging\b|\bpilot\b|\bcanary\b/i,
    noneIsMissing: true,
    fix: "State the testing expected before production (where, what passes) under Change notes.",
  },
  {
    name: "rollback",
    keyword: /\broll[- ]?back\b|\brevert\w*|\bback[- ]?out\b|\bdowngrade\w*|\brestore\w*/i,
    noneIsMissing: true,
    fix: "State the rollback path (how to revert and how long it takes) under Change notes.",
  },
  {
    name: "reboot",
    keyword: /\breboot\w*|\brestart\w*/i,
    fix: "Say whether a reboot or service restart is needed and how long it takes.",
  },
  {
    name: "dependencies",
    keyword: /\bdependenc(?:y|ies)\b|\bdepends on\b|\bdependent\b|\bupstream\b|\bdownstream\b/i,
    fix: "Name the dependencies at risk (clusters, integrations, vendor support), or say that none are known.",
  },
  {
    name: "the maintenance window",
    keyword: /\bmaintenance window\b|\bchange window\b|\bpatch window\b|\bwindow\b|\bdowntime\b|\boutage\b/i,
    fix: "State the maintenance window (day, time and zone) or the downtime allowed.",
  },
];

export function checkChangeAware(doc: ParsedHandoff): LintFinding[] {
  const change = doc.sections.change;
  if (change !== undefined && isEmptySection(change)) {
    return [
      finding(
        "change-aware",
        `Change notes only say '${quote(change) || "nothing"}'.`,
        "Give testing, rollback, reboot, dependencies and the maintenance window under Change notes.",
      ),
    ];
  }
  const context = change !== undefined ? `${change}\n${doc.sections.fix ?? ""}` : doc.body;
  return itemFindings("change-aware", "Change notes", context, CHANGE_ITEMS);
}

const FALLBACK_ITEMS: Item[] = [
  {
    name: "a mitigation or temporary control",
    keyword:
      /\bmitigat\w*|\btemporary control\w*|\bcompensating\b|\bworkaround\w*|\bisolat\w*|\brestrict\w*|\bblock(?:s|ed|ing)?\b|\bdisabl\w*|\bexposure reduction\b|\bfirewall rule\w*/i,
    noneIsMissing: true,
    fix: "Name the temporary control if patching cannot move (mitigation, isolation or access restriction).",
  },
  {
    name: "monitoring",
    keyword: /\bmonitor\w*|\bSOC\b|\bdetect\w*|\balert\w*|\bwatch\w*|\bhunt\w*|\bSIEM\b/i,
    noneIsMissing: true,
    fix: "Say what the SOC monitors while the item is open (detections, logs, alerts).",
  },
  {
    name: "an exception path",
    keyword: /\bexception\w*|\brisk acceptance\b|\bwaiver\w*|\bdeviation\w*/i,
    noneIsMissing: true,
    fix: "Give the exception path: how to request one and who decides (governance / risk, by name).",
  },
  {
    name: "a review date",
    keyword: /\breview\w*|\bre-?assess\w*|\brevisit\w*|\bre-?evaluat\w*/i,
    noneIsMissing: true,
    needs: (clause) => hasDate(clause),
    fix: "Give a review date, e.g. 'Review date: 2026-12-01'.",
  },
];

export function checkFallback(doc: ParsedHandoff): LintFinding[] {
  const fallback = doc.sections.fallback;
  if (fallback !== undefined && isEmptySection(fallback)) {
    return [
      finding(
        "fallback-included",
        `'If blocked' only says '${quote(fallback) || "nothing"}'.`,
        "Say what happens if patching is blocked: temporary control, SOC monitoring, exception path and review date.",
      ),
    ];
  }
  return itemFindings("fallback-included", "The fallback notes", fallback ?? doc.body, FALLBACK_ITEMS);
}

const CLOSURE_CUE =
  /\bclos(?:e|ed|ure|ing)\b|\bdone when\b|\bdefinition of done\b|\bcounts as (?:done|complete)\b|\bevidence\b|\bproof\b|\bcomplete(?:d)? when\b/i;
const EVIDENCE_RE =
  /\bversions?\b|\bscan\w*|\binventory\b|\bdeploy\w*|\bscreenshot\w*|\bticket\w*|\bchange record\b|\battest\w*|\btimestamp\w*|\blogs?\b|\breport\b|\boutput\b|\bverif\w*|\bvalidat\w*|\bre-?validat\w*|\btest(?:ed|ing)?\b|\bsigned\b|\brecord\b|\bmonitoring clean\b/i;

export function checkClosureDefined(doc: ParsedHandoff): LintFinding[] {
  const closure = doc.sections.closure;
  const context = closure ?? cueClauses(doc.body, CLOSURE_CUE);
  const fix =
    "Say what proof closes it: installed version evidence, deployment record or change ticket, post-patch scan or inventory, and a validation timestamp.";
  if (context.trim() === "") {
    return [finding("closure-defined", "Does not say what proof closes the item.", fix)];
  }
  if (isEmptySection(context)) {
    return [finding("closure-defined", `Closure evidence only says '${quote(context)}'.`, fix)];
  }
  if (!EVIDENCE_RE.test(context)) {
    return [
      finding(
        "closure-defined",
        `Closure is defined only as '${quote(context)}': that says a patch was attempted, not what proves it.`,
        fix,
      ),
    ];
  }
  return [];
}

const ASSET_RE =
  /\b(?:assets?|hosts?|servers?|systems?|devices?|firewalls?|gateways?|appliances?|instances?|endpoints?|nodes?|clusters?|fleet|workstations?)\b/i;
const FIX_RE =
  /\b(?:upgrade|update|patch|move|go)\s+(?:\S+\s+){0,4}?to\b|\bfixed (?:in|version|build|release)\b|\bhotfix\w*|\bworkaround\w*|\bmitigation\w*|\bapply\b|\binstall\b|\bKB\d{4,}\b|\bdisable\b/i;

export function checkOwnerReady(doc: ParsedHandoff): LintFinding[] {
  const findings: LintFinding[] = [];
  const scope = doc.sections.scope;
  const assetsStated =
    scope !== undefined ? !isEmptySection(scope) : searchItem(doc.body, ASSET_RE).found !== undefined;
  if (!assetsStated) {
    findings.push(
      finding(
        "owner-ready",
        scope !== undefined
          ? `Scope only says '${quote(scope) || "nothing"}'.`
          : "Does not name the affected assets.",
        "List the affected assets (name, environment, installed version) under Scope.",
      ),
    );
  }
  const owners = doc.sections.owners;
  const executorNamed =
    (owners === undefined || !isEmptySection(owners)) &&
    (findNamed(owners ?? doc.body, EXECUTOR_RE).named !== undefined ||
      findNamed(doc.body, EXECUTOR_RE).named !== undefined);
  if (!executorNamed) {
    findings.push(
      finding(
        "owner-ready",
        "Does not name the owner who executes the change.",
        "Name the system owner who executes it, e.g. 'System owner (executes): Network Engineering — Dana Ruiz'.",
      ),
    );
  }
  const fix = doc.sections.fix;
  const fixStated =
    fix !== undefined
      ? clauses(fix).some((c) => !isPlaceholder(splitLabel(c)?.value ?? c))
      : FIX_RE.test(`${doc.sections.action ?? ""}\n${doc.body}`);
  if (!fixStated) {
    findings.push(
      finding(
        "owner-ready",
        fix !== undefined
          ? `The fix path only says '${quote(fix) || "nothing"}'.`
          : "Does not give a fix path (fixed version, patch link, workaround or mitigation).",
        "State the fixed version and patch link, or the workaround or mitigation to apply, under Fix or workaround.",
      ),
    );
  }
  const deadline =
    doc.sections.deadline ?? cueClauses(`${doc.sections.action ?? ""}\n${doc.body}`, DEADLINE_CUE);
  if (!hasDate(deadline) && !hasTime(deadline)) {
    findings.push(
      finding(
        "owner-ready",
        "Does not give a deadline or window with a date.",
        `Add a deadline with a date, time and zone, e.g. 'Deadline: ${EXAMPLE_TIME}'.`,
      ),
    );
  }
  const closure = doc.sections.closure ?? cueClauses(doc.body, CLOSURE_CUE);
  if (closure.trim() === "" || isEmptySection(closure)) {
    findings.push(
      finding(
        "owner-ready",
        "Does not say what evidence is expected back.",
        "List the evidence to send back under Closure evidence needed (version proof, deployment record, scan or inventory evidence, validation timestamp).",
      ),
    );
  }
  return findings;
}

const SUPPLIER_LABEL_RE = /(?:who must supply(?: it)?|supplied by|supplier|who)\s*:\s*(.*)$/i;
const SUPPLIER_ROLE_RE =
  /\b(?:system|service|asset|business|patch)[- ]owners?\b|\bsecurity\b|\bgovernance\b|\brisk\b|\bvendor\b|\bsupplied by\b|\bowners?\b/i;

export function checkMissingSuppliers(doc: ParsedHandoff): LintFinding[] {
  const entries = doc.missing ?? [];
  if (entries.length === 0) {
    return [
      finding(
        "missing-supplier",
        "The validation request lists no missing information.",
        "List each missing field, what is missing and who must supply it, e.g. 'Fixed version — installed build not reported — System owner: Dana Ruiz'.",
      ),
    ];
  }
  const findings: LintFinding[] = [];
  for (const entry of entries) {
    let supplied: boolean;
    if (entry.supplier !== undefined) {
      supplied = !isPlaceholder(entry.supplier);
    } else {
      const labelled = SUPPLIER_LABEL_RE.exec(entry.text);
      supplied = labelled ? !isPlaceholder(labelled[1] ?? "") : SUPPLIER_ROLE_RE.test(entry.text);
    }
    if (!supplied) {
      findings.push(
        finding(
          "missing-supplier",
          `Missing field '${quote(entry.label, 50)}' does not say who must supply it.`,
          "Name the role and owner who supplies it, e.g. 'System owner — Dana Ruiz'.",
        ),
      );
    }
  }
  return findings;
}

export function checkJsonKeys(doc: ParsedHandoff): LintFinding[] {
  if (doc.missingKeys.length === 0) return [];
  const keys = doc.missingKeys.map((k) => `'${k}'`).join(", ");
  return [
    finding(
      "json-keys",
      `The JSON handoff lacks ${doc.missingKeys.length === 1 ? "key" : "keys"} ${keys}.`,
      `Add ${keys}; a patchline.handoff/1 document carries every key, with null or [] where there is no value.`,
    ),
  ];
}
