import { describe, expect, it } from "vitest";
import {
  corpusHeads,
  corpusInput,
  corpusText,
  findingOf,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";
import { looksLikeTrivy, parseTrivy, trivyReportFromJson } from "./trivy.js";

const tmpFile = scratchDir("trivy");
const report = async (relative: string) => scanOf(await parseTrivy(corpusInput(relative)));

describe("parseTrivy on the corpus", () => {
  it("reads an image report: tag as the image, archive path and digest kept, CVSS per vendor", async () => {
    const r = await report("trivy/alpine-310.json");
    expect(r.scanner).toBe("trivy");
    expect(r.scannerVersion).toBe("dev");
    expect(r.reportTime).toBe("2021-08-25T12:20:30.000000005Z");
    expect(r.scope).toBe("container_image");
    expect(r.assets).toEqual([
      {
        key: "image:ghcr.io/aquasecurity/trivy-test-images:alpine-310",
        image: "ghcr.io/aquasecurity/trivy-test-images:alpine-310",
        artifact: "testdata/fixtures/images/alpine-310.tar.gz",
        imageDigest: "sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4",
      },
    ]);
    expect(r.findings).toHaveLength(4);
    expect(r.duplicates).toBe(0);
    const f = findingOf(r, "CVE-2019-1551", "libssl1.1");
    expect(f).toMatchObject({
      package: {
        name: "libssl1.1",
        version: "1.1.1c-r0",
        purl: "pkg:apk/alpine/libssl1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2",
        ecosystem: "alpine",
      },
      fixedVersions: ["1.1.1d-r2"],
      status: "fixed",
      severity: "medium",
      locations: ["testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)"],
    });
    expect(f.cvss).toEqual([
      { version: "2.0", baseScore: 5, vector: "AV:N/AC:L/Au:N/C:P/I:N/A:N", source: "trivy:nvd" },
      {
        version: "3.1",
        baseScore: 5.3,
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
        source: "trivy:nvd",
      },
      {
        version: "3.1",
        baseScore: 4.8,
        vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N",
        source: "trivy:redhat",
      },
    ]);
  });

  it("reads CVSS v4, several fixed versions and VendorIDs", async () => {
    const r = await report("trivy/cvssv4_severity_source.json");
    expect(r.scannerVersion).toBe("0.69.1");
    expect(r.reportTime).toBe("2026-02-24T07:07:53.487381Z");
    expect(r.scope).toBe("filesystem");
    expect(r.assets.map((a) => a.key)).toEqual(["artifact:lib/catalina.jar"]);
    expect(r.findings.map((f) => f.vulnId).sort()).toEqual([
      "CVE-2025-61795",
      "CVE-2025-66614",
      "CVE-2026-24733",
    ]);
    const f = findingOf(r, "CVE-2025-66614");
    expect(f.fixedVersions).toEqual(["11.0.14", "10.1.49", "9.0.112"]);
    expect(f.aliases).toEqual(["GHSA-fpj8-gq4v-p354"]);
    expect(f.package?.purl).toBe("pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.109");
    expect(f.locations).toEqual(["catalina.jar"]);
    expect(f.cvss).toContainEqual({
      version: "4.0",
      baseScore: 6.3,
      vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
      source: "trivy:ghsa",
    });
    expect(findingOf(r, "CVE-2025-61795").severity).toBe("low");
    // The listed package is kept as a component of the artifact.
    expect(r.components).toEqual([
      {
        asset: "artifact:lib/catalina.jar",
        software: expect.objectContaining({
          product: "org.apache.tomcat:tomcat-catalina",
          version: "9.0.109",
        }),
      },
    ]);
  });

  it("reads a k8s cluster report: one workload per resource, misconfigurations apart", async () => {
    const r = await report("trivy/kubernetes.json");
    const cluster = "arn:aws:eks:us-east-1:576036489467:cluster/monitoring-test-cluster";
    expect(r.scope).toBe("k8s");
    expect(r.assets.map((a) => a.workload)).toEqual([
      `${cluster}/default/Deployment/redis-follower`,
      `${cluster}/default/Deployment/redis-leader`,
      `${cluster}/default/Service/redis-follower`,
      `${cluster}/default/Service/redis-leader`,
    ]);
    expect(r.findings).toHaveLength(10);
    const follower = r.assets[0]?.key;
    const apt = r.findings.find((f) => f.asset === follower && f.vulnId === "CVE-2020-27350");
    expect(apt).toMatchObject({
      aliases: ["DSA-4808-1"],
      fixedVersions: ["1.8.2.2"],
      status: "fixed",
      package: { name: "apt", version: "1.8.2.1", ecosystem: "debian" },
      locations: ["gcr.io/google_samples/gb-redis-follower:v2 (debian 10.4)"],
    });
    // No FixedVersion and no Status: affected.
    expect(r.findings.filter((f) => f.vulnId === "CVE-2011-3374").map((f) => f.status)).toEqual([
      "affected",
      "affected",
    ]);
    expect(r.other).toHaveLength(10);
    expect(r.other.every((o) => o.kind === "misconfiguration")).toBe(true);
    expect(r.other.find((o) => o.asset === follower && o.id === "KSV001")).toEqual({
      kind: "misconfiguration",
      asset: follower,
      id: "KSV001",
      title: "Process can elevate its own privileges",
      severity: "medium",
      location: "Deployment/redis-follower:132",
    });
  });

  it("reads the legacy layout (top-level array): the OS target names the image", async () => {
    const r = await report("trivy/legacy_many_vulns.json");
    expect(r.assets).toEqual([{ key: "image:debian", image: "debian" }]);
    expect(r.reportTime).toBeUndefined();
    expect(r.findings).toHaveLength(93);
    expect(r.findings.every((f) => f.status === "affected")).toBe(true);
    const bySeverity = (s: string): number => r.findings.filter((f) => f.severity === s).length;
    expect([bySeverity("high"), bySeverity("medium"), bySeverity("low"), bySeverity("unknown")]).toEqual([
      18, 9, 65, 1,
    ]);
    expect(findingOf(r, "TEMP-0841856-B18BAF", "bash").package?.version).toBe("5.0-4");
    expect(findingOf(r, "CVE-2011-3374", "apt").cvss.map((c) => `${c.version}:${c.baseScore}`)).toEqual([
      "2.0:4.3",
      "3.1:3.7",
    ]);
  });

  it("keeps misconfigurations and secrets apart from vulnerabilities", async () => {
    const r = await report("trivy/misconfigurations_and_secrets.json");
    expect(r.assets.map((a) => a.key)).toEqual(["artifact:."]);
    expect(r.findings.map((f) => `${f.vulnId} ${f.package?.name}@${f.package?.version}`).sort()).toEqual([
      "CVE-2021-28363 urllib3@1.26.3",
      "CVE-2021-33503 urllib3@1.26.3",
    ]);
    // No purl in the report: a simple one is built for the pip package.
    expect(findingOf(r, "CVE-2021-33503").package?.purl).toBe("pkg:pypi/urllib3@1.26.3");
    expect(r.other).toEqual([
      {
        kind: "misconfiguration",
        asset: "artifact:.",
        id: "DS002",
        title: "Image user should not be 'root'",
        severity: "high",
        location: "Dockerfile",
      },
      {
        kind: "secret",
        asset: "artifact:.",
        id: "github-pat",
        title: "GitHub Personal Access Token",
        severity: "critical",
        location: "Dockerfile:24",
      },
      {
        kind: "secret",
        asset: "artifact:.",
        id: "github-pat",
        title: "GitHub Personal Access Token",
        severity: "critical",
        location: "secret.txt:1",
      },
    ]);
  });

  it("reads a repository scan with its package list", async () => {
    const r = await report("trivy/npm.json");
    expect(r.scope).toBe("repository");
    expect(r.assets).toEqual([
      { key: "repository:testdata/fixtures/repo/npm", repository: "testdata/fixtures/repo/npm" },
    ]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      vulnId: "CVE-2019-11358",
      package: { name: "jquery", version: "3.3.9", purl: "pkg:npm/jquery@3.3.9", ecosystem: "npm" },
      fixedVersions: ["3.4.0"],
      locations: ["package-lock.json"],
    });
    expect(r.components).toHaveLength(12);
  });

  it("reads an image report with OS and jar results, building a maven purl when none is given", async () => {
    const r = await report("trivy/scheme_2_many_vulns.json");
    expect(r.assets.map((a) => a.key)).toEqual(["image:teamdojo:latest"]);
    expect(r.findings).toHaveLength(5);
    expect(findingOf(r, "CVE-2019-12900")).toMatchObject({
      severity: "critical",
      cvss: [],
      status: "fixed",
      fixedVersions: ["1.0.6-r7"],
      locations: ["app/libs/libbz2-1.0.6-r6"],
    });
    expect(findingOf(r, "CVE-2018-1324").package).toEqual({
      name: "org.apache.commons:commons-compress",
      version: "1.14",
      purl: "pkg:maven/org.apache.commons/commons-compress@1.14",
      ecosystem: "jar",
    });
    // OS packages get no invented purl.
    expect(findingOf(r, "CVE-2020-15999").package?.purl).toBeUndefined();
  });

  it("EDGE CASE: a report with a result but no vulnerabilities is a valid empty report", async () => {
    const r = await report("trivy/scheme_2_no_vuln.json");
    expect(r.findings).toEqual([]);
    expect(r.other).toEqual([]);
    expect(r.assets).toEqual([{ key: "image:trivy-unittest:latest", image: "trivy-unittest:latest" }]);
  });

  it("reads a jar inside an image", async () => {
    const r = await report("trivy/spring4shell-jre8.json");
    expect(r.assets[0]?.image).toBe("ghcr.io/aquasecurity/trivy-test-images:spring4shell-jre8");
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      vulnId: "CVE-2022-22965",
      package: { name: "org.springframework:spring-beans", version: "5.3.15" },
      fixedVersions: ["5.3.18"],
      locations: ["usr/local/tomcat/webapps/helloworld.war/WEB-INF/lib/spring-beans-5.3.15.jar"],
    });
    expect(r.findings[0]?.cvss.map((c) => c.source)).toEqual([
      "trivy:ghsa",
      "trivy:nvd",
      "trivy:nvd",
      "trivy:redhat",
    ]);
  });
});

describe("trivyReportFromJson", () => {
  const vuln = (extra: Record<string, unknown>) => ({
    VulnerabilityID: "CVE-2024-0001",
    PkgName: "openssl",
    InstalledVersion: "3.0.1",
    Severity: "HIGH",
    ...extra,
  });
  const doc = (vulns: unknown[]) => ({
    SchemaVersion: 2,
    ArtifactName: "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ArtifactType: "container_image",
    Metadata: {
      RepoDigests: ["alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
    },
    Results: [{ Target: "alpine (alpine 3.19)", Class: "os-pkgs", Type: "alpine", Vulnerabilities: vulns }],
  });

  it("maps Trivy's status vocabulary, and derives it when absent", () => {
    const r = trivyReportFromJson(
      doc([
        vuln({ PkgName: "a", Status: "will_not_fix" }),
        vuln({ PkgName: "b", Status: "fix_deferred" }),
        vuln({ PkgName: "c", Status: "end_of_life" }),
        vuln({ PkgName: "d", Status: "under_investigation" }),
        vuln({ PkgName: "e", Status: "not_affected" }),
        vuln({ PkgName: "f", Status: "unknown" }),
        vuln({ PkgName: "g", FixedVersion: "3.0.2" }),
        vuln({ PkgName: "h" }),
        vuln({ PkgName: "i", Status: "something_new" }),
      ]),
      "x.json",
    );
    expect(r.findings.map((f) => `${f.package?.name}:${f.status}`)).toEqual([
      "a:will_not_fix",
      "b:fix_deferred",
      "c:end_of_life",
      "d:under_investigation",
      "e:not_affected",
      "f:unknown",
      "g:fixed",
      "h:affected",
      "i:unknown",
    ]);
    expect(r.findings[8]?.statusDetail).toBe("something_new");
    expect(r.assets[0]?.imageDigest).toBe(
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    );
  });

  it("merges a duplicate result into one finding and counts it", () => {
    const r = trivyReportFromJson(doc([vuln({ PkgPath: "a/x" }), vuln({ PkgPath: "b/x" })]), "x.json");
    expect(r.findings).toHaveLength(1);
    expect(r.duplicates).toBe(1);
    expect(r.findings[0]?.locations).toEqual(["a/x", "b/x"]);
  });

  it("reads the newer k8s layout (Resources)", () => {
    const r = trivyReportFromJson(
      {
        ClusterName: "prod",
        Resources: [
          {
            Namespace: "web",
            Kind: "Deployment",
            Name: "api",
            Results: [{ Target: "api:1.0 (debian 12)", Type: "debian", Vulnerabilities: [vuln({})] }],
          },
          { Namespace: "", Kind: "ClusterRole", Name: "admin", Results: [] },
        ],
      },
      "k8s.json",
    );
    expect(r.assets.map((a) => a.workload)).toEqual(["prod/web/Deployment/api", "prod//ClusterRole/admin"]);
    expect(r.findings[0]?.asset).toBe("workload:prod/web/deployment/api");
  });

  it("ignores passed misconfiguration checks and records licences", () => {
    const r = trivyReportFromJson(
      {
        SchemaVersion: 2,
        ArtifactName: ".",
        ArtifactType: "filesystem",
        Results: [
          {
            Target: "main.tf",
            Class: "config",
            Misconfigurations: [
              { ID: "AVD-AWS-0001", Title: "pass", Severity: "LOW", Status: "PASS" },
              { ID: "AVD-AWS-0002", Title: "fail", Severity: "HIGH", Status: "FAIL" },
            ],
          },
          {
            Target: "OS Packages",
            Class: "license",
            Licenses: [{ Severity: "HIGH", PkgName: "libfoo", Name: "GPL-3.0", FilePath: "" }],
          },
        ],
      },
      "x.json",
    );
    expect(r.findings).toEqual([]);
    expect(r.other.map((o) => `${o.kind}:${o.id}:${o.severity}:${o.location}`)).toEqual([
      "misconfiguration:AVD-AWS-0002:high:main.tf",
      "license:GPL-3.0:high:OS Packages",
    ]);
  });

  it("refuses a vulnerability without a package name, naming the JSON pointer", async () => {
    const e = await rejection(() =>
      trivyReportFromJson(doc([vuln({}), vuln({ PkgName: undefined })]), "bad.json"),
    );
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place).toEqual({ file: "bad.json", path: "/Results/0/Vulnerabilities/1/PkgName" });
    expect(e.message).toBe("missing required field 'PkgName'");
  });

  it("refuses JSON that is not a Trivy report", async () => {
    const e = await rejection(() => trivyReportFromJson({ foo: 1 }, "other.json"));
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.oneLine()).toBe(
      "other.json at /: not a Trivy report: no SchemaVersion, ArtifactName, Results or ClusterName",
    );
    const wrongType = await rejection(() =>
      trivyReportFromJson({ SchemaVersion: 2, ArtifactName: "x", Results: {} }, "r.json"),
    );
    expect(wrongType.place.path).toBe("/Results");
  });
});

describe("parseTrivy on broken files", () => {
  it("a truncated file is a PARSE_ERROR naming file and line", async () => {
    const text = corpusText("trivy/npm.json");
    const e = await rejection(parseTrivy(tmpFile("cut.json", text.slice(0, 2000))));
    expect(e.code).toBe("PARSE_ERROR");
    expect(e.place.file).toBe("cut.json");
    expect(e.place.line).toBeGreaterThan(40);
  });

  it("a wrong structure is a VALIDATION_ERROR naming the place", async () => {
    const json = JSON.parse(corpusText("trivy/alpine-310.json"));
    json.Results[0].Vulnerabilities[2].CVSS.nvd.V3Score = "high";
    const e = await rejection(parseTrivy(tmpFile("bad.json", JSON.stringify(json))));
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place.path).toBe("/Results/0/Vulnerabilities/2/CVSS/nvd/V3Score");
  });
});

describe("looksLikeTrivy", () => {
  it("claims every Trivy corpus file and nothing else in the corpus", async () => {
    for (const { dir, name, head } of await corpusHeads()) {
      expect([`${dir}/${name}`, looksLikeTrivy(head)]).toEqual([`${dir}/${name}`, dir === "trivy"]);
    }
  });

  it("tells a Trivy head cut mid-document", () => {
    const text = corpusText("trivy/legacy_many_vulns.json");
    expect(looksLikeTrivy(text.slice(0, 300))).toBe(true);
    expect(looksLikeTrivy('{"SchemaVersion": 2, "ArtifactName": "x"')).toBe(true);
    expect(looksLikeTrivy('{"bomFormat": "CycloneDX", "metadata": {"tools": [{"name": "trivy"}]}}')).toBe(
      false,
    );
  });
});
