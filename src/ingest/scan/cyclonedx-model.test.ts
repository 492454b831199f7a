import { describe, expect, it } from "vitest";
import { PatchlineError } from "../../errors.js";
import {
  buildCycloneDxReport,
  type CdxVulnerability,
  cvssOf,
  severityOf,
  statusOf,
  subjectAsset,
  vulnerabilityIds,
} from "./cyclonedx-model.js";
import type { Place } from "./sbom-util.js";

const fail = (_place: Place, message: string): never => {
  throw new PatchlineError("VALIDATION_ERROR", message);
};

function vuln(fields: Partial<CdxVulnerability>): CdxVulnerability {
  return {
    references: [],
    ratings: [],
    advisories: [],
    affects: [],
    place: { path: "/vulnerabilities/0" },
    ...fields,
  };
}

describe("statusOf", () => {
  it("maps every CycloneDX analysis state", () => {
    const a = (state: string, extra: Record<string, unknown> = {}) => ({ state, responses: [], ...extra });
    expect(statusOf(a("exploitable"), [], false)).toEqual({ status: "affected" });
    expect(statusOf(a("exploitable", { responses: ["can_not_fix"] }), [], false)).toEqual({
      status: "will_not_fix",
      detail: "can_not_fix",
    });
    expect(statusOf(a("in_triage"), [], false)).toEqual({ status: "under_investigation" });
    expect(statusOf(a("not_affected", { justification: "code_not_present" }), [], false)).toEqual({
      status: "not_affected",
      detail: "code_not_present",
    });
    expect(statusOf(a("false_positive"), [], false)).toEqual({
      status: "not_affected",
      detail: "false_positive",
    });
    expect(statusOf(a("resolved"), [], false)).toEqual({ status: "resolved" });
    expect(statusOf(a("resolved_with_pedigree"), [], false)).toEqual({
      status: "resolved",
      detail: "resolved_with_pedigree",
    });
    expect(statusOf(a("something_new"), [], false)).toEqual({ status: "unknown", detail: "something_new" });
  });

  it("without analysis: fixed when a fixed version is known, not_affected when the installed version is unaffected", () => {
    expect(statusOf(undefined, [], false)).toEqual({ status: "affected" });
    expect(statusOf(undefined, ["1.2.3"], false)).toEqual({ status: "fixed" });
    expect(statusOf(undefined, [], true)).toEqual({ status: "not_affected", detail: "unaffected" });
  });
});

describe("vulnerabilityIds", () => {
  it("prefers the CVE, keeping the scanner's own id as an alias", () => {
    expect(vulnerabilityIds(vuln({ id: "cve-2021-44228" }), "cyclonedx:grype", fail)).toEqual({
      ids: ["CVE-2021-44228"],
      aliases: [],
    });
    expect(
      vulnerabilityIds(
        vuln({ id: "GHSA-jfh8-c2jp-5v3q", references: [{ id: "CVE-2021-44228" }] }),
        "x",
        fail,
      ),
    ).toEqual({ ids: ["CVE-2021-44228"], aliases: ["GHSA-jfh8-c2jp-5v3q"] });
    expect(vulnerabilityIds(vuln({ id: "sonatype-2021-4682" }), "cyclonedx:jake", fail)).toEqual({
      ids: ["sonatype-2021-4682"],
      aliases: [],
    });
    expect(vulnerabilityIds(vuln({ id: "1234" }), "cyclonedx:jake", fail).ids).toEqual([
      "cyclonedx:jake:1234",
    ]);
  });

  it("takes the CVE from the source or advisories only when they name exactly one", () => {
    const one = vuln({ id: "OSSINDEX-1", advisories: ["https://nvd.nist.gov/vuln/detail/CVE-2020-1111"] });
    expect(vulnerabilityIds(one, "x", fail)).toEqual({ ids: ["CVE-2020-1111"], aliases: ["OSSINDEX-1"] });
    const source = vuln({
      id: "OSSINDEX-2",
      source: { name: "NVD", url: "https://nvd.nist.gov/vuln/detail/CVE-2020-2222" },
    });
    expect(vulnerabilityIds(source, "x", fail).ids).toEqual(["CVE-2020-2222"]);
    const two = vuln({ id: "OSSINDEX-3", advisories: ["https://a/CVE-2020-1", "https://b/CVE-2020-2"] });
    expect(vulnerabilityIds(two, "x", fail).ids).toEqual(["OSSINDEX-3"]);
  });

  it("refuses a vulnerability without id or bom-ref", () => {
    expect(() => vulnerabilityIds(vuln({}), "x", fail)).toThrow("the vulnerability has no id");
    expect(vulnerabilityIds(vuln({ bomRef: "GHSA-aaaa-bbbb-cccc" }), "x", fail).ids).toEqual([
      "GHSA-aaaa-bbbb-cccc",
    ]);
  });
});

describe("severity and CVSS from ratings", () => {
  it("takes the highest severity word, else the highest CVSS score", () => {
    expect(severityOf([{ severity: "low" }, { severity: "High" }, { severity: "medium" }])).toBe("high");
    expect(
      severityOf([
        { score: 9.1, method: "CVSSv31" },
        { score: 5, method: "CVSSv2" },
      ]),
    ).toBe("critical");
    expect(severityOf([{ score: 9.1, method: "OWASP" }])).toBe("unknown");
    expect(severityOf([])).toBe("unknown");
  });

  it("keeps only CVSS ratings with a score, one per source and version", () => {
    expect(
      cvssOf(
        [
          { source: "NVD", score: 7.5, method: "CVSSv31", vector: "CVSS:3.1/AV:N" },
          { source: "NVD", score: 7.4, method: "CVSSv31" },
          { source: "ghsa", severity: "high" },
          { score: 3, method: "OWASP" },
        ],
        "trivy",
      ),
    ).toEqual([{ version: "3.1", baseScore: 7.5, vector: "CVSS:3.1/AV:N", source: "trivy:nvd" }]);
  });
});

describe("subjectAsset", () => {
  it("names containers as images and other subjects as artifacts", () => {
    const base = { properties: [], occurrences: [], place: {} };
    expect(subjectAsset({ ...base, type: "container", name: "app", version: "1.0" }, "x.json")).toEqual({
      image: "app:1.0",
    });
    expect(subjectAsset({ ...base, type: "application", name: "shop", version: "2.0" }, "x.json")).toEqual({
      artifact: "shop@2.0",
    });
    expect(subjectAsset({ ...base, type: "file", name: "./lib" }, "x.json")).toEqual({ artifact: "./lib" });
    expect(subjectAsset(undefined, "out/bom.json")).toEqual({ artifact: "bom.json" });
  });

  it("records the subject as the one asset even with no components or vulnerabilities", () => {
    const report = buildCycloneDxReport(
      { tools: [], components: [], vulnerabilities: [] },
      { path: "/nowhere", displayName: "empty.json" },
    );
    expect(report).toEqual({
      scanner: "cyclonedx",
      assets: [{ key: "artifact:empty.json", artifact: "empty.json" }],
      findings: [],
      other: [],
      duplicates: 0,
      components: [],
    });
  });
});
