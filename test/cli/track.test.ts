import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { run, tempDir } from "./run.js";

interface BoardRow {
  id: string;
  advisory: string;
  lane: string;
  owner: string;
}

const EXAMPLES = resolve("examples");

describe("tracking a work item from the command line", () => {
  const dir = tempDir();
  const db = join(dir, "p.db");
  let item: BoardRow;
  let question: BoardRow;
  const at = (when: string, args: string[]) => run(["--db", db, "--now", when, ...args]);

  beforeAll(() => {
    const feeds = readdirSync(join(EXAMPLES, "feeds")).map((f) => join(EXAMPLES, "feeds", f));
    expect(
      run(["--db", db, "ingest", join(EXAMPLES, "owners.csv"), join(EXAMPLES, "inventory.csv"), ...feeds])
        .status,
    ).toBe(0);
    const rows = JSON.parse(run(["--db", db, "triage", "--json"]).stdout) as BoardRow[];
    const found = rows.find((r) => r.advisory === "CVE-2023-34362" && r.lane === "patch-now");
    if (!found) throw new Error("expected the MOVEit patch-now item in the examples");
    item = found;
    const validate = rows.find((r) => r.advisory === "CVE-2024-3094" && r.lane === "validate");
    if (!validate) throw new Error("expected the xz validation request in the examples");
    question = validate;
  });

  it("refuses events before the handoff, then records the handoff", () => {
    const early = at("2026-11-23T09:30:00Z", ["--as", item.owner, "ack", item.id]);
    expect(early.status).toBe(3);
    expect(early.stderr).toMatch(/not been handed off/);
    const sent = at("2026-11-23T09:00:00Z", ["handoff", item.id, "--out", join(dir, "out")]);
    expect(sent.status).toBe(0);
    const ack = at("2026-11-23T10:00:00Z", ["--as", item.owner, "ack", item.id]);
    expect(ack.stderr).toBe("");
    expect(ack.stdout).toMatch(/now acknowledged/);
  });

  it("refuses an action to a role that may not take it", () => {
    const grant = at("2026-11-23T11:00:00Z", [
      "--as",
      item.owner,
      "exception",
      "grant",
      item.id,
      "--expiry",
      "2026-12-01",
      "--review",
      "2026-11-27",
    ]);
    expect(grant.status).toBe(77);
    expect(grant.stderr).toMatch(/governance/);
  });

  it("refuses to close or verify without the evidence the lane requires", () => {
    const patched = at("2026-11-23T12:00:00Z", [
      "--as",
      item.owner,
      "patched",
      item.id,
      "--deployed",
      "2023.0.2",
    ]);
    // BOD 26-04's forensic band requires volatile evidence before the patch.
    expect(patched.status).toBe(3);
    expect(patched.stderr).toMatch(/forensic/i);
    expect(
      at("2026-11-23T12:10:00Z", [
        "--as",
        "ciso",
        "evidence",
        "add",
        item.id,
        "--kind",
        "forensic-evidence",
        "--reference",
        "IR-1",
      ]).status,
    ).toBe(0);
    expect(
      at("2026-11-23T12:20:00Z", ["--as", item.owner, "patched", item.id, "--deployed", "2023.0.2"]).status,
    ).toBe(0);
    const verify = at("2026-11-23T12:30:00Z", ["--as", "ciso", "verify", item.id]);
    expect(verify.status).toBe(3);
    expect(verify.stderr).toMatch(/version-proof/);
    const close = at("2026-11-23T12:40:00Z", ["--as", "ciso", "close", item.id]);
    expect(close.status).toBe(3);
  });

  it("shows the whole timeline and lists what is due with whom to escalate to", () => {
    const show = at("2026-11-23T13:00:00Z", ["show", item.id]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/handoff-sent/);
    expect(show.stdout).toMatch(/acknowledged by/);
    const due = at("2026-11-27T13:00:00Z", ["due", "--json"]);
    const rows = JSON.parse(due.stdout) as {
      workItemId: string;
      overdue: boolean;
      escalateTo?: string;
      due: string;
    }[];
    const mine = rows.filter((r) => r.workItemId === item.id && r.overdue);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.escalateTo)).toBe(true);
    const dues = rows.map((r) => r.due);
    expect([...dues].sort()).toEqual(dues);
  });

  it("renders an update for each audience that passes lint", () => {
    for (const audience of ["ops", "leadership", "service-owner"]) {
      const update = at("2026-11-23T14:00:00Z", ["update", item.advisory, "--audience", audience]);
      expect(update.status, audience).toBe(0);
      const file = join(dir, `${audience}.md`);
      writeFileSync(file, update.stdout);
      const lint = run(["lint", file]);
      expect(lint.stdout, audience).toMatch(/ok/);
      expect(lint.status, audience).toBe(0);
    }
  });

  it("records a validation request answered not affected, shows it, and lets only security reopen it", () => {
    const id = question.id;
    expect(at("2026-11-23T09:00:00Z", ["handoff", id, "--out", join(dir, "out")]).status).toBe(0);
    const answer = [
      "not-affected",
      id,
      "--justification",
      "component_not_present",
      "--detail",
      "xz-utils 5.4.1 on every build agent; liblzma 5.6.0/5.6.1 never installed (rpm -q xz-libs)",
    ];
    const bySecurity = at("2026-11-23T10:00:00Z", ["--as", "ciso", ...answer]);
    expect(bySecurity.status).toBe(77);
    const vague = at("2026-11-23T10:00:00Z", [
      "--as",
      question.owner,
      "not-affected",
      id,
      "--justification",
      "not_vulnerable",
      "--detail",
      "x",
    ]);
    expect(vague.status).toBe(64);
    expect(vague.stderr).toMatch(/--justification must be one of component_not_present/);
    const bare = at("2026-11-23T10:00:00Z", [
      "--as",
      question.owner,
      "not-affected",
      id,
      "--justification",
      "component_not_present",
    ]);
    expect(bare.status).toBe(64);
    expect(bare.stderr).toMatch(/--detail is required/);

    const ok = at("2026-11-23T10:00:00Z", [
      "--as",
      question.owner,
      ...answer,
      "--evidence",
      "CHG-9 package inventory",
      "--json",
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    const written = JSON.parse(ok.stdout) as {
      record: { state: string; notAffected: Record<string, string>; metCheckpoints: string[] };
      events: { type: string; actor: string }[];
    };
    expect(written.record.state).toBe("not-affected");
    expect(written.record.notAffected).toMatchObject({
      justification: "component_not_present",
      evidence: "CHG-9 package inventory",
      recordedBy: question.owner,
    });
    expect(written.record.metCheckpoints).toContain("final");
    expect(written.events.map((e) => e.type)).toEqual(["not-affected"]);

    const show = at("2026-11-23T10:10:00Z", ["show", id]);
    expect(show.stdout).toContain("state not-affected");
    expect(show.stdout).toContain(
      `not affected (component_not_present), recorded by ${question.owner} (system-owner): xz-utils 5.4.1 on every build agent`,
    );
    expect(show.stdout).toContain("evidence: CHG-9 package inventory");
    // Final: nothing is due on it, and it cannot be acknowledged or closed.
    const due = JSON.parse(at("2026-12-10T00:00:00Z", ["due", "--json"]).stdout) as { workItemId: string }[];
    expect(due.some((d) => d.workItemId === id)).toBe(false);
    expect(at("2026-11-23T10:20:00Z", ["--as", question.owner, "ack", id]).status).toBe(3);
    expect(at("2026-11-23T10:20:00Z", ["--as", "ciso", "close", id]).status).toBe(3);

    expect(
      at("2026-11-23T11:00:00Z", ["--as", question.owner, "reopen", id, "--why", "second thoughts"]).status,
    ).toBe(77);
    const reopened = at("2026-11-23T11:00:00Z", [
      "--as",
      "ciso",
      "reopen",
      id,
      "--why",
      "a Trivy scan of build-agent-03 reports xz-libs 5.6.1",
    ]);
    expect(reopened.status).toBe(0);
    expect(reopened.stdout).toMatch(/now reopened/);
  });

  it("detects an edited event with audit verify", () => {
    expect(at("2026-11-23T15:00:00Z", ["audit", "verify"]).status).toBe(0);
    const raw = new Database(db);
    const changed = raw
      .prepare("update track_events set actor = 'someone-else' where work_item_id = ? and seq = 2")
      .run(item.id);
    expect(changed.changes).toBe(1);
    raw.close();
    const audit = at("2026-11-23T15:10:00Z", ["audit", "verify"]);
    expect(audit.status).toBe(1);
    expect(audit.stdout).toContain(item.id);
  });
});
