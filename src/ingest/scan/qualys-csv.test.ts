import { describe, expect, it } from "vitest";
import { looksLikeQualysCsv, parseQualysCsv } from "./qualys-csv.js";
import {
  claimedCorpusFiles,
  corpusInput,
  corpusText,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmp = scratchDir("qualys-csv");

describe("parseQualysCsv on the corpus", () => {
  it("reads the VM scan-results CSV: one finding per CVE, QID ids when there is none", async () => {
    const report = scanOf(await parseQualysCsv(corpusInput("qualys/Qualys_Sample_Report.csv")));
    expect(report.scanner).toBe("qualys");
    // No metadata rows: the latest "Last Detected".
    expect(report.reportTime).toBe("2021-06-08T12:18:00Z");
    expect(report.scope).toBeUndefined();
    expect(report.assets.map((a) => [a.key, a.ip, a.netbios])).toEqual([
      ["host:ip-10-98-57-180.eu-west-1.compute.internal", "10.98.57.180", "EC2AMAZ-IU0C43L"],
      ["host:ip-10-98-57-151.eu-west-1.compute.internal", "10.98.57.151", "EC2AMAZ-N4OQ6HS"],
      ["host:ip-10-98-49-209.eu-west-1.compute.internal", "10.98.49.209", "EC2AMAZ-N4OQ6HS"],
      ["host:ip-10-98-35-11.eu-west-1.compute.internal", "10.98.35.11", "EC2AMAZ-N4OQ6HS"],
    ]);
    expect(report.assets[0]!.os).toBe("Windows Server 2016 Datacenter 64 bit Edition Version 1607");
    // 2 + 23 CVEs of QID 91762 on the first host, QID 105971 on the three others.
    expect(report.findings).toHaveLength(28);
    expect(report.findings[0]).toEqual({
      fingerprint: "host:ip-10-98-57-180.eu-west-1.compute.internal|qualys:105971|net:|105971",
      asset: "host:ip-10-98-57-180.eu-west-1.compute.internal",
      vulnId: "qualys:105971",
      aliases: [],
      title: "EOL/Obsolete Software: Microsoft ASP.NET 1.0 Detected",
      fixedVersions: [],
      plugin: "105971",
      severity: "critical",
      cvss: [
        { version: "3.0", baseScore: 8.1, vector: "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", source: "qualys" },
      ],
      locations: [],
      status: "affected",
      statusDetail: "Active",
    });
    const qid91762 = report.findings.filter((f) => f.plugin === "91762");
    expect(qid91762).toHaveLength(23);
    expect(qid91762[0]).toMatchObject({ vulnId: "CVE-2021-31192", aliases: ["qualys:91762"] });
    expect(qid91762.at(-1)!.vulnId).toBe("CVE-2020-24588");
    expect(qid91762[0]!.cvss[0]!.baseScore).toBe(9.9);
  });

  it("reads the VMDR datalist with its metadata rows", async () => {
    const report = scanOf(await parseQualysCsv(corpusInput("qualys/qualys_vmdr_many_vulns_cve.csv")));
    // "04 Feb 2026 10:00AM GMT-0500" in the first metadata row.
    expect(report.reportTime).toBe("2026-02-04T15:00:00Z");
    expect(report.assets).toEqual([
      { key: "host:server01", ip: "192.168.1.10", hostname: "SERVER01", os: "Debian 11" },
      { key: "host:server02", ip: "192.168.1.11", hostname: "SERVER02", os: "Ubuntu 22.04" },
      { key: "host:dbserver01", ip: "192.168.1.20", hostname: "DBSERVER01", os: "CentOS 8" },
      { key: "host:workstation01", ip: "192.168.1.100", hostname: "WORKSTATION01", os: "Windows 10" },
      { key: "host:appserver01", ip: "2001:db8::100", hostname: "APPSERVER01", os: "Ubuntu 20.04" },
    ]);
    expect(
      report.findings.map((f) => [f.vulnId, f.plugin, f.port ?? null, f.severity, f.status, f.statusDetail]),
    ).toEqual([
      ["CVE-2023-0001", "800001", "80/tcp", "low", "affected", "ACTIVE"],
      ["CVE-2023-0002", "800002", "443/tcp", "low", "affected", "ACTIVE"],
      ["CVE-2023-0003", "800003", "3306/tcp", "medium", "resolved", "FIXED"],
      ["CVE-2023-0004", "800004", null, "high", "affected", "ACTIVE"],
      ["CVE-2023-0005", "800005", "8443/tcp", "critical", "affected", "ACTIVE"],
    ]);
    expect(report.findings[2]!.cvss).toEqual([
      { version: "2.0", baseScore: 7.5, source: "qualys:nvd" },
      { version: "3.1", baseScore: 6.5, source: "qualys:nvd" },
    ]);
  });

  it("reads the VMDR datalist without metadata rows", async () => {
    const report = scanOf(
      await parseQualysCsv(corpusInput("qualys/qualys_vmdr_one_vuln_no_metadata_cve.csv")),
    );
    expect(report.reportTime).toBe("2026-02-03T07:00:00Z");
    expect(report.assets).toEqual([
      { key: "host:javaapp01", ip: "10.1.0.50", hostname: "JAVAAPP01", os: "Ubuntu 20.04" },
    ]);
    expect(report.findings).toEqual([
      {
        fingerprint: "host:javaapp01|CVE-2021-44228|net:8080/tcp|730143",
        asset: "host:javaapp01",
        vulnId: "CVE-2021-44228",
        aliases: ["qualys:730143"],
        title: "Apache Log4j Remote Code Execution (Log4Shell)",
        fixedVersions: [],
        port: "8080/tcp",
        plugin: "730143",
        severity: "critical",
        cvss: [
          { version: "2.0", baseScore: 9.3, source: "qualys:nvd" },
          { version: "3.1", baseScore: 10, source: "qualys:nvd" },
        ],
        locations: [],
        status: "affected",
        statusDetail: "ACTIVE",
      },
    ]);
  });

  it("reads the HackerGuardian PCI export: letter severities, potential findings", async () => {
    const report = scanOf(
      await parseQualysCsv(corpusInput("qualys/qualys_hacker_guardian_many_finding.csv")),
    );
    expect(report.reportTime).toBe("2024-09-16T04:00:30Z");
    expect(report.assets).toEqual([
      { key: "host:help.example.co", ip: "18.238.109.17", fqdn: "help.example.co" },
      { key: "host:jt.example.co", ip: "44.207.58.177", fqdn: "jt.example.co" },
      { key: "host:data.example.co", ip: "44.220.118.158", fqdn: "data.example.co" },
    ]);
    expect(
      report.findings.map((f) => [f.asset, f.vulnId, f.port, f.severity, f.statusDetail ?? null]),
    ).toEqual([
      ["host:help.example.co", "qualys:150059", "80/tcp", "medium", "potential"],
      ["host:help.example.co", "qualys:150059", "443/tcp", "medium", "potential"],
      ["host:jt.example.co", "qualys:11827", "443/tcp", "medium", null],
      ["host:data.example.co", "qualys:150004", "80/tcp", "medium", null],
    ]);
    expect(report.findings[0]!.cvss).toEqual([{ version: "2.0", baseScore: 5.3, source: "qualys" }]);
    expect(report.findings[0]!.title).toBe("Reference to Windows file path is present in HTML");
  });
});

describe("parseQualysCsv rules", () => {
  it("keeps information gathered apart, maps statuses, merges duplicate rows", async () => {
    const [header] = corpusText("qualys/Qualys_Sample_Report.csv").split("\n");
    const cols = header!.split(",").map((c) => c.replace(/"/g, ""));
    const row = (values: Record<string, string>) =>
      cols.map((c) => `"${(values[c] ?? "").replaceAll('"', '""')}"`).join(",");
    const base = {
      IP: "10.0.0.1",
      DNS: "db1",
      QID: "38170",
      Title: "SSL Certificate",
      Severity: "2",
      Type: "Vuln",
    };
    const csv = [
      header,
      row({ ...base, "Vuln Status": "Re-Opened", Port: "443", Protocol: "TCP", FQDN: "db1.example.com" }),
      row({ ...base, "Vuln Status": "Re-Opened", Port: "443", Protocol: "TCP" }),
      row({ ...base, QID: "6", Title: "DNS Host Name", Type: "Ig", Severity: "1" }),
      row({ ...base, QID: "90882", "Vuln Status": "Fixed", "CVE ID": "CVE-2005-1794" }),
      row({ ...base, IP: "10.0.0.2", DNS: "", QID: "82003", Type: "Ig" }),
    ].join("\r\n");
    const report = scanOf(await parseQualysCsv(tmp("rules.csv", csv)));
    expect(report.assets.map((a) => a.key)).toEqual(["host:db1", "ip:10.0.0.2"]);
    expect(report.duplicates).toBe(1);
    expect(
      report.findings.map((f) => [f.vulnId, f.port ?? null, f.status, f.statusDetail, f.locations]),
    ).toEqual([
      ["qualys:38170", "443/tcp", "affected", "Re-Opened", ["db1.example.com"]],
      ["CVE-2005-1794", null, "resolved", "Fixed", []],
    ]);
    expect(report.other).toEqual([
      { kind: "informational", asset: "host:db1", id: "6", title: "DNS Host Name", severity: "info" },
      {
        kind: "informational",
        asset: "ip:10.0.0.2",
        id: "82003",
        title: "SSL Certificate",
        severity: "info",
      },
    ]);
  });

  it("takes the report time from a Launch Date metadata column", async () => {
    const csv = [
      '"Scan Results","09/28/2021 at 10:00:00 (GMT+0100)"',
      '"Company","Street"',
      "",
      '"Launch Date","Active Hosts","Total Hosts","Type","Status","Reference","Scan Title"',
      '"09/27/2021 at 14:29:36 (GMT+0100)","1","1","Scheduled","Finished","scan/1632","Weekly"',
      "",
      '"IP","DNS","QID","Title","Vuln Status","Type","Severity"',
      '"10.0.0.1","","38170","SSL Certificate","New","Vuln","2"',
    ].join("\n");
    const report = scanOf(await parseQualysCsv(tmp("launch.csv", csv)));
    expect(report.reportTime).toBe("2021-09-27T13:29:36Z");
    expect(report.findings.map((f) => f.vulnId)).toEqual(["qualys:38170"]);
  });
});

describe("parseQualysCsv refuses broken input", () => {
  it("a row that does not fit the header after the metadata rows is a VALIDATION_ERROR naming its line", async () => {
    const csv = `${corpusText("qualys/qualys_vmdr_many_vulns_cve.csv").trimEnd()}\n"CVE-2023-0006","short row"\n`;
    const error = await rejection(parseQualysCsv(tmp("vmdr.csv", csv)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("vmdr.csv:10: row has 2 fields but the header has 41");
  });

  it("a QID that is not a number is a VALIDATION_ERROR naming its line", async () => {
    const csv = corpusText("qualys/qualys_vmdr_one_vuln_no_metadata_cve.csv").replace('"730143"', '"abc"');
    const error = await rejection(parseQualysCsv(tmp("qid.csv", csv)));
    expect(error.oneLine()).toBe('qid.csv:2: QID "abc" is not a number');
  });

  it("a file without a Qualys header row is a VALIDATION_ERROR", async () => {
    const error = await rejection(parseQualysCsv(corpusInput("openvas/many_vuln.csv")));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toMatch(/^no Qualys header row/);
  });

  it("an unclosed quote is a PARSE_ERROR naming the line", async () => {
    const full = corpusText("qualys/Qualys_Sample_Report.csv");
    const cut = full.slice(0, full.indexOf("No further bug fixes") + 10);
    const error = await rejection(parseQualysCsv(tmp("truncated.csv", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place).toEqual({ file: "truncated.csv", line: cut.split("\n").length });
  });

  it("an empty file is a PARSE_ERROR", async () => {
    expect((await rejection(parseQualysCsv(tmp("empty.csv", "\n")))).message).toBe("the file is empty");
  });
});

describe("looksLikeQualysCsv", () => {
  it("claims exactly the Qualys CSV exports of the corpus", async () => {
    expect(await claimedCorpusFiles(looksLikeQualysCsv)).toEqual([
      "qualys/Qualys_Sample_Report.csv",
      "qualys/qualys_hacker_guardian_many_finding.csv",
      "qualys/qualys_vmdr_many_vulns_cve.csv",
      "qualys/qualys_vmdr_one_vuln_no_metadata_cve.csv",
    ]);
  });
});
