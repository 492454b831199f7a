/**
 * Turns one decided group (advisory × asset group × system owner) into a complete WorkItem: scope,
 * owners, fix path, change safety, fallback, closure evidence, deadline in the owner's zone,
 * cadence, caveats — then runs the readiness gate and demotes to "validate" when anything is missing.
 */

import { describeRange, fixPoints, installedVersion, matchInfo } from "./assess.js";
import { planCadence } from "./cadence.js";
import { matchedProducts, maxCriticality, remediationApplies } from "./decide.js";
import { type GateDraft, readinessGate } from "./gate.js";
import { workItemId } from "./ids.js";
import { isPlaceholderName, normName } from "./merge.js";
import { deadlineRule, windowFor } from "./policy/packs.js";
import type { DeadlineInput, MaintenanceWindow, Policy } from "./policy/types.js";
import { computeDeadline, describeDuration, type ExplainedDeadlineRule, isValidZone } from "./time.js";
import type {
  Advisory,
  AffectedProduct,
  Asset,
  ChangeProfile,
  Checkpoint,
  CvssScore,
  Deadline,
  Decision,
  Finding,
  FunctionalRole,
  Lane,
  Owner,
  OwnerRef,
  Signals,
  WorkItem,
  WorkItemAsset,
} from "./types.js";

// ---------------------------------------------------------------- owners

export interface OwnerDirectory {
  byId: ReadonlyMap<string, Owner>;
  list: readonly Owner[];
}

export function ownerDirectory(owners: readonly Owner[]): OwnerDirectory {
  return { byId: new Map(owners.map((o) => [o.id, o])), list: owners };
}

function refOf(owner: Owner): OwnerRef {
  const ref: OwnerRef = { id: owner.id, name: owner.name, timeZone: owner.timeZone };
  if (owner.contact) ref.contact = owner.contact;
  return ref;
}

/** The directory entry for an id; an id missing from the directory becomes a ref named by the id. */
export function ownerRef(dir: OwnerDirectory, id: string, fallbackZone: string): OwnerRef {
  const owner = dir.byId.get(id);
  return owner ? refOf(owner) : { id, name: id, timeZone: fallbackZone };
}

/** The owner holding a functional role: the policy's roleOwners entry, else the first owner with the role. */
export function roleOwner(
  dir: OwnerDirectory,
  policy: Policy,
  role: "security" | "governance",
  fallbackZone: string,
): OwnerRef | undefined {
  const configured = policy.roleOwners[role];
  if (configured) return ownerRef(dir, configured, fallbackZone);
  const first = dir.list.find((o) => o.roles.includes(role as FunctionalRole));
  return first ? refOf(first) : undefined;
}

// ---------------------------------------------------------------- summary

const CVSS_RANK = (c: CvssScore): number => {
  const cna = c.source === "cna" ? 0 : 1;
  const version = c.version === "3.1" ? 0 : c.version === "4.0" ? 1 : c.version === "3.0" ? 2 : 3;
  // CNA 3.1, CNA 4.0, other 3.1, other 4.0, then 3.0 and 2.0 from anyone.
  return version >= 2 ? 10 + version * 2 + cna : cna * 2 + version;
};

/** The CVSS score to show: CNA 3.1/4.0 first, then other sources, newest CVSS version first. */
export function bestCvss(scores: readonly CvssScore[]): CvssScore | undefined {
  let best: CvssScore | undefined;
  for (const c of scores) if (!best || CVSS_RANK(c) < CVSS_RANK(best)) best = c;
  return best;
}

function productName(p: AffectedProduct | undefined, advisory: Advisory, signals: Signals) {
  const kev = signals.kev;
  let vendor = p && !isPlaceholderName(p.vendor) ? p.vendor : (kev?.vendorProject ?? "");
  let product =
    p && !isPlaceholderName(p.product)
      ? p.product
      : p?.component && !isPlaceholderName(p.component)
        ? p.component
        : (kev?.product ?? advisory.id);
  // CPE-style names ("progress", "moveit_transfer") read better in the catalog's spelling.
  if (kev && normName(kev.vendorProject) === normName(vendor)) vendor = kev.vendorProject;
  if (kev && normName(kev.product) === normName(product)) product = kev.product;
  const component =
    p?.component && !isPlaceholderName(p.component) && normName(p.component) !== normName(product)
      ? p.component
      : undefined;
  return { vendor, product, component };
}

/** Readable affected ranges of the matched products: ">= 10.2.0, < 10.2.9-h1". */
export function affectedVersionsOf(products: readonly AffectedProduct[]): string[] {
  const out: string[] = [];
  for (const p of products) {
    for (const r of p.versions) if (r.status === "affected") out.push(describeRange(r));
    if (p.defaultStatus === "affected") out.push("every version not listed as unaffected");
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------- change, fix, fallback

const CHANGE_FIELDS: (keyof ChangeProfile)[] = [
  "testing",
  "rollback",
  "maintenanceWindow",
  "dependencies",
  "approval",
  "communication",
  "reboot",
];

/** Marker appended to change-profile text that came from policy defaults. */
export const POLICY_DEFAULT_MARK = " (policy default)";

const WINDOW_TEXT = new WeakMap<MaintenanceWindow, string>();

function describeWindow(w: MaintenanceWindow): string {
  let text = WINDOW_TEXT.get(w);
  if (text === undefined) {
    text = `${w.days.join("/")} ${w.start} for ${describeDuration(w.length)}`;
    WINDOW_TEXT.set(w, text);
  }
  return text;
}

const ZONE_OK = new Map<string, boolean>();

/** isValidZone, remembered: every work item asks about the same few zones. */
function validZone(zone: string | undefined): zone is string {
  if (zone === undefined || zone === "") return false;
  let ok = ZONE_OK.get(zone);
  if (ok === undefined) {
    ok = isValidZone(zone);
    if (ZONE_OK.size > 1000) ZONE_OK.clear();
    ZONE_OK.set(zone, ok);
  }
  return ok;
}

/** The asset group's change profile, with gaps filled from policy defaults (marked as such). */
export function changeProfileFor(
  assets: readonly Asset[],
  policy: Policy,
): { change: ChangeProfile; fromPolicy: (keyof ChangeProfile)[] } {
  const change: ChangeProfile = {};
  const fromPolicy: (keyof ChangeProfile)[] = [];
  const envs = [...new Set(assets.map((a) => a.environment))];
  for (const field of CHANGE_FIELDS) {
    const own = assets.map((a) => a.change?.[field]).find((v) => v !== undefined && v.trim() !== "");
    if (own) {
      change[field] = own;
      continue;
    }
    let fallback = envs
      .map((e) => policy.changeDefaults[e]?.[field])
      .find((v) => v !== undefined && v.trim() !== "");
    fallback ??= policy.changeDefaults.default?.[field];
    if (!fallback && field === "maintenanceWindow") fallback = describeWindow(windowFor(policy, envs[0]));
    if (fallback && fallback.trim() !== "") {
      change[field] = `${fallback}${POLICY_DEFAULT_MARK}`;
      fromPolicy.push(field);
    }
  }
  return { change, fromPolicy };
}

function withUrl(details: string, url: string | undefined): string {
  return url && !details.includes(url) ? `${details} (${url})` : details;
}

function fixPath(advisory: Advisory, products: readonly AffectedProduct[], affected: readonly Finding[]) {
  const applicable = advisory.remediations.filter((r) => remediationApplies(r, products));
  const patchLinks = new Set<string>();
  for (const ref of advisory.references) {
    if (ref.tags.includes("patch") || ref.tags.includes("vendor-advisory")) patchLinks.add(ref.url);
  }
  for (const r of applicable) if (r.category === "vendor_fix" && r.url) patchLinks.add(r.url);
  const workarounds = [
    ...new Set(applicable.filter((r) => r.category === "workaround").map((r) => withUrl(r.details, r.url))),
  ];
  const mitigations = [
    ...new Set(applicable.filter((r) => r.category === "mitigation").map((r) => withUrl(r.details, r.url))),
  ];
  const reboot = applicable.find(
    (r) => r.restartRequired && r.restartRequired.trim() !== "",
  )?.restartRequired;

  const byFix = new Map<string, string[]>();
  for (const f of affected) {
    if (!f.fixedVersion) continue;
    const installed = installedVersion(f.software) ?? "unknown";
    const list = byFix.get(f.fixedVersion) ?? [];
    if (!list.includes(installed)) list.push(installed);
    byFix.set(f.fixedVersion, list);
  }
  let fixedVersion: string | undefined;
  if (byFix.size === 1) fixedVersion = [...byFix.keys()][0];
  else if (byFix.size > 1) {
    fixedVersion = [...byFix].map(([fix, from]) => `${fix} (for ${from.join(", ")})`).join("; ");
  } else if (affected.length === 0) {
    const points = [...new Set(products.flatMap((p) => fixPoints(p)))];
    if (points.length > 0) fixedVersion = `${points.join(", ")} (by release line; confirm which applies)`;
  }
  const fix: WorkItem["fix"] = { patchLinks: [...patchLinks], workarounds, mitigations, knownIssues: [] };
  if (fixedVersion) fix.fixedVersion = fixedVersion;
  if (reboot) fix.reboot = reboot;
  return fix;
}

/** Exposure reduction used when the advisory states no mitigation of its own. */
export const DEFAULT_MITIGATION =
  "Reduce exposure until the fix is in place: restrict access to the affected service to trusted networks, disable the vulnerable feature where possible, and watch for exploitation.";

// ---------------------------------------------------------------- deadline

/** Memo for rules, deadlines, cadences and role owners: many work items share them. */
export interface PlanCache {
  rules: Map<string, ExplainedDeadlineRule | null>;
  deadlines: Map<string, Deadline | null>;
  cadences: Map<string, Checkpoint[]>;
  roleOwners: Map<string, OwnerRef | undefined>;
}

export function createPlanCache(): PlanCache {
  return { rules: new Map(), deadlines: new Map(), cadences: new Map(), roleOwners: new Map() };
}

function earlier(a: Deadline | null, b: Deadline | null): Deadline | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.at) < Date.parse(a.at) ? b : a;
}

interface DeadlineResult {
  deadline: Deadline | null;
  rule: ExplainedDeadlineRule | null;
  problem?: string;
}

function ruleFor(policy: Policy, input: DeadlineInput): ExplainedDeadlineRule | null {
  const rule = deadlineRule(policy, input) as ExplainedDeadlineRule | null;
  if (input.lane !== "patch-now" || (rule !== null && !rule.onUpgrade)) return rule;
  // The pack sets no patch-now timeline ("fix on system upgrade"), but the rules made it urgent:
  // use the policy's own patch-now deadline for the asset's criticality.
  const duration = policy.deadlines["patch-now"]?.[input.criticality];
  if (duration === undefined) return rule;
  return {
    duration,
    band: `patch-now ${input.criticality}: ${describeDuration(duration)}`,
    because: `Policy deadline for patch-now on a ${input.criticality} asset${rule ? ` (the pack alone says: ${rule.band})` : ""}`,
    forensics: rule?.forensics ?? false,
    onUpgrade: false,
  };
}

function deadlineFor(
  policy: Policy,
  input: DeadlineInput,
  start: string,
  zone: string,
  environments: readonly string[],
  cache: PlanCache,
): DeadlineResult {
  const ruleKey = [
    input.lane,
    input.criticality,
    input.inKev,
    input.kevDueDate,
    input.exposed,
    input.automatable,
    input.technicalImpact,
    input.cvssScore,
  ].join("|");
  let rule = cache.rules.get(ruleKey);
  if (rule === undefined) {
    try {
      rule = ruleFor(policy, input);
    } catch (e) {
      return { deadline: null, rule: null, problem: (e as Error).message };
    }
    cache.rules.set(ruleKey, rule);
  }
  if (!rule) return { deadline: null, rule: null };
  const fixed = rule.duration !== undefined || rule.dueDate !== undefined;
  const envs = fixed || environments.length === 0 ? [undefined] : environments;
  let deadline: Deadline | null = null;
  // Keyed by the rule itself, not its inputs: many inputs (every KEV due date under BOD 26-04)
  // share one rule, and the zone arithmetic is the costly part.
  const ruleText = JSON.stringify(rule);
  for (const env of envs) {
    const key = `${ruleText}|${start}|${zone}|${env ?? ""}`;
    let d = cache.deadlines.get(key);
    if (d === undefined) {
      try {
        d = computeDeadline(rule, start, zone, policy, windowFor(policy, env));
      } catch (e) {
        return { deadline: null, rule, problem: (e as Error).message };
      }
      cache.deadlines.set(key, d);
    }
    deadline = earlier(deadline, d);
  }
  return { deadline, rule };
}

// ---------------------------------------------------------------- the work item

export interface PlanContext {
  /** The handoff time for items seen for the first time. */
  now: string;
  /** Work-item id → the instant it was first planned: keeps deadlines from sliding on re-runs. */
  startedAt?: ReadonlyMap<string, string>;
  policy: Policy;
  advisory: Advisory;
  signals: Signals;
  decision: Decision;
  /** The group's affected and unknown findings. */
  findings: Finding[];
  /** The group's assets. */
  assets: Asset[];
  owners: OwnerDirectory;
  assetGroup: string;
  ownerId: string;
  cache?: PlanCache;
}

/** A WorkItem plus which change-profile fields came from policy defaults. */
export interface PlannedWorkItem extends WorkItem {
  changeFromPolicy: (keyof ChangeProfile)[];
}

const STATUS_ORDER = ["affected", "unknown", "fixed", "not_affected"] as const;

function itemAssets(assets: readonly Asset[], findings: readonly Finding[]): WorkItemAsset[] {
  const out: WorkItemAsset[] = [];
  for (const asset of [...assets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const mine = findings
      .filter((f) => f.assetId === asset.id)
      .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
    const first = mine[0];
    if (!first) continue;
    const item: WorkItemAsset = {
      id: asset.id,
      name: asset.name,
      environment: asset.environment,
      exposure: asset.exposure,
      roles: [...asset.roles],
      criticality: asset.criticality,
      status: first.status,
      reason: first.reason,
    };
    if (asset.businessService) item.businessService = asset.businessService;
    const versions = [
      ...new Set(mine.map((f) => installedVersion(f.software)).filter((v) => v !== undefined)),
    ];
    if (versions.length > 0) item.installed = versions.join(", ");
    out.push(item);
  }
  return out;
}

function zoneFor(
  ownerZone: string | undefined,
  assets: readonly Asset[],
  policy: Policy,
): { zone: string; note?: string } {
  if (ownerZone && validZone(ownerZone)) return { zone: ownerZone };
  const assetZone = assets.map((a) => a.timeZone).find((z) => validZone(z));
  const bad =
    ownerZone && !validZone(ownerZone) ? `The owner's time zone '${ownerZone}' is not an IANA zone; ` : "";
  if (assetZone)
    return bad
      ? { zone: assetZone, note: `${bad}deadlines use the asset zone ${assetZone}.` }
      : { zone: assetZone };
  const zone = validZone(policy.defaultTimeZone) ? policy.defaultTimeZone : "UTC";
  return bad ? { zone, note: `${bad}deadlines use ${zone}.` } : { zone };
}

function caveatsFor(
  ctx: PlanContext,
  assets: readonly WorkItemAsset[],
  decision: Decision,
  extra: string[],
): string[] {
  const out: string[] = [];
  const unknownByReason = new Map<string, string[]>();
  for (const a of assets) {
    if (a.status !== "unknown") continue;
    const reason = a.reason.replace(/^unknown: /, "");
    unknownByReason.set(reason, [...(unknownByReason.get(reason) ?? []), a.name]);
  }
  for (const [reason, names] of unknownByReason) {
    const list =
      names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
    out.push(`Affected status is unknown for ${list}: ${reason}.`);
  }
  const byName = ctx.findings.filter((f) => matchInfo(f)?.byNameOnly);
  if (byName.length > 0) {
    const names = [...new Set(byName.map((f) => assets.find((a) => a.id === f.assetId)?.name ?? f.assetId))];
    out.push(
      `Vendor ambiguity: ${names.join(", ")} matched by product name only; confirm the vendor and product.`,
    );
  }
  for (const t of decision.triggers) {
    if (t.confidence !== "high")
      out.push(`Source confidence is ${t.confidence} for: ${t.text} (${t.source}).`);
  }
  if (ctx.signals.kev) out.push("A KEV listing is not proof that this asset is compromised.");
  // Source caveats: CNA exploitation notes, "tagged disputed", a rejected source, KEV required action.
  for (const note of ctx.advisory.notes) out.push(note);
  out.push(...extra);
  return [...new Set(out)];
}

/** Builds, gates and schedules one work item. */
export function planWorkItem(ctx: PlanContext): PlannedWorkItem {
  const { policy, advisory, signals, owners } = ctx;
  const cache = ctx.cache ?? createPlanCache();
  const id = workItemId(advisory.id, ctx.assetGroup, ctx.ownerId);
  const start = ctx.startedAt?.get(id) ?? ctx.now;
  const firstZone = ctx.assets.map((a) => a.timeZone).find((z) => validZone(z)) ?? policy.defaultTimeZone;

  const ownerEntry = owners.byId.get(ctx.ownerId);
  const owner = ownerRef(owners, ctx.ownerId, firstZone);
  const serviceOwnerId = ctx.assets.map((a) => a.serviceOwner).find((s) => s !== undefined && s !== "");
  const serviceOwner = serviceOwnerId ? ownerRef(owners, serviceOwnerId, firstZone) : undefined;
  const cachedRole = (role: "security" | "governance") => {
    const configured = policy.roleOwners[role];
    // A configured id missing from the directory is named by its id, in this item's zone.
    if (configured && !owners.byId.has(configured)) return ownerRef(owners, configured, firstZone);
    if (!cache.roleOwners.has(role)) cache.roleOwners.set(role, roleOwner(owners, policy, role, firstZone));
    const ref = cache.roleOwners.get(role);
    return ref ? { ...ref } : undefined;
  };
  const securityOwner = cachedRole("security");
  const governanceOwner = cachedRole("governance");
  const { zone, note: zoneNote } = zoneFor(ownerEntry?.timeZone, ctx.assets, policy);

  const affectedFindings = ctx.findings.filter((f) => f.status === "affected");
  const products = matchedProducts(affectedFindings.length > 0 ? affectedFindings : ctx.findings);
  const names = productName(products[0], advisory, signals);
  const assets = itemAssets(ctx.assets, ctx.findings);
  const affectedAssetIds = new Set(affectedFindings.map((f) => f.assetId));
  const scopeAssets = ctx.assets.filter((a) => affectedAssetIds.size === 0 || affectedAssetIds.has(a.id));
  const environments = [...new Set(ctx.assets.map((a) => a.environment))].sort();
  const cvss = bestCvss(advisory.cvss);
  const fix = fixPath(advisory, products, affectedFindings);
  const { change, fromPolicy } = changeProfileFor(ctx.assets, policy);
  if (!change.reboot && fix.reboot) change.reboot = fix.reboot;

  const kev = signals.kev;
  const input: DeadlineInput = {
    lane: ctx.decision.proposedLane,
    criticality: maxCriticality(scopeAssets),
    inKev: kev !== undefined,
    exposed: scopeAssets.some((a) => policy.exposedLevels.includes(a.exposure)),
  };
  if (kev?.dueDate) input.kevDueDate = kev.dueDate;
  if (signals.ssvc?.automatable) input.automatable = signals.ssvc.automatable;
  if (signals.ssvc?.technicalImpact) input.technicalImpact = signals.ssvc.technicalImpact;
  if (cvss) input.cvssScore = cvss.baseScore;

  const extraCaveats: string[] = [];
  if (zoneNote) extraCaveats.push(zoneNote);
  const proposed = deadlineFor(policy, input, start, zone, environments, cache);
  if (proposed.problem) extraCaveats.push(`No deadline: ${proposed.problem}`);

  const closureFor = (lane: Lane) => [...(policy.closureEvidence[lane] ?? [])];
  const assetsWithoutFix = affectedFindings.filter((f) => !f.fixedVersion).map((f) => f.assetId);
  const summaryProduct = [names.vendor, names.product, names.component].filter(Boolean).join(" ");
  const draft: GateDraft = {
    lane: ctx.decision.proposedLane,
    advisoryId: advisory.id,
    product: summaryProduct,
    affectedVersions: affectedVersionsOf(products),
    assetGroup: ctx.assetGroup,
    assets,
    owner,
    triggers: ctx.decision.triggers,
    deadline: proposed.deadline,
    change,
    changeFromPolicy: fromPolicy,
    closureEvidence: closureFor(ctx.decision.proposedLane),
    assetsWithoutFix: [...new Set(assetsWithoutFix)],
  };
  if (serviceOwner) draft.serviceOwner = serviceOwner;
  if (securityOwner) draft.securityOwner = securityOwner;
  if (fix.fixedVersion && affectedFindings.length > 0) draft.fixedVersion = fix.fixedVersion;
  const missing = readinessGate(draft, policy);

  const decision: Decision = { ...ctx.decision };
  const demoted = missing.length > 0 && decision.proposedLane !== "validate";
  let deadline = proposed.deadline;
  let rule = proposed.rule;
  if (demoted) {
    decision.lane = "validate";
    const fields = [...new Set(missing.map((m) => m.field))];
    decision.explanation = `${ctx.decision.explanation} The readiness gate held it back: ${fields.join(", ")} ${fields.length === 1 ? "is" : "are"} missing, so this is a validation request.`;
    const answer = deadlineFor(policy, { ...input, lane: "validate" }, start, zone, environments, cache);
    deadline = earlier(answer.deadline, proposed.deadline);
    if (answer.deadline && deadline === answer.deadline) rule = answer.rule;
    if (proposed.deadline && deadline === proposed.deadline && answer.deadline !== proposed.deadline) {
      extraCaveats.push(
        `The ${ctx.decision.proposedLane} deadline (${proposed.deadline.basis}) comes before the validation answer deadline.`,
      );
    }
    if (!decision.reviewTriggers.some((t) => t.kind === "affected-status")) {
      decision.reviewTriggers = [
        ...decision.reviewTriggers,
        { kind: "affected-status", text: "The missing facts are supplied; the item is re-decided" },
      ];
    }
  }
  const lane = decision.lane;

  // Forensic triage applies to assets known to be affected. Its clock starts at the KEV listing,
  // or at the handoff when the item was first planned after the listing.
  const forensics = (proposed.rule?.forensics ?? false) && affectedFindings.length > 0;
  const kevStart = kev?.dateAdded && /^\d{4}-\d{2}-\d{2}$/.test(kev.dateAdded) ? kev.dateAdded : undefined;
  const kevAfterStart = kevStart !== undefined && kevStart > start.slice(0, 10);
  const cadenceKey = [
    lane,
    start,
    deadline?.at,
    zone,
    ownerEntry?.escalatesTo,
    forensics,
    kevAfterStart ? kevStart : "",
  ].join("|");
  let cadence = cache.cadences.get(cadenceKey);
  if (!cadence) {
    const args: Parameters<typeof planCadence>[0] = { policy, lane, start, deadline, zone, forensics };
    if (ownerEntry?.escalatesTo) args.escalateTo = ownerEntry.escalatesTo;
    if (kevAfterStart && kevStart) args.kevDateAdded = kevStart;
    try {
      cadence = planCadence(args);
    } catch (e) {
      extraCaveats.push(`No cadence: ${(e as Error).message}`);
      cadence = [];
    }
    cache.cadences.set(cadenceKey, cadence);
  }
  cadence = cadence.map((c) => ({ ...c }));

  const statusCheckpoint = cadence.find((c) => c.kind === "status");
  const scopeNames = assets
    .filter((a) => a.status === "affected" || a.status === "unknown")
    .map((a) => a.name);
  const fallback: WorkItem["fallback"] = {
    mitigation: fix.mitigations[0] ?? fix.workarounds[0] ?? DEFAULT_MITIGATION,
    monitoring: `Ask the SOC to watch ${scopeNames.slice(0, 5).join(", ")}${scopeNames.length > 5 ? ` and ${scopeNames.length - 5} more` : ""} for exploitation attempts against ${advisory.id} (${summaryProduct}) until closure is verified.`,
    exceptionPath: governanceOwner
      ? `Request an exception from ${governanceOwner.name} (governance) with the justification, compensating controls and an expiry date.`
      : "Request an exception from the governance / risk owner with the justification, compensating controls and an expiry date.",
  };
  const reviewDate = statusCheckpoint?.due ?? deadline?.at;
  if (reviewDate) fallback.reviewDate = reviewDate;
  // With no fixed version the mitigation is the fix path: say which one, even when it is the policy's.
  if (lane === "mitigate" && fix.mitigations.length === 0 && fix.workarounds.length === 0) {
    fix.mitigations.push(`${DEFAULT_MITIGATION} (policy default: the sources name no mitigation)`);
  }

  const summary: WorkItem["advisory"] = {
    id: advisory.id,
    aliases: [...advisory.aliases],
    title: advisory.title ?? kev?.vulnerabilityName ?? advisory.id,
    vendor: names.vendor,
    product: names.product,
    affectedVersions: draft.affectedVersions,
  };
  if (names.component) summary.component = names.component;
  if (cvss) summary.cvss = cvss;
  if (kev)
    summary.kev = {
      dateAdded: kev.dateAdded,
      dueDate: kev.dueDate,
      ransomware: kev.knownRansomwareCampaignUse === "Known",
    };
  if (signals.epss)
    summary.epss = {
      score: signals.epss.epss,
      percentile: signals.epss.percentile,
      date: signals.epss.scoreDate,
    };

  const item: PlannedWorkItem = {
    id,
    advisory: summary,
    assetGroup: ctx.assetGroup,
    environments,
    businessServices: [
      ...new Set(ctx.assets.map((a) => a.businessService).filter((s) => s !== undefined && s !== "")),
    ].sort() as string[],
    owner,
    assets,
    lane,
    decision,
    missing,
    fix,
    change,
    fallback,
    closureEvidence: closureFor(lane),
    deadline: deadline ? { ...deadline } : null,
    cadence,
    policy: rule ? { pack: policy.pack, band: rule.band } : { pack: policy.pack },
    caveats: caveatsFor(ctx, assets, decision, extraCaveats),
    plannedAt: start,
    changeFromPolicy: fromPolicy,
  };
  if (serviceOwner) item.serviceOwner = serviceOwner;
  if (securityOwner) item.securityOwner = securityOwner;
  if (governanceOwner) item.governanceOwner = governanceOwner;
  if (ownerEntry?.escalatesTo) item.escalationOwner = ownerRef(owners, ownerEntry.escalatesTo, zone);
  return item;
}
