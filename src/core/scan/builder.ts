/**
 * Builds a ScanReport the same way for every format: assets keyed once, findings fingerprinted,
 * duplicates inside the report merged (and counted), other items kept apart. Parsers feed it what
 * they read; nothing here reads files.
 */
import type { CvssScore, InstalledSoftware } from "../types.js";
import type {
  OtherKind,
  ReportStatus,
  ScanAsset,
  ScanFinding,
  ScanOther,
  ScanReport,
  Severity,
} from "./types.js";

const IDENTITY_ORDER = [
  "image",
  "repository",
  "workload",
  "url",
  "fqdn",
  "hostname",
  "ip",
  "netbios",
  "mac",
  "artifact",
] as const;

export type AssetFields = Omit<ScanAsset, "key">;

function clean(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

/** "image:alpine:3.10", "host:web01.example.com", "ip:10.0.0.5"…: the first identifier present. */
export function assetKey(asset: AssetFields): string | undefined {
  for (const field of IDENTITY_ORDER) {
    const value = clean(asset[field]);
    if (value === undefined) continue;
    const lower = field === "image" || field === "repository" || field === "artifact" || field === "url";
    const prefix = field === "fqdn" || field === "hostname" ? "host" : field;
    return `${prefix}:${lower ? value : value.toLowerCase()}`;
  }
  return undefined;
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: "critical",
  crit: "critical",
  urgent: "critical",
  high: "high",
  important: "high",
  serious: "high",
  medium: "medium",
  moderate: "medium",
  med: "medium",
  low: "low",
  minimal: "low",
  negligible: "low",
  info: "info",
  informational: "info",
  information: "info",
  none: "info",
  note: "info",
  unknown: "unknown",
  unspecified: "unknown",
  "": "unknown",
};

/** Maps a report's severity word ("HIGH", "Moderate", "Negligible", "None") to the common scale. */
export function normaliseSeverity(raw: string | number | undefined | null): Severity {
  if (raw === undefined || raw === null) return "unknown";
  if (typeof raw === "number") return severityFromScore(raw);
  const text = raw.trim().toLowerCase();
  return SEVERITY_WORDS[text] ?? "unknown";
}

/** CVSS v3/v4 bands: 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, 0 info. */
export function severityFromScore(score: number): Severity {
  if (!Number.isFinite(score)) return "unknown";
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "info";
}

const RANK: Record<Severity, number> = { unknown: 0, info: 1, low: 2, medium: 3, high: 4, critical: 5 };

export function higherSeverity(a: Severity, b: Severity): Severity {
  return RANK[b] > RANK[a] ? b : a;
}

const CVE = /^cve-\d{4}-\d{4,}$/i;

/** Upper-cases CVE ids and trims; other ids are kept as written. */
export function canonicalVulnId(id: string): string {
  const text = id.trim();
  return CVE.test(text) ? text.toUpperCase() : text;
}

export function isCveId(id: string): boolean {
  return CVE.test(id.trim());
}

/** The id for a result that names no CVE: "<scanner>:<plugin id>". */
export function pluginVulnId(scanner: string, plugin: string): string {
  return `${scanner}:${plugin.trim()}`;
}

/** How many items of each other kind (misconfiguration, secret, …) a report holds. */
export function otherCounts(report: Pick<ScanReport, "other">): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of report.other) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}

/** What a parser hands the builder for one finding. */
export interface FindingInput {
  asset: string;
  vulnId: string;
  aliases?: readonly string[];
  title?: string;
  package?: ScanFinding["package"];
  fixedVersions?: readonly string[];
  port?: string;
  plugin?: string;
  severity?: Severity;
  cvss?: readonly CvssScore[];
  epss?: ScanFinding["epss"];
  locations?: readonly string[];
  status?: ReportStatus;
  statusDetail?: string;
}

export interface OtherInput {
  kind: OtherKind;
  asset: string;
  id: string;
  title?: string;
  severity?: Severity;
  location?: string;
}

function addAll(target: string[], values: readonly string[] | undefined): void {
  if (!values) return;
  for (const raw of values) {
    const value = raw.trim();
    if (value !== "" && !target.includes(value)) target.push(value);
  }
}

/** The fingerprint of a finding: unique per asset × vulnerability × package@version or port/plugin. */
export function fingerprintOf(f: {
  asset: string;
  vulnId: string;
  package?: { name: string; version?: string } | undefined;
  port?: string | undefined;
  plugin?: string | undefined;
}): string {
  const what = f.package
    ? `pkg:${f.package.name}@${f.package.version ?? ""}`
    : `net:${f.port ?? ""}|${f.plugin ?? ""}`;
  return `${f.asset}|${f.vulnId}|${what}`;
}

function packageOf(input: NonNullable<ScanFinding["package"]>): NonNullable<ScanFinding["package"]> {
  const pkg: NonNullable<ScanFinding["package"]> = { name: input.name.trim() };
  const version = clean(input.version);
  if (version !== undefined) pkg.version = version;
  const purl = clean(input.purl);
  if (purl !== undefined) pkg.purl = purl;
  const ecosystem = clean(input.ecosystem);
  if (ecosystem !== undefined) pkg.ecosystem = ecosystem;
  return pkg;
}

export class ReportBuilder {
  private readonly assets = new Map<string, ScanAsset>();
  private readonly findings = new Map<string, ScanFinding>();
  private readonly others: ScanOther[] = [];
  private readonly otherKeys = new Set<string>();
  private readonly components: { asset: string; software: InstalledSoftware }[] = [];
  private readonly componentKeys = new Set<string>();
  private merged = 0;

  constructor(readonly scanner: string) {}

  /**
   * Registers an asset the report covered and returns its key; the same identifiers give the same
   * key, and later calls fill in identifiers the first one lacked. undefined when nothing identifies it.
   */
  asset(fields: AssetFields): string | undefined {
    const key = assetKey(fields);
    if (key === undefined) return undefined;
    const existing = this.assets.get(key);
    if (!existing) {
      const asset: ScanAsset = { key };
      for (const [name, value] of Object.entries(fields) as [keyof AssetFields, string | undefined][]) {
        const text = clean(value);
        if (text !== undefined) asset[name] = text;
      }
      this.assets.set(key, asset);
    } else {
      for (const [name, value] of Object.entries(fields) as [keyof AssetFields, string | undefined][]) {
        const text = clean(value);
        if (text !== undefined && existing[name] === undefined) existing[name] = text;
      }
    }
    return key;
  }

  /** Adds a finding; one with the fingerprint of an earlier one merges into it and counts as a duplicate. */
  finding(input: FindingInput): void {
    const vulnId = canonicalVulnId(input.vulnId);
    const pkg = input.package ? packageOf(input.package) : undefined;
    const port = clean(input.port);
    const plugin = clean(input.plugin);
    const fingerprint = fingerprintOf({ asset: input.asset, vulnId, package: pkg, port, plugin });
    const aliases = (input.aliases ?? []).map(canonicalVulnId).filter((a) => a !== vulnId);
    const existing = this.findings.get(fingerprint);
    if (existing) {
      this.merged++;
      addAll(existing.aliases, aliases);
      addAll(existing.fixedVersions, input.fixedVersions);
      addAll(existing.locations, input.locations);
      for (const score of input.cvss ?? []) {
        if (!existing.cvss.some((c) => c.source === score.source && c.version === score.version)) {
          existing.cvss.push(score);
        }
      }
      existing.severity = higherSeverity(existing.severity, input.severity ?? "unknown");
      if (existing.title === undefined && clean(input.title) !== undefined)
        existing.title = clean(input.title);
      if (existing.epss === undefined && input.epss) existing.epss = input.epss;
      return;
    }
    const finding: ScanFinding = {
      fingerprint,
      asset: input.asset,
      vulnId,
      aliases: [],
      fixedVersions: [],
      severity: input.severity ?? "unknown",
      cvss: [...(input.cvss ?? [])],
      locations: [],
      status: input.status ?? "affected",
    };
    addAll(finding.aliases, aliases);
    addAll(finding.fixedVersions, input.fixedVersions);
    addAll(finding.locations, input.locations);
    const title = clean(input.title);
    if (title !== undefined) finding.title = title;
    if (pkg) finding.package = pkg;
    if (port !== undefined) finding.port = port;
    if (plugin !== undefined) finding.plugin = plugin;
    if (input.epss) finding.epss = input.epss;
    const detail = clean(input.statusDetail);
    if (detail !== undefined) finding.statusDetail = detail;
    this.findings.set(fingerprint, finding);
  }

  /** Adds a misconfiguration, secret, licence, informational or code item (the same one twice is kept once). */
  other(input: OtherInput): void {
    const key = `${input.kind}|${input.asset}|${input.id}|${input.location ?? ""}`;
    if (this.otherKeys.has(key)) return;
    this.otherKeys.add(key);
    const item: ScanOther = {
      kind: input.kind,
      asset: input.asset,
      id: input.id,
      severity: input.severity ?? "unknown",
    };
    const title = clean(input.title);
    if (title !== undefined) item.title = title;
    const location = clean(input.location);
    if (location !== undefined) item.location = location;
    this.others.push(item);
  }

  /** Records a software component the report lists for an asset (SBOM). */
  component(asset: string, software: InstalledSoftware): void {
    const key = `${asset}|${software.purl ?? ""}|${software.product ?? ""}|${software.version ?? ""}`;
    if (this.componentKeys.has(key)) return;
    this.componentKeys.add(key);
    this.components.push({ asset, software });
  }

  get findingCount(): number {
    return this.findings.size;
  }

  build(meta: { scannerVersion?: string; reportTime?: string; scope?: string } = {}): ScanReport {
    const report: ScanReport = {
      scanner: this.scanner,
      assets: [...this.assets.values()],
      findings: [...this.findings.values()],
      other: this.others,
      duplicates: this.merged,
      components: this.components,
    };
    const version = clean(meta.scannerVersion);
    if (version !== undefined) report.scannerVersion = version;
    if (meta.reportTime !== undefined) report.reportTime = meta.reportTime;
    const scope = clean(meta.scope);
    if (scope !== undefined) report.scope = scope;
    return report;
  }
}
