/**
 * Grype JSON reports (`grype <target> -o json`), from the 0.7 layout (no `fix` block, cvssV2/cvssV3
 * objects) to current releases (cvss[] list, fix.state, EPSS).
 *
 * Asset: source.target: an image (userInput, its tags, and the digest from repoDigests, manifestDigest
 * or imageID), or a directory/file path as an artifact. Every match is a finding: asset × vulnerability
 * × package@version. When the match id is not a CVE (a GHSA or distro id) and its related
 * vulnerabilities name CVEs, each CVE gives the finding its id and the match id becomes an alias.
 */
import { type AssetFields, isCveId, normaliseSeverity, ReportBuilder } from "../../core/scan/builder.js";
import type { ReportStatus, ScanFinding, ScanReport } from "../../core/scan/types.js";
import type { CvssScore } from "../../core/types.js";
import { isObject, JsonFields, type JsonObject, JsonPath, NONE, readJson, utcInstant } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import { cvssVersionOf, imageAsset } from "./scanner-util.js";

export const GRYPE_SCANNER = "grype";

const FIXED = { status: "fixed" } as const;
const AFFECTED = { status: "affected" } as const;
const WONT_FIX = { status: "will_not_fix" } as const;

/** Grype's fix.state in the common vocabulary; an unknown state is decided by whether a fix is named. */
function fixStatus(state: string | undefined, hasFix: boolean): { status: ReportStatus; detail?: string } {
  switch (state) {
    case "fixed":
      return FIXED;
    case "not-fixed":
      return AFFECTED;
    case "wont-fix":
      return WONT_FIX;
    case undefined:
    case "unknown":
      return hasFix ? FIXED : AFFECTED;
    default:
      return { status: hasFix ? "fixed" : "affected", detail: state };
  }
}

const LEGACY_CVSS = [
  ["cvssV2", "2.0"],
  ["cvssV3", "3.1"],
] as const;

/** Reads `cvss: [{source?, version, vector, metrics: {baseScore}}]` (and the 0.7 cvssV2/cvssV3 objects). */
function addCvss(out: CvssScore[], v: JsonObject, fallbackSource: string, f: JsonFields, p: JsonPath): void {
  const list = f.optArray(v, "cvss", p);
  if (list.length > 0) {
    p.push("cvss");
    for (let i = 0; i < list.length; i++) {
      p.push(i);
      const c = f.object(list[i], p);
      const metrics = f.optObject(c, "metrics", p);
      let score: number | undefined;
      if (metrics !== undefined) {
        p.push("metrics");
        score = f.optNumeric(metrics, "baseScore", p);
        p.pop();
      }
      if (score !== undefined) {
        const vector = f.optStr(c, "vector", p);
        const source = f.optStr(c, "source", p);
        const entry: CvssScore = {
          version: f.optStr(c, "version", p) ?? cvssVersionOf(vector, "3.1"),
          baseScore: score,
          source: source === undefined ? fallbackSource : `grype:${source}`,
        };
        if (vector !== undefined) entry.vector = vector;
        if (!out.some((o) => o.source === entry.source && o.version === entry.version)) out.push(entry);
      }
      p.pop();
    }
    p.pop();
  }
  for (const [key, fallback] of LEGACY_CVSS) {
    const c = f.optObject(v, key, p);
    if (c === undefined) continue;
    p.push(key);
    const score = f.optNumeric(c, "baseScore", p);
    if (score !== undefined) {
      const vector = f.optStr(c, "vector", p);
      const entry: CvssScore = {
        version: cvssVersionOf(vector, fallback),
        baseScore: score,
        source: fallbackSource,
      };
      if (vector !== undefined) entry.vector = vector;
      out.push(entry);
    }
    p.pop();
  }
}

interface EpssEntry {
  cve: string | undefined;
  value: NonNullable<ScanFinding["epss"]>;
}

function readEpss(v: JsonObject, f: JsonFields, p: JsonPath): EpssEntry[] | undefined {
  const list = f.optArray(v, "epss", p);
  if (list.length === 0) return undefined;
  const out: EpssEntry[] = [];
  p.push("epss");
  for (let i = 0; i < list.length; i++) {
    p.push(i);
    const e = f.object(list[i], p);
    const score = f.optNumeric(e, "epss", p);
    if (score !== undefined) {
      const percentile = f.optNumeric(e, "percentile", p);
      out.push({
        cve: f.optStr(e, "cve", p)?.toUpperCase(),
        value: percentile === undefined ? { score } : { score, percentile },
      });
    }
    p.pop();
  }
  p.pop();
  return out;
}

/** The EPSS entry for `cve`, else the first one. */
function epssFor(list: EpssEntry[] | undefined, cve: string): ScanFinding["epss"] | undefined {
  if (list === undefined) return undefined;
  for (const e of list) if (e.cve === cve) return e.value;
  return list[0]?.value;
}

function match(b: ReportBuilder, asset: string, m: JsonObject, f: JsonFields, p: JsonPath): void {
  p.push("vulnerability");
  const v = f.object(m.vulnerability, p);
  const id = f.str(v, "id", p);
  const namespace = f.optStr(v, "namespace", p);
  const severity = normaliseSeverity(f.optStr(v, "severity", p));
  const fix = f.optObject(v, "fix", p);
  let fixed: string[] = [];
  let state: string | undefined;
  if (fix !== undefined) {
    p.push("fix");
    fixed = f.strList(fix, "versions", p);
    state = f.optStr(fix, "state", p);
    p.pop();
  } else {
    const legacy = f.optStr(v, "fixedInVersion", p);
    if (legacy !== undefined) fixed = [legacy];
  }
  const cvss: CvssScore[] = [];
  addCvss(cvss, v, namespace === undefined ? GRYPE_SCANNER : `grype:${namespace}`, f, p);
  const epss = readEpss(v, f, p);
  p.pop();

  const related = f.optArray(m, "relatedVulnerabilities", p);
  let cves: string[] | undefined;
  const aliases: string[] = [];
  if (related.length > 0) {
    p.push("relatedVulnerabilities");
    for (let i = 0; i < related.length; i++) {
      p.push(i);
      const r = f.object(related[i], p);
      const relatedId = f.str(r, "id", p);
      if (relatedId !== id) {
        if (!isCveId(id) && isCveId(relatedId)) {
          cves ??= [];
          cves.push(relatedId.toUpperCase());
        } else {
          aliases.push(relatedId);
        }
        const relatedNs = f.optStr(r, "namespace", p);
        addCvss(cvss, r, relatedNs === undefined ? GRYPE_SCANNER : `grype:${relatedNs}`, f, p);
      }
      p.pop();
    }
    p.pop();
  }

  p.push("artifact");
  const artifact = f.object(m.artifact, p);
  const name = f.str(artifact, "name", p);
  const version = f.optStr(artifact, "version", p);
  const pkg = {
    name,
    version,
    purl: f.optStr(artifact, "purl", p),
    ecosystem: f.optStr(artifact, "type", p),
  };
  const locationList = f.optArray(artifact, "locations", p);
  let locations: readonly string[] = NONE;
  if (locationList.length > 0) {
    const paths: string[] = [];
    locations = paths;
    p.push("locations");
    for (let i = 0; i < locationList.length; i++) {
      const l = locationList[i];
      if (!isObject(l)) {
        p.push(i);
        f.object(l, p);
      } else {
        const path =
          typeof l.path === "string" ? l.path : typeof l.realPath === "string" ? l.realPath : undefined;
        if (path !== undefined && path !== "") paths.push(path);
      }
    }
    p.pop();
  }
  p.pop();

  const { status, detail } = fixStatus(state, fixed.length > 0);
  const vulnIds = cves ?? [id];
  if (cves !== undefined) aliases.unshift(id);
  for (const vulnId of vulnIds) {
    b.finding({
      asset,
      vulnId,
      aliases,
      package: pkg,
      fixedVersions: fixed,
      severity,
      cvss,
      epss: epssFor(epss, vulnId),
      locations,
      status,
      statusDetail: detail,
    });
  }
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).trim() : text;
}

function sourceAsset(
  source: JsonObject,
  f: JsonFields,
  p: JsonPath,
): { fields: AssetFields; scope?: string } {
  const type = f.optStr(source, "type", p);
  const target = source.target;
  if (typeof target === "string") {
    const path = unquote(target.trim());
    if (path === "") f.fail(p, "'target' is empty", "target");
    return { fields: type === "image" ? { image: path } : { artifact: path }, scope: type };
  }
  p.push("target");
  const t = f.object(target, p, "a string or an object");
  let fields: AssetFields;
  const input = f.optStr(t, "userInput", p);
  if (type === "image" || t.imageID !== undefined || t.manifestDigest !== undefined) {
    const tags = f.strList(t, "tags", p);
    const name = input ?? tags[0];
    if (name === undefined) f.fail(p, "missing required field 'userInput'", "userInput");
    const digests = f.strList(t, "repoDigests", p);
    const manifest = f.optStr(t, "manifestDigest", p);
    if (manifest !== undefined) digests.push(manifest);
    fields = imageAsset(name, tags, digests, f.optStr(t, "imageID", p));
  } else {
    const path = input ?? f.optStr(t, "path", p) ?? f.optStr(t, "name", p);
    if (path === undefined) f.fail(p, "nothing identifies the scanned target");
    fields = { artifact: unquote(path) };
  }
  p.pop();
  return { fields, scope: type };
}

/**
 * Reads a parsed Grype JSON document into a ScanReport. Pure: no disk access, so a worker holding the
 * text can call it. `file` names the document in errors.
 */
export function grypeReportFromJson(json: unknown, file: string): ScanReport {
  const f: JsonFields = new JsonFields(file);
  const p: JsonPath = new JsonPath();
  const root = f.object(json, p, "a Grype report object");
  if (!Array.isArray(root.matches)) {
    f.fail(
      p,
      root.matches === undefined ? "not a Grype report: missing 'matches'" : "expected an array",
      "matches",
    );
  }
  const b = new ReportBuilder(GRYPE_SCANNER);
  p.push("source");
  const source = f.object(root.source, p, "the scanned source (an object)");
  const { fields, scope } = sourceAsset(source, f, p);
  p.pop();
  const asset = b.asset(fields);
  if (asset === undefined) f.fail(p, "nothing identifies the scanned target", "source");
  const descriptor = f.optObject(root, "descriptor", p);
  let scannerVersion: string | undefined;
  let reportTime: string | undefined;
  if (descriptor !== undefined) {
    p.push("descriptor");
    scannerVersion = f.optStr(descriptor, "version", p);
    const timestamp = f.optStr(descriptor, "timestamp", p);
    if (timestamp !== undefined) {
      const instant = utcInstant(timestamp);
      if (instant === null) f.fail(p, `not a date-time: ${JSON.stringify(timestamp)}`, "timestamp");
      reportTime = instant;
    }
    p.pop();
  }
  const matches = root.matches as unknown[];
  p.push("matches");
  for (let i = 0; i < matches.length; i++) {
    p.push(i);
    match(b, asset, f.object(matches[i], p), f, p);
    p.pop();
  }
  p.pop();
  return b.build({ scannerVersion, reportTime, scope });
}

export async function parseGrype(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  return { kind: "scan", report: grypeReportFromJson(json, input.displayName) };
}

const MATCHES = /^\{\s*"matches"\s*:\s*\[/;
const MATCH_PARTS = /"(?:matchDetails|relatedVulnerabilities)"\s*:/;
const DESCRIPTOR = /"descriptor"\s*:\s*\{\s*"name"\s*:\s*"grype"/;

/** Tells a Grype JSON report from the first 64 KB of text. */
export function looksLikeGrype(head: string): boolean {
  const text = head.trimStart();
  if (DESCRIPTOR.test(text) && /"matches"\s*:\s*\[/.test(text)) return true;
  return MATCHES.test(text) && MATCH_PARTS.test(text);
}
