import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { looksLikeOpenvasCsv, parseOpenvasCsv } from "./openvas-csv.js";
import {
  claimedCorpusFiles,
  corpusInput,
  corpusText,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmp = scratchDir("openvas-csv");
const HEADER = corpusText("openvas/no_vuln.csv").split("\n")[0]!;

describe("parseOpenvasCsv on the corpus", () => {
  it("reads a header-only export as a valid empty report", async () => {
    const report = scanOf(await parseOpenvasCsv(corpusInput("openvas/no_vuln.csv")));
    expect(report).toEqual({
      scanner: "openvas",
      assets: [],
      findings: [],
      other: [],
      duplicates: 0,
      components: [],
    });
  });

  it("reads the export without QoD: 4 results, one naming two CVEs", async () => {
    const report = scanOf(await parseOpenvasCsv(corpusInput("openvas/many_vuln.csv")));
    expect(report.reportTime).toBe("2021-05-26T20:50:18Z");
    expect(report.scope).toBe("LOGSRV");
    expect(report.assets).toEqual([{ key: "host:logsrv", ip: "192.168.118.212", hostname: "LOGSRV" }]);
    expect(report.findings.map((f) => [f.vulnId, f.port ?? null, f.severity])).toEqual([
      ["openvas:1.3.6.1.4.1.25623.1.0.80091", null, "low"],
      ["openvas:1.3.6.1.4.1.25623.1.0.106223", "9200/tcp", "medium"],
      ["CVE-2011-3389", "9200/tcp", "medium"],
      ["CVE-2015-0204", "9200/tcp", "medium"],
      ["openvas:1.3.6.1.4.1.25623.1.0.103240", "9200/tcp", "critical"],
    ]);
    expect(report.findings[2]).toMatchObject({
      plugin: "1.3.6.1.4.1.25623.1.0.117274",
      aliases: ["openvas:1.3.6.1.4.1.25623.1.0.117274"],
      status: "affected",
      // The CSV carries no CVSS version or vector.
      cvss: [],
    });
    expect(report.findings[0]!.title).toBe("TCP timestamps");
  });

  it("reads the GVM 22 export with QoD and EPSS columns", async () => {
    const report = scanOf(await parseOpenvasCsv(corpusInput("openvas/report_detail_v2.csv")));
    expect(report.reportTime).toBe("2025-08-22T14:27:22Z"); // 16:27:22+02:00
    expect(report.scope).toBe("Report");
    expect(report.assets).toEqual([{ key: "host:server99", ip: "10.99.99.99", hostname: "server99" }]);
    expect(report.findings).toHaveLength(93);
    expect(report.findings[0]).toMatchObject({
      vulnId: "CVE-2025-49659",
      port: "42/tcp",
      plugin: "1.3.6.1.4.1.25623.1.0.836484",
      severity: "critical",
      locations: ["C:\\Windows\\system32\\Ntoskrnl.exe"],
    });
    // "Max Severity EPSS" belongs to a CVE the CSV does not name: not spread over 93 CVEs.
    expect(report.findings.filter((f) => f.epss !== undefined)).toEqual([]);
  });

  it("reads the CVE scanner's export, where the NVT OID and name are the CVE id", async () => {
    const report = scanOf(await parseOpenvasCsv(corpusInput("openvas/report_using_CVE.csv")));
    expect(report.scope).toBe("Scan Suspect Host 45.33.32.156");
    expect(report.reportTime).toBe("2024-03-18T21:29:42Z");
    expect(report.assets).toEqual([{ key: "ip:45.33.32.156", ip: "45.33.32.156" }]);
    expect(report.findings).toHaveLength(43);
    expect(report.findings[1]).toEqual({
      fingerprint: "ip:45.33.32.156|CVE-2021-26691|net:80/tcp|CVE-2021-26691",
      asset: "ip:45.33.32.156",
      vulnId: "CVE-2021-26691",
      aliases: [],
      title: "CVE-2021-26691",
      fixedVersions: [],
      // No Port column value: "The product was found at: 80/tcp." in the result.
      port: "80/tcp",
      plugin: "CVE-2021-26691",
      severity: "critical",
      cvss: [],
      locations: [],
      status: "affected",
    });
    expect(report.findings.at(-1)).toMatchObject({ vulnId: "CVE-2022-36760", severity: "critical" });
  });
});

describe("parseOpenvasCsv rules", () => {
  it("keeps Log rows apart, attaches a single CVE's EPSS and merges duplicate rows", async () => {
    const v2 = corpusText("openvas/report_detail_v2.csv").split("\n")[0]!;
    const cols = v2.split(",");
    const row = (values: Record<string, string>) =>
      cols.map((c) => `"${(values[c.replace(/"/g, "")] ?? "").replaceAll('"', '""')}"`).join(",");
    const base = {
      IP: "10.0.0.9",
      Hostname: "",
      Port: "443",
      "Port Protocol": "tcp",
      CVSS: "7.5",
      Severity: "High",
      "NVT Name": "Apache httpd",
      "NVT OID": "1.3.6.1.4.1.25623.1.0.5",
      CVEs: "CVE-2021-41773",
      "Task Name": "Nightly",
      Timestamp: "2024-01-02T03:04:05Z",
      "Specific Result":
        "Installed version: 2.4.49\nFixed version:     2.4.51\nInstallation\npath / port:       80/tcp",
      "Max Severity EPSS score": "0.94",
      "Max Severity EPSS percentile": "0.999",
    };
    const csv = [
      v2,
      row(base),
      row({ ...base, Timestamp: "2024-01-02T05:00:00Z" }),
      row({
        ...base,
        IP: "10.0.0.10",
        Port: "",
        "Port Protocol": "",
        CVSS: "0.0",
        Severity: "Log",
        CVEs: "",
      }),
    ].join("\n");
    const report = scanOf(await parseOpenvasCsv(tmp("rules.csv", csv)));
    expect(report.reportTime).toBe("2024-01-02T05:00:00Z");
    expect(report.scope).toBe("Nightly");
    expect(report.assets.map((a) => a.key)).toEqual(["ip:10.0.0.9", "ip:10.0.0.10"]);
    expect(report.duplicates).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({
        vulnId: "CVE-2021-41773",
        port: "443/tcp",
        epss: { score: 0.94, percentile: 0.999 },
        fixedVersions: ["2.4.51"],
        status: "fixed",
      }),
    ]);
    expect(report.other).toEqual([
      {
        kind: "informational",
        asset: "ip:10.0.0.10",
        id: "1.3.6.1.4.1.25623.1.0.5",
        title: "Apache httpd",
        severity: "info",
      },
    ]);
    const gz = scanOf(await parseOpenvasCsv(tmp("rules.csv.gz", gzipSync(csv))));
    expect(gz).toEqual(report);
  });
});

describe("parseOpenvasCsv refuses broken input", () => {
  it("an unclosed quote is a PARSE_ERROR naming the line", async () => {
    const text = corpusText("openvas/many_vuln.csv");
    const cut = text.slice(0, text.indexOf("The remote host implements TCP timestamps"));
    const error = await rejection(parseOpenvasCsv(tmp("truncated.csv", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("truncated.csv");
    expect(error.place.line).toBe(cut.split("\n").length);
    expect(error.message).toMatch(/^invalid CSV: Quote Not Closed/);
  });

  it("a row that does not fit the header is a VALIDATION_ERROR naming its line", async () => {
    const error = await rejection(
      parseOpenvasCsv(tmp("short.csv", `${HEADER}\n10.0.0.1,host,443,tcp,5.0\n`)),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("short.csv:2: row has 5 fields but the header has 25");
  });

  it("a header without the NVT OID column is a VALIDATION_ERROR on line 1", async () => {
    const error = await rejection(parseOpenvasCsv(tmp("header.csv", "IP,Hostname,Port,Severity\n")));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("header.csv:1: not a Greenbone CSV header: missing column NVT OID");
  });

  it("an empty file is a PARSE_ERROR", async () => {
    expect((await rejection(parseOpenvasCsv(tmp("empty.csv", "")))).message).toBe("the file is empty");
  });
});

describe("looksLikeOpenvasCsv", () => {
  it("claims exactly the Greenbone CSV exports of the corpus", async () => {
    expect(await claimedCorpusFiles(looksLikeOpenvasCsv)).toEqual([
      "openvas/many_vuln.csv",
      "openvas/no_vuln.csv",
      "openvas/report_detail_v2.csv",
      "openvas/report_using_CVE.csv",
    ]);
  });
});
