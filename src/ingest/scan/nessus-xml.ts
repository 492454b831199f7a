/**
 * Nessus v2 XML (".nessus", root NessusClientData_v2) from Nessus, Tenable.io / Tenable.sc exports
 * and Tenable Web App Scanning (Report type="was"). Streamed with saxes: only the current host's
 * identifiers and the current ReportItem's few wanted elements are held, so a scan of tens of
 * megabytes imports without sitting in memory whole.
 *
 * - scanner "nessus", or "tenable-was" for a WAS report (its assets are web application URLs);
 * - scope: the Policy's policyName, else the Report name; scanner version from plugin 19506;
 * - report time: the latest host end (HOST_END_TIMESTAMP, else HOST_END, else the host start);
 * - every ReportHost is an asset, with or without findings;
 * - each ReportItem goes through addResult (tenable-common.ts): severity 0 → informational item,
 *   otherwise one finding per CVE, or "nessus:<pluginID>" when it names none.
 */

import { StringDecoder } from "node:string_decoder";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { ReportBuilder } from "../../core/scan/builder.js";
import type { CvssScore } from "../../core/types.js";
import { isPatchlineError, PatchlineError } from "../../errors.js";
import { openStream } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import {
  addResult,
  cpeList,
  cveList,
  cvssScore,
  epssScore,
  FieldProblem,
  firstLine,
  isIp,
  isUrl,
  later,
  nessusInstant,
  own,
  portOf,
  readProblem,
  SCAN_INFORMATION_PLUGIN,
  scanInformation,
  tenableSeverity,
} from "./tenable-common.js";

/** True when the text starts a NessusClientData_v2 document (after an XML declaration / comments). */
export function looksLikeNessusXml(head: string): boolean {
  return /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<NessusClientData_v2[\s>/]/.test(head);
}

const ROOT = "NessusClientData_v2";

/** HostProperties tags kept per host. */
const HOST_TAGS = new Set([
  "host-ip",
  "host-fqdn",
  "hostname",
  "netbios-name",
  "mac-address",
  "operating-system",
  "HOST_START",
  "HOST_END",
  "HOST_START_TIMESTAMP",
  "HOST_END_TIMESTAMP",
]);

/** ReportItem child elements kept; everything else (description, solution…) is skipped unread. */
const ITEM_FIELDS = new Set([
  "cve",
  "cpe",
  "cvss_base_score",
  "cvss_vector",
  "cvss3_base_score",
  "cvss3_vector",
  "cvss4_base_score",
  "cvss4_vector",
  // Tenable WAS names its scores "cvss" (v2), "cvssv3" and "cvssv4", without vectors.
  "cvss",
  "cvssv3",
  "cvssv4",
  "epss_score",
  "risk_factor",
  "plugin_output",
  "unsupported_by_vendor",
]);

interface Host {
  name: string;
  line: number;
  tags: Map<string, string>;
  key?: string | undefined;
}

interface Item {
  attributes: Record<string, string>;
  line: number;
  fields: Map<string, string[]>;
}

export async function parseNessusXml(input: ParseInput): Promise<ParsedBatch> {
  const file = input.displayName;
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let builder: ReportBuilder | undefined;
  let policyName: string | undefined;
  let reportName: string | undefined;
  let reportTime: string | undefined;
  let scanInfo: ReturnType<typeof scanInformation> | undefined;
  let host: Host | undefined;
  let item: Item | undefined;
  let capture: { into: (text: string) => void; parts: string[]; depth: number } | undefined;
  let sawText = false;

  const invalid = (message: string, line = parser.line): PatchlineError =>
    new PatchlineError("VALIDATION_ERROR", message, { file, line });

  const registerHost = (h: Host): string => {
    if (h.key !== undefined) return h.key;
    const tag = (name: string): string | undefined => firstLine(h.tags.get(name));
    const fields: Parameters<ReportBuilder["asset"]>[0] = {};
    // Tenable WAS writes the application URL as the host name (and as "host-fqdn").
    for (const value of [h.name, tag("host-fqdn")]) {
      if (value !== undefined && isUrl(value)) fields.url ??= value;
    }
    const fqdn = tag("host-fqdn");
    if (fqdn !== undefined && !isUrl(fqdn)) fields.fqdn = fqdn;
    const hostname = tag("hostname");
    if (hostname !== undefined) fields.hostname = hostname;
    const ip = tag("host-ip");
    if (ip !== undefined) fields.ip = ip;
    if (!isUrl(h.name)) {
      if (isIp(h.name)) fields.ip ??= h.name;
      else if (fields.fqdn === undefined || fields.fqdn.toLowerCase() !== h.name.toLowerCase()) {
        fields.hostname ??= h.name;
      }
    }
    const netbios = tag("netbios-name");
    if (netbios !== undefined) fields.netbios = netbios;
    const mac = tag("mac-address");
    if (mac !== undefined) fields.mac = mac;
    const os = tag("operating-system");
    if (os !== undefined) fields.os = os;
    const key = reportBuilder().asset(fields);
    if (key === undefined) throw invalid(`ReportHost '${h.name}' names no host, address or URL`, h.line);
    h.key = key;
    return key;
  };

  const reportBuilder = (): ReportBuilder => {
    builder ??= new ReportBuilder("nessus");
    return builder;
  };

  const finishItem = (h: Host, it: Item): void => {
    const attr = (name: string): string | undefined => it.attributes[name]?.trim() || undefined;
    const field = (name: string): string | undefined => {
      const values = it.fields.get(name);
      return values === undefined ? undefined : values.join("\n");
    };
    const pluginId = attr("pluginID");
    if (pluginId === undefined) throw invalid(`a ReportItem on host '${h.name}' has no pluginID`, it.line);
    const where = `ReportItem (plugin ${pluginId}) on host '${h.name}'`;
    const severityText = attr("severity");
    const severity = tenableSeverity(severityText) ?? tenableSeverity(field("risk_factor"));
    if (severity === undefined) {
      throw invalid(
        severityText === undefined
          ? `${where} has no severity`
          : `${where}: severity '${severityText}' is not 0 to 4`,
        it.line,
      );
    }
    const output = field("plugin_output");
    if (pluginId === SCAN_INFORMATION_PLUGIN && scanInfo === undefined) scanInfo = scanInformation(output);
    const plugins = builder?.scanner === "tenable-was" ? "tenable-was" : "nessus";
    const score = (major: 2 | 3 | 4, name: string, was: string): CvssScore | undefined =>
      cvssScore(major, field(name) ?? field(was), field(name.replace("base_score", "vector")), name, plugins);
    let cvss: CvssScore[];
    try {
      cvss = [
        score(2, "cvss_base_score", "cvss"),
        score(3, "cvss3_base_score", "cvssv3"),
        score(4, "cvss4_base_score", "cvssv4"),
      ].filter((s): s is CvssScore => s !== undefined);
    } catch (error) {
      if (error instanceof FieldProblem) throw invalid(`${where}: ${error.message}`, it.line);
      throw error;
    }
    addResult(reportBuilder(), {
      asset: registerHost(h),
      pluginId,
      plugins,
      title: attr("pluginName"),
      severity,
      cves: cveList(field("cve")),
      port: portOf(attr("port"), attr("protocol")),
      cvss,
      epss: epssScore(field("epss_score")),
      output,
      cpes: cpeList(field("cpe")),
      unsupported: field("unsupported_by_vendor")?.trim().toLowerCase() === "true",
    });
  };

  const finishHost = (h: Host): void => {
    registerHost(h);
    for (const tag of ["HOST_END_TIMESTAMP", "HOST_END", "HOST_START_TIMESTAMP", "HOST_START"]) {
      const text = h.tags.get(tag)?.trim();
      const instant = text ? nessusInstant(text) : null;
      if (instant) {
        reportTime = later(reportTime, instant);
        break;
      }
    }
  };

  parser.on("opentag", (tag: SaxesTagPlain) => {
    const name = tag.name;
    const parent = stack[stack.length - 1];
    const attributes = tag.attributes;
    if (parent === undefined) {
      if (name !== ROOT) {
        throw invalid(`expected a Nessus v2 report (root element <${ROOT}>), found <${name}>`);
      }
    } else if (name === "policyName" && parent === "Policy") {
      capture = { into: (text) => (policyName = text), parts: [], depth: stack.length };
    } else if (name === "Report" && parent === ROOT) {
      const named = attributes.name?.trim();
      if (named) reportName ??= own(named);
      builder ??= new ReportBuilder(
        attributes.type?.trim().toLowerCase() === "was" ? "tenable-was" : "nessus",
      );
    } else if (name === "ReportHost" && parent === "Report") {
      const hostName = attributes.name?.trim();
      if (!hostName) throw invalid("a ReportHost has no name attribute");
      host = { name: own(hostName), line: parser.line, tags: new Map() };
    } else if (name === "tag" && parent === "HostProperties" && host) {
      const tagName = attributes.name?.trim() ?? "";
      const h = host;
      if (HOST_TAGS.has(tagName)) {
        capture = { into: (text) => h.tags.set(tagName, text), parts: [], depth: stack.length };
      }
    } else if (name === "ReportItem" && parent === "ReportHost") {
      const kept: Record<string, string> = {};
      for (const [key, value] of Object.entries(attributes)) kept[key] = own(value);
      item = { attributes: kept, line: parser.line, fields: new Map() };
    } else if (parent === "ReportItem" && item && ITEM_FIELDS.has(name)) {
      const it = item;
      capture = {
        into: (text) => {
          const list = it.fields.get(name);
          if (list) list.push(text);
          else it.fields.set(name, [text]);
        },
        parts: [],
        depth: stack.length,
      };
    }
    stack.push(name);
  });

  const onText = (text: string): void => {
    capture?.parts.push(text);
  };
  parser.on("text", onText);
  parser.on("cdata", onText);

  parser.on("closetag", (tag: SaxesTagPlain) => {
    stack.pop();
    if (capture && capture.depth === stack.length) {
      capture.into(own(capture.parts.join("").trim()));
      capture = undefined;
    }
    switch (tag.name) {
      case "HostProperties":
        if (host) registerHost(host);
        break;
      case "ReportItem":
        if (host && item && stack[stack.length - 1] === "ReportHost") finishItem(host, item);
        item = undefined;
        break;
      case "ReportHost":
        if (host && stack[stack.length - 1] === "Report") finishHost(host);
        host = undefined;
        break;
    }
  });

  parser.on("error", (error: Error) => {
    const reason = error.message.replace(/^\d+:\d+: /, "");
    throw new PatchlineError("PARSE_ERROR", `invalid XML: ${reason}`, {
      file,
      line: parser.line,
      column: parser.column + 1,
    });
  });

  const stream = await openStream(input);
  const decoder = new StringDecoder("utf8");
  try {
    for await (const chunk of stream) {
      const text = decoder.write(chunk as Buffer);
      if (!sawText && text.trim() !== "") sawText = true;
      parser.write(text);
    }
    const rest = decoder.end();
    if (rest.trim() !== "") sawText = true;
    if (!sawText) throw new PatchlineError("PARSE_ERROR", "the file is empty", { file });
    parser.write(rest);
    parser.close();
  } catch (error) {
    stream.destroy();
    if (isPatchlineError(error)) throw error;
    throw readProblem(error, file);
  }
  if (builder === undefined) {
    throw new PatchlineError(
      "VALIDATION_ERROR",
      "the document has no <Report> element: a scan policy, not scan results",
      { file, path: `/${ROOT}` },
    );
  }
  const info = scanInfo ?? {};
  const report = builder.build({
    ...(info.scannerVersion !== undefined ? { scannerVersion: info.scannerVersion } : {}),
    ...(reportTime !== undefined ? { reportTime } : {}),
    ...(policyName || reportName ? { scope: policyName || reportName } : {}),
  });
  return { kind: "scan", report };
}
