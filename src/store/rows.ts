/**
 * Domain objects to rows: canonical JSON document, content hash, key and indexed columns.
 */
import type { AdvisoryRecord, Asset, KevEntry, Owner, WorkItem } from "../core/types.js";
import { canonicalJson, sha256Hex } from "./hash.js";
import type { DocRow } from "./schema.js";

function docRow(value: unknown, keys: string[], extras: string[], at: string): DocRow {
  const doc = canonicalJson(value);
  return { keys, extras, doc, hash: sha256Hex(doc), at };
}

export const kevRow = (e: KevEntry, at: string): DocRow => docRow(e, [e.cveId], [], at);

export const advisoryRow = (r: AdvisoryRecord, at: string): DocRow =>
  docRow(r, [r.id, r.source, r.sourceId], [], at);

export const assetRow = (a: Asset, at: string): DocRow =>
  docRow(a, [a.id], [a.assetGroup, a.systemOwner], at);

export const ownerRow = (o: Owner, at: string): DocRow => docRow(o, [o.id], [], at);

/**
 * A work item's hash leaves out plannedAt: planning the same thing again later is not a change.
 * Its created_at is the first plannedAt and never moves.
 */
export function workItemRow(w: WorkItem): DocRow {
  // Work items are many and large, and the planner builds them in one fixed key order, so plain
  // JSON text is already canonical for them: hash it without plannedAt (re-planning identical
  // content is no change), then append plannedAt to make the stored document.
  const { plannedAt, ...content } = w;
  const body = JSON.stringify(content);
  const hash = sha256Hex(body);
  const doc = `${body.slice(0, -1)},"plannedAt":${JSON.stringify(plannedAt)}}`;
  return {
    keys: [w.id],
    extras: [w.advisory.id, w.assetGroup, w.owner.id, w.lane],
    doc,
    hash,
    at: w.plannedAt,
  };
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * a < b in natural order: digit runs compare by length, then digit by digit ("CVE-2021-9999" <
 * "CVE-2021-10000"); everything else by character code. Distinct strings never compare equal, so a
 * strictly increasing sequence has no duplicates.
 */
export function naturalLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  // One is a prefix of the other: the shorter is less (a shorter digit run, or fewer tokens).
  if (p === n) return a.length < b.length;
  const ca = a.charCodeAt(p);
  const cb = b.charCodeAt(p);
  const inRun = p > 0 && isDigit(a.charCodeAt(p - 1));
  if (isDigit(ca) && isDigit(cb)) {
    let ea = p;
    let eb = p;
    while (isDigit(a.charCodeAt(ea))) ea++;
    while (isDigit(b.charCodeAt(eb))) eb++;
    return ea !== eb ? ea < eb : ca < cb;
  }
  // Inside a shared digit run, the side whose run ends first has the shorter number.
  if (inRun && isDigit(ca)) return false;
  if (inRun && isDigit(cb)) return true;
  return ca < cb;
}

function increasing<T>(
  items: readonly T[],
  key: (item: T) => string,
  less: (a: string, b: string) => boolean,
) {
  for (let i = 1; i < items.length; i++) {
    if (!less(key(items[i - 1]!), key(items[i]!))) return false;
  }
  return true;
}

/**
 * Keeps the last item per key, in first-seen order, so one statement never touches a key twice.
 * Returns the input itself when every key is distinct.
 */
export function lastPerKey<T>(items: readonly T[], key: (item: T) => string): readonly T[] {
  // Feeds are usually sorted by key (as text or in natural order); a strictly increasing run
  // proves there are no duplicates without hashing every key.
  if (increasing(items, key, (a, b) => a < b) || increasing(items, key, naturalLess)) return items;
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return byKey.size === items.length ? items : [...byKey.values()];
}
