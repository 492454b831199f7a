import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { looksLikeQualysScanXml, parseQualysScanXml } from "./qualys-scan-xml.js";
import {
  claimedCorpusFiles,
  corpusInput,
  corpusText,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmp = scratchDir("qualys-scan-xml");

describe("parseQualysScanXml on the corpus", () => {
  it("reads the API export with comment lines around the root", async () => {
    const report = scanOf(await parseQualysScanXml(corpusInput("qualys/qualys_infrascan_webgui_3.xml")));
    expect(report.scanner).toBe("qualys");
    expect(report.reportTime).toBe("2019-04-02T10:14:53Z");
    expect(report.scope).toBe("Option Profile");
    // name="No registered hostname" is no name.
    expect(report.assets).toEqual([{ key: "ip:10.1.10.1", ip: "10.1.10.1", os: "Linux 2.6" }]);
    expect(report.findings).toEqual([
      {
        fingerprint: "ip:10.1.10.1|CVE-2002-0510|net:|82024",
        asset: "ip:10.1.10.1",
        vulnId: "CVE-2002-0510",
        aliases: ["qualys:82024"],
        title: "UDP Constant IP Identification Field Fingerprinting Vulnerability",
        fixedVersions: [],
        plugin: "82024",
        severity: "low",
        cvss: [{ version: "2.0", baseScore: 5, source: "qualys" }],
        locations: [],
        status: "affected",
      },
    ]);
    expect(report.other).toEqual([]);
  });

  it("reads the web GUI export: two hosts with confirmed, potential and information-gathered items", async () => {
    const report = scanOf(
      await parseQualysScanXml(corpusInput("qualys/qualys_infrascan_webgui_multiple.xml")),
    );
    expect(report.assets).toEqual([
      { key: "host:host1.example.com", ip: "10.1.10.1", fqdn: "host1.example.com", os: "Ubuntu 11" },
      { key: "host:host2.example.com", ip: "10.2.10.2", fqdn: "host2.example.com", os: "Ubuntu 11" },
    ]);
    // Per host: QID 82024 (1 CVE), QID 11 (none), QID 123168 (19 CVEs), PRACTICE 124848 (1 CVE).
    expect(report.findings).toHaveLength(44);
    const host1 = report.findings.filter((f) => f.asset === "host:host1.example.com");
    expect(host1).toHaveLength(22);
    expect(host1.find((f) => f.plugin === "11")).toMatchObject({ vulnId: "qualys:11", severity: "low" });
    const java = host1.filter((f) => f.plugin === "123168");
    expect(java).toHaveLength(19);
    expect(java[0]).toMatchObject({
      vulnId: "CVE-2014-6601",
      severity: "critical",
      title: "Oracle Java SE Critical Patch Update - January 2015",
      cvss: [
        { version: "2.0", baseScore: 10, source: "qualys" },
        { version: "3.0", baseScore: 3.4, source: "qualys" },
      ],
    });
    expect(host1.find((f) => f.plugin === "124848")).toMatchObject({
      vulnId: "CVE-2016-0636",
      severity: "critical",
      status: "affected",
      statusDetail: "potential",
    });
    expect(report.other).toHaveLength(16);
    expect(report.other.filter((o) => o.asset === "host:host2.example.com").map((o) => o.id)).toEqual([
      "82040",
      "82063",
      "6",
      "45304",
      "45376",
      "42017",
      "82023",
      "82004",
    ]);
    expect(report.other[0]).toEqual({
      kind: "informational",
      asset: "host:host1.example.com",
      id: "82040",
      title: "ICMP Replies Received",
      severity: "info",
    });
  });
});

const SCAN = (ips: string) => `<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE SCAN SYSTEM "https://qualysapi.qualys.com/scan-1.dtd">
<SCAN value="scan/1">
<HEADER>
  <KEY value="DATE">2024-03-01T12:00:00Z</KEY>
  <KEY value="TITLE"><![CDATA[DMZ weekly]]></KEY>
</HEADER>
${ips}
</SCAN>
`;

describe("parseQualysScanXml rules", () => {
  it("takes ports from CAT, NetBIOS names, the title as scope without an option profile; gzip", async () => {
    const xml = SCAN(`<IP value="10.0.0.1" name="web01">
  <OS>Windows</OS>
  <NETBIOS_HOSTNAME>WEB01</NETBIOS_HOSTNAME>
  <VULNS>
    <CAT value="Web server" port="443" protocol="tcp">
      <VULN number="38170" severity="2"><TITLE>SSL Certificate - Subject Common Name Does Not Match</TITLE></VULN>
      <VULN number="38170" severity="2"><TITLE>SSL Certificate - Subject Common Name Does Not Match</TITLE></VULN>
    </CAT>
  </VULNS>
</IP>
<IP value="10.0.0.2"><INFOS><CAT value="TCP/IP"><INFO number="82040" severity="1"><TITLE>ICMP</TITLE></INFO></CAT></INFOS></IP>`);
    const report = scanOf(await parseQualysScanXml(tmp("scan.xml.gz", gzipSync(xml))));
    expect(report.scope).toBe("DMZ weekly");
    expect(report.reportTime).toBe("2024-03-01T12:00:00Z");
    expect(report.assets).toEqual([
      { key: "host:web01", ip: "10.0.0.1", hostname: "web01", os: "Windows", netbios: "WEB01" },
      { key: "ip:10.0.0.2", ip: "10.0.0.2" },
    ]);
    expect(report.findings).toMatchObject([{ vulnId: "qualys:38170", port: "443/tcp", plugin: "38170" }]);
    expect(report.duplicates).toBe(1);
    expect(report.other).toEqual([
      { kind: "informational", asset: "ip:10.0.0.2", id: "82040", title: "ICMP", severity: "info" },
    ]);
  });
});

describe("parseQualysScanXml refuses broken input", () => {
  it("a truncated file is a PARSE_ERROR naming the file and line", async () => {
    const text = corpusText("qualys/qualys_infrascan_webgui_multiple.xml");
    const cut = text.slice(0, text.indexOf("<TITLE>", 3000) + 4);
    const error = await rejection(parseQualysScanXml(tmp("truncated.xml", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("truncated.xml");
    expect(error.place.line).toBe(cut.split("\n").length);
  });

  it("an undefined entity is a PARSE_ERROR at its line", async () => {
    const error = await rejection(
      parseQualysScanXml(tmp("entity.xml", SCAN('<IP value="1.2.3.4">\n&nbsp;</IP>'))),
    );
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.line).toBe(9);
    expect(error.message).toBe("invalid XML: undefined entity");
  });

  it("an IP without a value or a VULN without a QID is a VALIDATION_ERROR naming the line", async () => {
    const noIp = await rejection(parseQualysScanXml(tmp("noip.xml", SCAN('<IP name="x"></IP>'))));
    expect(noIp.oneLine()).toBe("noip.xml:8 at /SCAN/IP: <IP> without a value attribute");
    const noQid = await rejection(
      parseQualysScanXml(
        tmp(
          "noqid.xml",
          SCAN('<IP value="1.2.3.4"><VULNS><CAT value="x">\n<VULN severity="3"/></CAT></VULNS></IP>'),
        ),
      ),
    );
    expect(noQid.oneLine()).toBe(
      "noqid.xml:9 at /SCAN/IP/VULNS/CAT/VULN: <VULN> without a numeric QID number",
    );
  });

  it("an ASSET_DATA_REPORT is not a scan report", async () => {
    const error = await rejection(parseQualysScanXml(corpusInput("qualys/Qualys_Sample_Report.xml")));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("unexpected root element <ASSET_DATA_REPORT>");
  });
});

describe("looksLikeQualysScanXml", () => {
  it("claims exactly the Qualys SCAN XML reports of the corpus", async () => {
    expect(await claimedCorpusFiles(looksLikeQualysScanXml)).toEqual([
      "qualys/qualys_infrascan_webgui_3.xml",
      "qualys/qualys_infrascan_webgui_multiple.xml",
    ]);
  });
});
