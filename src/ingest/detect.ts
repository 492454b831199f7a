/**
 * Format detection by content (never by file name) and dispatch to the parser for that format.
 */
import { PatchlineError } from "../errors.js";
import { parseCsaf } from "./csaf.js";
import { parseCve5 } from "./cve5.js";
import { parseEpssCsv } from "./epss.js";
import {
  firstMatch,
  JSON_FORMATS,
  REPORT_FORMATS,
  reportParser,
  TEXT_FORMATS,
  XML_FORMATS,
} from "./formats.js";
import { parseInventory } from "./inventory.js";
import { parseKevCsv, parseKevJson } from "./kev.js";
import { looksLikeNvd } from "./nvd.js";
import { parseOwners } from "./owners.js";
import { readHead, stripBom } from "./read.js";
import type { FeedFormat, ParsedBatch, ParseInput } from "./types.js";

/** Every format name `--format` accepts. */
export const FEED_FORMATS: readonly FeedFormat[] = [
  "kev-json",
  "kev-csv",
  "epss-csv",
  "cve5",
  "csaf",
  "inventory-csv",
  "inventory-json",
  "owners-csv",
  "owners-json",
  ...REPORT_FORMATS,
];

export function isFeedFormat(value: string): value is FeedFormat {
  return (FEED_FORMATS as readonly string[]).includes(value);
}

function unknown(file: string, what: string): PatchlineError {
  return new PatchlineError(
    "FORMAT_UNKNOWN",
    `cannot tell the format: ${what}; use --format ${FEED_FORMATS.join("|")}`,
    { file },
  );
}

/** The header cells of a CSV line, unquoted, trimmed and lower-cased. */
function headerCells(line: string): string[] {
  return line.split(",").map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .trim()
      .toLowerCase(),
  );
}

/**
 * Tells the format from the first ~64 KB of (gunzipped) text. `path` only names the file in errors.
 * Throws FORMAT_UNKNOWN when the content matches nothing, PARSE_ERROR when the file is empty.
 */
export function detectFormat(path: string, head: string): FeedFormat {
  const text = stripBom(head).trimStart();
  if (text.trim() === "") throw new PatchlineError("PARSE_ERROR", "the file is empty", { file: path });
  if (text.startsWith("{") || text.startsWith("[")) {
    return detectJson(path, text);
  }
  // Binary content (a NUL byte) is nothing this reads.
  if (text.slice(0, 1024).includes("\u0000")) throw unknown(path, "binary content");
  if (text.startsWith("<")) {
    const xml = firstMatch(XML_FORMATS, text);
    if (xml) return xml;
    const root = /<([A-Za-z_][\w:.-]*)[\s>/]/.exec(
      text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, ""),
    );
    throw unknown(
      path,
      `XML that is no report format patchline reads (root element ${root?.[1] ?? "unknown"})`,
    );
  }

  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const first = lines[0] ?? "";
  const firstLower = first.trim().toLowerCase();
  if (firstLower.startsWith("#model_version") || firstLower.startsWith("#score_date")) return "epss-csv";
  const cells = headerCells(firstLower.startsWith("#") ? (lines[1] ?? "") : first);
  if (cells.join(",").startsWith("cve,epss")) return "epss-csv";
  if (cells[0] === "cveid" && cells[1] === "vendorproject") return "kev-csv";
  const has = (name: string): boolean => cells.includes(name);
  if ((has("asset_id") || has("id")) && has("asset_group")) return "inventory-csv";
  if ((has("owner_id") || has("id")) && has("roles") && !has("asset_group")) return "owners-csv";
  const report = firstMatch(TEXT_FORMATS, text);
  if (report) return report;
  const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  throw unknown(path, `the first line '${shown.trim()}' matches no known header`);
}

/** The JSON report formats but NVD's, which detectJson has tested already. */
const JSON_AFTER_NVD = JSON_FORMATS.filter((e) => e.format !== "nvd-json");

function detectJson(file: string, text: string): FeedFormat {
  // Key order is free, so a large document may show only its first members within the head.
  if (/"csaf_version"\s*:/.test(text) || /"product_tree"\s*:\s*\{/.test(text)) return "csaf";
  // An NVD API answer embeds CVE records of its own shape: it is told apart before CVE 5.
  if (looksLikeNvd(text)) return "nvd-json";
  if (/"dataType"\s*:\s*"CVE_RECORD"/.test(text) || /"cveMetadata"\s*:\s*\{/.test(text)) return "cve5";
  if (/^\{\s*"containers"\s*:\s*\{\s*"(cna|adp)"\s*:/.test(text)) return "cve5";
  const kevList = /"vulnerabilities"\s*:\s*\[/.test(text);
  if (kevList && (/"cveID"\s*:\s*"/.test(text) || /"catalogVersion"\s*:\s*"/.test(text))) return "kev-json";
  const report = firstMatch(JSON_AFTER_NVD, text);
  if (report) return report;
  if (/"assets"\s*:\s*\[/.test(text)) return "inventory-json";
  if (/"owners"\s*:\s*\[/.test(text)) return "owners-json";
  if (text.startsWith("[") && /"assetGroup"\s*:/.test(text)) return "inventory-json";
  let keys = "";
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === "object" && !Array.isArray(json)) {
      keys = ` (top-level keys: ${Object.keys(json).slice(0, 8).join(", ") || "none"})`;
    }
  } catch {
    // the head may stop mid-document
  }
  throw unknown(file, `JSON that is no feed, advisory or scanner format patchline reads${keys}`);
}

function dispatch(format: FeedFormat, input: ParseInput): Promise<ParsedBatch> {
  switch (format) {
    case "kev-json":
      return parseKevJson(input);
    case "kev-csv":
      return parseKevCsv(input);
    case "epss-csv":
      return parseEpssCsv(input);
    case "cve5":
      return parseCve5(input);
    case "csaf":
      return parseCsaf(input);
    case "inventory-csv":
    case "inventory-json":
      return parseInventory(input);
    case "owners-csv":
    case "owners-json":
      return parseOwners(input);
    default:
      return reportParser(format)(input);
  }
}

/** Detects the format (unless `format` forces one) and parses the whole file, all or nothing. */
export async function parseFile(
  input: ParseInput,
  format?: FeedFormat,
): Promise<{ format: FeedFormat; batch: ParsedBatch }> {
  const chosen = format ?? detectFormat(input.displayName, await readHead(input));
  return { format: chosen, batch: await dispatch(chosen, input) };
}
