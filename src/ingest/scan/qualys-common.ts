/**
 * What every Qualys export shares: QID-based ids, the 1–5 severity levels, detection types (confirmed,
 * potential, information gathered), vulnerability statuses, "8.1 (AV:N/…)" CVSS cells and the date
 * formats Qualys writes ("04 Feb 2026 10:00AM GMT-0500", "Feb 03, 2026 07:00 AM", "05/25/2021 07:36:58").
 *
 * Decisions, for all Qualys parsers:
 * - Severity levels 5 urgent → critical, 4 critical → high, 3 serious → medium, 2 medium → low,
 *   1 minimal → low; letters (HackerGuardian "H"/"M"/"L") and words go through the common scale.
 * - Information Gathered (type "Ig", INFO/SERVICE elements, "Information Gathered" category) is an
 *   informational other item, never a finding. Potential vulnerabilities ("Practice", "Potential",
 *   PRACTICE elements) are findings with statusDetail "potential"; confirmed ones are findings.
 * - Status New / Active / Re-Opened → affected, Fixed → resolved.
 * - A detection naming CVEs gives one finding per CVE (plugin = QID, alias "qualys:<QID>"); one without
 *   a CVE is "qualys:<QID>" (QIDs are one knowledge base across Qualys VM, PCI and WAS).
 */

import { normaliseSeverity, pluginVulnId } from "../../core/scan/builder.js";
import type { ReportStatus, Severity } from "../../core/scan/types.js";
import type { CvssScore } from "../../core/types.js";
import { utcInstant } from "../read.js";

export const QUALYS = "qualys";

const LEVELS: Record<string, Severity> = {
  "5": "critical",
  "4": "high",
  "3": "medium",
  "2": "low",
  "1": "low",
};
const LETTERS: Record<string, Severity> = {
  c: "critical",
  u: "critical",
  h: "high",
  m: "medium",
  l: "low",
  i: "info",
};

/** A Qualys severity cell (level 1–5, a letter or a word) on the common scale, for a vulnerability. */
export function qualysSeverity(raw: string | undefined): Severity {
  const text = (raw ?? "").trim();
  if (text === "") return "unknown";
  const level = LEVELS[text];
  if (level) return level;
  const letter = text.length === 1 ? LETTERS[text.toLowerCase()] : undefined;
  return letter ?? normaliseSeverity(text);
}

export type DetectionKind = "confirmed" | "potential" | "info";

/** "Vuln"/"Confirmed" → confirmed, "Practice"/"Potential" → potential, "Ig"/"Info…" → info. */
export function detectionKind(raw: string | undefined): DetectionKind {
  const text = (raw ?? "").trim().toLowerCase();
  if (text === "ig" || text.startsWith("info") || text === "service" || text === "services") return "info";
  if (text.startsWith("potential") || text.startsWith("practice")) return "potential";
  return "confirmed";
}

/** Qualys vulnerability status → the common vocabulary; empty means present (affected). */
export function qualysStatus(raw: string | undefined): ReportStatus {
  const text = (raw ?? "")
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, "");
  if (text === "" || text === "new" || text === "active" || text === "reopened" || text === "open") {
    return "affected";
  }
  if (text === "fixed" || text === "closed") return "resolved";
  return "unknown";
}

const CVE_IN_TEXT = /CVE-\d{4}-\d{4,}/gi;

/** The distinct CVE ids in a cell or attribute ("CVE-2021-1, CVE-2021-2"), upper-cased, in order. */
export function cveList(...texts: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    for (const match of (text ?? "").matchAll(CVE_IN_TEXT)) {
      const id = match[0].toUpperCase();
      if (!out.includes(id)) out.push(id);
    }
  }
  return out;
}

/** The vulnerability ids for one detection: its CVEs, or "qualys:<QID>" when it names none. */
export function qualysVulnIds(qid: string, cves: readonly string[]): string[] {
  return cves.length > 0 ? [...cves] : [pluginVulnId(QUALYS, qid)];
}

/** "443/tcp" from a port and protocol cell; undefined for no port, port 0 or placeholders. */
export function portOf(port: string | undefined, protocol: string | undefined): string | undefined {
  const number = (port ?? "").trim();
  if (!/^\d+$/.test(number) || Number(number) === 0) return undefined;
  const proto = (protocol ?? "").trim().toLowerCase();
  return /^[a-z]+$/.test(proto) ? `${number}/${proto}` : number;
}

const SCORE = /^(\d+(?:\.\d+)?)\s*(?:\(([^)]*)\))?$/;

/**
 * A CVSS score from a Qualys cell: "8.1", "8.1 (AV:N/AC:H/…)" or "9.0 (CVSS:3.1/AV:N/…)". `version` is
 * what the column names ("2.0" for CVSS_BASE, "3.0" for CVSS3); a vector's own "CVSS:3.x/" prefix wins.
 * undefined for empty cells and placeholders ("-", "'-").
 */
export function qualysCvss(raw: string | undefined, version: string, source: string): CvssScore | undefined {
  const match = SCORE.exec((raw ?? "").trim());
  if (!match?.[1]) return undefined;
  const baseScore = Number(match[1]);
  if (!Number.isFinite(baseScore) || baseScore < 0 || baseScore > 10) return undefined;
  const vector = match[2]?.trim();
  const stated = vector ? /^CVSS:(\d\.\d)\//.exec(vector)?.[1] : undefined;
  return {
    version: stated ?? version,
    baseScore,
    ...(vector ? { vector } : {}),
    source,
  };
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?`;
const ZONE = String.raw`(?:\s*\(?(?:GMT|UTC)\s*(?:([+-])(\d{1,2}):?(\d{2})?)?\)?)?`;
/** "04 Feb 2026 10:00AM GMT-0500" */
const DAY_MONTH_YEAR = new RegExp(
  String.raw`^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})(?:\s+${TIME})?${ZONE}$`,
  "i",
);
/** "Feb 03, 2026 07:00 AM" */
const MONTH_DAY_YEAR = new RegExp(
  String.raw`^([A-Za-z]{3})[a-z]*\s+(\d{1,2}),?\s+(\d{4})(?:\s+${TIME})?${ZONE}$`,
  "i",
);
/** "05/25/2021 07:36:58", "09/27/2021 at 14:29:36 (GMT+0100)" */
const SLASHED = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(?:at\s+)?${TIME})?${ZONE}$`, "i");

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function assemble(
  year: number,
  month: number | undefined,
  day: number,
  parts: (string | undefined)[],
): string | null {
  if (month === undefined) return null;
  const [h, m, s, ampm, sign, zh, zm] = parts;
  let hour = h === undefined ? 0 : Number(h);
  if (ampm) {
    const pm = ampm.toUpperCase() === "PM";
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const offset = sign ? `${sign}${pad(Number(zh))}:${pad(Number(zm ?? 0))}` : "Z";
  const text = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(Number(m ?? 0))}:${pad(Number(s ?? 0))}${offset}`;
  return utcInstant(text);
}

/**
 * A UTC instant from a date as Qualys writes it (ISO 8601 too). Dates without a zone are taken as UTC.
 * null when the text is not a date.
 */
export function qualysInstant(raw: string | undefined): string | null {
  const text = (raw ?? "").trim();
  if (text === "") return null;
  const iso = /^\d{4}-\d{2}-\d{2}/.test(text) ? utcInstant(text) : null;
  if (iso) return iso;
  let match = DAY_MONTH_YEAR.exec(text);
  if (match) {
    return assemble(Number(match[3]), MONTHS[match[2]!.toLowerCase()], Number(match[1]), match.slice(4));
  }
  match = MONTH_DAY_YEAR.exec(text);
  if (match) {
    return assemble(Number(match[3]), MONTHS[match[1]!.toLowerCase()], Number(match[2]), match.slice(4));
  }
  match = SLASHED.exec(text);
  if (match) return assemble(Number(match[3]), Number(match[1]), Number(match[2]), match.slice(4));
  return null;
}

/** The later of two instants (either may be missing). */
export function laterInstant(a: string | undefined, b: string | null | undefined): string | undefined {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** A host name: into `fqdn` when it has a dot, `hostname` otherwise. */
export function hostFields(name: string | undefined): { fqdn?: string; hostname?: string } {
  const text = (name ?? "").trim();
  if (text === "" || /^no registered hostname$/i.test(text) || /^'?-$/.test(text)) return {};
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(text) || text.includes(":")) return {};
  return text.includes(".") ? { fqdn: text } : { hostname: text };
}
