/**
 * Matches each asset's installed software against each advisory's affected products and decides,
 * per match, whether it is affected, fixed, not affected or unknown — always with the reason.
 *
 * Installed software is indexed once by normalised keys (purl type/namespace/name, vendor+product,
 * CPE vendor:product, bare product or package name); each advisory product is then looked up in the
 * index, so the cost grows with the number of matches, never with assets × advisories.
 */
import { isKevOnly, isPlaceholderName, isPlaceholderNorm, normName } from "./merge.js";
import type { Policy } from "./policy/types.js";
import { type Purl, parsePurl } from "./purl.js";
import type {
  Advisory,
  AffectedProduct,
  AffectedStatus,
  Asset,
  Finding,
  InstalledSoftware,
  VersionRange,
} from "./types.js";
import {
  branchOf,
  compareVersions,
  coversEveryVersion,
  inRange,
  isRange,
  isVersionLike,
  normaliseScheme,
  schemeFor,
} from "./version/index.js";

// ---------------------------------------------------------------- identifiers

/** The index key of a package URL; parse it with `foldCase` so that case never splits a package. */
function purlKey(purl: Purl): string {
  return `p:${purl.type}/${purl.namespace ?? ""}/${purl.name}`;
}

/** Package types whose versions are a distribution's builds of an upstream release. */
const DISTRO_TYPES = new Set(["rpm", "deb", "apk", "alpm", "ebuild"]);

/**
 * The platform a distribution package says it was built for, as a CPE: the purl's distro
 * qualifier ("rhel-9.3") or the RPM release tag (".el9"). Only Red Hat Enterprise Linux for now:
 * its CVE records name platforms by CPE (cpe:/o:redhat:enterprise_linux:9).
 */
export function platformOf(purl: Purl | undefined): ParsedCpe | undefined {
  if (!purl || !DISTRO_TYPES.has(purl.type)) return undefined;
  const distro = purl.qualifiers.distro?.toLowerCase();
  const fromDistro = distro ? /^(?:rhel|redhat)-(\d+(?:\.\d+)*)$/.exec(distro)?.[1] : undefined;
  const fromRelease = purl.type === "rpm" ? /\.el(\d+)/.exec(purl.version ?? "")?.[1] : undefined;
  const version = fromDistro ?? fromRelease;
  if (!version) return undefined;
  return { part: "o", vendor: "redhat", product: "enterprise_linux", version };
}

/** The upstream release inside a distribution build: "1:2.39.5-0+deb12u1" → "2.39.5", "8.7p1-34.el9" → "8.7p1". */
export function upstreamVersion(version: string): string {
  return version
    .trim()
    .replace(/^\d+:/, "")
    .replace(/-[^-]*$/, "");
}

export interface ParsedCpe {
  part: string;
  vendor: string;
  product: string;
  version?: string;
}

/** Parses CPE 2.3 ("cpe:2.3:a:vendor:product:version:…") and CPE 2.2 URIs ("cpe:/a:vendor:product:version"). */
export function parseCpe(cpe: string | undefined): ParsedCpe | undefined {
  if (!cpe) return undefined;
  const text = cpe.trim();
  let fields: string[];
  if (/^cpe:2\.3:/i.test(text)) fields = text.slice(8).split(/(?<!\\):/);
  else if (/^cpe:\//i.test(text)) fields = text.slice(5).split(":");
  else return undefined;
  const [part, vendor, product, version] = fields;
  if (!part || !vendor || !product) return undefined;
  const parsed: ParsedCpe = {
    part: part.toLowerCase(),
    vendor: vendor.replace(/\\/g, "").toLowerCase(),
    product: product.replace(/\\/g, "").toLowerCase(),
  };
  if (version && version !== "*" && version !== "-") parsed.version = version.replace(/\\/g, "");
  return parsed;
}

/** The installed version: stated, else from the purl, else from the CPE. */
export function installedVersion(software: InstalledSoftware): string | undefined {
  const stated = software.version?.trim();
  if (stated) return stated;
  return parsePurl(software.purl)?.version ?? parseCpe(software.cpe)?.version;
}

/** A short label for installed software: "PAN-OS 10.2.7", "pkg:npm/lodash@4.17.20". */
export function softwareLabel(software: InstalledSoftware): string {
  if (software.product) return [software.product, installedVersion(software)].filter(Boolean).join(" ");
  if (software.purl) return software.purl;
  return software.cpe ?? "software";
}

function usableName(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const n = normName(text);
  return n.length >= 2 && !isPlaceholderNorm(n) ? n : undefined;
}

// ---------------------------------------------------------------- index

interface Installed {
  asset: Asset;
  software: InstalledSoftware;
  version: string | undefined;
  /** Vendors the inventory states (vendor field, CPE vendor): a different advisory vendor rules a name match out. */
  vendors: string[];
  /** Weaker hints (purl namespace parts): they confirm a vendor but never rule one out. */
  vendorHints: string[];
  /** A distribution build (rpm, deb, …): upstream ranges apply to its upstream part only. */
  distroBuild: boolean;
  /** Scratch space while one advisory is matched: which advisory last touched it, and its candidates. */
  seenBy: number;
  candidates: Candidate[];
}

interface Index {
  byKey: Map<string, Installed[]>;
  /** CPEs installed on each asset (platform matching). */
  assetCpes: Map<string, ParsedCpe[]>;
}

function installedKeys(software: InstalledSoftware): {
  keys: Set<string>;
  vendors: Set<string>;
  vendorHints: Set<string>;
} {
  const keys = new Set<string>();
  const vendors = new Set<string>();
  const vendorHints = new Set<string>();
  const purl = parsePurl(software.purl, { foldCase: true });
  if (purl) {
    keys.add(purlKey(purl));
    const n = usableName(purl.name);
    if (n) keys.add(`n:${n}`);
    if (purl.namespace !== undefined) {
      const whole = usableName(purl.namespace);
      if (whole) vendorHints.add(whole);
      for (const part of purl.namespace.split(/[./]/)) {
        const hint = usableName(part);
        if (hint) vendorHints.add(hint);
      }
    }
  }
  const vendor = usableName(software.vendor);
  const product = usableName(software.product);
  if (vendor) vendors.add(vendor);
  if (vendor && product) keys.add(`vp:${vendor}/${product}`);
  if (product) keys.add(`n:${product}`);
  const cpe = parseCpe(software.cpe);
  if (cpe) {
    const cv = usableName(cpe.vendor);
    const cp = usableName(cpe.product);
    if (cv) vendors.add(cv);
    if (cv && cp) keys.add(`vp:${cv}/${cp}`);
    if (cp) keys.add(`n:${cp}`);
  }
  return { keys, vendors, vendorHints };
}

function buildIndex(assets: Asset[]): Index {
  const byKey = new Map<string, Installed[]>();
  const assetCpes = new Map<string, ParsedCpe[]>();
  // Estates repeat the same software names many times: derive the keys once per distinct name.
  const keyMemo = new Map<string, { keys: string[]; vendors: string[]; vendorHints: string[] }>();
  for (const asset of assets) {
    const cpes: ParsedCpe[] = [];
    for (const software of asset.software) {
      const memoKey = `${software.purl ?? ""}\u0000${software.vendor ?? ""}\u0000${software.product ?? ""}\u0000${software.cpe ?? ""}`;
      let derived = keyMemo.get(memoKey);
      if (!derived) {
        const { keys, vendors, vendorHints } = installedKeys(software);
        derived = { keys: [...keys], vendors: [...vendors], vendorHints: [...vendorHints] };
        keyMemo.set(memoKey, derived);
      }
      const purl = software.purl ? parsePurl(software.purl) : undefined;
      const entry: Installed = {
        asset,
        software,
        version: installedVersion(software),
        vendors: derived.vendors,
        vendorHints: derived.vendorHints,
        distroBuild: purl !== undefined && DISTRO_TYPES.has(purl.type),
        seenBy: -1,
        candidates: [],
      };
      if (purl && software.version && !purl.version) purl.version = software.version;
      const platform = platformOf(purl);
      if (platform) cpes.push(platform);
      for (const key of derived.keys) {
        const list = byKey.get(key);
        if (list) list.push(entry);
        else byKey.set(key, [entry]);
      }
      if (software.cpe) {
        const cpe = parseCpe(software.cpe);
        if (cpe) cpes.push(cpe);
      }
    }
    if (cpes.length > 0) assetCpes.set(asset.id, cpes);
  }
  return { byKey, assetCpes };
}

/**
 * Match strength: 4 purl; 3 vendor and product, or a name whose vendor agrees with the inventory;
 * 2 a name on a vendor-neutral advisory product; 1 a name the inventory cannot confirm the vendor of.
 */
interface ProductKey {
  key: string;
  score: number;
  /** Name keys: the product's vendor, which must agree with the installed vendor when both are known. */
  vendor?: string;
  byName: boolean;
}

/** Keys under which an advisory product is looked up. With a component, vendor/product/CPEs name the platform. */
export function productKeys(p: AffectedProduct): ProductKey[] {
  const keys: ProductKey[] = [];
  const purl = parsePurl(p.purl, { foldCase: true });
  const vendor = usableName(p.vendor);
  const byName = (name: string): ProductKey =>
    vendor
      ? { key: `n:${name}`, score: 1, vendor, byName: true }
      : { key: `n:${name}`, score: 2, byName: true };
  if (purl) {
    keys.push({ key: purlKey(purl), score: 4, byName: false });
    const n = usableName(purl.name);
    if (n) keys.push(byName(n));
  }
  const component = usableName(p.component);
  if (component) {
    keys.push(byName(component));
    return keys;
  }
  const product = usableName(p.product);
  if (vendor && product) keys.push({ key: `vp:${vendor}/${product}`, score: 3, byName: false });
  for (const cpe of p.cpes) {
    const c = parseCpe(cpe);
    const cv = usableName(c?.vendor);
    const cp = usableName(c?.product);
    if (cv && cp) keys.push({ key: `vp:${cv}/${cp}`, score: 3, byName: false });
  }
  if (product) {
    keys.push(byName(product));
    // "Apache Log4j2" by "Apache Software Foundation" is also known as plain "Log4j2".
    const lead = normName((p.vendor ?? "").trim().split(/\s+/)[0]);
    if (vendor && lead.length >= 4 && product.startsWith(lead) && product.length - lead.length >= 2) {
      keys.push(byName(product.slice(lead.length)));
    }
  }
  return keys;
}

function vendorsAgree(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

function anyAgree(vendors: readonly string[], want: string): boolean {
  for (let i = 0; i < vendors.length; i++) if (vendorsAgree(vendors[i] as string, want)) return true;
  return false;
}

/** True when one of the product's platform CPEs is installed on the asset. */
function platformMatches(p: AffectedProduct, cpes: ParsedCpe[] | undefined): boolean {
  if (!cpes) return false;
  for (const text of p.cpes) {
    const want = parseCpe(text);
    if (!want) continue;
    for (const have of cpes) {
      if (have.vendor !== want.vendor || have.product !== want.product) continue;
      if (!want.version) return true;
      const hv = have.version ?? "";
      if (hv === want.version || hv.startsWith(`${want.version}.`)) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- verdicts

interface Verdict {
  status: AffectedStatus;
  reason: string;
  fixedVersion?: string;
}

/** Versions that fix the product: stated fixed versions, the ends of affected ranges, the starts of unaffected ones. */
export function fixPoints(p: AffectedProduct, extra: string[] = []): string[] {
  const points = new Set<string>([...p.fixedVersions, ...extra].filter((v) => isVersionLike(v)));
  for (const r of p.versions) {
    if (r.status === "affected" && r.lessThan && isVersionLike(r.lessThan) && !r.lessThan.includes("*")) {
      points.add(r.lessThan);
    }
    if (r.status === "unaffected" && isRange(r) && isVersionLike(r.version) && r.version !== "0") {
      points.add(r.version);
    }
  }
  return [...points];
}

function productScheme(p: AffectedProduct): string {
  const typed = p.versions.find((r) => r.versionType && r.versionType.trim() !== "");
  return schemeFor(typed?.versionType, p.purl);
}

/** Renders one range for people: ">= 10.2.0, < 10.2.9-h1", "= 1.0", "<= 9.7p1". */
export function describeRange(r: VersionRange): string {
  const start = r.version.trim();
  const open = ["", "0", "*"].includes(start);
  if (!isRange(r)) return coversEveryVersion(r) ? "all versions" : `= ${start}`;
  const parts: string[] = [];
  if (!open) parts.push(`>= ${start}`);
  if (r.lessThan !== undefined && r.lessThan.trim() !== "*") parts.push(`< ${r.lessThan}`);
  if (r.lessThanOrEqual !== undefined && r.lessThanOrEqual.trim() !== "*")
    parts.push(`<= ${r.lessThanOrEqual}`);
  return parts.length > 0 ? parts.join(", ") : "all versions";
}

function intervalText(r: VersionRange): string {
  if (r.lessThanOrEqual !== undefined) return `[${r.version}, ${r.lessThanOrEqual}]`;
  const end = r.lessThan === undefined || r.lessThan.trim() === "*" ? "…" : r.lessThan;
  return `[${r.version}, ${end})`;
}

/** The bound of a range, or "*" when the source wrote something that is not a version ("log4j-core*"). */
function usableBounds(r: VersionRange): VersionRange {
  const bound = r.lessThan ?? r.lessThanOrEqual;
  if (bound === undefined) return r;
  const b = bound.trim();
  if (b === "*" || isVersionLike(b.replace(/\.?\*$/, ""))) return r;
  const { lessThanOrEqual: _drop, ...rest } = r;
  return { ...rest, lessThan: "*" };
}

/** The lowest fix point above `version`, preferring the same release line, then the range end. */
export function fixedVersionFor(
  scheme: string,
  version: string,
  points: string[],
  rangeEnd?: string,
): string | undefined {
  const above = points.filter((f) => (compareVersions(scheme, f, version) ?? -1) > 0);
  const lowest = (list: string[]): string | undefined =>
    list.reduce<string | undefined>((best, f) => {
      if (best === undefined) return f;
      return (compareVersions(scheme, f, best) ?? 0) < 0 ? f : best;
    }, undefined);
  const branch = branchOf(version);
  const sameBranch = lowest(above.filter((f) => branchOf(f) === branch));
  if (sameBranch) return sameBranch;
  if (rangeEnd && above.includes(rangeEnd)) return rangeEnd;
  return lowest(above);
}

/** The fix point at or below `version` that shows it is fixed: same release line, or the highest fix. */
function fixBelow(scheme: string, version: string, points: string[], after?: string): string | undefined {
  if (points.length === 0) return undefined;
  const branch = branchOf(version);
  let highest = points[0] as string;
  for (const f of points) if ((compareVersions(scheme, f, highest) ?? 0) > 0) highest = f;
  const candidates = points.filter((f) => {
    if ((compareVersions(scheme, f, version) ?? 1) > 0) return false;
    if (after !== undefined && (compareVersions(scheme, f, after) ?? 0) <= 0) return false;
    return branchOf(f) === branch || f === highest;
  });
  let best: string | undefined;
  for (const f of candidates) if (best === undefined || (compareVersions(scheme, f, best) ?? 0) > 0) best = f;
  return best;
}

/**
 * CVE 5 status of one version for one product: an exact entry wins, then the first range that
 * covers it, then the product's default status. Inside an affected range a fix point at or below
 * the version on its release line means the source's "changes" fixed it there.
 */
export function evaluateProduct(
  p: AffectedProduct,
  version: string | undefined,
  opts: { kevOnly: boolean; extraFixes?: string[]; points?: string[] },
): Verdict {
  const points = opts.points ?? fixPoints(p, opts.extraFixes);
  if (p.versions.length === 0 && points.length === 0) {
    if (p.defaultStatus === "affected") {
      return { status: "affected", reason: "affected: the advisory marks every version affected" };
    }
    if (p.defaultStatus === "unaffected") {
      return { status: "not_affected", reason: "not_affected: the advisory marks this product not affected" };
    }
    return {
      status: "unknown",
      reason: opts.kevOnly
        ? "unknown: the advisory gives no version ranges (KEV product match only)"
        : "unknown: the advisory gives no version ranges",
    };
  }
  if (version === undefined) return { status: "unknown", reason: "unknown: installed version not recorded" };

  const base = productScheme(p);
  const notComparable = new Set<string>();
  let hit: { range: VersionRange; scheme: string } | undefined;
  const placeholders: VersionRange[] = [];

  for (const range of p.versions) {
    if (isRange(range) || coversEveryVersion(range)) continue;
    if (!isVersionLike(range.version)) {
      placeholders.push(range);
      continue;
    }
    const scheme = range.versionType ? schemeFor(range.versionType) : base;
    const r = inRange(scheme, version, range);
    if (r === null) notComparable.add(scheme);
    else if (r) {
      hit = { range, scheme };
      break;
    }
  }
  if (!hit) {
    for (const range of p.versions) {
      if (!isRange(range) && !coversEveryVersion(range)) continue;
      const scheme = range.versionType ? schemeFor(range.versionType) : base;
      const usable = usableBounds(range);
      const r = inRange(scheme, version, usable);
      if (r === null) notComparable.add(scheme);
      else if (r) {
        hit = { range: usable, scheme };
        break;
      }
    }
  }

  if (hit) {
    const { range, scheme } = hit;
    if (range.status === "affected") {
      const start = isVersionLike(range.version) ? range.version : undefined;
      const fixedBy = isRange(range) ? fixBelow(scheme, version, points, start) : undefined;
      if (fixedBy) {
        return { status: "fixed", reason: `fixed: ${version} is at or above the fixed version ${fixedBy}` };
      }
      const end = range.lessThan && range.lessThan !== "*" ? range.lessThan : undefined;
      const verdict: Verdict = {
        status: "affected",
        reason: coversEveryVersion(range)
          ? `affected: every version is listed as affected`
          : isRange(range)
            ? `affected: ${version} is in ${intervalText(range)}`
            : `affected: ${version} is listed as affected`,
      };
      const fixedVersion = fixedVersionFor(scheme, version, points, end);
      if (fixedVersion) verdict.fixedVersion = fixedVersion;
      return verdict;
    }
    if (range.status === "unaffected") return notAffected(base, version, points, range);
    return { status: "unknown", reason: `unknown: ${version} is listed with unknown status` };
  }

  if (notComparable.size > 0 && [...notComparable].every((s) => normaliseScheme(s) === "none")) {
    return {
      status: "unknown",
      reason: `unknown: version scheme '${[...notComparable][0]}' cannot be compared`,
    };
  }
  if (notComparable.size > 0) {
    return {
      status: "unknown",
      reason: `unknown: ${version} cannot be compared with the advisory's ${[...notComparable].join("/")} versions`,
    };
  }
  const placeholder = placeholders.find((r) => r.status === "affected");
  if (placeholder && p.defaultStatus !== "affected") {
    return {
      status: "unknown",
      reason: `unknown: the advisory gives no usable version ('${placeholder.version}')`,
    };
  }
  if (p.defaultStatus === "affected") {
    const verdict: Verdict = {
      status: "affected",
      reason: `affected: ${version} is outside the listed ranges and the advisory's default status is affected`,
    };
    const fixedVersion = fixedVersionFor(base, version, points);
    if (fixedVersion) verdict.fixedVersion = fixedVersion;
    return verdict;
  }
  if (p.defaultStatus === "unaffected") return notAffected(base, version, points);
  // No default status: a version at or above a fix on its line is still known to be fixed.
  const fixedBy = fixBelow(base, version, points);
  if (fixedBy)
    return { status: "fixed", reason: `fixed: ${version} is at or above the fixed version ${fixedBy}` };
  if (p.versions.length === 0) {
    const fixedVersion = fixedVersionFor(base, version, points);
    if (fixedVersion) {
      return {
        status: "affected",
        reason: `affected: ${version} is below the fixed version ${fixedVersion}`,
        fixedVersion,
      };
    }
  }
  return {
    status: "unknown",
    reason: `unknown: ${version} is outside the listed ranges and the advisory gives no default status`,
  };
}

function notAffected(scheme: string, version: string, points: string[], range?: VersionRange): Verdict {
  const fixedBy = fixBelow(scheme, version, points);
  if (fixedBy)
    return { status: "fixed", reason: `fixed: ${version} is at or above the fixed version ${fixedBy}` };
  if (range && coversEveryVersion(range)) {
    return { status: "not_affected", reason: "not_affected: every version is listed as not affected" };
  }
  if (range) return { status: "not_affected", reason: `not_affected: ${version} is listed as not affected` };
  return { status: "not_affected", reason: `not_affected: ${version} is outside every affected range` };
}

// ---------------------------------------------------------------- combining

/** What assess knows about a finding beyond the contract: the product it matched and how. */
export interface MatchInfo {
  product: AffectedProduct;
  /** Matched on a bare name without a vendor to confirm it. */
  byNameOnly: boolean;
}

const MATCHES = new WeakMap<Finding, MatchInfo>();

/** Records what a finding matched, for findings made outside assess() (scanner findings). */
export function withMatch(finding: Finding, info: MatchInfo): Finding {
  MATCHES.set(finding, info);
  return finding;
}

/** The advisory product a finding matched, when it came from assess(). */
export function matchInfo(finding: Finding): MatchInfo | undefined {
  return MATCHES.get(finding);
}

interface Candidate {
  product: AffectedProduct;
  score: number;
}

function productLabel(p: AffectedProduct): string {
  return (
    [p.vendor, p.product, p.component].filter((x) => x && !isPlaceholderName(x)).join(" ") || "a product"
  );
}

/** Per product: its fix points and the verdict per installed version (estates repeat versions). */
interface ProductMemo {
  points: string[];
  verdicts: Map<string, Verdict>;
}
const MEMO = new WeakMap<AffectedProduct, ProductMemo>();

function verdictFor(
  advisory: Advisory,
  product: AffectedProduct,
  version: string | undefined,
  kevOnly: boolean,
) {
  let memo = MEMO.get(product);
  if (!memo) {
    memo = { points: fixPoints(product, remediationFixes(advisory, product)), verdicts: new Map() };
    MEMO.set(product, memo);
  }
  // kevOnly is fixed per advisory, and a product belongs to one advisory: the version is the key.
  const key = version ?? "";
  let verdict = memo.verdicts.get(key);
  if (!verdict) {
    verdict = evaluateProduct(product, version, { kevOnly, points: memo.points });
    memo.verdicts.set(key, verdict);
  }
  return verdict;
}

const DISTRO_SCHEMES = new Set(["rpm", "deb", "apk", "alpm", "ebuild"]);

/**
 * A distribution build (rpm, deb, …) checked against an upstream statement: only its upstream part
 * is compared, and "affected" becomes unknown because distributions backport fixes.
 */
function distroVerdict(
  advisory: Advisory,
  product: AffectedProduct,
  version: string,
  kevOnly: boolean,
): Verdict {
  if (DISTRO_SCHEMES.has(productScheme(product))) return verdictFor(advisory, product, version, kevOnly);
  const upstream = upstreamVersion(version);
  const verdict = verdictFor(advisory, product, upstream, kevOnly);
  if (verdict.status !== "affected") return verdict;
  return {
    status: "unknown",
    reason: `unknown: ${version} is a distribution build of ${upstream}, which the upstream advisory lists as affected (${verdict.reason.replace(/^affected: /, "")}); the distribution may have backported the fix`,
  };
}

function combine(
  candidates: Candidate[],
  installed: { version: string | undefined; distroBuild: boolean },
  advisory: Advisory,
  kevOnly: boolean,
): { verdict: Verdict; product: AffectedProduct } {
  const { version } = installed;
  const verdicts = candidates.map((c) => ({
    product: c.product,
    verdict:
      installed.distroBuild && version !== undefined
        ? distroVerdict(advisory, c.product, version, kevOnly)
        : verdictFor(advisory, c.product, version, kevOnly),
  }));
  const known = verdicts.filter((v) => v.verdict.status !== "unknown");
  if (known.length === 0) {
    const first = verdicts[0] as (typeof verdicts)[number];
    return first;
  }
  const affected = known.filter((v) => v.verdict.status === "affected");
  const clear = known.filter((v) => v.verdict.status !== "affected");
  if (affected.length > 0 && clear.length > 0) {
    const a = affected[0] as (typeof verdicts)[number];
    const c = clear[0] as (typeof verdicts)[number];
    const backport = c.verdict.status === "fixed" ? "; a backported fix is possible" : "";
    return {
      product: a.product,
      verdict: {
        status: "unknown",
        reason:
          `unknown: sources disagree: ${productLabel(a.product)} says ${a.verdict.reason}, ` +
          `${productLabel(c.product)} says ${c.verdict.reason}${backport}`,
      },
    };
  }
  if (affected.length > 0) {
    // Several affected statements: keep the one with the closest fixed version.
    let best = affected[0] as (typeof verdicts)[number];
    for (const v of affected) if (!best.verdict.fixedVersion && v.verdict.fixedVersion) best = v;
    return best;
  }
  return clear.find((v) => v.verdict.status === "fixed") ?? (clear[0] as (typeof verdicts)[number]);
}

const remediationCache = new WeakMap<AffectedProduct, string[]>();

/** Fixed versions stated by remediations (CSAF vendor_fix) that apply to this product. */
function remediationFixes(advisory: Advisory, p: AffectedProduct): string[] {
  const cached = remediationCache.get(p);
  if (cached) return cached;
  const names = new Set([normName(p.product), normName(p.component)].filter((n) => n !== ""));
  const out = advisory.remediations
    .filter(
      (r) => r.fixedVersion && (r.products.length === 0 || r.products.some((n) => names.has(normName(n)))),
    )
    .map((r) => r.fixedVersion as string);
  remediationCache.set(p, out);
  return out;
}

// ---------------------------------------------------------------- assess

/**
 * Every asset × advisory × installed-software match with its status and reason. Rejected
 * advisories are skipped. The policy is accepted for future matching rules; none use it yet.
 */
export function assess(advisories: Iterable<Advisory>, assets: Asset[], _policy?: Policy): Finding[] {
  const index = buildIndex(assets);
  const findings: Finding[] = [];
  let advisoryIndex = 0;
  for (const advisory of advisories) {
    if (advisory.state === "rejected") continue;
    const kevOnly = isKevOnly(advisory);
    const touched: Installed[] = [];
    advisoryIndex += 1;
    for (const product of advisory.affected) {
      for (const pk of productKeys(product)) {
        const list = index.byKey.get(pk.key);
        if (!list) continue;
        for (const installed of list) {
          let score = pk.score;
          if (pk.vendor !== undefined) {
            const stated = anyAgree(installed.vendors, pk.vendor);
            if (installed.vendors.length > 0 && !stated) continue;
            if (stated || anyAgree(installed.vendorHints, pk.vendor)) score = 3;
          }
          if (installed.seenBy !== advisoryIndex) {
            installed.seenBy = advisoryIndex;
            installed.candidates = [{ product, score }];
            touched.push(installed);
            continue;
          }
          const same = installed.candidates.find((c) => c.product === product);
          if (same) same.score = Math.max(same.score, score);
          else installed.candidates.push({ product, score });
        }
      }
    }
    for (const installed of touched) {
      const all = installed.candidates;
      let top = 0;
      for (const c of all) if (c.score > top) top = c.score;
      let candidates = all.length === 1 ? all : all.filter((c) => c.score === top);
      if (candidates.length > 1) {
        const cpes = index.assetCpes.get(installed.asset.id);
        const onPlatform = candidates.filter((c) => platformMatches(c.product, cpes));
        if (onPlatform.length > 0) candidates = onPlatform;
      }
      const { verdict, product } = combine(candidates, installed, advisory, kevOnly);
      const finding: Finding = {
        advisoryId: advisory.id,
        assetId: installed.asset.id,
        software: installed.software,
        status: verdict.status,
        reason: verdict.reason,
        source: kevOnly ? "kev-product" : "inventory",
      };
      if (verdict.fixedVersion !== undefined) finding.fixedVersion = verdict.fixedVersion;
      MATCHES.set(finding, { product, byNameOnly: top < 3 });
      findings.push(finding);
    }
  }
  return findings;
}
