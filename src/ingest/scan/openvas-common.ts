/**
 * What the OpenVAS / Greenbone XML and CSV readers share: how a result becomes a finding or an
 * informational item, its ids, its port and what its description says about the fix.
 *
 * Decisions:
 * - threat "Log" / "Debug" / "Error" or a severity of 0 (or -2/-3) → other "informational";
 * - threat "False Positive" (severity -1) → a finding with status not_affected;
 * - every CVE a result names gives one finding (plugin = NVT OID, alias "openvas:<oid>"); a result
 *   naming none is "openvas:<oid>"; an OID that is itself a CVE id (the CVE scanner) is that CVE;
 * - "general/tcp", "package" and other non-numeric ports → no port; a result with no port whose text
 *   says "The product was found at: 80/tcp" (the CVE scanner) takes that port;
 * - a "Fixed version:" line in the result text → fixedVersions and status "fixed"; "Installation
 *   path / port:" and "File checked:" lines → locations.
 * - Assets are keyed per host IP: results and the host section may name the host differently (or not
 *   at all), so findings are buffered and assigned once every name for an IP is known.
 */

import type { FindingInput, OtherInput } from "../../core/scan/builder.js";
import {
  isCveId,
  normaliseSeverity,
  pluginVulnId,
  type ReportBuilder,
  severityFromScore,
} from "../../core/scan/builder.js";
import type { Severity } from "../../core/scan/types.js";

export const OPENVAS = "openvas";

/** "443/tcp" from "443/tcp", "80/tcp (IANA: www-http)" or "www (80/tcp)"; undefined for "general/tcp". */
export function openvasPort(raw: string | undefined): string | undefined {
  const match = /(\d+)\s*\/\s*([a-z]+)/i.exec(raw ?? "");
  if (!match?.[1] || Number(match[1]) === 0) return undefined;
  return `${Number(match[1])}/${match[2]!.toLowerCase()}`;
}

export type ResultKind = "finding" | "false_positive" | "informational";

/** What a result is, from its threat word and its numeric severity. */
export function resultKind(threat: string, severity: number): ResultKind {
  const word = threat.trim().toLowerCase();
  if (word === "false positive" || severity === -1) return "false_positive";
  if (word === "log" || word === "debug" || word === "error") return "informational";
  if (Number.isFinite(severity) && severity <= 0) return "informational";
  if (!Number.isFinite(severity) && (word === "" || word === "none")) return "informational";
  return "finding";
}

/** The finding severity: from the score when it is positive, otherwise from the threat word. */
export function resultSeverity(threat: string, severity: number): Severity {
  if (Number.isFinite(severity) && severity > 0) return severityFromScore(severity);
  const word = normaliseSeverity(threat);
  return word === "info" ? "unknown" : word;
}

/** A number from a cell or element ("9.8", ""), NaN when absent. */
export function numberOf(raw: string | undefined): number {
  const text = (raw ?? "").trim();
  return text === "" ? Number.NaN : Number(text);
}

/** The vulnerability ids of a result: its CVEs, the OID when it is a CVE id, else "openvas:<oid>". */
export function openvasVulnIds(oid: string, cves: readonly string[]): string[] {
  if (cves.length > 0) return [...cves];
  if (isCveId(oid)) return [oid.toUpperCase()];
  return [pluginVulnId(OPENVAS, oid)];
}

/** The aliases every finding of a result carries: "openvas:<oid>" unless the OID is a CVE id. */
export function openvasAliases(oid: string): string[] {
  return isCveId(oid) ? [] : [pluginVulnId(OPENVAS, oid)];
}

const CVE_IN_TEXT = /CVE-\d{4}-\d{4,}/gi;

export function cvesIn(text: string | undefined): string[] {
  const out: string[] = [];
  for (const match of (text ?? "").matchAll(CVE_IN_TEXT)) {
    const id = match[0].toUpperCase();
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

const FIXED = /^\s*Fixed version:[ \t]*(\S[^\n]*?)\s*$/im;
const INSTALL_PATH = /^\s*(?:Installation\s*\n\s*)?path \/ port:[ \t]*(\S[^\n]*?)\s*$/im;
const FILE_CHECKED = /^\s*File checked:[ \t]*(\S[^\n]*?)\s*$/im;
const NO_FIX = /^(none|n\/a|unknown|willnotfix|-)$/i;

const FOUND_AT = /The product was found at:\s*(\d+\/[a-z]+)/i;

/**
 * What a result's text says: the fixed version, where the product was found and, for the CVE scanner's
 * results ("The product was found at: 80/tcp."), the port.
 */
export function descriptionFacts(text: string): {
  fixedVersions: string[];
  locations: string[];
  port?: string;
} {
  const fixedVersions: string[] = [];
  const fixed = FIXED.exec(text)?.[1];
  if (fixed && !NO_FIX.test(fixed)) fixedVersions.push(fixed);
  const locations: string[] = [];
  for (const pattern of [INSTALL_PATH, FILE_CHECKED]) {
    const place = pattern.exec(text)?.[1];
    if (place && place !== "/" && !locations.includes(place)) locations.push(place);
  }
  const port = openvasPort(FOUND_AT.exec(text)?.[1]);
  return { fixedVersions, locations, ...(port ? { port } : {}) };
}

/** A buffered result: its asset is filled in by flush(). */
type Pending = { ip: string; finding: FindingInput } | { ip: string; other: OtherInput };

/**
 * Collects a report's results per host IP and hands them to the builder once every name the report
 * gives each host is known, so one host is one asset however its results name it.
 */
export class HostBuffer {
  private readonly hosts = new Map<string, { hostname?: string; os?: string; mac?: string }>();
  private readonly pending: Pending[] = [];

  /**
   * Registers a host (by IP, or by name when the report gives no IP) and any names it has: the first
   * name seen is kept, unless `preferred` (the report's own host details) replaces it.
   */
  host(ip: string, names: { hostname?: string; os?: string; mac?: string } = {}, preferred = false): void {
    const entry = this.hosts.get(ip) ?? {};
    for (const key of ["hostname", "os", "mac"] as const) {
      const value = names[key]?.trim();
      if (value && (preferred || entry[key] === undefined)) entry[key] = value;
    }
    this.hosts.set(ip, entry);
  }

  finding(ip: string, finding: Omit<FindingInput, "asset">): void {
    this.pending.push({ ip, finding: finding as FindingInput });
  }

  other(ip: string, other: Omit<OtherInput, "asset">): void {
    this.pending.push({ ip, other: other as OtherInput });
  }

  /** Registers every host as an asset, then every buffered result, in report order. */
  flush(builder: ReportBuilder): void {
    const keys = new Map<string, string>();
    for (const [ip, names] of this.hosts) {
      const isIp = /^[\d.]+$|:/.test(ip);
      const key = builder.asset({
        ...(isIp ? { ip } : { hostname: names.hostname ?? ip }),
        ...(names.hostname ? { hostname: names.hostname } : {}),
        ...(names.os ? { os: names.os } : {}),
        ...(names.mac ? { mac: names.mac } : {}),
      });
      if (key !== undefined) keys.set(ip, key);
    }
    for (const item of this.pending) {
      const asset = keys.get(item.ip);
      if (asset === undefined) continue;
      if ("finding" in item) {
        item.finding.asset = asset;
        builder.finding(item.finding);
      } else {
        item.other.asset = asset;
        builder.other(item.other);
      }
    }
    this.pending.length = 0;
  }
}
