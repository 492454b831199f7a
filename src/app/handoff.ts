import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type HandoffFormat, renderHandoff } from "../core/render/index.js";
import type { WorkItem } from "../core/types.js";

export const HANDOFF_FORMATS: readonly HandoffFormat[] = ["md", "text", "json"];

const EXTENSION: Record<HandoffFormat, string> = { md: "md", text: "txt", json: "json" };

export interface WrittenHandoff {
  id: string;
  lane: string;
  path: string;
}

/** File name: the work item, its advisory and its lane, so a folder of handoffs sorts sensibly. */
export function handoffFileName(item: WorkItem, format: HandoffFormat): string {
  const advisory = item.advisory.id.replace(/[^A-Za-z0-9._-]+/g, "_");
  return `${item.id}-${advisory}-${item.lane}.${EXTENSION[format]}`;
}

export async function writeHandoffs(
  items: readonly WorkItem[],
  format: HandoffFormat,
  outDir: string,
): Promise<WrittenHandoff[]> {
  await mkdir(outDir, { recursive: true });
  const written: WrittenHandoff[] = [];
  for (const item of items) {
    const path = join(outDir, handoffFileName(item, format));
    await writeFile(path, renderHandoff(item, format), "utf8");
    written.push({ id: item.id, lane: item.lane, path });
  }
  return written;
}
