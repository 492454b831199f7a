import { describe, expect, it } from "vitest";
import { parseTenableCsv } from "./tenable-csv.js";
import { corpusInput, corpusText, rejection, scanOf, scratchDir } from "./testing/fixtures.js";

const tmpFile = scratchDir("tenable-csv");

const HEADER =
  "asset.host_name;asset.display_ipv4_address;definition.id;definition.name;definition.cve;" +
  "definition.cvss3.base_score;definition.cvss3.base_vector;definition.epss.score;output;port;protocol;severity;state;last_seen";

describe("parseTenableCsv on the corpus", () => {
  it("nessus_new.csv: 99 assets, one finding per CVE", async () => {
    const r = scanOf(await parseTenableCsv(corpusInput("nessus/nessus_new.csv")));
    expect(r.scanner).toBe("tenable");
    expect(r.scope).toBeUndefined();
    expect(r.reportTime).toBe("2023-07-13T08:01:08.751Z");
    expect(r.assets).toHaveLength(99);
    expect(r.assets[0]).toEqual({
      key: "host:blah1",
      fqdn: "Blah1",
      hostname: "Blah1",
      ip: "10.0.0.1",
      mac: "00:0d:3a:45:64:7f",
      os: "Linux Kernel 4.18.0-348.12.2.el8_5.x86_64 on AlmaLinux release 8.8 (Sapphire Caracal)",
    });
    // 99 rows, all severity Low; 50 name CVEs (up to 14 in one cell): 150 findings.
    expect(r.findings).toHaveLength(150);
    expect(r.duplicates).toBe(0);
    expect(r.other).toEqual([]);
    expect(r.findings.every((f) => f.severity === "low")).toBe(true);
    expect(r.findings.filter((f) => f.asset === "host:blah65")).toHaveLength(14);
    expect(r.findings.filter((f) => f.vulnId === "nessus:33851")).toHaveLength(31);

    const java = r.findings.filter((f) => f.asset === "host:blah10");
    expect(java.map((f) => f.vulnId)).toEqual([
      "CVE-2022-21619",
      "CVE-2022-21624",
      "CVE-2022-21626",
      "CVE-2022-21628",
    ]);
    expect(java.every((f) => f.plugin === "166552" && f.aliases[0] === "nessus:166552")).toBe(true);

    const vbox = r.findings.find((f) => f.asset === "host:blah32");
    expect(vbox).toMatchObject({
      vulnId: "CVE-2023-21885",
      package: { name: "vm_virtualbox", version: "6.1.36.152435" },
      fixedVersions: ["6.1.42"],
      port: "445/tcp",
      status: "fixed",
      statusDetail: "RESURFACED",
      locations: ["C:\\Program Files\\Oracle\\VirtualBox\\"],
    });

    const ssh = r.findings.find((f) => f.asset === "host:blah6");
    expect(ssh).toMatchObject({ vulnId: "CVE-2008-5161", port: "22/tcp", status: "affected" });
    expect(ssh?.cvss).toEqual([
      { version: "2.0", baseScore: 2.6, vector: "AV:N/AC:H/Au:N/C:P/I:N/A:N", source: "nessus" },
    ]);
  });
});

describe("parseTenableCsv on crafted exports", () => {
  it("reads comma-delimited exports, EPSS, Info results and FIXED states", async () => {
    const csv =
      `${HEADER.replaceAll(";", ",")}\n` +
      `db1,10.0.0.7,1,Old thing,"CVE-2024-0001, CVE-2024-0002",9.8,CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H,0.42,x,5432,TCP,Critical,FIXED,2024-05-01T00:00:00Z\n` +
      `db1,10.0.0.7,19506,Scan info,,,,,,0,TCP,Info,ACTIVE,2024-05-02T00:00:00Z\n`;
    const r = scanOf(await parseTenableCsv(tmpFile("comma.csv", csv)));
    expect(r.reportTime).toBe("2024-05-02T00:00:00Z");
    expect(
      r.findings.map((f) => [f.vulnId, f.status, f.severity, f.epss?.score, f.cvss[0]?.version]),
    ).toEqual([
      ["CVE-2024-0001", "resolved", "critical", 0.42, "3.1"],
      ["CVE-2024-0002", "resolved", "critical", 0.42, "3.1"],
    ]);
    expect(r.other).toEqual([
      { kind: "informational", asset: "host:db1", id: "19506", title: "Scan info", severity: "info" },
    ]);
  });
});

describe("parseTenableCsv refuses broken files", () => {
  it("a file cut inside a quoted cell: PARSE_ERROR at its line", async () => {
    const text = corpusText("nessus/nessus_new.csv");
    const lines = text.split("\n");
    // Line 2 holds a multi-line quoted description; cut the file inside it.
    const cut = `${lines.slice(0, 2).join("\n")}\n`;
    const error = await rejection(parseTenableCsv(tmpFile("cut.csv", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.line).toBe(2);
  });

  it("a row without host name, FQDN or IP: VALIDATION_ERROR naming its line", async () => {
    const csv = `${HEADER}\n;;10;Name;;;;;;0;TCP;Low;ACTIVE;2024-05-01T00:00:00Z\n`;
    const error = await rejection(parseTenableCsv(tmpFile("nohost.csv", csv)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("nohost.csv:2: the row (plugin 10) names no host name, FQDN or IP address");
  });

  it("a bad severity: VALIDATION_ERROR naming its line", async () => {
    const csv = `${HEADER}\nh;10.0.0.1;10;Name;;;;;;0;TCP;Urgentish;ACTIVE;2024-05-01T00:00:00Z\n`;
    const error = await rejection(parseTenableCsv(tmpFile("sev.csv", csv)));
    expect(error.oneLine()).toBe(
      "sev.csv:2: severity 'Urgentish' is not Info, Low, Medium, High or Critical",
    );
  });

  it("a header without definition.id: VALIDATION_ERROR at line 1", async () => {
    const error = await rejection(parseTenableCsv(tmpFile("nodef.csv", "asset.name;severity\nx;Low\n")));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe("nodef.csv:1: not a Tenable VM export: missing column definition.id");
  });
});
