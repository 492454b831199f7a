import { describe, expect, it } from "vitest";
import { parseNessusCsv } from "./nessus-csv.js";
import {
  corpusInput,
  corpusText,
  findingOf,
  findingOnAsset,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmpFile = scratchDir("nessus-csv");

const HEADER =
  "Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name,Synopsis,Description,Solution,See Also,Plugin Output";

describe("parseNessusCsv on the corpus", () => {
  for (const [file, v3] of [
    ["nessus/nessus_many_vuln2-all.csv", true],
    ["nessus/nessus_many_vuln2-default.csv", false],
  ] as const) {
    it(`${file}: one Medium result, the rest informational`, async () => {
      const r = scanOf(await parseNessusCsv(corpusInput(file)));
      expect(r.scanner).toBe("nessus");
      // From plugin 19506: "Nessus version : 8.13.1", "Scan policy used : Basic Network Scan",
      // "Scan Start Date : 2021/1/25 18:40 Romance Standard Time" (zone ignored, read as UTC).
      expect(r.scannerVersion).toBe("8.13.1");
      expect(r.scope).toBe("Basic Network Scan");
      expect(r.reportTime).toBe("2021-01-25T18:40:00Z");
      expect(r.assets).toEqual([{ key: "ip:52.208.101.182", ip: "52.208.101.182" }]);
      expect(r.findings).toEqual([
        {
          fingerprint: "ip:52.208.101.182|nessus:104743|net:443/tcp|104743",
          asset: "ip:52.208.101.182",
          vulnId: "nessus:104743",
          aliases: [],
          title: "TLS Version 1.0 Protocol Detection",
          fixedVersions: [],
          port: "443/tcp",
          plugin: "104743",
          severity: "medium",
          cvss: [
            { version: "2.0", baseScore: 6.1, source: "nessus" },
            ...(v3 ? [{ version: "3.0", baseScore: 6.5, source: "nessus" }] : []),
          ],
          locations: [],
          status: "affected",
        },
      ]);
      // 30 rows: 29 Risk None, one of them (22964 on 443/tcp) stated twice.
      expect(r.other).toHaveLength(28);
      expect(r.other.every((o) => o.kind === "informational")).toBe(true);
      // Risk None with a CVE (95631, CVE-2004-2761) stays informational.
      expect(r.findings.some((f) => f.vulnId === "CVE-2004-2761")).toBe(false);
      expect(r.other.find((o) => o.id === "95631")).toMatchObject({
        title: "SSL Certificate Signed Using Weak Hashing Algorithm (Known CA)",
        location: "443/tcp",
      });
      expect(r.other.filter((o) => o.id === "10107").map((o) => o.location)).toEqual(["80/tcp", "443/tcp"]);
    });
  }

  it("tenable_many_vuln.csv: the Tenable.io export with states and vectors", async () => {
    const r = scanOf(await parseNessusCsv(corpusInput("nessus/tenable_many_vuln.csv")));
    expect(r.scanner).toBe("tenable");
    expect(r.scannerVersion).toBeUndefined();
    expect(r.scope).toBeUndefined();
    expect(r.reportTime).toBe("2023-06-08T02:01:27.233Z");
    const host1 = "host:ip-127-0-0-1.us-west-2.compute.internal";
    const host2 = "host:ip-192-168-1-110.us-west-2.compute.internal";
    expect(r.assets).toEqual([
      {
        key: host1,
        fqdn: "ip-127-0-0-1.us-west-2.compute.internal",
        ip: "127.0.0.1",
        os: "Linux Kernel 4.14.313-235.533.amzn2.x86_64 on Amazon Linux 2",
      },
      {
        key: host2,
        fqdn: "ip-192-168-1-110.us-west-2.compute.internal",
        ip: "192.168.1.110",
        os: "Linux Kernel 4.14.311-233.529.amzn2.x86_64 on Amazon Linux 2",
      },
    ]);
    // 20 rows (one per plugin × CVE) and two blank trailing rows.
    expect(r.findings).toHaveLength(20);
    expect(r.duplicates).toBe(0);
    expect(r.other).toEqual([]);
    expect(r.findings.filter((f) => f.asset === host1)).toHaveLength(18);
    expect(r.findings.filter((f) => f.plugin === "176703")).toHaveLength(10);
    expect(r.findings.every((f) => f.statusDetail === "Active")).toBe(true);

    const kernel = findingOf(r, "CVE-2023-32233");
    expect(kernel).toMatchObject({
      aliases: ["nessus:176700"],
      title: "Amazon Linux 2 : kernel (ALAS-2023-2050)",
      plugin: "176700",
      severity: "high",
      status: "affected",
      fixedVersions: [],
    });
    expect(kernel.port).toBeUndefined();
    expect(kernel.cvss).toEqual([
      { version: "2.0", baseScore: 6.8, vector: "AV:L/AC:L/Au:S/C:C/I:C/A:C", source: "nessus" },
      { version: "3.0", baseScore: 7.8, vector: "AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", source: "nessus" },
    ]);

    const splunk = findingOnAsset(r, "CVE-2022-37439", host2);
    expect(splunk).toMatchObject({
      severity: "medium",
      status: "fixed",
      fixedVersions: ["8.2.7.1"],
      locations: ["/opt/splunkforwarder"],
    });
    expect(splunk.package).toBeUndefined();
  });
});

describe("parseNessusCsv on crafted exports", () => {
  it("reads CRLF line ends, a byte-order mark, multi-line cells and several CVEs per cell", async () => {
    const csv =
      `\uFEFF${HEADER},Vulnerability State,IP Address,FQDN,Host End\r\n` +
      `"1","CVE-2021-0001, CVE-2021-0002","5.0","High","web01","tcp","443","Two","s","d\r\nmore","fix","","out\r\n  Installed version : 1.0\r\n  Fixed version : 1.1",Fixed,10.0.0.1,web01.example.com,2024-01-02T03:04:05Z\r\n` +
      `,,,,,,,,,,,,,,,,\r\n` +
      `"2","","","Low","10.0.0.2","udp","161","SNMP","","","","","",Reopened,,,2024-01-03T00:00:00Z\r\n`;
    const r = scanOf(await parseNessusCsv(tmpFile("crlf.csv", csv)));
    expect(r.scanner).toBe("tenable");
    expect(r.reportTime).toBe("2024-01-03T00:00:00Z");
    expect(r.assets).toEqual([
      { key: "host:web01.example.com", fqdn: "web01.example.com", hostname: "web01", ip: "10.0.0.1" },
      { key: "ip:10.0.0.2", ip: "10.0.0.2" },
    ]);
    expect(r.findings.map((f) => [f.vulnId, f.status, f.statusDetail, f.fixedVersions, f.port])).toEqual([
      ["CVE-2021-0001", "resolved", "Fixed", ["1.1"], "443/tcp"],
      ["CVE-2021-0002", "resolved", "Fixed", ["1.1"], "443/tcp"],
      ["nessus:2", "affected", "Reopened", [], "161/udp"],
    ]);
  });

  it("matches headers without regard to case and counts a repeated row as a duplicate", async () => {
    const row = `"9","CVE-2020-9","","Critical","10.0.0.3","tcp","22","SSH","","","","",""\n`;
    const r = scanOf(await parseNessusCsv(tmpFile("case.csv", `${HEADER.toUpperCase()}\n${row}${row}`)));
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.severity).toBe("critical");
    expect(r.duplicates).toBe(1);
  });

  it("takes a header-only export as a valid report with no findings", async () => {
    const r = scanOf(await parseNessusCsv(tmpFile("header.csv", `${HEADER}\n`)));
    expect(r).toMatchObject({ scanner: "nessus", assets: [], findings: [], other: [] });
  });
});

describe("parseNessusCsv refuses broken files", () => {
  it("a file cut inside a quoted cell: PARSE_ERROR at the line the cell opens", async () => {
    const text = corpusText("nessus/nessus_many_vuln2-default.csv");
    const cut = text.slice(0, text.indexOf("Cowboy"));
    const error = await rejection(parseNessusCsv(tmpFile("cut.csv", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.oneLine()).toBe(
      "cut.csv:2: a quoted field opened here is never closed (is the file cut short?)",
    );
  });

  it("a row cut short: PARSE_ERROR naming its line", async () => {
    const csv = `${HEADER}\n"1","","","High","10.0.0.1","tcp","80","A","","","","",""\n"2","","","High","10.0.0.1"\n`;
    const error = await rejection(parseNessusCsv(tmpFile("short.csv", csv)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.oneLine()).toBe("short.csv:3: the row has 5 cells but the header has 13");
  });

  it("a row without a host: VALIDATION_ERROR naming its line", async () => {
    const csv = `${HEADER}\n"1","","","High","","tcp","80","A","","","","",""\n`;
    const error = await rejection(parseNessusCsv(tmpFile("nohost.csv", csv)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("nohost.csv:2: the row (plugin 1) names no Host or IP Address");
  });

  it("a bad Risk or CVSS value: VALIDATION_ERROR naming its line", async () => {
    let csv = `${HEADER}\n"1","","","Severe","10.0.0.1","tcp","80","A","","","","",""\n`;
    let error = await rejection(parseNessusCsv(tmpFile("risk.csv", csv)));
    expect(error.oneLine()).toBe("risk.csv:2: Risk 'Severe' is not None, Low, Medium, High or Critical");
    csv = `${HEADER}\n"1","","7,5","High","10.0.0.1","tcp","80","A","","","","",""\n`;
    error = await rejection(parseNessusCsv(tmpFile("cvss.csv", csv)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("cvss.csv:2: CVSS '7,5' is not a CVSS score (0.0 to 10.0)");
  });

  it("a file without the Nessus columns: VALIDATION_ERROR at line 1", async () => {
    const error = await rejection(
      parseNessusCsv(tmpFile("other.csv", "cve,epss,percentile\nCVE-1999-0001,0.1,0.2\n")),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe(
      "other.csv:1: not a Nessus CSV export: missing column Plugin ID, Host or IP Address, Risk or Severity or Risk Factor",
    );
  });

  it("an empty file", async () => {
    const error = await rejection(parseNessusCsv(tmpFile("empty.csv", "")));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toBe("the file is empty");
  });
});
