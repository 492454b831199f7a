/**
 * Trivy JSON reports: SchemaVersion 2 (`trivy image|fs|repo|rootfs|vm --format json`), the legacy
 * pre-0.20 layout (a top-level array of results), and `trivy k8s` cluster reports (ClusterName with
 * per-resource results, both the older Vulnerabilities/Misconfigurations lists and the newer
 * Resources list).
 *
 * Asset: the ArtifactName by ArtifactType (container_image → image, with the digest from
 * Metadata.RepoDigests or ImageID; repository → repository; anything else → artifact); a k8s
 * resource → workload "cluster/namespace/Kind/name". A legacy report names no artifact: the image is
 * the OS result's target without its "(alpine 3.10)" suffix, or, when there is no OS result, every
 * target is its own artifact.
 *
 * Vulnerabilities are findings; failed misconfigurations, secrets and licences are other items.
 */
import { type AssetFields, normaliseSeverity, ReportBuilder } from "../../core/scan/builder.js";
import type { ReportStatus, ScanReport } from "../../core/scan/types.js";
import type { CvssScore } from "../../core/types.js";
import { isObject, JsonFields, type JsonObject, JsonPath, readJson, utcInstant } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import { cvssVersionOf, imageAsset, splitList } from "./scanner-util.js";

export const TRIVY_SCANNER = "trivy";

const STATUSES: Record<string, ReportStatus> = {
  fixed: "fixed",
  affected: "affected",
  will_not_fix: "will_not_fix",
  fix_deferred: "fix_deferred",
  end_of_life: "end_of_life",
  under_investigation: "under_investigation",
  not_affected: "not_affected",
  unknown: "unknown",
};

/** Result.Type → purl type, for the package types whose purl is simply "pkg:<type>/<name>@<version>". */
const PURL_TYPES: Record<string, string> = {
  npm: "npm",
  yarn: "npm",
  pnpm: "npm",
  "node-pkg": "npm",
  pip: "pypi",
  pipenv: "pypi",
  poetry: "pypi",
  uv: "pypi",
  "python-pkg": "pypi",
  bundler: "gem",
  gemspec: "gem",
  cargo: "cargo",
  "rust-binary": "cargo",
  gomod: "golang",
  gobinary: "golang",
  jar: "maven",
  pom: "maven",
  gradle: "maven",
  sbt: "maven",
  nuget: "nuget",
  "dotnet-core": "nuget",
  "packages-props": "nuget",
  composer: "composer",
  "composer-vendor": "composer",
};

const PYPI_SEPARATORS = /[-_.]+/g;

/** A purl for a language package when Trivy gave none, or undefined when it cannot be built simply. */
function purlFor(type: string | undefined, name: string, version: string | undefined): string | undefined {
  if (type === undefined || version === undefined) return undefined;
  const purlType = PURL_TYPES[type];
  if (purlType === undefined) return undefined;
  let path: string;
  if (purlType === "maven") {
    const colon = name.indexOf(":");
    if (colon <= 0 || name.indexOf(":", colon + 1) !== -1) return undefined;
    path = `${encodeURIComponent(name.slice(0, colon))}/${encodeURIComponent(name.slice(colon + 1))}`;
  } else if (purlType === "npm" || purlType === "composer" || purlType === "golang") {
    path = name.split("/").map(encodeURIComponent).join("/");
  } else if (purlType === "pypi") {
    path = encodeURIComponent(name.toLowerCase().replace(PYPI_SEPARATORS, "-"));
  } else {
    path = encodeURIComponent(name);
  }
  return `pkg:${purlType}/${path}@${encodeURIComponent(version)}`;
}

const OS_TARGET = /^(.+?) \([a-z][\w.-]* [^()]*\)$/i;

interface Ctx {
  b: ReportBuilder;
  f: JsonFields;
  p: JsonPath;
}

function pushScore(
  out: CvssScore[],
  version: string,
  score: number | undefined,
  vector: string | undefined,
  source: string,
): void {
  if (score === undefined) return;
  const entry: CvssScore = { version, baseScore: score, source };
  if (vector !== undefined) entry.vector = vector;
  out.push(entry);
}

/** "trivy:<vendor>" strings, made once per vendor rather than once per score. */
const SOURCES = new Map<string, string>();

function cvssOf(map: JsonObject, f: JsonFields, p: JsonPath): CvssScore[] {
  const out: CvssScore[] = [];
  for (const vendor in map) {
    const s = map[vendor];
    if (s === null || s === undefined) continue;
    p.push(vendor);
    const o = f.object(s, p);
    let source = SOURCES.get(vendor);
    if (source === undefined) {
      source = `trivy:${vendor}`;
      if (SOURCES.size < 256) SOURCES.set(vendor, source);
    }
    const v2Vector = f.optStr(o, "V2Vector", p);
    pushScore(out, "2.0", f.optNumeric(o, "V2Score", p), v2Vector, source);
    const v3Vector = f.optStr(o, "V3Vector", p);
    pushScore(out, cvssVersionOf(v3Vector, "3.1"), f.optNumeric(o, "V3Score", p), v3Vector, source);
    const v4Vector = f.optStr(o, "V40Vector", p);
    pushScore(out, "4.0", f.optNumeric(o, "V40Score", p), v4Vector, source);
    p.pop();
  }
  return out;
}

function vulnerability(
  ctx: Ctx,
  asset: string,
  v: JsonObject,
  type: string | undefined,
  target: string,
): void {
  const b = ctx.b;
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  const vulnId = f.str(v, "VulnerabilityID", p);
  const name = f.str(v, "PkgName", p);
  const version = f.optStr(v, "InstalledVersion", p);
  const fixedText = f.optStr(v, "FixedVersion", p);
  const fixed = fixedText === undefined ? undefined : splitList(fixedText);
  const statusText = f.optStr(v, "Status", p);
  let status: ReportStatus;
  let statusDetail: string | undefined;
  if (statusText === undefined) {
    status = fixed !== undefined && fixed.length > 0 ? "fixed" : "affected";
  } else {
    const known = STATUSES[statusText.toLowerCase()];
    status = known ?? "unknown";
    if (known === undefined) statusDetail = statusText;
  }
  const identifier = f.optObject(v, "PkgIdentifier", p);
  let purl: string | undefined;
  if (identifier !== undefined) {
    p.push("PkgIdentifier");
    purl = f.optStr(identifier, "PURL", p);
    p.pop();
  }
  purl ??= purlFor(type, name, version);
  const cvssMap = f.optObject(v, "CVSS", p);
  let cvss: CvssScore[] | undefined;
  if (cvssMap !== undefined) {
    p.push("CVSS");
    cvss = cvssOf(cvssMap, f, p);
    p.pop();
  }
  const vendorIds =
    v.VendorIDs === undefined || v.VendorIDs === null ? undefined : f.strList(v, "VendorIDs", p);
  b.finding({
    asset,
    vulnId,
    aliases: vendorIds,
    title: f.optStr(v, "Title", p),
    package: { name, version, purl, ecosystem: type },
    fixedVersions: fixed,
    severity: normaliseSeverity(f.optStr(v, "Severity", p)),
    cvss,
    locations: [f.optStr(v, "PkgPath", p) ?? target],
    status,
    statusDetail,
  });
}

function withLine(target: string, line: number | undefined): string {
  return line === undefined ? target : `${target}:${line}`;
}

function misconfiguration(ctx: Ctx, asset: string, m: JsonObject, target: string): void {
  const b = ctx.b;
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  const status = f.optStr(m, "Status", p);
  // Only failed checks are problems; PASS and EXCEPTION entries (--include-non-failures) are not.
  if (status !== undefined && status.toUpperCase() !== "FAIL") return;
  const id = f.optStr(m, "ID", p) ?? f.optStr(m, "AVDID", p);
  if (id === undefined) f.fail(p, "missing required field 'ID'", "ID");
  const cause = f.optObject(m, "CauseMetadata", p);
  let line: number | undefined;
  if (cause !== undefined) {
    p.push("CauseMetadata");
    line = f.optNumeric(cause, "StartLine", p);
    p.pop();
  }
  b.other({
    kind: "misconfiguration",
    asset,
    id,
    title: f.optStr(m, "Title", p),
    severity: normaliseSeverity(f.optStr(m, "Severity", p)),
    location: withLine(target, line),
  });
}

function secret(ctx: Ctx, asset: string, s: JsonObject, target: string): void {
  const b = ctx.b;
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  b.other({
    kind: "secret",
    asset,
    id: f.str(s, "RuleID", p),
    title: f.optStr(s, "Title", p),
    severity: normaliseSeverity(f.optStr(s, "Severity", p)),
    location: withLine(target, f.optNumeric(s, "StartLine", p)),
  });
}

function license(ctx: Ctx, asset: string, l: JsonObject, target: string): void {
  const b = ctx.b;
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  const name = f.str(l, "Name", p);
  const pkg = f.optStr(l, "PkgName", p);
  b.other({
    kind: "license",
    asset,
    id: name,
    title: pkg === undefined ? name : `${pkg}: ${name}`,
    severity: normaliseSeverity(f.optStr(l, "Severity", p)),
    location: f.optStr(l, "FilePath", p) ?? target,
  });
}

/** Walks one list member of a result (Vulnerabilities, Misconfigurations…), object by object. */
function each(ctx: Ctx, r: JsonObject, key: string, visit: (item: JsonObject) => void): void {
  const list = ctx.f.optArray(r, key, ctx.p);
  if (list.length === 0) return;
  ctx.p.push(key);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    ctx.p.push(i);
    visit(isObject(item) ? item : ctx.f.object(item, ctx.p));
    ctx.p.pop();
  }
  ctx.p.pop();
}

function result(ctx: Ctx, asset: string, r: JsonObject): void {
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  const target = f.optStr(r, "Target", p) ?? "";
  const type = f.optStr(r, "Type", p);
  each(ctx, r, "Vulnerabilities", (v) => vulnerability(ctx, asset, v, type, target));
  each(ctx, r, "Misconfigurations", (m) => misconfiguration(ctx, asset, m, target));
  each(ctx, r, "Secrets", (s) => secret(ctx, asset, s, target));
  each(ctx, r, "Licenses", (l) => license(ctx, asset, l, target));
  each(ctx, r, "Packages", (pkg) => {
    const name = f.optStr(pkg, "Name", p);
    if (name === undefined) return;
    const version = f.optStr(pkg, "Version", p);
    const identifier = f.optObject(pkg, "Identifier", p);
    let purl: string | undefined;
    if (identifier !== undefined) {
      p.push("Identifier");
      purl = f.optStr(identifier, "PURL", p);
      p.pop();
    }
    ctx.b.component(asset, {
      product: name,
      ...(version !== undefined ? { version } : {}),
      ...(purl !== undefined ? { purl } : {}),
    });
  });
}

function results(ctx: Ctx, list: readonly unknown[], assetFor: (r: JsonObject) => string): void {
  for (let i = 0; i < list.length; i++) {
    ctx.p.push(i);
    const r = ctx.f.object(list[i], ctx.p);
    result(ctx, assetFor(r), r);
    ctx.p.pop();
  }
}

function registerAsset(ctx: Ctx, fields: AssetFields, key?: string): string {
  const asset = ctx.b.asset(fields);
  if (asset === undefined) ctx.f.fail(ctx.p, "nothing identifies the scanned artifact", key);
  return asset;
}

/** Results without an ArtifactName (legacy layout): the OS target names the image. */
function targetsAsAssets(ctx: Ctx, list: readonly unknown[]): (r: JsonObject) => string {
  let image: string | undefined;
  for (let i = 0; i < list.length && image === undefined; i++) {
    const r = list[i];
    if (!isObject(r) || typeof r.Target !== "string") continue;
    image = OS_TARGET.exec(r.Target.trim())?.[1];
  }
  if (image !== undefined) {
    const asset = registerAsset(ctx, { image });
    return () => asset;
  }
  // Register every target up front so the report lists them even when they have no findings.
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (isObject(r) && typeof r.Target === "string" && r.Target.trim() !== "") {
      ctx.b.asset({ artifact: r.Target });
    }
  }
  return (r) => {
    const target = ctx.f.optStr(r, "Target", ctx.p);
    if (target === undefined) return ctx.f.fail(ctx.p, "missing required field 'Target'", "Target");
    return registerAsset(ctx, { artifact: target }, "Target");
  };
}

function artifactAsset(ctx: Ctx, root: JsonObject, name: string, type: string | undefined): string {
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  if (type === "container_image") {
    const meta = f.optObject(root, "Metadata", p);
    let tags: string[] = [];
    let digests: string[] = [];
    let imageId: string | undefined;
    if (meta !== undefined) {
      p.push("Metadata");
      tags = f.strList(meta, "RepoTags", p);
      digests = f.strList(meta, "RepoDigests", p);
      imageId = f.optStr(meta, "ImageID", p);
      p.pop();
    }
    return registerAsset(ctx, imageAsset(name, tags, digests, imageId), "ArtifactName");
  }
  if (type === "repository") return registerAsset(ctx, { repository: name }, "ArtifactName");
  return registerAsset(ctx, { artifact: name }, "ArtifactName");
}

function kubernetes(ctx: Ctx, root: JsonObject): void {
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  const cluster = f.str(root, "ClusterName", p);
  for (const key of ["Resources", "Vulnerabilities", "Misconfigurations"]) {
    const resources = f.optArray(root, key, p);
    p.push(key);
    for (let i = 0; i < resources.length; i++) {
      p.push(i);
      const res = f.object(resources[i], p);
      const namespace = f.optStr(res, "Namespace", p) ?? "";
      const workload = `${cluster}/${namespace}/${f.str(res, "Kind", p)}/${f.str(res, "Name", p)}`;
      const asset = registerAsset(ctx, { workload });
      const list = f.optArray(res, "Results", p);
      p.push("Results");
      results(ctx, list, () => asset);
      p.pop();
      p.pop();
    }
    p.pop();
  }
}

/**
 * Reads a parsed Trivy JSON document into a ScanReport. Pure: no disk access, so a worker holding the
 * text can call it. `file` names the document in errors.
 */
export function trivyReportFromJson(json: unknown, file: string): ScanReport {
  const f: JsonFields = new JsonFields(file);
  const p: JsonPath = new JsonPath();
  const b = new ReportBuilder(TRIVY_SCANNER);
  const ctx: Ctx = { b, f, p };
  if (Array.isArray(json)) {
    results(ctx, json, targetsAsAssets(ctx, json));
    return b.build();
  }
  const root = f.object(json, p, "a Trivy report (an object or an array of results)");
  const trivy = f.optObject(root, "Trivy", p);
  let scannerVersion: string | undefined;
  if (trivy !== undefined) {
    p.push("Trivy");
    scannerVersion = f.optStr(trivy, "Version", p);
    p.pop();
  }
  const created = f.optStr(root, "CreatedAt", p);
  const reportTime = created === undefined ? undefined : utcOrFail(created, f, p);
  if (root.ClusterName !== undefined && root.ArtifactName === undefined) {
    kubernetes(ctx, root);
    return b.build({ scannerVersion, reportTime, scope: "k8s" });
  }
  if (root.SchemaVersion === undefined && root.ArtifactName === undefined && root.Results === undefined) {
    f.fail(p, "not a Trivy report: no SchemaVersion, ArtifactName, Results or ClusterName");
  }
  const schema = f.optNumeric(root, "SchemaVersion", p);
  if (schema !== undefined && schema !== 2)
    f.fail(p, `unsupported Trivy SchemaVersion ${schema}`, "SchemaVersion");
  const list = f.optArray(root, "Results", p);
  const name = f.optStr(root, "ArtifactName", p);
  const type = f.optStr(root, "ArtifactType", p);
  const assetFor =
    name === undefined
      ? targetsAsAssets(ctx, list)
      : (
          (asset: string) => () =>
            asset
        )(artifactAsset(ctx, root, name, type));
  p.push("Results");
  results(ctx, list, assetFor);
  p.pop();
  return b.build({ scannerVersion, reportTime, scope: type });
}

function utcOrFail(text: string, f: JsonFields, p: JsonPath): string {
  const instant = utcInstant(text);
  if (instant === null) f.fail(p, `'CreatedAt' is not a date-time: ${JSON.stringify(text)}`, "CreatedAt");
  return instant;
}

export async function parseTrivy(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  return { kind: "scan", report: trivyReportFromJson(json, input.displayName) };
}

const SCHEMA_2 = /"SchemaVersion"\s*:\s*2\b/;
const ARTIFACT = /"ArtifactName"\s*:\s*"/;
const RESULTS_TARGET = /"Results"\s*:\s*\[\s*\{\s*"Target"\s*:/;
const CLUSTER = /^\{\s*"ClusterName"\s*:\s*"/;
const K8S_LISTS = /"(?:Resources|Vulnerabilities|Misconfigurations)"\s*:\s*(?:\[|null)/;
const LEGACY = /^\[\s*\{\s*"Target"\s*:\s*"[^"]*"\s*,\s*"(?:Type|Class|Vulnerabilities)"\s*:/;

/** Tells a Trivy JSON report from the first 64 KB of text. */
export function looksLikeTrivy(head: string): boolean {
  const text = head.trimStart();
  if (text.startsWith("[")) return LEGACY.test(text);
  if (!text.startsWith("{")) return false;
  if (SCHEMA_2.test(text) && (ARTIFACT.test(text) || RESULTS_TARGET.test(text))) return true;
  return CLUSTER.test(text) && K8S_LISTS.test(text);
}
