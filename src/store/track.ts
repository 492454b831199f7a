/**
 * The tracker's half of the store: cases, append-only event chains and the current-state records
 * kept beside them, the same for SQLite and PostgreSQL. Only the append and the bulk load differ
 * per backend (sqlite/track.ts, postgres/track.ts).
 */
import { sql } from "kysely";
import { eventHash, verifyChain } from "../core/track/hash.js";
import type { CaseRecord, ItemRecord, TrackEvent } from "../core/track/types.js";
import { PatchlineError } from "../errors.js";
import type { Backend, Writer } from "./backend.js";
import { databaseError, driverCode, guard } from "./errors.js";
import { appendBatchPostgres, appendPostgres, bulkLoadPostgres } from "./postgres/track.js";
import { appendSqlite, bulkLoadSqlite } from "./sqlite/track.js";
import {
  caseRow,
  eventRow,
  itemRow,
  rowEvent,
  type TrackDb,
  type TrackEventTable,
  trackDb,
} from "./track-rows.js";
import type { AuditProblem, AuditReport, TrackHistory, TrackStore } from "./types.js";

/** The SQLite writer's statement runner (present on every SQLite transaction). */
function runner(w: Writer): (sql: string, params: readonly unknown[]) => number {
  if (!w.run) throw new Error("the SQLite writer has no statement runner");
  return w.run;
}

/** Events read per page by auditVerify (whole chains are kept together across pages). */
const AUDIT_PAGE = 10_000;
const RECORD_PAGE = 10_000;

function invalid(message: string, workItemId: string): PatchlineError {
  return new PatchlineError("VALIDATION_ERROR", message, { path: workItemId }, { workItemId });
}

/** Unique-key violations: another writer got to the same (work item, seq) or record first. */
function isUniqueViolation(e: unknown): boolean {
  const code = driverCode(e);
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}

/**
 * Checks what a caller proposes before any write: the events continue the chain from
 * expectedVersion, each hash recomputes from the content as it will be stored, and the record
 * matches the last event. Returns the rows to write.
 */
export function checkAppend(
  workItemId: string,
  expectedVersion: number,
  events: readonly TrackEvent[],
  record: ItemRecord,
): TrackEventTable[] {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
    throw invalid(`expected version must be a whole number ≥ 0, got ${expectedVersion}`, workItemId);
  }
  if (events.length === 0) throw invalid(`no events to append to work item ${workItemId}`, workItemId);
  if (record.workItemId !== workItemId) {
    throw invalid(`the record is for work item ${record.workItemId}, not ${workItemId}`, workItemId);
  }
  const rows: TrackEventTable[] = [];
  let prev: TrackEvent | undefined;
  for (const [i, e] of events.entries()) {
    const seq = expectedVersion + i + 1;
    const label = `event ${i + 1} of ${events.length} for work item ${workItemId}`;
    if (e.workItemId !== workItemId) throw invalid(`${label} names work item ${e.workItemId}`, workItemId);
    if (e.caseId !== record.caseId) {
      throw invalid(`${label} names case ${e.caseId}, the record case ${record.caseId}`, workItemId);
    }
    if (e.seq !== seq) throw invalid(`${label} has seq ${e.seq}, expected ${seq}`, workItemId);
    if (prev && e.prevHash !== prev.hash) {
      throw invalid(`${label} does not link to the event before it (prevHash mismatch)`, workItemId);
    }
    const row = eventRow(e);
    // Hash what will be read back, so audit verify recomputes the same value.
    if (eventHash(rowEvent(row)) !== e.hash) {
      throw invalid(`${label} (seq ${seq}) has a hash that does not match its content`, workItemId);
    }
    rows.push(row);
    prev = e;
  }
  const last = events[events.length - 1]!;
  if (record.version !== last.seq || record.lastHash !== last.hash) {
    throw invalid(
      `the record of work item ${workItemId} must be at version ${last.seq} with the last event's hash (got version ${record.version})`,
      workItemId,
    );
  }
  return rows;
}

async function current(db: TrackDb, workItemId: string) {
  return db
    .selectFrom("track_items")
    .select(["version", "last_hash"])
    .where("work_item_id", "=", workItemId)
    .executeTakeFirst();
}

function conflict(workItemId: string, expectedVersion: number, now: number): PatchlineError {
  return new PatchlineError(
    "CONFLICT",
    `work item ${workItemId} changed since version ${expectedVersion} (now ${now}); reload and retry`,
    { path: workItemId },
    { workItemId, expectedVersion, currentVersion: now },
  );
}

/** Why an append moved nothing: a newer version, or a chain that does not continue the stored one. */
async function refused(db: TrackDb, workItemId: string, expectedVersion: number, prevHash: string) {
  const now = await current(db, workItemId);
  const version = now ? Number(now.version) : 0;
  if (version === expectedVersion && now && now.last_hash !== prevHash) {
    return invalid(
      `event ${expectedVersion + 1} of work item ${workItemId} does not link to the stored event ${expectedVersion} (prevHash mismatch)`,
      workItemId,
    );
  }
  return conflict(workItemId, expectedVersion, version);
}

/** Streams rows in key order, one page at a time, resuming after the last key seen. */
async function* pages<T>(next: (after: T | undefined) => Promise<T[]>): AsyncGenerator<T> {
  let after: T | undefined;
  for (;;) {
    const page = await next(after);
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1];
  }
}

/** One work item's events, in seq order, from the event stream. */
async function* chains(rows: AsyncGenerator<TrackEventTable>): AsyncGenerator<TrackEventTable[]> {
  let chain: TrackEventTable[] = [];
  for await (const row of rows) {
    if (chain.length > 0 && chain[0]!.work_item_id !== row.work_item_id) {
      yield chain;
      chain = [];
    }
    chain.push(row);
  }
  if (chain.length > 0) yield chain;
}

/** Key order as both databases compare keys: byte-wise over UTF-8. */
function keyLess(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")) < 0;
}

function range(from: number, to: number): string {
  return from === to ? `event ${from} is` : `events ${from}–${to} are`;
}

/** Compares a chain that verified with the record's version and last hash. */
function recordProblem(
  workItemId: string,
  last: TrackEvent | undefined,
  record: { version: number; last_hash: string } | undefined,
): AuditProblem | undefined {
  const lastSeq = last?.seq ?? 0;
  if (!record) {
    return { workItemId, seq: lastSeq, reason: `${lastSeq} events but no current-state record` };
  }
  const version = Number(record.version);
  if (version > lastSeq) {
    return {
      workItemId,
      seq: lastSeq + 1,
      reason: `${range(lastSeq + 1, version)} missing (the record is at version ${version}, the chain ends at ${lastSeq})`,
    };
  }
  if (version < lastSeq) {
    return {
      workItemId,
      seq: version + 1,
      reason: `${range(version + 1, lastSeq)} not reflected in the record (the record is at version ${version})`,
    };
  }
  if (last && record.last_hash !== last.hash) {
    return {
      workItemId,
      seq: lastSeq,
      reason: `event ${lastSeq} does not match the record's last hash (edited or replaced)`,
    };
  }
  return undefined;
}

export function createTrackStore(backend: Backend): TrackStore {
  const db = trackDb(backend.db);
  const kind = backend.kind;

  async function auditVerify(): Promise<AuditReport> {
    const eventRows = pages<TrackEventTable>((after) => {
      let q = db.selectFrom("track_events").selectAll();
      if (after) {
        q = q.where(sql<boolean>`(work_item_id, seq) > (${after.work_item_id}, ${after.seq})`);
      }
      return q.orderBy("work_item_id").orderBy("seq").limit(AUDIT_PAGE).execute();
    });
    const recordRows = pages<{ work_item_id: string; version: number; last_hash: string }>((after) => {
      let q = db.selectFrom("track_items").select(["work_item_id", "version", "last_hash"]);
      if (after) q = q.where("work_item_id", ">", after.work_item_id);
      return q.orderBy("work_item_id").limit(RECORD_PAGE).execute();
    });

    const report: AuditReport = { chains: 0, events: 0, problems: [] };
    const chainIt = chains(eventRows);
    let chain = await chainIt.next();
    let record = await recordRows.next();
    while (!chain.done || !record.done) {
      const chainId = chain.done ? undefined : chain.value[0]!.work_item_id;
      const recordId = record.done ? undefined : record.value.work_item_id;
      report.chains++;
      if (
        chainId !== undefined &&
        (recordId === undefined || chainId === recordId || keyLess(chainId, recordId))
      ) {
        const events = chain.value as TrackEventTable[];
        const matched =
          chainId === recordId ? (record.value as { version: number; last_hash: string }) : undefined;
        const parsed = events.map(rowEvent);
        report.events += parsed.length;
        const check = verifyChain(parsed);
        if (!check.ok) {
          report.problems.push({ workItemId: chainId, seq: check.seq, reason: check.reason });
        } else {
          const problem = recordProblem(chainId, parsed[parsed.length - 1], matched);
          if (problem) report.problems.push(problem);
        }
        chain = await chainIt.next();
        if (matched) record = await recordRows.next();
      } else {
        const r = record.value as { work_item_id: string; version: number; last_hash: string };
        const problem = recordProblem(r.work_item_id, undefined, r);
        if (problem) report.problems.push(problem);
        record = await recordRows.next();
      }
    }
    return report;
  }

  return {
    saveCase: (c: CaseRecord) =>
      guard(`the database rejected case ${c.id}, nothing was saved`, async () => {
        const row = caseRow(c);
        await db
          .insertInto("track_cases")
          .values(row)
          .onConflict((oc) =>
            oc
              .column("id")
              .doUpdateSet({ advisory_id: row.advisory_id, opened_at: row.opened_at, doc: row.doc }),
          )
          .execute();
      }),

    cases: () =>
      guard("cannot read cases", async () =>
        (await db.selectFrom("track_cases").select("doc").orderBy("id").execute()).map(
          (r) => JSON.parse(r.doc) as CaseRecord,
        ),
      ),

    caseById: (id) =>
      guard(`cannot read case ${id}`, async () => {
        const row = await db.selectFrom("track_cases").select("doc").where("id", "=", id).executeTakeFirst();
        return row ? (JSON.parse(row.doc) as CaseRecord) : undefined;
      }),

    appendEvents: async (workItemId, expectedVersion, events, record) => {
      const rows = checkAppend(workItemId, expectedVersion, events, record);
      const item = itemRow(record);
      const prevHash = events[0]!.prevHash;
      if (expectedVersion === 0 && prevHash !== "") {
        throw invalid(`the first event of work item ${workItemId} must have an empty prevHash`, workItemId);
      }
      try {
        if (kind === "postgres") {
          if (!(await appendPostgres(db, expectedVersion, prevHash, rows, item))) {
            throw await refused(db, workItemId, expectedVersion, prevHash);
          }
          return;
        }
        await backend.transaction(async (w) => {
          const tx = trackDb(w.db);
          if (!appendSqlite(runner(w), expectedVersion, prevHash, rows, item)) {
            throw await refused(tx, workItemId, expectedVersion, prevHash);
          }
        });
      } catch (e) {
        if (e instanceof PatchlineError) throw e;
        if (isUniqueViolation(e)) {
          const now = await current(db, workItemId).catch(() => undefined);
          throw conflict(workItemId, expectedVersion, now ? Number(now.version) : expectedVersion);
        }
        throw databaseError(
          `the database rejected the events for work item ${workItemId}, nothing was written`,
          e,
        );
      }
    },

    appendBatch: async (entries) => {
      const seen = new Set<string>();
      const prepared = entries.map((e) => {
        if (seen.has(e.workItemId))
          throw invalid(`work item ${e.workItemId} appears twice in one batch`, e.workItemId);
        seen.add(e.workItemId);
        const rows = checkAppend(e.workItemId, e.expectedVersion, e.events, e.record);
        const prevHash = e.events[0]!.prevHash;
        if (e.expectedVersion === 0 && prevHash !== "") {
          throw invalid(
            `the first event of work item ${e.workItemId} must have an empty prevHash`,
            e.workItemId,
          );
        }
        return { ...e, rows, item: itemRow(e.record), prevHash };
      });
      if (prepared.length === 0) return;
      let at = prepared[0]!;
      try {
        await backend.transaction(async (w) => {
          const tx = trackDb(w.db);
          if (kind === "postgres") {
            const stale = await appendBatchPostgres(tx, prepared);
            const p = prepared.find((e) => e.workItemId === stale);
            if (p) {
              at = p;
              throw await refused(tx, p.workItemId, p.expectedVersion, p.prevHash);
            }
            return;
          }
          for (const p of prepared) {
            at = p;
            if (!appendSqlite(runner(w), p.expectedVersion, p.prevHash, p.rows, p.item)) {
              throw await refused(tx, p.workItemId, p.expectedVersion, p.prevHash);
            }
          }
        });
      } catch (e) {
        if (e instanceof PatchlineError) throw e;
        if (isUniqueViolation(e)) {
          const now = await current(db, at.workItemId).catch(() => undefined);
          throw conflict(at.workItemId, at.expectedVersion, now ? Number(now.version) : at.expectedVersion);
        }
        throw databaseError(
          `the database rejected a batch of ${prepared.length} work items at ${at.workItemId}, nothing was written`,
          e,
        );
      }
    },

    events: (workItemId) =>
      guard(`cannot read the events of work item ${workItemId}`, async () =>
        (
          await db
            .selectFrom("track_events")
            .selectAll()
            .where("work_item_id", "=", workItemId)
            .orderBy("seq")
            .execute()
        ).map(rowEvent),
      ),

    itemRecord: (workItemId) =>
      guard(`cannot read work item ${workItemId}`, async () => {
        const row = await db
          .selectFrom("track_items")
          .select("doc")
          .where("work_item_id", "=", workItemId)
          .executeTakeFirst();
        return row ? (JSON.parse(row.doc) as ItemRecord) : undefined;
      }),

    itemRecords: (filter = {}) =>
      guard("cannot read work-item records", async () => {
        if (filter.states && filter.states.length === 0) return [];
        if (filter.ids && filter.ids.length === 0) return [];
        let q = db.selectFrom("track_items").select("doc");
        if (filter.ids) q = q.where("work_item_id", "in", [...filter.ids]);
        if (filter.caseId !== undefined) q = q.where("case_id", "=", filter.caseId);
        if (filter.states) q = q.where("state", "in", [...filter.states]);
        return (await q.orderBy("work_item_id").execute()).map((r) => JSON.parse(r.doc) as ItemRecord);
      }),

    auditVerify: () => guard("cannot read the event log", auditVerify),

    loadTrackHistory: async (history: TrackHistory) => {
      const cases = (history.cases ?? []).map(caseRow);
      const records = new Map(history.records.map((r) => [r.workItemId, r]));
      const last = new Map<string, TrackEvent>();
      const rows: TrackEventTable[] = [];
      for (const e of history.events) {
        const before = last.get(e.workItemId);
        const seq = (before?.seq ?? 0) + 1;
        if (e.seq !== seq || e.prevHash !== (before?.hash ?? "")) {
          throw invalid(
            `event ${e.seq} of work item ${e.workItemId} does not continue its chain (expected seq ${seq})`,
            e.workItemId,
          );
        }
        last.set(e.workItemId, e);
        rows.push(eventRow(e));
      }
      for (const [id, r] of records) {
        const e = last.get(id);
        if ((e?.seq ?? 0) !== r.version || (e?.hash ?? "") !== r.lastHash) {
          throw invalid(`the record of work item ${id} does not match its last event`, id);
        }
      }
      for (const id of last.keys()) {
        if (!records.has(id)) throw invalid(`work item ${id} has events but no record`, id);
      }
      const items = [...records.values()].map(itemRow);
      try {
        await backend.transaction(async (w) => {
          const tx = trackDb(w.db);
          await (kind === "postgres" ? bulkLoadPostgres : bulkLoadSqlite)(tx, cases, rows, items);
        });
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new PatchlineError(
            "CONFLICT",
            "the history overlaps work items already stored, nothing was written; load it into an empty store",
          );
        }
        throw databaseError("the database rejected the history, nothing was written", e);
      }
      return { cases: cases.length, events: rows.length, records: items.length };
    },
  };
}
