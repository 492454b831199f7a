/**
 * CSAF 2.0 advisories (security advisory, VEX, informational, and vendor-specific categories). The
 * product tree is resolved first — branches give vendor / product / version, relationships give
 * "component as part of platform" — then each vulnerability becomes one AdvisoryRecord.
 */
import type {
  AdvisoryRecord,
  AffectedProduct,
  CvssScore,
  Reference,
  Remediation,
  RemediationCategory,
  VersionRange,
  VersionStatus,
} from "../core/types.js";
import { isObject, JsonFields, type JsonObject, pointer, readJson, utcInstant } from "./read.js";
import type { ParsedBatch, ParseInput } from "./types.js";

/** A product of the tree, resolved to what an AffectedProduct needs. */
export interface CsafProduct {
  id: string;
  /** The full product name, as remediations quote it. */
  name: string;
  vendor: string;
  product: string;
  component?: string;
  /** Version statement without a status; absent when the product carries no version. */
  range?: Omit<VersionRange, "status">;
  purl?: string;
  cpe?: string;
  platform?: string;
}

type StatusClass = "affected" | "fixed" | "unaffected" | "unknown";

const PRODUCT_STATUS: Record<string, StatusClass> = {
  known_affected: "affected",
  first_affected: "affected",
  last_affected: "affected",
  fixed: "fixed",
  first_fixed: "fixed",
  known_not_affected: "unaffected",
  under_investigation: "unknown",
};

const REMEDIATION_CATEGORIES: readonly RemediationCategory[] = [
  "vendor_fix",
  "workaround",
  "mitigation",
  "none_available",
  "no_fix_planned",
  "optional_patch",
  "fix_planned",
];

const INFORMATIONAL_NOTE =
  "Informational advisory: it states no product status or remediation, so it cannot show what is affected.";

// ---------------------------------------------------------------- product tree

interface BranchContext {
  vendor?: string;
  family?: string;
  productName?: string;
  version?: string;
  detail?: string;
  range?: string;
}

/** "pkg:rpm/redhat/ruby@2.7.8-139.el8?arch=x86_64&epoch=1" → its parts. */
export function splitPurl(
  purl: string,
): { base: string; type: string; name: string; version?: string } | null {
  const match = /^pkg:([^/]+)\/([^@?#]+?)(?:@([^?#]*))?(?:\?([^#]*))?(?:#.*)?$/.exec(purl.trim());
  if (!match?.[1] || !match[2]) return null;
  const type = match[1].toLowerCase();
  const path = match[2];
  const name = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
  const base = `pkg:${type}/${path}`;
  if (match[3] === undefined || match[3] === "") return { base, type, name };
  let version = decodeURIComponent(match[3]);
  const epoch = new URLSearchParams(match[4] ?? "").get("epoch");
  if (epoch && epoch !== "0") version = `${epoch}:${version}`;
  return { base, type, name, version };
}

/** A product_version_range name: `vers:` kept whole, "< X" / "<= X" as a range, anything else as given. */
export function rangeFromText(text: string): Omit<VersionRange, "status"> {
  if (text.toLowerCase().startsWith("vers:")) return { version: text, versionType: "vers" };
  const match = /^(<=|<)\s*(\S.*)$/.exec(text);
  if (match?.[1] && match[2]) {
    const end = match[2].trim();
    return match[1] === "<"
      ? { version: "0", lessThan: end, versionType: "generic" }
      : { version: "0", lessThanOrEqual: end, versionType: "generic" };
  }
  return { version: text, versionType: "product_version_range" };
}

function productFromBranch(f: JsonFields, full: JsonObject, path: string, ctx: BranchContext): CsafProduct {
  const id = f.str(full, "product_id", path);
  const name = f.str(full, "name", path);
  const info: CsafProduct = { id, name, vendor: ctx.vendor ?? "n/a", product: "" };
  const helper = f.optObject(full, "product_identification_helper", path);
  const helperPath = pointer(path, "product_identification_helper");
  const purlText = helper ? f.optStr(helper, "purl", helperPath) : undefined;
  const cpe = helper ? f.optStr(helper, "cpe", helperPath) : undefined;
  if (cpe) info.cpe = cpe;
  const purl = purlText ? splitPurl(purlText) : null;
  if (purl) {
    info.purl = purl.base;
    info.component = purl.name;
  }
  info.product = ctx.productName ?? ctx.family ?? info.component ?? name;
  if (ctx.range) info.range = rangeFromText(ctx.range);
  else if (purl?.version) info.range = { version: purl.version, versionType: purl.type };
  else {
    const version = ctx.detail ?? ctx.version;
    if (version) info.range = { version, versionType: "generic" };
  }
  return info;
}

/** Resolves every product id of the tree: branches, top-level full_product_names, relationships. */
export function resolveProductTree(f: JsonFields, root: JsonObject): Map<string, CsafProduct> {
  const products = new Map<string, CsafProduct>();
  const tree = f.optObject(root, "product_tree", "");
  if (!tree) return products;
  const add = (info: CsafProduct, path: string): void => {
    if (products.has(info.id))
      f.fail(pointer(path, "product_id"), `product_id '${info.id}' is defined twice`);
    products.set(info.id, info);
  };

  // Branches, depth-first with an explicit stack.
  const stack: { item: unknown; path: string; ctx: BranchContext }[] = [];
  const pushBranches = (owner: JsonObject, path: string, ctx: BranchContext): void => {
    const list = f.optArray(owner, "branches", path);
    for (let i = list.length - 1; i >= 0; i--)
      stack.push({ item: list[i], path: pointer(pointer(path, "branches"), i), ctx });
  };
  pushBranches(tree, "/product_tree", {});
  for (let next = stack.pop(); next; next = stack.pop()) {
    const branch = f.object(next.item, next.path);
    const category = f.str(branch, "category", next.path);
    const name = f.str(branch, "name", next.path);
    const ctx: BranchContext = { ...next.ctx };
    switch (category) {
      case "vendor":
        ctx.vendor = name;
        break;
      case "product_family":
        ctx.family = name;
        break;
      case "product_name":
        ctx.productName = name;
        break;
      case "product_version":
        ctx.version = name;
        break;
      case "product_version_range":
        ctx.range = name;
        break;
      case "service_pack":
      case "patch_level":
        ctx.detail = name;
        break;
      default:
        break; // architecture, language, host_name, legacy, specification: not part of the identity used here
    }
    const full = f.optObject(branch, "product", next.path);
    if (full)
      add(productFromBranch(f, full, pointer(next.path, "product"), ctx), pointer(next.path, "product"));
    pushBranches(branch, next.path, ctx);
  }

  f.optArray(tree, "full_product_names", "/product_tree").forEach((item, i) => {
    const path = pointer("/product_tree/full_product_names", i);
    add(productFromBranch(f, f.object(item, path), path, {}), path);
  });

  // Relationships may build on one another: resolve in passes until nothing changes.
  let pending = f.optArray(tree, "relationships", "/product_tree").map((item, i) => {
    const path = pointer("/product_tree/relationships", i);
    return { rel: f.object(item, path), path };
  });
  while (pending.length > 0) {
    const waiting: typeof pending = [];
    for (const { rel, path } of pending) {
      const componentId = f.str(rel, "product_reference", path);
      const platformId = f.str(rel, "relates_to_product_reference", path);
      const component = products.get(componentId);
      const platform = products.get(platformId);
      if (!component || !platform) {
        waiting.push({ rel, path });
        continue;
      }
      const fullPath = pointer(path, "full_product_name");
      const full = f.object(rel.full_product_name, fullPath);
      const info: CsafProduct = {
        id: f.str(full, "product_id", fullPath),
        name: f.str(full, "name", fullPath),
        vendor: platform.vendor !== "n/a" ? platform.vendor : component.vendor,
        product: platform.product,
        component: component.component ?? component.product,
        platform: platform.name,
      };
      if (component.range) info.range = component.range;
      if (component.purl) info.purl = component.purl;
      const cpe = platform.cpe ?? component.cpe;
      if (cpe) info.cpe = cpe;
      add(info, fullPath);
    }
    if (waiting.length === pending.length) {
      const first = waiting[0];
      if (!first) break;
      const missing = products.has(f.str(first.rel, "product_reference", first.path))
        ? "relates_to_product_reference"
        : "product_reference";
      const ref = f.str(first.rel, missing, first.path);
      f.fail(pointer(first.path, missing), `unknown product id '${ref}'`);
    }
    pending = waiting;
  }
  return products;
}

function productGroups(f: JsonFields, root: JsonObject): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const tree = f.optObject(root, "product_tree", "");
  if (!tree) return groups;
  f.optArray(tree, "product_groups", "/product_tree").forEach((item, i) => {
    const path = pointer("/product_tree/product_groups", i);
    const g = f.object(item, path);
    groups.set(f.str(g, "group_id", path), idList(f, g, "product_ids", path));
  });
  return groups;
}

function idList(f: JsonFields, o: JsonObject, key: string, path: string): string[] {
  return f.optArray(o, key, path).map((item, i) => {
    if (typeof item !== "string" || item.trim() === "")
      f.fail(pointer(pointer(path, key), i), "expected a product id");
    return item.trim();
  });
}

// ---------------------------------------------------------------- vulnerabilities

interface DocContext {
  f: JsonFields;
  trackingId: string;
  title?: string;
  published?: string;
  modified?: string;
  informational: boolean;
  products: Map<string, CsafProduct>;
  groups: Map<string, string[]>;
  references: Reference[];
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function lookup(doc: DocContext, id: string, path: string): CsafProduct {
  const product = doc.products.get(id);
  if (!product) doc.f.fail(path, `unknown product id '${id}' (not in the product tree)`);
  return product;
}

const STATUS_OF: Record<StatusClass, VersionStatus> = {
  affected: "affected",
  fixed: "unaffected",
  unaffected: "unaffected",
  unknown: "unknown",
};
const DEFAULT_RANK: Record<VersionStatus, number> = { affected: 3, unknown: 2, unaffected: 1 };

function concrete(value: string | undefined): value is string {
  return value !== undefined && value !== "" && !value.includes("*") && value !== "0";
}

function buildAffected(
  doc: DocContext,
  v: JsonObject,
  path: string,
): { affected: AffectedProduct[]; fixedById: Map<string, string> } {
  const f: JsonFields = doc.f;
  const byKey = new Map<string, AffectedProduct>();
  const whole = new Map<AffectedProduct, VersionStatus>();
  const fixedById = new Map<string, string>();
  const status = f.optObject(v, "product_status", path);
  if (!status) return { affected: [], fixedById };
  const statusPath = pointer(path, "product_status");
  for (const [key, cls] of Object.entries(PRODUCT_STATUS)) {
    idList(f, status, key, statusPath).forEach((id, i) => {
      const info = lookup(doc, id, pointer(pointer(statusPath, key), i));
      const mapKey = `${info.vendor}\u0000${info.product}\u0000${info.component ?? ""}`;
      let ap = byKey.get(mapKey);
      if (!ap) {
        ap = {
          vendor: info.vendor,
          product: info.product,
          cpes: [],
          versions: [],
          defaultStatus: "unknown",
          fixedVersions: [],
        };
        if (info.component) ap.component = info.component;
        if (info.purl) ap.purl = info.purl;
        byKey.set(mapKey, ap);
      }
      if (info.cpe) pushUnique(ap.cpes, info.cpe);
      if (info.platform) {
        ap.platforms ??= [];
        pushUnique(ap.platforms, info.platform);
      }
      const state = STATUS_OF[cls];
      const range = info.range;
      if (!range) {
        // A product named without a version: the statement covers all of it ("fixed" says nothing
        // about which versions, so it leaves the default alone).
        if (cls !== "fixed") {
          const before = whole.get(ap);
          if (!before || DEFAULT_RANK[state] > DEFAULT_RANK[before]) whole.set(ap, state);
        }
        return;
      }
      const entry: VersionRange = { ...range, status: state };
      const same = ap.versions.some(
        (x) =>
          x.version === entry.version &&
          x.lessThan === entry.lessThan &&
          x.lessThanOrEqual === entry.lessThanOrEqual &&
          x.status === entry.status,
      );
      if (!same) ap.versions.push(entry);
      if (range.version.toLowerCase() === "vers:all/*") {
        // "every version": the statement is also the product's default.
        const before = whole.get(ap);
        if (!before || DEFAULT_RANK[state] > DEFAULT_RANK[before]) whole.set(ap, state);
      }
      const exact = !range.lessThan && !range.lessThanOrEqual && range.versionType !== "vers";
      if (cls === "fixed" && exact && concrete(range.version)) {
        pushUnique(ap.fixedVersions, range.version);
        fixedById.set(id, range.version);
      }
      if (cls === "affected" && concrete(range.lessThan)) pushUnique(ap.fixedVersions, range.lessThan);
    });
  }
  for (const [ap, state] of whole) ap.defaultStatus = state;
  return { affected: [...byKey.values()], fixedById };
}

function restartText(f: JsonFields, r: JsonObject, path: string): string | undefined {
  const restart = f.optObject(r, "restart_required", path);
  if (!restart) return undefined;
  const at = pointer(path, "restart_required");
  const category = f.str(restart, "category", at);
  const details = f.optStr(restart, "details", at);
  return details ? `${category}: ${details}` : category;
}

function buildRemediations(
  doc: DocContext,
  v: JsonObject,
  path: string,
  fixedById: Map<string, string>,
): Remediation[] {
  const f: JsonFields = doc.f;
  return f.optArray(v, "remediations", path).map((item, i) => {
    const at = pointer(pointer(path, "remediations"), i);
    const r = f.object(item, at);
    const category = f.str(r, "category", at) as RemediationCategory;
    if (!REMEDIATION_CATEGORIES.includes(category)) {
      f.fail(pointer(at, "category"), `unknown remediation category '${category}'`);
    }
    const ids = idList(f, r, "product_ids", at);
    const groupIds = idList(f, r, "group_ids", at);
    for (const [j, groupId] of groupIds.entries()) {
      const members = doc.groups.get(groupId);
      if (!members) f.fail(pointer(pointer(at, "group_ids"), j), `unknown product group '${groupId}'`);
      for (const id of members) pushUnique(ids, id);
    }
    const products: string[] = [];
    const fixed = new Set<string>();
    ids.forEach((id, j) => {
      pushUnique(products, lookup(doc, id, pointer(pointer(at, "product_ids"), j)).name);
      const version = fixedById.get(id);
      if (version) fixed.add(version);
    });
    const remediation: Remediation = { category, details: f.str(r, "details", at, true), products };
    const url = f.optStr(r, "url", at);
    if (url) remediation.url = url;
    const restart = restartText(f, r, at);
    if (restart) remediation.restartRequired = restart;
    if (category === "vendor_fix" && fixed.size === 1) remediation.fixedVersion = [...fixed][0] as string;
    return remediation;
  });
}

function buildScores(doc: DocContext, v: JsonObject, path: string): CvssScore[] {
  const f: JsonFields = doc.f;
  const out: CvssScore[] = [];
  f.optArray(v, "scores", path).forEach((item, i) => {
    const at = pointer(pointer(path, "scores"), i);
    const s = f.object(item, at);
    for (const [key, fallback] of [
      ["cvss_v4", "4.0"],
      ["cvss_v3", "3.1"],
      ["cvss_v2", "2.0"],
    ] as const) {
      const cvss = f.optObject(s, key, at);
      if (!cvss) continue;
      const cAt = pointer(at, key);
      const baseScore = f.optNum(cvss, "baseScore", cAt);
      if (baseScore === undefined) f.fail(pointer(cAt, "baseScore"), "missing required field 'baseScore'");
      const score: CvssScore = {
        version: f.optStr(cvss, "version", cAt) ?? fallback,
        baseScore,
        source: `csaf:${doc.trackingId}`,
      };
      const severity = f.optStr(cvss, "baseSeverity", cAt);
      const vector = f.optStr(cvss, "vectorString", cAt);
      if (severity) score.severity = severity.toUpperCase();
      if (vector) score.vector = vector;
      const dup = out.some(
        (x) => x.version === score.version && x.vector === score.vector && x.baseScore === baseScore,
      );
      if (!dup) out.push(score);
    }
  });
  return out;
}

function buildReferences(f: JsonFields, owner: JsonObject, path: string, into: Reference[]): void {
  f.optArray(owner, "references", path).forEach((item, i) => {
    const at = pointer(pointer(path, "references"), i);
    const r = f.object(item, at);
    const url = f.str(r, "url", at);
    const tags = f.optStr(r, "category", at) === "self" ? ["vendor-advisory"] : [];
    const known = into.find((x) => x.url === url);
    if (known) for (const tag of tags) pushUnique(known.tags, tag);
    else into.push({ url, tags });
  });
}

const DESCRIPTION_ORDER = ["description", "summary", "general", "details"];

function notesOf(
  f: JsonFields,
  owner: JsonObject,
  path: string,
): { category: string; title?: string; text: string }[] {
  return f.optArray(owner, "notes", path).map((item, i) => {
    const at = pointer(pointer(path, "notes"), i);
    const n = f.object(item, at);
    const note = { category: f.str(n, "category", at), text: f.str(n, "text", at, true) };
    const title = f.optStr(n, "title", at);
    return title ? { ...note, title } : note;
  });
}

function buildRecord(doc: DocContext, v: JsonObject, path: string, id: string): AdvisoryRecord {
  const f: JsonFields = doc.f;
  const record: AdvisoryRecord = {
    id,
    source: "csaf",
    sourceId: doc.trackingId,
    aliases: [],
    state: "published",
    cvss: buildScores(doc, v, path),
    cwes: [],
    affected: [],
    remediations: [],
    references: [],
    notes: [],
  };
  if (id !== doc.trackingId) record.aliases.push(doc.trackingId);
  f.optArray(v, "ids", path).forEach((item, i) => {
    const at = pointer(pointer(path, "ids"), i);
    const text = f.str(f.object(item, at), "text", at);
    if (text !== id) pushUnique(record.aliases, text);
  });
  const title = f.optStr(v, "title", path) ?? doc.title;
  if (title) record.title = title;

  const notes = notesOf(f, v, path);
  const main = DESCRIPTION_ORDER.map((c) => notes.find((n) => n.category === c && n.text)).find(Boolean);
  if (main) record.description = main.text;
  for (const note of notes) {
    if (note !== main && note.text) record.notes.push(`${note.title ?? note.category}: ${note.text}`);
  }
  f.optArray(v, "threats", path).forEach((item, i) => {
    const at = pointer(pointer(path, "threats"), i);
    const t = f.object(item, at);
    const category = f.str(t, "category", at);
    const details = f.str(t, "details", at, true);
    if (details) record.notes.push(`${category}: ${details}`);
  });

  const release = f.optStr(v, "release_date", path);
  const published = (release && utcInstant(release)) || doc.published;
  if (published) record.published = published;
  if (doc.modified) record.modified = doc.modified;

  const cwe = f.optObject(v, "cwe", path);
  if (cwe) record.cwes.push(f.str(cwe, "id", pointer(path, "cwe")).toUpperCase());
  f.optArray(v, "cwes", path).forEach((item, i) => {
    const at = pointer(pointer(path, "cwes"), i);
    pushUnique(record.cwes, f.str(f.object(item, at), "id", at).toUpperCase());
  });

  const { affected, fixedById } = buildAffected(doc, v, path);
  record.affected = affected;
  record.remediations = buildRemediations(doc, v, path, fixedById);
  if (!v.product_status) {
    record.notes.push(
      doc.informational ? INFORMATIONAL_NOTE : "The advisory gives no product status for this vulnerability.",
    );
  }
  buildReferences(f, v, path, record.references);
  for (const ref of doc.references) {
    const known = record.references.find((x) => x.url === ref.url);
    if (known) for (const tag of ref.tags) pushUnique(known.tags, tag);
    else record.references.push({ url: ref.url, tags: [...ref.tags] });
  }
  return record;
}

function instantField(f: JsonFields, o: JsonObject, key: string, path: string): string | undefined {
  const text = f.optStr(o, key, path);
  if (text === undefined) return undefined;
  const instant = utcInstant(text);
  if (!instant) f.fail(pointer(path, key), `'${text}' is not a date-time`);
  return instant;
}

/** A parsed CSAF document into one AdvisoryRecord per vulnerability. */
export function csafRecords(f: JsonFields, json: unknown): AdvisoryRecord[] {
  const root = f.object(json, "", "a CSAF document object");
  const document = f.object(root.document, "/document");
  const version = f.str(document, "csaf_version", "/document");
  if (!/^2\.\d$/.test(version))
    f.fail("/document/csaf_version", `unsupported csaf_version '${version}' (expected 2.0)`);
  const category = f.str(document, "category", "/document");
  const tracking = f.object(document.tracking, "/document/tracking");
  const doc: DocContext = {
    f,
    trackingId: f.str(tracking, "id", "/document/tracking"),
    informational: category === "csaf_informational_advisory",
    products: resolveProductTree(f, root),
    groups: productGroups(f, root),
    references: [],
  };
  const title = f.optStr(document, "title", "/document");
  if (title) doc.title = title;
  const published = instantField(f, tracking, "initial_release_date", "/document/tracking");
  const modified = instantField(f, tracking, "current_release_date", "/document/tracking");
  if (published) doc.published = published;
  if (modified) doc.modified = modified;
  buildReferences(f, document, "/document", doc.references);

  const vulnerabilities = f.optArray(root, "vulnerabilities", "");
  if (vulnerabilities.length === 0) {
    if (!doc.informational) {
      f.fail("/vulnerabilities", `a ${category} document must list at least one vulnerability`);
    }
    // An informational advisory without vulnerabilities: one record that carries the notice.
    const record = buildRecord(doc, {}, "/document", doc.trackingId);
    const notes = notesOf(f, document, "/document");
    const main = DESCRIPTION_ORDER.map((c) => notes.find((n) => n.category === c && n.text)).find(Boolean);
    if (main) record.description = main.text;
    record.notes = [INFORMATIONAL_NOTE];
    return [record];
  }

  const hasCve = (v: unknown): boolean => isObject(v) && typeof v.cve === "string" && v.cve.trim() !== "";
  const withoutCve = vulnerabilities.filter((v) => !hasCve(v)).length;
  let unnamed = 0;
  return vulnerabilities.map((item, i) => {
    const path = pointer("/vulnerabilities", i);
    const v = f.object(item, path);
    let id = f.optStr(v, "cve", path)?.toUpperCase();
    if (id && !/^CVE-\d{4}-\d{4,}$/.test(id)) f.fail(pointer(path, "cve"), `'${id}' is not a CVE id`);
    if (!id) {
      unnamed++;
      id = withoutCve > 1 ? `${doc.trackingId}#${unnamed}` : doc.trackingId;
    }
    return buildRecord(doc, v, path, id);
  });
}

/** A CSAF 2.0 JSON document. */
export async function parseCsaf(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  return { kind: "advisories", records: csafRecords(new JsonFields(input.displayName), json) };
}
