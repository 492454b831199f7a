/**
 * Shared reading helpers for the parsers: open a file as a stream (gunzipped when it starts with the
 * gzip magic bytes), read lines fast, read small JSON documents with a syntax error that names the
 * line and column, and check JSON fields with errors that name the JSON pointer.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { Temporal } from "temporal-polyfill";
import { isPatchlineError, PatchlineError } from "../errors.js";
import { rfc3339ToUtc } from "./rfc3339.js";
import type { ParseInput } from "./types.js";

const CHUNK = 1 << 20;
/** How much text format detection looks at. */
export const HEAD_BYTES = 64 * 1024;

function ioError(error: unknown, file: string): PatchlineError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new PatchlineError("INPUT_NOT_FOUND", "no such file", { file });
  if (code === "EISDIR")
    return new PatchlineError("INPUT_UNREADABLE", "is a directory, not a file", { file });
  const reason = error instanceof Error ? error.message : String(error);
  return new PatchlineError("INPUT_UNREADABLE", `cannot read the file: ${reason}`, { file });
}

/** True when the first bytes are the gzip magic number 1f 8b. */
export async function isGzip(path: string, displayName = path): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const buffer = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buffer, 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } catch (error) {
    throw ioError(error, displayName);
  } finally {
    await handle?.close();
  }
}

function gzipped(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Opens the file as a byte stream, gunzipping it on the fly when it is gzip-compressed. */
export async function openStream(input: ParseInput): Promise<Readable> {
  const { content } = input;
  const gzip = content ? gzipped(content) : await isGzip(input.path, input.displayName);
  const raw: Readable = content
    ? Readable.from([content], { objectMode: false })
    : createReadStream(input.path, { highWaterMark: CHUNK });
  if (!gzip) return raw;
  const gunzip = createGunzip({ chunkSize: CHUNK });
  raw.on("error", (error: Error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

function streamError(error: unknown, file: string): PatchlineError {
  if (isPatchlineError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new PatchlineError("PARSE_ERROR", `not a valid gzip file (${(error as Error).message})`, { file });
  }
  return ioError(error, file);
}

/** The whole (gunzipped) text, without a leading byte-order mark. */
export async function readText(input: ParseInput): Promise<string> {
  if (input.content && !gzipped(input.content)) return stripBom(input.content.toString("utf8"));
  const stream = await openStream(input);
  const decoder = new StringDecoder("utf8");
  const parts: string[] = [];
  try {
    for await (const chunk of stream) parts.push(decoder.write(chunk as Buffer));
  } catch (error) {
    throw streamError(error, input.displayName);
  }
  parts.push(decoder.end());
  return stripBom(parts.join(""));
}

/** The first `bytes` of the (gunzipped) text, for format detection. */
export async function readHead(input: ParseInput, bytes = HEAD_BYTES): Promise<string> {
  if (input.content && !gzipped(input.content))
    return stripBom(input.content.subarray(0, bytes).toString("utf8"));
  const stream = await openStream(input);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      chunks.push(buffer);
      total += buffer.length;
      if (total >= bytes) break;
    }
  } catch (error) {
    throw streamError(error, input.displayName);
  } finally {
    stream.destroy();
  }
  const head = Buffer.concat(chunks).subarray(0, bytes);
  // A multi-byte character cut at the end decodes to U+FFFD, which detection ignores.
  return stripBom(head.toString("utf8"));
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Calls `onSpan` for every line with the text that holds it and the line's bounds in that text
 * (`text.slice(start, end)` is the line without its CR LF or LF) and its 1-based number. Works chunk by
 * chunk, so large files never sit in memory whole, and hands out no per-line strings: hot loops read
 * the line in place. Returns the number of lines.
 */
export async function eachLineSpan(
  input: ParseInput,
  onSpan: (text: string, start: number, end: number, lineNumber: number) => void,
): Promise<number> {
  const stream = await openStream(input);
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let lineNumber = 0;
  let fromCallback: { error: unknown } | undefined;
  const emit = (text: string, start: number, end: number): void => {
    let from = start;
    let stop = end;
    if (stop > from && text.charCodeAt(stop - 1) === 13) stop--;
    lineNumber++;
    if (lineNumber === 1 && text.charCodeAt(from) === 0xfeff) from++;
    try {
      onSpan(text, from, stop, lineNumber);
    } catch (error) {
      fromCallback = { error };
      throw error;
    }
  };
  try {
    for await (const chunk of stream) {
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      let newline = text.indexOf("\n");
      while (newline !== -1) {
        emit(text, start, newline);
        start = newline + 1;
        newline = text.indexOf("\n", start);
      }
      rest = start === 0 ? text : text.slice(start);
    }
    rest += decoder.end();
    if (rest.length > 0) emit(rest, 0, rest.length);
  } catch (error) {
    stream.destroy();
    // The caller's own errors pass through untouched; stream failures are worded here.
    if (fromCallback && fromCallback.error === error) throw error;
    throw streamError(error, input.displayName);
  }
  return lineNumber;
}

/** Calls `onLine` for every line (without its line break) with its 1-based number. */
export function eachLine(
  input: ParseInput,
  onLine: (line: string, lineNumber: number) => void,
): Promise<number> {
  return eachLineSpan(input, (text, start, end, n) => onLine(text.slice(start, end), n));
}

// ---------------------------------------------------------------- JSON

/** Line and column (both 1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function describe(text: string, at: number): string {
  if (at >= text.length) return "unexpected end of the document";
  const ch = text[at] ?? "";
  return `unexpected character ${JSON.stringify(ch)}`;
}

/**
 * Finds where a JSON text first goes wrong: the character offset and a short reason. Returns null
 * when the text is valid. Iterative, so deep nesting cannot overflow the stack.
 */
export function locateJsonError(text: string): { offset: number; reason: string } | null {
  const stack: ("{" | "[")[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (reason: string, at = i): { offset: number; reason: string } => ({ offset: at, reason });
  const scanString = (): { offset: number; reason: string } | null => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined) return fail("unexpected end of the document inside a string", i + 1);
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail("invalid \\u escape");
          i += 6;
        } else if ('"\\/bfnrt'.includes(e)) i += 2;
        else return fail(`invalid escape \\${e}`);
        continue;
      }
      if (c < 32) return fail("control character inside a string");
      i++;
    }
    return fail("unexpected end of the document inside a string");
  };
  // Expecting a value.
  const value = (): { offset: number; reason: string } | "open" | null => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      stack.push(c);
      i++;
      return "open";
    }
    if (c === '"') return scanString();
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return null;
      }
    }
    NUMBER.lastIndex = i;
    if (c !== undefined && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return null;
    }
    return fail(
      i >= text.length ? "unexpected end of the document" : `${describe(text, i)}, expected a value`,
    );
  };
  // Inside an object: expecting a key (or the closing brace when `allowClose`).
  const key = (allowClose: boolean): { offset: number; reason: string } | "closed" | null => {
    ws();
    if (allowClose && text[i] === "}") {
      i++;
      stack.pop();
      return "closed";
    }
    if (text[i] !== '"') return fail(`${describe(text, i)}, expected a property name in double quotes`);
    const bad = scanString();
    if (bad) return bad;
    ws();
    if (text[i] !== ":") return fail(`${describe(text, i)}, expected ':' after the property name`);
    i++;
    return null;
  };

  let expect: "value" | "after" = "value";
  let fresh = false; // just opened a container
  for (;;) {
    if (expect === "value") {
      const top = stack[stack.length - 1];
      if (fresh && top === "{") {
        const k = key(true);
        if (k === "closed") {
          fresh = false;
          expect = "after";
          continue;
        }
        if (k) return k;
      } else if (fresh && top === "[") {
        ws();
        if (text[i] === "]") {
          i++;
          stack.pop();
          fresh = false;
          expect = "after";
          continue;
        }
      }
      fresh = false;
      const v = value();
      if (v === "open") {
        fresh = true;
        continue;
      }
      if (v) return v;
      expect = "after";
      continue;
    }
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (i < text.length) return fail(`${describe(text, i)} after the end of the document`);
      return null;
    }
    const c = text[i];
    if (c === ",") {
      i++;
      if (top === "{") {
        const k = key(false);
        if (k && k !== "closed") return k;
      }
      expect = "value";
      continue;
    }
    if ((top === "{" && c === "}") || (top === "[" && c === "]")) {
      i++;
      stack.pop();
      continue;
    }
    const want = top === "{" ? "',' or '}'" : "',' or ']'";
    return fail(
      i >= text.length
        ? `unexpected end of the document, expected ${want}`
        : `${describe(text, i)}, expected ${want}`,
    );
  }
}

/** Parses JSON text; a syntax error becomes a PARSE_ERROR naming the line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const found = locateJsonError(text);
    const offset = found?.offset ?? text.length;
    const reason = found?.reason ?? (error instanceof Error ? error.message : "invalid JSON");
    const { line, column } = lineColumn(text, offset);
    throw new PatchlineError(
      "PARSE_ERROR",
      text.trim() === "" ? "the file is empty" : `invalid JSON: ${reason}`,
      { file, line, column },
    );
  }
}

/** Reads a (possibly gzipped) JSON file whole. */
export async function readJson(input: ParseInput): Promise<unknown> {
  return parseJsonText(await readText(input), input.displayName);
}

// ---------------------------------------------------------------- field checks

export type JsonObject = Record<string, unknown>;

/** Appends one reference token to a JSON pointer, escaping '~' and '/'. */
export function pointer(base: string, token: string | number): string {
  return `${base}/${String(token).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A frozen empty list, returned for absent arrays so callers never allocate one. */
export const NONE: readonly never[] = Object.freeze([]);

/**
 * Where a parser is inside a document, as a stack of reference tokens. Parsers of large reports push
 * and pop as they descend instead of building a pointer string for every item; the pointer is only
 * built when an error names the place.
 */
export class JsonPath {
  private readonly tokens: (string | number)[] = [];

  push(token: string | number): void {
    this.tokens.push(token);
  }

  pop(): void {
    this.tokens.pop();
  }

  /** The JSON pointer of the current place ("" at the root). */
  toPointer(): string {
    let path = "";
    for (const token of this.tokens) path = pointer(path, token);
    return path;
  }
}

/** Where a value sits: its JSON pointer, or a JsonPath standing there. */
export type JsonPlace = string | JsonPath;

/** The pointer of a place, or of its member `key`. */
function pointerAt(place: JsonPlace, key?: string | number): string {
  const base = typeof place === "string" ? place : place.toPointer();
  return key === undefined ? base : pointer(base, key);
}

/**
 * Typed access to JSON fields; every failure is a VALIDATION_ERROR naming the file and pointer. A
 * member's pointer is only built when it fails, so the checks allocate nothing on the way through.
 */
export class JsonFields {
  constructor(readonly file: string) {}

  /** Throws at `path`, or at its member `key` when given. */
  fail(path: JsonPlace, message: string, key?: string | number): never {
    throw new PatchlineError("VALIDATION_ERROR", message, {
      file: this.file,
      path: pointerAt(path, key) || "/",
    });
  }

  object(value: unknown, path: JsonPlace, what = "an object"): JsonObject {
    if (!isObject(value)) this.fail(path, `expected ${what}, found ${kindOf(value)}`);
    return value;
  }

  array(value: unknown, path: JsonPlace): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, found ${kindOf(value)}`);
    return value;
  }

  /** A member that may be absent (or null, both giving NONE); when present it must be an array. */
  optArray(parent: JsonObject, key: string, path: JsonPlace): readonly unknown[] {
    const value = parent[key];
    if (value === undefined || value === null) return NONE;
    if (!Array.isArray(value)) this.fail(path, `expected an array, found ${kindOf(value)}`, key);
    return value;
  }

  optObject(parent: JsonObject, key: string, path: JsonPlace): JsonObject | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) this.fail(path, `expected an object, found ${kindOf(value)}`, key);
    return value;
  }

  /** A required string member, trimmed; empty strings are refused unless `allowEmpty`. */
  str(parent: JsonObject, key: string, path: JsonPlace, allowEmpty = false): string {
    const value = parent[key];
    if (value === undefined || value === null) this.fail(path, `missing required field '${key}'`, key);
    if (typeof value !== "string") this.fail(path, `expected a string, found ${kindOf(value)}`, key);
    const text = value.trim();
    if (!allowEmpty && text === "") this.fail(path, `'${key}' is empty`, key);
    return text;
  }

  /** An optional string member, trimmed; absent, null or blank gives undefined. */
  optStr(parent: JsonObject, key: string, path: JsonPlace): string | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") this.fail(path, `expected a string, found ${kindOf(value)}`, key);
    const text = value.trim();
    return text === "" ? undefined : text;
  }

  /** The strings of an optional list of strings, trimmed; blank entries are dropped, other kinds refused. */
  strList(parent: JsonObject, key: string, path: JsonPlace): string[] {
    const list = this.optArray(parent, key, path);
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const value = list[i];
      if (typeof value !== "string") {
        this.fail(pointerAt(path, key), `expected a string, found ${kindOf(value)}`, i);
      }
      const text = value.trim();
      if (text !== "") out.push(text);
    }
    return out;
  }

  optNum(parent: JsonObject, key: string, path: JsonPlace): number | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.fail(path, `expected a number, found ${kindOf(value)}`, key);
    }
    return value;
  }

  /** An optional number member that may also be written as a string ("7.5"; "" is absent), as scanners do. */
  optNumeric(parent: JsonObject, key: string, path: JsonPlace): number | undefined {
    const value = parent[key];
    if (typeof value === "string") {
      if (value === "") return undefined;
      const text = value.trim();
      const n = Number(text);
      if (text !== "" && Number.isFinite(n)) return n;
    }
    return this.optNum(parent, key, path);
  }
}

export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string")
    return value.length > 40 ? "a string" : `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

// ---------------------------------------------------------------- dates

const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/;

/** A real calendar date "YYYY-MM-DD" (a date-time is cut to its date), or null. */
export function isoDate(text: string): string | null {
  const match = DATE_PREFIX.exec(text.trim());
  if (!match?.[1]) return null;
  try {
    return Temporal.PlainDate.from(match[1], { overflow: "reject" }).toString();
  } catch {
    return null;
  }
}

/**
 * A UTC instant "…Z" from an ISO 8601 date-time. A date-time without a zone or offset is taken as UTC;
 * a date alone means midnight UTC. Returns null when the text is not a date.
 */
export function utcInstant(text: string): string | null {
  const value = text.trim();
  if (value === "") return null;
  const common = rfc3339ToUtc(value);
  if (common !== undefined) return common;
  try {
    return Temporal.Instant.from(value).toString();
  } catch {
    // no zone or offset: fall through
  }
  try {
    return Temporal.PlainDateTime.from(value, { overflow: "reject" })
      .toZonedDateTime("UTC")
      .toInstant()
      .toString();
  } catch {
    return null;
  }
}
