/**
 * The store over any backend: imports, reads and work items, written the same way for SQLite and
 * PostgreSQL. Backends only supply the transaction and the bulk upserts.
 */
import type { AdvisoryRecord, Asset, EpssScore, KevEntry, Owner, WorkItem } from "../core/types.js";
import type { PatchlineError } from "../errors.js";
import type { ImportCounts, ParsedBatch } from "../ingest/types.js";
import type { Backend, Writer } from "./backend.js";
import { databaseError, guard } from "./errors.js";
import { chunks, rawIn, rawInsert, rawRun } from "./raw.js";
import { advisoryRow, assetRow, kevRow, lastPerKey, ownerRow, workItemRow } from "./rows.js";
import { encodeScan } from "./scan-encode.js";
import { type ScanEntry, writeScans } from "./scan-write.js";
import {
  eachFinding,
  readFindings,
  readScanAssets,
  readScanReport,
  readScanReports,
  type ScanImportCounts,
} from "./scans.js";
import { docRows, type WriteCounts } from "./schema.js";
import { createTrackStore } from "./track.js";
import type { ImportLogEntry, ImportMeta, SaveCounts, Store } from "./types.js";

function parseDocs<T>(rows: { doc: string }[]): T[] {
  return rows.map((r) => JSON.parse(r.doc) as T);
}

async function writeBatch(
  w: Writer,
  batch: ParsedBatch,
  at: string,
): Promise<{ records: number } & WriteCounts> {
  switch (batch.kind) {
    case "kev": {
      let entries = lastPerKey(batch.entries, (e) => e.cveId);
      // Entries missing from this catalog stay stored: CISA removes entries rarely and each removal
      // deserves a human look, so the store never deletes a KEV listing on its own.
      const current = await w.db
        .selectFrom("kev_catalog")
        .select("released")
        .where("id", "=", 1)
        .executeTakeFirst();
      const older = batch.released !== undefined && current?.released && batch.released < current.released;
      if (older) {
        // An older catalog never overwrites what a newer one said; it may only add entries the
        // newer one lacks (for example ones removed since, which then deserve a review).
        const stored = new Set(
          (await w.db.selectFrom("kev_entries").select("cve_id").execute()).map((r) => r.cve_id),
        );
        const fresh = entries.filter((e) => !stored.has(e.cveId));
        entries = fresh;
      }
      const counts = await w.upsertDocs(
        "kev_entries",
        docRows(entries, (e) => kevRow(e, at)),
      );
      if (!older) await saveCatalog(w, batch.catalogVersion, batch.released, at);
      // Entries held back count as unchanged: records − added − updated.
      return { records: batch.entries.length, ...counts };
    }
    case "epss": {
      const scores = lastPerKey(batch.scores, (s) => s.cve);
      // An EpssScore is already an EpssRow (its previousEpss is ignored: the store derives it).
      const counts = await w.upsertEpss(scores, at);
      return { records: batch.scores.length, ...counts };
    }
    case "advisories": {
      const records = lastPerKey(batch.records, (r) => `${r.id}\u0000${r.source}\u0000${r.sourceId}`);
      const counts = await w.upsertDocs(
        "advisory_records",
        docRows(records, (r) => advisoryRow(r, at)),
      );
      return { records: batch.records.length, ...counts };
    }
    case "assets": {
      const assets = lastPerKey(batch.assets, (a) => a.id);
      const counts = await w.upsertDocs(
        "assets",
        docRows(assets, (a) => assetRow(a, at)),
      );
      return { records: batch.assets.length, ...counts };
    }
    case "owners": {
      const owners = lastPerKey(batch.owners, (o) => o.id);
      const counts = await w.upsertDocs(
        "owners",
        docRows(owners, (o) => ownerRow(o, at)),
      );
      return { records: batch.owners.length, ...counts };
    }
    case "scan":
      throw new Error("scan reports are written by writeScan");
  }
}

/** Records the version and release of the catalog just imported, when it states them and they differ. */
async function saveCatalog(w: Writer, version: string | undefined, released: string | undefined, at: string) {
  if (version === undefined && released === undefined) return;
  const current = await w.db.selectFrom("kev_catalog").selectAll().where("id", "=", 1).executeTakeFirst();
  const next = { catalog_version: version ?? null, released: released ?? null };
  if (current && current.catalog_version === next.catalog_version && current.released === next.released)
    return;
  await w.db
    .insertInto("kev_catalog")
    .values({ id: 1, ...next, imported_at: at })
    .onConflict((oc) => oc.column("id").doUpdateSet({ ...next, imported_at: at }))
    .execute();
}

/** Logs the import, unless the same file (sha256 and format) was logged before and nothing changed. */
const IMPORT_COLUMNS = [
  "file",
  "sha256",
  "format",
  "imported_at",
  "records",
  "added",
  "updated",
  "unchanged",
];

/**
 * Logs imports. A file that changed nothing is logged once: not again when the same content in the
 * same format is in the log already.
 */
async function logImports(
  w: Writer,
  items: readonly { meta: ImportMeta; counts: ImportCounts }[],
): Promise<void> {
  const quiet = items.filter((i) => i.counts.added === 0 && i.counts.updated === 0).map((i) => i.meta.sha256);
  const logged = new Set(
    (
      await rawIn<{ sha256: string; format: string }>(w, "select sha256, format from imports", "sha256", [
        ...new Set(quiet),
      ])
    ).map((r) => `${r.sha256} ${r.format}`),
  );
  const rows: unknown[][] = [];
  for (const { meta, counts } of items) {
    const key = `${meta.sha256} ${meta.format}`;
    if (counts.added === 0 && counts.updated === 0 && logged.has(key)) continue;
    logged.add(key);
    rows.push([
      meta.file,
      meta.sha256,
      meta.format,
      meta.importedAt,
      counts.records,
      counts.added,
      counts.updated,
      counts.unchanged,
    ]);
  }
  await rawInsert(w, "imports", IMPORT_COLUMNS, rows);
}

function logImport(w: Writer, meta: ImportMeta, counts: ImportCounts): Promise<void> {
  return logImports(w, [{ meta, counts }]);
}

function scanCounts(scan: ScanImportCounts): ImportCounts {
  return {
    records: scan.findings,
    added: scan.added,
    updated: scan.updated,
    unchanged: scan.findings - scan.added - scan.updated,
    scan,
  };
}

/** Scanner reports written together, then logged; throws when the database refuses anything. */
async function writeScanGroup(w: Writer, entries: readonly ScanEntry[]): Promise<ImportCounts[]> {
  const counts = (await writeScans(w, entries)).map(scanCounts);
  await logImports(
    w,
    entries.map((e, i) => ({ meta: e.meta, counts: counts[i] as ImportCounts })),
  );
  return counts;
}

function toEpssScore(r: {
  cve: string;
  epss: number;
  percentile: number;
  score_date: string;
  model_version: string;
  previous_epss: number | null;
}): EpssScore {
  const score: EpssScore = {
    cve: r.cve,
    epss: Number(r.epss),
    percentile: Number(r.percentile),
    scoreDate: r.score_date,
    modelVersion: r.model_version,
  };
  if (r.previous_epss !== null) score.previousEpss = Number(r.previous_epss);
  return score;
}

export function createStore(backend: Backend): Store {
  const { db } = backend;
  const epssColumns = ["cve", "epss", "percentile", "score_date", "model_version", "previous_epss"] as const;

  return {
    ...createTrackStore(backend),
    kind: backend.kind,

    importBatch: (batch, meta) =>
      guard(
        "the database rejected the import, nothing was written",
        () =>
          backend.transaction(async (w) => {
            if (batch.kind === "scan") {
              const scan = encodeScan(batch.report);
              const [counts] = await writeScanGroup(w, [{ scan, meta }]);
              return counts as ImportCounts;
            }
            const written = await writeBatch(w, batch, meta.importedAt);
            const counts: ImportCounts = {
              records: written.records,
              added: written.added,
              updated: written.updated,
              unchanged: written.records - written.added - written.updated,
            };
            await logImport(w, meta, counts);
            return counts;
          }),
        { file: meta.file },
      ),

    importScans: async (entries) => {
      try {
        // All together first: a few statements for the whole group.
        return await backend.transaction((w) => writeScanGroup(w, entries));
      } catch {
        // Something was refused: each report again on its own, so only the bad ones fail.
      }
      return guard("the database rejected the import, nothing was written", () =>
        backend.transaction(async (w) => {
          const out: (ImportCounts | PatchlineError)[] = [];
          for (const entry of entries) {
            // Each report is all or nothing on its own: a failure rolls back to its savepoint only.
            await rawRun(w, "savepoint scan_file", []);
            try {
              out.push(...(await writeScanGroup(w, [entry])));
              await rawRun(w, "release savepoint scan_file", []);
            } catch (e) {
              await rawRun(w, "rollback to savepoint scan_file", []);
              await rawRun(w, "release savepoint scan_file", []);
              out.push(
                databaseError("the database rejected the import, nothing was written", e, {
                  file: entry.meta.file,
                }),
              );
            }
          }
          return out;
        }),
      );
    },

    advisoryRecords: () =>
      guard("cannot read advisory records", async () =>
        parseDocs<AdvisoryRecord>(
          await db
            .selectFrom("advisory_records")
            .select("doc")
            .orderBy("id")
            .orderBy("source")
            .orderBy("source_id")
            .execute(),
        ),
      ),

    kevEntries: () =>
      guard("cannot read KEV entries", async () =>
        parseDocs<KevEntry>(await db.selectFrom("kev_entries").select("doc").orderBy("cve_id").execute()),
      ),

    kevCatalog: () =>
      guard("cannot read the KEV catalog version", async () => {
        const row = await db.selectFrom("kev_catalog").selectAll().where("id", "=", 1).executeTakeFirst();
        if (!row) return undefined;
        const out: { catalogVersion?: string; released?: string } = {};
        if (row.catalog_version !== null) out.catalogVersion = row.catalog_version;
        if (row.released !== null) out.released = row.released;
        return out;
      }),

    epssScores: (cves) =>
      guard("cannot read EPSS scores", async () => {
        const out = new Map<string, EpssScore>();
        if (cves === undefined) {
          for (const r of await db.selectFrom("epss_scores").select(epssColumns).orderBy("cve").execute()) {
            out.set(r.cve, toEpssScore(r));
          }
          return out;
        }
        const wanted = [...new Set(cves)];
        for (const chunk of chunks(wanted)) {
          for (const r of await db
            .selectFrom("epss_scores")
            .select(epssColumns)
            .where("cve", "in", chunk)
            .execute()) {
            out.set(r.cve, toEpssScore(r));
          }
        }
        return out;
      }),

    assets: () =>
      guard("cannot read assets", async () =>
        parseDocs<Asset>(await db.selectFrom("assets").select("doc").orderBy("id").execute()),
      ),

    owners: () =>
      guard("cannot read owners", async () =>
        parseDocs<Owner>(await db.selectFrom("owners").select("doc").orderBy("id").execute()),
      ),

    saveWorkItems: (items) =>
      guard("the database rejected the work items, nothing was saved", () =>
        backend.transaction(async (w): Promise<SaveCounts> => {
          const unique = lastPerKey(items, (i) => i.id);
          const { added, updated } = await w.upsertDocs("work_items", docRows(unique, workItemRow));
          return { added, updated, unchanged: items.length - added - updated };
        }),
      ),

    workItems: () =>
      guard("cannot read work items", async () =>
        parseDocs<WorkItem>(await db.selectFrom("work_items").select("doc").orderBy("id").execute()),
      ),

    workItem: (id) =>
      guard(`cannot read work item ${id}`, async () => {
        const row = await db.selectFrom("work_items").select("doc").where("id", "=", id).executeTakeFirst();
        return row ? (JSON.parse(row.doc) as WorkItem) : undefined;
      }),

    workItemsByIds: (ids) =>
      guard("cannot read work items", async () => {
        const out: WorkItem[] = [];
        for (const chunk of chunks(ids)) {
          const rows = await db.selectFrom("work_items").select("doc").where("id", "in", chunk).execute();
          for (const row of rows) out.push(JSON.parse(row.doc) as WorkItem);
        }
        return out;
      }),

    workItemStarts: () =>
      guard("cannot read work items", async () => {
        const rows = await db.selectFrom("work_items").select(["id", "created_at"]).orderBy("id").execute();
        return new Map(rows.map((r) => [r.id, r.created_at]));
      }),

    imports: () =>
      guard("cannot read the import log", async () => {
        const rows = await db.selectFrom("imports").selectAll().orderBy("id").execute();
        return rows.map(
          (r): ImportLogEntry => ({
            file: r.file,
            sha256: r.sha256,
            format: r.format,
            importedAt: r.imported_at,
            records: Number(r.records),
            added: Number(r.added),
            updated: Number(r.updated),
            unchanged: Number(r.unchanged),
          }),
        );
      }),

    knownScanReports: () =>
      guard("cannot read scan reports", async () => {
        const rows = await db.selectFrom("scan_reports").select(["id", "format"]).execute();
        return new Map(rows.map((r) => [r.id, r.format]));
      }),
    scanFindings: (filter) => guard("cannot read scan findings", () => readFindings(db, filter)),
    eachScanFinding: (filter, visit) =>
      guard("cannot read scan findings", () => eachFinding(db, filter, visit)),
    scanAssets: () => guard("cannot read scanned assets", () => readScanAssets(db)),
    scanReports: (ids) => guard("cannot read scan reports", () => readScanReports(db, ids)),
    scanReport: (sha256) => guard("cannot read scan reports", () => readScanReport(db, sha256)),

    close: () => guard("cannot close the database", () => backend.close()),
  };
}
