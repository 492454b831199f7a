import { describe, expect, it } from "vitest";
import { cvss2BaseScore, cvss3BaseScore } from "../cvss3.js";
import { looksLikeOsvScanner, osvScannerReportFromJson, parseOsvScanner } from "./osv-scanner.js";
import {
  corpusHeads,
  corpusInput,
  corpusText,
  findingOf,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmpFile = scratchDir("osv-scanner");
const report = async (relative: string) => scanOf(await parseOsvScanner(corpusInput(relative)));

describe("parseOsvScanner on the corpus", () => {
  it("reads a yarn.lock result with a malicious-package record", async () => {
    const r = await report("osv-scanner/some_findings.json");
    expect(r.scanner).toBe("osv-scanner");
    expect(r.assets).toEqual([
      { key: "artifact:/tmp/components/yarn.lock", artifact: "/tmp/components/yarn.lock" },
    ]);
    expect(r.findings).toEqual([
      {
        fingerprint: "artifact:/tmp/components/yarn.lock|MAL-2023-1035|pkg:flot-axis@0.0.0",
        asset: "artifact:/tmp/components/yarn.lock",
        vulnId: "MAL-2023-1035",
        aliases: ["GHSA-8348-2q94-ffjx"],
        title: "Malicious code in flot-axis (npm)",
        package: { name: "flot-axis", version: "0.0.0", purl: "pkg:npm/flot-axis@0.0.0", ecosystem: "npm" },
        fixedVersions: [],
        severity: "unknown",
        cvss: [],
        locations: ["/tmp/components/yarn.lock"],
        status: "affected",
      },
    ]);
  });

  it("reads many results: one finding per group, its id the earliest CVE", async () => {
    const r = await report("osv-scanner/many_findings.json");
    expect(r.assets.map((a) => a.artifact)).toEqual([
      "/tmpcardmarket-api/composer.lock",
      "/tmpgapps/requirements.txt",
      "/tmphumble/requirements.txt",
      "/tmprengine/",
      "/tmprengine/web/requirements.txt",
      "/tmptrivy-dojo-report-operator/poetry.lock",
    ]);
    // 37 groups over 11 packages.
    expect(r.findings).toHaveLength(37);
    expect(r.duplicates).toBe(0);
    expect(r.findings.filter((f) => f.package?.name === "django")).toHaveLength(20);

    const guzzle = findingOf(r, "CVE-2022-31090");
    expect(guzzle).toMatchObject({
      asset: "artifact:/tmpcardmarket-api/composer.lock",
      aliases: ["GHSA-25mq-v84q-4j7r"],
      package: {
        name: "guzzlehttp/guzzle",
        version: "6.3.3",
        purl: "pkg:composer/guzzlehttp/guzzle@6.3.3",
        ecosystem: "Packagist",
      },
      fixedVersions: ["6.5.8", "7.4.5"],
      status: "fixed",
      severity: "high",
    });
    expect(guzzle.cvss).toEqual([
      {
        version: "3.1",
        baseScore: 7.7,
        vector: "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N",
        source: "osv:GHSA-25mq-v84q-4j7r",
      },
    ]);

    // The psr7 group joins two GHSA records naming three CVEs: one finding, the others as aliases.
    const psr7 = r.findings.filter((f) => f.package?.name === "guzzlehttp/psr7");
    expect(psr7).toHaveLength(1);
    expect(psr7[0]?.vulnId).toBe("CVE-2022-24775");
    expect(psr7[0]?.aliases).toEqual(
      expect.arrayContaining([
        "GHSA-q7rv-6hp3-vh96",
        "GHSA-wxmh-65f7-jcvw",
        "CVE-2023-29197",
        "CVE-2023-29530",
      ]),
    );
    expect(psr7[0]?.fixedVersions).toEqual(["1.8.4", "2.1.1", "1.9.1", "2.4.5"]);
    expect(psr7[0]?.severity).toBe("medium");

    expect(findingOf(r, "CVE-2022-36359", "django").aliases).toContain("CVE-2022-45442");
    // GIT ranges' fixed commits are not versions of a PyPI package.
    expect(findingOf(r, "CVE-2023-45803", "urllib3").fixedVersions).toEqual(["2.0.7", "1.26.18"]);
    // requests 2.29.0 and 2.25.1 are two findings on two lockfiles.
    expect(r.findings.filter((f) => f.vulnId === "CVE-2023-32681").map((f) => f.package?.version)).toEqual([
      "2.29.0",
      "2.25.1",
    ]);
  });

  it("reads a package found by commit in a git checkout", async () => {
    const r = await report("osv-scanner/many_findings.json");
    expect(findingOf(r, "CVE-2023-50094")).toMatchObject({
      asset: "artifact:/tmprengine/",
      package: {
        name: "https://github.com/yogeshojha/rengine",
        version: "f5f3c22f3ed5a6804a2a8d9ee9fa43044cfa24a6",
        ecosystem: "git",
      },
      fixedVersions: [],
      status: "affected",
      severity: "high",
    });
  });
});

describe("osvScannerReportFromJson", () => {
  const record = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    affected: [
      {
        package: { name: "lodash", ecosystem: "npm" },
        ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.17.21" }] }],
      },
    ],
    ...extra,
  });

  it("keeps ungrouped records as their own findings and takes max_severity", () => {
    const r = osvScannerReportFromJson(
      {
        results: [
          {
            source: { path: "/app/package-lock.json", type: "lockfile" },
            packages: [
              {
                package: { name: "lodash", version: "4.17.15", ecosystem: "npm" },
                vulnerabilities: [
                  record("GHSA-aaaa-bbbb-cccc", { aliases: ["CVE-2021-23337"] }),
                  record("GHSA-dddd-eeee-ffff"),
                ],
                groups: [
                  {
                    ids: ["GHSA-aaaa-bbbb-cccc"],
                    aliases: ["CVE-2021-23337", "GHSA-aaaa-bbbb-cccc"],
                    max_severity: "7.2",
                  },
                ],
                license_violations: ["GPL-3.0"],
              },
            ],
          },
        ],
      },
      "o.json",
    );
    expect(r.findings.map((f) => `${f.vulnId}:${f.severity}:${f.fixedVersions.join(",")}`)).toEqual([
      "CVE-2021-23337:high:4.17.21",
      "GHSA-dddd-eeee-ffff:unknown:4.17.21",
    ]);
    expect(r.other).toEqual([
      {
        kind: "license",
        asset: "artifact:/app/package-lock.json",
        id: "GPL-3.0",
        title: "lodash@4.17.15: GPL-3.0",
        severity: "unknown",
        location: "/app/package-lock.json",
      },
    ]);
  });

  it("refuses a group naming a record the package does not list", async () => {
    const e = await rejection(() =>
      osvScannerReportFromJson(
        {
          results: [
            {
              source: { path: "p" },
              packages: [
                { package: { name: "x", version: "1" }, vulnerabilities: [], groups: [{ ids: ["GHSA-x"] }] },
              ],
            },
          ],
        },
        "o.json",
      ),
    );
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place.path).toBe("/results/0/packages/0/groups/0/ids");
  });

  it("refuses JSON that is not an osv-scanner report", async () => {
    const e = await rejection(() => osvScannerReportFromJson({ vulnerabilities: [] }, "x.json"));
    expect(e.oneLine()).toBe("x.json at /results: not an osv-scanner report: missing 'results'");
  });
});

describe("CVSS base scores from vectors", () => {
  it("computes v3.x and v2 scores as the specifications do", () => {
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")?.baseScore).toBe(9.8);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N")?.baseScore).toBe(7.7);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N")?.baseScore).toBe(5.3);
    expect(cvss3BaseScore("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N")?.baseScore).toBe(6.1);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")?.baseScore).toBe(0);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L")).toBeNull();
    expect(cvss2BaseScore("AV:N/AC:L/Au:N/C:P/I:N/A:N")?.baseScore).toBe(5);
    expect(cvss2BaseScore("AV:L/AC:L/Au:N/C:C/I:C/A:C")?.baseScore).toBe(7.2);
    expect(cvss2BaseScore("AV:N/AC:M/Au:N/C:N/I:P/A:N")?.baseScore).toBe(4.3);
  });
});

describe("parseOsvScanner on broken files", () => {
  it("a truncated file is a PARSE_ERROR naming file and line", async () => {
    const text = corpusText("osv-scanner/some_findings.json");
    const e = await rejection(parseOsvScanner(tmpFile("cut.json", text.slice(0, 1200))));
    expect(e.code).toBe("PARSE_ERROR");
    expect(e.place.file).toBe("cut.json");
    expect(e.place.line).toBeGreaterThan(20);
  });

  it("a wrong structure is a VALIDATION_ERROR naming the place", async () => {
    const json = JSON.parse(corpusText("osv-scanner/some_findings.json"));
    json.results[0].packages[0].vulnerabilities[0].affected[0].ranges = {};
    const e = await rejection(parseOsvScanner(tmpFile("bad.json", JSON.stringify(json))));
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place.path).toBe("/results/0/packages/0/vulnerabilities/0/affected/0/ranges");
  });
});

describe("looksLikeOsvScanner", () => {
  it("claims every osv-scanner corpus file and nothing else in the corpus", async () => {
    for (const { dir, name, head } of await corpusHeads()) {
      expect([`${dir}/${name}`, looksLikeOsvScanner(head)]).toEqual([
        `${dir}/${name}`,
        dir === "osv-scanner",
      ]);
    }
  });

  it("tells an empty osv-scanner report", () => {
    expect(looksLikeOsvScanner('{"results": [], "experimental_config": {"licenses": {}}}')).toBe(true);
    expect(looksLikeOsvScanner('{"results": []}')).toBe(false);
  });
});
