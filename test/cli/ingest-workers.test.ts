/**
 * Ingest with worker threads gives the same answer, file by file, as ingest on one thread: scanner
 * reports read in workers, other files (inventory, advisories) left to the main thread, errors
 * naming the file and the place, the same file twice, gzipped reports, and a second run that
 * recognises every report without parsing it.
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CORPUS, jsonLines, run, tempDir } from "./run.js";

interface Line {
  file: string;
  format: string | null;
  errors: string[];
  scan?: { seenBefore: boolean; findings: number };
}

function inputs(dir: string): string[] {
  const pick = (d: string) => readdirSync(join(CORPUS, d)).map((f) => join(CORPUS, d, f));
  const scans = [...pick("trivy"), ...pick("grype"), ...pick("nessus"), ...pick("cyclonedx")];
  const inventory = join(dir, "inventory.csv");
  writeFileSync(
    inventory,
    "asset_id,name,asset_group,environment,exposure,system_owner\nweb-01,Web 01,web,production,internet,platform\n",
  );
  const broken = join(dir, "broken-trivy.json");
  writeFileSync(
    broken,
    '{"SchemaVersion": 2, "ArtifactName": "x",\n  "Results": [\n    {"Target": }\n  ]\n}\n',
  );
  const first = scans[0] as string;
  const zipped = join(dir, "report.json.gz");
  writeFileSync(zipped, gzipSync(readFileSync(first)));
  const copy = join(dir, "copy.json");
  copyFileSync(first, copy);
  const osv = pick("osv")[0] as string;
  return [
    ...scans.slice(0, 8),
    inventory,
    broken,
    join(dir, "missing.json"),
    osv,
    ...scans.slice(8),
    copy,
    zipped,
  ];
}

describe("patchline ingest --workers", () => {
  it("answers file by file as ingest on one thread does", () => {
    const dir = tempDir();
    const files = inputs(dir);
    expect(files.length).toBeGreaterThanOrEqual(16);
    const one = run(["--db", join(dir, "one.db"), "ingest", "--json", "--workers", "0", ...files]);
    const two = run(["--db", join(dir, "two.db"), "ingest", "--json", "--workers", "2", ...files]);
    expect(one.status).toBe(65);
    expect(two.status).toBe(65);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);

    const lines = jsonLines<Line>(two.stdout);
    expect(lines.map((l) => l.file)).toEqual(files);
    const byName = (end: string) => lines.find((l) => l.file.endsWith(end)) as Line;
    expect(byName("inventory.csv")).toMatchObject({ format: "inventory-csv", errors: [] });
    expect(byName("broken-trivy.json").errors[0]).toMatch(/broken-trivy\.json:3:\d+: invalid JSON/);
    expect(byName("missing.json").errors[0]).toMatch(/missing\.json: no such file/);
    expect(byName("copy.json").scan?.seenBefore).toBe(true);
    expect(byName("report.json.gz").scan?.seenBefore).toBe(false);

    // Every scanner report is known the second time: nothing is parsed or written again.
    const again = run(["--db", join(dir, "two.db"), "ingest", "--json", "--workers", "2", ...files]);
    const scans = jsonLines<Line>(again.stdout).filter((l) => l.scan);
    expect(scans.length).toBeGreaterThan(15);
    for (const l of scans) expect(l.scan?.seenBefore, l.file).toBe(true);
  });

  it("imports a directory of reports like the list of its files", () => {
    const dir = tempDir();
    const listed = run(["--db", join(dir, "a.db"), "ingest", "--json", join(CORPUS, "trivy")]);
    const files = readdirSync(join(CORPUS, "trivy"))
      .sort()
      .map((f) => join(CORPUS, "trivy", f));
    const one = run(["--db", join(dir, "b.db"), "ingest", "--json", ...files]);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toBe(one.stdout);
  });

  it("refuses a --workers value that is no count", () => {
    const r = run(["--db", join(tempDir(), "p.db"), "ingest", "--workers", "many", "x.json"]);
    expect(r.status).toBe(64);
    expect(r.stderr).toContain("--workers must be auto or a whole number");
  });
});
