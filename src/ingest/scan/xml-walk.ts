/**
 * Streams an XML file through saxes, element by element, so large scanner reports (OpenVAS, Qualys)
 * never sit in memory whole. The visitor sees every start tag with its ancestors and every end tag with
 * the element's own text, collected only for the elements it asks for. Syntax errors become a
 * PARSE_ERROR naming the line and column; comments and DOCTYPE declarations before the root are fine.
 */
import { StringDecoder } from "node:string_decoder";
import { SaxesParser } from "saxes";
import { isPatchlineError, PatchlineError } from "../../errors.js";
import { openStream } from "../read.js";
import type { ParseInput } from "../types.js";

export interface XmlVisitor {
  /** Called once with the root element's name: false refuses the document as the wrong structure. */
  root(name: string): boolean;
  /** The names of the elements whose own text (character data and CDATA) `close` should receive. */
  text: ReadonlySet<string>;
  /** A start tag; `path` holds the names from the root down to this element. */
  open?(name: string, attributes: Record<string, string>, path: readonly string[], line: number): void;
  /** An end tag with the element's text (empty unless the name is in `text`). */
  close?(name: string, text: string, path: readonly string[], line: number): void;
}

interface Frame {
  text: string | undefined;
}

/** "/SCAN/IP/VULNS": the element path in error messages. */
export function xmlPath(path: readonly string[]): string {
  return `/${path.join("/")}`;
}

/** A VALIDATION_ERROR for a structural problem at an element. */
export function xmlInvalid(
  input: ParseInput,
  message: string,
  line: number | undefined,
  path: readonly string[],
): PatchlineError {
  return new PatchlineError("VALIDATION_ERROR", message, {
    file: input.displayName,
    ...(line !== undefined ? { line } : {}),
    path: xmlPath(path),
  });
}

const POSITION = /^(\d+):(\d+): (.*)$/s;

function syntaxError(input: ParseInput, error: Error, line: number, column: number): PatchlineError {
  const match = POSITION.exec(error.message);
  const reason = (match?.[3] ?? error.message).replace(/\.$/, "");
  return new PatchlineError("PARSE_ERROR", `invalid XML: ${reason}`, {
    file: input.displayName,
    line: match ? Number(match[1]) : line,
    column: match ? Number(match[2]) : column,
  });
}

function readError(input: ParseInput, error: unknown): PatchlineError {
  if (isPatchlineError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new PatchlineError("PARSE_ERROR", `not a valid gzip file (${reason})`, {
      file: input.displayName,
    });
  }
  return new PatchlineError("INPUT_UNREADABLE", `cannot read the file: ${reason}`, {
    file: input.displayName,
  });
}

/** Walks the whole document; the visitor's own PatchlineErrors pass through unchanged. */
export async function walkXml(input: ParseInput, visitor: XmlVisitor): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const path: string[] = [];
  const frames: Frame[] = [];
  let sawRoot = false;
  let sawContent = false;
  // saxes reports a mismatched end tag only after handing it to the close handler: an error the visitor
  // raises there waits for the next event, so the syntax error (thrown right after) wins.
  let deferred: unknown;

  parser.on("opentag", (tag) => {
    if (deferred !== undefined) throw deferred;
    const line = parser.line;
    if (!sawRoot) {
      sawRoot = true;
      if (!visitor.root(tag.name)) {
        throw xmlInvalid(input, `unexpected root element <${tag.name}>`, line, [tag.name]);
      }
    }
    path.push(tag.name);
    frames.push({ text: visitor.text.has(tag.name) ? "" : undefined });
    visitor.open?.(tag.name, tag.attributes as Record<string, string>, path, line);
  });
  const addText = (text: string): void => {
    if (deferred !== undefined) throw deferred;
    const frame = frames[frames.length - 1];
    if (frame !== undefined && frame.text !== undefined) frame.text += text;
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", (tag) => {
    if (deferred !== undefined) throw deferred;
    const frame = frames.pop();
    try {
      visitor.close?.(tag.name, frame?.text ?? "", path, parser.line);
    } catch (error) {
      deferred = error;
    }
    path.pop();
  });

  const stream = await openStream(input);
  const decoder = new StringDecoder("utf8");
  const feed = (text: string): void => {
    if (!sawContent && text.trim() !== "") sawContent = true;
    try {
      parser.write(text);
    } catch (error) {
      if (isPatchlineError(error)) throw error;
      throw syntaxError(input, error as Error, parser.line, parser.column);
    }
    if (deferred !== undefined) throw deferred;
  };
  try {
    for await (const chunk of stream) feed(decoder.write(chunk as Buffer));
    feed(decoder.end());
  } catch (error) {
    stream.destroy();
    throw readError(input, error);
  }
  if (!sawContent) {
    throw new PatchlineError("PARSE_ERROR", "the file is empty", { file: input.displayName, line: 1 });
  }
  try {
    parser.close();
  } catch (error) {
    if (isPatchlineError(error)) throw error;
    throw syntaxError(input, error as Error, parser.line, parser.column);
  }
  if (deferred !== undefined) throw deferred;
}
