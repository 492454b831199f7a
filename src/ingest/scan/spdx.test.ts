import { describe, expect, it } from "vitest";
import {
  looksLikeSpdxJson,
  looksLikeSpdxTagValue,
  parseSpdxJson,
  parseSpdxTagValue,
  splitToolCreator,
} from "./spdx.js";
import {
  claimedCorpusFiles,
  corpusInput,
  corpusText,
  findingOf,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const temp = scratchDir("spdx");

describe("parseSpdxJson on the corpus", () => {
  it("reads syft's SPDX 2.3 with advisory references on packages", async () => {
    const report = scanOf(await parseSpdxJson(corpusInput("spdx/spdx_many_vuln.json")));
    expect(report.scanner).toBe("spdx:syft");
    expect(report.scannerVersion).toBe("1.50.0");
    expect(report.reportTime).toBe("2026-07-29T00:00:00Z");
    // Nothing is DESCRIBED: the document name is the artifact.
    expect(report.assets).toEqual([{ key: "artifact:generic-image", artifact: "generic-image" }]);
    expect(report.components).toHaveLength(4);
    expect(report.components[0]?.software).toEqual({
      product: "alpine-baselayout",
      vendor: "Natanael Copa",
      version: "3.1.2-r0",
      purl: "pkg:apk/alpine/alpine-baselayout@3.1.2-r0?arch=x86_64&distro=alpine-3.10.9",
      cpe: "cpe:2.3:a:alpine-baselayout:alpine-baselayout:3.1.2-r0:*:*:*:*:*:*:*",
    });
    // Only "advisory" references are vulnerabilities: the "url" naming a GHSA and the "fix" are not.
    expect(report.findings.map((f) => `${f.vulnId} ${f.package?.name}`)).toEqual([
      "CVE-2024-10001 alpine-baselayout",
      "CVE-2024-10002 alpine-keys",
      "spdx:syft:https://example.com/advisories/no-identifier-here apk-tools",
    ]);
    expect(findingOf(report, "CVE-2024-10001")).toEqual({
      fingerprint: "artifact:generic-image|CVE-2024-10001|pkg:alpine-baselayout@3.1.2-r0",
      asset: "artifact:generic-image",
      vulnId: "CVE-2024-10001",
      aliases: [],
      package: {
        name: "alpine-baselayout",
        version: "3.1.2-r0",
        purl: "pkg:apk/alpine/alpine-baselayout@3.1.2-r0?arch=x86_64&distro=alpine-3.10.9",
        ecosystem: "apk",
      },
      fixedVersions: [],
      severity: "unknown",
      cvss: [],
      locations: [],
      status: "affected",
    });
    expect(report.findings.some((f) => f.package?.name === "busybox")).toBe(false);
  });

  it("reads current Trivy's filesystem SBOM (Julia) as an artifact with zero findings", async () => {
    const report = scanOf(await parseSpdxJson(corpusInput("spdx/trivy_julia-spdx.json")));
    expect(report.scanner).toBe("spdx:trivy");
    expect(report.scannerVersion).toBe("dev");
    expect(report.reportTime).toBe("2021-08-25T12:20:30Z");
    expect(report.assets).toEqual([
      { key: "artifact:testdata/fixtures/repo/julia", artifact: "testdata/fixtures/repo/julia" },
    ]);
    expect(report.findings).toEqual([]);
    // A, and B twice under different UUIDs; not Manifest.toml (no version) nor the described root.
    expect(report.components.map((c) => c.software.purl)).toEqual([
      "pkg:julia/A@1.9.0?uuid=ead4f63c-334e-11e9-00e6-e7f0a5f21b60",
      "pkg:julia/B@1.9.0?uuid=f41f7b98-334e-11e9-1257-49272045fb24",
      "pkg:julia/B@1.9.0?uuid=edca9bc6-334e-11e9-3554-9595dbb4349c",
    ]);
  });

  it("reads Trivy's container image SBOM: image and digest, 16 advisories, file locations", async () => {
    const report = scanOf(await parseSpdxJson(corpusInput("spdx/trivy_secobserve-backend_1.20.0.spdx.json")));
    expect(report.scanner).toBe("spdx:trivy");
    expect(report.scannerVersion).toBe("0.58.0");
    expect(report.reportTime).toBe("2024-12-21T15:02:40Z");
    expect(report.assets).toEqual([
      {
        key: "image:ghcr.io/secobserve/secobserve-backend:1.20.0",
        image: "ghcr.io/secobserve/secobserve-backend:1.20.0",
        imageDigest: "sha256:ce5416f0ca293e258ac5c7d8500eb41198064904379c6b033416772e07c3cf36",
      },
    ]);
    // 124 packages: the image itself is the subject, pip 24.2 is listed twice with one purl.
    expect(report.components).toHaveLength(122);
    expect(report.components.find((c) => c.software.product === "alpine")?.software).toEqual({
      product: "alpine",
      version: "3.20.3",
    });
    expect(report.findings).toHaveLength(16);
    // Django has no versionInfo: the version comes from its purl.
    expect(findingOf(report, "CVE-2024-53908")).toMatchObject({
      package: { name: "Django", version: "5.1.2", purl: "pkg:pypi/django@5.1.2", ecosystem: "pypi" },
      locations: [".venv/lib/python3.12/site-packages/Django-5.1.2.dist-info/METADATA"],
      status: "affected",
      severity: "unknown",
    });
    expect(report.findings.filter((f) => f.vulnId === "CVE-2024-9143").map((f) => f.package?.name)).toEqual([
      "libcrypto3",
      "libssl3",
      "openssl-dev",
    ]);
    expect(report.findings.filter((f) => f.package?.name === "libpq").map((f) => f.vulnId)).toEqual([
      "CVE-2024-10979",
      "CVE-2024-7348",
      "CVE-2024-10976",
      "CVE-2024-10978",
      "CVE-2024-10977",
    ]);
  });
});

describe("parseSpdxTagValue on the corpus", () => {
  it("reads syft's tag-value document with one advisory", async () => {
    const report = scanOf(await parseSpdxTagValue(corpusInput("spdx/spdx_one_vuln.spdx")));
    expect(report.scanner).toBe("spdx:syft");
    expect(report.scannerVersion).toBe("1.50.0");
    expect(report.reportTime).toBe("2026-07-29T00:00:00Z");
    expect(report.assets).toEqual([{ key: "artifact:generic-image", artifact: "generic-image" }]);
    expect(report.components.map((c) => c.software)).toEqual([
      {
        product: "alpine-baselayout",
        version: "3.1.2-r0",
        purl: "pkg:apk/alpine/alpine-baselayout@3.1.2-r0?arch=x86_64&distro=alpine-3.10.9",
        cpe: "cpe:2.3:a:alpine-baselayout:alpine-baselayout:3.1.2-r0:*:*:*:*:*:*:*",
      },
      {
        product: "alpine-keys",
        version: "2.1-r2",
        purl: "pkg:apk/alpine/alpine-keys@2.1-r2?arch=x86_64&distro=alpine-3.10.9",
      },
    ]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      vulnId: "CVE-2024-10001",
      package: { name: "alpine-baselayout", version: "3.1.2-r0", ecosystem: "apk" },
      status: "affected",
    });
  });

  it("matches the JSON reading of the same packages", async () => {
    const tag = scanOf(await parseSpdxTagValue(corpusInput("spdx/spdx_one_vuln.spdx")));
    const json = scanOf(await parseSpdxJson(corpusInput("spdx/spdx_many_vuln.json")));
    expect(tag.findings[0]).toEqual(json.findings[0]);
  });
});

const TAG_HEAD = `SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: registry.example.com/app:2.0
Creator: Tool: trivy-0.50.1
Created: 2024-02-01T10:00:00Z
`;

describe("parseSpdxTagValue rules", () => {
  it("reads multi-line text, relationships and a described container", async () => {
    const text = `${TAG_HEAD}DocumentComment: <text>first line
second line: with a colon
</text>
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-ContainerImage-1

PackageName: registry.example.com/app:2.0
SPDXID: SPDXRef-ContainerImage-1
PrimaryPackagePurpose: CONTAINER

PackageName: openssl
SPDXID: SPDXRef-Package-2
PackageVersion: 3.0.2-r0
PackageSupplier: Organization: Alpine
ExternalRef: PACKAGE-MANAGER purl pkg:apk/alpine/openssl@3.0.2-r0
ExternalRef: SECURITY advisory https://osv.dev/vulnerability/ALPINE-CVE-2024-0727
ExternalRef: SECURITY advisory https://github.com/advisories/GHSA-9wx4-h78v-vm56
ExternalRef: SECURITY advisory https://osv.dev/vulnerability/PYSEC-2021-19

FileName: /lib/libssl.so.3
SPDXID: SPDXRef-File-3
Relationship: SPDXRef-Package-2 CONTAINS SPDXRef-File-3
`;
    const report = scanOf(await parseSpdxTagValue(temp("image.spdx", text)));
    expect(report.scanner).toBe("spdx:trivy");
    expect(report.assets).toEqual([
      { key: "image:registry.example.com/app:2.0", image: "registry.example.com/app:2.0" },
    ]);
    expect(report.components).toEqual([
      {
        asset: "image:registry.example.com/app:2.0",
        software: {
          product: "openssl",
          vendor: "Alpine",
          version: "3.0.2-r0",
          purl: "pkg:apk/alpine/openssl@3.0.2-r0",
        },
      },
    ]);
    expect(report.findings.map((f) => f.vulnId)).toEqual([
      "CVE-2024-0727",
      "GHSA-9wx4-h78v-vm56",
      "PYSEC-2021-19",
    ]);
    expect(report.findings[0]?.locations).toEqual(["/lib/libssl.so.3"]);
  });

  it("rejects lines that are not 'Tag: value' with a PARSE_ERROR naming the line", async () => {
    const error = await rejection(
      parseSpdxTagValue(temp("bad.spdx", `${TAG_HEAD}\nthis is not a tag line\n`)),
    );
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.oneLine()).toBe("bad.spdx:8: expected 'Tag: value', found 'this is not a tag line'");
  });

  it("rejects a truncated file that leaves a <text> value open", async () => {
    const error = await rejection(
      parseSpdxTagValue(temp("cut.spdx", `${TAG_HEAD}PackageName: a\nPackageComment: <text>cut here`)),
    );
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.oneLine()).toBe(
      "cut.spdx:8: the <text> value of PackageComment is never closed with </text>",
    );
  });

  it("rejects wrong structure with a VALIDATION_ERROR naming the line", async () => {
    const ref = await rejection(
      parseSpdxTagValue(temp("ref.spdx", `${TAG_HEAD}PackageName: a\nExternalRef: SECURITY advisory\n`)),
    );
    expect(ref.code).toBe("VALIDATION_ERROR");
    expect(ref.oneLine()).toBe(
      "ref.spdx:8: ExternalRef needs 'category type locator', found 'SECURITY advisory'",
    );

    const noVersion = await rejection(
      parseSpdxTagValue(temp("nover.spdx", "DocumentName: x\nPackageName: a\n")),
    );
    expect(noVersion.oneLine()).toBe("nover.spdx:1: missing SPDXVersion");

    const v3 = await rejection(parseSpdxTagValue(temp("v3.spdx", "SPDXVersion: SPDX-3.0\n")));
    expect(v3.oneLine()).toBe("v3.spdx:1: unsupported SPDXVersion 'SPDX-3.0' (expected SPDX-2.x)");

    const time = await rejection(
      parseSpdxTagValue(temp("time.spdx", TAG_HEAD.replace("2024-02-01T10:00:00Z", "soon"))),
    );
    expect(time.oneLine()).toBe("time.spdx:6: 'soon' is not a date-time");
  });
});

describe("parseSpdxJson rules", () => {
  it("rejects a truncated file with a PARSE_ERROR naming the line", async () => {
    const text = corpusText("spdx/spdx_many_vuln.json");
    const error = await rejection(parseSpdxJson(temp("cut.json", text.slice(0, 700))));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("cut.json");
    expect(error.place.line).toBe(text.slice(0, 700).split("\n").length);
  });

  it("rejects wrong structure with a VALIDATION_ERROR naming the JSON pointer", async () => {
    const doc = JSON.parse(corpusText("spdx/spdx_many_vuln.json")) as {
      spdxVersion: string;
      packages: Record<string, unknown>[];
    };
    const v3 = await rejection(
      parseSpdxJson(temp("v3.json", JSON.stringify({ ...doc, spdxVersion: "SPDX-3.0" }))),
    );
    expect(v3.oneLine()).toBe(
      "v3.json at /spdxVersion: unsupported spdxVersion 'SPDX-3.0' (expected SPDX-2.x)",
    );

    delete doc.packages[2]?.name;
    const noName = await rejection(parseSpdxJson(temp("noname.json", JSON.stringify(doc))));
    expect(noName.code).toBe("VALIDATION_ERROR");
    expect(noName.oneLine()).toBe("noname.json at /packages/2/name: missing required field 'name'");

    const cdx = await rejection(parseSpdxJson(temp("cdx.json", '{"bomFormat": "CycloneDX"}')));
    expect(cdx.oneLine()).toBe("cdx.json at /spdxVersion: missing required field 'spdxVersion'");
  });
});

describe("splitToolCreator", () => {
  it("splits tool names from versions", () => {
    expect(splitToolCreator("syft-1.50.0")).toEqual({ name: "syft", version: "1.50.0" });
    expect(splitToolCreator("trivy-dev")).toEqual({ name: "trivy", version: "dev" });
    expect(splitToolCreator("Microsoft.SBOMTool-2.2.1")).toEqual({
      name: "Microsoft.SBOMTool",
      version: "2.2.1",
    });
    expect(splitToolCreator("spdx-sbom-generator-source-code")).toEqual({
      name: "spdx-sbom-generator-source-code",
    });
  });
});

describe("SPDX detectors", () => {
  it("claim every SPDX file of the corpus and no other corpus file", async () => {
    const json = await claimedCorpusFiles(looksLikeSpdxJson);
    const tag = await claimedCorpusFiles(looksLikeSpdxTagValue);
    expect(json).toEqual([
      "spdx/spdx_many_vuln.json",
      "spdx/trivy_julia-spdx.json",
      "spdx/trivy_secobserve-backend_1.20.0.spdx.json",
    ]);
    expect(tag).toEqual(["spdx/spdx_one_vuln.spdx"]);
  });
});
