/**
 * Streams a CSV file record by record (csv-parse over openStream, so gzipped and large exports never sit
 * in memory whole), giving each record the 1-based line it starts on. Quoting errors become a PARSE_ERROR
 * naming the line.
 */
import { parse } from "csv-parse";
import { isPatchlineError, PatchlineError } from "../../errors.js";
import { openStream } from "../read.js";
import type { ParseInput } from "../types.js";

function newlines(record: readonly string[]): number {
  let count = 0;
  for (const field of record) {
    for (let i = field.indexOf("\n"); i !== -1; i = field.indexOf("\n", i + 1)) count++;
  }
  return count;
}

/**
 * Calls `onRecord` for every non-empty record with the line it starts on. Records may have any number
 * of fields; the caller checks them against its header. The caller's own errors pass through.
 */
export async function eachCsvRecord(
  input: ParseInput,
  onRecord: (record: string[], line: number) => void,
): Promise<void> {
  const stream = await openStream(input);
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  stream.on("error", (error) => parser.destroy(error));
  stream.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (record.length === 1 && record[0]?.trim() === "") continue;
      onRecord(record, info.lines - newlines(record));
    }
  } catch (error) {
    stream.destroy();
    parser.destroy();
    if (isPatchlineError(error)) throw error;
    const csv = error as { code?: string; lines?: number; message?: string };
    if (typeof csv.code === "string" && csv.code.startsWith("CSV_")) {
      const reason = (csv.message ?? "invalid CSV").replace(/\s+at line \d+.*$/s, "").replace(/[.:]$/, "");
      throw new PatchlineError("PARSE_ERROR", `invalid CSV: ${reason}`, {
        file: input.displayName,
        ...(typeof csv.lines === "number" ? { line: csv.lines } : {}),
      });
    }
    if (typeof csv.code === "string" && csv.code.startsWith("Z_")) {
      throw new PatchlineError("PARSE_ERROR", `not a valid gzip file (${csv.message ?? ""})`, {
        file: input.displayName,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new PatchlineError("INPUT_UNREADABLE", `cannot read the file: ${reason}`, {
      file: input.displayName,
    });
  }
}

/** The header cells, trimmed and lower-cased, for matching column names. */
export function headerKeys(record: readonly string[]): string[] {
  return record.map((cell) => cell.trim().toLowerCase());
}

/** Column lookup by any of several names (lower-case); -1 when absent. */
export function columnOf(keys: readonly string[], ...names: string[]): number {
  for (const name of names) {
    const index = keys.indexOf(name);
    if (index !== -1) return index;
  }
  return -1;
}

/** The trimmed cell at `index`, or "" when the column is absent. */
export function cell(record: readonly string[], index: number): string {
  return index < 0 ? "" : (record[index] ?? "").trim();
}
