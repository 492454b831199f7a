import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS, jsonLines, run, tempDir } from "./run.js";

interface ScanLine {
  file: string;
  format: string | null;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  errors: string[];
  scan?: {
    scanner: string;
    findings: number;
    duplicates: number;
    assets: number;
    unknownAssets: { asset: string; reason: string }[];
    other: Record<string, number>;
    gone: number;
    redetected: number;
    seenBefore: boolean;
    tracker: { evidence: string[]; verified: string[]; reopened: string[] };
  };
}

const SCANNERS = [
  "trivy",
  "grype",
  "sarif",
  "nessus",
  "openvas",
  "qualys",
  "cyclonedx",
  "spdx",
  "osv-scanner",
];
const files = SCANNERS.flatMap((d) => readdirSync(join(CORPUS, d)).map((f) => join(CORPUS, d, f)));

const IMAGE = "testdata/fixtures/images/alpine-310.tar.gz";
const INVENTORY = [
  "asset_id,name,asset_group,environment,exposure,system_owner,identifiers,testing,rollback",
  `build-image,Build base image,build-images,production,internal,platform,${IMAGE},Rebuild and run the image smoke suite,Pin the previous image digest`,
].join("\n");
const OWNERS =
  "id,name,roles,time_zone\nplatform,Platform team,system-owner,Europe/Berlin\nsec,Security office,security,UTC\n";

describe("patchline ingest on scanner reports", () => {
  it("imports every scanner report in the corpus, reports its counts, and imports each only once", () => {
    const db = join(tempDir(), "p.db");
    const first = run(["--db", db, "ingest", "--json", ...files]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const lines = jsonLines<ScanLine>(first.stdout);
    expect(lines).toHaveLength(files.length);
    for (const line of lines) {
      expect(line.errors, line.file).toEqual([]);
      expect(line.scan, line.file).toBeDefined();
      expect(line.records, line.file).toBe(line.scan?.findings);
      // No inventory: every asset is listed as unknown, none dropped.
      expect(line.scan?.unknownAssets.length, line.file).toBe(line.scan?.assets);
    }
    const secrets = lines.find((l) => l.file.endsWith("trivy/misconfigurations_and_secrets.json"));
    expect(secrets?.scan).toMatchObject({ findings: 2, other: { misconfiguration: 1, secret: 2 } });
    const sameCve = lines.find((l) => l.file.endsWith("grype/same_cve_different_paths.json"));
    expect(sameCve?.scan).toMatchObject({ findings: 1, duplicates: 1 });
    const codeql = lines.find((l) => l.file.endsWith("sarif/codeQL-output.sarif"));
    expect(codeql?.scan).toMatchObject({ findings: 0, other: { code: 72 } });

    const second = run(["--db", db, "ingest", "--json", ...files]);
    expect(second.status).toBe(0);
    for (const line of jsonLines<ScanLine>(second.stdout)) {
      expect([line.file, line.added, line.updated, line.scan?.seenBefore]).toEqual([line.file, 0, 0, true]);
    }
  });

  it("maps the report to the inventory, plans work from it, and notices what a re-scan no longer finds", () => {
    const dir = tempDir();
    const db = join(dir, "p.db");
    writeFileSync(join(dir, "inventory.csv"), INVENTORY);
    writeFileSync(join(dir, "owners.csv"), OWNERS);
    expect(run(["--db", db, "ingest", join(dir, "inventory.csv"), join(dir, "owners.csv")]).status).toBe(0);

    const report = join(CORPUS, "trivy/alpine-310.json");
    const [line] = jsonLines<ScanLine>(run(["--db", db, "ingest", "--json", report]).stdout);
    expect(line?.scan).toMatchObject({ findings: 4, assets: 1, unknownAssets: [] });

    const triage = run(["--db", db, "triage", "--json"]);
    expect(triage.status).toBe(0);
    const planned = JSON.parse(triage.stdout) as { advisory: string; assetGroup: string }[];
    expect(planned.map((w) => w.advisory).sort()).toEqual(["CVE-2019-1549", "CVE-2019-1551"]);

    // A later scan of the same image without CVE-2019-1549.
    const json = JSON.parse(readFileSync(report, "utf8")) as {
      CreatedAt: string;
      Results: { Vulnerabilities?: { VulnerabilityID: string }[] }[];
    };
    json.CreatedAt = "2021-09-01T12:00:00Z";
    for (const r of json.Results) {
      r.Vulnerabilities = (r.Vulnerabilities ?? []).filter((v) => v.VulnerabilityID !== "CVE-2019-1549");
    }
    const rescan = join(dir, "alpine-310-rescan.json");
    writeFileSync(rescan, JSON.stringify(json));
    const [again] = jsonLines<ScanLine>(run(["--db", db, "ingest", "--json", rescan]).stdout);
    expect(again?.scan).toMatchObject({ findings: 2, gone: 2, redetected: 0 });

    // What the scanners say now: two findings present on the inventory asset, two gone.
    const present = jsonLines<{ vulnId: string; inventoryAsset: string; state: string }>(
      run(["--db", db, "findings", "--json", "--asset", "build-image"]).stdout,
    );
    expect(present).toHaveLength(2);
    expect(present.every((f) => f.inventoryAsset === "build-image" && f.state === "present")).toBe(true);
    const gone = jsonLines<{ state: string; goneAt: string; fixed: string[] }>(
      run(["--db", db, "findings", "--json", "--state", "gone", "--vuln", "cve-2019-1549"]).stdout,
    );
    expect(gone.map((f) => [f.state, f.goneAt])).toEqual([
      ["gone", "2021-09-01T12:00:00Z"],
      ["gone", "2021-09-01T12:00:00Z"],
    ]);
    const text = run(["--db", db, "findings", "--state", "all"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("gone since 2021-09-01T12:00:00Z");
    expect(text.stdout.trim().split("\n").at(-1)).toBe("4 findings: 2 present, 2 gone, on 1 asset");
    expect(run(["--db", db, "findings", "--state", "fixed"]).status).toBe(64);

    // The reports imported, oldest first.
    const scans = jsonLines<{ file: string; reportTime: string; findings: number; components: number }>(
      run(["--db", db, "scans", "--json"]).stdout,
    );
    expect(scans.map((s) => [s.file.split("/").at(-1), s.reportTime, s.findings])).toEqual([
      ["alpine-310.json", "2021-08-25T12:20:30.000000005Z", 4],
      ["alpine-310-rescan.json", "2021-09-01T12:00:00Z", 2],
    ]);
    const listed = run(["--db", db, "scans", "--scanner", "trivy"]).stdout.trim().split("\n");
    expect(listed.at(-1)).toBe("2 reports");
    expect(listed[0]).toContain("trivy (container_image)");

    const after = JSON.parse(run(["--db", db, "triage", "--json"]).stdout) as typeof planned;
    expect(after.map((w) => w.advisory)).toEqual(["CVE-2019-1551"]);
  });

  it("verifies a claimed fix from the command line when a full re-scan no longer finds it", () => {
    const dir = tempDir();
    const db = join(dir, "p.db");
    const at = (when: string, args: string[]) => run(["--db", db, "--now", when, ...args]);
    writeFileSync(join(dir, "inventory.csv"), INVENTORY);
    writeFileSync(join(dir, "owners.csv"), OWNERS);
    const report = join(CORPUS, "trivy/alpine-310.json");
    expect(
      run(["--db", db, "ingest", join(dir, "inventory.csv"), join(dir, "owners.csv"), report]).status,
    ).toBe(0);
    const rows = JSON.parse(run(["--db", db, "triage", "--json"]).stdout) as {
      id: string;
      advisory: string;
    }[];
    const item = rows.find((r) => r.advisory === "CVE-2019-1549");
    if (!item) throw new Error("expected a work item for CVE-2019-1549");
    expect(at("2026-11-23T09:00:00Z", ["handoff", item.id, "--out", join(dir, "out")]).status).toBe(0);
    expect(at("2026-11-23T10:00:00Z", ["--as", "platform", "ack", item.id]).status).toBe(0);
    for (const kind of ["version-proof", "deployment-record"]) {
      const added = at("2026-11-23T11:00:00Z", [
        "--as",
        "platform",
        "evidence",
        "add",
        item.id,
        "--kind",
        kind,
        "--reference",
        `CHG-7 ${kind}`,
      ]);
      expect(added.stderr).toBe("");
    }
    expect(at("2026-11-23T11:30:00Z", ["--as", "platform", "patched", item.id]).status).toBe(0);

    // The rebuilt image, scanned later: CVE-2019-1549 is gone, CVE-2019-1551 is still there.
    const json = JSON.parse(readFileSync(report, "utf8")) as {
      CreatedAt: string;
      Results: { Vulnerabilities?: { VulnerabilityID: string }[] }[];
    };
    json.CreatedAt = "2026-11-23T11:45:00Z";
    for (const r of json.Results) {
      r.Vulnerabilities = (r.Vulnerabilities ?? []).filter((v) => v.VulnerabilityID !== "CVE-2019-1549");
    }
    const rescan = join(dir, "rescan.json");
    writeFileSync(rescan, JSON.stringify(json));
    const [line] = jsonLines<ScanLine>(at("2026-11-23T12:00:00Z", ["ingest", "--json", rescan]).stdout);
    expect(line?.scan?.tracker).toEqual({ evidence: [item.id], verified: [item.id], reopened: [] });
    const show = at("2026-11-23T12:05:00Z", ["show", item.id]);
    expect(show.stdout).toMatch(/verified/);
    expect(show.stdout).toMatch(/rescan\.json/);
  });
});
