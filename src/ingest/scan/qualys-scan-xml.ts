/**
 * Qualys VM scan reports in the SCAN XML layout (scan-1.dtd), as the web GUI exports them and as the
 * API returns them (with XML comment lines around the root): `<SCAN>` → `<HEADER>` of `<KEY>`s, then one
 * `<IP value name>` per host with `<VULNS>` (confirmed), `<PRACTICES>` (potential), `<INFOS>` and
 * `<SERVICES>` (information gathered), each grouped in `<CAT value port protocol>`. Streamed with saxes.
 *
 * VULN → finding, PRACTICE → finding with statusDetail "potential", INFO / SERVICE → informational
 * item (rules in qualys-common.ts). The scan XML carries no per-detection status, so findings are
 * "affected". CVSS_BASE is CVSS 2.0, CVSS3_BASE CVSS 3.0 (unless its vector says 3.1); source "qualys".
 * Report time is the header DATE; scope the option profile title (else the report TITLE).
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
  qualysVulnIds,
} from "./qualys-common.js";
import { walkXml, xmlInvalid } from "./xml-walk.js";

const PROLOGUE = String.raw`^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*`;
const SCAN_ROOT = new RegExp(
  `${PROLOGUE}(?:<!DOCTYPE\\s+SCAN\\b[^>]*>\\s*)?(?:<!--[\\s\\S]*?-->\\s*)*<SCAN\\b`,
);

/** A Qualys SCAN XML report: a `<SCAN>` root (scan-1.dtd) with a `<HEADER>` of `<KEY value=…>`s. */
export function looksLikeQualysScanXml(head: string): boolean {
  return SCAN_ROOT.test(head) && /<HEADER>\s*<KEY\s+value=/.test(head);
}

const ITEMS = new Set(["VULN", "PRACTICE", "INFO", "SERVICE"]);
/** Where detections sit: in a CAT (the usual layout) or straight in their list. */
const GROUPS = new Set(["CAT", "VULNS", "PRACTICES", "INFOS", "SERVICES"]);
const TEXT = new Set([
  "KEY",
  "OPTION_PROFILE_TITLE",
  "OS",
  "NETBIOS_HOSTNAME",
  "TITLE",
  "CVSS_BASE",
  "CVSS3_BASE",
  "ID",
]);

interface Item {
  kind: string;
  qid: string;
  severity: string;
  cveAttribute: string;
  title: string;
  cvss2: string;
  cvss3: string;
  cves: string[];
  line: number;
}

export async function parseQualysScanXml(input: ParseInput): Promise<ParsedBatch> {
  const builder = new ReportBuilder(QUALYS);
  const header = new Map<string, string>();
  let profile = "";
  let host:
    | { key: string; ip: string; names: ReturnType<typeof hostFields>; os: string; netbios: string }
    | undefined;
  let cat: { port: string | undefined } | undefined;
  let item: Item | undefined;
  let keyName = "";

  await walkXml(input, {
    root: (name) => name === "SCAN",
    text: TEXT,
    open(name, attributes, path, line) {
      if (name === "KEY") keyName = (attributes.value ?? "").trim().toUpperCase();
      else if (name === "IP" && path.length === 2) {
        const ip = (attributes.value ?? "").trim();
        if (ip === "") throw xmlInvalid(input, "<IP> without a value attribute", line, path);
        const names = hostFields(attributes.name);
        const key = builder.asset({ ip, ...names });
        host = { key: key!, ip, names, os: "", netbios: "" };
      } else if (name === "CAT" && host) {
        cat = { port: portOf(attributes.port, attributes.protocol) };
      } else if (ITEMS.has(name) && host && GROUPS.has(path[path.length - 2] ?? "")) {
        const qid = (attributes.number ?? "").trim();
        if (!/^\d+$/.test(qid)) throw xmlInvalid(input, `<${name}> without a numeric QID number`, line, path);
        item = {
          kind: name,
          qid,
          severity: (attributes.severity ?? "").trim(),
          cveAttribute: attributes.cveid ?? "",
          title: "",
          cvss2: "",
          cvss3: "",
          cves: [],
          line,
        };
      }
    },
    close(name, text, path) {
      const up = path[path.length - 2];
      if (item) {
        if (name === item.kind && GROUPS.has(up ?? "")) {
          emit(item);
          item = undefined;
        } else if (up === item.kind) {
          if (name === "TITLE") item.title = text.trim();
          else if (name === "CVSS_BASE") item.cvss2 = text.trim();
          else if (name === "CVSS3_BASE") item.cvss3 = text.trim();
        } else if (name === "ID" && up === "CVE_ID") {
          item.cves.push(text.trim());
        }
        return;
      }
      if (host) {
        if (name === "IP" && path.length === 2) {
          builder.asset({
            ip: host.ip,
            ...host.names,
            ...(host.os ? { os: host.os } : {}),
            ...(host.netbios ? { netbios: host.netbios } : {}),
          });
          host = undefined;
        } else if (name === "CAT") cat = undefined;
        else if (name === "OS" && up === "IP") host.os = text.trim();
        else if (name === "NETBIOS_HOSTNAME" && up === "IP") host.netbios = text.trim();
        return;
      }
      if (name === "KEY" && up === "HEADER" && keyName) header.set(keyName, text.trim());
      else if (name === "OPTION_PROFILE_TITLE") profile = text.trim();
    },
  });

  function emit(i: Item): void {
    if (!host) return;
    const kind = detectionKind(i.kind === "VULN" ? "Vuln" : i.kind === "PRACTICE" ? "Practice" : "Ig");
    if (kind === "info") {
      builder.other({
        kind: "informational",
        asset: host.key,
        id: i.qid,
        ...(i.title ? { title: i.title } : {}),
        severity: "info",
        ...(cat?.port ? { location: cat.port } : {}),
      });
      return;
    }
    const cvss = [qualysCvss(i.cvss2, "2.0", QUALYS), qualysCvss(i.cvss3, "3.0", QUALYS)].filter(
      (c): c is CvssScore => c !== undefined,
    );
    for (const vulnId of qualysVulnIds(i.qid, cveList(i.cveAttribute, ...i.cves))) {
      builder.finding({
        asset: host.key,
        vulnId,
        aliases: [`${QUALYS}:${i.qid}`],
        ...(i.title ? { title: i.title } : {}),
        plugin: i.qid,
        ...(cat?.port ? { port: cat.port } : {}),
        severity: qualysSeverity(i.severity),
        cvss,
        status: "affected",
        ...(kind === "potential" ? { statusDetail: "potential" } : {}),
      });
    }
  }

  const reportTime = qualysInstant(header.get("DATE"));
  const scope = profile || header.get("TITLE");
  return {
    kind: "scan",
    report: builder.build({ ...(reportTime ? { reportTime } : {}), ...(scope ? { scope } : {}) }),
  };
}
