import { dueCheckpoints } from "../../core/track/due.js";
import type { CaseRecord, DueCheckpoint, ItemRecord } from "../../core/track/types.js";
import type { WorkItem } from "../../core/types.js";
import { PatchlineError } from "../../errors.js";
import type { Store } from "../../store/index.js";
import { caseIdFor } from "./record.js";

export interface CaseEntries {
  case: CaseRecord;
  entries: { item: WorkItem; record: ItemRecord }[];
  due: DueCheckpoint[];
}

/** A case by its id (CASE-…) or its advisory id, with every tracked item and what is due. */
export async function loadCase(store: Store, ref: string, now: string): Promise<CaseEntries> {
  const kase = (await store.caseById(ref)) ?? (await store.caseById(caseIdFor(ref)));
  if (!kase) {
    throw new PatchlineError(
      "NOT_FOUND",
      `no case '${ref}'; a case opens when its first handoff is recorded`,
    );
  }
  const records = await store.itemRecords({ caseId: kase.id });
  const entries: CaseEntries["entries"] = [];
  for (const record of records) {
    const item = await store.workItem(record.workItemId);
    if (item) entries.push({ item, record });
  }
  return { case: kase, entries, due: dueCheckpoints(entries, now) };
}

/** Every tracked item with its work item, for `due` across cases. */
export async function loadTracked(store: Store): Promise<{ item: WorkItem; record: ItemRecord }[]> {
  const items = new Map((await store.workItems()).map((i) => [i.id, i]));
  const out: { item: WorkItem; record: ItemRecord }[] = [];
  for (const record of await store.itemRecords()) {
    const item = items.get(record.workItemId);
    if (item) out.push({ item, record });
  }
  return out;
}
