import { existsSync, readFileSync } from "node:fs";
import { loadPolicyOrThrow } from "../core/policy/load.js";
import { builtInPolicy } from "../core/policy/packs.js";
import type { Policy } from "../core/policy/types.js";
import { PatchlineError } from "../errors.js";

export const DEFAULT_POLICY_FILE = "patchline.policy.yaml";

export interface ResolvedPolicy {
  policy: Policy;
  /** The file it came from, or "built-in bod-26-04". */
  source: string;
  warnings: string[];
}

/** --policy FILE > PATCHLINE_POLICY > ./patchline.policy.yaml when present > the built-in BOD 26-04 pack. */
export function resolvePolicy(flag?: string, env: NodeJS.ProcessEnv = process.env): ResolvedPolicy {
  const file =
    flag ?? env.PATCHLINE_POLICY ?? (existsSync(DEFAULT_POLICY_FILE) ? DEFAULT_POLICY_FILE : undefined);
  if (!file) return { policy: builtInPolicy("bod-26-04"), source: "built-in bod-26-04", warnings: [] };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new PatchlineError("INPUT_NOT_FOUND", "policy file not found", { file });
  }
  const { policy, warnings } = loadPolicyOrThrow(text, file);
  return { policy, source: file, warnings };
}
