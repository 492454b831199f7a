/**
 * What the Tenable parsers share: Nessus XML (.nessus), the Nessus / Tenable.io CSV exports, the
 * Tenable VM export and Tenable.sc CSV all describe the same Nessus plugin results, so the way a
 * result becomes a finding (or an informational item) lives here once, with the CSV reader,
 * severity scale, CVSS, plugin-output and date helpers.
 *
 * Plugin ids: Nessus, Tenable.io / Tenable VM and Tenable.sc all report Nessus plugins, so a result
 * without a CVE is named "nessus:<plugin id>" whichever product exported it; Tenable WAS has its own
 * plugins and uses "tenable-was:<plugin id>".
 */
import { Transform, type TransformCallback } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { type CsvError, parse as parseCsvStream } from "csv-parse";
import { Temporal } from "temporal-polyfill";
import { isCveId, normaliseSeverity, pluginVulnId, type ReportBuilder } from "../../core/scan/builder.js";
import type { ReportStatus, Severity } from "../../core/scan/types.js";
import type { CvssScore } from "../../core/types.js";
import { isPatchlineError, PatchlineError } from "../../errors.js";
import { openStream, readHead, utcInstant } from "../read.js";
import type { ParseInput } from "../types.js";

// ---------------------------------------------------------------- strings

/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 keeps a substring as a
 * view on its parent, so a 40-character plugin name cut from a 1 MB chunk of a streamed file would
 * keep the whole chunk alive for as long as the report holds the name.
 */
export function own(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, "utf8").toString("utf8");
}

// ---------------------------------------------------------------- severity

const BY_NUMBER: readonly Severity[] = ["info", "low", "medium", "high", "critical"];

/**
 * Tenable severity: the 0–4 number (0 info … 4 critical) or the word ("None", "Info", "Low" …).
 * undefined when the text is neither.
 */
export function tenableSeverity(raw: string | undefined): Severity | undefined {
  const text = raw?.trim() ?? "";
  if (text === "") return undefined;
  if (/^[0-4]$/.test(text)) return BY_NUMBER[Number(text)];
  const severity = normaliseSeverity(text);
  return severity === "unknown" ? undefined : severity;
}

// ---------------------------------------------------------------- CVSS and EPSS

/** Thrown by the helpers below for a value that is present but wrong; the caller adds the place. */
export class FieldProblem extends Error {}

/** A CVSS base score "7.5"; undefined when blank. */
export function cvssNumber(text: string | undefined, what: string): number | undefined {
  const value = text?.trim() ?? "";
  if (value === "" || /^(?:null|n\/a|none|-)$/i.test(value)) return undefined;
  const score = Number(value);
  if (!/^\d+(?:\.\d+)?$/.test(value) || score > 10) {
    throw new FieldProblem(`${what} '${value}' is not a CVSS score (0.0 to 10.0)`);
  }
  return score;
}

/**
 * One CVSS score, source "nessus" ("tenable-was" for WAS): Tenable states scores, not who computed
 * them. The v3 version comes
 * from the vector prefix ("CVSS:3.1/…"); without one it is taken as 3.0, the version Tenable scores
 * in. A v2 vector loses Nessus's "CVSS2#" prefix.
 */
export function cvssScore(
  major: 2 | 3 | 4,
  scoreText: string | undefined,
  vectorText: string | undefined,
  what: string,
  source = "nessus",
): CvssScore | undefined {
  const baseScore = cvssNumber(scoreText, what);
  if (baseScore === undefined) return undefined;
  let vector = vectorText?.trim() ?? "";
  if (/^(?:null|n\/a)$/i.test(vector)) vector = "";
  let version = major === 2 ? "2.0" : major === 3 ? "3.0" : "4.0";
  if (major === 2) vector = vector.replace(/^CVSS2#/i, "");
  const stated = /^CVSS:(\d\.\d)\//.exec(vector)?.[1];
  if (major !== 2 && stated?.startsWith(String(major))) version = stated;
  const score: CvssScore = { version, baseScore, source };
  if (vector !== "") score.vector = vector;
  return score;
}

/** EPSS as Tenable writes it: a probability "0.0123", or a percentage "1.23%" / "1.23". */
export function epssScore(text: string | undefined): { score: number } | undefined {
  const value = text?.trim() ?? "";
  if (value === "") return undefined;
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(value);
  if (!match?.[1]) return undefined;
  let score = Number(match[1]);
  if (match[2] === "%" || score > 1) score /= 100;
  return score >= 0 && score <= 1 ? { score } : undefined;
}

// ---------------------------------------------------------------- identifiers

/** CVE ids in a cell or element: "CVE-2022-21619, CVE-2022-21624" → upper-cased, each once. */
export function cveList(text: string | undefined): string[] {
  const out: string[] = [];
  for (const token of (text ?? "").split(/[\s,;]+/)) {
    if (token === "" || !isCveId(token)) continue;
    const id = own(token.toUpperCase());
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** CPE names in a cell or element, split on commas and white space. */
export function cpeList(text: string | undefined): string[] {
  return (text ?? "").split(/[\s,]+/).filter((token) => /^(?:p-)?cpe:/i.test(token));
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9a-f]*:[0-9a-f:.]*$/i;

export function isIp(text: string): boolean {
  return IPV4.test(text) || (IPV6.test(text) && text.includes(":"));
}

export function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** "443/tcp", or undefined for port 0 / blank (a host-level result). */
export function portOf(port: string | undefined, protocol: string | undefined): string | undefined {
  const number = port?.trim() ?? "";
  if (number === "" || /^0+$/.test(number)) return undefined;
  const proto = protocol?.trim().toLowerCase() ?? "";
  return proto === "" ? number : `${number}/${proto}`;
}

/** The first non-blank line of a multi-line tag ("mac-address", "operating-system"). */
export function firstLine(text: string | undefined): string | undefined {
  for (const line of (text ?? "").split(/\r?\n/)) {
    const value = line.trim();
    if (value !== "") return value;
  }
  return undefined;
}

// ---------------------------------------------------------------- plugin output

export interface OutputFacts {
  /** Distinct "Installed version : x" values. */
  installed: string[];
  /** Version-like "Fixed version : x" values (several when the line lists "5.3.12 / 5.4.2"). */
  fixed: string[];
  /** A "Fixed version" line that names no version but says the product is out of support. */
  endOfLife?: string;
  /** Paths and URLs the output names ("Path : …", "URL : …", "Version source : http://…"). */
  locations: string[];
}

const INSTALLED = /^[ \t]*Installed version[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*$/gim;
const FIXED = /^[ \t]*Fixed version[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*$/gim;
const WHERE = /^[ \t]*(?:Path|Install(?:ation)? path|URL|Version source)[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*$/gim;
const QUOTED_URL = /\bURL '([^'\s]+)'/g;
const VERSION = /^v?\d[\w.+~:-]*$/;
const END_OF_LIFE = /no longer supported|unsupported|end of (?:life|support)/i;

function pushOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(own(value));
}

/**
 * Reads the few plugin-output lines that carry structured facts. Nessus has no structured field for
 * versions, but its version checks print "Installed version : 5.1.6" and "Fixed version : 5.2".
 */
export function outputFacts(output: string | undefined): OutputFacts {
  const facts: OutputFacts = { installed: [], fixed: [], locations: [] };
  if (!output) return facts;
  for (const match of output.matchAll(INSTALLED)) {
    const version = match[1]?.split(/\s+/)[0] ?? "";
    if (VERSION.test(version)) pushOnce(facts.installed, version);
  }
  for (const match of output.matchAll(FIXED)) {
    const text = match[1] ?? "";
    const versions = text.split(/\s*(?:\/|,|\bor\b)\s*/).filter((token) => VERSION.test(token));
    for (const version of versions) pushOnce(facts.fixed, version);
    if (versions.length === 0 && END_OF_LIFE.test(text)) facts.endOfLife = own(text);
  }
  for (const match of output.matchAll(WHERE)) {
    const value = match[1] ?? "";
    if (isUrl(value)) pushOnce(facts.locations, value.split(/\s+/)[0] ?? value);
    else if (/^(?:\/|[A-Za-z]:\\|\\\\)/.test(value)) pushOnce(facts.locations, value);
  }
  for (const match of output.matchAll(QUOTED_URL)) if (match[1]) pushOnce(facts.locations, match[1]);
  return facts;
}

/**
 * The one application a result's CPEs name ("cpe:/a:php:php" → "php"), or undefined when they name
 * none or several. Package CPEs ("p-cpe:") and operating systems are not applications.
 */
export function applicationProduct(cpes: readonly string[]): string | undefined {
  const products = new Set<string>();
  for (const cpe of cpes) {
    const match = /^cpe:(?:\/a:|2\.3:a:)([^:]+):([^:]+)/i.exec(cpe.trim());
    if (match?.[2]) products.add(match[2].toLowerCase());
  }
  const [product] = products;
  return products.size === 1 && product !== undefined ? own(product) : undefined;
}

/** What plugin 19506 "Nessus Scan Information" says about the scan. */
export interface ScanInformation {
  scannerVersion?: string;
  policy?: string;
  /** "Scan Start Date", as a UTC instant (see nessusInstant). */
  start?: string;
}

export function scanInformation(output: string | undefined): ScanInformation {
  const info: ScanInformation = {};
  if (!output) return info;
  const line = (label: string): string | undefined =>
    new RegExp(`^[ \\t]*${label}[ \\t]*:[ \\t]*(\\S[^\\n]*?)[ \\t]*$`, "im").exec(output)?.[1];
  const version = line("Nessus version");
  if (version) info.scannerVersion = own(version);
  const policy = line("Scan policy used");
  if (policy) info.policy = own(policy);
  const start = line("Scan Start Date");
  const instant = start ? nessusInstant(start) : null;
  if (instant) info.start = instant;
  return info;
}

export const SCAN_INFORMATION_PLUGIN = "19506";

// ---------------------------------------------------------------- dates

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function instantOf(
  y: string,
  mo: number,
  d: string,
  h: string,
  mi: string,
  s: string | undefined,
): string | null {
  try {
    return Temporal.PlainDateTime.from(
      {
        year: Number(y),
        month: mo,
        day: Number(d),
        hour: Number(h),
        minute: Number(mi),
        second: Number(s ?? 0),
      },
      { overflow: "reject" },
    )
      .toZonedDateTime("UTC")
      .toInstant()
      .toString();
  } catch {
    return null;
  }
}

/**
 * A Tenable time as a UTC instant, or null when the text is none of the forms Tenable writes:
 * - epoch seconds ("1648044472", the HOST_END_TIMESTAMP tag);
 * - ISO 8601 ("2021-03-12T14:35:34.341269+00:00", Tenable WAS and Tenable.io);
 * - Nessus's ctime form "Thu Jan 21 12:19:45 2021" and the plugin 19506 form "2021/1/25 18:40 Romance
 *   Standard Time". Both are the scanner's local time and name no usable zone; they are taken as UTC,
 *   so a report time read from them can be off by the scanner's UTC offset;
 * - Tenable.sc's "Feb 19, 2024 21:01:01 UTC" (another zone than UTC/GMT is refused, not guessed).
 */
export function nessusInstant(raw: string): string | null {
  const text = raw.trim();
  if (/^\d{9,11}$/.test(text)) return Temporal.Instant.fromEpochMilliseconds(Number(text) * 1000).toString();
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return utcInstant(text);
  const month = (name: string | undefined): number => MONTHS.indexOf(name?.toLowerCase() ?? "") + 1;
  let m = /^(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(text);
  if (m?.[6] && month(m[1]) > 0) return instantOf(m[6], month(m[1]), m[2]!, m[3]!, m[4]!, m[5]);
  m = /^([A-Za-z]{3})\s+(\d{1,2}),\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+(UTC|GMT|Z))?$/i.exec(text);
  if (m?.[3] && month(m[1]) > 0) return instantOf(m[3], month(m[1]), m[2]!, m[4]!, m[5]!, m[6]);
  m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s|$)/.exec(text);
  if (m?.[1]) return instantOf(m[1], Number(m[2]), m[3]!, m[4]!, m[5]!, m[6]);
  return null;
}

/** The later of two instants (either may be missing). */
export function later(a: string | undefined, b: string | null | undefined): string | undefined {
  if (!b) return a;
  if (!a) return b;
  return Temporal.Instant.compare(Temporal.Instant.from(a), Temporal.Instant.from(b)) >= 0 ? a : b;
}

// ---------------------------------------------------------------- status

/** Tenable.io / Tenable VM "Vulnerability State" / "state" → the report-status vocabulary. */
export function stateStatus(raw: string | undefined): { status: ReportStatus; detail: string } | undefined {
  const text = raw?.trim() ?? "";
  if (text === "") return undefined;
  const word = text.toLowerCase();
  if (["open", "active", "new", "reopened", "resurfaced"].includes(word))
    return { status: "affected", detail: text };
  if (word === "fixed") return { status: "resolved", detail: text };
  return { status: "unknown", detail: text };
}

// ---------------------------------------------------------------- one result

/** One plugin result on one asset, as any Tenable format states it. */
export interface TenableResult {
  asset: string;
  pluginId: string;
  /** "nessus" or "tenable-was": the namespace of plugin ids (see the module comment). */
  plugins: "nessus" | "tenable-was";
  title?: string | undefined;
  severity: Severity;
  cves: string[];
  port?: string | undefined;
  cvss: CvssScore[];
  epss?: { score: number } | undefined;
  output?: string | undefined;
  cpes: string[];
  /** The plugin says the product is no longer supported by its vendor. */
  unsupported: boolean;
  /** What a state column says, when the format has one. */
  state?: { status: ReportStatus; detail: string } | undefined;
}

/**
 * Hands one result to the builder. Informational results (severity 0 / "None" / "Info") become
 * "informational" items. Otherwise one finding per CVE (or one "nessus:<plugin>" finding when there is
 * none), all on the same asset, port and plugin, with "nessus:<plugin>" (or "tenable-was:<plugin>")
 * among the aliases.
 *
 * Versions: "Fixed version" lines of the plugin output become fixed versions. A package is created
 * only when the output names exactly one installed version and the result's CPEs name exactly one
 * application (its product is the package name: "php@5.1.6"); otherwise the finding stays a network
 * finding keyed by port and plugin. Paths and URLs in the output become locations.
 *
 * Status: a state column saying Fixed → resolved (an unknown state word → unknown); else a product out
 * of vendor support → end_of_life; else a fixed version named → fixed; else affected.
 */
export function addResult(builder: ReportBuilder, result: TenableResult): void {
  const title = result.title?.trim() || undefined;
  if (result.severity === "info") {
    builder.other({
      kind: "informational",
      asset: result.asset,
      id: result.pluginId,
      severity: "info",
      ...(title !== undefined ? { title } : {}),
      ...(result.port !== undefined ? { location: result.port } : {}),
    });
    return;
  }
  const facts = outputFacts(result.output);
  const product = facts.installed.length === 1 ? applicationProduct(result.cpes) : undefined;
  let status: ReportStatus = facts.fixed.length > 0 ? "fixed" : "affected";
  let statusDetail: string | undefined;
  if (result.unsupported || facts.endOfLife !== undefined) {
    status = "end_of_life";
    statusDetail = facts.endOfLife;
  }
  if (result.state) {
    if (result.state.status !== "affected") status = result.state.status;
    statusDetail = result.state.detail;
  }
  const ownId = pluginVulnId(result.plugins, result.pluginId);
  const ids = result.cves.length > 0 ? result.cves : [ownId];
  for (const vulnId of ids) {
    builder.finding({
      asset: result.asset,
      vulnId,
      aliases: [ownId],
      ...(title !== undefined ? { title } : {}),
      ...(product !== undefined ? { package: { name: product, version: facts.installed[0]! } } : {}),
      fixedVersions: facts.fixed,
      ...(result.port !== undefined ? { port: result.port } : {}),
      plugin: result.pluginId,
      severity: result.severity,
      cvss: result.cvss,
      ...(result.epss ? { epss: result.epss } : {}),
      locations: facts.locations,
      status,
      ...(statusDetail !== undefined ? { statusDetail } : {}),
    });
  }
}

// ---------------------------------------------------------------- CSV

/** Lower-cased, trimmed, inner white space collapsed: how header names are compared. */
export function headerKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The header cells of the first line of `head`, split on `delimiter`, quotes removed, keyed. */
export function headerCells(head: string, delimiter: string): string[] {
  const newline = head.search(/\r?\n/);
  const line = newline === -1 ? head : head.slice(0, newline);
  return line.split(delimiter).map((cell) => headerKey(cell.replace(/^\s*"|"\s*$/g, "")));
}

/** ";" when the header line has more semicolons than commas, else ",". */
export function sniffDelimiter(head: string): "," | ";" {
  const newline = head.search(/\r?\n/);
  const line = newline === -1 ? head : head.slice(0, newline);
  const count = (ch: string): number => line.split(ch).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

/** A data row: its cells and the 1-based line it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** Column lookup by any of several header names (compared with headerKey). */
export class CsvColumns {
  private readonly index = new Map<string, number>();

  constructor(readonly header: readonly string[]) {
    header.forEach((name, i) => {
      const key = headerKey(name);
      if (key !== "" && !this.index.has(key)) this.index.set(key, i);
    });
  }

  has(...names: string[]): boolean {
    return names.some((n) => this.index.has(headerKey(n)));
  }

  /** The trimmed cell of the first named column present; undefined when absent or blank. */
  get(row: CsvRow, ...names: string[]): string | undefined {
    for (const name of names) {
      const i = this.index.get(headerKey(name));
      if (i === undefined) continue;
      const value = row.cells[i]?.trim() ?? "";
      if (value !== "") return value;
    }
    return undefined;
  }

  /** Like get, untrimmed (plugin output keeps its layout). */
  raw(row: CsvRow, ...names: string[]): string | undefined {
    for (const name of names) {
      const i = this.index.get(headerKey(name));
      if (i === undefined) continue;
      const value = row.cells[i] ?? "";
      if (value.trim() !== "") return value;
    }
    return undefined;
  }
}

/** Decodes UTF-8, drops a byte-order mark and turns CR LF / CR into LF so csv-parse counts lines right. */
class LineEndings extends Transform {
  private readonly decoder = new StringDecoder("utf8");
  private first = true;
  private pendingCr = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.emitText(this.decoder.write(chunk), false);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.emitText(this.decoder.end(), true);
    callback();
  }

  private emitText(decoded: string, last: boolean): void {
    let text = (this.pendingCr ? "\r" : "") + decoded;
    this.pendingCr = false;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    if (!last && text.endsWith("\r")) {
      this.pendingCr = true;
      text = text.slice(0, -1);
    }
    if (text.length > 0) this.push(text.replace(/\r\n?/g, "\n"));
  }
}

function csvProblem(error: unknown, file: string, nextLine: number): PatchlineError {
  if (isPatchlineError(error)) return error;
  const err = error as Partial<CsvError> & { lines?: number; message?: string };
  if (err.code === "CSV_QUOTE_NOT_CLOSED") {
    return new PatchlineError(
      "PARSE_ERROR",
      "a quoted field opened here is never closed (is the file cut short?)",
      { file, line: nextLine },
    );
  }
  if (typeof err.code === "string" && err.code.startsWith("CSV_")) {
    const message = (err.message ?? "broken CSV").replace(/:? at line \d+/, "").replace(/\.$/, "");
    return new PatchlineError("PARSE_ERROR", `not valid CSV: ${message}`, {
      file,
      ...(typeof err.lines === "number" ? { line: err.lines } : {}),
    });
  }
  return readProblem(error, file);
}

/** A failure while streaming the file (gzip damage, I/O) in the words read.ts uses. */
export function readProblem(error: unknown, file: string): PatchlineError {
  if (isPatchlineError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new PatchlineError("PARSE_ERROR", `not a valid gzip file (${(error as Error).message})`, { file });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new PatchlineError("INPUT_UNREADABLE", `cannot read the file: ${reason}`, { file });
}

/**
 * Streams a CSV export row by row (never holding the file): sniffs "," or ";" from the header line,
 * hands the header to `onHeader` and every non-blank row to `onRow` with the line it starts on. A row
 * with a different number of cells than the header is a PARSE_ERROR (a cut-short or mis-quoted file);
 * an unclosed quote is a PARSE_ERROR at the line it opens on.
 */
export async function readCsvRows(
  input: ParseInput,
  onHeader: (columns: CsvColumns, line: number) => void,
  onRow: (row: CsvRow) => void,
): Promise<void> {
  const file = input.displayName;
  const head = await readHead(input, 64 * 1024);
  if (head.trim() === "") throw new PatchlineError("PARSE_ERROR", "the file is empty", { file });
  const delimiter = sniffDelimiter(head);
  const source = await openStream(input);
  const parser = parseCsvStream({
    delimiter,
    info: true,
    relax_column_count: true,
    max_record_size: 64 * 1024 * 1024,
  });
  let lastLine = 0;
  let width = -1;
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const fail = (error: unknown): void => {
      if (done) return;
      done = true;
      source.destroy();
      parser.destroy();
      reject(csvProblem(error, file, lastLine + 1));
    };
    parser.on("data", (entry: { record: string[]; info: { lines: number } }) => {
      if (done) return;
      const row: CsvRow = { line: lastLine + 1, cells: entry.record };
      lastLine = entry.info.lines;
      if (row.cells.every((cell) => cell.trim() === "")) return;
      try {
        if (width === -1) {
          width = row.cells.length;
          onHeader(new CsvColumns(row.cells), row.line);
          return;
        }
        if (row.cells.length !== width) {
          throw new PatchlineError(
            "PARSE_ERROR",
            `the row has ${row.cells.length} cells but the header has ${width}`,
            { file, line: row.line },
          );
        }
        onRow(row);
      } catch (error) {
        fail(error);
      }
    });
    parser.on("error", fail);
    parser.on("end", () => {
      if (done) return;
      done = true;
      if (width === -1) reject(new PatchlineError("PARSE_ERROR", "the file has no header row", { file }));
      else resolve();
    });
    source.on("error", fail);
    const normaliser = new LineEndings();
    normaliser.on("error", fail);
    source.pipe(normaliser).pipe(parser);
  });
}

/** A problem with a CSV row as a VALIDATION_ERROR naming its line. */
/**
 * Refuses a header that lacks one of the column groups (each group: names of which one must be
 * present), naming the export it is not and what is missing.
 */
export function requireColumns(
  header: CsvColumns,
  file: string,
  line: number,
  what: string,
  groups: readonly (readonly string[])[],
): void {
  const missing = groups.filter((names) => !header.has(...names));
  if (missing.length > 0) {
    throw rowError(
      file,
      line,
      `not a ${what}: missing column ${missing.map((names) => names.join(" or ")).join(", ")}`,
    );
  }
}

export function rowError(file: string, line: number, message: string): PatchlineError {
  return new PatchlineError("VALIDATION_ERROR", message, { file, line });
}

/** Runs `fn`, turning a FieldProblem into a VALIDATION_ERROR at `line`. */
export function atLine<T>(file: string, line: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof FieldProblem) throw rowError(file, line, error.message);
    throw error;
  }
}
