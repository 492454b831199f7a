/**
 * A realistic case for update tests: CVE-2024-3400 across seven asset groups, built from the
 * render fixtures' patch-now work item, with hand-made records in the states a real emergency
 * passes through (sent, acknowledged, blocked by the vendor, exception requested, patched,
 * monitoring, closed). Also a synthetic case of any size for the performance test.
 */
import type { DueCheckpoint, ItemRecord, ItemState } from "../../track/types.js";
import type { OwnerRef, WorkItem } from "../../types.js";
import { OWNERS, patchNowItem } from "../fixtures.js";
import { itemPoints, toMs } from "./summary.js";
import type { CaseEntry, CaseView } from "./types.js";

/** Tue 16 Apr 2024 12:00 UTC: a day after the handoffs went out. */
export const CASE_NOW = "2024-04-16T12:00:00Z";

export const PARTNER_SERVICE_OWNER: OwnerRef = {
  id: "svc-partner",
  name: "Wei Ling Tan",
  timeZone: "Asia/Singapore",
  contact: "weiling.tan@example.com",
};

const BRANCH: OwnerRef = {
  id: "branch-net",
  name: "Branch Networks (Omar Haddad)",
  timeZone: "Europe/Paris",
  contact: "branch-net@example.com",
};

function variant(
  id: string,
  assetGroup: string,
  assets: [string, string, WorkItem["assets"][number]["exposure"]][],
  opts: { owner?: OwnerRef; serviceOwner?: OwnerRef; service?: string } = {},
): WorkItem {
  const base = patchNowItem();
  const service = opts.service ?? "Remote access VPN";
  const template = base.assets[0];
  if (!template) throw new Error("fixture has no asset");
  return {
    ...base,
    id,
    assetGroup,
    owner: opts.owner ?? base.owner,
    serviceOwner: opts.serviceOwner ?? base.serviceOwner,
    environments: [...new Set(assets.map((a) => a[1]))],
    businessServices: [service],
    assets: assets.map(([name, environment, exposure]) => ({
      ...template,
      id: name,
      name,
      environment,
      exposure,
      businessService: service,
      criticality: environment === "production" ? "critical" : "medium",
    })),
  };
}

function record(
  item: WorkItem,
  state: ItemState,
  updatedAt: string,
  extra: Partial<ItemRecord> = {},
): ItemRecord {
  return {
    workItemId: item.id,
    caseId: "CASE-3400",
    state,
    lane: item.lane,
    version: 1,
    lastHash: "",
    sentAt: item.plannedAt,
    reopenedCount: 0,
    evidence: [],
    deadline: item.deadline?.at ?? null,
    zone: item.deadline?.zone ?? item.owner.timeZone,
    cadence: item.cadence,
    metCheckpoints: [],
    updatedAt,
    ...extra,
  };
}

const ACKED = { acknowledgedAt: "2024-04-15T15:10:00Z", metCheckpoints: ["acknowledgment"] };

/** The seven work items of the case with their records. */
export function caseEntries(): CaseEntry[] {
  const sent = variant("WI-3400000001", "VPN edge firewalls", [
    ["fw-edge-01", "production", "internet"],
    ["fw-edge-02", "production", "internet"],
  ]);
  const acked = variant(
    "WI-3400000002",
    "Branch office firewalls",
    [
      ["fw-branch-par", "production", "internet"],
      ["fw-branch-lyo", "production", "internal"],
    ],
    { owner: BRANCH },
  );
  const blocked = variant(
    "WI-3400000003",
    "Partner VPN concentrators",
    [["vpn-partner-01", "production", "partner"]],
    { serviceOwner: PARTNER_SERVICE_OWNER, service: "Partner extranet" },
  );
  const exception = variant("WI-3400000004", "Lab firewalls", [["fw-lab-01", "lab", "isolated"]]);
  const patched = variant("WI-3400000005", "DR site firewalls", [["fw-dr-01", "dr", "internet"]]);
  const monitoring = variant("WI-3400000006", "Data centre perimeter firewalls", [
    ["fw-dc-01", "production", "internet"],
    ["fw-dc-02", "production", "internet"],
  ]);
  const closed = variant("WI-3400000007", "Staging firewalls", [["fw-stg-01", "staging", "internal"]]);
  const evidence = (at: string, assets: string[]) => [
    {
      kind: "version-proof" as const,
      reference: "show system info: sw-version 11.1.2-h3",
      observedAt: at,
      attestedBy: "netops",
      recordedAt: at,
      assets,
      version: "11.1.2-h3",
    },
  ];
  return [
    { item: sent, record: record(sent, "sent", "2024-04-15T13:00:00Z") },
    { item: acked, record: record(acked, "acknowledged", "2024-04-15T15:10:00Z", ACKED) },
    {
      item: blocked,
      record: record(blocked, "blocked", "2024-04-16T08:30:00Z", {
        ...ACKED,
        blocker: {
          category: "vendor",
          blocker:
            "The vendor has not released 11.1.2-h3 for the PA-5450 platform used by the partner concentrators",
          risk: "Partner-facing VPN stays exploitable until the hotfix ships",
          temporaryControl:
            "Threat Prevention signatures 95187, 95189 and 95191 on the GlobalProtect interface",
          owner: "Network Engineering (Dana Ruiz)",
          nextReview: "2024-04-17T13:00:00Z",
          unblocksWhen: "The vendor publishes the PA-5450 hotfix",
          since: "2024-04-16T08:30:00Z",
        },
      }),
    },
    {
      item: exception,
      record: record(exception, "exception-requested", "2024-04-16T09:00:00Z", {
        ...ACKED,
        exception: {
          status: "requested",
          justification: "Lab firewalls have no route to the internet and are rebuilt next month",
          compensatingControls: "Lab VLAN isolation and GlobalProtect portal disabled",
          expiry: "2024-05-15",
          reviewDate: "2024-05-01",
          requestedBy: "netops",
        },
      }),
    },
    {
      item: patched,
      record: record(patched, "patched", "2024-04-16T03:00:00Z", {
        ...ACKED,
        patchedAt: "2024-04-16T03:00:00Z",
        evidence: evidence("2024-04-16T03:05:00Z", ["fw-dr-01"]),
      }),
    },
    {
      item: monitoring,
      record: record(monitoring, "monitoring", "2024-04-16T06:00:00Z", {
        ...ACKED,
        patchedAt: "2024-04-16T02:00:00Z",
        verifiedAt: "2024-04-16T06:00:00Z",
        evidence: evidence("2024-04-16T02:10:00Z", ["fw-dc-01", "fw-dc-02"]),
        metCheckpoints: ["acknowledgment", "status", "blocker-escalation", "final"],
        monitoring: {
          watched: "GlobalProtect logs for exploitation attempts and re-detection in the daily scan",
          owner: "Vulnerability Management (Priya Shah)",
          window: "7 days",
          startedAt: "2024-04-16T06:00:00Z",
          endsAt: "2024-04-23T06:00:00Z",
          reopenOn: ["re-detection in a scan", "rollback", "new exploitation evidence"],
        },
      }),
    },
    {
      item: closed,
      record: record(closed, "closed", "2024-04-16T10:00:00Z", {
        ...ACKED,
        patchedAt: "2024-04-15T20:00:00Z",
        verifiedAt: "2024-04-15T22:00:00Z",
        closedAt: "2024-04-16T10:00:00Z",
        evidence: evidence("2024-04-15T20:05:00Z", ["fw-stg-01"]),
        metCheckpoints: ["acknowledgment", "status", "blocker-escalation", "final"],
      }),
    },
  ];
}

/**
 * An eighth work item whose owner answered the validation of its affected status: the lab VPN
 * appliances run a PAN-OS build without GlobalProtect. Kept apart so the seven-item case stays as is.
 */
export function notAffectedEntry(): CaseEntry {
  const item = variant("WI-3400000008", "Lab VPN appliances", [
    ["vpn-lab-01", "lab", "isolated"],
    ["vpn-lab-02", "lab", "isolated"],
  ]);
  return {
    item,
    record: record(item, "not-affected", "2024-04-16T07:30:00Z", {
      ...ACKED,
      metCheckpoints: ["acknowledgment", "final"],
      notAffected: {
        justification: "vulnerable_code_not_in_execute_path",
        detail:
          "GlobalProtect portal and gateway are not configured on either appliance (show global-protect-gateway)",
        evidence: "CHG-7731 configuration export",
        recordedBy: "netops",
        role: "system-owner",
        recordedAt: "2024-04-16T07:30:00Z",
      },
    }),
  };
}

/** Due and overdue checkpoints the way `patchline due` would list them: overdue, or due within a day. */
export function dueCheckpoints(entries: CaseEntry[], now: string): DueCheckpoint[] {
  const nowMs = toMs(now);
  const out: DueCheckpoint[] = [];
  for (const { item, record } of entries) {
    for (const p of itemPoints(item, record)) {
      if (p.ms > nowMs + 24 * 3600_000) continue;
      const d: DueCheckpoint = {
        workItemId: item.id,
        caseId: record.caseId,
        advisoryId: item.advisory.id,
        assetGroup: item.assetGroup,
        owner: item.owner.id,
        kind: p.kind,
        due: p.due,
        zone: p.zone,
        overdue: p.ms < nowMs,
      };
      if (p.escalateTo !== undefined) d.escalateTo = p.escalateTo;
      out.push(d);
    }
  }
  return out.sort((a, b) => toMs(a.due) - toMs(b.due));
}

export function caseView(now = CASE_NOW, entries = caseEntries()): CaseView {
  return {
    case: {
      id: "CASE-3400",
      advisoryId: "CVE-2024-3400",
      title: "PAN-OS GlobalProtect command injection",
      openedAt: "2024-04-15T12:30:00Z",
      workItemIds: entries.map((e) => e.item.id),
    },
    entries,
    now,
    due: dueCheckpoints(entries, now),
  };
}

/** A synthetic case of `n` work items cycling through the fixture states (for the performance test). */
export function bigCaseView(n: number): CaseView {
  const templates = caseEntries();
  const entries: CaseEntry[] = [];
  for (let i = 0; i < n; i++) {
    const t = templates[i % templates.length];
    if (!t) continue;
    const id = `WI-${i.toString(16).padStart(10, "0")}`;
    const item: WorkItem = {
      ...t.item,
      id,
      assetGroup: `${t.item.assetGroup} ${Math.floor(i / templates.length)}`,
      assets: t.item.assets.map((a) => ({ ...a, id: `${a.id}-${i}`, name: `${a.name}-${i}` })),
    };
    entries.push({ item, record: { ...t.record, workItemId: id } });
  }
  const view = caseView(CASE_NOW, entries);
  return view;
}

export { OWNERS };
