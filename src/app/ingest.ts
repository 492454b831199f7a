import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { isPatchlineError, PatchlineError } from "../errors.js";
import { parseFile } from "../ingest/detect.js";
import type { FeedFormat } from "../ingest/types.js";
import type { Store } from "../store/index.js";

export interface IngestFileResult {
  file: string;
  format: FeedFormat | null;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  /** One-line errors naming the file and the place; empty when the import succeeded. */
  errors: string[];
}

/** A file to read, and the name to show for it in results and errors. */
export interface InputFile {
  path: string;
  name: string;
}

export interface IngestOptions {
  now: string;
  format?: FeedFormat;
  /** Called before each file starts, for progress display. */
  onFile?: (file: string, index: number, total: number) => void;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function ensureReadable(path: string, file: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new PatchlineError("INPUT_NOT_FOUND", "no such file", { file });
  }
  if (!info.isFile()) throw new PatchlineError("INPUT_UNREADABLE", "not a regular file", { file });
}

/**
 * Imports each file in its own transaction: a file is imported whole or not at all, and one bad
 * file does not stop the others. Errors are returned per file, never thrown for content problems.
 */
export async function ingestFiles(
  store: Store,
  files: readonly (string | InputFile)[],
  opts: IngestOptions,
): Promise<IngestFileResult[]> {
  const results: IngestFileResult[] = [];
  for (const [index, entry] of files.entries()) {
    const { path, name: file } = typeof entry === "string" ? { path: entry, name: entry } : entry;
    opts.onFile?.(file, index, files.length);
    const result: IngestFileResult = {
      file,
      format: null,
      records: 0,
      added: 0,
      updated: 0,
      unchanged: 0,
      errors: [],
    };
    try {
      await ensureReadable(path, file);
      const { format, batch } = await parseFile({ path, displayName: file }, opts.format);
      result.format = format;
      const sha256 = await sha256Of(path);
      const counts = await store.importBatch(batch, { file, sha256, format, importedAt: opts.now });
      Object.assign(result, counts);
    } catch (error) {
      if (!isPatchlineError(error)) throw error;
      result.errors.push(error.place.file ? error.oneLine() : `${file}: ${error.oneLine()}`);
    }
    results.push(result);
  }
  return results;
}
