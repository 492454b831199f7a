/**
 * The schema of a policy file. Every key is optional: a file only states what differs from its pack.
 * Objects are strict so unknown keys are reported (as warnings, see load.ts); messages name what was
 * expected and what was found.
 */

import { z } from "zod";
import { MATCH_KEYS } from "../scan/match.js";
import { canonicalZone, isDuration, isValidZone } from "../time.js";
import type { EvidenceKind } from "../track/types.js";
import type { Lane } from "../types.js";
import { PACK_NAMES } from "./packs.js";

/** How a value from the file is shown in a message: 'soon', 4, a list, a mapping. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

type Issue = { code?: string; input?: unknown };

/** A message for a wrong type; other issue kinds keep the schema's own message. */
function expected(what: string) {
  return (iss: Issue) =>
    iss.code === "invalid_type" ? `expected ${what}, got ${show(iss.input)}` : undefined;
}

const DURATION_HINT = "a duration like 4h or P1D";

export const durationText = z
  .string({ error: expected(DURATION_HINT) })
  .refine(isDuration, { error: (iss) => `expected ${DURATION_HINT}, got ${show(iss.input)}` })
  .transform((s) => s.trim());

const finalText = z
  .string({ error: expected(`${DURATION_HINT}, or 'deadline'`) })
  .refine((s) => s.trim() === "deadline" || isDuration(s), {
    error: (iss) => `expected ${DURATION_HINT}, or 'deadline', got ${show(iss.input)}`,
  })
  .transform((s) => s.trim());

export const zoneName = z
  .string({ error: expected("an IANA time zone name like Europe/Amsterdam") })
  .refine(isValidZone, { error: (iss) => `${show(iss.input)} is not an IANA time zone` })
  .transform(canonicalZone);

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const list = values.join(", ");
  return z.enum(values, {
    error: (iss) =>
      iss.code === "invalid_value" || iss.code === "invalid_type"
        ? `expected one of ${list}, got ${show(iss.input)}`
        : undefined,
  });
}

function numberBetween(min: number, max: number) {
  const msg = (iss: Issue) => `expected a number from ${min} to ${max}, got ${show(iss.input)}`;
  return z.number({ error: msg }).min(min, { error: msg }).max(max, { error: msg });
}

function listOf<T extends z.ZodType>(item: T) {
  return z.array(item, { error: expected("a list") });
}

function mapping<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, { error: expected("a mapping") });
}

function recordOf<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value, { error: expected("a mapping") });
}

const nonEmptyText = z
  .string({ error: expected("text") })
  .refine((s) => s.trim() !== "", { error: "expected text, got an empty string" });

const LANE_KEYS = [
  "patch-now",
  "patch-window",
  "validate",
  "blocked",
  "mitigate",
  "exception",
  "closure",
] as const satisfies readonly Lane[];

export const EVIDENCE_KINDS = [
  "version-proof",
  "deployment-record",
  "scan",
  "inventory",
  "change-ticket",
  "screenshot",
  "attestation",
  "forensic-scoping",
  "forensic-evidence",
  "forensic-decision",
] as const satisfies readonly EvidenceKind[];

export const CRITICALITIES = ["critical", "high", "medium", "low"] as const;
export const EXPOSURES = ["internet", "partner", "internal", "isolated"] as const;
export const CONFIDENCES = ["high", "medium", "low"] as const;
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const FULL_DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** Per-lane mapping: every lane optional, unknown lane names reported. */
function perLane<T extends z.ZodType>(value: T) {
  return mapping({
    "patch-now": value.optional(),
    "patch-window": value.optional(),
    validate: value.optional(),
    blocked: value.optional(),
    mitigate: value.optional(),
    exception: value.optional(),
    closure: value.optional(),
  });
}

/** "sat", "Sat", "saturday" → "sat". */
function normalizeDay(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const lower = value.trim().toLowerCase();
  const full = FULL_DAY_NAMES.find((d) => d === lower || d.slice(0, 3) === lower);
  return full ? full.slice(0, 3) : value;
}

const startTime = z
  .string({ error: expected("a start time like 02:00") })
  .refine((s) => /^([01]?\d|2[0-3]):[0-5]\d$/.test(s.trim()), {
    error: (iss) => `expected a start time like 02:00 (24-hour clock), got ${show(iss.input)}`,
  })
  .transform((s) => s.trim().padStart(5, "0"));

export const windowSchema = mapping({
  days: listOf(z.preprocess(normalizeDay, oneOf(WEEKDAYS)))
    .refine((d) => d.length > 0, { error: "expected at least one day" })
    .optional(),
  start: startTime.optional(),
  length: durationText.optional(),
  minLeadTime: durationText.optional(),
});

const cadenceSchema = mapping({
  acknowledgment: durationText.optional(),
  status: durationText.optional(),
  "blocker-escalation": durationText.optional(),
  final: finalText.optional(),
});

const criticalityDeadlines = mapping({
  critical: durationText.optional(),
  high: durationText.optional(),
  medium: durationText.optional(),
  low: durationText.optional(),
});

const changeProfile = mapping({
  testing: nonEmptyText.optional(),
  rollback: nonEmptyText.optional(),
  maintenanceWindow: nonEmptyText.optional(),
  dependencies: nonEmptyText.optional(),
  approval: nonEmptyText.optional(),
  communication: nonEmptyText.optional(),
  reboot: nonEmptyText.optional(),
});

export const policyFileSchema = mapping({
  pack: oneOf(PACK_NAMES as unknown as readonly [string, ...string[]]).optional(),
  defaultTimeZone: zoneName.optional(),
  dueDateZone: zoneName.optional(),
  thresholds: mapping({
    epssHigh: numberBetween(0, 1).optional(),
    epssPercentileHigh: numberBetween(0, 1).optional(),
    epssJump: numberBetween(0, 1).optional(),
    cvssHigh: numberBetween(0, 10).optional(),
  }).optional(),
  urgentRoles: listOf(nonEmptyText).optional(),
  urgentCriticality: listOf(oneOf(CRITICALITIES)).optional(),
  exposedLevels: listOf(oneOf(EXPOSURES)).optional(),
  sourceConfidence: recordOf(oneOf(CONFIDENCES)).optional(),
  deadlines: perLane(criticalityDeadlines).optional(),
  maintenanceWindow: windowSchema.optional(),
  environmentWindows: recordOf(windowSchema).optional(),
  cadence: perLane(cadenceSchema).optional(),
  closureEvidence: perLane(listOf(nonEmptyText)).optional(),
  closureRequires: perLane(
    listOf(
      listOf(oneOf(EVIDENCE_KINDS)).refine((g) => g.length > 0, {
        error: "expected at least one evidence kind in each group",
      }),
    ),
  ).optional(),
  changeDefaults: recordOf(changeProfile).optional(),
  gateAcceptsPolicyDefaults: z.boolean({ error: expected("true or false") }).optional(),
  roleOwners: mapping({
    security: nonEmptyText.optional(),
    governance: nonEmptyText.optional(),
    leadership: nonEmptyText.optional(),
  }).optional(),
  scanMatch: listOf(oneOf(MATCH_KEYS as unknown as readonly [string, ...string[]])).optional(),
});

/** What a policy file holds once validated: a partial policy. */
export type PolicyFile = z.output<typeof policyFileSchema>;

export { LANE_KEYS };

/**
 * The keys the schema knows at a path ("cadence.patch-now" → acknowledgment, status, …), or [] when
 * the place takes free-form keys or does not exist. Used to suggest a close key for a typo.
 */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = policyFileSchema;
  for (const seg of path) {
    node = step(unwrap(node), seg);
    if (node === undefined) return [];
  }
  const inner = unwrap(node);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let current = node;
  for (let i = 0; i < 10 && current; i++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
  return current;
}

function step(node: z.ZodType | undefined, seg: PropertyKey): z.ZodType | undefined {
  if (node instanceof z.ZodObject) return (node.shape as Record<string, z.ZodType>)[String(seg)];
  if (node instanceof z.ZodRecord) return node.valueType as z.ZodType;
  if (node instanceof z.ZodArray) return node.element as z.ZodType;
  return undefined;
}
