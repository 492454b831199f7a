/**
 * The whole core pass: merge sources, assess the estate, decide, gate and plan every work item.
 * Pure: the clock comes in as `now`, and nothing is read or written.
 */
import { assess } from "./assess.js";
import { decide } from "./decide.js";
import { canonicalId, mergeAdvisories } from "./merge.js";
import { createPlanCache, ownerDirectory, planWorkItem } from "./plan.js";
import type { Policy } from "./policy/types.js";
import { type ScanEvidence, scanFindings } from "./scan/assess.js";
import { signalsFor } from "./signals.js";
import type {
  Advisory,
  AdvisoryRecord,
  Asset,
  EpssScore,
  Finding,
  KevEntry,
  Lane,
  Owner,
  WorkItem,
} from "./types.js";
import { LANES } from "./types.js";

export interface TriageInput {
  /** UTC instant: the handoff/plan time. */
  now: string;
  policy: Policy;
  /** Every stored source record (several per CVE possible). */
  advisories: AdvisoryRecord[];
  kev: KevEntry[];
  epss: ReadonlyMap<string, EpssScore>;
  assets: Asset[];
  owners: Owner[];
  /**
   * Work-item id → the instant it was first planned. Deadlines and cadence of a known item count
   * from that instant (and plannedAt keeps it), so they do not slide when triage runs again.
   */
  startedAt?: ReadonlyMap<string, string>;
  /** Scanner findings on inventory assets: they take the place of inferred matches for the same pair. */
  scans?: readonly ScanEvidence[];
}

export interface TriageResult {
  /** Sorted: lane order (LANES), then deadline, then advisory id. */
  workItems: WorkItem[];
  /** Every asset × advisory match with status + reason. */
  findings: Finding[];
  counts: Record<Lane, number>;
  /** Matches ruled out (not affected / already fixed). */
  notAffected: number;
}

function lookup<T>(map: ReadonlyMap<string, T>, advisory: Advisory): T | undefined {
  const direct = map.get(advisory.id);
  if (direct !== undefined) return direct;
  for (const alias of advisory.aliases) {
    const hit = map.get(alias) ?? map.get(canonicalId(alias));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function deadlineMillis(item: WorkItem): number {
  return item.deadline ? Date.parse(item.deadline.at) : Number.POSITIVE_INFINITY;
}

/** Lane order (LANES), then deadline (none last), then advisory id, then work-item id. */
export function compareWorkItems(a: WorkItem, b: WorkItem, millis = deadlineMillis): number {
  const lane = LANES.indexOf(a.lane) - LANES.indexOf(b.lane);
  if (lane !== 0) return lane;
  const da = millis(a);
  const db = millis(b);
  if (da !== db) return da < db ? -1 : 1;
  if (a.advisory.id !== b.advisory.id) return a.advisory.id < b.advisory.id ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function triage(input: TriageInput): TriageResult {
  const { policy } = input;
  const advisories = mergeAdvisories(input.advisories, input.kev);
  const kevById = new Map(input.kev.map((e) => [canonicalId(e.cveId), e]));
  const assetById = new Map(input.assets.map((a) => [a.id, a]));
  let findings = assess(advisories.values(), input.assets, policy);
  if (input.scans && input.scans.length > 0) {
    const scanned = scanFindings(input.scans, advisories);
    for (const advisory of scanned.added) advisories.set(advisory.id, advisory);
    const pairs = new Set(scanned.findings.map((f) => `${f.advisoryId}\u001f${f.assetId}`));
    findings = [
      ...findings.filter((f) => !pairs.has(`${f.advisoryId}\u001f${f.assetId}`)),
      ...scanned.findings,
    ];
  }

  // advisory × asset group × system owner
  const groups = new Map<
    string,
    { advisory: Advisory; assetGroup: string; ownerId: string; findings: Finding[] }
  >();
  for (const f of findings) {
    if (f.status !== "affected" && f.status !== "unknown") continue;
    const asset = assetById.get(f.assetId);
    const advisory = advisories.get(f.advisoryId);
    if (!asset || !advisory) continue;
    const key = `${f.advisoryId}\u0000${asset.assetGroup}\u0000${asset.systemOwner}`;
    const group = groups.get(key);
    if (group) group.findings.push(f);
    else
      groups.set(key, { advisory, assetGroup: asset.assetGroup, ownerId: asset.systemOwner, findings: [f] });
  }

  const owners = ownerDirectory(input.owners);
  const cache = createPlanCache();
  const signalCache = new Map<string, ReturnType<typeof signalsFor>>();
  const workItems: WorkItem[] = [];
  for (const group of groups.values()) {
    const { advisory } = group;
    let signals = signalCache.get(advisory.id);
    if (!signals) {
      signals = signalsFor(advisory, lookup(kevById, advisory), lookup(input.epss, advisory), policy);
      signalCache.set(advisory.id, signals);
    }
    const assetIds = new Set(group.findings.map((f) => f.assetId));
    const assets = [...assetIds].map((id) => assetById.get(id)).filter((a): a is Asset => a !== undefined);
    const decision = decide({ advisory, signals, findings: group.findings, assets, policy });
    if (!decision) continue;
    const ctx: Parameters<typeof planWorkItem>[0] = {
      now: input.now,
      policy,
      advisory,
      signals,
      decision,
      findings: group.findings,
      assets,
      owners,
      assetGroup: group.assetGroup,
      ownerId: group.ownerId,
      cache,
    };
    if (input.startedAt) ctx.startedAt = input.startedAt;
    workItems.push(planWorkItem(ctx));
  }
  const due = new Map(workItems.map((w) => [w, deadlineMillis(w)]));
  workItems.sort((a, b) => compareWorkItems(a, b, (w) => due.get(w) ?? deadlineMillis(w)));

  const counts = Object.fromEntries(LANES.map((l) => [l, 0])) as Record<Lane, number>;
  for (const item of workItems) counts[item.lane] += 1;
  const notAffected = findings.filter((f) => f.status === "not_affected" || f.status === "fixed").length;
  return { workItems, findings, counts, notAffected };
}
