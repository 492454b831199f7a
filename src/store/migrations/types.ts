/**
 * Column types per backend, so one migration means the same thing on both: text keys compare
 * byte-wise (SQLite's default; "C" collation on PostgreSQL, which also makes ORDER BY agree),
 * documents are JSON text, numbers are 8-byte floats, bytes are BLOB / bytea.
 */
import { type ColumnDataType, type Expression, sql } from "kysely";
import type { StoreKind } from "../backend.js";

export interface ColumnTypes {
  /** Text compared byte-wise, for keys and indexed columns. */
  key: ColumnDataType | Expression<unknown>;
  text: ColumnDataType;
  float: ColumnDataType;
  int: ColumnDataType;
  /** Bytes: BLOB on SQLite, bytea on PostgreSQL. */
  blob: ColumnDataType;
}

export function columnTypes(kind: StoreKind): ColumnTypes {
  return kind === "postgres"
    ? { key: sql`text collate "C"`, text: "text", float: "double precision", int: "integer", blob: "bytea" }
    : { key: "text", text: "text", float: "real", int: "integer", blob: "blob" };
}
