/**
 * What the scanners say, as stored: findings present or gone, per scanned asset, with the inventory
 * asset each scanned asset matched (by the policy's scanMatch keys), narrowed by vulnerability,
 * asset, scanner or state.
 */
import type { Policy } from "../core/policy/types.js";
import { indexAssets, mapAssets } from "../core/scan/match.js";
import type { ReportStatus, Severity } from "../core/scan/types.js";
import type { Store } from "../store/index.js";
import type { FindingFilter, StoredFinding } from "../store/scans.js";

export interface FindingQuery {
  /** A vulnerability id or alias (CVE, GHSA, the scanner's own id). */
  vuln?: string;
  /** An inventory asset id, or a scanned asset key ("image:alpine:3.10"). */
  asset?: string;
  scanner?: string;
  /** Default: present findings only. */
  state?: "present" | "gone" | "all";
}

export interface FindingRow {
  state: "present" | "gone";
  vulnId: string;
  aliases: string[];
  /** The scanned asset's key, and the inventory asset it matched (absent when it matched none). */
  asset: string;
  inventoryAsset?: string;
  package?: string;
  installed?: string;
  fixed: string[];
  port?: string;
  severity: Severity;
  /** The report's own status for the finding. */
  status: ReportStatus;
  scanner: string;
  scope: string;
  firstSeen: string;
  lastSeen: string;
  goneAt?: string;
  /** sha256 of the report that last listed it, or that found it gone. */
  report: string;
}

/**
 * Visits the findings that answer the query, a page at a time (memory stays small whatever their
 * number), ordered by scanner, scope and asset; returns how many there were.
 */
export async function visitFindings(
  store: Store,
  policy: Policy,
  query: FindingQuery,
  visit: (row: FindingRow) => void | Promise<void>,
): Promise<number> {
  const [scanned, assets] = await Promise.all([store.scanAssets(), store.assets()]);
  const inventoryId = mapAssets(indexAssets(assets), scanned, policy.scanMatch).ids;
  const filter: FindingFilter = {};
  const state = query.state ?? "present";
  if (state !== "all") filter.state = state;
  if (query.vuln !== undefined) filter.vulnIds = [query.vuln];
  if (query.scanner !== undefined) filter.scanner = query.scanner;
  if (query.asset !== undefined) {
    const wanted = query.asset;
    filter.assets = scanned
      .filter((a) => a.key === wanted || inventoryId.get(a.key) === wanted)
      .map((a) => a.key);
    if (filter.assets.length === 0) return 0;
  }
  return store.eachScanFinding(filter, (s) => visit(rowOf(s, inventoryId.get(s.finding.asset))));
}

function rowOf(s: StoredFinding, inventoryAsset: string | undefined): FindingRow {
  const f = s.finding;
  const row: FindingRow = {
    state: s.state,
    vulnId: f.vulnId,
    aliases: f.aliases,
    asset: f.asset,
    fixed: f.fixedVersions,
    severity: f.severity,
    status: f.status,
    scanner: s.scanner,
    scope: s.scope,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    report: s.goneReport ?? s.lastReport,
  };
  if (inventoryAsset !== undefined) row.inventoryAsset = inventoryAsset;
  if (f.package) row.package = f.package.name;
  if (f.package?.version !== undefined) row.installed = f.package.version;
  if (f.port !== undefined) row.port = f.port;
  if (s.goneAt !== undefined) row.goneAt = s.goneAt;
  return row;
}
