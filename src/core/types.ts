/**
 * Domain types shared by every part of patchline. The core is pure: these are plain data,
 * serialisable as JSON, with instants as ISO 8601 strings in UTC ("...Z") and zones as IANA names.
 */

// ---------------------------------------------------------------- intelligence

export type VersionStatus = "affected" | "unaffected" | "unknown";

/** One version statement, as CVE 5 writes it (CSAF and others are normalised into it). */
export interface VersionRange {
  /** Exact version, or the first affected version of a range ("0" or "*" for "from the start"). */
  version: string;
  lessThan?: string;
  lessThanOrEqual?: string;
  /** semver, custom, rpm, deb, maven, pep440, git, generic … as the source named it. */
  versionType?: string;
  status: VersionStatus;
}

export interface AffectedProduct {
  vendor: string;
  product: string;
  /** Package, module or component name when the source gives one. */
  component?: string;
  /** Package URL without version (pkg:npm/lodash), when known. */
  purl?: string;
  cpes: string[];
  versions: VersionRange[];
  defaultStatus: VersionStatus;
  /** Versions that fix it, from ranges ("lessThan") or explicit fixed/first_fixed statements. */
  fixedVersions: string[];
  platforms?: string[];
}

export type RemediationCategory =
  | "vendor_fix"
  | "workaround"
  | "mitigation"
  | "none_available"
  | "no_fix_planned"
  | "optional_patch"
  | "fix_planned";

export interface Remediation {
  category: RemediationCategory;
  details: string;
  url?: string;
  /** Product names it applies to; empty means every affected product of the advisory. */
  products: string[];
  /** Restart or reboot note as the source states it ("machine", "service: …", "none"). */
  restartRequired?: string;
  fixedVersion?: string;
}

export interface Reference {
  url: string;
  /** Source tags lower-cased: patch, vendor-advisory, exploit, mitigation, … */
  tags: string[];
}

export interface CvssScore {
  version: string; // "2.0" | "3.0" | "3.1" | "4.0"
  baseScore: number;
  severity?: string;
  vector?: string;
  /** Who scored it: "cna", "adp:CISA-ADP", "csaf:RHSA-2021:5217", "nvd", … */
  source: string;
}

export type Exploitation = "none" | "poc" | "active";

/** SSVC decision points where a source states them (CISA ADP "ssvc" metric). */
export interface SsvcPoints {
  exploitation?: Exploitation;
  automatable?: "yes" | "no";
  technicalImpact?: "partial" | "total";
  source: string;
  timestamp?: string;
}

export type AdvisorySource = "cve5" | "csaf" | "nvd" | "osv";

/** One source's view of one advisory. Several records (CVE 5, CSAF, …) merge into an Advisory. */
export interface AdvisoryRecord {
  /** Canonical id: the CVE id when there is one, otherwise the vendor advisory id. */
  id: string;
  source: AdvisorySource;
  /** The document's own id: "CVE-2024-3400", "RHSA-2021:5217", "cisco-sa-20180328-smi2". */
  sourceId: string;
  aliases: string[];
  state: "published" | "rejected";
  title?: string;
  description?: string;
  published?: string;
  modified?: string;
  cvss: CvssScore[];
  cwes: string[];
  affected: AffectedProduct[];
  remediations: Remediation[];
  references: Reference[];
  ssvc?: SsvcPoints;
  /** KEV listing as carried inside the record (CISA ADP "kev" metric). */
  kev?: { dateAdded: string; reference?: string };
  /** Caveats the source states (CSAF threats/notes, "not proof of compromise", …). */
  notes: string[];
}

/** Every source merged: what the core decides on. */
export interface Advisory extends Omit<AdvisoryRecord, "source" | "sourceId"> {
  sources: { source: AdvisorySource; sourceId: string }[];
}

export interface KevEntry {
  cveId: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  /** YYYY-MM-DD as the catalog writes it. */
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  /** YYYY-MM-DD. */
  dueDate: string;
  knownRansomwareCampaignUse: "Known" | "Unknown";
  notes: string;
  cwes: string[];
}

export interface EpssScore {
  cve: string;
  epss: number;
  percentile: number;
  /** YYYY-MM-DD of the scores. */
  scoreDate: string;
  modelVersion: string;
  /** The score this one replaced, so a jump can be a review trigger. */
  previousEpss?: number;
}

/** Every signal known for one advisory id. */
export interface Signals {
  kev?: KevEntry;
  epss?: EpssScore;
  ssvc?: SsvcPoints;
  exploitation?: { level: Exploitation; source: string; confidence: Confidence };
}

export type Confidence = "high" | "medium" | "low";

// ---------------------------------------------------------------- estate

export type Exposure = "internet" | "partner" | "internal" | "isolated";
export type Criticality = "critical" | "high" | "medium" | "low";
export type FunctionalRole = "security" | "system-owner" | "service-owner" | "governance" | "leadership";

export interface InstalledSoftware {
  purl?: string;
  vendor?: string;
  product?: string;
  version?: string;
  cpe?: string;
}

/** How changes are made safely for an asset group; policy fills what the inventory leaves out. */
export interface ChangeProfile {
  testing?: string;
  rollback?: string;
  maintenanceWindow?: string;
  dependencies?: string;
  approval?: string;
  communication?: string;
  reboot?: string;
}

export interface Asset {
  id: string;
  name: string;
  assetGroup: string;
  environment: string;
  exposure: Exposure;
  roles: string[];
  businessService?: string;
  criticality: Criticality;
  /** Owner ids from the owners directory (or a free-text name when no directory entry exists). */
  systemOwner: string;
  serviceOwner?: string;
  timeZone?: string;
  hostnames: string[];
  ips: string[];
  /** Other names scanners know it by: container images, repository and web URLs, workloads. */
  identifiers?: string[];
  software: InstalledSoftware[];
  change?: ChangeProfile;
}

export interface Owner {
  id: string;
  name: string;
  kind: "person" | "team";
  roles: FunctionalRole[];
  timeZone: string;
  contact?: string;
  /** Owner id to escalate to when this owner misses a checkpoint. */
  escalatesTo?: string;
}

// ---------------------------------------------------------------- assessment

export type AffectedStatus = "affected" | "not_affected" | "fixed" | "unknown";

/** One asset × advisory × installed software, with the reason for its status. */
export interface Finding {
  advisoryId: string;
  assetId: string;
  software: InstalledSoftware;
  status: AffectedStatus;
  reason: string;
  /** The fixed version that applies to this software, when known. */
  fixedVersion?: string;
  /** Where the match came from: "inventory", "kev-product", a scanner name… */
  source: string;
}

// ---------------------------------------------------------------- decision

export type Lane =
  | "patch-now"
  | "patch-window"
  | "validate"
  | "blocked"
  | "mitigate"
  | "exception"
  | "closure";

export const LANES: readonly Lane[] = [
  "patch-now",
  "patch-window",
  "validate",
  "blocked",
  "mitigate",
  "exception",
  "closure",
];

export type TriggerKind =
  | "kev"
  | "ransomware"
  | "exploitation"
  | "epss"
  | "exposure"
  | "role"
  | "criticality"
  | "ssvc";

export interface UrgencyTrigger {
  kind: TriggerKind;
  /** Plain sentence: "Listed in CISA KEV on 2024-04-12 (due 2024-04-19)". */
  text: string;
  /** Where it came from: "CISA KEV catalog 2025.08.25", "FIRST EPSS 2026-09-29", "inventory", … */
  source: string;
  confidence: Confidence;
}

export interface ReviewTrigger {
  kind:
    | "kev"
    | "exploitation"
    | "epss"
    | "exposure"
    | "vendor-guidance"
    | "fixed-version"
    | "affected-status";
  text: string;
}

export type SsvcOutcome = "Track" | "Track*" | "Attend" | "Act";

export interface Decision {
  lane: Lane;
  /** The lane the rules chose before the readiness gate (equals lane unless the gate demoted it). */
  proposedLane: Lane;
  /** Stable rule id ("kev-listed", "exposed-high-epss", "no-fix", …). */
  rule: string;
  explanation: string;
  triggers: UrgencyTrigger[];
  reviewTriggers: ReviewTrigger[];
  ssvc?: { points: SsvcPoints; outcome: SsvcOutcome; assumed: string[] };
}

export type GateField =
  | "scope"
  | "fixedVersion"
  | "urgency"
  | "deadline"
  | "testing"
  | "rollback"
  | "closureEvidence";

export interface MissingField {
  field: GateField;
  /** What exactly is missing, in plain words. */
  detail: string;
  /** Functional role that must supply it. */
  supplier: FunctionalRole;
  /** The owner who holds that role for this work item, when known. */
  supplierOwner?: string;
}

// ---------------------------------------------------------------- plan

export interface Deadline {
  /** UTC instant, "2026-11-26T17:00:00Z". */
  at: string;
  /** IANA zone of the recipient. */
  zone: string;
  /** The same instant in the recipient zone, ISO 8601 with offset: "2026-11-26T12:00:00-05:00". */
  local: string;
  /** Where it comes from: "BOD 26-04: 3 days from handoff", "KEV due date 2025-09-15". */
  basis: string;
}

export type CheckpointKind =
  | "acknowledgment"
  | "status"
  | "blocker-escalation"
  | "final"
  | "forensic-scoping"
  | "forensic-evidence"
  | "forensic-decision";

export interface Checkpoint {
  kind: CheckpointKind;
  /** UTC instant. */
  due: string;
  zone: string;
  local: string;
  /** Owner id (or role) to escalate to when it is missed. */
  escalateTo?: string;
}

export interface OwnerRef {
  id: string;
  name: string;
  timeZone: string;
  contact?: string;
}

export interface WorkItemAsset {
  id: string;
  name: string;
  environment: string;
  exposure: Exposure;
  roles: string[];
  criticality: Criticality;
  businessService?: string;
  installed?: string;
  status: AffectedStatus;
  reason: string;
}

export interface WorkItem {
  /** Stable id derived from advisory, asset group and owner: "WI-" + 10 hex chars. */
  id: string;
  advisory: {
    id: string;
    aliases: string[];
    title: string;
    vendor: string;
    product: string;
    component?: string;
    affectedVersions: string[];
    cvss?: CvssScore;
    kev?: { dateAdded: string; dueDate: string; ransomware: boolean };
    epss?: { score: number; percentile: number; date: string };
  };
  assetGroup: string;
  environments: string[];
  businessServices: string[];
  /** System owner: executes. */
  owner: OwnerRef;
  serviceOwner?: OwnerRef;
  securityOwner?: OwnerRef;
  governanceOwner?: OwnerRef;
  /** Who the system owner's missed checkpoints escalate to (the owner's escalatesTo). */
  escalationOwner?: OwnerRef;
  assets: WorkItemAsset[];
  lane: Lane;
  decision: Decision;
  /** Empty unless the readiness gate failed (lane is then "validate"). */
  missing: MissingField[];
  fix: {
    fixedVersion?: string;
    patchLinks: string[];
    workarounds: string[];
    mitigations: string[];
    reboot?: string;
    supersedence?: string;
    knownIssues: string[];
  };
  change: ChangeProfile;
  fallback: {
    mitigation: string;
    monitoring: string;
    exceptionPath: string;
    reviewDate?: string;
  };
  closureEvidence: string[];
  deadline: Deadline | null;
  cadence: Checkpoint[];
  /** Policy pack and rule that set the deadline. */
  policy: { pack: string; band?: string };
  caveats: string[];
  /** The instant the plan was made (the clock passed in). */
  plannedAt: string;
}
