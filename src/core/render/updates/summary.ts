/**
 * One pass over a case: counts per state, progress in assets, owners per role, triggers, business
 * services, blockers, pending exceptions, deadlines and the next checkpoint. Every audience renders
 * from this summary, so a case of 10k work items is read once and only the few instants that are
 * shown are formatted.
 */
import { endOfDayInZone } from "../../time.js";
import { isFinal } from "../../track/rules.js";
import { type DueCheckpoint, ITEM_STATES, type ItemRecord, type ItemState } from "../../track/types.js";
import type { Exposure, FunctionalRole, OwnerRef, UrgencyTrigger, WorkItem } from "../../types.js";
import type { CaseEntry, CaseView } from "./types.js";

/** Assets counted by where their work item stands; the buckets do not overlap and add up to total. */
export interface Progress {
  total: number;
  /** Fix claimed, verification not finished (states patched and verifying). */
  patched: number;
  /** Verified: in monitoring plus closed. */
  verified: number;
  inMonitoring: number;
  closed: number;
  /** Exception granted. */
  excepted: number;
  /** Answered "not affected" by an owner: resolved without a change, never counted as patched or verified. */
  notAffected: number;
  /** Everything else: sent, acknowledged, in progress, blocked, mitigated, exception requested or denied, reopened. */
  open: number;
  blocked: number;
  mitigated: number;
  exceptionRequested: number;
}

/** A point in time an item must meet: a cadence checkpoint, a blocker or exception review, a monitoring end. */
export interface Point {
  kind: DueCheckpoint["kind"];
  due: string;
  zone: string;
  ms: number;
  escalateTo: string | undefined;
}

export interface ServiceImpact {
  service: string;
  assets: number;
  openAssets: number;
  internetFacing: number;
  critical: number;
}

export interface EnvironmentGroup {
  environment: string;
  exposure: Exposure;
  assets: number;
  rank: number;
  names: string[];
}

export interface CaseSummary {
  view: CaseView;
  nowMs: number;
  workItems: number;
  itemsByState: Record<ItemState, number>;
  progress: Progress;
  /** Assets whose affected status is unknown (scope confidence); an owner's "not affected" answers it. */
  unknownAssets: number;
  /** Distinct triggers (text and source) in first-seen order. */
  triggers: UrgencyTrigger[];
  services: ServiceImpact[];
  environments: EnvironmentGroup[];
  owners: Record<"security" | "system-owner" | "service-owner" | "governance", OwnerRef[]>;
  blocked: CaseEntry[];
  exceptionsPending: CaseEntry[];
  /** Work items an owner answered "not affected", in case order. */
  notAffected: CaseEntry[];
  /**
   * Deadlines of the open work items; when every item is closed or not affected, of all of them (then
   * deadlinesOpen is false).
   */
  earliestDeadline: { at: string; zone: string; entry: CaseEntry } | undefined;
  latestDeadline: { at: string; zone: string; entry: CaseEntry } | undefined;
  deadlinesOpen: boolean;
  /** The earliest instant a handoff went out (or was planned). */
  firstSent: string | undefined;
  /** The next point each entry must meet, index-aligned with view.entries (undefined when closed or not affected). */
  nextByEntry: (Point | undefined)[];
  /** The earliest upcoming point across the case, with its entry. */
  next: { point: Point; entry: CaseEntry } | undefined;
  /** Overdue checkpoints (from view.due), oldest first. */
  overdue: DueCheckpoint[];
  dueByItem: Map<string, DueCheckpoint[]>;
  entryById: Map<string, CaseEntry>;
}

/** Where a state sits in the progress buckets. */
export function progressBucket(
  state: ItemState,
): "patched" | "inMonitoring" | "closed" | "excepted" | "notAffected" | "open" {
  switch (state) {
    case "patched":
    case "verifying":
      return "patched";
    case "monitoring":
      return "inMonitoring";
    case "closed":
      return "closed";
    case "exception-granted":
      return "excepted";
    case "not-affected":
      return "notAffected";
    default:
      return "open";
  }
}

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Milliseconds of a UTC instant. The record's own form ("2024-04-16T12:00:00Z") is read by hand —
 * a case of 10k items holds tens of thousands of them — and anything else by Date.parse.
 */
export function toMs(instant: string): number {
  if (instant.length === 20 && instant[10] === "T" && instant[19] === "Z" && instant[4] === "-") {
    const ms = Date.UTC(
      digits(instant, 0, 4),
      digits(instant, 5, 7) - 1,
      digits(instant, 8, 10),
      digits(instant, 11, 13),
      digits(instant, 14, 16),
      digits(instant, 17, 19),
    );
    if (!Number.isNaN(ms)) return ms;
  }
  return Date.parse(instant);
}

/** A review date may be a calendar date: it then means the end of that day in the owner's zone. */
export function pointInstant(value: string, zone: string, cache?: Map<string, string>): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const key = `${value} ${zone}`;
    const known = cache?.get(key);
    if (known !== undefined) return known;
    let at: string;
    try {
      at = endOfDayInZone(value, zone);
    } catch {
      at = `${value}T23:59:59Z`;
    }
    cache?.set(key, at);
    return at;
  }
  return Number.isNaN(toMs(value)) ? undefined : value;
}

/** The points an open item still has to meet: unmet checkpoints, blocker and exception reviews, monitoring end. */
export function itemPoints(item: WorkItem, record: ItemRecord, cache?: Map<string, string>): Point[] {
  if (isFinal(record.state)) return [];
  const zone = record.zone || item.owner.timeZone;
  const points: Point[] = [];
  const add = (kind: Point["kind"], value: string | undefined, pointZone: string, escalateTo?: string) => {
    if (value === undefined || value.trim() === "") return;
    const due = pointInstant(value, pointZone, cache);
    if (due === undefined) return;
    points.push({ kind, due, zone: pointZone, ms: toMs(due), escalateTo });
  };
  const cadence = record.cadence.length > 0 ? record.cadence : item.cadence;
  const met = record.metCheckpoints;
  for (const c of cadence) {
    if (!met.includes(c.kind)) add(c.kind, c.due, c.zone || zone, c.escalateTo);
  }
  const escalation = item.escalationOwner?.id;
  if (record.state === "blocked" && record.blocker)
    add("blocker-review", record.blocker.nextReview, zone, escalation);
  const ex = record.exception;
  if (ex && (ex.status === "requested" || ex.status === "granted")) {
    add("exception-review", ex.reviewDate, zone, item.governanceOwner?.id);
    if (ex.status === "granted") add("exception-expiry", ex.expiry, zone, item.governanceOwner?.id);
  }
  if (record.state === "monitoring" && record.monitoring)
    add("monitoring-end", record.monitoring.endsAt, zone);
  return points;
}

/**
 * The first point an open item must meet at or after `nowMs` — the same as
 * nextPoint(itemPoints(…)) without building the list, since a case may hold 10k items.
 */
export function nextItemPoint(
  item: WorkItem,
  record: ItemRecord,
  nowMs: number,
  cache?: Map<string, string>,
): Point | undefined {
  if (isFinal(record.state)) return undefined;
  const zone = record.zone || item.owner.timeZone;
  let bestMs = Number.POSITIVE_INFINITY;
  let bestKind: Point["kind"] | undefined;
  let bestDue = "";
  let bestZone = zone;
  let bestEscalate: string | undefined;
  const cadence = record.cadence.length > 0 ? record.cadence : item.cadence;
  const met = record.metCheckpoints;
  for (const c of cadence) {
    if (met.length > 0 && met.includes(c.kind)) continue;
    const ms = toMs(c.due);
    if (ms >= nowMs && ms < bestMs) {
      bestMs = ms;
      bestKind = c.kind;
      bestDue = c.due;
      bestZone = c.zone || zone;
      bestEscalate = c.escalateTo;
    }
  }
  if (record.state === "blocked" || record.exception !== undefined || record.state === "monitoring") {
    for (const p of itemPoints(item, record, cache)) {
      if (p.ms >= nowMs && p.ms < bestMs && !(p.kind in CADENCE_KINDS)) {
        bestMs = p.ms;
        bestKind = p.kind;
        bestDue = p.due;
        bestZone = p.zone;
        bestEscalate = p.escalateTo;
      }
    }
  }
  return bestKind === undefined
    ? undefined
    : { kind: bestKind, due: bestDue, zone: bestZone, ms: bestMs, escalateTo: bestEscalate };
}

const CADENCE_KINDS: Record<string, true> = {
  acknowledgment: true,
  status: true,
  "blocker-escalation": true,
  final: true,
  "forensic-scoping": true,
  "forensic-evidence": true,
  "forensic-decision": true,
};

/** The first point due at or after `nowMs`. */
export function nextPoint(points: Point[], nowMs: number): Point | undefined {
  let best: Point | undefined;
  for (const p of points) {
    if (Number.isNaN(p.ms) || p.ms < nowMs) continue;
    if (best === undefined || p.ms < best.ms) best = p;
  }
  return best;
}

const ENV_RANK: Record<string, number> = {
  production: 0,
  prod: 0,
  dr: 1,
  "disaster-recovery": 1,
  staging: 2,
  "pre-production": 2,
  preprod: 2,
  uat: 2,
  test: 3,
  qa: 3,
  dev: 4,
  development: 4,
  lab: 5,
};

const EXPOSURE_RANK: Record<Exposure, number> = { internet: 0, partner: 1, internal: 2, isolated: 3 };

/** Lower goes first: production before staging before lab; internet before partner before internal. */
export function environmentRank(environment: string, exposure: Exposure): number {
  const env = ENV_RANK[environment.toLowerCase()] ?? 2.5;
  return env * 10 + (EXPOSURE_RANK[exposure] ?? 2);
}

function addOwner(map: Map<string, OwnerRef>, owner: OwnerRef | undefined): void {
  if (owner && !map.has(owner.id)) map.set(owner.id, owner);
}

const NAME_LIMIT = 50;

export function summariseCase(view: CaseView): CaseSummary {
  const nowMs = toMs(view.now);
  const itemsByState = Object.fromEntries(ITEM_STATES.map((s) => [s, 0])) as Record<ItemState, number>;
  const progress: Progress = {
    total: 0,
    patched: 0,
    verified: 0,
    inMonitoring: 0,
    closed: 0,
    excepted: 0,
    notAffected: 0,
    open: 0,
    blocked: 0,
    mitigated: 0,
    exceptionRequested: 0,
  };
  let unknownAssets = 0;
  // Nested maps keyed by the strings themselves: no key is built per item.
  const triggers = new Map<string, Map<string, UrgencyTrigger>>();
  const triggerList: UrgencyTrigger[] = [];
  const services = new Map<string, ServiceImpact>();
  const environments = new Map<string, Map<Exposure, EnvironmentGroup>>();
  const environmentList: EnvironmentGroup[] = [];
  const owners = {
    security: new Map<string, OwnerRef>(),
    "system-owner": new Map<string, OwnerRef>(),
    "service-owner": new Map<string, OwnerRef>(),
    governance: new Map<string, OwnerRef>(),
  } satisfies Record<Exclude<FunctionalRole, "leadership">, Map<string, OwnerRef>>;
  const blocked: CaseEntry[] = [];
  const exceptionsPending: CaseEntry[] = [];
  const notAffected: CaseEntry[] = [];
  let earliest: CaseSummary["earliestDeadline"];
  let latest: CaseSummary["latestDeadline"];
  let earliestMs = Number.POSITIVE_INFINITY;
  let latestMs = Number.NEGATIVE_INFINITY;
  let closedEarliest: CaseSummary["earliestDeadline"];
  let closedLatest: CaseSummary["latestDeadline"];
  let firstSent: string | undefined;
  let firstSentMs = Number.POSITIVE_INFINITY;
  const nextByEntry: (Point | undefined)[] = [];
  let next: CaseSummary["next"];
  const entryById = new Map<string, CaseEntry>();
  // Review dates repeat across items: each date and zone is converted once.
  const instants = new Map<string, string>();

  for (const entry of view.entries) {
    const { item, record } = entry;
    entryById.set(item.id, entry);
    const state = record.state;
    itemsByState[state] = (itemsByState[state] ?? 0) + 1;
    const bucket = progressBucket(state);
    const n = item.assets.length;
    progress.total += n;
    progress[bucket] += n;
    if (state === "blocked") progress.blocked += n;
    if (state === "mitigated") progress.mitigated += n;
    if (state === "exception-requested") progress.exceptionRequested += n;

    for (const t of item.decision.triggers) {
      let bySource = triggers.get(t.text);
      if (!bySource) {
        bySource = new Map();
        triggers.set(t.text, bySource);
      }
      if (!bySource.has(t.source)) {
        bySource.set(t.source, t);
        triggerList.push(t);
      }
    }
    const open = bucket === "open";
    const answered = state === "not-affected";
    for (const asset of item.assets) {
      if (asset.status === "unknown" && !answered) unknownAssets++;
      const name = asset.businessService ?? item.businessServices[0] ?? "no business service recorded";
      let s = services.get(name);
      if (!s) {
        s = { service: name, assets: 0, openAssets: 0, internetFacing: 0, critical: 0 };
        services.set(name, s);
      }
      s.assets++;
      if (open) s.openAssets++;
      if (asset.exposure === "internet") s.internetFacing++;
      if (asset.criticality === "critical") s.critical++;
      let byExposure = environments.get(asset.environment);
      if (!byExposure) {
        byExposure = new Map();
        environments.set(asset.environment, byExposure);
      }
      let g = byExposure.get(asset.exposure);
      if (!g) {
        g = {
          environment: asset.environment,
          exposure: asset.exposure,
          assets: 0,
          rank: environmentRank(asset.environment, asset.exposure),
          names: [],
        };
        byExposure.set(asset.exposure, g);
        environmentList.push(g);
      }
      g.assets++;
      if (g.names.length < NAME_LIMIT) g.names.push(asset.name);
    }
    addOwner(owners.security, item.securityOwner);
    addOwner(owners["system-owner"], item.owner);
    addOwner(owners["service-owner"], item.serviceOwner);
    addOwner(owners.governance, item.governanceOwner);
    if (state === "blocked") blocked.push(entry);
    if (state === "exception-requested") exceptionsPending.push(entry);
    if (answered) notAffected.push(entry);

    const deadline = record.deadline ?? item.deadline?.at ?? null;
    if (deadline !== null && isFinal(state)) {
      const zone = record.zone || item.deadline?.zone || item.owner.timeZone;
      if (!closedEarliest || toMs(deadline) < toMs(closedEarliest.at))
        closedEarliest = { at: deadline, zone, entry };
      if (!closedLatest || toMs(deadline) > toMs(closedLatest.at))
        closedLatest = { at: deadline, zone, entry };
    } else if (deadline !== null) {
      const ms = toMs(deadline);
      const zone = record.zone || item.deadline?.zone || item.owner.timeZone;
      if (ms < earliestMs) {
        earliestMs = ms;
        earliest = { at: deadline, zone, entry };
      }
      if (ms > latestMs) {
        latestMs = ms;
        latest = { at: deadline, zone, entry };
      }
    }
    const sent = record.sentAt ?? item.plannedAt;
    const sentMs = toMs(sent);
    if (sentMs < firstSentMs) {
      firstSentMs = sentMs;
      firstSent = sent;
    }
    const point = nextItemPoint(item, record, nowMs, instants);
    nextByEntry.push(point);
    if (point && (next === undefined || point.ms < next.point.ms)) next = { point, entry };
  }
  progress.verified = progress.inMonitoring + progress.closed;

  const overdue: DueCheckpoint[] = [];
  const dueByItem = new Map<string, DueCheckpoint[]>();
  for (const d of view.due) {
    if (d.overdue) overdue.push(d);
    const list = dueByItem.get(d.workItemId);
    if (list) list.push(d);
    else dueByItem.set(d.workItemId, [d]);
  }
  overdue.sort((a, b) => toMs(a.due) - toMs(b.due));

  return {
    view,
    nowMs,
    workItems: view.entries.length,
    itemsByState,
    progress,
    unknownAssets,
    triggers: triggerList,
    services: [...services.values()],
    environments: environmentList.sort((a, b) => a.rank - b.rank || b.assets - a.assets),
    owners: {
      security: [...owners.security.values()],
      "system-owner": [...owners["system-owner"].values()],
      "service-owner": [...owners["service-owner"].values()],
      governance: [...owners.governance.values()],
    },
    blocked,
    exceptionsPending,
    notAffected,
    earliestDeadline: earliest ?? closedEarliest,
    latestDeadline: latest ?? closedLatest,
    deadlinesOpen: earliest !== undefined,
    firstSent,
    nextByEntry,
    next,
    overdue,
    dueByItem,
    entryById,
  };
}
