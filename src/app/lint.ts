import { readFile } from "node:fs/promises";
import { type LintResult, lintHandoff } from "../core/lint/lint.js";
import { PatchlineError } from "../errors.js";

export interface FileLintResult extends LintResult {
  file: string;
}

export async function lintFile(file: string): Promise<FileLintResult> {
  let text: string;
  try {
    text = file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch {
    throw new PatchlineError("INPUT_NOT_FOUND", "no such file", { file });
  }
  if (text.trim() === "") throw new PatchlineError("VALIDATION_ERROR", "the file is empty", { file });
  return { file, ...lintHandoff(text, { fileName: file }) };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function lintReport(results: readonly FileLintResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.ok) {
      lines.push(`${r.file}: ok (${r.kind})`);
      continue;
    }
    lines.push(`${r.file}: ${r.findings.length} problem${r.findings.length === 1 ? "" : "s"} (${r.kind})`);
    for (const f of r.findings) {
      lines.push(`  ✗ ${f.check}: ${f.message}`);
      lines.push(`    fix: ${f.fix}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
