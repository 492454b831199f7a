/**
 * What a scanner report means for the tracker. For every tracked work item with at least one asset
 * the report covered:
 * - its vulnerability still reported on a covered asset while the item is verifying or in
 *   monitoring: the item reopens, with an event naming the report;
 * - otherwise the report is scan evidence (report, time, versions seen) for the covered assets, and
 *   a claimed fix ("patched") whose assets the report all covered moves to verified — when the
 *   lane's closure requirements are then met.
 * Partial scans never verify anything, and nothing a person decided (an exception, a mitigation,
 * a blocker, an owner's "not affected" answer) changes state here: those items only gain the
 * evidence. A not-affected item the report still flags stays not-affected; security may reopen it.
 */
import type { Policy } from "../core/policy/types.js";
import type { ScanReportHead, Sighting } from "../core/scan/types.js";
import { applyEvent } from "../core/track/machine.js";
import type { ItemRecord, ItemState } from "../core/track/types.js";
import type { WorkItem } from "../core/types.js";
import { isPatchlineError } from "../errors.js";
import type { Store } from "../store/index.js";
import { type BatchEntry, type Draft, recordEvents } from "./track/record.js";

/** The only states a re-detection reopens: a fix security verified or is verifying. */
const REOPEN_FROM: ReadonlySet<ItemState> = new Set(["verifying", "monitoring"]);

export interface RescanOutcome {
  /** Work items that received scan evidence. */
  evidence: string[];
  verified: string[];
  reopened: string[];
}

export interface RescanInput {
  /** The report without its findings, and what it still sees on each asset (sightingsOf). */
  report: ScanReportHead;
  sightings: readonly Sighting[];
  file: string;
  sha256: string;
  /** Scanned asset key → inventory asset id, for the assets that matched. */
  assetIds: ReadonlyMap<string, string>;
  /** Who records the events (a security owner). */
  actor: string;
  /** The tracked work items, when the caller keeps them across reports (kept up to date here). */
  tracked?: Tracked;
}

/** Tracked work items: their records and planned work items, by id. */
export interface Tracked {
  records: Map<string, ItemRecord>;
  items: Map<string, WorkItem>;
}

/** Reads every tracked work item once, for a run over many reports. */
export async function loadTracked(store: Store): Promise<Tracked> {
  const records = new Map((await store.itemRecords()).map((r) => [r.workItemId, r]));
  const ids = [...records.values()].filter((r) => r.state !== "closed").map((r) => r.workItemId);
  const items = new Map((await store.workItemsByIds(ids)).map((i) => [i.id, i]));
  return { records, items };
}

function idsOf(item: WorkItem): Set<string> {
  return new Set([item.advisory.id, ...item.advisory.aliases].map((id) => id.toUpperCase()));
}

export async function applyRescan(
  store: Store,
  policy: Policy,
  now: string,
  input: RescanInput,
): Promise<RescanOutcome> {
  const { report } = input;
  const outcome: RescanOutcome = { evidence: [], verified: [], reopened: [] };
  const covered = new Set(input.assetIds.values());
  if (covered.size === 0) return outcome;

  // Inventory asset → vulnerability ids (and aliases) the report still sees there.
  const seen = new Map<string, Set<string>>();
  for (const { asset, ids } of input.sightings) {
    const assetId = input.assetIds.get(asset);
    if (assetId === undefined) continue;
    let all = seen.get(assetId);
    if (!all) {
      all = new Set();
      seen.set(assetId, all);
    }
    for (const id of ids) all.add(id);
  }

  const tracked = input.tracked ?? (await loadTracked(store));
  if (tracked.records.size === 0) return outcome;
  const open = [...tracked.records.values()].filter((r) => r.state !== "closed");
  const items = tracked.items;
  const when = report.reportTime ?? now;
  const name = `${report.scanner} report ${input.file}`;
  const entries: BatchEntry[] = [];
  for (const record of open) {
    const item = items.get(record.workItemId);
    if (!item) continue;
    const mine = item.assets.filter((a) => covered.has(a.id));
    if (mine.length === 0) continue;
    const ids = idsOf(item);
    const still = mine.filter((a) => [...(seen.get(a.id) ?? [])].some((id) => ids.has(id)));
    if (still.length > 0) {
      if (!REOPEN_FROM.has(record.state)) continue;
      entries.push({
        workItemId: item.id,
        drafts: [
          {
            type: "reopened",
            actor: input.actor,
            role: "security",
            reason: `re-detected by ${name}`,
            payload: {
              why: `${report.scanner} still reports ${item.advisory.id} on ${still.map((a) => a.name).join(", ")} (report time ${when})`,
              source: `${input.file} (sha256 ${input.sha256.slice(0, 12)})`,
            },
          },
        ],
      });
      outcome.reopened.push(item.id);
      continue;
    }
    const version = versionSeen(report, input.assetIds, mine, item);
    const evidence: Draft = {
      type: "evidence-added",
      actor: input.actor,
      role: "security",
      reason: `no finding for ${item.advisory.id} in ${name}`,
      payload: {
        kind: "scan",
        reference: `${name} (sha256 ${input.sha256.slice(0, 12)})`,
        observedAt: when,
        attestedBy: report.scanner,
        assets: mine.map((a) => a.id),
        ...(version !== undefined ? { version } : {}),
      },
    };
    const drafts: Draft[] = [evidence];
    outcome.evidence.push(item.id);
    const allCovered = mine.length === item.assets.length;
    const claimed =
      record.state === "patched" || (record.state === "verifying" && record.verifiedAt === undefined);
    if (claimed && allCovered && canVerify(record, item, policy, evidence, now)) {
      drafts.push({
        type: "verified",
        actor: input.actor,
        role: "security",
        reason: `${name} covers every asset and no longer reports ${item.advisory.id}`,
        payload: { note: `verified by re-scan (${report.scanner}, ${when})` },
      });
      outcome.verified.push(item.id);
    }
    entries.push({ workItemId: item.id, drafts });
  }
  if (entries.length > 0) {
    for (const written of await recordEvents(store, policy, now, entries, items)) {
      tracked.records.set(written.workItemId, written.record);
    }
  }
  return outcome;
}

/**
 * The version of the advisory's package the report lists on the covered assets (an SBOM's components,
 * a scanner's package list), when it lists exactly one.
 */
function versionSeen(
  report: ScanReportHead,
  assetIds: ReadonlyMap<string, string>,
  assets: readonly { id: string }[],
  item: WorkItem,
): string | undefined {
  const wanted = new Set(assets.map((a) => a.id));
  const names = new Set(
    [item.advisory.component, item.advisory.product]
      .filter((n): n is string => !!n)
      .map((n) => n.toLowerCase()),
  );
  const versions = new Set<string>();
  for (const c of report.components) {
    const assetId = assetIds.get(c.asset);
    if (assetId === undefined || !wanted.has(assetId)) continue;
    const product = c.software.product?.toLowerCase();
    if (product !== undefined && names.has(product) && c.software.version) versions.add(c.software.version);
  }
  return versions.size === 1 ? [...versions][0] : undefined;
}

/** Whether the record, with this evidence added, may be verified under the lane's policy. */
function canVerify(
  record: ItemRecord,
  item: WorkItem,
  policy: Policy,
  evidence: Draft,
  now: string,
): boolean {
  const base = { caseId: record.caseId, workItemId: record.workItemId, at: now };
  try {
    const next = applyEvent(record, { ...base, ...evidence } as never, item, policy);
    applyEvent(
      next,
      { ...base, type: "verified", actor: evidence.actor, role: "security", payload: {} } as never,
      item,
      policy,
    );
    return true;
  } catch (error) {
    if (isPatchlineError(error)) return false;
    throw error;
  }
}
