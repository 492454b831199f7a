/**
 * Runs a TypeScript module of this repo in a separate Node process: the module and every relative
 * import it reaches are transpiled (types stripped) into node_modules/.cache, where Node resolves
 * the installed packages as usual.
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(".");
const OUT = path.resolve("node_modules/.cache/patchline-test-child");
const IMPORT = /(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)\.js["']/g;

function transpile(file: string, done: Set<string>): void {
  if (done.has(file)) return;
  done.add(file);
  const source = fs.readFileSync(file, "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  });
  const target = path.join(OUT, path.relative(ROOT, file)).replace(/\.ts$/, ".js");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, outputText);
  for (const m of source.matchAll(IMPORT)) {
    const dep = path.resolve(path.dirname(file), `${m[1]}.ts`);
    if (fs.existsSync(dep)) transpile(dep, done);
  }
}

/** Transpiles `entry` (a path relative to the repo root) and what it imports; returns the .js to run. */
export function buildChild(entry: string): string {
  const file = path.resolve(entry);
  transpile(file, new Set());
  return path.join(OUT, path.relative(ROOT, file)).replace(/\.ts$/, ".js");
}

export function forkChild(script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return fork(script, args, {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}
