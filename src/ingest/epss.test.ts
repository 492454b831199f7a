import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PatchlineError } from "../errors.js";
import { cveKey, parseEpssComment, parseEpssCsv, probability } from "./epss.js";
import type { ParsedBatch, ParseInput } from "./types.js";

const corpus = (p: string): ParseInput => ({
  path: path.resolve("../shared/corpus", p),
  displayName: `corpus/${p}`,
});
const tmp = mkdtempSync(path.join(tmpdir(), "patchline-epss-"));

function tmpFile(name: string, text: string | Buffer): ParseInput {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return { path: file, displayName: name };
}

function epss(batch: ParsedBatch): Extract<ParsedBatch, { kind: "epss" }> {
  if (batch.kind !== "epss") throw new Error(`expected an epss batch, got ${batch.kind}`);
  return batch;
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

describe("parseEpssCsv on the corpus", () => {
  it("reads the 2025 sample with a +0000 score date", async () => {
    const batch = epss(await parseEpssCsv(corpus("epss/example-1.csv")));
    expect(batch.modelVersion).toBe("v2023.03.01");
    expect(batch.scoreDate).toBe("2025-02-20");
    expect(batch.scores).toHaveLength(5);
    expect(batch.scores[0]).toEqual({
      cve: "CVE-1999-0001",
      epss: 0.00383,
      percentile: 0.73075,
      scoreDate: "2025-02-20",
      modelVersion: "v2023.03.01",
    });
    expect(batch.scores[4]).toMatchObject({ cve: "CVE-1999-0005", epss: 0.91963, percentile: 0.99214 });
  });

  it("reads the 2026 prefix with a Z score date and short decimals", async () => {
    const batch = epss(await parseEpssCsv(corpus("epss/epss_scores-current_2026-09-29_prefix100.csv")));
    expect(batch.modelVersion).toBe("v2026.06.15");
    expect(batch.scoreDate).toBe("2026-09-29");
    expect(batch.scores).toHaveLength(100);
    expect(batch.scores.find((s) => s.cve === "CVE-1999-0011")).toMatchObject({
      epss: 0.05469,
      percentile: 0.9248,
    });
    expect(batch.scores.find((s) => s.cve === "CVE-1999-0016")?.epss).toBe(0.95739);
  });

  it("rejects the invalid-header sample on line 2", async () => {
    const error = await rejection(parseEpssCsv(corpus("epss/invalid-header.csv")));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.oneLine()).toBe(
      "corpus/epss/invalid-header.csv:2: expected header cve,epss,percentile, found 'invalid,header,format'",
    );
  });

  it("reads a gzip-compressed copy the same way", async () => {
    const plain = corpus("epss/epss_scores-current_2026-09-29_prefix100.csv");
    const gz = tmpFile("epss_scores-current.csv.gz", gzipSync(readFileSync(plain.path)));
    expect(await parseEpssCsv(gz)).toEqual(await parseEpssCsv(plain));
  });
});

describe("parseEpssCsv rules", () => {
  it("takes the score date from the file name when the comment line is missing", async () => {
    const batch = epss(
      await parseEpssCsv(
        tmpFile("epss_scores-2021-04-14.csv", "cve,epss,percentile\nCVE-2021-1234,0.5,0.9\n"),
      ),
    );
    expect(batch.scoreDate).toBe("2021-04-14");
    expect(batch.modelVersion).toBe("unknown");
    expect(batch.scores[0]?.scoreDate).toBe("2021-04-14");
  });

  it("refuses a file with neither a comment line nor a dated name", async () => {
    const error = await rejection(
      parseEpssCsv(tmpFile("scores.csv", "cve,epss,percentile\nCVE-2021-1234,0.5,0.9\n")),
    );
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.line).toBe(1);
    expect(error.message).toMatch(/^no score date/);
  });

  it("names the line of a bad row", async () => {
    const head = "#model_version:v2025.03.14,score_date:2026-01-02T00:00:00Z\ncve,epss,percentile\n";
    const cases: [string, string][] = [
      ["CVE-2024-1234,1.5,0.2", "bad.csv:4: epss '1.5' is not a number between 0 and 1"],
      ["CVE-2024-1234,0.5,-0.1", "bad.csv:4: percentile '-0.1' is not a number between 0 and 1"],
      ["CVE-2024-1234,0.5,", "bad.csv:4: percentile '' is not a number between 0 and 1"],
      ["CVE-24-1234,0.5,0.1", "bad.csv:4: 'CVE-24-1234' is not a CVE id"],
      ["CVE-2024-1234,0.5", "bad.csv:4: expected 3 fields (cve,epss,percentile), found 'CVE-2024-1234,0.5'"],
      [
        "CVE-2024-1234,0.5,0.1,9",
        "bad.csv:4: expected 3 fields (cve,epss,percentile), found 'CVE-2024-1234,0.5,0.1,9'",
      ],
    ];
    for (const [row, message] of cases) {
      const error = await rejection(
        parseEpssCsv(tmpFile("bad.csv", `${head}CVE-2024-0001,0.1,0.2\n${row}\n`)),
      );
      expect(error.oneLine()).toBe(message);
    }
  });

  it("refuses a CVE scored twice, naming both lines, even out of order", async () => {
    const text =
      "#score_date:2026-01-02\ncve,epss,percentile\nCVE-2024-0002,0.1,0.2\nCVE-2024-0001,0.1,0.2\n\nCVE-2024-0002,0.3,0.4\n";
    const error = await rejection(parseEpssCsv(tmpFile("dup.csv", text)));
    expect(error.oneLine()).toBe("dup.csv:6: duplicate CVE-2024-0002: already scored on line 3");
  });

  it("accepts CRLF line ends and exponent notation", async () => {
    const batch = epss(
      await parseEpssCsv(
        tmpFile(
          "crlf.csv",
          "#model_version:v1,score_date:2022-01-01\r\ncve,epss,percentile\r\nCVE-2021-44228,9.7e-1,1\r\n",
        ),
      ),
    );
    expect(batch.scores).toEqual([
      { cve: "CVE-2021-44228", epss: 0.97, percentile: 1, scoreDate: "2022-01-01", modelVersion: "v1" },
    ]);
  });

  it("says an empty file is empty", async () => {
    expect((await rejection(parseEpssCsv(tmpFile("empty.csv", "")))).oneLine()).toBe(
      "empty.csv: the file is empty",
    );
  });
});

describe("helpers", () => {
  it("parses the comment line in any order", () => {
    expect(parseEpssComment("#score_date:2025-02-20T00:00:00+0000,model_version:v2023.03.01")).toEqual({
      modelVersion: "v2023.03.01",
      scoreDate: "2025-02-20T00:00:00+0000",
    });
  });

  it("reads decimals exactly as Number() does", () => {
    for (const text of [
      "0.00383",
      "0.9248",
      "0.018",
      "1",
      "0",
      "0.999999999999999",
      "0.1234567890123456789",
    ]) {
      expect(probability(text, 0, text.length)).toBe(Number(text));
    }
    expect(probability("1.01", 0, 4)).toBeNaN();
    expect(probability("abc", 0, 3)).toBeNaN();
  });

  it("keys CVE ids by year and number", () => {
    expect(cveKey("CVE-2024-3400", 0, 13)).toBe(2024 * 1e10 + 3400);
    expect(cveKey("x,CVE-2021-44228", 2, 16)).toBe(2021 * 1e10 + 44228);
    expect(cveKey("CVE-2024-340", 0, 12)).toBe(-1);
    expect(cveKey("cve-2024-3400", 0, 13)).toBe(-1);
  });
});

describe("parseEpssCsv speed", () => {
  it("parses a 300k-row daily file well under the limit", async () => {
    const file = path.join(tmp, "epss_scores-2026-09-29.csv");
    const out = createWriteStream(file);
    out.write("#model_version:v2025.03.14,score_date:2026-09-29T00:00:00Z\ncve,epss,percentile\n");
    const rows: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      const year = 1999 + Math.floor(i / 11_112);
      const seq = String(1 + (i % 11_112)).padStart(4, "0");
      rows.push(`CVE-${year}-${seq},${((i % 997) / 1000).toFixed(5)},${((i % 991) / 1000).toFixed(5)}`);
      if (rows.length === 10_000) {
        out.write(`${rows.join("\n")}\n`);
        rows.length = 0;
      }
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );

    const started = performance.now();
    const batch = epss(await parseEpssCsv({ path: file, displayName: "epss_scores-2026-09-29.csv" }));
    const ms = Math.round(performance.now() - started);
    console.info(`EPSS 300k rows parsed in ${ms} ms`);
    expect(batch.scores).toHaveLength(300_000);
    expect(batch.scores[299_999]?.cve).toBe("CVE-2025-11088");
    // Generous: the suite runs in parallel on small machines; `npm run bench` measures the real figure.
    expect(ms).toBeLessThan(4500);
  });
});
