import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS, jsonLines, run, tempDir } from "./run.js";

interface IngestLine {
  file: string;
  format: string | null;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  errors: string[];
}

const provenance = readFileSync(join(CORPUS, "PROVENANCE.md"), "utf8");
const edgeCases = new Set(
  provenance
    .split("\n")
    .filter((l) => l.includes("EDGE CASE"))
    .map((l) => /^\|\s*`([^`]+)`/.exec(l)?.[1])
    .filter((f): f is string => Boolean(f)),
);

function corpusFiles(folder: string): string[] {
  return readdirSync(join(CORPUS, folder))
    .filter((f) => !f.endsWith("_schema.json"))
    .map((f) => `${folder}/${f}`);
}

const FEEDS = ["kev", "epss", "cve5", "csaf"].flatMap(corpusFiles);

describe("patchline ingest on the real corpus", () => {
  it("imports every valid KEV, EPSS, CVE 5 and CSAF file, and re-importing changes nothing", () => {
    const db = join(tempDir(), "p.db");
    const valid = FEEDS.filter((f) => !edgeCases.has(f)).map((f) => join(CORPUS, f));
    const first = run(["--db", db, "ingest", "--json", ...valid]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const lines = jsonLines<IngestLine>(first.stdout);
    expect(lines).toHaveLength(valid.length);
    for (const line of lines) {
      expect(line.errors, line.file).toEqual([]);
      expect(line.records, line.file).toBeGreaterThan(0);
      expect(line.added + line.updated + line.unchanged, line.file).toBe(line.records);
    }
    const kev = lines.find((l) => l.file.endsWith("kev/known_exploited_vulnerabilities.json"));
    expect(kev?.format).toBe("kev-json");
    expect(kev?.records).toBe(1404);

    const second = run(["--db", db, "ingest", "--json", ...valid]);
    expect(second.status).toBe(0);
    for (const line of jsonLines<IngestLine>(second.stdout)) {
      expect({ file: line.file, added: line.added, updated: line.updated }).toEqual({
        file: line.file,
        added: 0,
        updated: 0,
      });
    }
  });

  it("handles or rejects every EDGE CASE feed file with one line naming the file, and no stack trace", () => {
    const edge = FEEDS.filter((f) => edgeCases.has(f));
    expect(edge.length).toBeGreaterThanOrEqual(3);
    for (const f of edge) {
      const db = join(tempDir(), "p.db");
      const r = run(["--db", db, "ingest", "--json", join(CORPUS, f)]);
      const [line] = jsonLines<IngestLine>(r.stdout);
      expect(line, f).toBeDefined();
      expect(r.stderr).not.toMatch(/\n\s+at /);
      if (line && line.errors.length > 0) {
        expect(r.status, f).not.toBe(0);
        expect(line.errors).toHaveLength(1);
        expect(line.errors[0]).toContain(f.split("/")[1]);
        expect(line.errors[0]?.split("\n")).toHaveLength(1);
        expect(line.records + line.added + line.updated).toBe(0);
      } else {
        expect(r.status, f).toBe(0);
      }
    }
  });

  it("rejects a truncated file as a whole and names the place", () => {
    const dir = tempDir();
    const broken = join(dir, "kev-broken.json");
    const text = readFileSync(join(CORPUS, "kev/known_exploited_vulnerabilities.json"), "utf8");
    writeFileSync(broken, text.slice(0, 50_000));
    const db = join(dir, "p.db");
    const r = run(["--db", db, "ingest", broken]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/kev-broken\.json/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const after = run([
      "--db",
      db,
      "ingest",
      "--json",
      join(CORPUS, "kev/known_exploited_vulnerabilities.json"),
    ]);
    const [line] = jsonLines<IngestLine>(after.stdout);
    expect(line?.added).toBe(1404);
  });
});
