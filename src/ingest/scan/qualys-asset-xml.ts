/**
 * Qualys VM ASSET_DATA_REPORT XML (asset_data_report.dtd): `<HEADER>` (generation time, template),
 * `<HOST_LIST>` of `<HOST>`s (IP, DNS, NETBIOS, OPERATING_SYSTEM) each with a `<VULN_INFO_LIST>` of
 * detections (QID, TYPE Vuln / Practice / Ig, PORT, PROTOCOL, VULN_STATUS), then a `<GLOSSARY>` that
 * gives each QID's title, severity, CVSS and CVE list. Streamed with saxes; since the glossary comes
 * last, the detections are kept in a compact form until it has been read.
 *
 * TYPE Vuln → finding, Practice → finding with statusDetail "potential", Ig → informational item;
 * VULN_STATUS New / Active / Re-Opened → affected, Fixed → resolved (qualys-common.ts). Report time is
 * GENERATION_DATETIME, scope the report TEMPLATE. The APPENDICES' NO_RESULTS ranges are not recorded as
 * assets: the report does not say those addresses were reachable.
 */
import { ReportBuilder } from "../../core/scan/builder.js";
import type { CvssScore } from "../../core/types.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import {
  cveList,
  detectionKind,
  hostFields,
  portOf,
  QUALYS,
  qualysCvss,
  qualysInstant,
  qualysSeverity,
  qualysStatus,
  qualysVulnIds,
} from "./qualys-common.js";
import { walkXml, xmlInvalid } from "./xml-walk.js";

/** A Qualys ASSET_DATA_REPORT root (after the XML declaration, comments and DOCTYPE). */
export function looksLikeQualysAssetXml(head: string): boolean {
  return /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE\s+ASSET_DATA_REPORT\b[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<ASSET_DATA_REPORT\b/.test(
    head,
  );
}

const TEXT = new Set([
  "GENERATION_DATETIME",
  "TEMPLATE",
  "IP",
  "IPV6",
  "DNS",
  "NETBIOS",
  "OPERATING_SYSTEM",
  "QID",
  "TYPE",
  "PORT",
  "PROTOCOL",
  "FQDN",
  "VULN_STATUS",
  "TITLE",
  "SEVERITY",
  "CATEGORY",
  "CVSS_BASE",
  "CVSS3_BASE",
  "ID",
]);

interface Detection {
  asset: string;
  qid: string;
  type: string;
  port: string | undefined;
  status: string;
  fqdn: string;
}

interface Glossary {
  title: string;
  severity: string;
  category: string;
  cvss: CvssScore[];
  cves: string[];
}

export async function parseQualysAssetXml(input: ParseInput): Promise<ParsedBatch> {
  const builder = new ReportBuilder(QUALYS);
  const detections: Detection[] = [];
  const glossary = new Map<string, Glossary>();
  let generated = "";
  let template = "";
  let host: Record<string, string> | undefined;
  let hostKey: string | undefined;
  let info: Record<string, string> | undefined;
  let details: (Glossary & { qid: string; line: number }) | undefined;
  let sawHostList = false;

  const registerHost = (path: readonly string[], line: number): string => {
    if (hostKey !== undefined) return hostKey;
    const h = host ?? {};
    const ip = h.IP || h.IPV6 || "";
    const key = builder.asset({
      ...(ip ? { ip } : {}),
      ...hostFields(h.DNS),
      ...(h.NETBIOS ? { netbios: h.NETBIOS } : {}),
      ...(h.OPERATING_SYSTEM ? { os: h.OPERATING_SYSTEM } : {}),
    });
    if (key === undefined) throw xmlInvalid(input, "<HOST> without an IP, DNS or NETBIOS name", line, path);
    hostKey = key;
    return key;
  };

  await walkXml(input, {
    root: (name) => name === "ASSET_DATA_REPORT",
    text: TEXT,
    open(name, attributes, path, line) {
      const up = path[path.length - 2];
      if (name === "HOST_LIST") sawHostList = true;
      else if (name === "HOST" && up === "HOST_LIST") {
        host = {};
        hostKey = undefined;
      } else if (name === "VULN_INFO" && host) {
        registerHost(path, line);
        info = {};
      } else if (name === "VULN_DETAILS" && up === "VULN_DETAILS_LIST") {
        const qid = (attributes.id ?? "").replace(/^qid_/, "").trim();
        details = { qid, line, title: "", severity: "", category: "", cvss: [], cves: [] };
      }
    },
    close(name, text, path, line) {
      const up = path[path.length - 2];
      if (info) {
        if (name === "VULN_INFO") {
          const qid = info.QID ?? "";
          if (!/^\d+$/.test(qid)) throw xmlInvalid(input, "<VULN_INFO> without a numeric <QID>", line, path);
          detections.push({
            asset: hostKey!,
            qid,
            type: info.TYPE ?? "",
            port: portOf(info.PORT, info.PROTOCOL),
            status: info.VULN_STATUS ?? "",
            fqdn: info.FQDN ?? "",
          });
          info = undefined;
        } else if (up === "VULN_INFO") info[name] = text.trim();
        return;
      }
      if (host) {
        if (name === "HOST" && up === "HOST_LIST") {
          registerHost(path, line);
          host = undefined;
        } else if (up === "HOST") host[name] = text.trim();
        return;
      }
      if (details) {
        if (name === "VULN_DETAILS") {
          if (!/^\d+$/.test(details.qid)) {
            throw xmlInvalid(input, "<VULN_DETAILS> without a qid_<QID> id", details.line, path);
          }
          const { qid, line: _line, ...entry } = details;
          glossary.set(qid, entry);
          details = undefined;
        } else if (up === "VULN_DETAILS") {
          if (name === "QID" && details.qid === "") details.qid = text.trim();
          else if (name === "TITLE") details.title = text.trim();
          else if (name === "SEVERITY") details.severity = text.trim();
          else if (name === "CATEGORY") details.category = text.trim();
        } else if (name === "CVSS_BASE" && up === "CVSS_SCORE") {
          const score = qualysCvss(text, "2.0", QUALYS);
          if (score) details.cvss.push(score);
        } else if (name === "CVSS3_BASE" && up === "CVSS3_SCORE") {
          const score = qualysCvss(text, "3.0", QUALYS);
          if (score) details.cvss.push(score);
        } else if (name === "ID" && up === "CVE_ID") {
          details.cves.push(text.trim());
        }
        return;
      }
      if (name === "GENERATION_DATETIME" && up === "HEADER") generated = text.trim();
      else if (name === "TEMPLATE" && up === "HEADER") template = text.trim();
    },
  });
  if (!sawHostList) throw xmlInvalid(input, "no <HOST_LIST>", undefined, ["ASSET_DATA_REPORT"]);

  for (const d of detections) {
    const g = glossary.get(d.qid);
    const kind = detectionKind(d.type);
    const title = g?.title;
    if (kind === "info") {
      builder.other({
        kind: "informational",
        asset: d.asset,
        id: d.qid,
        ...(title ? { title } : {}),
        severity: "info",
        ...(d.port ? { location: d.port } : {}),
      });
      continue;
    }
    const status = qualysStatus(d.status);
    const detail = kind === "potential" ? "potential" : d.status || undefined;
    for (const vulnId of qualysVulnIds(d.qid, cveList(...(g?.cves ?? [])))) {
      builder.finding({
        asset: d.asset,
        vulnId,
        aliases: [`${QUALYS}:${d.qid}`],
        ...(title ? { title } : {}),
        plugin: d.qid,
        ...(d.port ? { port: d.port } : {}),
        severity: qualysSeverity(g?.severity),
        cvss: g?.cvss ?? [],
        ...(d.fqdn ? { locations: [d.fqdn] } : {}),
        status,
        ...(detail ? { statusDetail: detail } : {}),
      });
    }
  }
  const reportTime = qualysInstant(generated);
  return {
    kind: "scan",
    report: builder.build({
      ...(reportTime ? { reportTime } : {}),
      ...(template ? { scope: template } : {}),
    }),
  };
}
