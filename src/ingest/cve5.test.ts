import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AdvisoryRecord } from "../core/types.js";
import { PatchlineError } from "../errors.js";
import { parseCve5 } from "./cve5.js";
import type { ParseInput } from "./types.js";

const dir = path.resolve("../shared/corpus/cve5");
const corpus = (name: string): ParseInput => ({
  path: path.join(dir, name),
  displayName: `corpus/cve5/${name}`,
});
const tmp = mkdtempSync(path.join(tmpdir(), "patchline-cve5-"));

async function record(name: string): Promise<AdvisoryRecord> {
  const batch = await parseCve5(corpus(name));
  if (batch.kind !== "advisories" || batch.records.length !== 1)
    throw new Error("expected one advisory record");
  return batch.records[0] as AdvisoryRecord;
}

async function rejection(promise: Promise<unknown>): Promise<PatchlineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}

function variant(name: string, edit: (json: Record<string, unknown>) => void): ParseInput {
  const json = JSON.parse(readFileSync(path.join(dir, "CVE-2024-3400.json"), "utf8")) as Record<
    string,
    unknown
  >;
  edit(json);
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return { path: file, displayName: name };
}

describe("parseCve5 on the corpus", () => {
  it("imports every record, one per file, keyed by its CVE id", async () => {
    const names = readdirSync(dir).filter((n) => n.endsWith(".json"));
    expect(names).toHaveLength(13);
    for (const name of names) {
      const r = await record(name);
      expect(r.id).toBe(name.replace(/\.json$/, ""));
      expect(r.source).toBe("cve5");
      expect(r.sourceId).toBe(r.id);
    }
  });

  it("reads CVE-2024-3400: SSVC, KEV, CNA and ADP versions, fixed versions", async () => {
    const r = await record("CVE-2024-3400.json");
    expect(r.state).toBe("published");
    expect(r.title).toBe(
      "PAN-OS: Arbitrary File Creation Leads to OS Command Injection Vulnerability in GlobalProtect",
    );
    expect(r.ssvc).toEqual({
      source: "CISA-ADP",
      exploitation: "active",
      automatable: "yes",
      technicalImpact: "total",
      timestamp: "2024-04-17T04:00:13.543064Z",
    });
    expect(r.kev?.dateAdded).toBe("2024-04-12");
    expect(r.cvss).toEqual([
      {
        version: "3.1",
        baseScore: 10,
        severity: "CRITICAL",
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
        source: "cna",
      },
    ]);
    expect(r.cwes).toEqual(["CWE-77", "CWE-20"]);
    const panos = r.affected.find((a) => a.product === "PAN-OS");
    expect(panos?.vendor).toBe("Palo Alto Networks");
    expect(panos?.defaultStatus).toBe("unaffected");
    // The ADP's "10.2.9-h1 " (stray space) folds into the CNA range; its 11.1 range is added.
    expect(panos?.fixedVersions).toEqual(["10.2.9-h1", "11.0.4-h1", "11.1.2-h3"]);
    expect(panos?.versions.filter((v) => v.status === "affected")).toHaveLength(3);
    expect(panos?.cpes).toContain("cpe:2.3:o:paloaltonetworks:pan-os:11.1.0:-:*:*:*:*:*:*");
    expect(r.affected.map((a) => a.product)).toEqual(["PAN-OS", "Cloud NGFW", "Prisma Access"]);
    expect(r.remediations.map((m) => m.category)).toEqual(["vendor_fix", "workaround"]);
    expect(r.remediations[0]?.details).toMatch(/^We strongly advise customers to immediately upgrade/);
    expect(r.references[0]).toEqual({
      url: "https://security.paloaltonetworks.com/CVE-2024-3400",
      tags: ["vendor-advisory"],
    });
    expect(r.published).toBe("2024-04-12T07:20:00.707Z");
    expect(r.modified).toBe("2024-08-01T20:12:06.667Z");
  });

  it("reads Log4Shell: fixed versions from changes, ADP CVSS and KEV", async () => {
    const r = await record("CVE-2021-44228.json");
    const log4j = r.affected[0];
    expect(log4j?.product).toBe("Apache Log4j2");
    expect(log4j?.fixedVersions).toEqual(["2.3.1", "2.12.2", "2.15.0"]);
    expect(log4j?.defaultStatus).toBe("unknown");
    expect(r.cvss).toEqual([
      expect.objectContaining({ version: "3.1", baseScore: 10, source: "adp:CISA-ADP" }),
    ]);
    expect(r.kev).toEqual({
      dateAdded: "2021-12-10",
      reference:
        "https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search_api_fulltext=CVE-2021-44228",
    });
    expect(r.cwes).toEqual(["CWE-502", "CWE-400", "CWE-20"]);
  });

  it("records a REJECTED record with its reason and nothing affected", async () => {
    const r = await record("CVE-2024-26613.json");
    expect(r.state).toBe("rejected");
    expect(r.description).toBe("This CVE ID has been rejected or withdrawn by its CVE Numbering Authority.");
    expect(r.affected).toEqual([]);
    expect(r.modified).toBe("2024-03-12T13:43:25.228Z");
  });

  it("imports the legacy record and reads its zone-less date as UTC", async () => {
    const r = await record("CVE-2021-26917.json");
    expect(r.published).toBe("2021-02-08T22:22:51Z");
    expect(r.modified).toBe("2021-02-08T22:22:51Z");
    expect(r.affected).toEqual([
      {
        vendor: "n/a",
        product: "n/a",
        cpes: [],
        versions: [{ version: "n/a", status: "affected" }],
        defaultStatus: "unknown",
        fixedVersions: [],
      },
    ]);
    expect(r.cvss).toEqual([]);
    expect(r.references[0]?.tags).toEqual(["x_refsource_misc"]);
    expect(r.notes).toContain("The CVE record is tagged disputed.");
  });

  it("takes affected products, CWE and CVSS from the ADP when the CNA gave none", async () => {
    const r = await record("CVE-2024-28159.json");
    expect(r.cwes).toEqual(["CWE-862"]);
    expect(r.cvss.map((c) => c.source)).toEqual(["adp:CISA-ADP"]);
    expect(r.affected.map((a) => `${a.vendor}/${a.product}`)).toEqual([
      "Jenkins Project/Jenkins Subversion Partial Release Manager Plugin",
      "jenkins/subversion_partial_release_manager",
    ]);
    expect(r.affected[0]?.versions[0]).toEqual({
      version: "0",
      lessThanOrEqual: "1.0.1",
      versionType: "maven",
      status: "affected",
    });
    expect(r.ssvc).toMatchObject({ exploitation: "none", automatable: "no", technicalImpact: "total" });

    const moveit = await record("CVE-2023-34362.json");
    // The CNA's "n/a" placeholder gives way to the products the ADP names.
    expect(moveit.affected.map((a) => a.product)).toEqual(["moveit_transfer", "moveit_cloud"]);
    expect(moveit.affected[0]?.fixedVersions).toContain("2023.0.2");
  });

  it("adds the ADP's CPE-named product next to the CNA's", async () => {
    const r = await record("CVE-2024-31188.json");
    expect(r.affected.map((a) => a.vendor)).toEqual([
      "Open Networking Foundation (ONF)",
      "open_networking_foundation",
    ]);
    expect(r.affected[1]?.cpes).toEqual([
      "cpe:2.3:a:open_networking_foundation:libfluid:0.1.0:*:*:*:*:*:*:*",
    ]);
    expect(r.remediations.map((m) => m.category)).toEqual(["workaround"]);
  });

  it("reads CVSS 2.0, 3.0, 3.1 and 4.0 and prefers the English description", async () => {
    const vuldb = await record("CVE-2023-4847.json");
    expect(vuldb.cvss.map((c) => c.version).sort()).toEqual(["2.0", "3.0", "3.1"]);
    expect(vuldb.cvss.find((c) => c.version === "2.0")?.severity).toBeUndefined();
    expect(vuldb.description).toMatch(/SourceCodester Simple Book Catalog App 1\.0/);
    expect(vuldb.ssvc?.exploitation).toBe("poc");
    const v4 = await record("CVE-2024-35214.json");
    expect(v4.cvss).toEqual([expect.objectContaining({ version: "4.0", source: "cna" })]);
    expect(v4.cwes).toEqual(["CWE-288"]);
  });

  it("reads dataVersion 5.2 and a CWE named only in the description", async () => {
    const r = await record("CVE-2024-7264.json");
    expect(r.cwes).toEqual(["CWE-125"]);
    expect(r.affected[0]?.versions[0]?.versionType).toBe("semver");
  });

  it("derives fixed versions from open-ended unaffected ranges, not from git commits", async () => {
    const linux = await record("CVE-2025-21631.json");
    expect(linux.affected).toHaveLength(2);
    expect(linux.affected[0]?.fixedVersions).toEqual([]);
    expect(linux.affected[1]?.fixedVersions).toEqual(["5.15.177", "6.1.125", "6.6.72", "6.12.10", "6.13"]);
    const ssh = await record("CVE-2024-6387.json");
    expect(ssh.affected[0]).toMatchObject({ vendor: "n/a", product: "OpenSSH", component: "OpenSSH" });
    const rhel9 = ssh.affected.find((a) => a.product === "Red Hat Enterprise Linux 9");
    expect(rhel9).toMatchObject({
      component: "openssh",
      defaultStatus: "affected",
      fixedVersions: ["0:8.7p1-38.el9_4.1"],
    });
    // The CNA lists RHEL 9 twice, word for word: kept once.
    expect(ssh.affected.filter((a) => a.product === "Red Hat Enterprise Linux 9")).toHaveLength(1);
  });
});

describe("parseCve5 errors", () => {
  it("refuses a document that is not a CVE record", async () => {
    const error = await rejection(parseCve5(variant("other.json", (j) => (j.dataType = "OSV"))));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("other.json at /dataType: not a CVE 5 record: dataType is 'OSV'");
  });

  it("refuses an unsupported dataVersion and a bad state", async () => {
    expect((await rejection(parseCve5(variant("v4.json", (j) => (j.dataVersion = "4.0"))))).place.path).toBe(
      "/dataVersion",
    );
    const state = await rejection(
      parseCve5(
        variant("state.json", (j) => ((j.cveMetadata as Record<string, unknown>).state = "RESERVED")),
      ),
    );
    expect(state.oneLine()).toBe(
      "state.json at /cveMetadata/state: expected PUBLISHED or REJECTED, found 'RESERVED'",
    );
  });

  it("names the pointer of a bad version status", async () => {
    const error = await rejection(
      parseCve5(
        variant("status.json", (j) => {
          const cna = (j.containers as { cna: { affected: { versions: { status: string }[] }[] } }).cna;
          (cna.affected[0]?.versions[4] as { status: string }).status = "vulnerable";
        }),
      ),
    );
    expect(error.oneLine()).toBe(
      "status.json at /containers/cna/affected/0/versions/4/status: expected affected, unaffected or unknown, found 'vulnerable'",
    );
  });

  it("gives line and column for a truncated record", async () => {
    const text = readFileSync(path.join(dir, "CVE-2024-7264.json"), "utf8");
    const file = path.join(tmp, "cut.json");
    writeFileSync(file, text.slice(0, text.length / 2));
    const error = await rejection(parseCve5({ path: file, displayName: "cut.json" }));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.line).toBeGreaterThan(1);
    expect(error.place.column).toBeGreaterThan(0);
    expect(error.oneLine()).toMatch(/^cut\.json:\d+:\d+: invalid JSON: /);
  });

  it("accepts a JSON array of records and names the element of a bad one", async () => {
    const one = JSON.parse(readFileSync(path.join(dir, "CVE-2024-3400.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const two = JSON.parse(readFileSync(path.join(dir, "CVE-2024-26613.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const file = path.join(tmp, "many.json");
    writeFileSync(file, JSON.stringify([one, two]));
    const batch = await parseCve5({ path: file, displayName: "many.json" });
    expect(batch.kind === "advisories" && batch.records.map((r) => r.id)).toEqual([
      "CVE-2024-3400",
      "CVE-2024-26613",
    ]);
    writeFileSync(
      file,
      JSON.stringify([one, { ...two, cveMetadata: { cveId: "CVE-24", state: "PUBLISHED" } }]),
    );
    const error = await rejection(parseCve5({ path: file, displayName: "many.json" }));
    expect(error.place.path).toBe("/1/cveMetadata/cveId");
  });
});
