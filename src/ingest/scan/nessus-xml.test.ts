import { createWriteStream, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseNessusXml } from "./nessus-xml.js";
import { corpusInput, corpusText, findingOf, rejection, scanOf, scratchDir } from "./testing/fixtures.js";

const tmpFile = scratchDir("nessus-xml");

const HOST = (name: string, tags: string, items: string): string =>
  `<ReportHost name="${name}"><HostProperties>${tags}</HostProperties>${items}</ReportHost>`;
const TAG = (name: string, value: string): string => `<tag name="${name}">${value}</tag>`;
const ITEM = (attrs: string, body = ""): string =>
  `<ReportItem port="443" svc_name="www" protocol="tcp" ${attrs}>${body}</ReportItem>`;
const DOC = (hosts: string, policy = "<Policy><policyName>Weekly</policyName></Policy>"): string =>
  `<?xml version="1.0" ?>\n<NessusClientData_v2>\n${policy}\n<Report name="r1">\n${hosts}\n</Report>\n</NessusClientData_v2>\n`;

describe("parseNessusXml on the corpus", () => {
  it("nessus_many_vuln.xml: one host with only informational results", async () => {
    const r = scanOf(await parseNessusXml(corpusInput("nessus/nessus_many_vuln.xml")));
    expect(r.scanner).toBe("nessus");
    expect(r.scannerVersion).toBe("5.2.1");
    expect(r.scope).toBe("Web App Tests");
    // HOST_END "Tue Jun 25 10:39:42 2013", local time taken as UTC.
    expect(r.reportTime).toBe("2013-06-25T10:39:42Z");
    expect(r.assets).toEqual([
      {
        key: "host:preprod.boardvantage.net",
        fqdn: "preprod.boardvantage.net",
        ip: "12.233.108.201",
        os: "CISCO PIX 7.0",
      },
    ]);
    expect(r.findings).toEqual([]);
    expect(r.other).toHaveLength(7);
    expect(r.other.every((o) => o.kind === "informational" && o.severity === "info")).toBe(true);
    expect(r.other.filter((o) => o.id === "11219").map((o) => o.location)).toEqual(["443/tcp", "264/tcp"]);
    expect(r.other.find((o) => o.id === "19506")).toEqual({
      kind: "informational",
      asset: "host:preprod.boardvantage.net",
      id: "19506",
      title: "Nessus Scan Information",
      severity: "info",
    });
  });

  it("nessus_with_cvssv3.nessus: one finding per CVE, versions from plugin output", async () => {
    const r = scanOf(await parseNessusXml(corpusInput("nessus/nessus_with_cvssv3.nessus")));
    expect(r.scanner).toBe("nessus");
    expect(r.scannerVersion).toBe("10.1.1");
    expect(r.scope).toBe("Basic Network Scan");
    // HOST_END_TIMESTAMP 1648044472 wins over HOST_END "Wed Mar 23 15:07:52 2022" (scanner local time).
    expect(r.reportTime).toBe("2022-03-23T14:07:52Z");
    expect(r.assets).toEqual([
      {
        key: "host:testphp.vulnweb.com",
        fqdn: "testphp.vulnweb.com",
        ip: "44.228.249.3",
        os: "Linux Kernel 2.6",
      },
    ]);
    // 26 items with severity > 0 naming 145 CVE-or-plugin results; 2 CVEs repeat across PHP plugins.
    expect(r.findings).toHaveLength(143);
    expect(r.duplicates).toBe(2);
    expect(r.other).toHaveLength(23);
    expect(r.findings.every((f) => f.asset === "host:testphp.vulnweb.com")).toBe(true);

    const cgi = findingOf(r, "CVE-2012-1823");
    expect(cgi).toMatchObject({
      aliases: ["nessus:58988"],
      title: "PHP < 5.3.12 / 5.4.2 CGI Query String Code Execution",
      package: { name: "php", version: "5.1.6" },
      fixedVersions: ["5.3.12", "5.4.2"],
      port: "80/tcp",
      plugin: "58988",
      severity: "high",
      status: "fixed",
      locations: ["http://testphp.vulnweb.com/secured/phpinfo.php"],
    });
    expect(cgi.cvss).toEqual([
      { version: "2.0", baseScore: 7.5, vector: "AV:N/AC:L/Au:N/C:P/I:P/A:P", source: "nessus" },
    ]);

    // Named by plugins 24907 (fixed in 5.2.1) and 25368 (fixed in 5.2.3): merged into one.
    const merged = findingOf(r, "CVE-2007-1887");
    expect(merged.aliases.sort()).toEqual(["nessus:24907", "nessus:25368"]);
    expect(merged.fixedVersions).toEqual(["5.2.1", "5.2.3"]);

    const noCve = findingOf(r, "nessus:142591");
    expect(noCve.cvss).toEqual([
      { version: "2.0", baseScore: 5, vector: "AV:N/AC:L/Au:N/C:N/I:N/A:P", source: "nessus" },
      {
        version: "3.0",
        baseScore: 7.5,
        vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
        source: "nessus",
      },
    ]);
    expect(noCve.fixedVersions).toEqual(["7.3.24"]);
    expect(noCve.locations).toEqual(["http://testphp.vulnweb.com/"]);

    // Two "PHP Unsupported Version Detection" results for two installed versions.
    const unsupported = r.findings.filter((f) => f.vulnId === "nessus:58987");
    expect(unsupported.map((f) => f.package?.version).sort()).toEqual([
      "5.1.6",
      "5.6.40-38+ubuntu20.04.1+deb.sury.org+1",
    ]);
    expect(unsupported.every((f) => f.status === "end_of_life" && f.severity === "critical")).toBe(true);

    const browsable = findingOf(r, "nessus:40984");
    expect(browsable.package).toBeUndefined();
    expect(browsable.status).toBe("affected");
    expect(browsable.severity).toBe("medium");
    expect(findingOf(r, "nessus:26194").severity).toBe("low");

    // Severity 0 with a CVE (ICMP timestamp, CVE-1999-0524) is informational, not a finding.
    expect(r.findings.some((f) => f.vulnId === "CVE-1999-0524")).toBe(false);
    expect(r.other.find((o) => o.id === "10114")?.title).toBe(
      "ICMP Timestamp Request Remote Date Disclosure",
    );
  });

  it("nessus_was_one_vuln.xml: Tenable WAS, the asset is the application URL", async () => {
    const r = scanOf(await parseNessusXml(corpusInput("nessus/nessus_was_one_vuln.xml")));
    expect(r.scanner).toBe("tenable-was");
    expect(r.scope).toBe("google.com");
    expect(r.reportTime).toBe("2021-03-12T14:35:34.341269Z");
    expect(r.assets).toEqual([{ key: "url:http://google.com/", url: "http://google.com/" }]);
    expect(r.other).toEqual([]);
    expect(r.findings).toEqual([
      {
        fingerprint: "url:http://google.com/|tenable-was:98104|net:80/tcp|98104",
        asset: "url:http://google.com/",
        vulnId: "tenable-was:98104",
        aliases: [],
        title: "Cross-Site Scripting (XSS)",
        fixedVersions: [],
        port: "80/tcp",
        plugin: "98104",
        severity: "high",
        cvss: [
          { version: "2.0", baseScore: 7.5, source: "tenable-was" },
          { version: "3.0", baseScore: 7.1, source: "tenable-was" },
        ],
        locations: ["http://google.com/search.jsp"],
        status: "affected",
      },
    ]);
  });
});

describe("parseNessusXml on crafted reports", () => {
  it("records every host, takes the latest host end, and reads v4 scores and EPSS", async () => {
    const xml = DOC(
      HOST(
        "10.0.0.5",
        TAG("HOST_END", "Mon Mar  4 10:00:00 2024") +
          TAG("mac-address", "00:11:22:33:44:55\naa:bb:cc:dd:ee:ff"),
        ITEM(
          'severity="0" pluginID="19506" pluginName="Nessus Scan Information"',
          "<plugin_output>Nessus version : 10.7.2\n</plugin_output>",
        ),
      ) +
        HOST(
          "web01",
          TAG("host-fqdn", "web01.example.com") +
            TAG("netbios-name", "WEB01") +
            TAG("HOST_START", "Tue Mar  5 09:00:00 2024") +
            TAG("HOST_END", "Tue Mar  5 11:30:00 2024"),
          ITEM(
            'severity="4" pluginID="500001" pluginName="Example"',
            "<cve>CVE-2024-0001</cve><cve>cve-2024-0002</cve><cvss4_base_score>9.3</cvss4_base_score>" +
              "<cvss4_vector>CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N</cvss4_vector>" +
              "<epss_score>0.0456</epss_score><description><![CDATA[long <text> skipped]]></description>",
          ) +
            ITEM('severity="2" pluginID="500002" pluginName="Network"') +
            `<ReportItem port="0" svc_name="general" protocol="tcp" severity="1" pluginID="500003" pluginName="Host"><risk_factor>Low</risk_factor></ReportItem>`,
        ),
    );
    const r = scanOf(await parseNessusXml(tmpFile("crafted.nessus", xml)));
    expect(r.scannerVersion).toBe("10.7.2");
    expect(r.scope).toBe("Weekly");
    expect(r.reportTime).toBe("2024-03-05T11:30:00Z");
    expect(r.assets).toEqual([
      { key: "ip:10.0.0.5", ip: "10.0.0.5", mac: "00:11:22:33:44:55" },
      { key: "host:web01.example.com", fqdn: "web01.example.com", hostname: "web01", netbios: "WEB01" },
    ]);
    expect(r.findings.map((f) => f.vulnId)).toEqual([
      "CVE-2024-0001",
      "CVE-2024-0002",
      "nessus:500002",
      "nessus:500003",
    ]);
    const first = findingOf(r, "CVE-2024-0001");
    expect(first.cvss).toEqual([
      {
        version: "4.0",
        baseScore: 9.3,
        vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        source: "nessus",
      },
    ]);
    expect(first.epss).toEqual({ score: 0.0456 });
    expect(first.severity).toBe("critical");
    expect(first.aliases).toEqual(["nessus:500001"]);
    // Port 0 is host-level: no port.
    expect(findingOf(r, "nessus:500003").port).toBeUndefined();
  });

  it("merges a result the report states twice, counting the duplicate", async () => {
    const item = ITEM('severity="3" pluginID="7" pluginName="Twice"', "<cve>CVE-2020-0001</cve>");
    const r = scanOf(await parseNessusXml(tmpFile("twice.nessus", DOC(HOST("10.0.0.9", "", item + item)))));
    expect(r.findings).toHaveLength(1);
    expect(r.duplicates).toBe(1);
  });

  it("takes an empty Report as a valid report with no findings", async () => {
    const r = scanOf(await parseNessusXml(tmpFile("empty-report.nessus", DOC(""))));
    expect(r).toMatchObject({ scanner: "nessus", scope: "Weekly", assets: [], findings: [], other: [] });
    expect(r.reportTime).toBeUndefined();
  });

  it("reads a gzip-compressed report", async () => {
    const text = readFileSync(corpusInput("nessus/nessus_was_one_vuln.xml").path);
    const r = scanOf(await parseNessusXml(tmpFile("was.nessus.gz", gzipSync(text))));
    expect(r.findings.map((f) => f.vulnId)).toEqual(["tenable-was:98104"]);
  });

  it("streams a large report", async () => {
    const file = path.join(tmpFile.dir, "large.nessus");
    const out = createWriteStream(file);
    const filler = "x".repeat(4000);
    out.write('<?xml version="1.0" ?>\n<NessusClientData_v2><Report name="big">\n');
    for (let h = 0; h < 500; h++) {
      let host = `<ReportHost name="10.1.${h >> 8}.${h & 255}"><HostProperties></HostProperties>`;
      for (let i = 0; i < 10; i++) {
        host += ITEM(
          `severity="${i % 5}" pluginID="${1000 + i}" pluginName="P${i}"`,
          `<description>${filler}</description><cve>CVE-2023-${String(1000 + i)}</cve>`,
        );
      }
      out.write(`${host}</ReportHost>\n`);
    }
    out.end("</Report></NessusClientData_v2>\n");
    await new Promise<void>((resolve) => out.on("close", () => resolve()));
    const r = scanOf(await parseNessusXml({ path: file, displayName: "large.nessus" }));
    expect(r.assets).toHaveLength(500);
    expect(r.findings).toHaveLength(500 * 8);
    expect(r.other).toHaveLength(500 * 2);
  });
});

describe("parseNessusXml refuses broken files", () => {
  const text = corpusText("nessus/nessus_with_cvssv3.nessus");

  it("a truncated file: PARSE_ERROR naming the file and line", async () => {
    const cut = text.slice(0, Math.floor(text.length / 2));
    const error = await rejection(parseNessusXml(tmpFile("cut.nessus", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("cut.nessus");
    expect(error.place.line).toBe(cut.split("\n").length);
    expect(error.message).toMatch(/^invalid XML: /);
  });

  it("malformed XML: PARSE_ERROR at the line and column", async () => {
    const broken = DOC(HOST("10.0.0.1", "", ITEM('severity="2" pluginID="1"', "<cve>CVE-2020-1</cv>")));
    const error = await rejection(parseNessusXml(tmpFile("bad.nessus", broken)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.line).toBe(5);
    expect(error.place.column).toBeGreaterThan(1);
    expect(error.oneLine()).toMatch(/^bad\.nessus:5:\d+: invalid XML: /);
  });

  it("an empty file", async () => {
    const error = await rejection(parseNessusXml(tmpFile("empty.nessus", "")));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toBe("the file is empty");
  });

  it("another root element: VALIDATION_ERROR", async () => {
    const error = await rejection(
      parseNessusXml(tmpFile("v1.nessus", "<NessusClientData><Report/></NessusClientData>")),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe(
      "v1.nessus:1: expected a Nessus v2 report (root element <NessusClientData_v2>), found <NessusClientData>",
    );
  });

  it("a policy export with no Report: VALIDATION_ERROR", async () => {
    const error = await rejection(
      parseNessusXml(
        tmpFile(
          "policy.nessus",
          "<NessusClientData_v2><Policy><policyName>p</policyName></Policy></NessusClientData_v2>",
        ),
      ),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toMatch(/no <Report> element/);
  });

  it("a ReportItem without pluginID, with a bad severity or a bad CVSS score: VALIDATION_ERROR at its line", async () => {
    const noPlugin = DOC(HOST("10.0.0.1", "", `\n${ITEM('severity="2"')}`));
    let error = await rejection(parseNessusXml(tmpFile("noplugin.nessus", noPlugin)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("noplugin.nessus:6: a ReportItem on host '10.0.0.1' has no pluginID");

    const badSeverity = DOC(HOST("10.0.0.1", "", ITEM('severity="9" pluginID="12"')));
    error = await rejection(parseNessusXml(tmpFile("sev.nessus", badSeverity)));
    expect(error.message).toBe("ReportItem (plugin 12) on host '10.0.0.1': severity '9' is not 0 to 4");

    const badScore = DOC(
      HOST("10.0.0.1", "", ITEM('severity="2" pluginID="13"', "<cvss_base_score>high</cvss_base_score>")),
    );
    error = await rejection(parseNessusXml(tmpFile("score.nessus", badScore)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.place.line).toBe(5);
    expect(error.message).toBe(
      "ReportItem (plugin 13) on host '10.0.0.1': cvss_base_score 'high' is not a CVSS score (0.0 to 10.0)",
    );
  });

  it("a ReportHost without a name: VALIDATION_ERROR", async () => {
    const error = await rejection(
      parseNessusXml(tmpFile("noname.nessus", DOC("<ReportHost><HostProperties/></ReportHost>"))),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("a ReportHost has no name attribute");
  });
});
