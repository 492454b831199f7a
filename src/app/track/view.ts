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
  const entries = await withItems(store, records);
  return { case: kase, entries, due: dueCheckpoints(entries, now) };
}

/** Pairs records with their work items, fetched in batches. */
async function withItems(store: Store, records: readonly ItemRecord[]): Promise<CaseEntries["entries"]> {
  const items = new Map((await store.workItemsByIds(records.map((r) => r.workItemId))).map((i) => [i.id, i]));
  const out: CaseEntries["entries"] = [];
  for (const record of records) {
    const item = items.get(record.workItemId);
    if (item) out.push({ item, record });
  }
  return out;
}

/** Every tracked item that is still open, with its work item, for `due` across cases. */
export async function loadTracked(store: Store): Promise<{ item: WorkItem; record: ItemRecord }[]> {
  const records = (await store.itemRecords()).filter((r) => r.state !== "closed");
  return withItems(store, records);
}
