import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { looksLikeCycloneDxJson, parseCycloneDxJson } from "./cyclonedx-json.js";
import {
  claimedCorpusFiles,
  corpusFiles,
  corpusInput,
  corpusText,
  findingOf,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const temp = scratchDir("cdx-json");
const parse = async (file: string) => scanOf(await parseCycloneDxJson(corpusInput(file)));

describe("parseCycloneDxJson on the corpus", () => {
  it("reads the SecObserve VEX document: exploitable, in_triage and not_affected with justification", async () => {
    const report = await parse("cyclonedx/cyclonedx_vex_integrated.json");
    expect(report.scanner).toBe("cyclonedx");
    expect(report.scannerVersion).toBeUndefined();
    expect(report.reportTime).toBe("2024-07-14T11:17:57.668593Z");
    expect(report.assets).toEqual([{ key: "artifact:VEX_Test", artifact: "VEX_Test" }]);
    expect(report.components).toHaveLength(9);
    expect(report.findings).toHaveLength(13);
    const notAffected = findingOf(report, "CVE-2023-49083");
    expect(notAffected).toMatchObject({
      status: "not_affected",
      statusDetail: "requires_configuration",
      package: {
        name: "cryptography",
        version: "41.0.5",
        purl: "pkg:pypi/cryptography@41.0.5",
        ecosystem: "pypi",
      },
      severity: "unknown",
    });
    expect(findingOf(report, "CVE-2024-4340")).toMatchObject({
      status: "under_investigation",
      package: { name: "sqlparse", version: "0.4.4" },
    });
    expect(report.findings.filter((f) => f.status === "affected")).toHaveLength(11);
    // "Upgrade … to version …" is prose, not a structured fixed version.
    expect(findingOf(report, "CVE-2024-1135")).toMatchObject({ fixedVersions: [], status: "affected" });
    expect(report.findings.filter((f) => f.package?.name === "cryptography")).toHaveLength(4);
  });

  it("reads grype 0.73 (CycloneDX 1.5, tools as components) with a container subject", async () => {
    const report = await parse("cyclonedx/grype_3.json");
    expect(report.scanner).toBe("cyclonedx:grype");
    expect(report.scannerVersion).toBe("0.73.5");
    expect(report.reportTime).toBe("2024-01-03T12:21:59Z");
    expect(report.assets).toEqual([
      { key: "image:example/example-backend:dev", image: "example/example-backend:dev" },
    ]);
    expect(report.components).toEqual([
      {
        asset: "image:example/example-backend:dev",
        software: {
          product: "busybox",
          version: "1.36.1-r15",
          purl: "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.0",
          cpe: "cpe:2.3:a:busybox:busybox:1.36.1-r15:*:*:*:*:*:*:*",
        },
      },
    ]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toEqual({
      fingerprint: "image:example/example-backend:dev|CVE-2023-42363|pkg:busybox@1.36.1-r15",
      asset: "image:example/example-backend:dev",
      vulnId: "CVE-2023-42363",
      aliases: [],
      title:
        "A use-after-free vulnerability was discovered in xasprintf function in xfuncs_printf.c:344 in BusyBox v.1.36.1.",
      package: {
        name: "busybox",
        version: "1.36.1-r15",
        purl: "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.0",
        ecosystem: "apk",
      },
      fixedVersions: [],
      severity: "medium",
      cvss: [
        {
          version: "3.1",
          baseScore: 5.5,
          severity: "medium",
          vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H",
          source: "grype",
        },
      ],
      locations: ["/lib/apk/db/installed"],
      status: "affected",
    });
  });

  it("reads the VEX-style 1.4 document: Snyk id with a CVE reference, not_affected", async () => {
    const report = await parse("cyclonedx/issue_8022.json");
    // No metadata at all: the file itself is the subject.
    expect(report.assets).toEqual([{ key: "artifact:issue_8022.json", artifact: "issue_8022.json" }]);
    expect(report.scanner).toBe("cyclonedx");
    expect(report.reportTime).toBeUndefined();
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      vulnId: "CVE-2018-7489",
      aliases: ["SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111"],
      package: {
        name: "com.fasterxml.jackson.core:jackson-databind",
        version: "2.9.4",
        purl: "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4",
        ecosystem: "maven",
      },
      severity: "critical",
      cvss: [
        {
          version: "3.0",
          baseScore: 9.8,
          severity: "critical",
          vector: "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
          source: "cyclonedx:nvd",
        },
      ],
      status: "not_affected",
      statusDetail: "code_not_reachable",
      fixedVersions: [],
    });
    expect(report.components[0]?.software).toEqual({
      product: "jackson-databind",
      vendor: "com.fasterxml.jackson.core",
      version: "2.9.4",
      purl: "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4",
    });
  });

  it("reads jake's OSS Index results: CVE from references, the OSS Index UUID kept as an alias", async () => {
    const report = await parse("cyclonedx/jake2.json");
    expect(report.scanner).toBe("cyclonedx:cyclonedx-python-lib");
    expect(report.scannerVersion).toBe("1.3.0");
    expect(report.reportTime).toBe("2022-01-28T07:05:16.397158Z");
    expect(report.components).toHaveLength(67);
    expect(report.components.map((c) => c.software.product)).toContain("jake");
    expect(report.findings.map((f) => f.vulnId).sort()).toEqual([
      "CVE-2018-14574",
      "CVE-2018-6188",
      "CVE-2018-7536",
      "CVE-2018-7537",
      "CVE-2019-3498",
      "CVE-2019-6975",
      "CVE-2021-33203",
    ]);
    expect(report.findings.every((f) => f.package?.name === "Django" && f.package.version === "2.0")).toBe(
      true,
    );
    expect(findingOf(report, "CVE-2021-33203")).toMatchObject({
      aliases: ["cyclonedx:cyclonedx-python-lib:c7129ff8-08bc-4afe-82ec-7d97b9491741"],
      severity: "high",
      cvss: [{ version: "3.0", baseScore: 7.5, source: "cyclonedx-python-lib:oss index" }],
      status: "affected",
    });
    expect(findingOf(report, "CVE-2018-7536").severity).toBe("medium");
  });

  it("reads grype's log4j scan: in_triage, GHSA ids kept, severity from the severity-only rating", async () => {
    const report = await parse("cyclonedx/log4j.json");
    expect(report.scanner).toBe("cyclonedx:grype");
    expect(report.scannerVersion).toBe("0.41.0");
    expect(report.reportTime).toBe("2022-07-22T08:45:32Z");
    const artifact = "./configuration/.m2/repository/org/apache/logging/log4j/log4j-core/2.13.2";
    expect(report.assets).toEqual([{ key: `artifact:${artifact}`, artifact }]);
    expect(report.findings).toHaveLength(8);
    expect(report.findings.every((f) => f.status === "under_investigation")).toBe(true);
    const log4shell = findingOf(report, "CVE-2021-44228");
    expect(log4shell.severity).toBe("critical");
    expect(log4shell.package).toEqual({
      name: "org.apache.logging.log4j:log4j-core",
      version: "2.13.2",
      purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2",
      ecosystem: "maven",
    });
    expect(log4shell.cvss).toEqual([
      { version: "2.0", baseScore: 10, vector: "AV:N/AC:M/Au:N/C:C/I:C/A:C", source: "grype" },
      {
        version: "3.1",
        baseScore: 10,
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
        source: "grype",
      },
    ]);
    expect(findingOf(report, "GHSA-p6xc-xr62-6r2g").severity).toBe("high");
    expect(findingOf(report, "CVE-2021-44832").severity).toBe("medium");
  });

  it("reads Trivy 0.48 (CycloneDX 1.5): image with digest, several affects, a ref to no component", async () => {
    const report = await parse("cyclonedx/trivy_issue_9277.json");
    expect(report.scanner).toBe("cyclonedx:trivy");
    expect(report.scannerVersion).toBe("0.48.1");
    expect(report.reportTime).toBe("2024-01-04T15:25:30Z");
    expect(report.assets).toEqual([
      {
        key: "image:ubuntu:latest",
        image: "ubuntu:latest",
        imageDigest: "sha256:6042500cf4b44023ea1894effe7890666b0c5c7871ed83a97c36c76ae560bb9b",
      },
    ]);
    expect(report.components).toHaveLength(102);
    expect(report.components.find((c) => c.software.product === "ubuntu")?.software).toEqual({
      product: "ubuntu",
      version: "22.04",
    });
    // 10 vulnerabilities, 14 affected packages.
    expect(report.findings).toHaveLength(14);
    expect(report.findings.filter((f) => f.vulnId === "CVE-2022-27943").map((f) => f.package?.name)).toEqual([
      "gcc-12-base",
      "libgcc-s1",
      "libstdc++6",
    ]);
    const coreutils = findingOf(report, "CVE-2016-2781");
    expect(coreutils.package).toMatchObject({
      name: "coreutils",
      version: "8.32-4.1ubuntu1",
      ecosystem: "deb",
    });
    expect(coreutils.severity).toBe("medium"); // highest rating (ubuntu says low, nvd and redhat medium)
    expect(coreutils.cvss.map((c) => `${c.source} ${c.version} ${c.baseScore}`)).toEqual([
      "trivy:nvd 2.0 2.1",
      "trivy:nvd 3.0 6.5",
      "trivy:redhat 2.0 6.2",
      "trivy:redhat 3.0 8.6",
    ]);
    // The tar ref matches no component: the finding stays on the image, the package read from the purl.
    expect(findingOf(report, "TEMP-0290435-0B57B5")).toMatchObject({
      asset: "image:ubuntu:latest",
      package: {
        name: "tar",
        version: "1.30+dfsg-6",
        purl: "pkg:deb/debian/tar@1.30%2Bdfsg-6?arch=amd64&distro=debian-10.12",
        ecosystem: "deb",
      },
      severity: "low",
      status: "affected",
    });
  });

  it("reads current Trivy (CycloneDX 1.7, tools.components) for an npm project", async () => {
    const report = await parse("cyclonedx/trivy_npm-cyclonedx.json");
    expect(report.scanner).toBe("cyclonedx:trivy");
    expect(report.scannerVersion).toBe("dev");
    expect(report.reportTime).toBe("2021-08-25T12:20:30Z");
    expect(report.assets).toEqual([
      { key: "artifact:testdata/fixtures/repo/npm", artifact: "testdata/fixtures/repo/npm" },
    ]);
    // 13 components; the package-lock.json grouping node has no version or purl.
    expect(report.components).toHaveLength(12);
    expect(report.components.some((c) => c.software.product === "package-lock.json")).toBe(false);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      vulnId: "CVE-2019-11358",
      package: { name: "jquery", version: "3.3.9", purl: "pkg:npm/jquery@3.3.9", ecosystem: "npm" },
      severity: "medium",
      status: "affected",
    });
    expect(report.findings[0]?.cvss).toHaveLength(3);
  });

  it("reads a gzip-compressed copy the same way", async () => {
    const plain = corpusInput("cyclonedx/grype_3.json");
    const gz = temp("grype_3.json.gz", gzipSync(readFileSync(plain.path)));
    const a = scanOf(await parseCycloneDxJson(plain));
    const b = scanOf(await parseCycloneDxJson(gz));
    expect(b.findings).toEqual(a.findings);
  });
});

function bom(extra: Record<string, unknown>): string {
  return JSON.stringify(
    {
      bomFormat: "CycloneDX",
      specVersion: "1.5",
      metadata: {
        timestamp: "2024-05-01T10:00:00+02:00",
        tools: [{ name: "Test Tool", version: "1.0" }],
        component: { "bom-ref": "app", type: "application", name: "shop", version: "2.1.0" },
      },
      components: [
        {
          "bom-ref": "c1",
          type: "library",
          name: "lodash",
          version: "4.17.20",
          purl: "pkg:npm/lodash@4.17.20",
        },
        { "bom-ref": "c2", type: "library", group: "@babel", name: "core", version: "7.0.0" },
      ],
      ...extra,
    },
    null,
    2,
  );
}

describe("parseCycloneDxJson rules", () => {
  it("maps VEX states, fixed versions from unaffected versions, and severity none to an informational item", async () => {
    const input = temp(
      "vex.json",
      bom({
        vulnerabilities: [
          {
            id: "CVE-2021-23337",
            ratings: [{ severity: "high", score: 7.2, method: "CVSSv31" }],
            affects: [
              {
                ref: "c1",
                versions: [
                  { version: "4.17.20", status: "affected" },
                  { version: "4.17.21", status: "unaffected" },
                ],
              },
            ],
          },
          { id: "CVE-2020-0001", analysis: { state: "resolved" }, affects: [{ ref: "c1" }] },
          { id: "CVE-2020-0002", analysis: { state: "false_positive" }, affects: [{ ref: "c1" }] },
          {
            id: "CVE-2020-0003",
            analysis: { state: "exploitable", response: ["will_not_fix"] },
            affects: [{ ref: "c2" }],
          },
          { id: "GHSA-aaaa-bbbb-cccc", ratings: [{ severity: "none" }], affects: [{ ref: "c1" }] },
          { id: "CVE-2020-0004", analysis: { state: "resolved_with_pedigree" }, affects: [{ ref: "app" }] },
          { id: "CVE-2020-0005", affects: [{ ref: "not-in-this-bom" }] },
          { id: "OSV-2020-1", references: [{ id: "CVE-2020-0006" }, { id: "CVE-2020-0007" }], affects: [] },
        ],
      }),
    );
    const report = scanOf(await parseCycloneDxJson(input));
    expect(report.scanner).toBe("cyclonedx:test-tool");
    expect(report.reportTime).toBe("2024-05-01T08:00:00Z");
    expect(report.assets).toEqual([{ key: "artifact:shop@2.1.0", artifact: "shop@2.1.0" }]);
    expect(findingOf(report, "CVE-2021-23337")).toMatchObject({
      fixedVersions: ["4.17.21"],
      status: "fixed",
      severity: "high",
      cvss: [{ version: "3.1", baseScore: 7.2, severity: "high", source: "test-tool" }],
    });
    expect(findingOf(report, "CVE-2020-0001").status).toBe("resolved");
    expect(findingOf(report, "CVE-2020-0002")).toMatchObject({
      status: "not_affected",
      statusDetail: "false_positive",
    });
    expect(findingOf(report, "CVE-2020-0003")).toMatchObject({
      status: "will_not_fix",
      package: { name: "@babel/core", version: "7.0.0" },
    });
    expect(findingOf(report, "CVE-2020-0004")).toMatchObject({
      status: "resolved",
      statusDetail: "resolved_with_pedigree",
      package: { name: "shop", version: "2.1.0" },
    });
    // A ref to nothing in the BOM: kept on the subject, the ref as the package name.
    expect(findingOf(report, "CVE-2020-0005")).toMatchObject({
      asset: "artifact:shop@2.1.0",
      package: { name: "not-in-this-bom" },
    });
    // Several CVEs in references: one finding each, the own id as alias; no affects → the subject.
    expect(findingOf(report, "CVE-2020-0006")).toMatchObject({
      aliases: ["OSV-2020-1"],
      package: { name: "shop" },
    });
    expect(findingOf(report, "CVE-2020-0007").aliases).toEqual(["OSV-2020-1"]);
    expect(report.findings.some((f) => f.vulnId === "GHSA-aaaa-bbbb-cccc")).toBe(false);
    expect(report.other).toEqual([
      {
        kind: "informational",
        asset: "artifact:shop@2.1.0",
        id: "GHSA-aaaa-bbbb-cccc",
        severity: "info",
        location: "pkg:npm/lodash@4.17.20",
      },
    ]);
  });

  it("merges the same vulnerability listed twice for one component and counts the duplicate", async () => {
    const vuln = { id: "CVE-2021-23337", affects: [{ ref: "c1" }] };
    const report = scanOf(await parseCycloneDxJson(temp("dup.json", bom({ vulnerabilities: [vuln, vuln] }))));
    expect(report.findings).toHaveLength(1);
    expect(report.duplicates).toBe(1);
  });

  it("rejects a truncated file with a PARSE_ERROR naming the line", async () => {
    const text = corpusText("cyclonedx/grype_3.json");
    const error = await rejection(parseCycloneDxJson(temp("cut.json", text.slice(0, 1500))));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("cut.json");
    expect(error.place.line).toBe(53); // the 1500th character is on line 53
    expect(error.oneLine()).toMatch(/^cut\.json:53:\d+: invalid JSON: unexpected end of the document/);
  });

  it("rejects documents of the wrong structure with a VALIDATION_ERROR naming the place", async () => {
    const notBom = await rejection(parseCycloneDxJson(temp("spdx.json", '{"spdxVersion": "SPDX-2.3"}')));
    expect(notBom.oneLine()).toBe("spdx.json at /bomFormat: missing required field 'bomFormat'");

    const noName = JSON.parse(bom({})) as { components: Record<string, unknown>[] };
    delete noName.components[1]?.name;
    const error = await rejection(parseCycloneDxJson(temp("noname.json", JSON.stringify(noName))));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("noname.json at /components/1/name: missing required field 'name'");

    const badScore = bom({
      vulnerabilities: [{ id: "CVE-2020-1", ratings: [{ score: "high" }], affects: [] }],
    });
    expect((await rejection(parseCycloneDxJson(temp("score.json", badScore)))).oneLine()).toBe(
      'score.json at /vulnerabilities/0/ratings/0/score: expected a number, found the string "high"',
    );

    const noId = bom({ vulnerabilities: [{ affects: [{ ref: "c1" }] }] });
    expect((await rejection(parseCycloneDxJson(temp("noid.json", noId)))).oneLine()).toBe(
      "noid.json at /vulnerabilities/0: the vulnerability has no id",
    );

    const badTime = bom({}).replace("2024-05-01T10:00:00+02:00", "yesterday");
    expect((await rejection(parseCycloneDxJson(temp("time.json", badTime)))).oneLine()).toBe(
      "time.json at /metadata/timestamp: 'yesterday' is not a date-time",
    );
  });
});

describe("looksLikeCycloneDxJson", () => {
  it("claims every CycloneDX JSON file of the corpus and no other corpus file", async () => {
    const claimed = await claimedCorpusFiles(looksLikeCycloneDxJson);
    expect(claimed).toEqual(corpusFiles().filter((f) => f.startsWith("cyclonedx/") && f.endsWith(".json")));
    expect(claimed).toHaveLength(7);
  });
});
