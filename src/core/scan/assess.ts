/**
 * Scanner findings as the core's asset × advisory findings. A scanner saw the vulnerability on the
 * asset, so its word is direct evidence: it takes the place of what version matching inferred from
 * the inventory for the same asset and advisory. A vulnerability no advisory record or KEV entry
 * names still gets an advisory, built from what the scanner reported, so it reaches an owner.
 */
import { withMatch } from "../assess.js";
import type { Advisory, AffectedProduct, AffectedStatus, Finding } from "../types.js";
import type { ReportStatus, ScanFinding } from "./types.js";

/** One stored scanner finding on an inventory asset. */
export interface ScanEvidence {
  assetId: string;
  scanner: string;
  /** "present", or "gone" once a later report covered the asset without it. */
  state: "present" | "gone";
  lastSeen: string;
  goneAt?: string;
  finding: ScanFinding;
}

const STATUS: Record<ReportStatus, AffectedStatus> = {
  affected: "affected",
  fixed: "affected",
  will_not_fix: "affected",
  fix_deferred: "affected",
  end_of_life: "affected",
  unknown: "affected",
  under_investigation: "unknown",
  not_affected: "not_affected",
  resolved: "fixed",
};

function day(instant: string): string {
  return instant.slice(0, 10);
}

function what(f: ScanFinding): string {
  if (f.package) return `${f.package.name}${f.package.version ? ` ${f.package.version}` : ""}`;
  if (f.port) return `port ${f.port}`;
  return "the asset";
}

function reasonFor(e: ScanEvidence, status: AffectedStatus): string {
  const f = e.finding;
  if (e.state === "gone")
    return `fixed: ${e.scanner} no longer reports it on ${what(f)} since ${day(e.goneAt ?? e.lastSeen)}`;
  const fix = f.fixedVersions.length > 0 ? `; fixed in ${f.fixedVersions.join(", ")}` : "";
  const said = f.status === "affected" || f.status === "fixed" ? "" : ` (report status ${f.status})`;
  return `${status}: reported by ${e.scanner} on ${what(f)}, last seen ${day(e.lastSeen)}${said}${fix}`;
}

/** What the scanner saw, as an affected product: its package at the installed version. */
function scannedProduct(f: ScanFinding, scanner: string): AffectedProduct {
  const name = f.package?.name ?? f.title ?? f.vulnId;
  return {
    vendor: f.package?.ecosystem ?? scanner,
    product: name,
    ...(f.package ? { component: f.package.name } : {}),
    ...(f.package?.purl ? { purl: f.package.purl.replace(/@[^@/]*$/, "") } : {}),
    cpes: [],
    versions: f.package?.version ? [{ version: f.package.version, status: "affected" }] : [],
    defaultStatus: "unknown",
    fixedVersions: [...f.fixedVersions],
  };
}

/** The advisory for a vulnerability only a scanner names. */
export function advisoryFromScan(f: ScanFinding, scanner: string): Advisory {
  const name = f.package?.name ?? f.title ?? f.vulnId;
  const advisory: Advisory = {
    id: f.vulnId,
    sources: [],
    aliases: [...f.aliases],
    state: "published",
    title: f.title ?? `${f.vulnId} in ${name}`,
    cvss: [...f.cvss],
    cwes: [],
    affected: [scannedProduct(f, scanner)],
    remediations: f.fixedVersions.map((v) => ({
      category: "vendor_fix" as const,
      details: `Upgrade ${name} to ${v} or later.`,
      products: [],
      fixedVersion: v,
    })),
    references: [],
    notes: [`Known from ${scanner} only: no advisory record or KEV entry names ${f.vulnId}.`],
  };
  return advisory;
}

/** Finds the advisory a scanner finding is about, by its id or any alias. */
function advisoryFor(
  f: ScanFinding,
  advisories: ReadonlyMap<string, Advisory>,
  byAlias: Map<string, string>,
): string | undefined {
  for (const id of [f.vulnId, ...f.aliases]) {
    const key = id.toUpperCase();
    if (advisories.has(key)) return key;
    const via = byAlias.get(key);
    if (via !== undefined) return via;
  }
  return undefined;
}

/**
 * Turns scanner evidence into findings; returns them with the advisories that had to be built for
 * vulnerabilities nothing else names. Only findings with a version or a port make a finding per
 * asset × advisory: several packages on one asset with the same advisory keep the first affected one.
 */
export function scanFindings(
  evidence: readonly ScanEvidence[],
  advisories: ReadonlyMap<string, Advisory>,
): { findings: Finding[]; added: Advisory[] } {
  const byAlias = new Map<string, string>();
  for (const a of advisories.values()) for (const alias of a.aliases) byAlias.set(alias.toUpperCase(), a.id);
  const added = new Map<string, Advisory>();
  const out = new Map<string, Finding>();
  for (const e of evidence) {
    const f = e.finding;
    let advisoryId = advisoryFor(f, advisories, byAlias) ?? (added.has(f.vulnId) ? f.vulnId : undefined);
    if (advisoryId === undefined) {
      const built = advisoryFromScan(f, e.scanner);
      added.set(built.id, built);
      advisoryId = built.id;
    }
    const status: AffectedStatus = e.state === "gone" ? "fixed" : STATUS[f.status];
    const finding: Finding = {
      advisoryId,
      assetId: e.assetId,
      software: {
        ...(f.package?.purl ? { purl: f.package.purl } : {}),
        ...(f.package ? { product: f.package.name } : {}),
        ...(f.package?.version ? { version: f.package.version } : {}),
      },
      status,
      reason: reasonFor(e, status),
      source: e.scanner,
    };
    if (f.fixedVersions.length > 0 && status === "affected")
      finding.fixedVersion = f.fixedVersions.join(" or ");
    withMatch(finding, { product: scannedProduct(f, e.scanner), byNameOnly: false });
    const key = `${advisoryId}\u001f${e.assetId}`;
    const before = out.get(key);
    // An affected observation outweighs a fixed or not-affected one for the same asset and advisory.
    if (!before || (before.status !== "affected" && status === "affected")) out.set(key, finding);
  }
  return { findings: [...out.values()], added: [...added.values()] };
}
