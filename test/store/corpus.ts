/**
 * Minimal readers for the sample corpus, enough to feed the store real data without depending on
 * the ingest parsers.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AdvisoryRecord, EpssScore, KevEntry, VersionRange } from "../../src/core/types.js";
import type { FeedFormat, ParsedBatch } from "../../src/ingest/types.js";
import type { ImportMeta } from "../../src/store/index.js";

export const corpus = (rel: string): string => path.resolve("../shared/corpus", rel);

export function meta(rel: string, format: FeedFormat, importedAt: string): ImportMeta {
  const bytes = fs.readFileSync(corpus(rel));
  return { file: rel, sha256: createHash("sha256").update(bytes).digest("hex"), format, importedAt };
}

interface RawKev {
  catalogVersion?: string;
  dateReleased?: string;
  vulnerabilities: Record<string, unknown>[];
}

export type KevBatch = Extract<ParsedBatch, { kind: "kev" }>;
export type EpssBatch = Extract<ParsedBatch, { kind: "epss" }>;

export function kevBatch(rel: string): KevBatch {
  const raw = JSON.parse(fs.readFileSync(corpus(rel), "utf8")) as RawKev;
  const entries = raw.vulnerabilities.map(
    (v): KevEntry => ({
      cveId: String(v.cveID),
      vendorProject: String(v.vendorProject),
      product: String(v.product),
      vulnerabilityName: String(v.vulnerabilityName),
      dateAdded: String(v.dateAdded),
      shortDescription: String(v.shortDescription),
      requiredAction: String(v.requiredAction),
      dueDate: String(v.dueDate),
      knownRansomwareCampaignUse: v.knownRansomwareCampaignUse === "Known" ? "Known" : "Unknown",
      notes: String(v.notes ?? ""),
      cwes: Array.isArray(v.cwes) ? v.cwes.map(String) : [],
    }),
  );
  const batch: KevBatch = { kind: "kev", entries };
  if (raw.catalogVersion) batch.catalogVersion = raw.catalogVersion;
  if (raw.dateReleased) batch.released = raw.dateReleased;
  return batch;
}

export function epssBatch(rel: string): EpssBatch {
  const lines = fs.readFileSync(corpus(rel), "utf8").split(/\r?\n/);
  const head = /model_version:([^,]+),score_date:(\d{4}-\d{2}-\d{2})/.exec(lines[0] ?? "");
  if (!head) throw new Error(`${rel}: no EPSS header`);
  const modelVersion = head[1]!;
  const scoreDate = head[2]!;
  const scores = lines
    .slice(2)
    .filter((l) => l.trim())
    .map((l): EpssScore => {
      const [cve, epss, percentile] = l.split(",");
      return { cve: cve!, epss: Number(epss), percentile: Number(percentile), scoreDate, modelVersion };
    });
  return { kind: "epss", modelVersion, scoreDate, scores };
}

interface RawCve5 {
  cveMetadata: { cveId: string; state: string; datePublished?: string; dateUpdated?: string };
  containers?: {
    cna?: {
      title?: string;
      descriptions?: { lang: string; value: string }[];
      affected?: {
        vendor?: string;
        product?: string;
        defaultStatus?: string;
        versions?: { version: string; lessThan?: string; versionType?: string; status: string }[];
      }[];
    };
  };
}

const statusOf = (s: string | undefined): VersionRange["status"] =>
  s === "affected" || s === "unaffected" ? s : "unknown";

export function cve5Record(rel: string): AdvisoryRecord {
  const raw = JSON.parse(fs.readFileSync(corpus(rel), "utf8")) as RawCve5;
  const cna = raw.containers?.cna;
  const id = raw.cveMetadata.cveId;
  const record: AdvisoryRecord = {
    id,
    source: "cve5",
    sourceId: id,
    aliases: [],
    state: raw.cveMetadata.state === "REJECTED" ? "rejected" : "published",
    cvss: [],
    cwes: [],
    affected: (cna?.affected ?? []).map((a) => ({
      vendor: a.vendor ?? "n/a",
      product: a.product ?? "n/a",
      cpes: [],
      versions: (a.versions ?? []).map((v) => {
        const range: VersionRange = { version: v.version, status: statusOf(v.status) };
        if (v.lessThan) range.lessThan = v.lessThan;
        if (v.versionType) range.versionType = v.versionType;
        return range;
      }),
      defaultStatus: statusOf(a.defaultStatus),
      fixedVersions: (a.versions ?? []).flatMap((v) =>
        v.lessThan && v.status === "affected" ? [v.lessThan] : [],
      ),
    })),
    remediations: [],
    references: [],
    notes: [],
  };
  if (cna?.title) record.title = cna.title;
  const description = cna?.descriptions?.find((d) => d.lang.startsWith("en"))?.value;
  if (description) record.description = description;
  if (raw.cveMetadata.datePublished) record.published = raw.cveMetadata.datePublished;
  if (raw.cveMetadata.dateUpdated) record.modified = raw.cveMetadata.dateUpdated;
  return record;
}

export function cve5Records(): AdvisoryRecord[] {
  return fs
    .readdirSync(corpus("cve5"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => cve5Record(`cve5/${f}`));
}

/** Import metadata for generated data (no file on disk): the sha256 stands in for the file's bytes. */
export function syntheticMeta(
  file: string,
  format: FeedFormat,
  importedAt: string,
  shaSeed: string,
): ImportMeta {
  return { file, sha256: createHash("sha256").update(shaSeed).digest("hex"), format, importedAt };
}
