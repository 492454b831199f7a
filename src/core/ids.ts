/** Stable, deterministic identifiers. */
import { createHash } from "node:crypto";

/** "WI-" + the first 10 hex characters of sha256("advisoryId|assetGroup|ownerId"). */
export function workItemId(advisoryId: string, assetGroup: string, ownerId: string): string {
  const hex = createHash("sha256").update(`${advisoryId}|${assetGroup}|${ownerId}`).digest("hex");
  return `WI-${hex.slice(0, 10)}`;
}
