/**
 * Inputs and shared shapes of the audience-specific updates: one case, read from the record, shown
 * to execution teams, leadership or service owners.
 */
import type { CaseRecord, DueCheckpoint, ItemRecord } from "../../track/types.js";
import type { WorkItem } from "../../types.js";

export type Audience = "ops" | "leadership" | "service-owner";

export const AUDIENCES: readonly Audience[] = ["ops", "leadership", "service-owner"];

export type UpdateFormat = "md" | "text" | "json";

export const UPDATE_FORMATS: readonly UpdateFormat[] = ["md", "text", "json"];

export const UPDATE_SCHEMA = "patchline.update/1";

/** One case as the record holds it, at the instant `now` (UTC ISO), with its due/overdue checkpoints. */
export interface CaseView {
  case: CaseRecord;
  entries: { item: WorkItem; record: ItemRecord }[];
  now: string;
  /** The case's due and overdue checkpoints, computed by the caller. */
  due: DueCheckpoint[];
}

export type CaseEntry = CaseView["entries"][number];

/** An instant shown in a recipient zone and in UTC; `text` is what the Markdown and text forms print. */
export interface UpdateTime {
  at: string;
  zone: string;
  /** ISO 8601 with the zone's offset, or null when the zone is not recognised. */
  local: string | null;
  text: string;
}

export interface UpdateOwner {
  id: string;
  name: string;
  contact: string | null;
  timeZone: string;
}

/** The functional owners of a case, each role with every owner who holds it. */
export interface UpdateOwners {
  security: UpdateOwner[];
  systemOwner: UpdateOwner[];
  serviceOwner: UpdateOwner[];
  governance: UpdateOwner[];
}

/** A checkpoint to meet next (or one missed), with the owner who owes it. */
export interface UpdateCheckpoint extends UpdateTime {
  checkpoint: DueCheckpoint["kind"];
  label: string;
  workItemId: string;
  assetGroup: string;
  owner: string;
  escalateTo: string | null;
  overdue: boolean;
}

/** Keys every update document carries, whatever its audience. */
export interface UpdateBase {
  schema: typeof UPDATE_SCHEMA;
  kind: "update";
  audience: Audience;
  title: string;
  case: {
    id: string;
    advisoryId: string;
    title: string;
    openedAt: string;
    workItems: number;
    assets: number;
  };
  asOf: string;
}
