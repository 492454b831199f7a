import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { run, tempDir } from "./run.js";

interface BoardRow {
  id: string;
  advisory: string;
  assetGroup: string;
  owner: string;
  lane: string;
  triggers: string[];
  deadline: string | null;
  zone: string;
  missing: { field: string; supplier: string }[];
}

const EXAMPLES = resolve("examples");

describe("the main job on the shipped examples", () => {
  const dir = tempDir();
  const db = join(dir, "p.db");
  let rows: BoardRow[] = [];

  beforeAll(() => {
    const feeds = readdirSync(join(EXAMPLES, "feeds")).map((f) => join(EXAMPLES, "feeds", f));
    const imported = run([
      "--db",
      db,
      "ingest",
      join(EXAMPLES, "owners.csv"),
      join(EXAMPLES, "inventory.csv"),
      ...feeds,
    ]);
    expect(imported.stderr).toBe("");
    expect(imported.status).toBe(0);
    const triage = run(["--db", db, "triage", "--json"]);
    expect(triage.status).toBe(0);
    rows = JSON.parse(triage.stdout) as BoardRow[];
  });

  it("triage --json gives work items with the documented fields", () => {
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(row.id).toMatch(/^WI-[0-9a-f]{10}$/);
      expect(typeof row.advisory).toBe("string");
      expect(typeof row.assetGroup).toBe("string");
      expect(typeof row.owner).toBe("string");
      expect(Array.isArray(row.triggers)).toBe(true);
      expect(Array.isArray(row.missing)).toBe(true);
      if (row.deadline !== null)
        expect(row.deadline).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?[+-]\d{2}:\d{2}$/);
      expect(row.zone).toMatch(/\//);
    }
  });

  it("exercises the patch-now, patch-window, validate and mitigate lanes", () => {
    const lanes = new Set(rows.map((r) => r.lane));
    for (const lane of ["patch-now", "patch-window", "validate", "mitigate"]) expect(lanes).toContain(lane);
  });

  it("turns a KEV item without a known fixed version into a validation request naming who must supply it", () => {
    const demoted = rows.filter(
      (r) => r.lane === "validate" && r.missing.some((m) => m.field === "fixedVersion"),
    );
    expect(demoted.length).toBeGreaterThan(0);
    for (const r of demoted) {
      expect(r.triggers.some((t) => /KEV/i.test(t))).toBe(true);
      expect(r.missing.every((m) => m.supplier.length > 0)).toBe(true);
    }
  });

  it("shows deadlines in at least three owner time zones", () => {
    const zones = new Set(rows.filter((r) => r.deadline).map((r) => r.zone));
    expect(zones.size).toBeGreaterThanOrEqual(3);
  });

  it("writes a handoff for every work item and each passes its own lint", () => {
    const out = join(dir, "handoffs");
    for (const format of ["md", "text", "json"]) {
      const written = run(["--db", db, "handoff", "--all", "--format", format, "--out", join(out, format)]);
      expect(written.status).toBe(0);
      const files = written.stdout.trim().split("\n");
      expect(files).toHaveLength(rows.length);
      const lint = run(["lint", ...files]);
      expect(lint.stdout).not.toMatch(/problem/);
      expect(lint.status).toBe(0);
    }
  });

  it("prints one handoff by id and refuses an unknown id with a clear error", () => {
    const first = rows[0];
    if (!first) throw new Error("no rows");
    const one = run(["--db", db, "handoff", first.id, "--format", "json"]);
    expect(one.status).toBe(0);
    expect((JSON.parse(one.stdout) as { id: string }).id).toBe(first.id);
    const missing = run(["--db", db, "handoff", "WI-0000000000"]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/WI-0000000000/);
  });

  it("lint fails a vague hand-written handoff with the fix, exit 1", () => {
    const bad = join(dir, "bad.md");
    writeFileSync(bad, "# Patch now\n\nPlease patch the firewalls ASAP. Thanks!\n");
    const r = run(["lint", bad]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ASAP/);
    expect(r.stdout).toMatch(/fix:/);
  });

  it("re-running triage later keeps the deadlines it already gave", () => {
    const later = run(["--db", db, "--now", "2026-11-25T09:00:00Z", "triage", "--json"]);
    const again = JSON.parse(later.stdout) as BoardRow[];
    const before = new Map(rows.map((r) => [r.id, r.deadline]));
    for (const r of again) expect(r.deadline).toBe(before.get(r.id));
  });
});

describe("patchline demo", () => {
  it("runs the main job on the example data from an empty folder", () => {
    const cwd = tempDir();
    const r = run(["demo"], { cwd });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/patch-now/);
    expect(r.stdout).toMatch(/pass lint/);
    const out = readdirSync(join(cwd, "out/demo"));
    expect(out.length).toBeGreaterThan(5);
    expect(readFileSync(join(cwd, "out/demo", out[0] ?? ""), "utf8").length).toBeGreaterThan(200);
  });
});
