import { describe, expect, it } from "vitest";
import { parseTenableScCsv } from "./tenable-sc-csv.js";
import { corpusInput, corpusText, rejection, scanOf, scratchDir } from "./testing/fixtures.js";

const tmpFile = scratchDir("tenable-sc");

const HEADER =
  '"Plugin","Plugin Name","Family","Severity","IP Address","Protocol","Port","DNS Name","Plugin Output",' +
  '"CVSS V3 Base Score","CVSS V3 Vector","CVE","Last Observed"';

describe("parseTenableScCsv on the corpus", () => {
  it("tenable_sc_issue_9612.csv: an unsupported SQL Server on two hosts", async () => {
    const r = scanOf(await parseTenableScCsv(corpusInput("nessus/tenable_sc_issue_9612.csv")));
    expect(r.scanner).toBe("tenable-sc");
    expect(r.reportTime).toBe("2024-02-19T21:01:01Z");
    expect(r.assets).toEqual([
      { key: "ip:2.3.4.5", ip: "2.3.4.5", netbios: "WORKGROUP\\ECODARCHDB", mac: "9c:8e:99:1b:8b:dc" },
      { key: "ip:1.2.3.4", ip: "1.2.3.4", netbios: "WORKGROUP\\ECODARCHDB", mac: "9c:8e:99:1b:8b:dc" },
    ]);
    // Three rows; on 2.3.4.5 the same installation answers on ports 1433 and 5555: one finding,
    // the second row counted as a duplicate (same asset, plugin and package@version).
    expect(r.findings).toHaveLength(2);
    expect(r.duplicates).toBe(1);
    expect(r.other).toEqual([]);
    expect(r.findings[0]).toEqual({
      fingerprint: "ip:2.3.4.5|nessus:73756|pkg:sql_server@10.50.6560.0",
      asset: "ip:2.3.4.5",
      vulnId: "nessus:73756",
      aliases: [],
      title: "Microsoft SQL Server Unsupported Version Detection (remote check)",
      package: { name: "sql_server", version: "10.50.6560.0" },
      fixedVersions: [],
      port: "1433/tcp",
      plugin: "73756",
      severity: "critical",
      cvss: [
        { version: "2.0", baseScore: 10, vector: "AV:N/AC:L/Au:N/C:C/I:C/A:C", source: "nessus" },
        { version: "3.0", baseScore: 10, vector: "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", source: "nessus" },
      ],
      locations: [],
      // "Fixed version : This version is no longer supported."
      status: "end_of_life",
      statusDetail: "This version is no longer supported.",
    });
    expect(r.findings[1]?.asset).toBe("ip:1.2.3.4");
  });
});

describe("parseTenableScCsv on crafted exports", () => {
  it("splits the CVE cell, keeps Info rows apart and names hosts by DNS name", async () => {
    const csv =
      `${HEADER}\n` +
      `"1","Apache < 2.4.58","Web Servers","High","10.0.0.8","TCP","443","www.example.com","  Installed version : 2.4.57\n  Fixed version     : 2.4.58","7.5","CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H","CVE-2023-31122,CVE-2023-43622","Mar 1, 2024 10:00:00 UTC"\n` +
      `"19506","Nessus Scan Information","Settings","Info","10.0.0.8","TCP","0","www.example.com","Nessus version : 10.6.4","","","","Mar 2, 2024 10:00:00 UTC"\n`;
    const r = scanOf(await parseTenableScCsv(tmpFile("crafted.csv", csv)));
    expect(r.reportTime).toBe("2024-03-02T10:00:00Z");
    expect(r.assets).toEqual([{ key: "host:www.example.com", fqdn: "www.example.com", ip: "10.0.0.8" }]);
    expect(r.findings.map((f) => [f.vulnId, f.fixedVersions, f.status, f.cvss[0]?.version])).toEqual([
      ["CVE-2023-31122", ["2.4.58"], "fixed", "3.1"],
      ["CVE-2023-43622", ["2.4.58"], "fixed", "3.1"],
    ]);
    expect(r.other.map((o) => [o.kind, o.id])).toEqual([["informational", "19506"]]);
  });
});

describe("parseTenableScCsv refuses broken files", () => {
  it("a file cut inside a quoted cell: PARSE_ERROR at its line", async () => {
    const text = corpusText("nessus/tenable_sc_issue_9612.csv");
    const cut = text.slice(0, text.indexOf("Installed version"));
    const error = await rejection(parseTenableScCsv(tmpFile("cut.csv", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.oneLine()).toBe(
      "cut.csv:2: a quoted field opened here is never closed (is the file cut short?)",
    );
  });

  it("a row without IP address, DNS name or NetBIOS name: VALIDATION_ERROR naming its line", async () => {
    const csv = `${HEADER}\n"1","A","F","High","","TCP","80","","","","","",""\n`;
    const error = await rejection(parseTenableScCsv(tmpFile("nohost.csv", csv)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe(
      "nohost.csv:2: the row (plugin 1) names no IP Address, DNS Name or NetBIOS Name",
    );
  });

  it("a bad severity or score: VALIDATION_ERROR naming its line", async () => {
    let csv = `${HEADER}\n"1","A","F","Severe","10.0.0.1","TCP","80","","","","","",""\n`;
    let error = await rejection(parseTenableScCsv(tmpFile("sev.csv", csv)));
    expect(error.oneLine()).toBe("sev.csv:2: Severity 'Severe' is not Info, Low, Medium, High or Critical");
    csv = `${HEADER}\n"1","A","F","High","10.0.0.1","TCP","80","","","N/A?","","",""\n`;
    error = await rejection(parseTenableScCsv(tmpFile("score.csv", csv)));
    expect(error.oneLine()).toBe("score.csv:2: CVSS V3 Base Score 'N/A?' is not a CVSS score (0.0 to 10.0)");
  });

  it("a header without the Tenable.sc columns: VALIDATION_ERROR at line 1", async () => {
    const error = await rejection(
      parseTenableScCsv(tmpFile("nosc.csv", '"Plugin","Plugin Name"\n"1","x"\n')),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe(
      "nosc.csv:1: not a Tenable.sc export: missing column Severity, IP Address or DNS Name",
    );
  });
});
