import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AdvisoryRecord, AffectedProduct, VersionRange } from "../core/types.js";
import { inRange } from "../core/version/index.js";
import { looksLikeOsv, osvPurl, parseOsv, schemeForEcosystem } from "./osv.js";
import {
  advisoriesOf,
  CORPUS,
  corpusHeads,
  corpusInput,
  corpusText,
  productOf,
  rejection,
  scratchDir,
} from "./scan/testing/fixtures.js";
import type { ParseInput } from "./types.js";

const dir = path.join(CORPUS, "osv");
const corpus = (name: string): ParseInput => corpusInput(`osv/${name}`);
const writeVariant = scratchDir("osv");

async function records(input: ParseInput): Promise<AdvisoryRecord[]> {
  return advisoriesOf(await parseOsv(input));
}

async function record(name: string): Promise<AdvisoryRecord> {
  const list = await records(corpus(name));
  expect(list).toHaveLength(1);
  return list[0] as AdvisoryRecord;
}

/** Whether `version` falls in any affected entry of the product (as the core evaluates ranges). */
function affects(p: AffectedProduct, version: string): boolean {
  return p.versions.some(
    (v) => v.status === "affected" && inRange(v.versionType ?? "generic", version, v) === true,
  );
}

function variant(name: string, edit: (json: Record<string, unknown>) => void): ParseInput {
  const json = JSON.parse(corpusText("osv/GO-2020-0001.json")) as Record<string, unknown>;
  edit(json);
  return writeVariant(name, JSON.stringify(json, null, 2));
}

describe("parseOsv on the corpus", () => {
  it("imports each file as one record keyed by its CVE when it has one", async () => {
    const expected: Record<string, [string, string]> = {
      "ALSA-2023_4520.json": ["ALSA-2023:4520", "ALSA-2023:4520"],
      "CGA-224q-ccj5-2p53.json": ["CVE-2025-32464", "CGA-224q-ccj5-2p53"],
      "GHSA-9v2f-6vcg-3hgv.json": ["CVE-2024-39236", "GHSA-9v2f-6vcg-3hgv"],
      "GO-2020-0001.json": ["CVE-2020-36567", "GO-2020-0001"],
      "MAL-2024-10238.json": ["MAL-2024-10238", "MAL-2024-10238"],
      "PYSEC-2023-74.json": ["CVE-2023-32681", "PYSEC-2023-74"],
      "RHSA-2022_0216.json": ["RHSA-2022:0216", "RHSA-2022:0216"],
      "UBUNTU-CVE-2021-3782.json": ["CVE-2021-3782", "UBUNTU-CVE-2021-3782"],
    };
    const names = readdirSync(dir).filter((n) => n.endsWith(".json"));
    expect(names.sort()).toEqual(Object.keys(expected).sort());
    for (const name of names) {
      const r = await record(name);
      expect([r.id, r.sourceId], name).toEqual(expected[name]);
      expect(r.source).toBe("osv");
      expect(r.state).toBe("published");
    }
  });

  it("reads the GitHub advisory: CVE alias, computed CVSS, CWE, explicit versions", async () => {
    const r = await record("GHSA-9v2f-6vcg-3hgv.json");
    expect(r.aliases).toEqual(["GHSA-9v2f-6vcg-3hgv"]);
    expect(r.title).toBe(
      "Gradio was discovered to contain a code injection vulnerability via the component /gradio/component_meta.py",
    );
    expect(r.published).toBe("2024-07-01T21:31:15Z");
    expect(r.modified).toBe("2024-07-03T20:05:21Z");
    expect(r.cvss).toEqual([
      {
        version: "3.1",
        baseScore: 9.8,
        severity: "CRITICAL",
        vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        source: "osv:GHSA-9v2f-6vcg-3hgv",
      },
    ]);
    expect(r.cwes).toEqual(["CWE-94"]);
    expect(r.notes).toContain("Database severity: CRITICAL");
    expect(r.affected).toEqual([
      {
        vendor: "PyPI",
        product: "Gradio",
        component: "Gradio",
        purl: "pkg:pypi/gradio",
        cpes: [],
        versions: [
          { version: "4.36.1", versionType: "pep440", status: "affected" },
          { version: "4.36.-1", versionType: "pep440", status: "affected" },
        ],
        defaultStatus: "unaffected",
        fixedVersions: [],
      },
    ]);
    expect(r.references.map((x) => x.tags)).toEqual([["advisory"], ["web"]]);
  });

  it("reads the Go vulndb record: SEMVER range, fixed version, golang purl, fix references", async () => {
    const r = await record("GO-2020-0001.json");
    expect(r.aliases).toEqual(["GO-2020-0001", "GHSA-6vm3-jj99-7229"]);
    const gin = productOf(r, "Go", "github.com/gin-gonic/gin");
    expect(gin.purl).toBe("pkg:golang/github.com/gin-gonic/gin");
    expect(gin.versions).toEqual([
      { version: "0", lessThan: "1.6.0", versionType: "semver", status: "affected" },
    ]);
    expect(gin.fixedVersions).toEqual(["1.6.0"]);
    expect(affects(gin, "1.5.0")).toBe(true);
    expect(affects(gin, "1.6.0")).toBe(false);
    expect(affects(gin, "1.9.1")).toBe(false);
    expect(r.references).toEqual([
      { url: "https://github.com/gin-gonic/gin/pull/2237", tags: ["fix", "patch"] },
      {
        url: "https://github.com/gin-gonic/gin/commit/a71af9c144f9579f6dbe945341c1df37aaf09c0d",
        tags: ["fix", "patch"],
      },
    ]);
  });

  it("reads the PyPA record: ECOSYSTEM range plus versions list, GIT range only as a note", async () => {
    const r = await record("PYSEC-2023-74.json");
    expect(r.aliases).toEqual(["PYSEC-2023-74", "GHSA-j8r2-6x86-q33q"]);
    const requests = productOf(r, "PyPI", "requests");
    expect(requests.purl).toBe("pkg:pypi/requests");
    expect(requests.versions[0]).toEqual({
      version: "2.3.0",
      lessThan: "2.31.0",
      versionType: "pep440",
      status: "affected",
    });
    // 66 explicit versions after the range; no commit-hash entries.
    expect(requests.versions).toHaveLength(67);
    expect(requests.versions.some((v) => v.versionType === "git" || v.lessThan?.startsWith("74ea7"))).toBe(
      false,
    );
    expect(requests.versions.filter((v) => v.lessThan === undefined).map((v) => v.version)).toContain(
      "2.30.0",
    );
    expect(requests.fixedVersions).toEqual(["2.31.0"]);
    expect(requests.defaultStatus).toBe("unaffected");
    expect(affects(requests, "2.30.0")).toBe(true);
    expect(affects(requests, "2.31.0")).toBe(false);
    expect(affects(requests, "2.2.1")).toBe(false);
    expect(r.notes).toEqual([
      "requests (PyPI): fixed by commit 74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5 in https://github.com/psf/requests",
    ]);
    expect(r.published).toBe("2023-05-26T18:15:00Z");
    expect(r.modified).toBe("2023-06-05T01:13:00.534973Z");
  });

  it("marks the malicious-package record as such", async () => {
    const r = await record("MAL-2024-10238.json");
    expect(r.title).toBe("Malicious code in 123bla (PyPI)");
    expect(r.notes[0]).toMatch(
      /^Malicious package: the listed versions of 123bla \(PyPI\) contain malicious code/,
    );
    expect(r.aliases).toEqual([]);
    const pkg = productOf(r, "PyPI", "123bla");
    expect(pkg.purl).toBe("pkg:pypi/123bla");
    expect(pkg.versions).toEqual([{ version: "0.0.1", versionType: "pep440", status: "affected" }]);
    expect(pkg.fixedVersions).toEqual([]);
    expect(r.description).toContain("identified '123bla' @ 0.0.1 (pypi) as malicious");
  });

  it("reads the AlmaLinux advisory: rpm scheme, distro purl, related CVE as a note", async () => {
    const r = await record("ALSA-2023_4520.json");
    expect(r.title).toBe("Moderate: python-requests security update");
    expect(r.aliases).toEqual([]);
    expect(r.notes).toEqual(["Related: CVE-2023-32681"]);
    const pkg = productOf(r, "AlmaLinux:8", "python3-requests");
    expect(pkg.purl).toBe("pkg:rpm/almalinux/python3-requests");
    expect(pkg.versions).toEqual([
      { version: "0", lessThan: "2.20.0-3.el8_8", versionType: "rpm", status: "affected" },
    ]);
    expect(pkg.fixedVersions).toEqual(["2.20.0-3.el8_8"]);
    expect(r.references).toHaveLength(4);
    expect(r.references[0]).toEqual({
      url: "https://access.redhat.com/errata/RHSA-2023:4520",
      tags: ["advisory"],
    });
  });

  it("reads the Chainguard advisory: upstream CVE as id, Chainguard and Wolfi packages", async () => {
    const r = await record("CGA-224q-ccj5-2p53.json");
    expect(r.aliases).toEqual(["CGA-224q-ccj5-2p53", "GHSA-frg5-h47x-75j9"]);
    expect(r.cvss.map((c) => [c.version, c.baseScore, c.severity])).toEqual([["3.1", 9.1, "CRITICAL"]]);
    expect(r.affected.map((p) => [p.vendor, p.product, p.purl, p.fixedVersions])).toEqual([
      ["Chainguard", "haproxy-2.2", "pkg:apk/chainguard/haproxy-2.2", ["2.2.34-r0"]],
      ["Chainguard", "haproxy-2.8", "pkg:apk/chainguard/haproxy-2.8", ["2.8.18-r0"]],
      ["Wolfi", "haproxy-3.0", "pkg:apk/wolfi/haproxy-3.0", ["3.0.10-r0"]],
      ["Wolfi", "haproxy-3.1", "pkg:apk/wolfi/haproxy-3.1", ["3.1.7-r0"]],
    ]);
    expect(r.affected.every((p) => p.versions[0]?.versionType === "apk")).toBe(true);
    expect(affects(productOf(r, "Wolfi", "haproxy-3.1"), "3.1.6-r2")).toBe(true);
    expect(affects(productOf(r, "Wolfi", "haproxy-3.1"), "3.1.7-r0")).toBe(false);
  });

  it("reads the Ubuntu record: one product per release, priority and Pro availability as notes", async () => {
    const r = await record("UBUNTU-CVE-2021-3782.json");
    expect(r.aliases).toEqual(["UBUNTU-CVE-2021-3782"]);
    // The same vector twice is one score.
    expect(r.cvss).toEqual([
      {
        version: "3.1",
        baseScore: 6.6,
        severity: "MEDIUM",
        vector: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H",
        source: "osv:UBUNTU-CVE-2021-3782",
      },
    ]);
    expect(r.affected.map((p) => [p.vendor, p.versions.length, p.fixedVersions])).toEqual([
      ["Ubuntu:Pro:16.04:LTS", 6, ["1.12.0-1~ubuntu16.04.3+esm1"]],
      ["Ubuntu:18.04:LTS", 5, ["1.16.0-1ubuntu1.1~18.04.4"]],
      ["Ubuntu:20.04:LTS", 5, ["1.18.0-1ubuntu0.1"]],
      ["Ubuntu:22.04:LTS", 3, ["1.20.0-1ubuntu0.1"]],
    ]);
    expect(r.affected.every((p) => p.purl === "pkg:deb/ubuntu/wayland" && p.product === "wayland")).toBe(
      true,
    );
    expect(productOf(r, "Ubuntu:22.04:LTS", "wayland").versions).toEqual([
      { version: "0", lessThan: "1.20.0-1ubuntu0.1", versionType: "deb", status: "affected" },
      { version: "1.19.0-2build1", versionType: "deb", status: "affected" },
      { version: "1.20.0-1", versionType: "deb", status: "affected" },
    ]);
    expect(r.notes).toEqual([
      "Related: USN-5614-1, USN-5614-2",
      "Ubuntu priority: medium",
      "wayland (Ubuntu:Pro:16.04:LTS): fix availability: Available with Ubuntu Pro (Infra-only): https://ubuntu.com/pro",
    ]);
    expect(r.published).toBe("2022-08-30T20:51:00Z");
  });

  it("EDGE CASE: the Red Hat record without 'affected' is a valid record with no products", async () => {
    const r = await record("RHSA-2022_0216.json");
    expect(r.affected).toEqual([]);
    expect(r.title).toBe(
      "Red Hat Security Advisory: Red Hat JBoss Enterprise Application Platform 7.4 security update",
    );
    expect(r.cvss.map((c) => [c.baseScore, c.vector])).toEqual([
      [8.1, "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"],
    ]);
    expect(r.references).toHaveLength(27);
    expect(r.notes).toEqual([
      "Related: CVE-2021-44832, CVE-2021-45046, CVE-2021-45105",
      "The record lists no affected packages, so it cannot show what is affected.",
    ]);
  });
});

describe("OSV range events", () => {
  const base = {
    id: "TEST-2024-1",
    modified: "2024-01-02T03:04:05Z",
    aliases: ["CVE-2024-0001"],
  };

  async function one(name: string, json: unknown): Promise<AdvisoryRecord> {
    const list = await records(writeVariant(name, JSON.stringify(json)));
    return list[0] as AdvisoryRecord;
  }

  it("maps introduced/fixed, last_affected, limit and an open end to ranges the core evaluates", async () => {
    const r = await one("events.json", {
      ...base,
      affected: [
        {
          package: { ecosystem: "npm", name: "@scope/pkg" },
          ranges: [
            {
              type: "SEMVER",
              events: [
                { introduced: "1.0.0" },
                { fixed: "1.2.3" },
                { introduced: "2.0.0" },
                { last_affected: "2.1.0" },
                { introduced: "3.0.0" },
                { limit: "3.5.0" },
                { introduced: "4.0.0" },
              ],
            },
          ],
        },
      ],
    });
    const p = r.affected[0] as AffectedProduct;
    expect(p.purl).toBe("pkg:npm/%40scope/pkg");
    expect(p.versions).toEqual<VersionRange[]>([
      { version: "1.0.0", lessThan: "1.2.3", versionType: "semver", status: "affected" },
      { version: "2.0.0", lessThanOrEqual: "2.1.0", versionType: "semver", status: "affected" },
      { version: "3.0.0", lessThan: "3.5.0", versionType: "semver", status: "affected" },
      { version: "4.0.0", lessThanOrEqual: "*", versionType: "semver", status: "affected" },
    ]);
    expect(p.fixedVersions).toEqual(["1.2.3"]);
    const cases: [string, boolean][] = [
      ["0.9.0", false],
      ["1.0.0", true],
      ["1.2.2", true],
      ["1.2.3", false],
      ["2.1.0", true],
      ["2.1.1", false],
      ["3.4.9", true],
      ["3.5.0", false],
      ["3.9.0", false],
      ["4.0.0", true],
      ["9.9.9", true],
    ];
    for (const [version, expected] of cases) expect(affects(p, version), version).toBe(expected);
  });

  it("closes an open range with GitHub's last_known_affected_version_range", async () => {
    const r = await one("lkavr.json", {
      ...base,
      affected: [
        {
          package: { ecosystem: "Maven", name: "com.google.guava:guava" },
          ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }] }],
          database_specific: { last_known_affected_version_range: "<= 29.0" },
        },
      ],
    });
    const p = r.affected[0] as AffectedProduct;
    expect(p.purl).toBe("pkg:maven/com.google.guava/guava");
    expect(p.versions).toEqual([
      { version: "0", lessThanOrEqual: "29.0", versionType: "maven", status: "affected" },
    ]);
  });

  it("treats a withdrawn record as rejected and reads arrays and osv.dev answers", async () => {
    const withdrawn = { ...base, withdrawn: "2024-02-01T00:00:00Z" };
    const list = await records(
      writeVariant(
        "list.json",
        JSON.stringify([withdrawn, { id: "GHSA-aaaa-bbbb-cccc", modified: "2024-01-01T00:00:00Z" }]),
      ),
    );
    expect(list.map((r) => [r.id, r.state])).toEqual([
      ["CVE-2024-0001", "rejected"],
      ["GHSA-aaaa-bbbb-cccc", "published"],
    ]);
    expect(list[0]?.notes).toContain("Withdrawn on 2024-02-01T00:00:00Z.");
    const answer = await records(writeVariant("vulns.json", JSON.stringify({ vulns: [base] })));
    expect(answer.map((r) => r.sourceId)).toEqual(["TEST-2024-1"]);
  });

  it("keeps CVSS v4 vectors as notes (no computed score) and reports unreadable vectors", async () => {
    const r = await one("v4.json", {
      ...base,
      severity: [
        { type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" },
        { type: "CVSS_V3", score: "CVSS:3.1/AV:N" },
        { type: "CVSS_V2", score: "AV:N/AC:L/Au:N/C:P/I:P/A:P" },
      ],
    });
    expect(r.cvss.map((c) => [c.version, c.baseScore])).toEqual([["2.0", 7.5]]);
    expect(r.notes).toEqual([
      "CVSS 4.0 vector (base score not computed): CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
      "unreadable CVSS_V3 vector 'CVSS:3.1/AV:N'.",
      "The record lists no affected packages, so it cannot show what is affected.",
    ]);
  });
});

describe("schemeForEcosystem and osvPurl", () => {
  it("names the version scheme of each ecosystem", () => {
    const cases: [string, string][] = [
      ["npm", "semver"],
      ["crates.io", "semver"],
      ["NuGet", "semver"],
      ["PyPI", "pep440"],
      ["Go", "go"],
      ["Maven", "maven"],
      ["Debian:12", "deb"],
      ["Ubuntu:Pro:16.04:LTS", "deb"],
      ["AlmaLinux:8", "rpm"],
      ["Rocky Linux:9", "rpm"],
      ["Red Hat:enterprise_linux:9::appstream", "rpm"],
      ["openSUSE:Leap 15.5", "rpm"],
      ["SUSE:Linux Enterprise Server 15 SP5", "rpm"],
      ["Alpine:v3.18", "apk"],
      ["Wolfi", "apk"],
      ["Chainguard", "apk"],
      ["RubyGems", "gem"],
      ["Packagist", "composer"],
      ["Hackage", "generic"],
      ["GIT", "generic"],
    ];
    for (const [ecosystem, scheme] of cases) expect(schemeForEcosystem(ecosystem), ecosystem).toBe(scheme);
  });

  it("builds versionless purls from ecosystem and name", () => {
    expect(osvPurl("PyPI", "Django_Rest.framework")).toBe("pkg:pypi/django-rest-framework");
    expect(osvPurl("Go", "golang.org/x/net")).toBe("pkg:golang/golang.org/x/net");
    expect(osvPurl("Maven", "org.apache.logging.log4j:log4j-core")).toBe(
      "pkg:maven/org.apache.logging.log4j/log4j-core",
    );
    expect(osvPurl("crates.io", "openssl")).toBe("pkg:cargo/openssl");
    expect(osvPurl("Packagist", "Symfony/http-kernel")).toBe("pkg:composer/symfony/http-kernel");
    expect(osvPurl("Debian:11", "openssl")).toBe("pkg:deb/debian/openssl");
    expect(osvPurl("Alpine:v3.18", "libstdc++")).toBe("pkg:apk/alpine/libstdc%2B%2B");
    expect(osvPurl("RubyGems", "rails")).toBe("pkg:gem/rails");
    expect(osvPurl("Bitnami", "wordpress")).toBeUndefined();
    expect(osvPurl("Maven", "no-colon")).toBeUndefined();
  });
});

describe("parseOsv on broken input", () => {
  it("refuses a truncated file with a PARSE_ERROR naming the line", async () => {
    const text = corpusText("osv/PYSEC-2023-74.json");
    const cut = text.slice(0, text.indexOf('"2.14.0"'));
    const error = await rejection(parseOsv(writeVariant("truncated.json", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("truncated.json");
    expect(error.place.line).toBe(cut.split("\n").length);
    expect(error.oneLine()).toMatch(/^truncated\.json:\d+:\d+: invalid JSON: unexpected end of the document/);
  });

  it("refuses records without an id or modified time with a VALIDATION_ERROR naming the place", async () => {
    const noId = await rejection(parseOsv(variant("no-id.json", (j) => delete j.id)));
    expect(noId.code).toBe("VALIDATION_ERROR");
    expect(noId.place).toEqual({ file: "no-id.json", path: "/id" });
    const badDate = await rejection(parseOsv(variant("bad-date.json", (j) => (j.modified = "yesterday"))));
    expect(badDate.oneLine()).toBe("bad-date.json at /modified: 'yesterday' is not a date-time");
  });

  it("refuses malformed affected entries and events", async () => {
    const notList = await rejection(
      parseOsv(variant("affected.json", (j) => (j.affected = { package: {} }))),
    );
    expect(notList.place.path).toBe("/affected");
    const twoKeys = await rejection(
      parseOsv(
        variant("events.json", (j) => {
          const affected = j.affected as { ranges: { events: unknown[] }[] }[];
          const events = affected[0]?.ranges[0]?.events;
          if (events) events[1] = { fixed: "1.6.0", limit: "2.0.0" };
        }),
      ),
    );
    expect(twoKeys.code).toBe("VALIDATION_ERROR");
    expect(twoKeys.place.path).toBe("/affected/0/ranges/0/events/1");
    const noEcosystem = await rejection(
      parseOsv(
        variant("eco.json", (j) => {
          const affected = j.affected as { package: Record<string, unknown> }[];
          delete affected[0]?.package.ecosystem;
        }),
      ),
    );
    expect(noEcosystem.oneLine()).toBe(
      "eco.json at /affected/0/package/ecosystem: missing required field 'ecosystem'",
    );
  });
});

describe("looksLikeOsv", () => {
  it("detects every OSV corpus file and claims no other corpus file", async () => {
    const claimed: string[] = [];
    let osvFiles = 0;
    for (const { dir: corpusDir, name, head } of await corpusHeads()) {
      const detected = looksLikeOsv(head);
      if (corpusDir === "osv") {
        osvFiles++;
        expect(detected, name).toBe(true);
      } else if (detected) claimed.push(`${corpusDir}/${name}`);
    }
    expect(osvFiles).toBe(8);
    expect(claimed).toEqual([]);
  });

  it("does not claim osv-scanner output even when cut inside an embedded record", () => {
    const text = corpusText("osv-scanner/many_findings.json");
    const start = text.indexOf('"vulnerabilities"');
    expect(start).toBeGreaterThan(0);
    expect(looksLikeOsv(text.slice(0, 64 * 1024))).toBe(false);
    expect(looksLikeOsv("")).toBe(false);
    expect(looksLikeOsv('{"id": "GHSA-x", "summary": "no dates or lists"}')).toBe(false);
  });
});
