/**
 * Chooses the lane for one work-item group (advisory × asset group × owner) before the readiness
 * gate, with the urgency triggers, a plain explanation, review triggers and the SSVC outcome.
 * Every threshold comes from the policy.
 */
import { matchInfo } from "./assess.js";
import { normName } from "./merge.js";
import type { Policy } from "./policy/types.js";
import { confidenceOf, kevSourceLabel } from "./signals.js";
import { coordinatorOutcome, type MissionImpact } from "./ssvc.js";
import type {
  Advisory,
  AffectedProduct,
  Asset,
  Criticality,
  Decision,
  Finding,
  Lane,
  Remediation,
  ReviewTrigger,
  Signals,
  UrgencyTrigger,
} from "./types.js";

export interface DecideContext {
  advisory: Advisory;
  signals: Signals;
  /** Findings of one work-item group; only affected and unknown ones count. */
  findings: Finding[];
  /** The group's assets (others are ignored). */
  assets: Asset[];
  policy: Policy;
}

export const CRITICALITY_ORDER: readonly Criticality[] = ["low", "medium", "high", "critical"];

export function maxCriticality(assets: readonly Asset[]): Criticality {
  let best: Criticality = "low";
  for (const a of assets) {
    if (CRITICALITY_ORDER.indexOf(a.criticality) > CRITICALITY_ORDER.indexOf(best)) best = a.criticality;
  }
  return best;
}

const MISSION_FROM_CRITICALITY: Record<Criticality, MissionImpact> = {
  critical: "high",
  high: "high",
  medium: "medium",
  low: "low",
};

function names(assets: readonly Asset[]): string {
  const list = assets.map((a) => a.name || a.id);
  return list.length > 5 ? `${list.slice(0, 5).join(", ")} and ${list.length - 5} more` : list.join(", ");
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whether a remediation applies to one of the products the findings matched. */
export function remediationApplies(r: Remediation, products: readonly AffectedProduct[]): boolean {
  if (r.products.length === 0 || products.length === 0) return true;
  const wanted = products
    .flatMap((p) => [normName(p.product), normName(p.component)])
    .filter((n) => n !== "");
  return r.products.some((name) => {
    const n = normName(name);
    return n !== "" && wanted.some((w) => w === n || w.includes(n) || n.includes(w));
  });
}

/** The advisory products the findings matched (in finding order, without repeats). */
export function matchedProducts(findings: readonly Finding[]): AffectedProduct[] {
  const out: AffectedProduct[] = [];
  for (const f of findings) {
    const p = matchInfo(f)?.product;
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

export function isEpssHigh(signals: Signals, policy: Policy): boolean {
  const e = signals.epss;
  if (!e) return false;
  return e.epss >= policy.thresholds.epssHigh || e.percentile >= policy.thresholds.epssPercentileHigh;
}

function pct(percentile: number): string {
  return `${Math.round(percentile * 1000) / 10}th percentile`;
}

/** Every urgency fact known for the group, one trigger per fact. */
export function urgencyTriggers(
  signals: Signals,
  assets: readonly Asset[],
  policy: Policy,
  ssvc: Decision["ssvc"],
): UrgencyTrigger[] {
  const triggers: UrgencyTrigger[] = [];
  const kev = signals.kev;
  if (kev) {
    const due = kev.dueDate ? ` (due ${kev.dueDate})` : " (no due date stated)";
    const fromCatalog = kev.dueDate !== "";
    triggers.push({
      kind: "kev",
      text: `Listed in CISA KEV on ${kev.dateAdded}${due}`,
      source: kevSourceLabel(kev),
      confidence: confidenceOf(policy, fromCatalog ? "kev" : "kevAdp"),
    });
    if (kev.knownRansomwareCampaignUse === "Known") {
      triggers.push({
        kind: "ransomware",
        text: "CISA KEV records known use in ransomware campaigns",
        source: "CISA KEV catalog",
        confidence: confidenceOf(policy, "kev"),
      });
    }
  }
  const points = signals.ssvc;
  if (points?.exploitation === "active" || points?.exploitation === "poc") {
    const when = points.timestamp ? ` (${points.timestamp.slice(0, 10)})` : "";
    triggers.push({
      kind: "exploitation",
      text:
        points.exploitation === "active"
          ? `Active exploitation reported by ${points.source} SSVC${when}`
          : `A public proof of concept exists, per ${points.source} SSVC${when}`,
      source: `${points.source} SSVC`,
      confidence: confidenceOf(policy, "ssvc"),
    });
  } else if (!kev && signals.exploitation?.level === "active") {
    triggers.push({
      kind: "exploitation",
      text: `Active exploitation reported by ${signals.exploitation.source}`,
      source: signals.exploitation.source,
      confidence: signals.exploitation.confidence,
    });
  }
  if (signals.epss && isEpssHigh(signals, policy)) {
    const e = signals.epss;
    triggers.push({
      kind: "epss",
      text: `EPSS ${e.epss} (${pct(e.percentile)}) on ${e.scoreDate}, at or above the policy threshold (${policy.thresholds.epssHigh} or ${pct(policy.thresholds.epssPercentileHigh)})`,
      source: `FIRST EPSS ${e.scoreDate}`,
      confidence: confidenceOf(policy, "epss"),
    });
  }
  const exposed = assets.filter((a) => policy.exposedLevels.includes(a.exposure));
  if (exposed.length > 0) {
    const levels = [...new Set(exposed.map((a) => a.exposure))].join("/");
    triggers.push({
      kind: "exposure",
      text: `Exposed to the ${levels}: ${names(exposed)}`,
      source: "inventory",
      confidence: confidenceOf(policy, "inventory"),
    });
  }
  const roles = assets.filter((a) => a.roles.some((r) => policy.urgentRoles.includes(r)));
  if (roles.length > 0) {
    const list = roles.map(
      (a) => `${a.name || a.id} (${a.roles.filter((r) => policy.urgentRoles.includes(r)).join("/")})`,
    );
    triggers.push({
      kind: "role",
      text: `Identity or edge role: ${list.slice(0, 5).join(", ")}${list.length > 5 ? ` and ${list.length - 5} more` : ""}`,
      source: "inventory",
      confidence: confidenceOf(policy, "inventory"),
    });
  }
  const critical = assets.filter((a) => policy.urgentCriticality.includes(a.criticality));
  if (critical.length > 0) {
    triggers.push({
      kind: "criticality",
      text: `Business criticality ${[...new Set(critical.map((a) => a.criticality))].join("/")}: ${names(critical)}`,
      source: "inventory",
      confidence: confidenceOf(policy, "inventory"),
    });
  }
  if (ssvc) {
    const p = ssvc.points;
    triggers.push({
      kind: "ssvc",
      text: `SSVC coordinator outcome ${ssvc.outcome} (exploitation ${p.exploitation}, automatable ${p.automatable}, technical impact ${p.technicalImpact}${ssvc.assumed.length > 0 ? `; ${ssvc.assumed.join("; ")}` : ""})`,
      source: `${p.source} SSVC`,
      confidence: confidenceOf(policy, "ssvc"),
    });
  }
  return triggers;
}

/** The SSVC coordinator outcome, only when exploitation, automatable and technical impact are all stated. */
export function ssvcOutcome(signals: Signals, assets: readonly Asset[]): Decision["ssvc"] {
  const p = signals.ssvc;
  if (!p || p.exploitation === undefined || p.automatable === undefined || p.technicalImpact === undefined) {
    return undefined;
  }
  const criticality = maxCriticality(assets);
  const missionImpact = MISSION_FROM_CRITICALITY[criticality];
  return {
    points: { ...p },
    outcome: coordinatorOutcome({
      exploitation: p.exploitation,
      automatable: p.automatable,
      technicalImpact: p.technicalImpact,
      missionImpact,
    }),
    assumed: [`mission impact ${missionImpact} (from asset criticality ${criticality})`],
  };
}

function reviewTriggers(
  lane: Lane,
  advisory: Advisory,
  signals: Signals,
  assets: readonly Asset[],
  policy: Policy,
): ReviewTrigger[] {
  if (lane === "patch-now") return [];
  const out: ReviewTrigger[] = [];
  if (!signals.kev) out.push({ kind: "kev", text: `${advisory.id} is added to the CISA KEV catalog` });
  const level = signals.exploitation?.level;
  if (level !== "active") {
    out.push({
      kind: "exploitation",
      text:
        level === "poc"
          ? "Active exploitation is reported (a proof of concept already exists)"
          : "A public proof of concept or active exploitation is reported",
    });
  }
  const now = signals.epss ? ` (now ${signals.epss.epss} on ${signals.epss.scoreDate})` : "";
  out.push({ kind: "epss", text: `EPSS rises by ${policy.thresholds.epssJump} or more${now}` });
  const hidden = assets.filter((a) => !policy.exposedLevels.includes(a.exposure));
  if (hidden.length > 0) {
    out.push({
      kind: "exposure",
      text: `${names(hidden)} becomes exposed (${policy.exposedLevels.join("/")})`,
    });
  }
  out.push({
    kind: "vendor-guidance",
    text: "The vendor changes its guidance (affected versions, fixes or workarounds)",
  });
  if (lane === "mitigate") out.push({ kind: "fixed-version", text: "The vendor releases a fixed version" });
  if (lane === "validate") {
    out.push({
      kind: "affected-status",
      text: "The system owner confirms the affected status and installed versions",
    });
  }
  return out;
}

/** The patch-now rule that applies to these assets, with the facts that decided it; null when none. */
export function urgencyRule(
  signals: Signals,
  assets: readonly Asset[],
  policy: Policy,
): { rule: string; because: string } | null {
  if (signals.kev) {
    const due = signals.kev.dueDate ? `, due ${signals.kev.dueDate}` : "";
    return { rule: "kev-listed", because: `it is listed in CISA KEV (added ${signals.kev.dateAdded}${due})` };
  }
  if (signals.exploitation?.level === "active") {
    return {
      rule: "active-exploitation",
      because: `active exploitation is reported by ${signals.exploitation.source}`,
    };
  }
  const exposed = assets.filter((a) => policy.exposedLevels.includes(a.exposure));
  const urgentRole = assets.filter((a) => a.roles.some((r) => policy.urgentRoles.includes(r)));
  const urgentCrit = assets.filter((a) => policy.urgentCriticality.includes(a.criticality));
  const poc = signals.exploitation?.level === "poc" || signals.ssvc?.exploitation === "poc";
  const epssHigh = isEpssHigh(signals, policy);
  if ((exposed.length === 0 && urgentRole.length === 0 && urgentCrit.length === 0) || !(poc || epssHigh)) {
    return null;
  }
  const where: string[] = [];
  if (exposed.length > 0) where.push(`${names(exposed)} ${exposed.length === 1 ? "is" : "are"} exposed`);
  if (urgentRole.length > 0) {
    where.push(`${names(urgentRole)} ${urgentRole.length === 1 ? "has" : "have"} an identity or edge role`);
  }
  if (urgentCrit.length > 0) {
    where.push(`${names(urgentCrit)} ${urgentCrit.length === 1 ? "is" : "are"} business-critical`);
  }
  const how: string[] = [];
  if (poc) how.push("a public proof of concept exists");
  if (epssHigh && signals.epss)
    how.push(`EPSS is high (${signals.epss.epss}, ${pct(signals.epss.percentile)})`);
  return { rule: "exposed-exploitable", because: `${where.join("; ")}, and ${how.join(" and ")}` };
}

/**
 * The lane and why. Returns null when no finding is affected or unknown (no work item).
 * Rules, in order: no-fix-available → mitigate; kev-listed, active-exploitation,
 * exposed-exploitable → patch-now (also while the affected status is unknown: the gate then asks
 * for it); affected-status-unknown → validate; otherwise affected-fixable → patch-window.
 */
export function decide(ctx: DecideContext): Decision | null {
  const { advisory, signals, policy } = ctx;
  const affected = ctx.findings.filter((f) => f.status === "affected");
  const unknown = ctx.findings.filter((f) => f.status === "unknown");
  if (affected.length === 0 && unknown.length === 0) return null;

  const inGroup = new Set([...affected, ...unknown].map((f) => f.assetId));
  const assets = ctx.assets.filter((a) => inGroup.has(a.id));
  const affectedIds = new Set(affected.map((f) => f.assetId));
  const affectedAssets = assets.filter((a) => affectedIds.has(a.id));
  const ssvc = ssvcOutcome(signals, assets);
  const triggers = urgencyTriggers(
    signals,
    affectedAssets.length > 0 ? affectedAssets : assets,
    policy,
    ssvc,
  );
  const products = matchedProducts(affected.length > 0 ? affected : unknown);
  const what = products[0]
    ? [products[0].product, products[0].component].filter(Boolean).join(" ")
    : advisory.id;

  let lane: Lane;
  let rule: string;
  let explanation: string;

  // Urgency is judged on the affected assets, or on every asset in the group while the affected
  // status is still unknown: an unconfirmed KEV match is still a patch-now candidate, and the
  // readiness gate then turns it into a validation request that says what is missing.
  const judged = affectedAssets.length > 0 ? affectedAssets : assets;
  const urgent = urgencyRule(signals, judged, policy);
  const count =
    affected.length > 0
      ? plural(affectedAssets.length, "asset runs", "assets run")
      : plural(assets.length, "asset may run", "assets may run");

  const noFix = advisory.remediations.filter(
    (r) =>
      (r.category === "none_available" || r.category === "no_fix_planned") && remediationApplies(r, products),
  );
  const hasFixedVersion = affected.some((f) => f.fixedVersion !== undefined);

  if (affected.length > 0 && noFix.length > 0 && !hasFixedVersion) {
    lane = "mitigate";
    rule = "no-fix-available";
    const said = noFix[0]?.category === "no_fix_planned" ? "no fix is planned" : "no fix is available";
    explanation =
      `Mitigate: the vendor states ${said} for ${what}, and ${count} an affected version. ` +
      "Apply the mitigation or reduce exposure, and track vendor guidance until a fixed version exists.";
  } else if (urgent) {
    lane = "patch-now";
    rule = urgent.rule;
    explanation = `Patch now: ${urgent.because}, and ${count} an affected version of ${what}.`;
    if (affected.length === 0) {
      const reasons = [...new Set(unknown.map((f) => f.reason.replace(/^unknown: /, "")))];
      explanation += ` The affected status is not confirmed yet (${reasons.join("; ")}).`;
    }
  } else if (affected.length === 0) {
    lane = "validate";
    rule = "affected-status-unknown";
    const reasons = [...new Set(unknown.map((f) => f.reason.replace(/^unknown: /, "")))];
    explanation =
      `Validate: the affected status of ${advisory.id} on ${plural(assets.length, "asset", "assets")} is unknown (${reasons.join("; ")}). ` +
      "Confirm the product, version and configuration before any patch is scheduled.";
  } else {
    lane = "patch-window";
    rule = "affected-fixable";
    const fix = hasFixedVersion ? "a fixed version exists" : "no fixed version is recorded yet";
    explanation =
      `Patch in the next window: ${count} an affected version of ${what} and ${fix}. ` +
      "It is not KEV-listed, not actively exploited, and not both exposed and likely to be exploited.";
  }

  const decision: Decision = {
    lane,
    proposedLane: lane,
    rule,
    explanation,
    triggers,
    reviewTriggers: reviewTriggers(lane, advisory, signals, assets, policy),
  };
  if (ssvc) decision.ssvc = ssvc;
  return decision;
}
