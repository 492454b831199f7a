import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const CLI = resolve("dist/cli/main.js");
export const CORPUS = resolve("../shared/corpus");
export const NOW = "2026-11-23T09:00:00Z";

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, with a pinned clock and no terminal. */
export function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const r = spawnSync(process.execPath, [CLI, "--now", NOW, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    encoding: "utf8",
    env: { ...process.env, CI: "true", PATCHLINE_DATABASE_URL: "", ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = "patchline-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function jsonLines<T>(text: string): T[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}
