import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PatchlineError } from "../errors.js";
import {
  eachLine,
  isGzip,
  isoDate,
  JsonFields,
  JsonPath,
  lineColumn,
  locateJsonError,
  NONE,
  parseJsonText,
  pointer,
  readHead,
  readJson,
  readText,
  utcInstant,
} from "./read.js";

const corpus = (p: string): string => path.resolve("../shared/corpus", p);
const tmp = mkdtempSync(path.join(tmpdir(), "patchline-read-"));

function caught(fn: () => unknown): PatchlineError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}

async function caughtAsync(fn: () => Promise<unknown>): Promise<PatchlineError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}

describe("locateJsonError", () => {
  it("accepts valid JSON", () => {
    expect(locateJsonError('{"a": [1, -2.5e3, true, null, "x\\u00e9"], "b": {}}')).toBeNull();
    expect(locateJsonError("[]")).toBeNull();
  });

  it("finds a missing comma and names what was expected", () => {
    const found = locateJsonError('{"a": 1 "b": 2}');
    expect(found).toEqual({ offset: 8, reason: `unexpected character "\\"", expected ',' or '}'` });
  });

  it("reports the end of a truncated document", () => {
    const text = '{\n  "a": [1, 2';
    expect(locateJsonError(text)?.offset).toBe(text.length);
    expect(locateJsonError(text)?.reason).toContain("unexpected end of the document");
  });

  it("finds bad literals, trailing commas and trailing garbage", () => {
    expect(locateJsonError('{"a": tru}')?.offset).toBe(6);
    expect(locateJsonError("[1, 2,]")?.offset).toBe(6);
    expect(locateJsonError('{"a": 1} x')?.reason).toContain("after the end of the document");
  });

  it("survives very deep nesting without overflowing the stack", () => {
    const deep = `${"[".repeat(200_000)}${"]".repeat(199_999)}`;
    expect(locateJsonError(deep)?.reason).toContain("unexpected end");
  });
});

describe("parseJsonText", () => {
  it("turns a syntax error into a PARSE_ERROR with line and column", () => {
    const error = caught(() => parseJsonText('{\n  "a": 1,\n  "b" 2\n}', "x.json"));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place).toEqual({ file: "x.json", line: 3, column: 7 });
    expect(error.oneLine()).toBe(
      "x.json:3:7: invalid JSON: unexpected character \"2\", expected ':' after the property name",
    );
  });

  it("says an empty file is empty", () => {
    expect(caught(() => parseJsonText("  \n", "e.json")).message).toBe("the file is empty");
  });

  it("names line and column of a truncated corpus file", async () => {
    const text = readFileSync(corpus("cve5/CVE-2024-3400.json"), "utf8");
    const cut = text.slice(0, 5000);
    const file = path.join(tmp, "truncated.json");
    writeFileSync(file, cut);
    const error = await caughtAsync(() => readJson({ path: file, displayName: "truncated.json" }));
    const expected = lineColumn(cut, cut.length);
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.line).toBe(expected.line);
    expect(error.place.column).toBe(expected.column);
    expect(error.oneLine()).toMatch(/^truncated\.json:\d+:\d+: invalid JSON: unexpected end of the document/);
  });
});

describe("streams", () => {
  it("reads gzip and plain files alike", async () => {
    const plain = corpus("epss/example-1.csv");
    const gz = path.join(tmp, "example-1.csv.gz");
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    expect(await isGzip(gz)).toBe(true);
    expect(await isGzip(plain)).toBe(false);
    const a = await readText({ path: plain, displayName: "a" });
    const b = await readText({ path: gz, displayName: "b" });
    expect(b).toBe(a);
    expect((await readHead({ path: gz, displayName: "b" }, 20)).length).toBe(20);
  });

  it("splits CRLF and LF lines, drops a BOM, keeps the last line without a newline", async () => {
    const file = path.join(tmp, "lines.txt");
    writeFileSync(file, "\uFEFFone\r\ntwo\n\nthree");
    const seen: [string, number][] = [];
    const count = await eachLine({ path: file, displayName: "lines.txt" }, (line, n) => seen.push([line, n]));
    expect(count).toBe(4);
    expect(seen).toEqual([
      ["one", 1],
      ["two", 2],
      ["", 3],
      ["three", 4],
    ]);
  });

  it("names a missing file and a broken gzip file", async () => {
    const missing = await caughtAsync(() => readText({ path: path.join(tmp, "nope"), displayName: "nope" }));
    expect(missing.code).toBe("INPUT_NOT_FOUND");
    const broken = path.join(tmp, "broken.gz");
    writeFileSync(broken, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]));
    const error = await caughtAsync(() => readText({ path: broken, displayName: "broken.gz" }));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.oneLine()).toMatch(/^broken\.gz: not a valid gzip file/);
  });
});

describe("dates", () => {
  it("accepts real dates only", () => {
    expect(isoDate("2025-09-15")).toBe("2025-09-15");
    expect(isoDate("2025-09-15T00:00:00Z")).toBe("2025-09-15");
    expect(isoDate("2025-02-30")).toBeNull();
    expect(isoDate("15/09/2025")).toBeNull();
  });

  it("treats a date-time without a zone as UTC", () => {
    expect(utcInstant("2021-02-08T22:22:51")).toBe("2021-02-08T22:22:51Z");
    expect(utcInstant("2025-02-20T00:00:00+0000")).toBe("2025-02-20T00:00:00Z");
    expect(utcInstant("2024-04-12T09:55:00+02:00")).toBe("2024-04-12T07:55:00Z");
    expect(utcInstant("2021-12-10")).toBe("2021-12-10T00:00:00Z");
    expect(utcInstant("yesterday")).toBeNull();
  });
});

describe("JsonFields", () => {
  it("names the pointer of a wrong field", () => {
    const f = new JsonFields("doc.json");
    const error = caught(() => f.str({ a: 3 }, "a", pointer("/items", 4)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("doc.json at /items/4/a: expected a string, found number 3");
    expect(pointer("/x", "a/b~c")).toBe("/x/a~1b~0c");
  });

  it("names the place a JsonPath stands at, built only for the error", () => {
    const f = new JsonFields("scan.json");
    const p = new JsonPath();
    expect(caught(() => f.object(3, p, "a report object")).place).toEqual({ file: "scan.json", path: "/" });
    p.push("Results");
    p.push(0);
    const error = caught(() => f.str({ Target: "" }, "Target", p));
    expect(error.oneLine()).toBe("scan.json at /Results/0/Target: 'Target' is empty");
    p.pop();
    expect(caught(() => f.fail(p, "no target", "a/b")).place).toEqual({
      file: "scan.json",
      path: "/Results/a~1b",
    });
  });

  it("reads optional arrays, string lists and numbers written as strings", () => {
    const f = new JsonFields("doc.json");
    expect(f.optArray({}, "list", "")).toBe(NONE);
    expect(f.optArray({ list: null }, "list", "")).toBe(NONE);
    expect(caught(() => f.optArray({ list: {} }, "list", "/a")).oneLine()).toBe(
      "doc.json at /a/list: expected an array, found an object",
    );
    expect(f.strList({ tags: [" a ", "", "b"] }, "tags", "")).toEqual(["a", "b"]);
    expect(f.strList({}, "tags", "")).toEqual([]);
    expect(caught(() => f.strList({ tags: ["a", 2] }, "tags", "/x")).oneLine()).toBe(
      "doc.json at /x/tags/1: expected a string, found number 2",
    );
    expect(f.optNumeric({ score: "7.5" }, "score", "")).toBe(7.5);
    expect(f.optNumeric({ score: 9 }, "score", "")).toBe(9);
    expect(f.optNumeric({ score: "" }, "score", "")).toBeUndefined();
    expect(caught(() => f.optNumeric({ score: "high" }, "score", "")).message).toBe(
      'expected a number, found the string "high"',
    );
    expect(caught(() => f.optNum({ score: "7.5" }, "score", "")).message).toBe(
      'expected a number, found the string "7.5"',
    );
  });
});
