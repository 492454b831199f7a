/**
 * FIRST EPSS daily scores: `#model_version:…,score_date:…` then `cve,epss,percentile` then one row per
 * CVE. Full files hold ~300k rows, so this streams (gunzipping on the fly) and reads each row in place
 * by hand instead of going through a general CSV parser.
 */
import { basename } from "node:path";
import type { EpssScore } from "../core/types.js";
import { PatchlineError } from "../errors.js";
import { eachLine, eachLineSpan, isoDate } from "./read.js";
import type { ParsedBatch, ParseInput } from "./types.js";

const HEADER = "cve,epss,percentile";
const FILE_DATE = /(\d{4}-\d{2}-\d{2})/;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

export interface EpssMeta {
  modelVersion?: string;
  scoreDate?: string;
}

/** Reads `#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000` (order and spacing free). */
export function parseEpssComment(line: string): EpssMeta {
  const meta: EpssMeta = {};
  for (const part of line.replace(/^#/, "").split(",")) {
    const colon = part.indexOf(":");
    if (colon === -1) continue;
    const key = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).trim();
    if (key === "model_version" && value !== "") meta.modelVersion = value;
    else if (key === "score_date") meta.scoreDate = value;
  }
  return meta;
}

/**
 * A probability in [0, 1] from `text[start, end)`, or NaN. Plain decimals with up to 15 digits are read
 * by hand (an exact integer divided by an exact power of ten rounds the same as Number()); anything
 * else (exponents, long fractions, spaces) goes through Number().
 */
export function probability(text: string, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) fraction = 0;
    else {
      plain = false;
      break;
    }
  }
  let value = Number.NaN;
  if (plain && digits > 0 && digits <= 15) value = mantissa / (POW10[Math.max(fraction, 0)] ?? 1);
  else if (end > start) {
    const slice = text.slice(start, end).trim();
    if (slice !== "") value = Number(slice);
  }
  return value >= 0 && value <= 1 ? value : Number.NaN;
}

/**
 * A numeric key for a well-formed CVE id in `text[start, end)` ("CVE-2024-3400" → 2024·10¹⁰ + 3400),
 * or -1 when it is not one. Checks the id and builds the key in one pass, without a regex.
 */
export function cveKey(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 13 || length > 19) return -1; // 4 to 10 sequence digits keep the key exact
  if (
    text.charCodeAt(start) !== 67 ||
    text.charCodeAt(start + 1) !== 86 ||
    text.charCodeAt(start + 2) !== 69
  ) {
    return -1; // "CVE"
  }
  if (text.charCodeAt(start + 3) !== 45 || text.charCodeAt(start + 8) !== 45) return -1; // "-"
  let year = 0;
  for (let i = start + 4; i < start + 8; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    year = year * 10 + c;
  }
  let seq = 0;
  for (let i = start + 9; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    seq = seq * 10 + c;
  }
  return year * 1e10 + seq;
}

function fail(file: string, line: number, message: string, code: "PARSE_ERROR" | "VALIDATION_ERROR"): never {
  throw new PatchlineError(code, message, { file, line });
}

/** Stops the read at the first repeated CVE; the error is worded once both lines are known. */
class DuplicateFound extends Error {}

/** The first line that starts with `cve,` (only read again to word a duplicate error). */
async function firstLineOf(input: ParseInput, cve: string): Promise<number> {
  let found = 0;
  await eachLine(input, (text, n) => {
    if (found === 0 && text.startsWith(`${cve},`)) found = n;
  });
  return found;
}

/**
 * Refuses a CVE scored twice. Rows come sorted (by id or by text); while either order holds strictly
 * there can be no duplicate, so a set of seen ids is only built once both orders break.
 */
class DuplicateCheck {
  private seen: Set<number> | undefined;
  private lastKey = -1;
  private lastCve = "";
  private byKey = true;
  private byText = true;

  /** True when `cve` (with `key`) was already accepted. */
  repeated(key: number, cve: string, accepted: readonly EpssScore[]): boolean {
    if (this.seen === undefined) {
      if (key > this.lastKey) this.lastKey = key;
      else this.byKey = false;
      if (cve > this.lastCve) this.lastCve = cve;
      else this.byText = false;
      if (this.byKey || this.byText) return false;
      this.seen = new Set(accepted.map((s) => cveKey(s.cve, 0, s.cve.length)));
    }
    if (this.seen.has(key)) return true;
    this.seen.add(key);
    return false;
  }
}

/** An EPSS scores file, plain or gzip-compressed. */
export async function parseEpssCsv(input: ParseInput): Promise<ParsedBatch> {
  const file = input.displayName;
  const scores: EpssScore[] = [];
  const duplicates = new DuplicateCheck();
  let meta: EpssMeta | undefined;
  let headerLine = 0;
  let modelVersion = "unknown";
  let scoreDate = "";
  let repeated: { cve: string; line: number } | undefined;

  const resolveMeta = (line: number): void => {
    modelVersion = meta?.modelVersion ?? "unknown";
    if (meta?.scoreDate !== undefined) {
      const date = isoDate(meta.scoreDate);
      if (!date) fail(file, 1, `score_date '${meta.scoreDate}' is not a real date`, "VALIDATION_ERROR");
      scoreDate = date;
      return;
    }
    const fromName =
      FILE_DATE.exec(basename(input.displayName))?.[1] ?? FILE_DATE.exec(basename(input.path))?.[1];
    const date = fromName ? isoDate(fromName) : null;
    if (!date) {
      fail(
        file,
        line,
        "no score date: the file has no '#model_version:…,score_date:…' line and its name carries no YYYY-MM-DD date",
        "PARSE_ERROR",
      );
    }
    scoreDate = date;
  };

  const row = (text: string, start: number, end: number, n: number): void => {
    const c1 = text.indexOf(",", start);
    const c2 = c1 === -1 || c1 >= end ? -1 : text.indexOf(",", c1 + 1);
    const c3 = c2 === -1 || c2 >= end ? -1 : text.indexOf(",", c2 + 1);
    if (c2 === -1 || c2 >= end || (c3 !== -1 && c3 < end)) {
      const shown = text.slice(start, Math.min(end, start + 80));
      fail(file, n, `expected 3 fields (cve,epss,percentile), found '${shown}'`, "PARSE_ERROR");
    }
    const key = cveKey(text, start, c1);
    if (key < 0) fail(file, n, `'${text.slice(start, c1)}' is not a CVE id`, "VALIDATION_ERROR");
    const epss = probability(text, c1 + 1, c2);
    if (Number.isNaN(epss)) {
      fail(file, n, `epss '${text.slice(c1 + 1, c2)}' is not a number between 0 and 1`, "VALIDATION_ERROR");
    }
    const percentile = probability(text, c2 + 1, end);
    if (Number.isNaN(percentile)) {
      fail(
        file,
        n,
        `percentile '${text.slice(c2 + 1, end)}' is not a number between 0 and 1`,
        "VALIDATION_ERROR",
      );
    }
    const cve = text.slice(start, c1);
    if (duplicates.repeated(key, cve, scores)) {
      repeated = { cve, line: n };
      throw new DuplicateFound();
    }
    scores.push({ cve, epss, percentile, scoreDate, modelVersion });
  };

  const preamble = (line: string, n: number): void => {
    const trimmed = line.trim();
    if (trimmed === "") return;
    if (trimmed.startsWith("#")) {
      if (meta) fail(file, n, `expected header ${HEADER}, found a second comment line`, "PARSE_ERROR");
      meta = parseEpssComment(trimmed);
      return;
    }
    if (trimmed.replace(/\s+/g, "").toLowerCase() !== HEADER) {
      fail(file, n, `expected header ${HEADER}, found '${trimmed.slice(0, 80)}'`, "PARSE_ERROR");
    }
    resolveMeta(n);
    headerLine = n;
  };

  let lines = 0;
  try {
    lines = await eachLineSpan(input, (text, start, end, n) => {
      if (headerLine === 0) preamble(text.slice(start, end), n);
      else if (end > start) row(text, start, end, n);
    });
  } catch (error) {
    if (!(error instanceof DuplicateFound) || !repeated) throw error;
    const first = await firstLineOf(input, repeated.cve);
    fail(
      file,
      repeated.line,
      `duplicate ${repeated.cve}: already scored on line ${first}`,
      "VALIDATION_ERROR",
    );
  }

  if (lines === 0) throw new PatchlineError("PARSE_ERROR", "the file is empty", { file });
  if (headerLine === 0) {
    throw new PatchlineError("PARSE_ERROR", `expected header ${HEADER}, found none`, { file, line: lines });
  }
  return { kind: "epss", modelVersion, scoreDate, scores };
}
