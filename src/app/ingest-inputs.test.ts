import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isPatchlineError } from "../errors.js";
import { expandInputs } from "./ingest-inputs.js";

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "pl-inputs-"));
  mkdirSync(join(root, "scans", "week46"), { recursive: true });
  mkdirSync(join(root, "scans", ".git"));
  writeFileSync(join(root, "scans", "b.json"), "{}");
  writeFileSync(join(root, "scans", "a.json"), "{}");
  writeFileSync(join(root, "scans", "week46", "c.nessus"), "<x/>");
  writeFileSync(join(root, "scans", ".DS_Store"), "");
  writeFileSync(join(root, "scans", ".git", "HEAD"), "");
  writeFileSync(join(root, "inventory.csv"), "");
  return root;
}

describe("expandInputs", () => {
  it("puts a directory's files, recursively and in path order, where the directory stands", async () => {
    const root = tree();
    const got = await expandInputs([
      join(root, "inventory.csv"),
      join(root, "scans"),
      join(root, "missing.json"),
    ]);
    expect(got.map((f) => f.name.slice(root.length + 1))).toEqual([
      "inventory.csv",
      "scans/a.json",
      "scans/b.json",
      "scans/week46/c.nessus",
      "missing.json",
    ]);
    expect(got.every((f) => f.path === f.name)).toBe(true);
  });

  it("refuses a directory with nothing to import, naming it", async () => {
    const empty = mkdtempSync(join(tmpdir(), "pl-empty-"));
    writeFileSync(join(empty, ".hidden"), "");
    const error = await expandInputs([empty]).catch((e: unknown) => e);
    expect(isPatchlineError(error) && error.oneLine()).toBe(
      `${empty}: the directory holds no files to import`,
    );
  });
});
