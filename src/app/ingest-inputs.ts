/**
 * What `ingest` was given, as files: a directory stands for every file under it (recursively, in
 * path order, leaving out hidden entries such as `.git` or `.DS_Store`), so an estate's reports can
 * be imported without listing ten thousand names on the command line.
 */
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { PatchlineError } from "../errors.js";
import type { InputFile } from "./ingest.js";

async function walk(dir: string, shown: string, out: InputFile[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PatchlineError("INPUT_UNREADABLE", `cannot list the directory: ${reason}`, { file: shown });
  }
  const visible = entries
    .filter((e) => !e.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of visible) {
    const path = join(dir, e.name);
    const name = join(shown, e.name);
    if (e.isDirectory()) await walk(path, name, out);
    else if (e.isFile() || e.isSymbolicLink()) out.push({ path, name });
  }
}

/**
 * The files to import, in the order given (a directory's files in path order where it stands).
 * A name that is neither a file nor a directory is kept as given: ingest reports it for that file.
 */
export async function expandInputs(args: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    if (!info?.isDirectory()) {
      out.push({ path: arg, name: arg });
      continue;
    }
    const before = out.length;
    await walk(arg, arg, out);
    if (out.length === before) {
      throw new PatchlineError("INPUT_NOT_FOUND", "the directory holds no files to import", { file: arg });
    }
  }
  return out;
}
