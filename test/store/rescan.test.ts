import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyRescan } from "../../src/app/rescan.js";
import { type Draft, recordEvent, recordHandoffs } from "../../src/app/track/record.js";
import { basePolicy } from "../../src/core/policy/defaults.js";
import { patchNowItem } from "../../src/core/render/fixtures.js";
import { ReportBuilder } from "../../src/core/scan/builder.js";
import { sightingsOf } from "../../src/core/scan/sightings.js";
import type { ScanReport } from "../../src/core/scan/types.js";
import type { WorkItem } from "../../src/core/types.js";
import { backendsUnderTest, openTestStore, type TestStore } from "./helpers.js";

const backends = await backendsUnderTest();
const policy = basePolicy();
const T0 = "2026-11-02T09:00:00Z";

/** A scan of the given hosts; `hits` lists hosts where CVE-2024-3400 is still reported. */
function scan(time: string, hosts: string[], hits: string[] = []): ScanReport {
  const b = new ReportBuilder("nessus");
  for (const host of hosts) {
    const asset = b.asset({ hostname: host }) as string;
    if (hits.includes(host)) b.finding({ asset, vulnId: "CVE-2024-3400", port: "443/tcp", plugin: "193237" });
  }
  return b.build({ reportTime: time, scope: "full audit" });
}

const assetIds = (report: ScanReport) =>
  new Map(report.assets.map((a) => [a.key, a.hostname as string] as [string, string]));

describe.each(backends)("re-scans as evidence (%s)", (kind) => {
  let t: TestStore;
  let item: WorkItem;
  beforeEach(async () => {
    t = await openTestStore(kind);
    item = patchNowItem();
    await t.store.saveWorkItems([item]);
    await recordHandoffs(t.store, policy, T0, [item], "secops");
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const owner = (type: Draft["type"], payload: Draft["payload"]): Draft =>
    ({ type, actor: item.owner.id, role: "system-owner", payload }) as Draft;

  /** The owner acknowledges, records the deployment and claims the fix. */
  async function claimFix(): Promise<void> {
    await recordEvent(t.store, policy, "2026-11-02T10:00:00Z", item.id, owner("acknowledged", {}));
    for (const kind of ["forensic-scoping", "forensic-evidence"] as const) {
      await recordEvent(t.store, policy, "2026-11-02T10:30:00Z", item.id, {
        type: "evidence-added",
        actor: "secops",
        role: "security",
        payload: {
          kind,
          reference: `IR-7 ${kind}`,
          observedAt: "2026-11-02T10:30:00Z",
          attestedBy: "secops",
        },
      });
    }
    await recordEvent(t.store, policy, "2026-11-02T10:40:00Z", item.id, {
      type: "evidence-added",
      actor: "secops",
      role: "security",
      payload: {
        kind: "forensic-decision",
        reference: "IR-7 triage",
        observedAt: "2026-11-02T10:40:00Z",
        attestedBy: "secops",
        outcome: "no-evidence",
      },
    });
    for (const kind of ["version-proof", "deployment-record"] as const) {
      await recordEvent(
        t.store,
        policy,
        "2026-11-02T11:00:00Z",
        item.id,
        owner("evidence-added", {
          kind,
          reference: `CHG-42 ${kind}`,
          observedAt: "2026-11-02T11:00:00Z",
          attestedBy: item.owner.id,
        }),
      );
    }
    await recordEvent(
      t.store,
      policy,
      "2026-11-02T11:05:00Z",
      item.id,
      owner("patched", { version: "11.1.2-h3" }),
    );
  }

  const apply = (report: ScanReport) =>
    applyRescan(t.store, policy, "2026-11-03T08:00:00Z", {
      report,
      sightings: sightingsOf(report.findings),
      file: "nessus-week45.nessus",
      sha256: "ab".repeat(32),
      assetIds: assetIds(report),
      actor: "secops",
    });

  it("verifies a claimed fix when the re-scan covers every asset and no longer finds it", async () => {
    await claimFix();
    const outcome = await apply(scan("2026-11-03T06:00:00Z", ["fw-edge-01", "fw-edge-02"]));
    expect(outcome).toEqual({ evidence: [item.id], verified: [item.id], reopened: [] });
    const record = await t.store.itemRecord(item.id);
    expect(record?.state).toBe("verifying");
    expect(record?.verifiedAt).toBe("2026-11-03T08:00:00Z");
    const events = await t.store.events(item.id);
    const scanEvidence = events.find(
      (e) => e.type === "evidence-added" && (e.payload as { kind?: string }).kind === "scan",
    );
    expect(scanEvidence?.payload).toMatchObject({
      kind: "scan",
      observedAt: "2026-11-03T06:00:00Z",
      attestedBy: "nessus",
      assets: ["fw-edge-01", "fw-edge-02"],
    });
    expect((await t.store.auditVerify()).problems).toEqual([]);
  });

  it("records evidence from a partial scan but never verifies on it", async () => {
    await claimFix();
    const outcome = await apply(scan("2026-11-03T06:00:00Z", ["fw-edge-01"]));
    expect(outcome).toEqual({ evidence: [item.id], verified: [], reopened: [] });
    // The proof starts verification (as any proof after a patch claim does), but verifies nothing.
    const record = await t.store.itemRecord(item.id);
    expect(record?.state).toBe("verifying");
    expect(record?.verifiedAt).toBeUndefined();
    expect((await t.store.events(item.id)).some((e) => e.type === "verified")).toBe(false);
  });

  it("does nothing for a report that covers none of the item's assets", async () => {
    await claimFix();
    const outcome = await apply(scan("2026-11-03T06:00:00Z", ["db-01"]));
    expect(outcome).toEqual({ evidence: [], verified: [], reopened: [] });
  });

  it("reopens an item in monitoring when the vulnerability is detected again, naming the report", async () => {
    await claimFix();
    await apply(scan("2026-11-03T06:00:00Z", ["fw-edge-01", "fw-edge-02"]));
    await recordEvent(t.store, policy, "2026-11-03T09:00:00Z", item.id, {
      type: "monitoring-started",
      actor: "secops",
      role: "security",
      payload: {
        watched: "GlobalProtect exploitation signatures",
        owner: "soc",
        window: "14d",
        endsAt: "2026-11-17T09:00:00Z",
        reopenOn: ["re-detection by a scan"],
      },
    });
    const week46 = scan("2026-11-05T06:00:00Z", ["fw-edge-01", "fw-edge-02"], ["fw-edge-02"]);
    const outcome = await applyRescan(t.store, policy, "2026-11-05T08:00:00Z", {
      report: week46,
      sightings: sightingsOf(week46.findings),
      file: "nessus-week46.nessus",
      sha256: "cd".repeat(32),
      assetIds: assetIds(scan("2026-11-05T06:00:00Z", ["fw-edge-01", "fw-edge-02"])),
      actor: "secops",
    });
    expect(outcome.reopened).toEqual([item.id]);
    const record = await t.store.itemRecord(item.id);
    expect(record?.state).toBe("reopened");
    const last = (await t.store.events(item.id)).at(-1);
    expect(last?.type).toBe("reopened");
    expect(last?.reason).toBe("re-detected by nessus report nessus-week46.nessus");
    expect(last?.payload).toMatchObject({ source: `nessus-week46.nessus (sha256 ${"cd".repeat(6)})` });
  });

  it("leaves a person's decision alone: an item under a granted exception only gains the evidence", async () => {
    await recordEvent(t.store, policy, "2026-11-02T10:00:00Z", item.id, owner("acknowledged", {}));
    await recordEvent(
      t.store,
      policy,
      "2026-11-02T10:10:00Z",
      item.id,
      owner("exception-requested", {
        justification: "Vendor appliance frozen for the audit",
        compensatingControls: "GlobalProtect disabled",
        expiry: "2026-12-01T00:00:00Z",
        reviewDate: "2026-11-20T00:00:00Z",
      }),
    );
    await recordEvent(t.store, policy, "2026-11-02T10:20:00Z", item.id, {
      type: "exception-granted",
      actor: "risk",
      role: "governance",
      payload: { expiry: "2026-12-01T00:00:00Z", reviewDate: "2026-11-20T00:00:00Z" },
    });
    const outcome = await apply(scan("2026-11-03T06:00:00Z", ["fw-edge-01", "fw-edge-02"], ["fw-edge-01"]));
    expect(outcome).toEqual({ evidence: [], verified: [], reopened: [] });
    expect((await t.store.itemRecord(item.id))?.state).toBe("exception-granted");
  });

  it("never reopens or verifies an item its owner answered not affected; it only gains the evidence", async () => {
    await recordEvent(t.store, policy, "2026-11-02T10:00:00Z", item.id, owner("acknowledged", {}));
    await recordEvent(
      t.store,
      policy,
      "2026-11-02T10:30:00Z",
      item.id,
      owner("not-affected", {
        justification: "vulnerable_code_not_in_execute_path",
        detail: "GlobalProtect portal and gateway are not configured on either firewall",
        evidence: "CHG-51 running-config export",
      }),
    );
    const flagged = await apply(scan("2026-11-03T06:00:00Z", ["fw-edge-01", "fw-edge-02"], ["fw-edge-01"]));
    expect(flagged).toEqual({ evidence: [], verified: [], reopened: [] });
    const kept = await t.store.itemRecord(item.id);
    expect(kept?.state).toBe("not-affected");
    expect(kept?.notAffected).toMatchObject({
      justification: "vulnerable_code_not_in_execute_path",
      recordedBy: item.owner.id,
    });

    const clean = await applyRescan(t.store, policy, "2026-11-05T08:00:00Z", {
      report: scan("2026-11-05T06:00:00Z", ["fw-edge-01", "fw-edge-02"]),
      sightings: [],
      file: "nessus-week46.nessus",
      sha256: "cd".repeat(32),
      assetIds: assetIds(scan("2026-11-05T06:00:00Z", ["fw-edge-01", "fw-edge-02"])),
      actor: "secops",
    });
    expect(clean).toEqual({ evidence: [item.id], verified: [], reopened: [] });
    const after = await t.store.itemRecord(item.id);
    expect(after?.state).toBe("not-affected");
    expect(after?.evidence.map((e) => e.kind)).toEqual(["scan"]);
    const types = (await t.store.events(item.id)).map((e) => e.type);
    expect(types).toEqual(["handoff-sent", "acknowledged", "not-affected", "evidence-added"]);
    expect((await t.store.auditVerify()).problems).toEqual([]);
  });
});
