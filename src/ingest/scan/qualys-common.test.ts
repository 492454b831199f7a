import { describe, expect, it } from "vitest";
import {
  cveList,
  detectionKind,
  hostFields,
  laterInstant,
  portOf,
  qualysCvss,
  qualysInstant,
  qualysSeverity,
  qualysStatus,
  qualysVulnIds,
} from "./qualys-common.js";

describe("Qualys shared rules", () => {
  it("maps severity levels, letters and words", () => {
    expect(["5", "4", "3", "2", "1"].map(qualysSeverity)).toEqual([
      "critical",
      "high",
      "medium",
      "low",
      "low",
    ]);
    expect(["H", "M", "L", "C"].map(qualysSeverity)).toEqual(["high", "medium", "low", "critical"]);
    expect(qualysSeverity("Urgent")).toBe("critical");
    expect(qualysSeverity("")).toBe("unknown");
  });

  it("tells confirmed, potential and information gathered apart", () => {
    expect(["Vuln", "CONFIRMED", "Confirmed Vulnerability", ""].map(detectionKind)).toEqual([
      "confirmed",
      "confirmed",
      "confirmed",
      "confirmed",
    ]);
    expect(["Practice", "POTENTIAL", "Potential Vulnerability"].map(detectionKind)).toEqual([
      "potential",
      "potential",
      "potential",
    ]);
    expect(["Ig", "Info", "Information Gathered"].map(detectionKind)).toEqual(["info", "info", "info"]);
  });

  it("maps vulnerability statuses", () => {
    expect(
      ["New", "ACTIVE", "Re-Opened", "REOPENED", "", "Fixed", "FIXED", "Ignored"].map(qualysStatus),
    ).toEqual([
      "affected",
      "affected",
      "affected",
      "affected",
      "affected",
      "resolved",
      "resolved",
      "unknown",
    ]);
  });

  it("reads CVE lists, QID ids and ports", () => {
    expect(cveList("CVE-2021-31192, cve-2021-31188,CVE-2021-31192", "CVE-2020-1")).toEqual([
      "CVE-2021-31192",
      "CVE-2021-31188",
    ]);
    expect(qualysVulnIds("38170", [])).toEqual(["qualys:38170"]);
    expect(qualysVulnIds("91762", ["CVE-2021-1720"])).toEqual(["CVE-2021-1720"]);
    expect(portOf("443", "TCP")).toBe("443/tcp");
    expect(portOf("0", "'-")).toBeUndefined();
    expect(portOf("", "tcp")).toBeUndefined();
    expect(portOf("8080", "'-")).toBe("8080");
  });

  it("reads CVSS cells with and without vectors", () => {
    expect(qualysCvss("8.1 (AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H)", "3.0", "qualys")).toEqual({
      version: "3.0",
      baseScore: 8.1,
      vector: "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H",
      source: "qualys",
    });
    expect(qualysCvss("9.0 (CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H)", "3.0", "qualys")?.version).toBe(
      "3.1",
    );
    expect(qualysCvss("5", "2.0", "qualys")).toEqual({ version: "2.0", baseScore: 5, source: "qualys" });
    expect(qualysCvss("-", "3.0", "qualys")).toBeUndefined();
    expect(qualysCvss("'-", "3.0", "qualys")).toBeUndefined();
    expect(qualysCvss("", "3.0", "qualys")).toBeUndefined();
  });

  it("reads the date formats Qualys writes", () => {
    expect(qualysInstant("04 Feb 2026 10:00AM GMT-0500")).toBe("2026-02-04T15:00:00Z");
    expect(qualysInstant("11 Mar 2020 01:07PM GMT-0400")).toBe("2020-03-11T17:07:00Z");
    expect(qualysInstant("Feb 03, 2026 07:00 AM")).toBe("2026-02-03T07:00:00Z");
    expect(qualysInstant("Dec 15, 2021 12:30 PM")).toBe("2021-12-15T12:30:00Z");
    expect(qualysInstant("Dec 15, 2021 12:30 AM")).toBe("2021-12-15T00:30:00Z");
    expect(qualysInstant("05/25/2021 07:36:58")).toBe("2021-05-25T07:36:58Z");
    expect(qualysInstant("09/27/2021 at 14:29:36 (GMT+0100)")).toBe("2021-09-27T13:29:36Z");
    expect(qualysInstant("2024-09-16 04:00:30")).toBe("2024-09-16T04:00:30Z");
    expect(qualysInstant("2019-08-01T20:03:10Z")).toBe("2019-08-01T20:03:10Z");
    expect(qualysInstant("13/45/2021 07:36:58")).toBeNull();
    expect(qualysInstant("Asset Vuln Datalist Report")).toBeNull();
    expect(qualysInstant("1")).toBeNull();
    expect(laterInstant("2021-05-25T07:36:58Z", "2021-06-08T12:18:00Z")).toBe("2021-06-08T12:18:00Z");
    expect(laterInstant("2021-06-08T12:18:00Z", null)).toBe("2021-06-08T12:18:00Z");
  });

  it("puts host names with a dot into fqdn and drops placeholders", () => {
    expect(hostFields("demo13.s02.sjc01.qualys.com")).toEqual({ fqdn: "demo13.s02.sjc01.qualys.com" });
    expect(hostFields("JAVAAPP01")).toEqual({ hostname: "JAVAAPP01" });
    expect(hostFields("No registered hostname")).toEqual({});
    expect(hostFields("10.1.10.1")).toEqual({});
    expect(hostFields("'-")).toEqual({});
  });
});
