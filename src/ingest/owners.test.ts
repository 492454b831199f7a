import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Owner } from "../core/types.js";
import { PatchlineError } from "../errors.js";
import { OWNER_COLUMNS, parseOwners } from "./owners.js";

const OWNERS = path.resolve("examples/owners.csv");

let dir: string;
let exampleLines: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "patchline-owners-"));
  exampleLines = (await readFile(OWNERS, "utf8")).split("\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function parseText(name: string, text: string): Promise<Owner[]> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  const batch = await parseOwners({ path: file, displayName: name });
  if (batch.kind !== "owners") throw new Error(`unexpected batch kind ${batch.kind}`);
  return batch.owners;
}

async function failure(name: string, text: string): Promise<PatchlineError> {
  try {
    await parseText(name, text);
  } catch (e) {
    if (e instanceof PatchlineError) return e;
    throw e;
  }
  throw new Error("expected the parse to fail");
}

async function exampleOwners(): Promise<Owner[]> {
  const batch = await parseOwners({ path: OWNERS, displayName: "examples/owners.csv" });
  if (batch.kind !== "owners") throw new Error("not owners");
  return batch.owners;
}

/** The example owners file with one line replaced (line is 1-based, header is line 1). */
function withLine(line: number, text: string): string {
  const lines = [...exampleLines];
  lines[line - 1] = text;
  return lines.join("\n");
}

describe("parseOwners on examples/owners.csv", () => {
  it("reads every owner with exact values", async () => {
    const owners = await exampleOwners();
    expect(owners).toHaveLength(20);
    expect(owners[1]).toEqual({
      id: "ciso",
      name: "Ingrid de Vries (CISO)",
      kind: "person",
      roles: ["leadership", "security"],
      timeZone: "Europe/Amsterdam",
      contact: "ingrid.devries@harbourline.example",
      escalatesTo: "cio",
    });
    const cio = owners.find((o) => o.id === "cio");
    expect(cio?.escalatesTo).toBeUndefined();
    expect(owners.find((o) => o.id === "grc")).toMatchObject({
      name: "Governance, Risk and Compliance",
      kind: "team",
      roles: ["governance"],
    });
    const zones = new Set(owners.map((o) => o.timeZone));
    expect([...zones].sort()).toEqual([
      "America/Los_Angeles",
      "America/New_York",
      "Asia/Kolkata",
      "Australia/Sydney",
      "Europe/Amsterdam",
    ]);
  });

  it("every escalation chain ends at the CIO", async () => {
    const owners = await exampleOwners();
    const byId = new Map(owners.map((o) => [o.id, o]));
    const chain = (id: string): string[] => {
      const out = [id];
      let next = byId.get(id)?.escalatesTo;
      while (next) {
        out.push(next);
        next = byId.get(next)?.escalatesTo;
      }
      return out;
    };
    expect(chain("ot-engineering")).toEqual(["ot-engineering", "ot-manager", "cio"]);
    expect(chain("vuln-mgmt")).toEqual(["vuln-mgmt", "ciso", "cio"]);
    for (const o of owners) expect(chain(o.id).at(-1)).toBe("cio");
    for (const role of ["security", "system-owner", "service-owner", "governance", "leadership"] as const) {
      expect(
        owners.some((o) => o.roles.includes(role)),
        role,
      ).toBe(true);
    }
  });
});

describe("JSON owners", () => {
  it("give the same owners as the CSV", async () => {
    const fromCsv = await exampleOwners();
    const asJson = fromCsv.map((o) => ({ ...o, roles: o.roles.join(";") }));
    expect(await parseText("owners.json", JSON.stringify({ owners: asJson }))).toEqual(fromCsv);
    expect(await parseText("owners-array.json", JSON.stringify(fromCsv))).toEqual(fromCsv);
  });

  it("names the JSON path of an unknown escalation target and a bad zone", async () => {
    const owners: Record<string, unknown>[] = (await exampleOwners()).map((o) => ({ ...o }));
    (owners[4] as Record<string, unknown>).escalatesTo = "ceo";
    let e = await failure("owners.json", JSON.stringify({ owners }));
    expect(e.place).toEqual({ file: "owners.json", path: "/owners/4/escalatesTo" });
    expect(e.message).toBe('escalates_to "ceo" names no owner in this file');

    const zoned: Record<string, unknown>[] = (await exampleOwners()).map((o) => ({ ...o }));
    (zoned[2] as Record<string, unknown>).timeZone = "GMT+2";
    e = await failure("owners.json", JSON.stringify(zoned));
    expect(e.place).toEqual({ file: "owners.json", path: "/2/timeZone" });
    expect(e.message).toBe('timeZone "GMT+2" is not an IANA time zone (for example Europe/Amsterdam)');
  });
});

describe("CSV validation errors", () => {
  it("unknown escalates_to names the line", async () => {
    const e = await failure(
      "owners.csv",
      withLine(7, (exampleLines[6] ?? "").replace(/infra-director$/, "cto")),
    );
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place).toEqual({ file: "owners.csv", line: 7 });
    expect(e.message).toBe('escalates_to "cto" names no owner in this file');
  });

  it("escalation to itself and escalation loops", async () => {
    let e = await failure(
      "owners.csv",
      withLine(4, "cio,Marcus Bell (CIO),person,leadership,America/New_York,,cio"),
    );
    expect([e.place.line, e.message]).toEqual([4, 'escalates_to "cio" names the owner itself']);

    e = await failure(
      "owners.csv",
      withLine(4, "cio,Marcus Bell (CIO),person,leadership,America/New_York,,vuln-mgmt"),
    );
    expect(e.place.line).toBe(2);
    expect(e.message).toBe("escalation loops back: vuln-mgmt → ciso → cio → vuln-mgmt");
    expect(e.details?.count).toBe(1);
  });

  it("bad time zone, role and kind name the line and the allowed values", async () => {
    const line5 = exampleLines[4] ?? "";
    let e = await failure("owners.csv", withLine(5, line5.replace("Europe/Amsterdam", "Europe/Amsterdamm")));
    expect(e.place).toEqual({ file: "owners.csv", line: 5 });
    expect(e.message).toBe(
      'time_zone "Europe/Amsterdamm" is not an IANA time zone (for example Europe/Amsterdam)',
    );

    e = await failure("owners.csv", withLine(5, line5.replace(",governance,", ",auditor,")));
    expect(e.message).toBe(
      'roles: "auditor" is not a role; use one of: security, system-owner, service-owner, governance, leadership',
    );
    e = await failure("owners.csv", withLine(5, line5.replace(",team,", ",robot,")));
    expect(e.message).toBe('kind "robot" is not allowed; use person or team');
  });

  it("duplicate owner_id and a missing required column", async () => {
    let e = await failure(
      "owners.csv",
      withLine(21, (exampleLines[9] ?? "").replace(/^app-platform/, "App-Platform")),
    );
    expect(e.place).toEqual({ file: "owners.csv", line: 21 });
    expect(e.message).toBe('owner_id "App-Platform" is used twice: line 10 and line 21');

    const noZone = exampleLines.map((l) => l.replace(/,[^,]*\/[^,]*,([^,]*,[^,]*)$/, ",$1"));
    noZone[0] = "owner_id,name,kind,roles,contact,escalates_to";
    e = await failure("owners.csv", noZone.join("\n"));
    expect(e.place).toEqual({ file: "owners.csv", line: 1 });
    expect(e.message).toBe("missing required column time_zone; required: owner_id, name, time_zone");
  });
});

describe("role synonyms and defaults", () => {
  it("maps accepted spellings and defaults kind to team", async () => {
    const owners = await parseText(
      "synonyms.csv",
      "Owner ID,Name,Type,Roles,TZ,Escalation\n" +
        "a,Alpha,,System Owner;patch owner,asia/kolkata,b\n" +
        'b,Beta,Person,"risk; Governance/Risk;GRC",Australia/Sydney,\n' +
        "c,Gamma,team,business owner | executive,UTC,a\n",
    );
    expect(owners).toEqual([
      {
        id: "a",
        name: "Alpha",
        kind: "team",
        roles: ["system-owner"],
        timeZone: "Asia/Kolkata",
        escalatesTo: "b",
      },
      { id: "b", name: "Beta", kind: "person", roles: ["governance"], timeZone: "Australia/Sydney" },
      {
        id: "c",
        name: "Gamma",
        kind: "team",
        roles: ["service-owner", "leadership"],
        timeZone: "UTC",
        escalatesTo: "a",
      },
    ]);
  });

  it("resolves escalation ids without case to the directory spelling", async () => {
    const owners = await parseText(
      "case.csv",
      "owner_id,name,time_zone,escalates_to\nLead,L,UTC,\nx,X,UTC,lead\n",
    );
    expect(owners[1]?.escalatesTo).toBe("Lead");
  });

  it("documents the columns in file order", () => {
    expect(OWNER_COLUMNS.map((c) => c.name)).toEqual((exampleLines[0] ?? "").split(","));
  });
});
