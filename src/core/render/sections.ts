/** Fixed section headings, in order. The lint reads the same names (and synonyms) back. */

export const HANDOFF_HEADINGS = {
  action: "Action requested",
  scope: "Scope",
  owners: "Owners",
  why: "Why this matters",
  fix: "Fix or workaround",
  deadline: "Deadline or window",
  change: "Change notes",
  fallback: "If blocked",
  closure: "Closure evidence needed",
  caveats: "Caveats",
  next: "Next update due",
} as const;

export const VALIDATION_HEADINGS = {
  action: "What we need confirmed",
  why: "Why we are asking",
  missing: "Missing information",
  deadline: "Answer needed by",
  scope: "Scope",
  owners: "Owners",
  caveats: "Caveats",
  next: "Next update due",
} as const;

export const HANDOFF_TITLE_PREFIX = "Patch owner handoff";
export const VALIDATION_TITLE_PREFIX = "Validation request";

/** The blocker categories owners must use when they report one. */
export const BLOCKER_CATEGORIES = [
  "technical issue",
  "operational constraint",
  "approval dependency",
  "vendor limitation",
  "exception request",
] as const;

/** Written wherever a field has no value, so the gap is visible instead of silently dropped. */
export const NOT_PROVIDED = "not provided";
