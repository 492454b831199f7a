import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isPatchlineError } from "../errors.js";
import { detectFormat, parseFile } from "./detect.js";
import { readHead } from "./read.js";

const root = path.resolve("../shared/corpus");

/** The format each corpus directory's files must be detected as (by file name where a directory mixes). */
const EXPECTED: Record<string, (file: string) => string | null> = {
  csaf: () => "csaf",
  cve5: () => "cve5",
  cyclonedx: (f) => (f.endsWith(".xml") ? "cyclonedx-xml" : "cyclonedx-json"),
  epss: () => "epss-csv",
  grype: () => "grype-json",
  kev: (f) => (f.endsWith("_schema.json") ? null : f.endsWith(".csv") ? "kev-csv" : "kev-json"),
  nessus: (f) =>
    f.endsWith(".xml") || f.endsWith(".nessus")
      ? "nessus-xml"
      : f === "nessus_new.csv"
        ? "tenable-csv"
        : f.startsWith("tenable_sc")
          ? "tenable-sc-csv"
          : "nessus-csv",
  nvd: () => "nvd-json",
  openvas: (f) => (f.endsWith(".xml") ? "openvas-xml" : "openvas-csv"),
  osv: () => "osv-json",
  "osv-scanner": () => "osv-scanner-json",
  qualys: (f) =>
    f.endsWith(".csv")
      ? "qualys-csv"
      : f.includes("webapp")
        ? "qualys-was-xml"
        : f === "Qualys_Sample_Report.xml"
          ? "qualys-asset-xml"
          : "qualys-scan-xml",
  sarif: () => "sarif",
  spdx: (f) => (f.endsWith(".spdx") ? "spdx-tag" : "spdx-json"),
  trivy: () => "trivy-json",
  ssvc: () => null,
};

const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(root, d.name)).map((f) => [d.name, f] as const));

describe("format detection over the whole corpus", () => {
  it.each(files)("%s/%s", async (dir, file) => {
    const want = EXPECTED[dir]?.(file);
    const input = { path: path.join(root, dir, file), displayName: `corpus/${dir}/${file}` };
    const head = await readHead(input);
    if (want === null || want === undefined) {
      expect(() => detectFormat(input.displayName, head)).toThrow();
      return;
    }
    expect(detectFormat(input.displayName, head)).toBe(want);
  });

  it.each(files.filter(([dir]) => EXPECTED[dir]?.("x") !== null))(
    "parses %s/%s whole or refuses it with one line",
    async (dir, file) => {
      const input = { path: path.join(root, dir, file), displayName: `corpus/${dir}/${file}` };
      try {
        const { batch } = await parseFile(input);
        expect(batch.kind).toBeTruthy();
      } catch (error) {
        if (!isPatchlineError(error)) throw error;
        expect(error.oneLine()).toContain(`corpus/${dir}/${file}`);
        expect(error.oneLine()).not.toContain("\n");
      }
    },
  );
});
