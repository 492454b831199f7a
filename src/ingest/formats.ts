/**
 * The scanner and advisory formats beyond the feeds: each with the test that recognises it from the
 * first 64 KB of text and its parser. Order matters where formats nest (osv-scanner output embeds
 * OSV records; SARIF from Trivy names Trivy): the more specific format comes first.
 */
import { looksLikeNvd, parseNvd } from "./nvd.js";
import { looksLikeOsv, parseOsv } from "./osv.js";
import { looksLikeCycloneDxJson, parseCycloneDxJson } from "./scan/cyclonedx-json.js";
import { looksLikeCycloneDxXml, parseCycloneDxXml } from "./scan/cyclonedx-xml.js";
import { looksLikeGrype, parseGrype } from "./scan/grype.js";
import { looksLikeNessusCsv, parseNessusCsv } from "./scan/nessus-csv.js";
import { looksLikeNessusXml, parseNessusXml } from "./scan/nessus-xml.js";
import { looksLikeOpenvasCsv, parseOpenvasCsv } from "./scan/openvas-csv.js";
import { looksLikeOpenvasXml, parseOpenvasXml } from "./scan/openvas-xml.js";
import { looksLikeOsvScanner, parseOsvScanner } from "./scan/osv-scanner.js";
import { looksLikeQualysAssetXml, parseQualysAssetXml } from "./scan/qualys-asset-xml.js";
import { looksLikeQualysCsv, parseQualysCsv } from "./scan/qualys-csv.js";
import { looksLikeQualysScanXml, parseQualysScanXml } from "./scan/qualys-scan-xml.js";
import { looksLikeQualysWas, parseQualysWas } from "./scan/qualys-was.js";
import { looksLikeSarif, parseSarif } from "./scan/sarif.js";
import { looksLikeSpdxJson, looksLikeSpdxTagValue, parseSpdxJson, parseSpdxTagValue } from "./scan/spdx.js";
import { looksLikeTenableCsv, parseTenableCsv } from "./scan/tenable-csv.js";
import { looksLikeTenableScCsv, parseTenableScCsv } from "./scan/tenable-sc-csv.js";
import { looksLikeTrivy, parseTrivy } from "./scan/trivy.js";
import type { Parser } from "./types.js";

export const JSON_FORMATS = [
  { format: "nvd-json", looksLike: looksLikeNvd, parse: parseNvd, label: "NVD API 2.0" },
  {
    format: "osv-scanner-json",
    looksLike: looksLikeOsvScanner,
    parse: parseOsvScanner,
    label: "osv-scanner",
  },
  { format: "osv-json", looksLike: looksLikeOsv, parse: parseOsv, label: "OSV" },
  { format: "sarif", looksLike: looksLikeSarif, parse: parseSarif, label: "SARIF" },
  { format: "trivy-json", looksLike: looksLikeTrivy, parse: parseTrivy, label: "Trivy" },
  { format: "grype-json", looksLike: looksLikeGrype, parse: parseGrype, label: "Grype" },
  {
    format: "cyclonedx-json",
    looksLike: looksLikeCycloneDxJson,
    parse: parseCycloneDxJson,
    label: "CycloneDX",
  },
  { format: "spdx-json", looksLike: looksLikeSpdxJson, parse: parseSpdxJson, label: "SPDX" },
] as const;

export const XML_FORMATS = [
  { format: "nessus-xml", looksLike: looksLikeNessusXml, parse: parseNessusXml, label: "Nessus" },
  {
    format: "openvas-xml",
    looksLike: looksLikeOpenvasXml,
    parse: parseOpenvasXml,
    label: "OpenVAS/Greenbone",
  },
  { format: "qualys-was-xml", looksLike: looksLikeQualysWas, parse: parseQualysWas, label: "Qualys WAS" },
  {
    format: "qualys-asset-xml",
    looksLike: looksLikeQualysAssetXml,
    parse: parseQualysAssetXml,
    label: "Qualys asset data report",
  },
  {
    format: "qualys-scan-xml",
    looksLike: looksLikeQualysScanXml,
    parse: parseQualysScanXml,
    label: "Qualys scan",
  },
  { format: "cyclonedx-xml", looksLike: looksLikeCycloneDxXml, parse: parseCycloneDxXml, label: "CycloneDX" },
] as const;

export const TEXT_FORMATS = [
  {
    format: "tenable-sc-csv",
    looksLike: looksLikeTenableScCsv,
    parse: parseTenableScCsv,
    label: "Tenable.sc",
  },
  { format: "tenable-csv", looksLike: looksLikeTenableCsv, parse: parseTenableCsv, label: "Tenable" },
  { format: "nessus-csv", looksLike: looksLikeNessusCsv, parse: parseNessusCsv, label: "Nessus" },
  {
    format: "openvas-csv",
    looksLike: looksLikeOpenvasCsv,
    parse: parseOpenvasCsv,
    label: "OpenVAS/Greenbone",
  },
  { format: "qualys-csv", looksLike: looksLikeQualysCsv, parse: parseQualysCsv, label: "Qualys" },
  { format: "spdx-tag", looksLike: looksLikeSpdxTagValue, parse: parseSpdxTagValue, label: "SPDX tag-value" },
] as const;

type Entry = { format: string; looksLike: (head: string) => boolean; parse: Parser; label: string };

export type ReportFormat =
  | (typeof JSON_FORMATS)[number]["format"]
  | (typeof XML_FORMATS)[number]["format"]
  | (typeof TEXT_FORMATS)[number]["format"];

const ALL: readonly Entry[] = [...JSON_FORMATS, ...XML_FORMATS, ...TEXT_FORMATS];

export const REPORT_FORMATS: readonly ReportFormat[] = ALL.map((e) => e.format as ReportFormat);

/** Formats that carry advisories (vulnerability records), not what a scanner found. */
const ADVISORY_FORMATS: ReadonlySet<string> = new Set(["nvd-json", "osv-json"]);

/** True for the formats whose files are scanner reports (a "scan" batch). */
export function isScannerFormat(format: string): boolean {
  return (REPORT_FORMATS as readonly string[]).includes(format) && !ADVISORY_FORMATS.has(format);
}

export function reportParser(format: ReportFormat): Parser {
  const entry = ALL.find((e) => e.format === format);
  if (!entry) throw new Error(`no parser for ${format}`);
  return entry.parse;
}

/** The first format in `list` whose test accepts the head, if any. */
export function firstMatch(list: readonly Entry[], head: string): ReportFormat | undefined {
  return list.find((e) => e.looksLike(head))?.format as ReportFormat | undefined;
}
