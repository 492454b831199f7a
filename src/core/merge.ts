/**
 * Merges every source record of an advisory (CVE 5, CSAF, NVD, OSV) into one Advisory, and turns
 * KEV entries that have no record into minimal advisories built from the catalog alone.
 */
import type {
  Advisory,
  AdvisoryRecord,
  AdvisorySource,
  AffectedProduct,
  CvssScore,
  KevEntry,
  Reference,
  Remediation,
  SsvcPoints,
  VersionStatus,
} from "./types.js";

/** Order in which sources are preferred for title and description. */
const SOURCE_RANK: Record<AdvisorySource, number> = { cve5: 0, csaf: 1, nvd: 2, osv: 3 };

const PLACEHOLDER_NAMES = new Set(["", "na", "none", "unknown", "unspecified", "multipleproducts"]);

/** Lower-cased with everything but letters and digits removed: "PAN-OS" → "panos". */
export function normName(text: string | undefined): string {
  return (text ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** True when a product name is a placeholder ("n/a", "Multiple Products"). */
export function isPlaceholderName(text: string | undefined): boolean {
  return PLACEHOLDER_NAMES.has(normName(text));
}

/** The same test on an already normalised name. */
export function isPlaceholderNorm(norm: string): boolean {
  return PLACEHOLDER_NAMES.has(norm);
}

export function canonicalId(id: string): string {
  const trimmed = id.trim();
  return /^cve-/i.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}

function productKey(p: AffectedProduct): string {
  return `${normName(p.vendor)}|${normName(p.product)}|${normName(p.component)}`;
}

function union<T>(into: T[], items: readonly T[], key: (t: T) => string = (t) => String(t)): void {
  const seen = new Set(into.map(key));
  for (const item of items) {
    const k = key(item);
    if (!seen.has(k)) {
      seen.add(k);
      into.push(item);
    }
  }
}

function cloneProduct(p: AffectedProduct): AffectedProduct {
  return {
    ...p,
    cpes: [...p.cpes],
    versions: p.versions.map((v) => ({ ...v })),
    fixedVersions: [...p.fixedVersions],
    ...(p.platforms ? { platforms: [...p.platforms] } : {}),
  };
}

function mergeProduct(into: AffectedProduct, from: AffectedProduct): void {
  union(into.cpes, from.cpes);
  union(into.versions, from.versions, (v) =>
    JSON.stringify([v.version, v.lessThan, v.lessThanOrEqual, v.versionType, v.status]),
  );
  union(into.fixedVersions, from.fixedVersions);
  if (from.platforms) {
    into.platforms ??= [];
    union(into.platforms, from.platforms);
  }
  if (!into.purl && from.purl) into.purl = from.purl;
  const status: VersionStatus = into.defaultStatus;
  if (status === "unknown" && from.defaultStatus !== "unknown") into.defaultStatus = from.defaultStatus;
}

function latest(a: string | undefined, b: string | undefined, pick: "min" | "max"): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (pick === "min" ? a < b : a > b) ? a : b;
}

function pickSsvc(a: SsvcPoints | undefined, b: SsvcPoints | undefined): SsvcPoints | undefined {
  if (!a) return b;
  if (!b) return a;
  return (b.timestamp ?? "") > (a.timestamp ?? "") ? b : a;
}

function mergeGroup(records: AdvisoryRecord[]): Advisory {
  const sorted = [...records].sort((x, y) => SOURCE_RANK[x.source] - SOURCE_RANK[y.source]);
  const first = sorted[0] as AdvisoryRecord;
  const id = canonicalId(first.id);
  const advisory: Advisory = {
    id,
    sources: [],
    aliases: [],
    state: sorted.every((r) => r.state === "rejected") ? "rejected" : "published",
    cvss: [],
    cwes: [],
    affected: [],
    remediations: [],
    references: [],
    notes: [],
  };
  const products = new Map<string, AffectedProduct>();
  const affected: AffectedProduct[] = [];
  const seenExact = new Set<string>();
  for (const r of sorted) {
    union(advisory.sources, [{ source: r.source, sourceId: r.sourceId }], (s) => `${s.source}|${s.sourceId}`);
    const aliases = [...r.aliases, r.sourceId].filter((a) => canonicalId(a) !== id && a.trim() !== "");
    union(advisory.aliases, aliases);
    if (advisory.title === undefined && r.title) advisory.title = r.title;
    if (advisory.description === undefined && r.description) advisory.description = r.description;
    const published = latest(advisory.published, r.published, "min");
    if (published !== undefined) advisory.published = published;
    const modified = latest(advisory.modified, r.modified, "max");
    if (modified !== undefined) advisory.modified = modified;
    union<CvssScore>(advisory.cvss, r.cvss, (c) => `${c.source}|${c.version}|${c.vector ?? c.baseScore}`);
    union(advisory.cwes, r.cwes);
    union<Remediation>(
      advisory.remediations,
      r.remediations,
      (m) => `${m.category}|${m.details}|${m.url ?? ""}|${m.products.join(",")}`,
    );
    for (const ref of r.references) {
      const existing = advisory.references.find((x) => x.url === ref.url);
      if (existing) union(existing.tags, ref.tags);
      else advisory.references.push({ url: ref.url, tags: [...ref.tags] } satisfies Reference);
    }
    union(advisory.notes, r.notes);
    const ssvc = pickSsvc(advisory.ssvc, r.ssvc);
    if (ssvc) advisory.ssvc = ssvc;
    if (!advisory.kev && r.kev) advisory.kev = { ...r.kev };
    if (r.state === "rejected" && advisory.state === "published") {
      union(advisory.notes, [
        `The ${r.source} record ${r.sourceId} is rejected; other sources still publish it.`,
      ]);
    }
    // Products merge across sources; within one record, entries that share a name but differ
    // (the Linux CNA's git ranges and semver ranges) stay separate, exact repeats collapse.
    const fromThisRecord = new Map<string, AffectedProduct>();
    for (const p of r.affected) {
      const key = productKey(p);
      const earlier = products.get(key);
      if (earlier) {
        mergeProduct(earlier, p);
        continue;
      }
      const exact = JSON.stringify(p);
      if (seenExact.has(exact)) continue;
      seenExact.add(exact);
      const copy = cloneProduct(p);
      affected.push(copy);
      if (!fromThisRecord.has(key)) fromThisRecord.set(key, copy);
    }
    for (const [key, p] of fromThisRecord) products.set(key, p);
  }
  advisory.affected = affected;
  return advisory;
}

function kevUrls(notes: string): string[] {
  return [...notes.matchAll(/https?:\/\/[^\s;]+/g)].map((m) => m[0].replace(/[.,)]+$/, ""));
}

function kevProduct(entry: KevEntry): AffectedProduct {
  return {
    vendor: entry.vendorProject,
    product: entry.product,
    cpes: [],
    versions: [],
    defaultStatus: "unknown",
    fixedVersions: [],
  };
}

/** A minimal advisory from a KEV entry alone: names the product, says nothing about versions. */
export function advisoryFromKev(entry: KevEntry): Advisory {
  const references: Reference[] = kevUrls(entry.notes).map((url) => ({ url, tags: ["kev-note"] }));
  return {
    id: canonicalId(entry.cveId),
    sources: [],
    aliases: [],
    state: "published",
    title: entry.vulnerabilityName,
    description: entry.shortDescription,
    cvss: [],
    cwes: [...entry.cwes],
    affected: [kevProduct(entry)],
    remediations: [],
    references,
    kev: { dateAdded: entry.dateAdded },
    notes: [`CISA KEV required action: ${entry.requiredAction}`],
  };
}

/** True for an advisory built from the KEV catalog alone (no source record). */
export function isKevOnly(advisory: Advisory): boolean {
  return advisory.sources.length === 0;
}

/**
 * Merges all records with the same id. Rejected only when every source rejects it. KEV entries
 * without a record become minimal advisories; a record that names no usable product (CNA "n/a")
 * gets the KEV product added with unknown status so the catalog's product can still be matched.
 */
export function mergeAdvisories(records: AdvisoryRecord[], kev: KevEntry[]): Map<string, Advisory> {
  const groups = new Map<string, AdvisoryRecord[]>();
  for (const r of records) {
    const id = canonicalId(r.id);
    const list = groups.get(id);
    if (list) list.push(r);
    else groups.set(id, [r]);
  }
  const out = new Map<string, Advisory>();
  for (const [id, group] of groups) out.set(id, mergeGroup(group));
  for (const entry of kev) {
    const id = canonicalId(entry.cveId);
    const existing = out.get(id);
    if (!existing) {
      out.set(id, advisoryFromKev(entry));
      continue;
    }
    const named = existing.affected.some(
      (p) => !isPlaceholderName(p.product) || !isPlaceholderName(p.component),
    );
    if (!named) existing.affected.push(kevProduct(entry));
    if (!existing.title) existing.title = entry.vulnerabilityName;
    if (!existing.description) existing.description = entry.shortDescription;
  }
  return out;
}
