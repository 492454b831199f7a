import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AdvisoryRecord } from "../core/types.js";
import { PatchlineError } from "../errors.js";
import { parseCsaf, rangeFromText, splitPurl } from "./csaf.js";
import type { ParseInput } from "./types.js";

const dir = path.resolve("../shared/corpus/csaf");
const corpus = (name: string): ParseInput => ({
  path: path.join(dir, name),
  displayName: `corpus/csaf/${name}`,
});
const tmp = mkdtempSync(path.join(tmpdir(), "patchline-csaf-"));

async function records(name: string): Promise<AdvisoryRecord[]> {
  const batch = await parseCsaf(corpus(name));
  if (batch.kind !== "advisories") throw new Error("expected advisories");
  return batch.records;
}

async function only(name: string): Promise<AdvisoryRecord> {
  const list = await records(name);
  expect(list).toHaveLength(1);
  return list[0] as AdvisoryRecord;
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

function variant(base: string, name: string, edit: (json: Record<string, unknown>) => void): ParseInput {
  const json = JSON.parse(readFileSync(path.join(dir, base), "utf8")) as Record<string, unknown>;
  edit(json);
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return { path: file, displayName: name };
}

describe("parseCsaf on the corpus", () => {
  it("imports every file", async () => {
    const counts: Record<string, number> = {};
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")))
      counts[name] = (await records(name)).length;
    expect(counts).toEqual({
      "2022-evd-uc-01-na-001.json": 1,
      "2022-evd-uc-03-ms-001.json": 19,
      "bsi-2022-0001.json": 1,
      "cisco-sa-20180328-smi2.json": 1,
      "icsa-17-061-01.json": 1,
      "icsa-22-195-16.json": 1,
      "icsa-23-243-04.json": 1,
      "rhsa-2019_1862.json": 1,
      "rhsa-2021_5217.json": 1,
      "rhsa-2023_3821.json": 3,
      "rhsa-2024_6163.json": 1,
      "va-24-254-01.json": 3,
    });
  });

  it("reads RHSA-2021:5217 with its vendor fix", async () => {
    const r = await only("rhsa-2021_5217.json");
    expect(r.id).toBe("CVE-2021-4133");
    expect(r.source).toBe("csaf");
    expect(r.sourceId).toBe("RHSA-2021:5217");
    expect(r.aliases).toEqual(["RHSA-2021:5217", "https://bugzilla.redhat.com/show_bug.cgi?id=2033602"]);
    expect(r.cwes).toEqual(["CWE-863"]);
    expect(r.remediations).toEqual([
      expect.objectContaining({
        category: "vendor_fix",
        url: "https://access.redhat.com/errata/RHSA-2021:5217",
        products: ["Red Hat Single Sign-On"],
      }),
    ]);
    expect(r.affected).toEqual([
      {
        vendor: "Red Hat",
        product: "Red Hat Single Sign-On",
        cpes: [],
        versions: [],
        defaultStatus: "unknown",
        fixedVersions: [],
      },
    ]);
    expect(r.notes).toEqual(["impact: Important"]);
    expect(r.published).toBe("2021-12-16T17:05:00Z");
  });

  it("reads ICSA-22-195-16: every remediation category, vers: ranges and a '<' range", async () => {
    const r = await only("icsa-22-195-16.json");
    expect(new Set(r.remediations.map((m) => m.category))).toEqual(
      new Set(["mitigation", "no_fix_planned", "vendor_fix", "workaround"]),
    );
    expect(r.remediations.find((m) => m.category === "vendor_fix")).toMatchObject({
      details: "Update to V4.40 or later version",
      products: ["EN100 Ethernet module IEC 61850 variant"],
    });
    const iec61850 = r.affected.find((a) => a.product === "EN100 Ethernet module IEC 61850 variant");
    expect(iec61850?.versions).toEqual([
      { version: "0", lessThan: "V4.40", versionType: "generic", status: "affected" },
    ]);
    expect(iec61850?.fixedVersions).toEqual(["V4.40"]);
    const dnp3 = r.affected.find((a) => a.product === "EN100 Ethernet module DNP3 IP variant");
    expect(dnp3?.versions).toEqual([{ version: "vers:all/*", versionType: "vers", status: "affected" }]);
    expect(dnp3?.defaultStatus).toBe("affected");
    expect(r.cvss).toEqual([
      expect.objectContaining({ version: "3.1", baseScore: 8.6, source: "csaf:ICSA-22-195-16" }),
    ]);
  });

  it("trims the vendor name and keeps known_not_affected as unaffected (ICSA-23-243-04)", async () => {
    const r = await only("icsa-23-243-04.json");
    expect(new Set(r.affected.map((a) => a.vendor))).toEqual(new Set(["Digi International, Inc."]));
    const unaffected = r.affected.filter((a) => a.defaultStatus === "unaffected").map((a) => a.product);
    expect(unaffected).toEqual(["Digi 6350-SR", "Digi ConnectCore 8X products"]);
    expect(r.affected.find((a) => a.product === "Digi RealPort for Windows")?.versions).toEqual([
      { version: "0", lessThanOrEqual: "4.8.488.0", versionType: "generic", status: "affected" },
    ]);
  });

  it("maps the VEX statuses (2022-EVD-UC-03-MS-001)", async () => {
    const list = await records("2022-evd-uc-03-ms-001.json");
    const statusOf = (id: string): string | undefined =>
      list.find((r) => r.id === id)?.affected[0]?.versions[0]?.status;
    expect(statusOf("CVE-2020-11896")).toBe("unknown"); // under_investigation
    expect(statusOf("CVE-2020-11897")).toBe("unaffected"); // known_not_affected
    expect(statusOf("CVE-2020-11898")).toBe("affected"); // known_affected
    expect(statusOf("CVE-2020-11901")).toBe("unaffected"); // fixed
    expect(list.find((r) => r.id === "CVE-2020-11901")?.affected[0]?.fixedVersions).toEqual(["17.4"]);
    expect(list.find((r) => r.id === "CVE-2020-11898")?.remediations.map((m) => m.category)).toEqual([
      "none_available",
    ]);
  });

  it("reads first_fixed and fixed with CPEs (BSI-2022-0001)", async () => {
    const r = await only("bsi-2022-0001.json");
    const converter = r.affected[0];
    expect(converter).toMatchObject({
      vendor: "CSAF Tools",
      product: "CVRF-CSAF-Converter",
      fixedVersions: ["1.0.0-rc2"],
    });
    expect(converter?.cpes).toHaveLength(6);
    expect(converter?.versions.filter((v) => v.status === "affected")).toHaveLength(5);
    expect(r.aliases).toEqual(["BSI-2022-0001", "csaf-tools/CVRF-CSAF-Converter#78"]);
  });

  it("resolves relationships to component-on-platform with purl, restart and fixed version (RHSA-2024:6163)", async () => {
    const r = await only("rhsa-2024_6163.json");
    expect(r.id).toBe("CVE-2024-8088");
    expect(r.affected).toHaveLength(3);
    expect(r.affected[0]).toEqual({
      vendor: "Red Hat",
      product: "Red Hat Enterprise Linux AppStream (v. 9)",
      component: "python3.9",
      purl: "pkg:rpm/redhat/python3.9",
      cpes: ["cpe:/a:redhat:enterprise_linux:9::appstream"],
      platforms: ["Red Hat Enterprise Linux AppStream (v. 9)"],
      versions: [{ version: "3.9.18-3.el9_4.5", versionType: "rpm", status: "unaffected" }],
      defaultStatus: "unknown",
      fixedVersions: ["3.9.18-3.el9_4.5"],
    });
    const fix = r.remediations.find((m) => m.category === "vendor_fix");
    expect(fix).toMatchObject({ restartRequired: "none", fixedVersion: "3.9.18-3.el9_4.5" });
    expect(fix?.products[0]).toBe(
      "python3.9-0:3.9.18-3.el9_4.5.src as a component of Red Hat Enterprise Linux AppStream (v. 9)",
    );
    expect(r.remediations.map((m) => m.category)).toEqual(["vendor_fix", "workaround"]);
    expect(r.notes).toContain("impact: Moderate");
  });

  it("groups a large Red Hat tree by platform and package (RHSA-2023:3821)", async () => {
    const list = await records("rhsa-2023_3821.json");
    expect(list.map((r) => r.id)).toEqual(["CVE-2021-33621", "CVE-2023-28755", "CVE-2023-28756"]);
    const ruby = list[0]?.affected.find(
      (a) => a.component === "ruby" && a.product.includes("AppStream (v. 8)"),
    );
    expect(ruby?.fixedVersions).toEqual(["2.7.8-139.module+el8.8.0+18745+f1bef313"]);
    expect(list[0]?.remediations[0]?.products).toHaveLength(142);
  });

  it("accepts Cisco's own document category and service-pack versions", async () => {
    const r = await only("cisco-sa-20180328-smi2.json");
    expect(r.id).toBe("CVE-2018-0171");
    expect(r.aliases).toEqual(["cisco-sa-20180328-smi2", "CSCvg76186"]);
    const ios = r.affected.find((a) => a.product === "IOS");
    expect(ios?.versions.some((v) => v.version === "12.2(55)SE" && v.status === "affected")).toBe(true);
    expect(r.remediations).toHaveLength(1);
    expect(r.remediations[0]?.category).toBe("workaround");
  });

  it("imports the informational advisory (EDGE CASE) as a notice with nothing affected", async () => {
    const r = await only("rhsa-2019_1862.json");
    expect(r.id).toBe("RHSA-2019:1862");
    expect(r.affected).toEqual([]);
    expect(r.remediations).toEqual([]);
    expect(r.notes).toEqual([
      "Informational advisory: it states no product status or remediation, so it cannot show what is affected.",
    ]);
    expect(r.description).toMatch(/^This is the one-month notification/);
  });

  it("keeps the CVE of a VEX 'not affected' statement with its impact threat", async () => {
    const r = await only("2022-evd-uc-01-na-001.json");
    expect(r.id).toBe("CVE-2021-44228");
    expect(r.affected[0]?.versions).toEqual([
      { version: "4.2", versionType: "generic", status: "unaffected" },
    ]);
    expect(r.notes).toEqual(["impact: Class with vulnerable code was removed before shipping."]);
  });

  it("reads fixed and affected products of the IBM VEX (VA-24-254-01)", async () => {
    const list = await records("va-24-254-01.json");
    expect(list.map((r) => r.id)).toEqual(["CVE-2024-45075", "CVE-2024-45076", "CVE-2024-45074"]);
    expect(list[0]?.affected[0]?.fixedVersions).toEqual(["Corefix 14"]);
  });
});

describe("parseCsaf without CVE ids", () => {
  it("keys vulnerabilities without a CVE by the tracking id", async () => {
    const input = variant("va-24-254-01.json", "nocve.json", (j) => {
      for (const v of j.vulnerabilities as Record<string, unknown>[]) delete v.cve;
      (j.vulnerabilities as Record<string, unknown>[]).splice(2);
    });
    const batch = await parseCsaf(input);
    expect(batch.kind === "advisories" && batch.records.map((r) => [r.id, r.aliases])).toEqual([
      ["VA-24-254-01#1", ["VA-24-254-01"]],
      ["VA-24-254-01#2", ["VA-24-254-01"]],
    ]);
  });
});

describe("parseCsaf errors", () => {
  it("names an unknown product id", async () => {
    const input = variant("va-24-254-01.json", "unknown-id.json", (j) => {
      const v = (j.vulnerabilities as { product_status: { known_affected: string[] } }[])[1];
      if (v) v.product_status.known_affected = ["CSAFPID-9999"];
    });
    const error = await rejection(parseCsaf(input));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe(
      "unknown-id.json at /vulnerabilities/1/product_status/known_affected/0: unknown product id 'CSAFPID-9999' (not in the product tree)",
    );
  });

  it("refuses a missing csaf_version and a security advisory without vulnerabilities", async () => {
    const noVersion = await rejection(
      parseCsaf(
        variant(
          "bsi-2022-0001.json",
          "nover.json",
          (j) => delete (j.document as Record<string, unknown>).csaf_version,
        ),
      ),
    );
    expect(noVersion.oneLine()).toBe(
      "nover.json at /document/csaf_version: missing required field 'csaf_version'",
    );
    const empty = await rejection(
      parseCsaf(variant("bsi-2022-0001.json", "novuln.json", (j) => delete j.vulnerabilities)),
    );
    expect(empty.oneLine()).toBe(
      "novuln.json at /vulnerabilities: a csaf_security_advisory document must list at least one vulnerability",
    );
  });

  it("refuses an unknown remediation category", async () => {
    const input = variant("bsi-2022-0001.json", "cat.json", (j) => {
      const v = (j.vulnerabilities as { remediations: { category: string }[] }[])[0];
      if (v?.remediations[0]) v.remediations[0].category = "reboot";
    });
    expect((await rejection(parseCsaf(input))).place.path).toBe("/vulnerabilities/0/remediations/0/category");
  });
});

describe("helpers", () => {
  it("splits a package URL", () => {
    expect(splitPurl("pkg:rpm/redhat/ruby@2.7.8-139.module%2Bel8?arch=x86_64&epoch=1")).toEqual({
      base: "pkg:rpm/redhat/ruby",
      type: "rpm",
      name: "ruby",
      version: "1:2.7.8-139.module+el8",
    });
    expect(splitPurl("pkg:npm/%40angular/core")).toEqual({
      base: "pkg:npm/%40angular/core",
      type: "npm",
      name: "core",
    });
    expect(splitPurl("not a purl")).toBeNull();
  });

  it("reads product_version_range names", () => {
    expect(rangeFromText("<= 1.07")).toEqual({
      version: "0",
      lessThanOrEqual: "1.07",
      versionType: "generic",
    });
    expect(rangeFromText("vers:semver/>=1.0|<2.0")).toEqual({
      version: "vers:semver/>=1.0|<2.0",
      versionType: "vers",
    });
    expect(rangeFromText("1.0 - 2.0")).toEqual({
      version: "1.0 - 2.0",
      versionType: "product_version_range",
    });
  });
});
