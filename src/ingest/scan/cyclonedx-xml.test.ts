import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseCycloneDxJson } from "./cyclonedx-json.js";
import { looksLikeCycloneDxXml, parseCycloneDxXml } from "./cyclonedx-xml.js";
import {
  claimedCorpusFiles,
  corpusInput,
  corpusText,
  findingOf,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const temp = scratchDir("cdx-xml");
const parse = async (file: string) => scanOf(await parseCycloneDxXml(corpusInput(file)));

describe("parseCycloneDxXml on the corpus", () => {
  it("reads the CycloneDX 1.0 SBOM with components only as a report with zero findings", async () => {
    const report = await parse("cyclonedx/cyclonedx_bom.xml");
    expect(report.scanner).toBe("cyclonedx");
    expect(report.reportTime).toBeUndefined();
    expect(report.assets).toEqual([{ key: "artifact:cyclonedx_bom.xml", artifact: "cyclonedx_bom.xml" }]);
    expect(report.findings).toEqual([]);
    expect(report.other).toEqual([]);
    expect(report.components).toHaveLength(73);
    expect(report.components[0]).toEqual({
      asset: "artifact:cyclonedx_bom.xml",
      software: { product: "asteval", version: "0.9.23", purl: "pkg:pypi/asteval@0.9.23" },
    });
    expect(report.components.find((c) => c.software.product === "celery")?.software.version).toBe("4.4.7");
  });

  it("reads grype 0.11's legacy vulnerability extension: 381 findings on their components", async () => {
    const report = await parse("cyclonedx/grype_0.11.0_dd_1_15_0.xml");
    expect(report.scanner).toBe("cyclonedx:grype");
    expect(report.scannerVersion).toBe("0.11.0");
    expect(report.reportTime).toBe("2021-05-03T08:25:05Z");
    expect(report.assets).toEqual([
      {
        key: "image:defectdojo/defectdojo-django:1.15.0",
        image: "defectdojo/defectdojo-django:1.15.0",
        imageDigest: "sha256:b914ffbdf28309f2f5fc46caf1a78bbd90f1e2786dd0f01b69c8b00a07a9d078",
      },
    ]);
    // 309 <component> elements, one of them listed twice.
    expect(report.components).toHaveLength(308);
    expect(report.findings).toHaveLength(381);
    expect(report.duplicates).toBe(0);
    const bySeverity: Record<string, number> = {};
    for (const f of report.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    expect(bySeverity).toEqual({ critical: 4, high: 28, medium: 175, low: 141, unknown: 33 });
    expect(report.findings.every((f) => f.status === "affected")).toBe(true);

    expect(findingOf(report, "CVE-2011-3374", "apt")).toEqual({
      fingerprint: "image:defectdojo/defectdojo-django:1.15.0|CVE-2011-3374|pkg:apt@1.8.2.1",
      asset: "image:defectdojo/defectdojo-django:1.15.0",
      vulnId: "CVE-2011-3374",
      aliases: [],
      package: { name: "apt", version: "1.8.2.1" },
      fixedVersions: [],
      severity: "low",
      cvss: [
        {
          version: "2.0",
          baseScore: 4.3,
          severity: "low",
          vector: "AV:N/AC:M/Au:N/C:N/I:P/A:N",
          source: "grype",
        },
      ],
      locations: [],
      status: "affected",
    });
    expect(findingOf(report, "CVE-2016-4318")).toMatchObject({
      title:
        "Atlassian JIRA Server before 7.1.9 has XSS in project/ViewDefaultProjectRoleActors.jspa via a role name.",
      package: { name: "jira", version: "2.0.0" },
      severity: "medium",
      cvss: [{ version: "3.0", baseScore: 4.8, vector: "CVSS:3.0/AV:N/AC:L/PR:H/UI:R/S:C/C:L/I:L/A:N" }],
    });
    // Rated "Unknown" with a zero base score and no method: no CVSS.
    expect(findingOf(report, "CVE-2021-25215", "bind9-host")).toMatchObject({
      severity: "unknown",
      cvss: [],
    });
    expect(report.findings.filter((f) => f.vulnId === "CVE-2021-25215")).toHaveLength(9);
    expect(report.findings.filter((f) => f.package?.name === "jira")).toHaveLength(110);
  });

  it("reads the 1.4 native vulnerabilities exactly as the same document in JSON", async () => {
    const xml = await parse("cyclonedx/valid-vulnerability-1.4.xml");
    const json = scanOf(await parseCycloneDxJson(corpusInput("cyclonedx/issue_8022.json")));
    expect(xml.assets).toEqual([
      { key: "artifact:valid-vulnerability-1.4.xml", artifact: "valid-vulnerability-1.4.xml" },
    ]);
    const strip = (r: typeof xml) => r.findings.map(({ fingerprint: _f, asset: _a, ...rest }) => rest);
    expect(strip(xml)).toEqual(strip(json));
    expect(xml.findings[0]).toMatchObject({
      vulnId: "CVE-2018-7489",
      aliases: ["SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111"],
      status: "not_affected",
      statusDetail: "code_not_reachable",
      severity: "critical",
      package: { name: "com.fasterxml.jackson.core:jackson-databind", version: "2.9.4", ecosystem: "maven" },
    });
    expect(xml.components.map((c) => c.software)).toEqual(json.components.map((c) => c.software));
  });

  it("reads a gzip-compressed copy the same way", async () => {
    const plain = corpusInput("cyclonedx/grype_0.11.0_dd_1_15_0.xml");
    const gz = temp("grype.xml.gz", gzipSync(readFileSync(plain.path)));
    const a = scanOf(await parseCycloneDxXml(plain));
    const b = scanOf(await parseCycloneDxXml(gz));
    expect(b.findings).toEqual(a.findings);
    expect(b.components).toEqual(a.components);
  });
});

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata>
    <timestamp>2024-03-01T12:00:00Z</timestamp>
    <tools>
      <components>
        <component type="application"><name>Trivy</name><version>0.50.1</version></component>
      </components>
    </tools>
    <component type="container" bom-ref="root">
      <name>registry.example.com/shop/api</name>
      <version>1.4.2</version>
      <components>
        <component type="library" bom-ref="inner"><name>inner-lib</name><version>0.1</version></component>
      </components>
    </component>
  </metadata>
`;

describe("parseCycloneDxXml rules", () => {
  it("reads tools as components, nested components, VEX analysis and unaffected versions", async () => {
    const xml = `${HEAD}  <components>
    <component type="library" bom-ref="pkg:npm/parent@1.0.0">
      <name>parent</name><version>1.0.0</version><purl>pkg:npm/parent@1.0.0</purl>
      <components>
        <component type="library" bom-ref="child"><group>@scope</group><name>child</name><version>2.0.0</version>
          <purl>pkg:npm/%40scope/child@2.0.0</purl>
          <evidence><occurrences><occurrence><location>/app/node_modules/@scope/child</location></occurrence></occurrences></evidence>
        </component>
      </components>
    </component>
  </components>
  <vulnerabilities>
    <vulnerability bom-ref="v1">
      <id>GHSA-xxxx-yyyy-zzzz</id>
      <source><name>GitHub</name></source>
      <references><reference><id>CVE-2024-1111</id><source><name>NVD</name></source></reference></references>
      <ratings><rating><source><name>NVD</name></source><score>8.1</score><severity>high</severity><method>CVSSv31</method><vector>CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H</vector></rating></ratings>
      <description><![CDATA[Prototype pollution in child]]></description>
      <analysis><state>in_triage</state></analysis>
      <affects>
        <target><ref>child</ref><versions><version><version>2.0.1</version><status>unaffected</status></version></versions></target>
        <target><ref>inner</ref></target>
      </affects>
    </vulnerability>
  </vulnerabilities>
</bom>
`;
    const report = scanOf(await parseCycloneDxXml(temp("nested.xml", xml)));
    expect(report.scanner).toBe("cyclonedx:trivy");
    expect(report.scannerVersion).toBe("0.50.1");
    expect(report.assets).toEqual([
      { key: "image:registry.example.com/shop/api:1.4.2", image: "registry.example.com/shop/api:1.4.2" },
    ]);
    expect(report.components.map((c) => c.software.product).sort()).toEqual(["child", "inner-lib", "parent"]);
    expect(report.findings).toHaveLength(2);
    expect(findingOf(report, "CVE-2024-1111", "@scope/child")).toMatchObject({
      aliases: ["GHSA-xxxx-yyyy-zzzz"],
      title: "Prototype pollution in child",
      fixedVersions: ["2.0.1"],
      status: "under_investigation",
      severity: "high",
      cvss: [{ version: "3.1", baseScore: 8.1, source: "trivy:nvd" }],
      locations: ["/app/node_modules/@scope/child"],
      package: {
        name: "@scope/child",
        version: "2.0.0",
        purl: "pkg:npm/%40scope/child@2.0.0",
        ecosystem: "npm",
      },
    });
    expect(findingOf(report, "CVE-2024-1111", "inner-lib").package).toEqual({
      name: "inner-lib",
      version: "0.1",
    });
  });

  it("streams a large legacy-extension BOM", async () => {
    const parts = [
      `<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.2" xmlns:v="http://cyclonedx.org/schema/ext/vulnerability/1.0" version="1">\n<components>\n`,
    ];
    for (let i = 0; i < 10_000; i++) {
      parts.push(
        `<component type="library"><name>lib${i}</name><version>1.${i}</version><v:vulnerabilities>` +
          `<v:vulnerability ref="urn:uuid:${i}"><v:id>CVE-2020-${10000 + i}</v:id><v:ratings><v:rating>` +
          `<v:score><v:base>5.0</v:base></v:score><v:severity>Medium</v:severity><v:method>CVSSv3</v:method>` +
          `</v:rating></v:ratings></v:vulnerability></v:vulnerabilities></component>\n`,
      );
    }
    parts.push("</components>\n</bom>\n");
    const input = temp("large.xml", parts.join(""));
    const started = Date.now();
    const report = scanOf(await parseCycloneDxXml(input));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(report.findings).toHaveLength(10_000);
    expect(report.components).toHaveLength(10_000);
    expect(findingOf(report, "CVE-2020-19999")).toMatchObject({
      package: { name: "lib9999", version: "1.9999" },
    });
  });

  it("rejects a truncated file with a PARSE_ERROR naming the line", async () => {
    const text = corpusText("cyclonedx/valid-vulnerability-1.4.xml");
    const cut = text.split("\n").slice(0, 40).join("\n");
    const error = await rejection(parseCycloneDxXml(temp("cut.xml", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place).toMatchObject({ file: "cut.xml", line: 40 });
    expect(error.message).toMatch(/^invalid XML: unclosed tag/);
  });

  it("rejects broken markup with the line of the fault", async () => {
    const xml = `${HEAD}  <components>\n    <component type="library"><name>a</name></componnt>\n  </components>\n</bom>\n`;
    const error = await rejection(parseCycloneDxXml(temp("broken.xml", xml)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.line).toBe(19);
  });

  it("rejects XML that is not a CycloneDX BOM, and components without a name", async () => {
    const other = await rejection(
      parseCycloneDxXml(
        temp("nessus.xml", '<?xml version="1.0"?>\n<NessusClientData_v2></NessusClientData_v2>\n'),
      ),
    );
    expect(other.code).toBe("VALIDATION_ERROR");
    expect(other.oneLine()).toBe(
      "nessus.xml:2: the root element is <NessusClientData_v2>, expected a CycloneDX <bom>",
    );

    const xml = `${HEAD}  <components>\n    <component type="library">\n      <version>1.0</version>\n    </component>\n  </components>\n</bom>\n`;
    const error = await rejection(parseCycloneDxXml(temp("noname.xml", xml)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("noname.xml:19: the <component> has no <name>");

    const score = `${HEAD}  <vulnerabilities><vulnerability><id>CVE-2020-1</id><ratings><rating><score>high</score></rating></ratings></vulnerability></vulnerabilities>\n</bom>\n`;
    expect((await rejection(parseCycloneDxXml(temp("score.xml", score)))).oneLine()).toBe(
      "score.xml:18: the score 'high' is not a number",
    );

    const empty = await rejection(parseCycloneDxXml(temp("empty.xml", "")));
    expect(empty.code).toBe("PARSE_ERROR");
  });
});

describe("looksLikeCycloneDxXml", () => {
  it("claims every CycloneDX XML file of the corpus and no other corpus file", async () => {
    const claimed = await claimedCorpusFiles(looksLikeCycloneDxXml);
    expect(claimed).toEqual([
      "cyclonedx/cyclonedx_bom.xml",
      "cyclonedx/grype_0.11.0_dd_1_15_0.xml",
      "cyclonedx/valid-vulnerability-1.4.xml",
    ]);
  });
});
