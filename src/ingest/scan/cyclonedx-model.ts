/**
 * CycloneDX read into one model, whatever the encoding (JSON, XML, the legacy XML vulnerability
 * extension), and turned into a ScanReport the same way: the SBOM's subject is the one asset, every
 * component is recorded as its software, and every vulnerability × affected component is a finding.
 */

import { parsePurl } from "../../core/purl.js";
import {
  higherSeverity,
  isCveId,
  normaliseSeverity,
  pluginVulnId,
  ReportBuilder,
  severityFromScore,
} from "../../core/scan/builder.js";
import type { ReportStatus, ScanAsset, ScanReport, Severity } from "../../core/scan/types.js";
import type { CvssScore, InstalledSoftware } from "../../core/types.js";
import { utcInstant } from "../read.js";
import type { ParseInput } from "../types.js";
import {
  cvesIn,
  cvssVersion,
  digestIn,
  fileArtifact,
  imageReference,
  isDigest,
  isSelfDescribingId,
  type Place,
  packageFromPurl,
  placeError,
  qualifiedName,
  shortTitle,
  toolSlug,
} from "./sbom-util.js";

export interface CdxComponent {
  bomRef?: string;
  type?: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  cpe?: string;
  supplier?: string;
  /** name/value properties ("syft:location:0:path", "aquasecurity:trivy:RepoDigest"…). */
  properties: [string, string][];
  /** evidence.occurrences[].location */
  occurrences: string[];
  place: Place;
}

export interface CdxRating {
  score?: number;
  severity?: string;
  method?: string;
  vector?: string;
  source?: string;
}

export interface CdxAffect {
  ref?: string;
  /** Set for the legacy extension, where the vulnerability sits inside its component. */
  component?: CdxComponent;
  versions: { version?: string; range?: string; status?: string }[];
}

export interface CdxVulnerability {
  id?: string;
  bomRef?: string;
  source?: { name?: string; url?: string };
  references: { id: string; source?: string }[];
  ratings: CdxRating[];
  description?: string;
  advisories: string[];
  analysis?: { state?: string; justification?: string; responses: string[]; detail?: string };
  affects: CdxAffect[];
  place: Place;
}

export interface CdxTool {
  name?: string;
  version?: string;
  vendor?: string;
}

export interface CdxDocument {
  timestamp?: { text: string; place: Place };
  tools: CdxTool[];
  subject?: CdxComponent;
  components: CdxComponent[];
  vulnerabilities: CdxVulnerability[];
}

function property(component: CdxComponent, name: string): string | undefined {
  return component.properties.find(([key]) => key === name)?.[1];
}

/** The subject as an asset: a container image, or an artifact "name@version". */
export function subjectAsset(subject: CdxComponent | undefined, displayName: string): Omit<ScanAsset, "key"> {
  if (!subject) return { artifact: fileArtifact(displayName) };
  if (subject.type?.toLowerCase() === "container") {
    const asset: Omit<ScanAsset, "key"> = { image: imageReference(subject.name, subject.version) };
    const purlVersion = parsePurl(subject.purl)?.version;
    const digest =
      digestIn(property(subject, "aquasecurity:trivy:RepoDigest")) ??
      (subject.version && isDigest(subject.version) ? subject.version.toLowerCase() : undefined) ??
      (purlVersion && isDigest(purlVersion) ? purlVersion.toLowerCase() : undefined);
    if (digest) asset.imageDigest = digest;
    return asset;
  }
  return { artifact: subject.version ? `${subject.name}@${subject.version}` : subject.name };
}

function software(component: CdxComponent): InstalledSoftware | undefined {
  if (component.version === undefined && component.purl === undefined && component.cpe === undefined) {
    return undefined; // a grouping node ("package-lock.json"), nothing to match advisories against
  }
  const out: InstalledSoftware = { product: component.name };
  if (component.purl) out.purl = component.purl;
  const vendor = component.group ?? component.supplier;
  if (vendor) out.vendor = vendor;
  if (component.version) out.version = component.version;
  if (component.cpe) out.cpe = component.cpe;
  return out;
}

const LOCATION_PROPERTY = /^(?:syft:location:\d+:path|aquasecurity:trivy:FilePath)$/;

function locationsOf(component: CdxComponent): string[] {
  const out = [...component.occurrences];
  for (const [name, value] of component.properties) {
    if (LOCATION_PROPERTY.test(name) && value.trim() !== "" && !out.includes(value)) out.push(value);
  }
  return out;
}

type FindingPackage = { name: string; version?: string; purl?: string; ecosystem?: string };

function packageOf(component: CdxComponent): FindingPackage {
  const purl = parsePurl(component.purl);
  const ecosystem = purl?.type;
  // Without a group, the purl's namespace completes a bare name (Maven "log4j-core").
  const group =
    component.group ??
    (purl && purl.name.toLowerCase() === component.name.toLowerCase() ? purl.namespace : undefined);
  const pkg: FindingPackage = { name: qualifiedName(component.name, group, ecosystem) };
  const version = component.version ?? purl?.version;
  if (version) pkg.version = version;
  if (component.purl) pkg.purl = component.purl;
  if (ecosystem) pkg.ecosystem = ecosystem;
  return pkg;
}

/** The report's status from a vulnerability's analysis (VEX), the affected versions and fixed versions. */
export function statusOf(
  analysis: CdxVulnerability["analysis"],
  fixed: readonly string[],
  installedUnaffected: boolean,
): { status: ReportStatus; detail?: string } {
  const state = analysis?.state?.trim().toLowerCase();
  const responses = (analysis?.responses ?? []).map((r) => r.trim().toLowerCase());
  const noFix = responses.find((r) => r === "will_not_fix" || r === "can_not_fix");
  switch (state) {
    case "exploitable":
      return noFix ? { status: "will_not_fix", detail: noFix } : { status: "affected" };
    case "in_triage":
      return { status: "under_investigation" };
    case "not_affected":
    case "false_positive": {
      const detail = analysis?.justification ?? (state === "false_positive" ? state : analysis?.detail);
      return detail ? { status: "not_affected", detail } : { status: "not_affected" };
    }
    case "resolved":
      return { status: "resolved" };
    case "resolved_with_pedigree":
      return { status: "resolved", detail: "resolved_with_pedigree" };
    case undefined:
    case "":
      if (installedUnaffected) return { status: "not_affected", detail: "unaffected" };
      if (noFix) return { status: "will_not_fix", detail: noFix };
      return fixed.length > 0 ? { status: "fixed" } : { status: "affected" };
    default:
      return { status: "unknown", detail: analysis?.state?.trim() ?? state };
  }
}

/** The finding ids of a vulnerability: its CVE(s), else its own id; the other ids become aliases. */
export function vulnerabilityIds(
  v: CdxVulnerability,
  scanner: string,
  fail: (place: Place, message: string) => never,
): { ids: string[]; aliases: string[] } {
  const raw = v.id ?? v.bomRef;
  if (raw === undefined) fail(v.place, "the vulnerability has no id");
  const own = isCveId(raw) ? raw.toUpperCase() : isSelfDescribingId(raw) ? raw : pluginVulnId(scanner, raw);
  const otherRefs: string[] = [];
  let cves: string[] = [];
  if (isCveId(raw)) cves = [own];
  for (const ref of v.references) {
    if (isCveId(ref.id)) {
      const cve = ref.id.trim().toUpperCase();
      if (!isCveId(raw) && !cves.includes(cve)) cves.push(cve);
    } else if (ref.id.trim() !== raw && isSelfDescribingId(ref.id)) {
      otherRefs.push(ref.id.trim());
    }
  }
  if (cves.length === 0) {
    // The source or the advisories may name the CVE: only when they name exactly one.
    const named = cvesIn(v.source?.name).concat(cvesIn(v.source?.url));
    for (const url of v.advisories) named.push(...cvesIn(url));
    const distinct = [...new Set(named)];
    if (distinct.length === 1 && distinct[0]) cves = [distinct[0]];
  }
  if (cves.length === 0) return { ids: [own], aliases: otherRefs };
  const aliases = isCveId(raw) ? otherRefs : [own, ...otherRefs];
  return { ids: cves, aliases };
}

export function severityOf(ratings: readonly CdxRating[]): Severity {
  let severity: Severity = "unknown";
  for (const rating of ratings) {
    if (rating.severity !== undefined)
      severity = higherSeverity(severity, normaliseSeverity(rating.severity));
  }
  if (severity !== "unknown") return severity;
  let best: number | undefined;
  for (const rating of ratings) {
    if (rating.score === undefined || cvssVersion(rating.method, rating.vector) === undefined) continue;
    if (best === undefined || rating.score > best) best = rating.score;
  }
  return best === undefined ? "unknown" : severityFromScore(best);
}

export function cvssOf(ratings: readonly CdxRating[], tool: string): CvssScore[] {
  const out: CvssScore[] = [];
  for (const rating of ratings) {
    const version = cvssVersion(rating.method, rating.vector);
    if (version === undefined || rating.score === undefined) continue;
    const source = rating.source ? `${tool}:${rating.source.trim().toLowerCase()}` : tool;
    if (out.some((c) => c.source === source && c.version === version)) continue;
    const score: CvssScore = { version, baseScore: rating.score, source };
    if (rating.severity) score.severity = rating.severity.trim().toLowerCase();
    if (rating.vector) score.vector = rating.vector.trim();
    out.push(score);
  }
  return out;
}

/** The tool that wrote the BOM: the first one named. */
function mainTool(tools: readonly CdxTool[]): CdxTool | undefined {
  return tools.find((t) => t.name !== undefined && t.name.trim() !== "");
}

export function buildCycloneDxReport(doc: CdxDocument, input: ParseInput): ScanReport {
  const file = input.displayName;
  const fail = (place: Place, message: string): never => {
    throw placeError("VALIDATION_ERROR", file, place, message);
  };
  const tool = mainTool(doc.tools);
  const tag = tool?.name ? toolSlug(tool.name) : undefined;
  const scanner = tag ? `cyclonedx:${tag}` : "cyclonedx";
  const cvssSource = tag ?? "cyclonedx";
  let reportTime: string | undefined;
  if (doc.timestamp) {
    const instant = utcInstant(doc.timestamp.text);
    if (!instant) fail(doc.timestamp.place, `'${doc.timestamp.text}' is not a date-time`);
    reportTime = instant ?? undefined;
  }

  const builder = new ReportBuilder(scanner);
  const fields = subjectAsset(doc.subject, file);
  const asset = builder.asset(fields);
  if (asset === undefined) return fail(doc.subject?.place ?? {}, "the BOM names no subject");

  const byRef = new Map<string, CdxComponent>();
  for (const component of doc.components) {
    if (component.bomRef !== undefined && !byRef.has(component.bomRef))
      byRef.set(component.bomRef, component);
    const sw = software(component);
    if (sw) builder.component(asset, sw);
  }

  for (const v of doc.vulnerabilities) {
    const { ids, aliases } = vulnerabilityIds(v, scanner, fail);
    const severity = severityOf(v.ratings);
    const cvss = cvssOf(v.ratings, cvssSource);
    const title = shortTitle(v.description);
    const targets: { pkg?: FindingPackage; locations: string[]; versions: CdxAffect["versions"] }[] = [];
    for (const affect of v.affects) {
      const component =
        affect.component ??
        (affect.ref !== undefined ? byRef.get(affect.ref) : undefined) ??
        (affect.ref !== undefined && affect.ref === doc.subject?.bomRef ? doc.subject : undefined);
      if (component) {
        targets.push({
          pkg: packageOf(component),
          locations: locationsOf(component),
          versions: affect.versions,
        });
        continue;
      }
      // A ref to no component: keep the finding on the subject, with what the ref itself says.
      const ref = affect.ref?.trim() ?? "";
      const purl = parsePurl(ref);
      const pkg: FindingPackage = purl ? packageFromPurl(purl, ref) : { name: ref };
      if (pkg.version === undefined) {
        const stated = affect.versions.filter((x) => x.version && (x.status ?? "affected") === "affected");
        if (stated.length === 1 && stated[0]?.version) pkg.version = stated[0].version;
      }
      targets.push(
        ref === ""
          ? { locations: [], versions: affect.versions }
          : { pkg, locations: [], versions: affect.versions },
      );
    }
    if (targets.length === 0) {
      targets.push(
        doc.subject
          ? { pkg: packageOf(doc.subject), locations: [], versions: [] }
          : { locations: [], versions: [] },
      );
    }

    for (const target of targets) {
      const installed = target.pkg?.version;
      const fixed: string[] = [];
      let installedUnaffected = false;
      for (const entry of target.versions) {
        if (entry.status?.trim().toLowerCase() !== "unaffected" || !entry.version) continue;
        if (entry.version === installed) installedUnaffected = true;
        else if (!fixed.includes(entry.version)) fixed.push(entry.version);
      }
      const { status, detail } = statusOf(v.analysis, fixed, installedUnaffected);
      for (const vulnId of ids) {
        if (severity === "info") {
          const location = target.pkg
            ? (target.pkg.purl ?? `${target.pkg.name}@${target.pkg.version ?? ""}`)
            : undefined;
          builder.other({
            kind: "informational",
            asset,
            id: vulnId,
            severity,
            ...(title !== undefined ? { title } : {}),
            ...(location !== undefined ? { location } : {}),
          });
          continue;
        }
        builder.finding({
          asset,
          vulnId,
          aliases,
          ...(title !== undefined ? { title } : {}),
          ...(target.pkg ? { package: target.pkg } : {}),
          fixedVersions: fixed,
          severity,
          cvss,
          locations: target.locations,
          status,
          ...(detail !== undefined ? { statusDetail: detail } : {}),
        });
      }
    }
  }

  return builder.build({
    ...(tool?.version ? { scannerVersion: tool.version } : {}),
    ...(reportTime !== undefined ? { reportTime } : {}),
  });
}
