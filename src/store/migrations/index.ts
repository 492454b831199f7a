/**
 * Every migration, listed in code (no directory scanning, so it runs the same from src/ and dist/).
 * Names sort in the order they apply; never rename or edit one that has shipped — add a new one.
 */
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from "kysely";
import type { StoreKind } from "../backend.js";
import { initial } from "./0001_initial.js";
import { tracker } from "./0002_tracker.js";
import { scans } from "./0003_scans.js";
import { scanCoverage } from "./0004_scan_coverage.js";
import { compactCoverage } from "./0005_compact_coverage.js";

export function migrations(kind: StoreKind): Record<string, Migration> {
  return {
    "0001_initial": initial(kind),
    "0002_tracker": tracker(kind),
    "0003_scans": scans(kind),
    "0004_scan_coverage": scanCoverage(kind),
    "0005_compact_coverage": compactCoverage(kind),
  };
}

export function migrationProvider(kind: StoreKind): MigrationProvider {
  const all = migrations(kind);
  return { getMigrations: async () => all };
}

/** Applies every pending migration; throws the first failure. */
export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator works on the untyped schema
  db: Kysely<any>,
  kind: StoreKind,
  migrationTableSchema?: string,
): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(kind),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
