import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AdvisoryRecord } from "../core/types.js";
import { looksLikeNvd, parseNvd } from "./nvd.js";
import {
  advisoriesOf,
  CORPUS,
  corpusHeads,
  corpusInput,
  corpusText,
  productOf,
  rejection,
  scratchDir,
} from "./scan/testing/fixtures.js";
import type { ParseInput } from "./types.js";

const dir = path.join(CORPUS, "nvd");
const PAGE = "nvd_api2_page_2023-10-18_38results.json";
const corpus = (name: string): ParseInput => corpusInput(`nvd/${name}`);
const writeVariant = scratchDir("nvd");

async function records(input: ParseInput): Promise<AdvisoryRecord[]> {
  return advisoriesOf(await parseNvd(input));
}

async function record(name: string, id?: string): Promise<AdvisoryRecord> {
  const list = await records(corpus(name));
  const found = id ? list.find((r) => r.id === id) : list[0];
  if (!found) throw new Error(`no record ${id ?? ""} in ${name}`);
  return found;
}

type Json = Record<string, unknown>;

/** CVE-2016-1585's response with its cve object edited. */
function variant(name: string, edit: (cve: Json, root: Json) => void): ParseInput {
  const root = JSON.parse(corpusText("nvd/CVE-2016-1585.json")) as Json;
  const cve = (root.vulnerabilities as { cve: Json }[])[0]?.cve as Json;
  edit(cve, root);
  return writeVariant(name, JSON.stringify(root, null, 2));
}

describe("parseNvd on the corpus", () => {
  it("imports every response: one record per vulnerabilities[] entry", async () => {
    const counts: Record<string, number> = {};
    for (const name of readdirSync(dir)) counts[name] = (await records(corpus(name))).length;
    expect(counts).toEqual({
      "CVE-2014-1424.json": 1,
      "CVE-2016-1585.json": 1,
      "CVE-2023-4863.json": 1,
      "CVE-2023-5341.json": 1,
      "CVE-2024-3094.json": 1,
      [PAGE]: 38,
    });
    for (const name of readdirSync(dir).filter((n) => n !== PAGE)) {
      const r = await record(name);
      expect(r.id).toBe(name.replace(/\.json$/, ""));
      expect([r.source, r.sourceId, r.state]).toEqual(["nvd", r.id, "published"]);
    }
  });

  it("reads the Deferred CVE-2014-1424: CVSS v2 only, bounds, duplicate references merged", async () => {
    const r = await record("CVE-2014-1424.json");
    expect(r.published).toBe("2014-11-24T15:59:00.09Z");
    expect(r.modified).toBe("2025-04-12T10:46:40.837Z");
    expect(r.description).toMatch(
      /^apparmor_parser in the apparmor package before 2\.8\.95~2430-0ubuntu5\.1/,
    );
    expect(r.cvss).toEqual([
      {
        version: "2.0",
        baseScore: 6.4,
        severity: "MEDIUM",
        vector: "AV:N/AC:L/Au:N/C:N/I:P/A:P",
        source: "nvd",
      },
    ]);
    expect(r.cwes).toEqual(["CWE-264"]);
    expect(r.affected).toEqual([
      {
        vendor: "ubuntu",
        product: "apparmor",
        cpes: ["cpe:2.3:a:ubuntu:apparmor:*:*:*:*:*:*:*:*"],
        versions: [
          { version: "0", lessThanOrEqual: "2.8.94-0ubuntu1.4", versionType: "generic", status: "affected" },
        ],
        defaultStatus: "unaffected",
        fixedVersions: [],
      },
      {
        vendor: "canonical",
        product: "ubuntu",
        cpes: ["cpe:2.3:o:canonical:ubuntu:14.04:*:*:*:lts:*:*:*"],
        versions: [{ version: "14.04", versionType: "generic", status: "affected" }],
        defaultStatus: "unaffected",
        fixedVersions: [],
      },
    ]);
    expect(r.references).toEqual([
      { url: "http://www.ubuntu.com/usn/USN-2413-1", tags: ["patch", "vendor-advisory"] },
    ]);
    expect(r.notes).toEqual([
      "NVD status Deferred: NVD does not plan to analyse this CVE further; its data may be incomplete or out of date.",
    ]);
  });

  it("reads CVE-2016-1585: v3.1, v3.0 and v2 scores with their sources, three fixed branches", async () => {
    const r = await record("CVE-2016-1585.json");
    expect(r.cvss.map((c) => [c.version, c.baseScore, c.severity, c.source])).toEqual([
      ["3.1", 9.8, "CRITICAL", "nvd"],
      ["3.0", 3.9, "LOW", "nvd:security@ubuntu.com"],
      ["2.0", 7.5, "HIGH", "nvd"],
    ]);
    // NVD-CWE-noinfo names no weakness.
    expect(r.cwes).toEqual([]);
    const apparmor = productOf(r, "canonical", "apparmor");
    expect(apparmor.versions).toEqual([
      { version: "0", lessThan: "2.13.10", versionType: "generic", status: "affected" },
      { version: "3.0.0", lessThan: "3.0.12", versionType: "generic", status: "affected" },
      { version: "3.1.0", lessThan: "3.1.6", versionType: "generic", status: "affected" },
    ]);
    expect(apparmor.fixedVersions).toEqual(["2.13.10", "3.0.12", "3.1.6"]);
    expect(r.notes).toEqual([]);
  });

  it("reads CVE-2023-4863: KEV fields, many products, ESR branches", async () => {
    const r = await record("CVE-2023-4863.json");
    expect(r.kev).toEqual({ dateAdded: "2023-09-13" });
    expect(r.title).toBe("Google Chromium WebP Heap-Based Buffer Overflow Vulnerability");
    expect(r.notes).toEqual([
      "CISA KEV: added 2023-09-13, action due 2023-10-04: Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.",
    ]);
    expect(r.cvss).toEqual([
      {
        version: "3.1",
        baseScore: 8.8,
        severity: "HIGH",
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
        source: "nvd",
      },
    ]);
    expect(r.cwes).toEqual(["CWE-787"]);
    expect(r.affected.map((p) => `${p.vendor}:${p.product}`)).toEqual([
      "google:chrome",
      "fedoraproject:fedora",
      "debian:debian_linux",
      "mozilla:firefox",
      "mozilla:firefox_esr",
      "mozilla:thunderbird",
      "microsoft:edge",
      "webmproject:libwebp",
    ]);
    expect(productOf(r, "google", "chrome").fixedVersions).toEqual(["116.0.5845.187"]);
    expect(productOf(r, "mozilla", "firefox_esr").versions).toEqual([
      { version: "0", lessThan: "102.15.1", versionType: "generic", status: "affected" },
      { version: "115.0", lessThan: "115.2.1", versionType: "generic", status: "affected" },
    ]);
    expect(productOf(r, "fedoraproject", "fedora").versions.map((v) => v.version)).toEqual([
      "37",
      "38",
      "39",
    ]);
    expect(productOf(r, "fedoraproject", "fedora").cpes).toHaveLength(3);
    expect(r.references).toHaveLength(44);
  });

  it("reads CVE-2023-5341 (Undergoing Analysis): CNA score only, no configurations", async () => {
    const r = await record("CVE-2023-5341.json");
    expect(r.cvss).toEqual([
      {
        version: "3.1",
        baseScore: 6.2,
        severity: "MEDIUM",
        vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
        source: "nvd:secalert@redhat.com",
      },
    ]);
    expect(r.cwes).toEqual(["CWE-416"]);
    expect(r.affected).toEqual([]);
    expect(r.published).toBe("2023-11-19T10:15:49.433Z");
    expect(r.notes).toEqual([
      "NVD status Undergoing Analysis: NVD's analysis is in progress; scores and product configurations may change.",
    ]);
    expect(r.references.map((x) => x.tags)).toEqual([[], [], []]);
  });

  it("reads CVE-2024-3094: the SSVC block, CPE versions and the CNA's affected data", async () => {
    const r = await record("CVE-2024-3094.json");
    expect(r.ssvc).toEqual({
      source: "CISA-ADP",
      exploitation: "none",
      automatable: "yes",
      technicalImpact: "total",
      timestamp: "2024-04-02T04:00:23.138684Z",
    });
    expect(r.cvss.map((c) => [c.baseScore, c.source])).toEqual([
      [10, "nvd:secalert@redhat.com"],
      [10, "nvd"],
    ]);
    expect(r.cwes).toEqual(["CWE-506"]);
    expect(productOf(r, "tukaani", "xz").versions).toEqual([
      { version: "5.6.0", versionType: "generic", status: "affected" },
      { version: "5.6.1", versionType: "generic", status: "affected" },
    ]);
    const upstream = productOf(r, "n/a", "xz");
    expect(upstream).toMatchObject({ component: "xz", defaultStatus: "unaffected" });
    expect(upstream.versions).toEqual([
      { version: "5.6.0", status: "affected" },
      { version: "5.6.1", status: "affected" },
    ]);
    const rhel9 = productOf(r, "Red Hat", "Red Hat Enterprise Linux 9");
    expect(rhel9).toMatchObject({
      cpes: ["cpe:/o:redhat:enterprise_linux:9"],
      defaultStatus: "unaffected",
      versions: [],
    });
    expect(r.affected).toHaveLength(8);
    // 59 references, 55 distinct URLs.
    expect(r.references).toHaveLength(55);
  });

  it("reads the 38-result page: statuses, platforms, update versions, inclusive ends", async () => {
    const list = await records(corpus(PAGE));
    const awaiting = list.filter((r) => r.notes.some((n) => n.startsWith("NVD status Awaiting Analysis")));
    expect(awaiting).toHaveLength(13);
    expect(list.filter((r) => r.affected.length > 0)).toHaveLength(25);
    expect(list.every((r) => r.state === "published")).toBe(true);

    const ibm = list.find((r) => r.id === "CVE-2022-22377") as AdvisoryRecord;
    expect(ibm.affected).toEqual([
      {
        vendor: "ibm",
        product: "security_verify_privilege_on-premises",
        cpes: ["cpe:2.3:a:ibm:security_verify_privilege_on-premises:*:*:*:*:*:*:*:*"],
        versions: [{ version: "0", lessThan: "11.5", versionType: "generic", status: "affected" }],
        defaultStatus: "unaffected",
        fixedVersions: ["11.5"],
        platforms: ["cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*", "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"],
      },
    ]);
    expect(ibm.cwes).toEqual(["CWE-311"]);

    const ontap = productOf(
      list.find((r) => r.id === "CVE-2023-27314") as AdvisoryRecord,
      "netapp",
      "clustered_data_ontap",
    );
    expect(ontap.versions.map((v) => v.version)).toEqual([
      "9.0",
      "9.8",
      "9.8p7",
      "9.9.1",
      "9.9.1p3",
      "9.10.0",
      "9.10.1",
      "9.12.0",
      "9.13.0",
    ]);
    expect(ontap.versions[0]).toEqual({
      version: "9.0",
      lessThan: "9.8",
      versionType: "generic",
      status: "affected",
    });
    // "< 9.8" is no fix when 9.8 itself is listed as affected.
    expect(ontap.fixedVersions).toEqual([]);

    const mysql = list.find((r) => r.id === "CVE-2023-22068") as AdvisoryRecord;
    expect(productOf(mysql, "oracle", "mysql").versions).toEqual([
      { version: "8.0", lessThanOrEqual: "8.0.34", versionType: "generic", status: "affected" },
      { version: "8.1.0", versionType: "generic", status: "affected" },
    ]);
    expect(mysql.cvss.map((c) => c.source)).toEqual(["nvd:secalert_us@oracle.com"]);

    const wordpress = list.find((r) => r.id === "CVE-2023-45109") as AdvisoryRecord;
    expect(wordpress.affected[0]?.versions).toEqual([
      { version: "0", lessThanOrEqual: "1.1.5", versionType: "generic", status: "affected" },
    ]);
    expect(wordpress.cvss.map((c) => [c.baseScore, c.source])).toEqual([
      [8.8, "nvd"],
      [5.4, "nvd:audit@patchstack.com"],
    ]);

    const bare = list.find((r) => r.id === "CVE-2023-43250") as AdvisoryRecord;
    expect([bare.cvss, bare.cwes, bare.affected, bare.references.length]).toEqual([[], [], [], 4]);
  });
});

describe("parseNvd on variants", () => {
  it("imports a Rejected CVE as state rejected without products", async () => {
    const list = await records(
      variant("rejected.json", (cve) => {
        cve.vulnStatus = "Rejected";
        cve.descriptions = [{ lang: "en", value: "** REJECT ** DO NOT USE THIS CANDIDATE NUMBER." }];
      }),
    );
    expect(list[0]).toMatchObject({
      id: "CVE-2016-1585",
      state: "rejected",
      description: "** REJECT ** DO NOT USE THIS CANDIDATE NUMBER.",
      affected: [],
      cvss: [],
    });
  });

  it("keeps versionStartExcluding as a range with its start version unaffected", async () => {
    const list = await records(
      variant("start-excluding.json", (cve) => {
        cve.configurations = [
          {
            nodes: [
              {
                operator: "OR",
                negate: false,
                cpeMatch: [
                  {
                    vulnerable: true,
                    criteria: "cpe:2.3:a:canonical:apparmor:*:*:*:*:*:*:*:*",
                    versionStartExcluding: "3.0.0",
                    versionEndIncluding: "3.0.11",
                  },
                ],
              },
            ],
          },
        ];
      }),
    );
    expect(list[0]?.affected[0]?.versions).toEqual([
      { version: "3.0.0", versionType: "generic", status: "unaffected" },
      { version: "3.0.0", lessThanOrEqual: "3.0.11", versionType: "generic", status: "affected" },
    ]);
    expect(list[0]?.affected[0]?.fixedVersions).toEqual([]);
  });

  it("refuses the retired NVD 1.1 feed layout", async () => {
    const feed = writeVariant(
      "nvdcve-1.1-2023.json",
      JSON.stringify({
        CVE_data_type: "CVE",
        CVE_data_format: "MITRE",
        CVE_data_version: "4.0",
        CVE_Items: [],
      }),
    );
    const error = await rejection(parseNvd(feed));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("NVD 1.1 JSON feeds are retired; use the API 2.0 format");
    expect(looksLikeNvd(readFileSync(feed.path, "utf8"))).toBe(true);
  });

  it("refuses a truncated response with a PARSE_ERROR naming the line", async () => {
    const text = corpusText("nvd/CVE-2014-1424.json");
    const cut = text.slice(0, text.indexOf('"weaknesses"'));
    const error = await rejection(parseNvd(writeVariant("truncated.json", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("truncated.json");
    expect(error.place.line).toBe(cut.split("\n").length);
  });

  it("refuses wrong structure with a VALIDATION_ERROR naming the pointer", async () => {
    const format = await rejection(
      parseNvd(variant("cpe-api.json", (_cve, root) => (root.format = "NVD_CPE"))),
    );
    expect(format.oneLine()).toBe(
      "cpe-api.json at /format: expected format 'NVD_CVE' (the CVE API), found 'NVD_CPE'",
    );
    const id = await rejection(parseNvd(variant("bad-id.json", (cve) => (cve.id = "CVE-16-1585"))));
    expect(id.place).toEqual({ file: "bad-id.json", path: "/vulnerabilities/0/cve/id" });
    const score = await rejection(
      parseNvd(
        variant("no-score.json", (cve) => {
          const metrics = cve.metrics as { cvssMetricV31: { cvssData: Json }[] };
          delete metrics.cvssMetricV31[0]?.cvssData.baseScore;
        }),
      ),
    );
    expect(score.place.path).toBe("/vulnerabilities/0/cve/metrics/cvssMetricV31/0/cvssData/baseScore");
    const noList = await rejection(parseNvd(writeVariant("empty-object.json", "{}")));
    expect(noList.oneLine()).toBe(
      "empty-object.json at /vulnerabilities: missing required field 'vulnerabilities'",
    );
    const date = await rejection(parseNvd(variant("date.json", (cve) => (cve.published = "soon"))));
    expect(date.place.path).toBe("/vulnerabilities/0/cve/published");
  });
});

describe("looksLikeNvd", () => {
  it("detects every NVD corpus file and claims no other corpus file", async () => {
    const claimed: string[] = [];
    let nvdFiles = 0;
    for (const { dir: corpusDir, name, head } of await corpusHeads()) {
      const detected = looksLikeNvd(head);
      if (corpusDir === "nvd") {
        nvdFiles++;
        expect(detected, name).toBe(true);
      } else if (detected) claimed.push(`${corpusDir}/${name}`);
    }
    expect(nvdFiles).toBe(6);
    expect(claimed).toEqual([]);
  });

  it("recognises a response without its envelope fields", () => {
    const text = corpusText("nvd/CVE-2023-5341.json").replace(/"format": "NVD_CVE",/, "");
    expect(text).not.toContain("NVD_CVE");
    expect(looksLikeNvd(text)).toBe(true);
    expect(looksLikeNvd('{"vulnerabilities": [{"cveID": "CVE-2021-44228"}]}')).toBe(false);
  });
});
