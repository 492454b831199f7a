import { formatLocal, formatUtc } from "../core/time.js";
import { LANES, type Lane, type WorkItem } from "../core/types.js";

/** The machine-readable row of `triage --json`: one per work item. */
export interface BoardRow {
  id: string;
  advisory: string;
  title: string;
  assetGroup: string;
  owner: string;
  ownerName: string;
  lane: Lane;
  proposedLane: Lane;
  rule: string;
  explanation: string;
  triggers: string[];
  /** ISO 8601 in the owner's zone, with offset; null when the lane has no deadline. */
  deadline: string | null;
  deadlineUtc: string | null;
  zone: string;
  missing: { field: string; detail: string; supplier: string; supplierOwner?: string }[];
  assets: number;
  ssvc: string | null;
  nextCheckpoint: { kind: string; due: string; local: string } | null;
}

export function boardRow(item: WorkItem, now: string): BoardRow {
  const next = item.cadence.find((c) => c.due >= now) ?? null;
  return {
    id: item.id,
    advisory: item.advisory.id,
    title: item.advisory.title,
    assetGroup: item.assetGroup,
    owner: item.owner.id,
    ownerName: item.owner.name,
    lane: item.lane,
    proposedLane: item.decision.proposedLane,
    rule: item.decision.rule,
    explanation: item.decision.explanation,
    triggers: item.decision.triggers.map((t) => t.text),
    deadline: item.deadline?.local ?? null,
    deadlineUtc: item.deadline?.at ?? null,
    zone: item.deadline?.zone ?? item.owner.timeZone,
    missing: item.missing.map((m) => ({
      field: m.field,
      detail: m.detail,
      supplier: m.supplier,
      ...(m.supplierOwner ? { supplierOwner: m.supplierOwner } : {}),
    })),
    assets: item.assets.length,
    ssvc: item.decision.ssvc?.outcome ?? null,
    nextCheckpoint: next ? { kind: next.kind, due: next.due, local: next.local } : null,
  };
}

/** Counts per lane, every lane present. */
export function laneCounts(items: readonly WorkItem[]): Record<Lane, number> {
  const counts = Object.fromEntries(LANES.map((l) => [l, 0])) as Record<Lane, number>;
  for (const item of items) counts[item.lane] += 1;
  return counts;
}

/** The board as people read it: counts per lane, then the items, most urgent first. */
export function boardText(items: readonly WorkItem[], now: string, policySource: string): string {
  const lines: string[] = [];
  lines.push(`patchline board — ${formatUtc(now)} — policy: ${policySource}`);
  lines.push("");
  const counts = laneCounts(items);
  for (const lane of LANES) lines.push(`  ${lane.padEnd(13)} ${String(counts[lane]).padStart(5)}`);
  lines.push(`  ${"total".padEnd(13)} ${String(items.length).padStart(5)}`);
  for (const lane of LANES) {
    const inLane = items.filter((i) => i.lane === lane);
    if (inLane.length === 0) continue;
    lines.push("");
    lines.push(`${lane} (${inLane.length})`);
    for (const item of inLane) {
      const due = item.deadline ? `due ${formatLocal(item.deadline.at, item.deadline.zone)}` : "no deadline";
      lines.push(
        `  ${item.id}  ${item.advisory.id.padEnd(16)} ${item.assetGroup.padEnd(20)} ${item.owner.name} — ${due}`,
      );
      const why = item.decision.triggers.map((t) => t.kind).join(", ");
      const ssvc = item.decision.ssvc ? `; SSVC ${item.decision.ssvc.outcome}` : "";
      if (why) lines.push(`      why: ${why}; rule ${item.decision.rule}${ssvc}`);
      if (item.missing.length > 0) {
        const byField = new Map<string, Set<string>>();
        for (const m of item.missing)
          byField.set(m.field, (byField.get(m.field) ?? new Set()).add(m.supplier));
        const missing = [...byField].map(([field, from]) => `${field} (from ${[...from].join(", ")})`);
        lines.push(`      missing: ${missing.join("; ")}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
