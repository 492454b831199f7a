import { describe, expect, it } from "vitest";
import { grypeReportFromJson, looksLikeGrype, parseGrype } from "./grype.js";
import {
  corpusHeads,
  corpusInput,
  corpusText,
  findingOf,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmpFile = scratchDir("grype");
const report = async (relative: string) => scanOf(await parseGrype(corpusInput(relative)));

describe("parseGrype on the corpus", () => {
  it("reads fix states, related CVEs and duplicate matches (0.28)", async () => {
    const r = await report("grype/check_all_fields.json");
    expect(r.scanner).toBe("grype");
    expect(r.scannerVersion).toBe("0.28.0");
    expect(r.reportTime).toBeUndefined();
    expect(r.scope).toBe("image");
    expect(r.assets).toEqual([
      {
        key: "image:vulnerable-image:latest",
        image: "vulnerable-image:latest",
        imageDigest: "sha256:9d8825ab20ac86b40eb71495bece1608a302fb180384740697a28c2b0a5a0fc6",
      },
    ]);
    // Six matches: the Django GHSA is matched twice, so five findings and one duplicate.
    expect(r.findings).toHaveLength(5);
    expect(r.duplicates).toBe(1);
    expect(findingOf(r, "CVE-2021-44420")).toMatchObject({
      aliases: ["GHSA-v6rh-hp5x-86rv"],
      package: { name: "Django", version: "3.2.9", purl: "pkg:pypi/Django@3.2.9", ecosystem: "python" },
      fixedVersions: ["3.2.10"],
      status: "fixed",
      severity: "high",
    });
    // The related NVD record's CVSS comes along.
    expect(findingOf(r, "CVE-2021-44420").cvss.map((c) => `${c.version}:${c.baseScore}:${c.source}`)).toEqual(
      ["2.0:7.5:grype:nvd", "3.1:7.3:grype:nvd"],
    );
    expect(findingOf(r, "CVE-2004-0971")).toMatchObject({
      status: "affected",
      severity: "low",
      fixedVersions: [],
    });
    expect(findingOf(r, "CVE-2021-32626")).toMatchObject({
      status: "will_not_fix",
      fixedVersions: ["fix_1", "fix_2"],
    });
    expect(findingOf(r, "CVE-2021-33574", "libc6").status).toBe("will_not_fix");
    expect(findingOf(r, "CVE-2004-0971").locations).toEqual([
      "/var/lib/dpkg/status",
      "/var/lib/dpkg/info/libgssapi-krb5-2:amd64.md5sums",
      "/usr/share/doc/libgssapi-krb5-2/copyright",
    ]);
  });

  it("reads a single fixed match with its timestamp (0.75)", async () => {
    const r = await report("grype/fix_available.json");
    expect(r.scannerVersion).toBe("0.75.0");
    expect(r.reportTime).toBe("2024-04-10T11:05:22.636338786Z");
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      vulnId: "CVE-2009-3882",
      fixedVersions: ["1.2.3"],
      status: "fixed",
      package: { name: "java", ecosystem: "binary" },
      locations: ["/opt/java/openjdk/bin/java"],
      cvss: [
        {
          version: "2.0",
          baseScore: 7.5,
          vector: "AV:N/AC:L/Au:N/C:P/I:P/A:P",
          source: "grype:nvd@nist.gov",
        },
      ],
    });
  });

  it("reads the 0.7 layout without a fix block", async () => {
    const r = await report("grype/many_vulns3.json");
    expect(r.scannerVersion).toBe("0.7.0");
    expect(r.assets[0]?.image).toBe("defectdojo/defectdojo-django:1.13.1");
    expect(r.findings).toHaveLength(327);
    expect(r.findings.filter((f) => f.status === "fixed")).toHaveLength(28);
    expect(r.findings.filter((f) => f.severity === "low")).toHaveLength(27 + 106);
    expect(r.findings.filter((f) => f.severity === "critical")).toHaveLength(5);
    expect(findingOf(r, "CVE-2019-18276", "bash")).toMatchObject({
      status: "affected",
      severity: "low",
      cvss: [{ version: "2.0", baseScore: 7.2, vector: "AV:L/AC:L/Au:N/C:C/I:C/A:C", source: "grype" }],
    });
    expect(findingOf(r, "CVE-2021-24031")).toMatchObject({
      status: "fixed",
      fixedVersions: ["1.3.8+dfsg-3+deb10u1"],
    });
  });

  it("reads a directory source", async () => {
    const r = await report("grype/many_vulns4.json");
    expect(r.scope).toBe("directory");
    expect(r.assets).toEqual([{ key: "artifact:.", artifact: "." }]);
    expect(r.findings).toHaveLength(9);
    expect(findingOf(r, "CVE-2021-29940")).toMatchObject({
      severity: "critical",
      package: { name: "through", version: "2.3.8" },
      locations: ["components/yarn.lock"],
      status: "affected",
    });
    expect(findingOf(r, "CVE-2021-23334")).toMatchObject({
      aliases: ["GHSA-8v27-2fg9-7h62"],
      status: "affected",
    });
  });

  it("reads EPSS values and an empty fix state (0.94)", async () => {
    const r = await report("grype/many_vulns_with_epss_values.json");
    expect(r.reportTime).toBe("2025-06-19T11:43:35.523947199Z");
    expect(r.assets[0]).toMatchObject({
      image: "busybox:1.32.1",
      imageDigest: "sha256:ae39a6f5c07297d7ab64dbd4f82c77c874cc6a94cea29fdec309d0992574b4f7",
    });
    expect(r.findings).toHaveLength(15);
    expect(r.findings.filter((f) => f.status === "affected")).toHaveLength(14);
    expect(findingOf(r, "CVE-2022-28391").epss).toEqual({ score: 0.0719, percentile: 0.91123 });
    expect(findingOf(r, "CVE-2021-42376")).toMatchObject({
      status: "fixed",
      fixedVersions: ["1.34.0"],
      epss: { score: 0.00028, percentile: 0.06078 },
    });
  });

  it("EDGE CASE: zero matches is a valid empty report", async () => {
    const r = await report("grype/no_vuln.json");
    expect(r.findings).toEqual([]);
    expect(r.assets.map((a) => a.image)).toEqual(["busybox:latest"]);
  });

  it("merges the same CVE at two paths of one package into one finding", async () => {
    const r = await report("grype/same_cve_different_paths.json");
    expect(r.findings).toHaveLength(1);
    expect(r.duplicates).toBe(1);
    expect(r.findings[0]?.locations).toEqual([
      "/usr/lib/x86_64-linux-gnu/libc.so.6",
      "/lib/x86_64-linux-gnu/libc.so.6",
    ]);
    // "sha256:test" is no digest.
    expect(r.assets[0]?.imageDigest).toBeUndefined();
  });
});

describe("grypeReportFromJson", () => {
  const m = (vulnerability: Record<string, unknown>, related: unknown[] = []) => ({
    vulnerability: { severity: "High", ...vulnerability },
    relatedVulnerabilities: related,
    artifact: { name: "lodash", version: "4.17.4", type: "npm", locations: [{ path: "package-lock.json" }] },
  });
  const doc = (matches: unknown[]) => ({
    matches,
    source: { type: "directory", target: "/src/app" },
    descriptor: { name: "grype", version: "0.80.0", timestamp: "2024-05-01T10:00:00+02:00" },
  });

  it("maps fix states and turns a GHSA with two related CVEs into two findings", () => {
    const r = grypeReportFromJson(
      doc([
        m({ id: "CVE-1", fix: { versions: ["1"], state: "fixed" } }),
        m({ id: "CVE-2", fix: { versions: [], state: "not-fixed" } }),
        m({ id: "CVE-3", fix: { versions: [], state: "wont-fix" } }),
        m({ id: "CVE-4", fix: { versions: ["4.17.5"], state: "unknown" } }),
        m({ id: "CVE-5", fix: { versions: [], state: "" } }),
        m({ id: "GHSA-aaaa-bbbb-cccc" }, [
          { id: "CVE-2024-0002", namespace: "nvd" },
          { id: "CVE-2024-0001", namespace: "nvd" },
        ]),
      ]),
      "g.json",
    );
    expect(r.assets).toEqual([{ key: "artifact:/src/app", artifact: "/src/app" }]);
    expect(r.reportTime).toBe("2024-05-01T08:00:00Z");
    expect(r.findings.map((f) => `${f.vulnId}:${f.status}`)).toEqual([
      "CVE-1:fixed",
      "CVE-2:affected",
      "CVE-3:will_not_fix",
      "CVE-4:fixed",
      "CVE-5:affected",
      "CVE-2024-0002:affected",
      "CVE-2024-0001:affected",
    ]);
    expect(r.findings[6]?.aliases).toEqual(["GHSA-aaaa-bbbb-cccc"]);
  });

  it("refuses a match without an artifact name, naming the JSON pointer", async () => {
    const bad = doc([m({ id: "CVE-1" }), { ...m({ id: "CVE-2" }), artifact: { version: "1" } }]);
    const e = await rejection(() => grypeReportFromJson(bad, "g.json"));
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place).toEqual({ file: "g.json", path: "/matches/1/artifact/name" });
  });

  it("refuses JSON that is not a Grype report", async () => {
    const e = await rejection(() => grypeReportFromJson({ results: [] }, "x.json"));
    expect(e.oneLine()).toBe("x.json at /matches: not a Grype report: missing 'matches'");
  });
});

describe("parseGrype on broken files", () => {
  it("a truncated file is a PARSE_ERROR naming file and line", async () => {
    const text = corpusText("grype/same_cve_different_paths.json");
    const e = await rejection(parseGrype(tmpFile("cut.json", text.slice(0, 1500))));
    expect(e.code).toBe("PARSE_ERROR");
    expect(e.place.file).toBe("cut.json");
    expect(e.place.line).toBeGreaterThan(30);
  });

  it("a wrong structure is a VALIDATION_ERROR naming the place", async () => {
    const json = JSON.parse(corpusText("grype/fix_available.json"));
    json.matches[0].vulnerability.fix.versions = "1.2.3";
    const e = await rejection(parseGrype(tmpFile("bad.json", JSON.stringify(json))));
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place.path).toBe("/matches/0/vulnerability/fix/versions");
  });
});

describe("looksLikeGrype", () => {
  it("claims every Grype corpus file and nothing else in the corpus", async () => {
    for (const { dir, name, head } of await corpusHeads()) {
      expect([`${dir}/${name}`, looksLikeGrype(head)]).toEqual([`${dir}/${name}`, dir === "grype"]);
    }
  });
});
