/**
 * Reading one input file for ingest: the file is read once (hashed and parsed from the same bytes
 * when it fits in memory), a scanner report imported before is recognised by its sha256 and not
 * parsed again, and a scanner report is encoded for the store right away. Runs on the main thread or
 * in an ingest worker (see ingest-pool.ts).
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync, type Stats, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { isPatchlineError, PatchlineError } from "../errors.js";
import { detectFormat, parseFile } from "../ingest/detect.js";
import { isScannerFormat } from "../ingest/formats.js";
import { readHead } from "../ingest/read.js";
import type { FeedFormat, ParsedBatch, ParseInput } from "../ingest/types.js";
import { type EncodedScan, encodeScan } from "../store/scan-encode.js";

/** Files up to this size are read whole, once; larger ones are hashed and parsed as two streams. */
const WHOLE_FILE_BYTES = 64 * 1024 * 1024;

export type ReadOutcome =
  /** A scanner report imported before (same sha256, same format): nothing in it can change anything. */
  | { kind: "known"; sha256: string; format: string }
  | { kind: "scan"; sha256: string; format: FeedFormat; scan: EncodedScan }
  | { kind: "batch"; sha256: string; format: FeedFormat; batch: ParsedBatch }
  /** Not a scanner report (with scansOnly), or larger than maxBytes: the caller reads it. */
  | { kind: "elsewhere" }
  | { kind: "failed"; error: PatchlineError };

export interface ReadOptions {
  /** Forces a format instead of detecting it. */
  format?: FeedFormat;
  /** The format of the scanner report imported from a file with this sha256, if there was one. */
  knownFormat(sha256: string): Promise<string | undefined> | string | undefined;
  /** Leave files that are not scanner reports to the caller ("elsewhere"). */
  scansOnly?: boolean;
  /** Read with blocking calls: right in a worker thread, where nothing else waits for the loop. */
  blocking?: boolean;
  /** Leave files larger than this to the caller ("elsewhere"), so big reports are read one at a time. */
  maxBytes?: number;
}

async function sizeOf(path: string, file: string, blocking: boolean): Promise<number> {
  let info: Stats;
  try {
    info = blocking ? statSync(path) : await stat(path);
  } catch {
    throw new PatchlineError("INPUT_NOT_FOUND", "no such file", { file });
  }
  if (!info.isFile()) throw new PatchlineError("INPUT_UNREADABLE", "not a regular file", { file });
  return info.size;
}

async function streamedSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function load(
  path: string,
  file: string,
  blocking: boolean,
  size: number,
): Promise<{ input: ParseInput; sha256: string }> {
  if (size > WHOLE_FILE_BYTES)
    return { input: { path, displayName: file }, sha256: await streamedSha256(path) };
  let content: Buffer;
  try {
    content = blocking ? readFileSync(path) : await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PatchlineError("INPUT_UNREADABLE", `cannot read the file: ${reason}`, { file });
  }
  const sha256 = createHash("sha256").update(content).digest("hex");
  return { input: { path, displayName: file, content }, sha256 };
}

/** Reads, recognises and parses one file. Content problems come back as "failed", never thrown. */
export async function readInput(path: string, file: string, opts: ReadOptions): Promise<ReadOutcome> {
  try {
    const size = await sizeOf(path, file, opts.blocking === true);
    if (opts.maxBytes !== undefined && size > opts.maxBytes) return { kind: "elsewhere" };
    const { input, sha256 } = await load(path, file, opts.blocking === true, size);
    const known = await opts.knownFormat(sha256);
    if (known !== undefined && (opts.format === undefined || opts.format === known)) {
      return { kind: "known", sha256, format: known };
    }
    const format = opts.format ?? detectFormat(file, await readHead(input));
    if (opts.scansOnly && !isScannerFormat(format)) return { kind: "elsewhere" };
    const { batch } = await parseFile(input, format);
    if (batch.kind === "scan") {
      return { kind: "scan", sha256, format, scan: encodeScan(batch.report) };
    }
    return { kind: "batch", sha256, format, batch };
  } catch (error) {
    if (isPatchlineError(error)) return { kind: "failed", error };
    throw error;
  }
}
