import { describe, expect, it } from "vitest";
import type { VersionRange } from "../types.js";
import { branchOf, compareVersions, inRange, normaliseScheme, schemeFor } from "./index.js";

const sign = (n: number | null) => (n === null ? null : Math.sign(n));

describe("compareVersions: generic (custom) scheme", () => {
  const vectors: [string, string, number][] = [
    ["10.2.9-h1", "10.2.9", 1],
    ["10.2.9-h1", "10.2.10", -1],
    ["10.2.7", "10.2.9-h1", -1],
    ["10.2.9-h1", "10.2.9-h3", -1],
    ["11.0.4-h1", "10.2.9-h1", 1],
    ["2.14.1", "2.15.0", -1],
    ["2.15.0", "2.15", 0],
    ["1.0", "1.0.0", 0],
    ["8.7p1", "9.8p1", -1],
    ["9.7p1", "9.8p1", -1],
    ["9.8", "9.8p1", -1],
    ["9.8p1", "9.8p2", -1],
    ["2.0-beta9", "2.0", -1],
    ["2.0-beta9", "2.0-rc1", -1],
    ["1.0-alpha", "1.0-beta", -1],
    ["1.1.1a", "1.1.1", 1],
    ["1.1.1w", "1.1.1b", 1],
    ["v1.2.3", "1.2.3", 0],
    ["1.10", "1.9", 1],
    ["2023.0.1", "2023.0.2", -1],
    ["0:8.7p1-38.el9_4.1", "8.7p1-38.el9_4.1", 0],
    ["8.7p1-38.el9_4.1", "8.7p1-38.el9_4.2", -1],
    ["1.0.0-SNAPSHOT", "1.0.0", -1],
  ];
  for (const [a, b, expected] of vectors) {
    it(`${a} vs ${b} → ${expected}`, () => {
      expect(sign(compareVersions("custom", a, b))).toBe(expected);
      expect(sign(compareVersions("custom", b, a))).toBe(-expected || 0);
    });
  }
  it("refuses text that is not a version", () => {
    expect(compareVersions("custom", "log4j-core*", "2.14.1")).toBeNull();
    expect(compareVersions("custom", "n/a", "1.0")).toBeNull();
    expect(compareVersions("custom", "3.2 and 3.3", "3.2")).toBeNull();
    expect(compareVersions("custom", "", "1.0")).toBeNull();
  });
});

describe("compareVersions: semver and pep440", () => {
  it("uses semver ordering, where a pre-release sorts first", () => {
    expect(sign(compareVersions("semver", "1.2.3-rc.1", "1.2.3"))).toBe(-1);
    expect(sign(compareVersions("semver", "4.17.21", "4.17.20"))).toBe(1);
    expect(sign(compareVersions("npm", "10.0.0", "9.99.99"))).toBe(1);
  });
  it("coerces partial versions", () => {
    expect(sign(compareVersions("semver", "6.12", "6.12.0"))).toBe(0);
    expect(sign(compareVersions("semver", "6.12", "6.12.1"))).toBe(-1);
    expect(sign(compareVersions("semver", "v2", "1.9.9"))).toBe(1);
  });
  it("keeps suffixes semver cannot parse by falling back to generic", () => {
    expect(sign(compareVersions("semver", "8.7p1", "8.7p2"))).toBe(-1);
  });
  it("orders PEP 440 versions", () => {
    expect(sign(compareVersions("pep440", "1.0rc1", "1.0"))).toBe(-1);
    expect(sign(compareVersions("pep440", "1.0.post1", "1.0"))).toBe(1);
    expect(sign(compareVersions("pep440", "2.0.dev1", "2.0a1"))).toBe(-1);
    expect(sign(compareVersions("pypi", "1!1.0", "2.0"))).toBe(1);
    expect(compareVersions("pep440", "not a version", "1.0")).toBeNull();
  });
  it("orders plain release numbers under a commit-based type, but never commit hashes", () => {
    expect(sign(compareVersions("original_commit_for_fix", "6.13", "6.12.5"))).toBe(1);
    expect(
      compareVersions("original_commit_for_fix", "6.13", "f587c1ac68956c4703857d650d9b1cd7bb2ac4d7"),
    ).toBeNull();
  });
  it("cannot order git commits", () => {
    expect(
      compareVersions(
        "git",
        "63a07379fdb6c72450cb05294461c6016b8b7726",
        "f587c1ac68956c4703857d650d9b1cd7bb2ac4d7",
      ),
    ).toBeNull();
  });
});

describe("normaliseScheme and compareVersions routing", () => {
  it("maps distribution and ecosystem names to their comparators", () => {
    const cases: [string, string][] = [
      ["deb", "deb"],
      ["dpkg", "deb"],
      ["Debian", "deb"],
      ["ubuntu", "deb"],
      ["rpm", "rpm"],
      ["redhat", "rpm"],
      ["centos", "rpm"],
      ["fedora", "rpm"],
      ["almalinux", "rpm"],
      ["rocky", "rpm"],
      ["suse", "rpm"],
      ["maven", "maven"],
      ["go", "go"],
      ["golang", "go"],
      ["apk", "apk"],
      ["alpine", "apk"],
      ["wolfi", "apk"],
      ["chainguard", "apk"],
      ["cargo", "semver"],
      ["npm", "semver"],
      ["pypi", "pep440"],
      ["gem", "generic"],
      ["custom", "generic"],
      ["constructor", "generic"],
      ["git", "none"],
    ];
    for (const [name, scheme] of cases) expect(normaliseScheme(name), name).toBe(scheme);
  });
  it("orders by each scheme's own rules where they differ from the generic order", () => {
    // '~' is a pre-release in Debian; the generic comparator ignores it.
    expect(sign(compareVersions("deb", "1.0~rc1-1", "1.0-1"))).toBe(-1);
    expect(sign(compareVersions("ubuntu", "1:0.9", "2.0"))).toBe(1);
    // rpm: a missing release matches any release.
    expect(sign(compareVersions("rpm", "3.0.7", "3.0.7-27.el9"))).toBe(0);
    expect(sign(compareVersions("redhat", "1.0^git1", "1.0"))).toBe(1);
    // Maven: "sp" is after the release, "1.0.a" equals "1-a".
    expect(sign(compareVersions("maven", "1.0-sp1", "1.0"))).toBe(1);
    expect(sign(compareVersions("maven", "2.17.1", "2.17.0"))).toBe(1);
    // Go pseudo-versions sort before the release they precede.
    expect(sign(compareVersions("golang", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"))).toBe(-1);
    expect(sign(compareVersions("golang", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"))).toBe(1);
    // apk: "_p" is a post-release, "_rc" a pre-release.
    expect(sign(compareVersions("alpine", "1.2.3_p1-r0", "1.2.3-r0"))).toBe(1);
    expect(sign(compareVersions("apk", "1.2.3_rc1-r0", "1.2.3-r0"))).toBe(-1);
  });
  it("is null when the text is not a version of that scheme", () => {
    expect(compareVersions("deb", "v1.0", "1.0")).toBeNull();
    expect(compareVersions("go", "go1.21.0", "v1.21.0")).toBeNull();
    expect(compareVersions("apk", "latest", "1.0")).toBeNull();
  });
  it("checks CVE 5 ranges with the scheme's ordering", () => {
    const r: VersionRange = {
      version: "0",
      lessThan: "1.1.1w-0+deb11u1",
      versionType: "deb",
      status: "affected",
    };
    expect(inRange("deb", "1.1.1n-0+deb11u5", r)).toBe(true);
    expect(inRange("deb", "1.1.1w-0+deb11u1", r)).toBe(false);
    expect(inRange("deb", "1.1.1w-0+deb11u1~bpo1", r)).toBe(true);
  });
});

describe("schemeFor", () => {
  it("takes versionType first, then the purl type", () => {
    expect(schemeFor("custom", "pkg:npm/lodash")).toBe("custom");
    expect(schemeFor(undefined, "pkg:npm/lodash")).toBe("semver");
    expect(schemeFor(undefined, "pkg:pypi/django")).toBe("pep440");
    expect(schemeFor(undefined, "pkg:maven/org.apache.logging.log4j/log4j-core")).toBe("maven");
    expect(schemeFor(undefined, "pkg:deb/debian/openssl?distro=bookworm")).toBe("deb");
    expect(schemeFor(undefined, "pkg:rpm/redhat/openssl")).toBe("rpm");
    expect(schemeFor(undefined, "pkg:golang/golang.org/x/net")).toBe("go");
    expect(schemeFor(undefined, "pkg:apk/alpine/musl")).toBe("apk");
    expect(schemeFor(undefined, "pkg:cargo/tokio")).toBe("semver");
    expect(schemeFor(undefined, "pkg:gem/rails")).toBe("generic");
    expect(schemeFor(undefined, "pkg:nuget/Newtonsoft.Json")).toBe("generic");
    expect(schemeFor(undefined, undefined)).toBe("generic");
  });
});

describe("branchOf", () => {
  it("drops the last release number", () => {
    expect(branchOf("10.2.9-h1")).toBe("10.2");
    expect(branchOf("2.17.1")).toBe("2.17");
    expect(branchOf("9.8p1")).toBe("9");
    expect(branchOf("7")).toBe("");
  });
});

describe("inRange (CVE 5 semantics)", () => {
  const range = (r: Partial<VersionRange>): VersionRange => ({ version: "0", status: "affected", ...r });
  it("covers [version, lessThan)", () => {
    const r = range({ version: "10.2.0", lessThan: "10.2.9-h1", versionType: "custom" });
    expect(inRange("custom", "10.2.0", r)).toBe(true);
    expect(inRange("custom", "10.2.7", r)).toBe(true);
    expect(inRange("custom", "10.2.9", r)).toBe(true);
    expect(inRange("custom", "10.2.9-h1", r)).toBe(false);
    expect(inRange("custom", "10.1.5", r)).toBe(false);
  });
  it("covers [version, lessThanOrEqual]", () => {
    const r = range({ version: "8.5p1", lessThanOrEqual: "9.7p1" });
    expect(inRange("custom", "9.7p1", r)).toBe(true);
    expect(inRange("custom", "9.8p1", r)).toBe(false);
    expect(inRange("custom", "8.4p1", r)).toBe(false);
  });
  it("treats 0 and * as the start and * as no end", () => {
    expect(inRange("semver", "0.0.1", range({ version: "0", lessThan: "1.0.0" }))).toBe(true);
    expect(inRange("semver", "5.0.0", range({ version: "*", lessThan: "1.0.0" }))).toBe(false);
    expect(inRange("custom", "99", range({ version: "8.7p1", lessThan: "*" }))).toBe(true);
  });
  it("handles a wildcard bound like 5.15.*", () => {
    const r = range({ version: "5.15.177", lessThanOrEqual: "5.15.*", status: "unaffected" });
    expect(inRange("semver", "5.15.200", r)).toBe(true);
    expect(inRange("semver", "5.15.100", r)).toBe(false);
    expect(inRange("semver", "5.16.1", r)).toBe(false);
  });
  it("matches an exact version when no bound is given", () => {
    expect(inRange("custom", "1.0", range({ version: "1.0" }))).toBe(true);
    expect(inRange("custom", "1.0.1", range({ version: "1.0" }))).toBe(false);
    expect(inRange("custom", "7.1", range({ version: "All", status: "unaffected" }))).toBe(true);
  });
  it("is null when the scheme cannot compare", () => {
    expect(
      inRange("git", "6.6.1", range({ version: "63a07379", lessThan: "f587c1ac", versionType: "git" })),
    ).toBeNull();
    expect(inRange("custom", "", range({ version: "1.0" }))).toBeNull();
  });
});
