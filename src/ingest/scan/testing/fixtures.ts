/**
 * Test support shared by the parser tests under src/ingest: inputs from the shared corpus (named
 * `corpus/<dir>/<file>`), scratch files for broken variants, the corpus files a detector claims,
 * unwrapping a parsed batch, finding and product lookups, and the PatchlineError a parser rejects with.
 *
 * Named fixtures.ts so that the build (tsconfig.build.json) leaves it out of dist.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ScanFinding, ScanReport } from "../../../core/scan/types.js";
import type { AdvisoryRecord, AffectedProduct } from "../../../core/types.js";
import { PatchlineError } from "../../../errors.js";
import { readHead } from "../../read.js";
import type { ParsedBatch, ParseInput } from "../../types.js";

/** The shared corpus, relative to the directory the tests run from. */
export const CORPUS = path.resolve("../shared/corpus");

/** A corpus file as a parser input, named `corpus/<relative>`. */
export function corpusInput(relative: string): ParseInput {
  return { path: path.join(CORPUS, relative), displayName: `corpus/${relative}` };
}

/** The text of a corpus file. */
export function corpusText(relative: string): string {
  return readFileSync(corpusInput(relative).path, "utf8");
}

/** Every corpus file (any depth) but PROVENANCE.md, as a "/"-separated relative path, sorted by path. */
export function corpusFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return walk(full);
      return name === "PROVENANCE.md" ? [] : [path.relative(CORPUS, full).split(path.sep).join("/")];
    });
  return walk(CORPUS).sort();
}

/** A corpus file with its first 64 KB as a detector sees it; `dir` is its top-level corpus directory. */
export interface CorpusHead {
  file: string;
  dir: string;
  name: string;
  head: string;
}

/** Every corpus file (as corpusFiles lists them) with its head. */
export async function corpusHeads(): Promise<CorpusHead[]> {
  const heads: CorpusHead[] = [];
  for (const file of corpusFiles()) {
    const dir = file.slice(0, file.indexOf("/"));
    const name = file.slice(file.lastIndexOf("/") + 1);
    heads.push({ file, dir, name, head: await readHead(corpusInput(file)) });
  }
  return heads;
}

/** Every corpus file (relative path, "/"-separated, sorted) the detector claims from its head. */
export async function claimedCorpusFiles(detector: (head: string) => boolean): Promise<string[]> {
  return (await corpusHeads()).filter(({ head }) => detector(head)).map(({ file }) => file);
}

/** Writes a file into a scratch directory and returns it as a parser input named by its file name. */
export type ScratchWriter = ((name: string, content: string | Buffer) => ParseInput) & { dir: string };

/** A fresh scratch directory (`patchline-<prefix>-*` under the OS temp dir) for broken variants. */
export function scratchDir(prefix: string): ScratchWriter {
  const dir = mkdtempSync(path.join(tmpdir(), `patchline-${prefix}-`));
  const write = (name: string, content: string | Buffer): ParseInput => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return { path: file, displayName: name };
  };
  return Object.assign(write, { dir });
}

/** The report of a scan batch; throws on any other kind. */
export function scanOf(batch: ParsedBatch): ScanReport {
  if (batch.kind !== "scan") throw new Error(`expected a scan batch, got ${batch.kind}`);
  return batch.report;
}

/** The records of an advisories batch; throws on any other kind. */
export function advisoriesOf(batch: ParsedBatch): AdvisoryRecord[] {
  if (batch.kind !== "advisories") throw new Error("expected advisories");
  return batch.records;
}

function onlyFinding(
  report: ScanReport,
  vulnId: string,
  where: (finding: ScanFinding) => boolean,
  label: string,
): ScanFinding {
  const found = report.findings.filter((f) => f.vulnId === vulnId && where(f));
  if (found.length !== 1 || !found[0])
    throw new Error(`expected one finding ${vulnId} ${label}, got ${found.length}`);
  return found[0];
}

/** The one finding with this vulnerability id (and package name, when given); throws unless exactly one. */
export function findingOf(report: ScanReport, vulnId: string, pkg?: string): ScanFinding {
  return onlyFinding(report, vulnId, (f) => pkg === undefined || f.package?.name === pkg, pkg ?? "");
}

/** The one finding with this vulnerability id on this asset key; throws unless exactly one. */
export function findingOnAsset(report: ScanReport, vulnId: string, asset: string): ScanFinding {
  return onlyFinding(report, vulnId, (f) => f.asset === asset, `on ${asset}`);
}

/** The affected product with this vendor and product name; throws when there is none. */
export function productOf(record: AdvisoryRecord, vendor: string, name: string): AffectedProduct {
  const found = record.affected.find((p) => p.vendor === vendor && p.product === name);
  if (!found) throw new Error(`no product ${vendor} ${name}`);
  return found;
}

/** The PatchlineError a promise rejects with, or a function throws (or rejects with); other errors pass. */
export async function rejection(run: Promise<unknown> | (() => unknown)): Promise<PatchlineError> {
  try {
    await (typeof run === "function" ? run() : run);
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}

/** The PatchlineError a synchronous function throws; other errors pass. */
export function caught(run: () => unknown): PatchlineError {
  try {
    run();
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}
