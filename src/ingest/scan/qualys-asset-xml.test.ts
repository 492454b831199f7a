import { describe, expect, it } from "vitest";
import { looksLikeQualysAssetXml, parseQualysAssetXml } from "./qualys-asset-xml.js";
import {
  claimedCorpusFiles,
  corpusInput,
  corpusText,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmp = scratchDir("qualys-asset-xml");

describe("parseQualysAssetXml on the corpus", () => {
  it("reads the ASSET_DATA_REPORT: 7 hosts, detections resolved through the glossary", async () => {
    const report = scanOf(await parseQualysAssetXml(corpusInput("qualys/Qualys_Sample_Report.xml")));
    expect(report.scanner).toBe("qualys");
    expect(report.reportTime).toBe("2019-08-01T20:03:10Z");
    expect(report.scope).toBe("All confirmed and Information Vulnerabilities 1-5");
    expect(report.assets.map((a) => a.key)).toEqual([
      "host:demo13.s02.sjc01.qualys.com",
      "host:demo14.s02.sjc01.qualys.com",
      "host:demo15.s02.sjc01.qualys.com",
      "host:trn-win7.trn.qualys.com",
      "host:win2008r2.trn.qualys.com",
      "host:trn-win2012-dc.trn.qualys.com",
      "host:demo20.s02.sjc01.qualys.com",
    ]);
    expect(report.assets[3]).toEqual({
      key: "host:trn-win7.trn.qualys.com",
      ip: "64.41.200.247",
      fqdn: "trn-win7.trn.qualys.com",
      netbios: "TRN-WIN7",
      os: "Windows 2008 R2/7",
    });
    // 92 Vuln/Practice detections expand to 144 findings (one per glossary CVE); 209 Ig items.
    expect(report.findings).toHaveLength(144);
    expect(report.other).toHaveLength(209);
    expect(report.duplicates).toBe(0);
    expect(report.other.every((o) => o.kind === "informational" && o.severity === "info")).toBe(true);
    expect(report.other[0]).toEqual({
      kind: "informational",
      asset: "host:demo13.s02.sjc01.qualys.com",
      id: "6",
      title: "DNS Host Name",
      severity: "info",
    });

    const ms17010 = report.findings.filter(
      (f) => f.plugin === "91345" && f.asset === "host:win2008r2.trn.qualys.com",
    );
    expect(ms17010.map((f) => f.vulnId)).toEqual([
      "CVE-2017-0143",
      "CVE-2017-0144",
      "CVE-2017-0145",
      "CVE-2017-0146",
      "CVE-2017-0148",
      "CVE-2017-0147",
    ]);
    expect(ms17010[0]).toMatchObject({
      aliases: ["qualys:91345"],
      severity: "critical",
      status: "affected",
      statusDetail: "New",
      title: "Microsoft SMB Server Remote Code Execution Vulnerability (MS17-010) and Shadow Brokers",
    });

    // A "Practice" detection: potential, with the glossary's CVSS 2 and 3 vectors.
    const amd = report.findings.filter(
      (f) => f.plugin === "370876" && f.asset === "host:demo13.s02.sjc01.qualys.com",
    );
    expect(amd).toHaveLength(7);
    expect(amd[0]).toMatchObject({
      vulnId: "CVE-2018-8930",
      severity: "high",
      status: "affected",
      statusDetail: "potential",
      cvss: [
        { version: "2.0", baseScore: 9.3, vector: "AV:N/AC:M/Au:N/C:C/I:C/A:C", source: "qualys" },
        { version: "3.0", baseScore: 9, vector: "AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", source: "qualys" },
      ],
    });

    const ssh = report.findings.find(
      (f) => f.plugin === "38738" && f.asset === "host:demo13.s02.sjc01.qualys.com",
    );
    expect(ssh).toMatchObject({ vulnId: "qualys:38738", port: "22/tcp", severity: "low" });
    expect(report.findings.find((f) => f.plugin === "38293")).toMatchObject({ port: "123/udp" });
    // The NO_RESULTS appendix range is not an asset.
    expect(report.assets.some((a) => a.ip === "64.41.200.248")).toBe(false);
  });
});

const ADR = (body: string) => `<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE ASSET_DATA_REPORT SYSTEM "https://qualysguard.qualys.com/asset_data_report.dtd">
<ASSET_DATA_REPORT>
  <HEADER><GENERATION_DATETIME>2024-02-01T00:00:00Z</GENERATION_DATETIME><TEMPLATE>Fixed</TEMPLATE></HEADER>
  <HOST_LIST>${body}</HOST_LIST>
  <GLOSSARY><VULN_DETAILS_LIST>
    <VULN_DETAILS id="qid_38170"><QID id="qid_38170">38170</QID><TITLE>SSL</TITLE><SEVERITY>2</SEVERITY></VULN_DETAILS>
  </VULN_DETAILS_LIST></GLOSSARY>
</ASSET_DATA_REPORT>
`;

describe("parseQualysAssetXml rules", () => {
  it("maps Fixed and Re-Opened statuses and keeps hosts without detections", async () => {
    const xml = ADR(`
    <HOST><IP>10.0.0.1</IP><NETBIOS>DB1</NETBIOS><VULN_INFO_LIST>
      <VULN_INFO><QID id="qid_38170">38170</QID><TYPE>Vuln</TYPE><PORT>443</PORT><PROTOCOL>tcp</PROTOCOL><VULN_STATUS>Fixed</VULN_STATUS></VULN_INFO>
      <VULN_INFO><QID id="qid_38170">38170</QID><TYPE>Vuln</TYPE><PORT>8443</PORT><PROTOCOL>tcp</PROTOCOL><VULN_STATUS>Re-Opened</VULN_STATUS></VULN_INFO>
    </VULN_INFO_LIST></HOST>
    <HOST><IP>10.0.0.2</IP></HOST>`);
    const report = scanOf(await parseQualysAssetXml(tmp("adr.xml", xml)));
    expect(report.scope).toBe("Fixed");
    expect(report.assets).toEqual([
      { key: "ip:10.0.0.1", ip: "10.0.0.1", netbios: "DB1" },
      { key: "ip:10.0.0.2", ip: "10.0.0.2" },
    ]);
    expect(report.findings.map((f) => [f.vulnId, f.port, f.status, f.statusDetail])).toEqual([
      ["qualys:38170", "443/tcp", "resolved", "Fixed"],
      ["qualys:38170", "8443/tcp", "affected", "Re-Opened"],
    ]);
  });
});

describe("parseQualysAssetXml refuses broken input", () => {
  it("a truncated file is a PARSE_ERROR naming the file and line", async () => {
    const text = corpusText("qualys/Qualys_Sample_Report.xml");
    const cut = text.slice(0, text.indexOf("<GLOSSARY>"));
    const error = await rejection(parseQualysAssetXml(tmp("truncated.xml", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("truncated.xml");
    expect(error.place.line).toBe(cut.split("\n").length);
    expect(error.message).toBe("invalid XML: unclosed tag: ASSET_DATA_REPORT");
  });

  it("a detection without a QID is a VALIDATION_ERROR naming its line", async () => {
    const xml = ADR(`
    <HOST><IP>10.0.0.1</IP><VULN_INFO_LIST>
      <VULN_INFO><TYPE>Vuln</TYPE></VULN_INFO>
    </VULN_INFO_LIST></HOST>`);
    const error = await rejection(parseQualysAssetXml(tmp("noqid.xml", xml)));
    expect(error.oneLine()).toBe(
      "noqid.xml:7 at /ASSET_DATA_REPORT/HOST_LIST/HOST/VULN_INFO_LIST/VULN_INFO: <VULN_INFO> without a numeric <QID>",
    );
  });

  it("a host naming nothing is a VALIDATION_ERROR", async () => {
    const error = await rejection(
      parseQualysAssetXml(tmp("nohost.xml", ADR("<HOST><TRACKING_METHOD>IP</TRACKING_METHOD></HOST>"))),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("<HOST> without an IP, DNS or NETBIOS name");
  });

  it("a report without a host list is a VALIDATION_ERROR", async () => {
    const error = await rejection(
      parseQualysAssetXml(tmp("nolist.xml", "<ASSET_DATA_REPORT><HEADER/></ASSET_DATA_REPORT>")),
    );
    expect(error.oneLine()).toBe("nolist.xml at /ASSET_DATA_REPORT: no <HOST_LIST>");
  });
});

describe("looksLikeQualysAssetXml", () => {
  it("claims exactly the ASSET_DATA_REPORT of the corpus", async () => {
    expect(await claimedCorpusFiles(looksLikeQualysAssetXml)).toEqual(["qualys/Qualys_Sample_Report.xml"]);
  });
});
