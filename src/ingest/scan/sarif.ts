/**
 * SARIF 2.1.0 logs. SARIF carries results of very different tools, so each result is sorted by what
 * it is:
 * - software-composition results (Trivy, Grype, OWASP dependency-check, osv-scanner SARIF, or any
 *   rule whose id is a CVE/GHSA id or that is tagged "vulnerability") are findings: the CVE/GHSA id
 *   at the start of the rule id is the vulnerability ("CVE-2008-0732-geronimo-jms" → CVE-2008-0732),
 *   other rule ids become "sarif:<tool>:<rule id>"; package, installed and fixed version come from
 *   the "Package: / Installed Version: / Fixed Version:" lines Trivy and Grype write into the message
 *   or the rule's help text;
 * - rules tagged misconfiguration/secret/license (Trivy) and every result of a secret scanner
 *   (Gitleaks, TruffleHog, detect-secrets) are those other kinds;
 * - everything else (CodeQL, Semgrep, compilers: code weaknesses) is other kind "code";
 * - SCA results that name no CVE/GHSA and whose severity works out to "info" (level "none",
 *   security-severity 0), and results of kind "informational", are "informational" other items.
 *
 * Suppressions: a result with a suppression whose status is "accepted" or absent (SARIF: absent means
 * accepted; the Appendix K draft calls the property "state") is suppressed. A suppressed finding is
 * recorded with status not_affected and statusDetail naming the suppression kind and justification,
 * so the decision is visible and a later scan without the suppression reopens it. A suppressed other
 * item is left out, as other items carry no status. A suppression "underReview" makes a finding
 * under_investigation; "rejected" suppressions are ignored.
 *
 * Asset, one per run: a container image the run's properties name (Trivy: imageName/repoTags/
 * repoDigests/imageID); else versionControlProvenance[0].repositoryUri as the repository; else the first
 * absolute originalUriBaseIds URI as the artifact; else the first artifact's location (run.artifacts,
 * then the first result's location). The last two fallbacks depend on what was found, so re-scans of
 * such logs may not name the same asset; tools that state their target do.
 *
 * report.scanner is "sarif:<driver name, lower-cased>" (several tools: joined with "+").
 */
import {
  type AssetFields,
  isCveId,
  normaliseSeverity,
  pluginVulnId,
  ReportBuilder,
  severityFromScore,
} from "../../core/scan/builder.js";
import type { OtherKind, ReportStatus, ScanReport, Severity } from "../../core/scan/types.js";
import type { CvssScore } from "../../core/types.js";
import { isObject, JsonFields, type JsonObject, JsonPath, kindOf, readJson, utcInstant } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import { cvssVersionOf, imageAsset, splitList } from "./scanner-util.js";

const SCA_TOOLS = [
  "trivy",
  "grype",
  "dependency-check",
  "dependency check",
  "osv-scanner",
  "snyk",
  "anchore",
];
const SECRET_TOOLS = ["gitleaks", "trufflehog", "detect-secrets", "ggshield", "secretlint"];

const LEADING_ID = /^(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})/i;
const PACKAGE = /^Package:[ \t]*(.*)$/m;
const INSTALLED = /^Installed Version:[ \t]*(.*)$/m;
const VERSION = /^Version:[ \t]*(.*)$/m;
const FIXED = /^Fix(?:ed)? Versions?:[ \t]*(.*)$/m;
const TYPE = /^Type:[ \t]*(.*)$/m;
const SEVERITY_LINE = /^Severity:[ \t]*(\w+)/m;
const REPORTS = /reports (\S+) at version (\S+)/;
const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:/i;
const PLACEHOLDER = /\{(\d+)\}/g;

interface Rule {
  id?: string;
  tags: string[];
  props?: JsonObject;
  level?: string;
  shortText?: string;
  helpText?: string;
  name?: string;
  messageStrings?: JsonObject;
}

interface RunCtx {
  b: ReportBuilder;
  f: JsonFields;
  p: JsonPath;
  scanner: string;
  sca: boolean;
  secrets: boolean;
  asset?: string;
  rulesById: Map<string, Rule>;
  components: Rule[][];
}

function textOf(o: JsonObject | undefined, key: string): string | undefined {
  const m = o?.[key];
  if (!isObject(m)) return undefined;
  const text = typeof m.text === "string" ? m.text : typeof m.markdown === "string" ? m.markdown : undefined;
  return text?.trim() || undefined;
}

function readRules(list: readonly unknown[], f: JsonFields, p: JsonPath): Rule[] {
  const rules: Rule[] = [];
  for (let i = 0; i < list.length; i++) {
    p.push(i);
    const r = f.object(list[i], p);
    const props = f.optObject(r, "properties", p);
    let tags: string[] = [];
    if (props !== undefined) {
      p.push("properties");
      tags = f.strList(props, "tags", p).map((t) => t.toLowerCase());
      p.pop();
    }
    const config = f.optObject(r, "defaultConfiguration", p);
    const rule: Rule = { tags };
    const id = f.optStr(r, "id", p);
    if (id !== undefined) rule.id = id;
    if (props !== undefined) rule.props = props;
    if (config !== undefined && typeof config.level === "string") rule.level = config.level;
    const shortText = textOf(r, "shortDescription") ?? textOf(r, "fullDescription");
    if (shortText !== undefined) rule.shortText = shortText;
    const helpText = textOf(r, "help");
    if (helpText !== undefined) rule.helpText = helpText;
    const name = f.optStr(r, "name", p);
    if (name !== undefined) rule.name = name;
    const strings = f.optObject(r, "messageStrings", p);
    if (strings !== undefined) rule.messageStrings = strings;
    rules.push(rule);
    p.pop();
  }
  return rules;
}

function basename(uri: string): string {
  const trimmed = uri.replace(/[/\\]+$/, "");
  const slash = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  return slash === -1 ? trimmed : trimmed.slice(slash + 1);
}

function lineValue(re: RegExp, ...texts: (string | undefined)[]): string | undefined {
  for (const text of texts) {
    if (text === undefined) continue;
    const value = re.exec(text)?.[1]?.trim();
    if (value) return value;
  }
  return undefined;
}

function levelSeverity(level: string | undefined): Severity {
  switch (level) {
    case "error":
      return "high";
    case "warning":
      return "medium";
    case "note":
    case "recommendation":
      return "low";
    case "none":
      return "info";
    default:
      return "unknown";
  }
}

function securitySeverity(props: (JsonObject | undefined)[]): Severity | undefined {
  for (const o of props) {
    const raw = o?.["security-severity"];
    const score = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : Number.NaN;
    if (raw !== undefined && raw !== "" && Number.isFinite(score)) return severityFromScore(score);
  }
  return undefined;
}

const SEVERITY_TAGS = new Set(["critical", "high", "medium", "low"]);

function cvssFromProps(props: JsonObject, source: string): CvssScore[] {
  const out: CvssScore[] = [];
  const num = (key: string): number | undefined => {
    const v = props[key];
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
    return Number.isFinite(n) ? n : undefined;
  };
  const str = (key: string): string | undefined => {
    const v = props[key];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  const v2 = num("cvssv2_score") ?? num("cvssv2_baseScore");
  if (v2 !== undefined) {
    const entry: CvssScore = { version: str("cvssv2_version") ?? "2.0", baseScore: v2, source };
    const vector = str("cvssv2_vector");
    if (vector !== undefined) entry.vector = vector;
    const severity = str("cvssv2_severity");
    if (severity !== undefined) entry.severity = severity;
    out.push(entry);
  }
  const v3 = num("cvssv3_baseScore") ?? num("cvssv3_score");
  if (v3 !== undefined) {
    const vector = str("cvssv3_vector");
    const entry: CvssScore = {
      version: str("cvssv3_version") ?? cvssVersionOf(vector, "3.1"),
      baseScore: v3,
      source,
    };
    if (vector !== undefined) entry.vector = vector;
    const severity = str("cvssv3_baseSeverity") ?? str("cvssv3_severity");
    if (severity !== undefined) entry.severity = severity;
    out.push(entry);
  }
  return out;
}

/** The result's message, with {0}-style arguments filled from the rule's messageStrings. */
function messageText(result: JsonObject, rule: Rule | undefined): string | undefined {
  const m = result.message;
  if (!isObject(m)) return undefined;
  if (typeof m.text === "string" && m.text.trim() !== "") return m.text.trim();
  if (typeof m.id === "string" && rule?.messageStrings) {
    const template = textOf(rule.messageStrings, m.id);
    const args = Array.isArray(m.arguments) ? m.arguments : [];
    return template?.replace(PLACEHOLDER, (_, n: string) => String(args[Number(n)] ?? ""));
  }
  return undefined;
}

interface Place {
  uri?: string;
  line?: number;
}

function firstLocation(result: JsonObject, f: JsonFields, p: JsonPath): Place {
  const list = f.optArray(result, "locations", p);
  const first = list[0];
  if (first === undefined) return {};
  p.push("locations");
  p.push(0);
  const loc = f.object(first, p);
  const place: Place = {};
  const physical = f.optObject(loc, "physicalLocation", p);
  if (physical !== undefined) {
    p.push("physicalLocation");
    const artifact = f.optObject(physical, "artifactLocation", p);
    if (artifact !== undefined) {
      p.push("artifactLocation");
      const uri = f.optStr(artifact, "uri", p);
      if (uri !== undefined) place.uri = uri;
      p.pop();
    }
    const region = f.optObject(physical, "region", p);
    if (region !== undefined) {
      p.push("region");
      const line = f.optNumeric(region, "startLine", p);
      if (line !== undefined) place.line = line;
      p.pop();
    }
    p.pop();
  }
  if (place.uri === undefined) {
    const logical = f.optArray(loc, "logicalLocations", p)[0];
    if (isObject(logical)) {
      const name = logical.fullyQualifiedName ?? logical.name;
      if (typeof name === "string" && name.trim() !== "") place.uri = name.trim();
    }
  }
  p.pop();
  p.pop();
  return place;
}

type Suppression = { state: "suppressed" | "review"; detail: string } | undefined;

function suppressionOf(result: JsonObject, f: JsonFields, p: JsonPath): Suppression {
  const list = f.optArray(result, "suppressions", p);
  let review: Suppression;
  for (let i = 0; i < list.length; i++) {
    p.push("suppressions");
    p.push(i);
    const s = f.object(list[i], p);
    const status = (f.optStr(s, "status", p) ?? f.optStr(s, "state", p))?.toLowerCase();
    const kind = f.optStr(s, "kind", p) ?? "unspecified";
    const justification = f.optStr(s, "justification", p);
    p.pop();
    p.pop();
    const detail = `${kind}${justification === undefined ? "" : `: ${justification}`}`;
    if (status === undefined || status === "accepted")
      return { state: "suppressed", detail: `suppressed (${detail})` };
    if (status === "underreview")
      review ??= { state: "review", detail: `suppression under review (${detail})` };
  }
  return review;
}

function ruleFor(ctx: RunCtx, result: JsonObject, ruleId: string | undefined): Rule | undefined {
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  const ref = f.optObject(result, "rule", p);
  let index = f.optNumeric(result, "ruleIndex", p);
  let component = -1;
  if (ref !== undefined) {
    p.push("rule");
    index ??= f.optNumeric(ref, "index", p);
    const tc = f.optObject(ref, "toolComponent", p);
    if (tc !== undefined) {
      p.push("toolComponent");
      component = f.optNumeric(tc, "index", p) ?? -1;
      p.pop();
    }
    p.pop();
  }
  const rules = component >= 0 ? ctx.components[component + 1] : ctx.components[0];
  if (index !== undefined && index >= 0 && rules !== undefined) {
    const rule = rules[index];
    if (rule !== undefined) return rule;
  }
  return ruleId === undefined ? undefined : ctx.rulesById.get(ruleId);
}

function classify(
  ctx: RunCtx,
  rule: Rule | undefined,
  tags: string[],
  vulnLike: boolean,
): OtherKind | "finding" {
  if (tags.includes("misconfiguration") || rule?.name === "Misconfiguration") return "misconfiguration";
  if (tags.includes("secret") || rule?.name === "Secret") return "secret";
  if (tags.includes("license") || rule?.name === "License") return "license";
  if (ctx.secrets) return "secret";
  if (vulnLike || ctx.sca || tags.includes("vulnerability")) return "finding";
  return "code";
}

function result(ctx: RunCtx, r: JsonObject): void {
  const b = ctx.b;
  const f: JsonFields = ctx.f;
  const p: JsonPath = ctx.p;
  const kind = f.optStr(r, "kind", p);
  // "pass" and "notApplicable" are checks that found nothing.
  if (kind === "pass" || kind === "notApplicable") return;
  let ruleId = f.optStr(r, "ruleId", p);
  const rule = ruleFor(ctx, r, ruleId);
  ruleId ??= rule?.id;
  const message = messageText(r, rule);
  if (ruleId === undefined && message !== undefined) {
    // Gitleaks 7 writes no ruleId: its message starts with the rule's id ("AWS Access Key secret detected").
    for (const id of ctx.rulesById.keys()) {
      if (message.startsWith(id) && id.length > (ruleId?.length ?? 0)) ruleId = id;
    }
    ruleId ??= message;
  }
  if (ruleId === undefined) f.fail(p, "the result names no rule (no ruleId, rule or message)");
  const props = f.optObject(r, "properties", p);
  const tags =
    props !== undefined && Array.isArray(props.tags) ? [...(rule?.tags ?? [])] : (rule?.tags ?? []);
  if (props !== undefined && Array.isArray(props.tags)) {
    for (const t of props.tags) if (typeof t === "string") tags.push(t.toLowerCase());
  }
  const leading = LEADING_ID.exec(ruleId)?.[1];
  const what = classify(ctx, rule, tags, leading !== undefined);
  const place = firstLocation(r, f, p);
  const level = f.optStr(r, "level", p) ?? rule?.level;
  const suppression = suppressionOf(r, f, p);
  const asset = ctx.asset ?? ctx.b.asset({ artifact: place.uri ?? f.file });
  if (asset === undefined) f.fail(p, "nothing identifies the scanned artifact");
  ctx.asset = asset;

  if (what !== "finding") {
    if (suppression?.state === "suppressed") return;
    let severity = securitySeverity([props, rule?.props]);
    const tag = tags.find((t) => SEVERITY_TAGS.has(t));
    if (severity === undefined && tag !== undefined) severity = normaliseSeverity(tag);
    if (severity === undefined) {
      const problem = rule?.props?.["problem.severity"];
      severity = levelSeverity(level ?? (typeof problem === "string" ? problem : undefined) ?? "warning");
    }
    const location =
      place.uri === undefined
        ? undefined
        : place.line === undefined
          ? place.uri
          : `${place.uri}:${place.line}`;
    b.other({
      kind: kind === "informational" && what === "code" ? "informational" : what,
      asset,
      id: ruleId,
      title: rule?.shortText ?? message,
      severity,
      location,
    });
    return;
  }

  // Package and versions: Trivy and Grype write "Package: …" lines into the message or the help text.
  const help = rule?.helpText;
  let name = lineValue(PACKAGE, message, help);
  let version = lineValue(INSTALLED, message) ?? lineValue(VERSION, message, help);
  if (name === undefined && message !== undefined) {
    const m = REPORTS.exec(message);
    if (m?.[1] !== undefined) {
      name = m[1];
      version ??= m[2];
    }
  }
  const fixedText = lineValue(FIXED, message, help);
  const fixed = fixedText === undefined ? [] : splitList(fixedText);

  const cvss: CvssScore[] = [];
  const sourceOf = (o: JsonObject): string =>
    typeof o.source === "string" && o.source.trim() !== ""
      ? `${ctx.scanner}:${o.source.trim().toLowerCase()}`
      : ctx.scanner;
  if (rule?.props !== undefined) cvss.push(...cvssFromProps(rule.props, sourceOf(rule.props)));
  if (props !== undefined) {
    for (const c of cvssFromProps(props, sourceOf(props))) {
      const same = cvss.findIndex((o) => o.version === c.version && o.source === c.source);
      if (same === -1) cvss.push(c);
      else cvss[same] = c;
    }
  }

  // Severity: the score GitHub code scanning reads, else the tool's own word, else the CVSS, else the level.
  let severity = securitySeverity([props, rule?.props]);
  if (severity === undefined) {
    const tag = tags.find((t) => SEVERITY_TAGS.has(t));
    const word =
      tag ??
      (typeof props?.severity === "string" ? props.severity : undefined) ??
      (typeof rule?.props?.severity === "string" ? rule.props.severity : undefined) ??
      lineValue(SEVERITY_LINE, message, help);
    const fromWord = word === undefined ? "unknown" : normaliseSeverity(word);
    if (fromWord !== "unknown") severity = fromWord;
  }
  if (severity === undefined && cvss.length > 0) {
    const best = cvss.find((c) => c.version !== "2.0") ?? cvss[0];
    if (best !== undefined) severity = severityFromScore(best.baseScore);
  }
  severity ??= levelSeverity(level ?? "warning");
  // A result that names no CVE/GHSA and says it is informational is not a vulnerability. A named
  // vulnerability scored 0 stays a finding of unknown severity (Trivy writes 0.0 for UNKNOWN).
  if (kind === "informational" || (severity === "info" && leading === undefined)) {
    if (suppression?.state !== "suppressed") {
      b.other({
        kind: "informational",
        asset,
        id: ruleId,
        title: rule?.shortText ?? message,
        severity: "info",
        location: place.uri,
      });
    }
    return;
  }
  if (severity === "info") severity = "unknown";

  let status: ReportStatus = fixed.length > 0 ? "fixed" : "affected";
  let statusDetail: string | undefined;
  if (suppression !== undefined) {
    status = suppression.state === "suppressed" ? "not_affected" : "under_investigation";
    statusDetail = suppression.detail;
  }
  const vulnId =
    leading !== undefined ? leading : isCveId(ruleId) ? ruleId : pluginVulnId(ctx.scanner, ruleId);
  const ecosystem = lineValue(TYPE, message, help);
  // A tool that names no package (dependency-check) names the vulnerable file: that file is the component.
  if (name === undefined && place.uri !== undefined) name = basename(place.uri);
  b.finding({
    asset,
    vulnId,
    title: rule?.shortText ?? message,
    ...(name !== undefined ? { package: { name, version, ecosystem } } : {}),
    plugin: ruleId,
    fixedVersions: fixed,
    severity,
    cvss,
    locations: place.uri === undefined ? [] : [place.uri],
    status,
    statusDetail,
  });
}

function runAsset(
  run: JsonObject,
  results: readonly unknown[],
  f: JsonFields,
  p: JsonPath,
): AssetFields | undefined {
  const props = f.optObject(run, "properties", p);
  if (props !== undefined && typeof props.imageName === "string" && props.imageName.trim() !== "") {
    p.push("properties");
    const fields = imageAsset(
      props.imageName.trim(),
      f.strList(props, "repoTags", p),
      f.strList(props, "repoDigests", p),
      f.optStr(props, "imageID", p),
    );
    p.pop();
    return fields;
  }
  const vcp = f.optArray(run, "versionControlProvenance", p)[0];
  if (isObject(vcp) && typeof vcp.repositoryUri === "string" && vcp.repositoryUri.trim() !== "") {
    return { repository: vcp.repositoryUri.trim() };
  }
  const bases = f.optObject(run, "originalUriBaseIds", p);
  if (bases !== undefined) {
    for (const key in bases) {
      const base = bases[key];
      if (isObject(base) && typeof base.uri === "string" && base.uriBaseId === undefined) {
        const uri = base.uri.trim();
        if (ABSOLUTE_URI.test(uri)) return { artifact: uri };
      }
    }
  }
  const artifact = f.optArray(run, "artifacts", p)[0];
  if (isObject(artifact) && isObject(artifact.location) && typeof artifact.location.uri === "string") {
    const uri = artifact.location.uri.trim();
    if (uri !== "") return { artifact: uri };
  }
  for (const r of results) {
    if (!isObject(r) || !Array.isArray(r.locations)) continue;
    const loc = r.locations[0];
    const uri =
      isObject(loc) && isObject(loc.physicalLocation) ? loc.physicalLocation.artifactLocation : undefined;
    if (isObject(uri) && typeof uri.uri === "string" && uri.uri.trim() !== "")
      return { artifact: uri.uri.trim() };
  }
  return undefined;
}

function toolName(driver: JsonObject): string {
  return typeof driver.name === "string" && driver.name.trim() !== "" ? driver.name.trim() : "unknown";
}

/** Reads a parsed SARIF log into a ScanReport. Pure: no disk access. `file` names the log in errors. */
export function sarifReportFromJson(json: unknown, file: string): ScanReport {
  const f: JsonFields = new JsonFields(file);
  const p: JsonPath = new JsonPath();
  const root = f.object(json, p, "a SARIF log object");
  const version = f.optStr(root, "version", p);
  if (version !== undefined && !version.startsWith("2."))
    f.fail(p, `unsupported SARIF version ${version}`, "version");
  if (!Array.isArray(root.runs)) {
    f.fail(
      p,
      root.runs === undefined
        ? "not a SARIF log: missing 'runs'"
        : `expected an array, found ${kindOf(root.runs)}`,
      "runs",
    );
  }
  const runs = root.runs as unknown[];
  // The scanner name: every tool of the log, in order of appearance.
  const tools: string[] = [];
  for (let i = 0; i < runs.length; i++) {
    p.push("runs");
    p.push(i);
    const run = f.object(runs[i], p);
    p.push("tool");
    const tool = f.object(run.tool, p);
    p.push("driver");
    const driver = f.object(tool.driver, p);
    p.pop();
    p.pop();
    const name = toolName(driver).toLowerCase().replace(/\s+/g, "-");
    if (!tools.includes(name)) tools.push(name);
    p.pop();
    p.pop();
  }
  const scanner = tools.length === 0 ? "sarif" : `sarif:${tools.join("+")}`;
  const b = new ReportBuilder(scanner);
  let scannerVersion: string | undefined;
  let reportTime: string | undefined;
  let scope: string | undefined;

  p.push("runs");
  for (let i = 0; i < runs.length; i++) {
    p.push(i);
    const run = runs[i] as JsonObject;
    const driver = (run.tool as JsonObject).driver as JsonObject;
    p.push("tool");
    p.push("driver");
    const driverVersion = f.optStr(driver, "version", p) ?? f.optStr(driver, "semanticVersion", p);
    const driverRules = f.optArray(driver, "rules", p);
    p.push("rules");
    const components: Rule[][] = [readRules(driverRules, f, p)];
    p.pop();
    p.pop();
    const extensions = f.optArray(run.tool as JsonObject, "extensions", p);
    p.push("extensions");
    for (let e = 0; e < extensions.length; e++) {
      p.push(e);
      const ext = f.object(extensions[e], p);
      const extRules = f.optArray(ext, "rules", p);
      p.push("rules");
      components.push(readRules(extRules, f, p));
      p.pop();
      p.pop();
    }
    p.pop();
    p.pop();
    scannerVersion ??= driverVersion;
    const rulesById = new Map<string, Rule>();
    for (const list of components)
      for (const rule of list)
        if (rule.id !== undefined && !rulesById.has(rule.id)) rulesById.set(rule.id, rule);

    const invocations = f.optArray(run, "invocations", p);
    for (let k = 0; k < invocations.length; k++) {
      const inv = invocations[k];
      if (!isObject(inv)) continue;
      const start =
        typeof inv.startTimeUtc === "string"
          ? inv.startTimeUtc
          : typeof inv.endTimeUtc === "string"
            ? inv.endTimeUtc
            : undefined;
      const instant = start === undefined ? null : utcInstant(start);
      if (instant !== null && (reportTime === undefined || instant < reportTime)) reportTime = instant;
    }
    const automation = f.optObject(run, "automationDetails", p);
    if (automation !== undefined && scope === undefined && typeof automation.id === "string") {
      // "category/run-id": the category says what was scanned.
      const id = automation.id.trim();
      const slash = id.lastIndexOf("/");
      scope = slash > 0 ? id.slice(0, slash) : id || undefined;
    }

    const name = toolName(driver);
    const lower = name.toLowerCase();
    const results = f.optArray(run, "results", p);
    const fields = runAsset(run, results, f, p);
    const ctx: RunCtx = {
      b,
      f,
      p,
      scanner: `sarif:${lower.replace(/\s+/g, "-")}`,
      sca: SCA_TOOLS.some((t) => lower.includes(t)),
      secrets: SECRET_TOOLS.some((t) => lower.includes(t)),
      rulesById,
      components,
    };
    if (fields !== undefined) {
      const key = b.asset(fields);
      if (key !== undefined) ctx.asset = key;
    }
    p.push("results");
    for (let j = 0; j < results.length; j++) {
      p.push(j);
      result(ctx, f.object(results[j], p));
      p.pop();
    }
    p.pop();
    p.pop();
  }
  p.pop();
  return b.build({ scannerVersion, reportTime, scope });
}

export async function parseSarif(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  return { kind: "scan", report: sarifReportFromJson(json, input.displayName) };
}

const RUNS = /"runs"\s*:\s*\[/;
const SARIF_SCHEMA = /"\$schema"\s*:\s*"[^"]*sarif[^"]*"/i;
const SARIF_VERSION = /"version"\s*:\s*"2\.1\.0"/;

/** Tells a SARIF log from the first 64 KB of text. */
export function looksLikeSarif(head: string): boolean {
  const text = head.trimStart();
  if (!text.startsWith("{") || !RUNS.test(text)) return false;
  return SARIF_SCHEMA.test(text) || SARIF_VERSION.test(text);
}
