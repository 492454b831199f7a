/**
 * What each database backend provides to the shared store code: a Kysely instance for ordinary
 * queries, one write transaction at a time, and bulk upserts tuned for that database.
 */
import type { Kysely } from "kysely";
import type { Database, DocRows, DocTable, EpssRow, WriteCounts } from "./schema.js";

export type StoreKind = "sqlite" | "postgres";

/** Writes inside one open transaction. */
export interface Writer {
  /** Kysely bound to the transaction: every query through it is part of the same commit. */
  readonly db: Kysely<Database>;
  /**
   * Inserts new keys and replaces documents whose hash differs; rows with an identical hash are not
   * touched. Rows must have distinct keys.
   */
  upsertDocs(table: DocTable, rows: DocRows): Promise<WriteCounts>;
  /**
   * Inserts new scores and replaces stored ones when the row is newer (later score date) or, for the
   * same date, differs. A row older than the stored score, or identical to it, is not touched. When
   * the score value changes, the old value is kept as previous_epss. Rows must have distinct CVEs.
   */
  upsertEpss(rows: readonly EpssRow[], at: string): Promise<WriteCounts>;
  /**
   * SQLite only: runs one statement on the transaction's connection through a cached prepared
   * statement and returns the number of rows changed (the hot path of event appends).
   */
  run?(sql: string, params: readonly unknown[]): number;
  /** SQLite only: one query through the statement cache; returns its rows. */
  all?(sql: string, params: readonly unknown[]): unknown[];
}

export interface Backend {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (writer: Writer) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
