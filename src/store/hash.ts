/**
 * Content hashing: sha256 over a canonical JSON text (object keys sorted at every level, undefined
 * members dropped), so the same content always hashes the same whatever order its keys were built in.
 */
import { createHash } from "node:crypto";

import { canonicalJson } from "../core/canonical.js";

export { canonicalJson };

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** sha256 (hex) of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
