import { describe, expect, it } from "vitest";
import { parsePurl } from "../../core/purl.js";
import {
  cvesIn,
  cvssVersion,
  digestIn,
  fileArtifact,
  ghsaIn,
  idsInAdvisoryUrl,
  imageReference,
  isSelfDescribingId,
  packageFromPurl,
  qualifiedName,
  shortTitle,
  toolSlug,
} from "./sbom-util.js";

describe("parsePurl", () => {
  it("reads type, namespace, name, version and qualifiers, percent-decoded", () => {
    expect(parsePurl("pkg:deb/debian/tar@1.30%2Bdfsg-6?arch=amd64&distro=debian-10.12")).toEqual({
      type: "deb",
      namespace: "debian",
      name: "tar",
      version: "1.30+dfsg-6",
      qualifiers: { arch: "amd64", distro: "debian-10.12" },
    });
    expect(parsePurl("pkg:npm/%40babel/core@7.0.0")).toMatchObject({
      namespace: "@babel",
      name: "core",
      version: "7.0.0",
    });
    expect(parsePurl("pkg:npm/@babel/core@7.0.0")).toMatchObject({
      namespace: "@babel",
      name: "core",
      version: "7.0.0",
    });
    expect(parsePurl("pkg:golang/github.com/x/net@v0.1.0#sub")).toMatchObject({
      namespace: "github.com/x",
      name: "net",
      version: "v0.1.0",
    });
    expect(parsePurl("pkg:oci/ubuntu@sha256%3A6042?arch=amd64")?.version).toBe("sha256:6042");
    expect(parsePurl("pkg:pypi/django")).toEqual({ type: "pypi", name: "django", qualifiers: {} });
  });

  it("refuses what is not a purl", () => {
    expect(parsePurl("6290db55-8336-4d2b-9cec-2efdda9f1b28")).toBeUndefined();
    expect(parsePurl("pkg:npm")).toBeUndefined();
    expect(parsePurl(undefined)).toBeUndefined();
  });
});

describe("package names", () => {
  it("joins group and name the way each ecosystem writes it", () => {
    expect(qualifiedName("jackson-databind", "com.fasterxml.jackson.core", "maven")).toBe(
      "com.fasterxml.jackson.core:jackson-databind",
    );
    expect(qualifiedName("core", "@babel", "npm")).toBe("@babel/core");
    expect(qualifiedName("tar", "debian", "deb")).toBe("tar");
    expect(qualifiedName("django", undefined, "pypi")).toBe("django");
    const purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2";
    const parsed = parsePurl(purl);
    expect(parsed && packageFromPurl(parsed, purl)).toEqual({
      name: "org.apache.logging.log4j:log4j-core",
      version: "2.13.2",
      purl,
      ecosystem: "maven",
    });
  });
});

describe("vulnerability ids in text", () => {
  it("finds CVE, GHSA and PREFIX- ids in advisory URLs", () => {
    expect(idsInAdvisoryUrl("https://avd.aquasec.com/nvd/cve-2024-53908")).toEqual(["CVE-2024-53908"]);
    expect(idsInAdvisoryUrl("https://github.com/advisories/GHSA-JFH8-C2JP-5V3Q")).toEqual([
      "GHSA-jfh8-c2jp-5v3q",
    ]);
    expect(idsInAdvisoryUrl("https://osv.dev/vulnerability/RUSTSEC-2020-0071/")).toEqual([
      "RUSTSEC-2020-0071",
    ]);
    expect(idsInAdvisoryUrl("https://example.com/advisories/no-identifier-here")).toEqual([]);
    expect(cvesIn("CVE-2021-44228 and cve-2021-45046, CVE-2021-44228")).toEqual([
      "CVE-2021-44228",
      "CVE-2021-45046",
    ]);
    expect(ghsaIn("nothing")).toBeUndefined();
  });

  it("tells self-describing ids from bare UUIDs and numbers", () => {
    expect(isSelfDescribingId("SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111")).toBe(true);
    expect(isSelfDescribingId("TEMP-0290435-0B57B5")).toBe(true);
    expect(isSelfDescribingId("c7129ff8-08bc-4afe-82ec-7d97b9491741")).toBe(false);
    expect(isSelfDescribingId("12345")).toBe(false);
  });
});

describe("small helpers", () => {
  it("maps CycloneDX rating methods to CVSS versions, preferring the vector's own prefix", () => {
    expect(cvssVersion("CVSSv2", "AV:N/AC:L/Au:N/C:P/I:P/A:P")).toBe("2.0");
    expect(cvssVersion("CVSSv3", "CVSS:3.1/AV:N")).toBe("3.1");
    expect(cvssVersion("CVSSv3", "AV:N/AC:L")).toBe("3.0");
    expect(cvssVersion("CVSSv31", undefined)).toBe("3.1");
    expect(cvssVersion("CVSSv4", "CVSS:4.0/AV:N")).toBe("4.0");
    expect(cvssVersion("OWASP", undefined)).toBeUndefined();
    expect(cvssVersion(undefined, "CVSS:3.1/AV:N")).toBeUndefined();
  });

  it("builds image references, digests, artifacts, tool slugs and titles", () => {
    expect(imageReference("example/backend", "dev")).toBe("example/backend:dev");
    expect(imageReference("ubuntu:latest", undefined)).toBe("ubuntu:latest");
    expect(imageReference("registry:5000/app", "1.0")).toBe("registry:5000/app:1.0");
    expect(
      imageReference("app", "sha256:b914ffbdf28309f2f5fc46caf1a78bbd90f1e2786dd0f01b69c8b00a07a9d078"),
    ).toBe("app");
    expect(digestIn("ubuntu@sha256:6042500CF4B44023EA1894EFFE7890666B0C5C78")).toBe(
      "sha256:6042500cf4b44023ea1894effe7890666b0c5c78",
    );
    expect(fileArtifact("reports/bom.xml.gz")).toBe("bom.xml");
    expect(toolSlug(" Snyk CLI (Linux) ")).toBe("snyk-cli-(linux)");
    expect(shortTitle("  first line\nsecond")).toBe("first line");
    const long = shortTitle("word ".repeat(100));
    expect(long?.endsWith("…")).toBe(true);
    expect(long && long.length <= 201).toBe(true);
    expect(shortTitle("   ")).toBeUndefined();
  });
});
