/**
 * Loading a policy file: YAML text → validated partial policy → merged over its pack.
 *
 * - Every key is optional; `pack:` (default bod-26-04) names the built-in policy the file is laid over.
 * - Mappings merge key by key; lists and single values replace the pack's value.
 * - An empty value (`roleOwners:` with nothing under it) means "keep the pack's value".
 * - Problems name the key as a dotted path: "cadence.patch-now.acknowledgment: expected a duration
 *   like 4h or P1D, got 'soon'". Unknown keys are warnings (with the closest known key); everything
 *   else is an error, and a file with errors yields the pack's policy unchanged.
 */
import YAML, { isMap, isPair, isScalar, isSeq, LineCounter, type Node as YamlNode } from "yaml";
import { PatchlineError } from "../../errors.js";
import { addInZone } from "../time.js";
import type { Lane } from "../types.js";
import { builtInPolicy, isPackName } from "./packs.js";
import { CRITICALITIES, knownKeysAt, type PolicyFile, policyFileSchema } from "./schema.js";
import type { CadencePolicy, MaintenanceWindow, PackName, Policy, PolicyLoadResult } from "./types.js";

/** One problem found in a policy file, with where it is. */
export interface PolicyProblem {
  severity: "error" | "warning";
  /** Dotted path of the key ("cadence.patch-now.acknowledgment"); "" for the whole file. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** PolicyLoadResult plus the structured problems behind its error and warning strings. */
export interface PolicyLoadDetail extends PolicyLoadResult {
  problems: PolicyProblem[];
  source?: string;
}

type PathSegment = string | number;

export function dottedPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function problemText(p: PolicyProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** Parses and validates a policy file. Never throws for content problems. */
export function parsePolicy(yamlText: string, source?: string): PolicyLoadDetail {
  const problems: PolicyProblem[] = [];
  const finish = (config: Policy): PolicyLoadDetail => {
    // File order: the first problem reported is the first one in the file.
    problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    return {
      config,
      errors: problems.filter((p) => p.severity === "error").map(problemText),
      warnings: problems.filter((p) => p.severity === "warning").map(problemText),
      problems,
      ...(source !== undefined ? { source } : {}),
    };
  };

  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(typeof yamlText === "string" ? yamlText : "", {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  for (const e of doc.errors) {
    const where = at(e.pos[0]);
    const message = `YAML syntax error at line ${where.line}, column ${where.column}: ${firstLine(e.message)}`;
    problems.push({ severity: "error", path: "", message, ...where });
  }
  for (const w of doc.warnings) {
    problems.push({
      severity: "warning",
      path: "",
      message: `YAML: ${firstLine(w.message)}`,
      ...at(w.pos[0]),
    });
  }
  if (doc.errors.length > 0) return finish(builtInPolicy("bod-26-04"));

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    problems.push({ severity: "error", path: "", message: `YAML: ${firstLine((e as Error).message)}` });
    return finish(builtInPolicy("bod-26-04"));
  }
  const place = (path: readonly PropertyKey[], keyOnly = false) =>
    at(nodeOffset(doc.contents, path, keyOnly));

  if (raw === null || raw === undefined) return finish(builtInPolicy("bod-26-04"));
  if (typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({
      severity: "error",
      path: "",
      message: `expected a mapping of policy keys at the top level, got ${Array.isArray(raw) ? "a list" : `'${String(raw)}'`}`,
      ...place([]),
    });
    return finish(builtInPolicy("bod-26-04"));
  }

  const cleaned = dropEmpty(raw) as Record<string, unknown>;
  const packGuess = isPackName(cleaned.pack) ? cleaned.pack : "bod-26-04";

  // Unknown keys are warnings: report them, remove them, and validate what remains.
  let input: Record<string, unknown> = cleaned;
  let result = policyFileSchema.safeParse(input, { reportInput: true });
  for (let round = 0; round < 5 && !result.success; round++) {
    const unknown = result.error.issues.filter((i) => i.code === "unrecognized_keys");
    if (unknown.length === 0) break;
    input = structuredClone(input);
    for (const issue of unknown) {
      const parent = getAt(input, issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const suggestion = closest(key, knownKeysAt(issue.path));
        problems.push({
          severity: "warning",
          path: dottedPath(path),
          message: `unknown key, ignored${suggestion ? ` (did you mean '${suggestion}'?)` : ""}`,
          ...place(path as PathSegment[], true),
        });
        if (parent && typeof parent === "object") delete (parent as Record<string, unknown>)[key];
      }
    }
    result = policyFileSchema.safeParse(input, { reportInput: true });
  }
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") continue;
      problems.push({
        severity: "error",
        path: dottedPath(issue.path),
        message: issue.message,
        ...place(issue.path as PathSegment[]),
      });
    }
    return finish(builtInPolicy(packGuess));
  }

  const file = result.data as PolicyFile;
  const merged = mergePolicy(builtInPolicy((file.pack as PackName | undefined) ?? "bod-26-04"), file);
  for (const p of completeness(merged)) problems.push({ ...p, ...place(p.path.split(".")) });
  for (const p of cadenceOrder(merged)) problems.push({ ...p, ...place(p.path.split(".")) });
  if (problems.some((p) => p.severity === "error")) return finish(builtInPolicy(merged.pack));
  return finish(merged);
}

/**
 * Parses a policy file or throws POLICY_INVALID: "<source>: <first error> (+N more)", with the file,
 * the dotted path of the first bad key and its line when known.
 */
export function loadPolicyOrThrow(yamlText: string, source: string): { policy: Policy; warnings: string[] } {
  const result = parsePolicy(yamlText, source);
  const errors = result.problems.filter((p) => p.severity === "error");
  const first = errors[0];
  if (first) {
    // The place carries the file, line and column; the message names every bad key, in file order.
    throw new PatchlineError(
      "POLICY_INVALID",
      errors.map(problemText).join("; "),
      {
        file: source,
        ...(first.line !== undefined ? { line: first.line } : {}),
        ...(first.column !== undefined ? { column: first.column } : {}),
      },
      { errors: result.errors, warnings: result.warnings },
    );
  }
  return { policy: result.config, warnings: result.warnings };
}

// ---------------------------------------------------------------- merge

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : structuredClone(over);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = deepMerge(base[key], value);
  }
  return out;
}

/** The pack's policy with the file's values laid over it; environment windows inherit the default window. */
export function mergePolicy(pack: Policy, file: PolicyFile): Policy {
  const merged = deepMerge(structuredClone(pack), file) as Policy;
  const windows: Record<string, MaintenanceWindow> = {};
  for (const [env, w] of Object.entries(merged.environmentWindows ?? {})) {
    windows[env] = { ...merged.maintenanceWindow, ...w };
  }
  merged.environmentWindows = windows;
  return merged;
}

function completeness(policy: Policy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  for (const [lane, table] of Object.entries(policy.deadlines)) {
    const missing = CRITICALITIES.filter((c) => table?.[c] === undefined);
    for (const c of missing) {
      out.push({
        severity: "error",
        path: `deadlines.${lane}.${c}`,
        message: `missing: a deadline table needs a duration for every criticality (${CRITICALITIES.join(", ")})`,
      });
    }
  }
  const keys: (keyof CadencePolicy)[] = ["acknowledgment", "status", "blocker-escalation", "final"];
  for (const [lane, cadence] of Object.entries(policy.cadence)) {
    for (const k of keys) {
      if (cadence?.[k] === undefined) {
        out.push({
          severity: "error",
          path: `cadence.${lane}.${k}`,
          message: `missing: the pack has no ${lane} cadence to fill it from; expected a duration like 4h or P1D`,
        });
      }
    }
  }
  return out;
}

const REFERENCE = "2026-01-05T00:00:00Z";

/** Warns when a lane's checkpoints are out of order (acknowledgment after status, …). */
function cadenceOrder(policy: Policy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const order: (keyof CadencePolicy)[] = ["acknowledgment", "status", "blocker-escalation", "final"];
  for (const [lane, cadence] of Object.entries(policy.cadence) as [Lane, CadencePolicy | undefined][]) {
    if (!cadence) continue;
    let prev: { key: string; ms: number } | undefined;
    for (const k of order) {
      const text = cadence[k];
      if (text === undefined || text === "deadline") continue;
      let ms: number;
      try {
        ms = Date.parse(addInZone(REFERENCE, text, "UTC"));
      } catch {
        continue;
      }
      if (prev && ms < prev.ms) {
        out.push({
          severity: "warning",
          path: `cadence.${lane}.${k}`,
          message: `${k} (${text}) comes before ${prev.key} (${cadence[prev.key as keyof CadencePolicy]})`,
        });
      }
      prev = { key: k, ms };
    }
  }
  return out;
}

// ---------------------------------------------------------------- helpers

/** Removes keys whose value is empty (null) so they fall back to the pack's value. */
function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    out[k] = dropEmpty(v);
  }
  return out;
}

function getAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const seg of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "").trim();
}

/** Offset of the YAML node at `path` (of its key when keyOnly), for line numbers. */
function nodeOffset(root: unknown, path: readonly PropertyKey[], keyOnly = false): number | undefined {
  let node: unknown = root;
  let keyNode: unknown;
  for (const seg of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return rangeStart(node);
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === undefined) return rangeStart(node);
      node = item;
    } else {
      return rangeStart(node);
    }
  }
  return rangeStart(keyOnly && keyNode ? keyNode : node) ?? rangeStart(keyNode);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

/** The known key closest to a typo, when it is close enough to be a likely intent. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    if (norm(k) === norm(key)) return k;
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { k, d };
  }
  if (!best) return undefined;
  return best.d <= Math.max(2, Math.floor(best.k.length / 3)) ? best.k : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
