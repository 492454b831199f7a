import { describe, expect, it } from "vitest";
import { looksLikeSarif, parseSarif, sarifReportFromJson } from "./sarif.js";
import {
  corpusHeads,
  corpusInput,
  corpusText,
  findingOf,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmpFile = scratchDir("sarif");
const report = async (relative: string) => scanOf(await parseSarif(corpusInput(relative)));

describe("parseSarif on the corpus", () => {
  it("reads Trivy SARIF: the image from run properties, the package from the message", async () => {
    const r = await report("sarif/trivy_alpine-310.sarif");
    expect(r.scanner).toBe("sarif:trivy");
    expect(r.scannerVersion).toBe("dev");
    expect(r.assets).toEqual([
      {
        key: "image:ghcr.io/aquasecurity/trivy-test-images:alpine-310",
        image: "ghcr.io/aquasecurity/trivy-test-images:alpine-310",
        artifact: "testdata/fixtures/images/alpine-310.tar.gz",
        imageDigest: "sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4",
      },
    ]);
    expect(r.findings.map((f) => `${f.vulnId} ${f.package?.name}@${f.package?.version}`)).toEqual([
      "CVE-2019-1549 libcrypto1.1@1.1.1c-r0",
      "CVE-2019-1551 libcrypto1.1@1.1.1c-r0",
      "CVE-2019-1549 libssl1.1@1.1.1c-r0",
      "CVE-2019-1551 libssl1.1@1.1.1c-r0",
    ]);
    expect(findingOf(r, "CVE-2019-1551", "libssl1.1")).toMatchObject({
      fixedVersions: ["1.1.1d-r2"],
      status: "fixed",
      severity: "medium",
      plugin: "CVE-2019-1551",
      title: "openssl: Integer overflow in RSAZ modular exponentiation on x86_64",
      cvss: [
        { version: "2.0", baseScore: 5, vector: "AV:N/AC:L/Au:N/C:P/I:N/A:N", source: "sarif:trivy" },
        {
          version: "3.1",
          baseScore: 5.3,
          vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
          source: "sarif:trivy",
        },
      ],
    });
  });

  it("reads Grype SARIF: the CVE at the start of the rule id, the package from the help text", async () => {
    const r = await report("sarif/grype_cxf-3.4.6.sarif");
    expect(r.scanner).toBe("sarif:grype");
    expect(r.scannerVersion).toBe("0.34.7");
    expect(r.findings).toHaveLength(22);
    expect(r.findings.filter((f) => f.vulnId === "CVE-2008-0732")).toHaveLength(6);
    expect(findingOf(r, "GHSA-57j2-w4cx-62h2")).toMatchObject({
      plugin: "GHSA-57j2-w4cx-62h2-jackson-databind",
      package: { name: "jackson-databind", version: "2.11.4", ecosystem: "java-archive" },
      fixedVersions: ["2.12.6.1"],
      status: "fixed",
      severity: "high",
      locations: ["lib/jackson-databind-2.11.4.jar"],
    });
    expect(findingOf(r, "CVE-2019-12419")).toMatchObject({
      severity: "critical",
      status: "affected",
      fixedVersions: [],
    });
    expect(findingOf(r, "CVE-2008-0732", "geronimo-javamail_1.4_spec").package?.version).toBe("1.7.1");
    // The log names no target: the first result's file stands in.
    expect(r.assets.map((a) => a.artifact)).toEqual(["lib/geronimo-j2ee-management_1.1_spec-1.0.1.jar"]);
  });

  it("reads OWASP dependency-check SARIF: CVSS from properties, the vulnerable file as the component", async () => {
    const r = await report("sarif/dependency_check.sarif");
    expect(r.scanner).toBe("sarif:dependency-check");
    expect(r.scannerVersion).toBe("6.1.2");
    expect(r.findings).toHaveLength(13);
    expect(r.duplicates).toBe(0);
    const retire = findingOf(r, "sarif:dependency-check:Prototype pollution");
    expect(retire).toMatchObject({
      severity: "medium",
      package: { name: "handlebars-1.0.0.js" },
      status: "affected",
    });
    expect(
      findingOf(r, "sarif:dependency-check:Disallow calling helperMissing and blockHelperMissing directly")
        .severity,
    ).toBe("low");
    // The same CVE in two copies of jQuery: two findings.
    expect(r.findings.filter((f) => f.vulnId === "CVE-2015-9251").map((f) => f.package?.name)).toEqual([
      "jquery-1.8.0.min.js",
      "jquery.min.js",
    ]);
    expect(findingOf(r, "CVE-2020-11022", "jquery.min.js")).toMatchObject({
      severity: "medium",
      locations: ["file:////src/.venv/lib/python3.9/site-packages/coverage/htmlfiles/jquery.min.js"],
      cvss: [
        { version: "2.0", baseScore: 4.3, severity: "MEDIUM", source: "sarif:dependency-check:nvd" },
        { version: "3.1", baseScore: 6.1, severity: "MEDIUM", source: "sarif:dependency-check:nvd" },
      ],
    });
  });

  it("reads CodeQL SARIF as code weaknesses, never findings", async () => {
    const r = await report("sarif/codeQL-output.sarif");
    expect(r.scanner).toBe("sarif:codeql");
    expect(r.scannerVersion).toBe("2.5.4");
    expect(r.findings).toEqual([]);
    expect(r.other).toHaveLength(72);
    expect(r.other.every((o) => o.kind === "code")).toBe(true);
    expect(r.other.filter((o) => o.id === "py/unused-import")).toHaveLength(40);
    expect(r.other.filter((o) => o.id === "py/sql-injection").map((o) => o.location)).toEqual([
      "bad/libuser.py:12",
      "bad/libuser.py:25",
    ]);
    expect(r.assets.map((a) => a.key)).toEqual(["artifact:good/db_init.py"]);
  });

  it("reads Gitleaks SARIF (no ruleId) as secrets", async () => {
    const r = await report("sarif/gitleaks_7.5.0.sarif");
    expect(r.scanner).toBe("sarif:gitleaks");
    expect(r.findings).toEqual([]);
    // Eight results, four distinct rule × place (the same leak seen in several commits is one item).
    expect(r.other.map((o) => `${o.kind}|${o.id}|${o.location}`)).toEqual([
      "secret|AWS Access Key|dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_1_vuln.json:13",
      "secret|Asymmetric Private Key|dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_3_vuln.json:13",
      "secret|AWS Access Key|dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_3_vuln.json:44",
      "secret|AWS Access Key|dojo/unittests/tools/test_gitlab_secret_detection_report_parser.py:37",
    ]);
  });

  it("reads the spec's Appendix K example: repository, run time, suppressed result left out", async () => {
    const r = await report("sarif/appendix_k.sarif");
    expect(r.scanner).toBe("sarif:codescanner");
    expect(r.scannerVersion).toBe("2.1");
    expect(r.reportTime).toBe("2016-07-16T14:18:25Z");
    expect(r.assets).toEqual([
      {
        key: "repository:https://github.com/example-corp/browser",
        repository: "https://github.com/example-corp/browser",
      },
    ]);
    expect(r.findings).toEqual([]);
    expect(r.other).toEqual([]);
  });

  it("EDGE CASE: an empty runs array is a valid report with zero findings", async () => {
    const r = await report("sarif/no_runs.sarif");
    expect(r).toMatchObject({ scanner: "sarif", assets: [], findings: [], other: [], duplicates: 0 });
  });

  it("leaves suppressed code results out and keeps the others", async () => {
    const r = await report("sarif/suppression_test.sarif");
    expect(r.other.map((o) => `${o.kind}:${o.id}:${o.location}`)).toEqual([
      "code:TST0004:file:///C:/code/file4.c",
      "code:TST0005:file:///C:/code/file5.c",
    ]);
  });
});

describe("sarifReportFromJson", () => {
  const run = (results: unknown[], extra: Record<string, unknown> = {}) => ({
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Grype", version: "0.80.0" } },
        versionControlProvenance: [{ repositoryUri: "https://example.com/org/app" }],
        invocations: [{ startTimeUtc: "2024-03-01T10:00:00+01:00", executionSuccessful: true }],
        results,
        ...extra,
      },
    ],
  });
  const result = (ruleId: string, extra: Record<string, unknown> = {}) => ({
    ruleId,
    level: "error",
    message: { text: "Package: openssl\nInstalled Version: 3.0.1\nFixed Version: 3.0.7" },
    locations: [{ physicalLocation: { artifactLocation: { uri: "Dockerfile" } } }],
    ...extra,
  });

  it("records suppressed findings as not_affected and keeps what suppressions say", () => {
    const r = sarifReportFromJson(
      run([
        result("CVE-2022-0001", {
          suppressions: [{ kind: "external", status: "accepted", justification: "not reachable" }],
        }),
        result("CVE-2022-0002", { suppressions: [{ kind: "inSource" }] }),
        result("CVE-2022-0003", { suppressions: [{ kind: "external", status: "underReview" }] }),
        result("CVE-2022-0004", { suppressions: [{ kind: "external", status: "rejected" }] }),
        result("CVE-2022-0005"),
      ]),
      "s.sarif",
    );
    expect(r.assets.map((a) => a.key)).toEqual(["repository:https://example.com/org/app"]);
    expect(r.reportTime).toBe("2024-03-01T09:00:00Z");
    expect(r.findings.map((f) => [f.vulnId, f.status, f.statusDetail])).toEqual([
      ["CVE-2022-0001", "not_affected", "suppressed (external: not reachable)"],
      ["CVE-2022-0002", "not_affected", "suppressed (inSource)"],
      ["CVE-2022-0003", "under_investigation", "suppression under review (external)"],
      ["CVE-2022-0004", "fixed", undefined],
      ["CVE-2022-0005", "fixed", undefined],
    ]);
    expect(r.findings[4]?.package).toEqual({ name: "openssl", version: "3.0.1" });
  });

  it("sorts Trivy SARIF rules by their tags; level none is informational unless a CVE is named", () => {
    const r = sarifReportFromJson(
      run(
        [
          { ruleId: "DS002", ruleIndex: 0, level: "error", message: { text: "root user" } },
          { ruleId: "aws-access-key-id", ruleIndex: 1, level: "error", message: { text: "key" } },
          { ruleId: "CVE-2022-0009", level: "none", message: { text: "Package: a\nInstalled Version: 1" } },
          { ruleId: "trivy-note", level: "none", message: { text: "Package: b\nInstalled Version: 2" } },
          { ruleId: "GHSA-xxxx-yyyy-zzzz", kind: "pass", message: { text: "ok" } },
        ],
        {
          tool: {
            driver: {
              name: "Trivy",
              rules: [
                { id: "DS002", name: "Misconfiguration", properties: { tags: ["misconfiguration", "HIGH"] } },
                { id: "aws-access-key-id", name: "Secret", properties: { tags: ["secret", "CRITICAL"] } },
              ],
            },
          },
        },
      ),
      "t.sarif",
    );
    // A named vulnerability at level none stays a finding, of unknown severity.
    expect(r.findings.map((f) => `${f.vulnId}:${f.severity}:${f.package?.name}`)).toEqual([
      "CVE-2022-0009:unknown:a",
    ]);
    expect(r.other.map((o) => `${o.kind}:${o.id}:${o.severity}`)).toEqual([
      "misconfiguration:DS002:high",
      "secret:aws-access-key-id:critical",
      "informational:trivy-note:info",
    ]);
  });

  it("refuses a log without runs and a run without a tool, naming the place", async () => {
    const noRuns = await rejection(() => sarifReportFromJson({ version: "2.1.0" }, "a.sarif"));
    expect(noRuns.oneLine()).toBe("a.sarif at /runs: not a SARIF log: missing 'runs'");
    const noTool = await rejection(() =>
      sarifReportFromJson({ version: "2.1.0", runs: [{ results: [] }] }, "b.sarif"),
    );
    expect(noTool.code).toBe("VALIDATION_ERROR");
    expect(noTool.place.path).toBe("/runs/0/tool");
    const old = await rejection(() => sarifReportFromJson({ version: "1.0.0", runs: [] }, "c.sarif"));
    expect(old.message).toBe("unsupported SARIF version 1.0.0");
  });
});

describe("parseSarif on broken files", () => {
  it("a truncated file is a PARSE_ERROR naming file and line", async () => {
    const text = corpusText("sarif/suppression_test.sarif");
    const e = await rejection(parseSarif(tmpFile("cut.sarif", text.slice(0, 1500))));
    expect(e.code).toBe("PARSE_ERROR");
    expect(e.place.file).toBe("cut.sarif");
    expect(e.place.line).toBeGreaterThan(40);
  });

  it("a wrong structure is a VALIDATION_ERROR naming the place", async () => {
    const json = JSON.parse(corpusText("sarif/trivy_alpine-310.sarif"));
    json.runs[0].results[2].locations[0].physicalLocation.artifactLocation.uri = 42;
    const e = await rejection(parseSarif(tmpFile("bad.sarif", JSON.stringify(json))));
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place.path).toBe("/runs/0/results/2/locations/0/physicalLocation/artifactLocation/uri");
  });
});

describe("looksLikeSarif", () => {
  it("claims every SARIF corpus file and nothing else in the corpus", async () => {
    for (const { dir, name, head } of await corpusHeads()) {
      expect([`${dir}/${name}`, looksLikeSarif(head)]).toEqual([`${dir}/${name}`, dir === "sarif"]);
    }
  });
});
