/**
 * CISA Known Exploited Vulnerabilities catalog: the JSON feed (current layout with `cwes`, and the
 * older layout without it) and the CSV rendering. Every entry is checked before anything is returned.
 */
import { parse as parseCsvSync } from "csv-parse/sync";
import type { KevEntry } from "../core/types.js";
import { PatchlineError } from "../errors.js";
import { isoDate, JsonFields, pointer, readJson, readText, utcInstant } from "./read.js";
import type { ParsedBatch, ParseInput } from "./types.js";

export const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

/** Where a value sits, so an error can name it: a JSON pointer or a CSV line. */
type Place = { path: string } | { line: number };

type Fail = (field: string, message: string) => never;

interface RawKev {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  dueDate: string;
  knownRansomwareCampaignUse?: string;
  notes?: string;
  cwes: string[];
}

function normalise(raw: RawKev, fail: Fail): KevEntry {
  const cveId = raw.cveID.trim().toUpperCase();
  if (!CVE_ID.test(cveId)) fail("cveID", `'${raw.cveID}' is not a CVE id (CVE-YYYY-NNNN)`);
  const dates: Record<"dateAdded" | "dueDate", string> = { dateAdded: "", dueDate: "" };
  for (const field of ["dateAdded", "dueDate"] as const) {
    const date = isoDate(raw[field]);
    if (!date) fail(field, `'${raw[field]}' is not a real date (YYYY-MM-DD)`);
    dates[field] = date;
  }
  const ransomware = (raw.knownRansomwareCampaignUse ?? "").trim().toLowerCase();
  let knownRansomwareCampaignUse: KevEntry["knownRansomwareCampaignUse"];
  if (ransomware === "known") knownRansomwareCampaignUse = "Known";
  else if (ransomware === "unknown" || ransomware === "") knownRansomwareCampaignUse = "Unknown";
  else {
    fail(
      "knownRansomwareCampaignUse",
      `expected Known or Unknown, found '${raw.knownRansomwareCampaignUse}'`,
    );
  }
  const cwes: string[] = [];
  for (const cwe of raw.cwes) {
    const value = cwe.trim();
    if (value !== "" && !cwes.includes(value)) cwes.push(value);
  }
  return {
    cveId,
    vendorProject: raw.vendorProject.trim(),
    product: raw.product.trim(),
    vulnerabilityName: raw.vulnerabilityName.trim(),
    dateAdded: dates.dateAdded,
    shortDescription: raw.shortDescription.trim(),
    requiredAction: raw.requiredAction.trim(),
    dueDate: dates.dueDate,
    knownRansomwareCampaignUse,
    notes: (raw.notes ?? "").trim(),
    cwes,
  };
}

function placeText(place: Place): string {
  return "path" in place ? place.path : `line ${place.line}`;
}

/** Refuses a second entry for the same CVE inside one file, naming both places. */
function checkDuplicates(file: string, entries: { entry: KevEntry; place: Place }[]): void {
  const seen = new Map<string, Place>();
  for (const { entry, place } of entries) {
    const first = seen.get(entry.cveId);
    if (first) {
      const where =
        "path" in place ? { file, path: pointer(place.path, "cveID") } : { file, line: place.line };
      throw new PatchlineError(
        "VALIDATION_ERROR",
        `duplicate cveID ${entry.cveId}: already listed at ${placeText(first)}`,
        where,
      );
    }
    seen.set(entry.cveId, place);
  }
}

/** The KEV catalog as JSON (current and older layouts). */
export async function parseKevJson(input: ParseInput): Promise<ParsedBatch> {
  const json = await readJson(input);
  const f: JsonFields = new JsonFields(input.displayName);
  const root = f.object(json, "", "a KEV catalog object with a 'vulnerabilities' array");
  const list = root.vulnerabilities;
  if (!Array.isArray(list)) f.fail("/vulnerabilities", "a KEV catalog needs a 'vulnerabilities' array");
  const catalogVersion = f.optStr(root, "catalogVersion", "");
  const releasedText = f.optStr(root, "dateReleased", "");
  let released: string | undefined;
  if (releasedText !== undefined) {
    released = utcInstant(releasedText) ?? undefined;
    if (!released) f.fail("/dateReleased", `'${releasedText}' is not a date-time`);
  }
  const collected: { entry: KevEntry; place: Place }[] = [];
  list.forEach((item: unknown, index: number) => {
    const path = pointer("/vulnerabilities", index);
    const v = f.object(item, path);
    const cwesRaw = f.optArray(v, "cwes", path);
    const cwes = cwesRaw.map((cwe, i): string => {
      if (typeof cwe !== "string") f.fail(pointer(pointer(path, "cwes"), i), "expected a CWE id string");
      return cwe;
    });
    const raw: RawKev = {
      cveID: f.str(v, "cveID", path),
      vendorProject: f.str(v, "vendorProject", path, true),
      product: f.str(v, "product", path, true),
      vulnerabilityName: f.str(v, "vulnerabilityName", path, true),
      dateAdded: f.str(v, "dateAdded", path),
      shortDescription: f.str(v, "shortDescription", path, true),
      requiredAction: f.str(v, "requiredAction", path, true),
      dueDate: f.str(v, "dueDate", path),
      knownRansomwareCampaignUse: f.optStr(v, "knownRansomwareCampaignUse", path),
      notes: f.optStr(v, "notes", path),
      cwes,
    };
    const fail: Fail = (field, message) => f.fail(pointer(path, field), message);
    collected.push({ entry: normalise(raw, fail), place: { path } });
  });
  checkDuplicates(input.displayName, collected);
  const batch: ParsedBatch = { kind: "kev", entries: collected.map((c) => c.entry) };
  if (catalogVersion) batch.catalogVersion = catalogVersion;
  if (released) batch.released = released;
  return batch;
}

const REQUIRED_COLUMNS = [
  "cveID",
  "vendorProject",
  "product",
  "vulnerabilityName",
  "dateAdded",
  "shortDescription",
  "requiredAction",
  "dueDate",
] as const;

interface CsvRow {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** First line of a parsed CSV record (csv-parse reports the line the record ends on). */
function startLine(row: CsvRow): number {
  const body = row.raw.replace(/^[\r\n]+/, "").replace(/\r?\n$/, "");
  let inner = 0;
  for (let i = body.indexOf("\n"); i !== -1; i = body.indexOf("\n", i + 1)) inner++;
  return row.info.lines - inner;
}

function csvError(error: unknown, file: string): PatchlineError {
  const e = error as { code?: string; message?: string; lines?: number };
  const message = (e.message ?? String(error)).replace(/\s+at line \d+$/i, "").replace(/ on line \d+$/i, "");
  return new PatchlineError("PARSE_ERROR", `invalid CSV: ${message}`, {
    file,
    ...(typeof e.lines === "number" ? { line: e.lines } : {}),
  });
}

/** The KEV catalog as CSV: header `cveID,vendorProject,…`, `cwes` comma-joined inside quotes. */
export async function parseKevCsv(input: ParseInput): Promise<ParsedBatch> {
  const file = input.displayName;
  const text = await readText(input);
  if (text.trim() === "") throw new PatchlineError("PARSE_ERROR", "the file is empty", { file });
  let rows: CsvRow[];
  try {
    rows = parseCsvSync(text, {
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as CsvRow[];
  } catch (error) {
    throw csvError(error, file);
  }
  const [headerRow, ...dataRows] = rows;
  if (!headerRow) throw new PatchlineError("PARSE_ERROR", "the file is empty", { file });
  const header = headerRow.record.map((name) => name.trim());
  const column = new Map(header.map((name, i) => [name, i]));
  const missing = REQUIRED_COLUMNS.filter((name) => !column.has(name));
  if (missing.length > 0) {
    throw new PatchlineError(
      "PARSE_ERROR",
      `not a KEV CSV header: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
      { file, line: startLine(headerRow) },
    );
  }
  const get = (record: string[], name: string): string | undefined => {
    const i = column.get(name);
    return i === undefined ? undefined : record[i];
  };
  const collected: { entry: KevEntry; place: Place }[] = [];
  for (const row of dataRows) {
    const line = startLine(row);
    const record = row.record;
    if (record.length !== header.length) {
      throw new PatchlineError(
        "PARSE_ERROR",
        `expected ${header.length} fields as in the header, found ${record.length}`,
        { file, line },
      );
    }
    const fail: Fail = (field, message) => {
      throw new PatchlineError("VALIDATION_ERROR", `${field}: ${message}`, { file, line });
    };
    const raw: RawKev = {
      cveID: get(record, "cveID") ?? "",
      vendorProject: get(record, "vendorProject") ?? "",
      product: get(record, "product") ?? "",
      vulnerabilityName: get(record, "vulnerabilityName") ?? "",
      dateAdded: get(record, "dateAdded") ?? "",
      shortDescription: get(record, "shortDescription") ?? "",
      requiredAction: get(record, "requiredAction") ?? "",
      dueDate: get(record, "dueDate") ?? "",
      knownRansomwareCampaignUse: get(record, "knownRansomwareCampaignUse"),
      notes: get(record, "notes"),
      cwes: (get(record, "cwes") ?? "").split(","),
    };
    collected.push({ entry: normalise(raw, fail), place: { line } });
  }
  checkDuplicates(file, collected);
  return { kind: "kev", entries: collected.map((c) => c.entry) };
}
