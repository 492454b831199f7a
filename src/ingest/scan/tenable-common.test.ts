import { describe, expect, it } from "vitest";
import { looksLikeNessusCsv } from "./nessus-csv.js";
import { looksLikeNessusXml } from "./nessus-xml.js";
import {
  applicationProduct,
  cveList,
  cvssScore,
  epssScore,
  nessusInstant,
  outputFacts,
  portOf,
  scanInformation,
  stateStatus,
  tenableSeverity,
} from "./tenable-common.js";
import { looksLikeTenableCsv } from "./tenable-csv.js";
import { looksLikeTenableScCsv } from "./tenable-sc-csv.js";
import { claimedCorpusFiles, corpusFiles } from "./testing/fixtures.js";

const DETECTORS: Record<string, { detect: (head: string) => boolean; files: string[] }> = {
  "nessus-xml": {
    detect: looksLikeNessusXml,
    files: [
      "nessus/nessus_many_vuln.xml",
      "nessus/nessus_was_one_vuln.xml",
      "nessus/nessus_with_cvssv3.nessus",
    ],
  },
  "nessus-csv": {
    detect: looksLikeNessusCsv,
    files: [
      "nessus/nessus_many_vuln2-all.csv",
      "nessus/nessus_many_vuln2-default.csv",
      "nessus/tenable_many_vuln.csv",
    ],
  },
  "tenable-csv": { detect: looksLikeTenableCsv, files: ["nessus/nessus_new.csv"] },
  "tenable-sc-csv": { detect: looksLikeTenableScCsv, files: ["nessus/tenable_sc_issue_9612.csv"] },
};

describe("format detection over the whole corpus", () => {
  const files = corpusFiles();

  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain("nessus/nessus_new.csv");
  });

  for (const [format, { detect, files: mine }] of Object.entries(DETECTORS)) {
    it(`${format}: claims exactly its own files`, async () => {
      const claimed = await claimedCorpusFiles(detect);
      expect(claimed.sort()).toEqual([...mine].sort());
    });
  }

  it("claims a head cut in the middle of the document", () => {
    expect(looksLikeNessusXml('<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Policy><policyName>x')).toBe(
      true,
    );
    expect(
      looksLikeNessusCsv('Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name\n"10107","","","None","10.0'),
    ).toBe(true);
    expect(looksLikeTenableCsv("age_in_days;asset.host_name;definition.id;severity\n14;Bla")).toBe(true);
    expect(looksLikeTenableScCsv('"Plugin","Plugin Name","Family","Severity","IP Address"\n"737')).toBe(true);
  });

  it("does not claim look-alikes", () => {
    expect(looksLikeNessusXml("<NessusClientData>\n<Report name='v1'>")).toBe(false);
    expect(looksLikeNessusXml('{"note": "<NessusClientData_v2>"}')).toBe(false);
    expect(looksLikeNessusCsv("IP,Hostname,Port,Port Protocol,CVSS,Severity,NVT Name")).toBe(false);
    expect(looksLikeTenableScCsv("Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name")).toBe(false);
    expect(looksLikeTenableCsv("definition.id,severity,host")).toBe(false);
  });
});

describe("helpers", () => {
  it("reads Tenable severities as numbers and words", () => {
    expect(["0", "1", "2", "3", "4"].map(tenableSeverity)).toEqual([
      "info",
      "low",
      "medium",
      "high",
      "critical",
    ]);
    expect(tenableSeverity("None")).toBe("info");
    expect(tenableSeverity("Info")).toBe("info");
    expect(tenableSeverity("CRITICAL")).toBe("critical");
    expect(tenableSeverity("5")).toBeUndefined();
    expect(tenableSeverity("")).toBeUndefined();
  });

  it("reads every time form Tenable writes", () => {
    expect(nessusInstant("1648044472")).toBe("2022-03-23T14:07:52Z");
    // Nessus ctime form: local time without a zone, read as UTC.
    expect(nessusInstant("Tue Jun 25 10:39:42 2013")).toBe("2013-06-25T10:39:42Z");
    expect(nessusInstant("Thu Jan  7 09:05:01 2021")).toBe("2021-01-07T09:05:01Z");
    expect(nessusInstant("2021-03-12T14:35:34.341269+00:00")).toBe("2021-03-12T14:35:34.341269Z");
    expect(nessusInstant("2023-06-08T01:58:56.166Z")).toBe("2023-06-08T01:58:56.166Z");
    expect(nessusInstant("Feb 19, 2024 21:01:01 UTC")).toBe("2024-02-19T21:01:01Z");
    expect(nessusInstant("2021/1/25 18:40 Romance Standard Time")).toBe("2021-01-25T18:40:00Z");
    expect(nessusInstant("Feb 19, 2024 21:01:01 EST")).toBeNull();
    expect(nessusInstant("Feb 30 10:00:00 2021")).toBeNull();
    expect(nessusInstant("yesterday")).toBeNull();
  });

  it("builds CVSS scores with the version the vector states", () => {
    expect(cvssScore(2, "7.5", "CVSS2#AV:N/AC:L/Au:N/C:P/I:P/A:P", "cvss")).toEqual({
      version: "2.0",
      baseScore: 7.5,
      vector: "AV:N/AC:L/Au:N/C:P/I:P/A:P",
      source: "nessus",
    });
    expect(cvssScore(3, "9.8", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cvss3")?.version).toBe("3.1");
    expect(cvssScore(3, "7.1", undefined, "cvssv3", "tenable-was")).toEqual({
      version: "3.0",
      baseScore: 7.1,
      source: "tenable-was",
    });
    expect(cvssScore(4, "", "CVSS:4.0/AV:N", "cvss4")).toBeUndefined();
    expect(() => cvssScore(2, "high", undefined, "CVSS")).toThrow("CVSS 'high' is not a CVSS score");
    expect(() => cvssScore(2, "11", undefined, "CVSS")).toThrow("is not a CVSS score");
  });

  it("reads EPSS as a probability or a percentage", () => {
    expect(epssScore("0.0123")).toEqual({ score: 0.0123 });
    expect(epssScore("97.5%")).toEqual({ score: 0.975 });
    expect(epssScore("12.5")).toEqual({ score: 0.125 });
    expect(epssScore("n/a")).toBeUndefined();
  });

  it("splits CVE cells and ports", () => {
    expect(cveList("CVE-2022-21619, cve-2022-21624,CVE-2022-21619 IAVA:2020-A-1")).toEqual([
      "CVE-2022-21619",
      "CVE-2022-21624",
    ]);
    expect(portOf("0", "tcp")).toBeUndefined();
    expect(portOf("443", "TCP")).toBe("443/tcp");
  });

  it("reads versions, paths and URLs from plugin output", () => {
    const facts = outputFacts(
      "\n  Path              : C:\\Program Files\\Java\\jre8\\\n  Installed version : 1.8.0_301\n" +
        "  Fixed version     : 1.8.0_311 / 11.0.13\n  URL : http://host/app/ (1.8 under http://host/x)\n",
    );
    expect(facts).toEqual({
      installed: ["1.8.0_301"],
      fixed: ["1.8.0_311", "11.0.13"],
      locations: ["C:\\Program Files\\Java\\jre8\\", "http://host/app/"],
    });
    const eol = outputFacts(
      "  Installed version : 10.50.6560.0\n  Fixed version     : This version is no longer supported.",
    );
    expect(eol.fixed).toEqual([]);
    expect(eol.endOfLife).toBe("This version is no longer supported.");
    expect(
      outputFacts("Vulnerability has been detected on URL 'http://a.test/s.jsp' by exploiting").locations,
    ).toEqual(["http://a.test/s.jsp"]);
  });

  it("names an application only when the CPEs name exactly one", () => {
    expect(applicationProduct(["cpe:/a:php:php"])).toBe("php");
    expect(applicationProduct(["cpe:2.3:a:apache:tomcat:8.0.36:*:*:*:*:*:*:*"])).toBe("tomcat");
    expect(applicationProduct(["cpe:/a:microsoft:ie", "cpe:/o:microsoft:windows"])).toBe("ie");
    expect(applicationProduct(["p-cpe:/a:centos:centos:glibc", "cpe:/o:centos:centos:7"])).toBeUndefined();
    expect(applicationProduct(["cpe:/a:php:php", "cpe:/a:nginx:nginx"])).toBeUndefined();
  });

  it("reads plugin 19506 and state words", () => {
    expect(
      scanInformation(
        "Nessus version : 10.1.1\nScan policy used : Basic Network Scan\nScan Start Date : 2022/3/23 14:31",
      ),
    ).toEqual({ scannerVersion: "10.1.1", policy: "Basic Network Scan", start: "2022-03-23T14:31:00Z" });
    expect(stateStatus("Fixed")).toEqual({ status: "resolved", detail: "Fixed" });
    expect(stateStatus("RESURFACED")).toEqual({ status: "affected", detail: "RESURFACED" });
    expect(stateStatus("Accepted")).toEqual({ status: "unknown", detail: "Accepted" });
    expect(stateStatus("")).toBeUndefined();
  });
});
