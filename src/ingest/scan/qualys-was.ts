/**
 * Qualys Web Application Scanning reports (WAS_SCAN_REPORT XML): `<RESULTS>` with a VULNERABILITY_LIST
 * (one `<VULNERABILITY>` per QID × URL × parameter), SENSITIVE_CONTENT_LIST and
 * INFORMATION_GATHERED_LIST, then a `<GLOSSARY>` giving each QID's category, severity, title and CVSS,
 * and an `<APPENDIX>` naming the scans and the web application(s). Streamed with saxes; the detections
 * are kept in a compact form until the glossary and the web application URL have been read.
 *
 * Decisions:
 * - the asset is the web application's base URL (APPENDIX/WEBAPP/URL; with several, the one the
 *   detection URL starts with; with none, the detection URL's origin);
 * - one finding per QID × URL × parameter: the builder fingerprints network findings by port, so the
 *   detection's URL (with " [parameter]" when one is named) stands in the port field; the URL is also
 *   the location. vulnId is the CVE when the glossary names one, else "qualys:<QID>" (the QID
 *   knowledge base is shared with Qualys VM), plugin the QID;
 * - glossary category "Potential Vulnerability" → statusDetail "potential"; "Information Gathered"
 *   items → informational, sensitive content → "secret" other items;
 * - report time: the latest scan START_DATE, else GENERATION_DATETIME; scope: the scan's option
 *   profile (else the target scan name); scanner version: the "WAS: x.y" part of SCANNER.
 */
import { ReportBuilder } from "../../core/scan/builder.js";
import type { CvssScore } from "../../core/types.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import {
  cveList,
  detectionKind,
  laterInstant,
  QUALYS,
  qualysCvss,
  qualysInstant,
  qualysSeverity,
  qualysStatus,
  qualysVulnIds,
} from "./qualys-common.js";
import { walkXml, xmlInvalid } from "./xml-walk.js";

export const QUALYS_WAS = "qualys-was";

/** A WAS_SCAN_REPORT root. */
export function looksLikeQualysWas(head: string): boolean {
  return /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE\s+WAS_SCAN_REPORT\b[^>]*>\s*)?<WAS_SCAN_REPORT\b/.test(
    head,
  );
}

const TEXT = new Set([
  "GENERATION_DATETIME",
  "SCAN",
  "QID",
  "URL",
  "PARAM",
  "STATUS",
  "IGNORED",
  "POTENTIAL",
  "CATEGORY",
  "SEVERITY",
  "TITLE",
  "CVSS_BASE",
  "BASE",
  "CVE_ID",
  "CVE",
  "START_DATE",
  "PROFILE",
  "SCANNER",
  "OPERATING_SYSTEM",
]);

type ItemKind = "VULNERABILITY" | "SENSITIVE_CONTENT" | "INFORMATION_GATHERED";
const ITEM_KINDS = new Set<string>(["VULNERABILITY", "SENSITIVE_CONTENT", "INFORMATION_GATHERED"]);

interface Detection {
  kind: ItemKind;
  qid: string;
  url: string;
  param: string;
  status: string;
  ignored: boolean;
  potential: boolean;
  line: number;
}

interface QidInfo {
  category: string;
  severity: string;
  title: string;
  cvss: CvssScore[];
  cves: string[];
}

function originOf(url: string): string | undefined {
  try {
    return `${new URL(url).origin}/`;
  } catch {
    return undefined;
  }
}

export async function parseQualysWas(input: ParseInput): Promise<ParsedBatch> {
  const detections: Detection[] = [];
  const glossary = new Map<string, QidInfo>();
  const webapps: { url: string; os: string }[] = [];
  let generated = "";
  let targetScan = "";
  let started: string | undefined;
  let profile = "";
  let scannerVersion = "";
  let item: Record<string, string> | undefined;
  let itemKind: ItemKind | undefined;
  let itemLine = 0;
  let qid: (QidInfo & { qid: string }) | undefined;
  let webapp: { url: string; os: string } | undefined;
  let sawResults = false;

  await walkXml(input, {
    root: (name) => name === "WAS_SCAN_REPORT",
    text: TEXT,
    open(name, _attributes, path, line) {
      const up = path[path.length - 2];
      if (name === "RESULTS") sawResults = true;
      else if (ITEM_KINDS.has(name) && up?.endsWith("_LIST") && path.includes("RESULTS")) {
        item = {};
        itemKind = name as ItemKind;
        itemLine = line;
      } else if (name === "QID" && up === "QID_LIST") {
        qid = { qid: "", category: "", severity: "", title: "", cvss: [], cves: [] };
      } else if (name === "WEBAPP" && up === "APPENDIX") webapp = { url: "", os: "" };
    },
    close(name, text, path) {
      const up = path[path.length - 2];
      const value = text.trim();
      if (item && itemKind) {
        if (name === itemKind && up?.endsWith("_LIST")) {
          const id = item.QID ?? "";
          if (!/^\d+$/.test(id))
            throw xmlInvalid(input, `<${itemKind}> without a numeric <QID>`, itemLine, path);
          detections.push({
            kind: itemKind,
            qid: id,
            url: item.URL ?? "",
            param: item.PARAM ?? "",
            status: item.STATUS ?? "",
            ignored: /^true$/i.test(item.IGNORED ?? ""),
            potential: /^true$/i.test(item.POTENTIAL ?? ""),
            line: itemLine,
          });
          item = undefined;
          itemKind = undefined;
        } else if (up === itemKind) item[name] = value;
        return;
      }
      if (qid) {
        if (name === "QID" && up === "QID_LIST") {
          if (!/^\d+$/.test(qid.qid))
            throw xmlInvalid(input, "glossary <QID> without a numeric <QID>", undefined, path);
          const { qid: id, ...info } = qid;
          glossary.set(id, info);
          qid = undefined;
        } else if (up === "QID") {
          if (name === "QID") qid.qid = value;
          else if (name === "CATEGORY") qid.category = value;
          else if (name === "SEVERITY") qid.severity = value;
          else if (name === "TITLE") qid.title = value;
          else if (name === "CVSS_BASE") {
            const score = qualysCvss(value, "2.0", QUALYS);
            if (score) qid.cvss.push(score);
          } else if (name === "CVE_ID" || name === "CVE") qid.cves.push(...cveList(value));
        } else if (name === "BASE" && (up === "CVSS_V3" || up === "CVSS3")) {
          const score = qualysCvss(value, "3.0", QUALYS);
          if (score) qid.cvss.push(score);
        } else if (name === "CVE_ID" || name === "CVE") qid.cves.push(...cveList(value));
        return;
      }
      if (webapp) {
        if (name === "WEBAPP") {
          if (webapp.url) webapps.push(webapp);
          webapp = undefined;
        } else if (up === "WEBAPP" && name === "URL") webapp.url = value;
        else if (up === "WEBAPP" && name === "OPERATING_SYSTEM") webapp.os = value;
        return;
      }
      if (name === "GENERATION_DATETIME" && up === "HEADER") generated = value;
      else if (name === "SCAN" && up === "TARGET" && !targetScan) targetScan = value;
      else if (up === "SCAN" && path[path.length - 3] === "SCAN_LIST") {
        if (name === "START_DATE") started = laterInstant(started, qualysInstant(value));
        else if (name === "PROFILE" && !profile) profile = value;
        else if (name === "SCANNER" && !scannerVersion)
          scannerVersion = /\bWAS:\s*([^,)\s]+)/.exec(value)?.[1] ?? "";
      }
    },
  });
  if (!sawResults) throw xmlInvalid(input, "no <RESULTS> element", undefined, ["WAS_SCAN_REPORT"]);

  const builder = new ReportBuilder(QUALYS_WAS);
  const appKeys = webapps.map((w) => ({
    url: w.url,
    key: builder.asset({ url: w.url, ...(w.os ? { os: w.os } : {}) })!,
  }));
  const assetFor = (url: string, line: number): string => {
    let best: { url: string; key: string } | undefined;
    for (const app of appKeys) {
      if (url.startsWith(app.url) && (!best || app.url.length > best.url.length)) best = app;
    }
    if (best) return best.key;
    const origin = url ? originOf(url) : undefined;
    const sameOrigin = origin ? appKeys.find((a) => originOf(a.url) === origin) : undefined;
    if (sameOrigin) return sameOrigin.key;
    if (appKeys.length > 0 && !origin) return appKeys[0]!.key;
    if (!origin)
      throw xmlInvalid(input, "detection without a URL and no <WEBAPP> URL", line, ["WAS_SCAN_REPORT"]);
    return builder.asset({ url: origin })!;
  };

  for (const d of detections) {
    const info = glossary.get(d.qid);
    const asset = assetFor(d.url, d.line);
    const title = info?.title;
    const category = info?.category ?? "";
    if (d.kind === "INFORMATION_GATHERED" || detectionKind(category) === "info") {
      builder.other({
        kind: "informational",
        asset,
        id: d.qid,
        ...(title ? { title } : {}),
        severity: "info",
        ...(d.url ? { location: d.url } : {}),
      });
      continue;
    }
    if (d.kind === "SENSITIVE_CONTENT" || /sensitive/i.test(category)) {
      builder.other({
        kind: "secret",
        asset,
        id: d.qid,
        ...(title ? { title } : {}),
        severity: qualysSeverity(info?.severity),
        ...(d.url ? { location: d.url } : {}),
      });
      continue;
    }
    const potential = d.potential || detectionKind(category) === "potential";
    const detail = potential ? "potential" : d.ignored ? "ignored" : d.status || undefined;
    const endpoint = d.param ? `${d.url} [${d.param}]` : d.url;
    for (const vulnId of qualysVulnIds(d.qid, info?.cves ?? [])) {
      builder.finding({
        asset,
        vulnId,
        aliases: [`${QUALYS}:${d.qid}`],
        ...(title ? { title } : {}),
        plugin: d.qid,
        ...(endpoint ? { port: endpoint } : {}),
        severity: qualysSeverity(info?.severity),
        cvss: info?.cvss ?? [],
        ...(d.url ? { locations: [d.url] } : {}),
        status: qualysStatus(d.status),
        ...(detail ? { statusDetail: detail } : {}),
      });
    }
  }
  const reportTime = started ?? qualysInstant(generated) ?? undefined;
  const scope = profile || targetScan;
  return {
    kind: "scan",
    report: builder.build({
      ...(scannerVersion ? { scannerVersion } : {}),
      ...(reportTime ? { reportTime } : {}),
      ...(scope ? { scope } : {}),
    }),
  };
}
