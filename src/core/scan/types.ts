/**
 * Scanner reports, normalised. Every scanner format (Trivy, Grype, SARIF, Nessus, OpenVAS, Qualys,
 * CycloneDX, SPDX, osv-scanner) is read into one ScanReport: the assets the report covered, the
 * vulnerability findings on them, and the other items (misconfigurations, secrets, licences,
 * informational results, code weaknesses) kept apart so they are never counted as vulnerabilities.
 * Plain data, serialisable as JSON; instants are UTC ISO 8601 strings.
 */
import type { CvssScore, InstalledSoftware } from "../types.js";

/**
 * Severity as the report states it, on one scale. "info" is an informational result, which is
 * kept among the other items, never as a vulnerability.
 */
export type Severity = "critical" | "high" | "medium" | "low" | "info" | "unknown";

/**
 * The report's own statement about a finding, in one vocabulary:
 * - affected: present, with no fixed version named (Grype "not-fixed", CycloneDX "exploitable");
 * - fixed: present, and a fixed version is published (Trivy "fixed", Grype "fixed") — the
 *   package is still installed;
 * - will_not_fix / fix_deferred / end_of_life: present, and the vendor says no fix is coming (soon);
 * - under_investigation: the vendor or the analyst has not decided (CycloneDX "in_triage");
 * - not_affected: the report says the asset is not affected (VEX not_affected, false_positive);
 * - resolved: the report says the vulnerability is gone (Qualys "Fixed", CycloneDX "resolved");
 * - unknown: the report does not say.
 */
export type ReportStatus =
  | "affected"
  | "fixed"
  | "will_not_fix"
  | "fix_deferred"
  | "end_of_life"
  | "under_investigation"
  | "not_affected"
  | "resolved"
  | "unknown";

export const REPORT_STATUSES: readonly ReportStatus[] = [
  "affected",
  "fixed",
  "will_not_fix",
  "fix_deferred",
  "end_of_life",
  "under_investigation",
  "not_affected",
  "resolved",
  "unknown",
];

/** What the report says identifies one scanned asset. At least one field besides `key` is set. */
export interface ScanAsset {
  /** Stable key inside the report, derived from the identifiers (see assetKey). */
  key: string;
  hostname?: string;
  fqdn?: string;
  ip?: string;
  netbios?: string;
  mac?: string;
  os?: string;
  /** Container image reference, "alpine:3.10" or "ghcr.io/org/app:1.2". */
  image?: string;
  imageDigest?: string;
  /** Source repository URL or name. */
  repository?: string;
  /** A scanned path or artefact that is not an image or repository: "package-lock.json", "./app". */
  artifact?: string;
  /** Web application base URL (Qualys WAS, Tenable WAS). */
  url?: string;
  /** Kubernetes: "cluster/namespace/Kind/name". */
  workload?: string;
}

/** One asset × vulnerability × package@version, or asset × vulnerability × port/plugin. */
export interface ScanFinding {
  /** asset key + vulnerability + package@version or port/plugin: unique inside one report. */
  fingerprint: string;
  /** ScanAsset.key of the asset it was seen on. */
  asset: string;
  /**
   * The vulnerability: a CVE id when the report names one, otherwise the scanner's own id
   * ("GHSA-…", "OSV-…") or "<scanner>:<plugin id>" ("nessus:19506", "qualys:38170").
   */
  vulnId: string;
  /** Other ids the report gives for it (GHSA, vendor advisory, the scanner's plugin id…). */
  aliases: string[];
  title?: string;
  package?: {
    name: string;
    version?: string;
    /** Package URL with version when the report gives one. */
    purl?: string;
    /** Ecosystem or package type as the report names it: "npm", "deb", "rpm", "apk", "maven"… */
    ecosystem?: string;
  };
  /** The version(s) that fix it, as the report states them. */
  fixedVersions: string[];
  /** "443/tcp" for network scanners. */
  port?: string;
  /** The scanner's rule/plugin/QID id. */
  plugin?: string;
  severity: Severity;
  cvss: CvssScore[];
  epss?: { score: number; percentile?: number };
  /** File paths, URLs or other places it was seen (duplicates merged add theirs). */
  locations: string[];
  status: ReportStatus;
  /** The report's own words for the status or its justification ("requires_configuration"). */
  statusDetail?: string;
}

export type OtherKind = "misconfiguration" | "secret" | "license" | "informational" | "code";

/** An item that is not a vulnerability finding: counted and kept apart. */
export interface ScanOther {
  kind: OtherKind;
  asset: string;
  /** Rule or check id. */
  id: string;
  title?: string;
  severity: Severity;
  location?: string;
}

export interface ScanReport {
  /** "trivy", "grype", "sarif:<tool>", "nessus", "tenable-sc", "openvas", "qualys", "qualys-was", … */
  scanner: string;
  scannerVersion?: string;
  /** When the scan ran (or the report was written), UTC; undefined when the report does not say. */
  reportTime?: string;
  /**
   * What was scanned, as far as the report says, beyond its assets: a policy or scan name
   * ("Web App Tests"), a scan type ("image", "filesystem"). Re-scans compare like with like: same
   * scanner, same scope.
   */
  scope?: string;
  /** Every asset the report covered, including those with no findings. */
  assets: ScanAsset[];
  findings: ScanFinding[];
  other: ScanOther[];
  /** Findings merged into another with the same fingerprint. */
  duplicates: number;
  /** Software the report lists per asset (SBOM components), for matching advisories. */
  components: { asset: string; software: InstalledSoftware }[];
}

/** A report without its findings: what ingest keeps once the findings are encoded for the store. */
export type ScanReportHead = Omit<ScanReport, "findings">;

/**
 * What the report still sees on one asset: the ids (vulnerability id and aliases, upper-cased) of
 * the findings whose status says the vulnerability is there. Re-scans reopen or verify from these.
 */
export interface Sighting {
  asset: string;
  ids: string[];
}
