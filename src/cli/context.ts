import { resolveNow } from "../app/clock.js";
import { type ResolvedPolicy, resolvePolicy } from "../app/policy.js";
import { openStore, resolveStoreOptions, type Store } from "../store/index.js";

/** Options every command accepts (set on the root program). */
export interface GlobalOptions {
  db?: string;
  policy?: string;
  now?: string;
}

export interface Context {
  now: string;
  policy: ResolvedPolicy;
  store: Store;
}

export async function withContext<T>(opts: GlobalOptions, run: (ctx: Context) => Promise<T>): Promise<T> {
  const now = resolveNow(opts.now);
  const policy = resolvePolicy(opts.policy);
  for (const warning of policy.warnings)
    process.stderr.write(`patchline: warning: ${policy.source}: ${warning}\n`);
  const store = await openStore(resolveStoreOptions(process.env, { db: opts.db }));
  try {
    return await run({ now, policy, store });
  } finally {
    await store.close();
  }
}
