import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PatchlineError } from "../errors.js";
import { detectFormat, FEED_FORMATS, isFeedFormat, parseFile } from "./detect.js";
import { readHead } from "./read.js";
import type { FeedFormat } from "./types.js";

const root = path.resolve("../shared/corpus");
const tmp = mkdtempSync(path.join(tmpdir(), "patchline-detect-"));

function caught(fn: () => unknown): PatchlineError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}

async function rejection(promise: Promise<unknown>): Promise<PatchlineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}

const EXPECTED: Record<string, FeedFormat | "unknown"> = {
  "kev/kev_2023-10-13_legacy-powershell-format.json": "kev-json",
  "kev/known_exploited_vulnerabilities.csv": "kev-csv",
  "kev/known_exploited_vulnerabilities.json": "kev-json",
  "kev/known_exploited_vulnerabilities_schema.json": "unknown",
  "epss/epss_scores-current_2026-09-29_prefix100.csv": "epss-csv",
  "epss/example-1.csv": "epss-csv",
  "epss/invalid-header.csv": "epss-csv",
};
for (const name of readdirSync(path.join(root, "cve5"))) EXPECTED[`cve5/${name}`] = "cve5";
for (const name of readdirSync(path.join(root, "csaf"))) EXPECTED[`csaf/${name}`] = "csaf";

describe("detectFormat on the corpus", () => {
  it("tells every KEV, EPSS, CVE 5 and CSAF file by its content", async () => {
    const seen: Record<string, string> = {};
    for (const dir of ["kev", "epss", "cve5", "csaf"]) {
      for (const name of readdirSync(path.join(root, dir))) {
        const file = path.join(root, dir, name);
        const head = await readHead({ path: file, displayName: name });
        try {
          seen[`${dir}/${name}`] = detectFormat(name, head);
        } catch (error) {
          if (!(error instanceof PatchlineError) || error.code !== "FORMAT_UNKNOWN") throw error;
          seen[`${dir}/${name}`] = "unknown";
        }
      }
    }
    expect(seen).toEqual(EXPECTED);
    expect(Object.keys(seen)).toHaveLength(32);
  });

  it("does not look at the file name", () => {
    const kevCsv = readFileSync(path.join(root, "kev/known_exploited_vulnerabilities.csv"), "utf8").slice(
      0,
      4000,
    );
    expect(detectFormat("scores.json", kevCsv)).toBe("kev-csv");
  });

  it("says what it saw when nothing matches", () => {
    const head = readFileSync(path.join(root, "kev/known_exploited_vulnerabilities_schema.json"), "utf8");
    const error = caught(() => detectFormat("schema.json", head));
    expect(error.code).toBe("FORMAT_UNKNOWN");
    expect(error.oneLine()).toBe(
      "schema.json: cannot tell the format: JSON that is no feed, advisory or scanner format patchline reads " +
        "(top-level keys: $schema, type, title, description, url, properties, required, $defs); " +
        `use --format ${FEED_FORMATS.join("|")}`,
    );
    expect(caught(() => detectFormat("x.txt", "hello,world\n1,2\n")).message).toMatch(
      /^cannot tell the format: the first line 'hello,world' matches no known header; use --format /,
    );
  });
});

describe("detectFormat on inventory and owners", () => {
  it("tells inventory and owners CSV apart by their headers", () => {
    expect(detectFormat("a.csv", "asset_id,name,asset_group,environment\nweb-1,Web,web,production\n")).toBe(
      "inventory-csv",
    );
    expect(detectFormat("a.csv", '"id","name","asset_group"\n')).toBe("inventory-csv");
    expect(detectFormat("o.csv", "owner_id,name,kind,roles,time_zone\n")).toBe("owners-csv");
    expect(detectFormat("o.csv", "id,name,roles\n")).toBe("owners-csv");
  });

  it("tells inventory and owners JSON apart by their shape", () => {
    expect(detectFormat("a.json", '{"assets": [{"id": "web-1"}]}')).toBe("inventory-json");
    expect(detectFormat("a.json", '[{"id": "web-1", "assetGroup": "web"}]')).toBe("inventory-json");
    expect(detectFormat("o.json", '{ "owners" : [] }')).toBe("owners-json");
  });

  it("recognises large CVE 5 and CSAF documents from their first members", () => {
    expect(detectFormat("c.json", '{\n  "containers": {\n    "cna": {\n      "affected": [')).toBe("cve5");
    expect(detectFormat("s.json", '{"product_tree": {"branches": [{"category": "vendor", "name": "X"')).toBe(
      "csaf",
    );
  });

  it("reads an EPSS file without the comment line and a KEV catalog with no entries yet", () => {
    expect(detectFormat("e.csv", "cve,epss,percentile\nCVE-2021-1,0.1,0.2\n")).toBe("epss-csv");
    expect(detectFormat("k.json", '{"catalogVersion": "2025.01.01", "vulnerabilities": []}')).toBe(
      "kev-json",
    );
  });

  it("refuses an empty file and binary content", () => {
    const empty = caught(() => detectFormat("empty.csv", "  \n\n"));
    expect(empty.code).toBe("PARSE_ERROR");
    expect(empty.oneLine()).toBe("empty.csv: the file is empty");
    expect(caught(() => detectFormat("x.bin", "PK\u0003\u0004\u0000\u0000")).code).toBe("FORMAT_UNKNOWN");
  });

  it("lists every format for --format", () => {
    expect(FEED_FORMATS).toHaveLength(29);
    expect(isFeedFormat("csaf")).toBe(true);
    expect(isFeedFormat("trivy-json")).toBe(true);
    expect(isFeedFormat("osv")).toBe(false);
  });
});

describe("parseFile", () => {
  it("detects and parses a gzip-compressed file", async () => {
    const gz = path.join(tmp, "kev.json.gz");
    writeFileSync(gz, gzipSync(readFileSync(path.join(root, "kev/known_exploited_vulnerabilities.json"))));
    const { format, batch } = await parseFile({ path: gz, displayName: "kev.json.gz" });
    expect(format).toBe("kev-json");
    expect(batch.kind === "kev" && batch.entries.length).toBe(1404);
  });

  it("dispatches CVE 5, CSAF and EPSS files", async () => {
    const cve = await parseFile({ path: path.join(root, "cve5/CVE-2024-3400.json"), displayName: "c" });
    expect(cve.format).toBe("cve5");
    expect(cve.batch.kind === "advisories" && cve.batch.records[0]?.id).toBe("CVE-2024-3400");
    const csaf = await parseFile({ path: path.join(root, "csaf/rhsa-2021_5217.json"), displayName: "r" });
    expect(csaf.format).toBe("csaf");
    const scores = await parseFile({ path: path.join(root, "epss/example-1.csv"), displayName: "e" });
    expect(scores.batch.kind === "epss" && scores.batch.scores.length).toBe(5);
  });

  it("lets --format force a parser, which then names what is wrong", async () => {
    const error = await rejection(
      parseFile({ path: path.join(root, "epss/example-1.csv"), displayName: "example-1.csv" }, "kev-csv"),
    );
    expect(error.oneLine()).toMatch(/^example-1\.csv:1: not a KEV CSV header: missing columns cveID/);
  });

  it("passes the EDGE CASE EPSS header error through with its line", async () => {
    const error = await rejection(
      parseFile({ path: path.join(root, "epss/invalid-header.csv"), displayName: "invalid-header.csv" }),
    );
    expect(error.oneLine()).toBe(
      "invalid-header.csv:2: expected header cve,epss,percentile, found 'invalid,header,format'",
    );
  });

  it("names an empty file", async () => {
    const file = path.join(tmp, "empty.json");
    writeFileSync(file, "");
    const error = await rejection(parseFile({ path: file, displayName: "empty.json" }));
    expect(error.oneLine()).toBe("empty.json: the file is empty");
  });
});
