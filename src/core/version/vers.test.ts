import { describe, expect, it } from "vitest";
import type { VersionRange } from "../types.js";
import { inRange } from "./index.js";
import { parseVers, versContains, versToRanges } from "./vers.js";

describe("parseVers", () => {
  it("reads the spec's examples", () => {
    expect(parseVers("vers:npm/1.2.3|>=2.0.0|<5.0.0")).toEqual({
      scheme: "npm",
      constraints: [
        { comparator: "=", version: "1.2.3" },
        { comparator: ">=", version: "2.0.0" },
        { comparator: "<", version: "5.0.0" },
      ],
    });
    expect(parseVers("vers:pypi/*")).toEqual({
      scheme: "pypi",
      constraints: [{ comparator: "*", version: "" }],
    });
    expect(parseVers("vers:maven/1.2.3")).toEqual({
      scheme: "maven",
      constraints: [{ comparator: "=", version: "1.2.3" }],
    });
    expect(parseVers("vers:pypi/0.0.0|0.0.1|0.0.2|0.0.3|1.0|2.0pre1").constraints).toHaveLength(6);
    expect(parseVers("vers:gem/>=2.2.0|!= 2.2.1|<2.3.0").constraints.map((c) => c.comparator)).toEqual([
      ">=",
      "!=",
      "<",
    ]);
  });
  it("sorts constraints by the scheme's version order", () => {
    const v = parseVers("vers:maven/<=7.0.7|>=8.0.0-M1|<=1.7.5|>=1.0.0-beta1|>=7.0.0-M1|<=8.0.1");
    expect(v.constraints.map((c) => `${c.comparator}${c.version}`)).toEqual([
      ">=1.0.0-beta1",
      "<=1.7.5",
      ">=7.0.0-M1",
      "<=7.0.7",
      ">=8.0.0-M1",
      "<=8.0.1",
    ]);
    const deb = parseVers("vers:deb/<1.3|!=1.2.5|>=1.2");
    expect(deb.constraints.map((c) => c.version)).toEqual(["1.2", "1.2.5", "1.3"]);
  });
  it("ignores spaces and stray pipes and unquotes percent-encoded versions", () => {
    expect(parseVers(" vers:npm/ < 1.2.3 | >= 2.0 ").constraints).toEqual([
      { comparator: "<", version: "1.2.3" },
      { comparator: ">=", version: "2.0" },
    ]);
    expect(parseVers("vers:npm/|>=1.0.0||<2.0.0|").constraints).toHaveLength(2);
    expect(parseVers("vers:generic/1.0%7Cfoo").constraints[0]?.version).toBe("1.0|foo");
  });
  const invalid: [string, RegExp][] = [
    ["npm/>=1.0.0", /missing the "vers:" prefix/],
    ["VERS:npm/1.0.0", /URI scheme must be "vers"/],
    ["vers:npm", /missing "\/"/],
    ["vers:NPM/1.0.0", /must be lowercase/],
    ["vers:/1.0.0", /scheme is empty/],
    ["vers:npm/", /no version constraints/],
    ["vers:npm/|", /no version constraints/],
    ["vers:npm/*|>=1.0.0", /"\*" must be the only constraint/],
    ["vers:npm/>=", /has no version/],
    ["vers:npm/1.0.0|1.0.0", /appears more than once/],
    ["vers:npm/>=1.0.0|<1.0.0", /appears more than once/],
    ["vers:maven/1.0|1.0.0", /are the same maven version/],
    ["vers:npm/>=1.0.0|>=2.0.0", /must be followed by a "<" or "<=" bound/],
    ["vers:npm/<1.0.0|<=2.0.0", /must be followed by a ">" or ">=" bound/],
    ["vers:npm/1.0.0|<2.0.0", /cannot be followed by "<2.0.0"/],
    ["vers:npm/>=1.0.0|1.5.0|<2.0.0", /cannot be followed by "<2.0.0"/],
    ["vers:deb/>=abc", /"abc" is not a deb version/],
    ["vers:none/1.0", /only allows "\*"/],
    ["vers:generic/1.0%E0%A4%A", /broken percent-encoding/],
  ];
  for (const [text, message] of invalid) {
    it(`rejects ${text}`, () => {
      expect(() => parseVers(text)).toThrow(message);
    });
  }
  it("reports errors on one line naming the vers string", () => {
    try {
      parseVers("vers:npm/>=1.0.0|>=2.0.0");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toBe(
        'invalid vers "vers:npm/>=1.0.0|>=2.0.0": ">=1.0.0" must be followed by a "<" or "<=" bound, not ">=2.0.0"',
      );
    }
  });
});

describe("versContains", () => {
  it("follows the spec's containment procedure", () => {
    const r = "vers:npm/>=1.0.0|<2.0.0";
    expect(versContains(r, "1.0.0")).toBe(true);
    expect(versContains(r, "1.5.3")).toBe(true);
    expect(versContains(r, "2.0.0")).toBe(false);
    expect(versContains(r, "0.9.9")).toBe(false);
    expect(versContains(r, "2.0.0-rc.1")).toBe(true);
  });
  it("handles exclusions, single versions and open ends", () => {
    const deb = "vers:deb/>=1.2|<1.3|!=1.2.5";
    expect(versContains(deb, "1.2.4-1")).toBe(true);
    expect(versContains(deb, "1.2.5")).toBe(false);
    expect(versContains(deb, "1.2~rc1")).toBe(false);
    expect(versContains(deb, "1.3~rc1")).toBe(true);
    expect(versContains("vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.3")).toBe(true);
    expect(versContains("vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.4")).toBe(false);
    expect(versContains("vers:npm/1.2.3|>=2.0.0|<5.0.0", "4.9.9")).toBe(true);
    expect(versContains("vers:pypi/>=2.0", "99.0")).toBe(true);
    expect(versContains("vers:pypi/>=2.0", "2.0rc1")).toBe(false);
    expect(versContains("vers:pypi/<=2.0", "2.0.post1")).toBe(false);
    expect(versContains("vers:pypi/<=2.0", "2.0")).toBe(true);
    expect(versContains("vers:npm/>1.0.0", "1.0.0")).toBe(false);
    expect(versContains("vers:npm/!=1.0.0", "1.0.1")).toBe(true);
    expect(versContains("vers:npm/!=1.0.0", "1.0.0")).toBe(false);
  });
  it("covers several branches of a range (the spec's TomEE example)", () => {
    const r = "vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2|>=8.0.0-M1|<=8.0.1";
    expect(versContains(r, "1.7.5")).toBe(true);
    expect(versContains(r, "1.7.6")).toBe(false);
    expect(versContains(r, "7.0.0-M3")).toBe(true);
    expect(versContains(r, "7.0.8")).toBe(false);
    expect(versContains(r, "7.1.1")).toBe(true);
    expect(versContains(r, "8.0.0")).toBe(true);
    expect(versContains(r, "8.0.2")).toBe(false);
    expect(versContains(r, "0.9")).toBe(false);
  });
  it("uses each scheme's comparator", () => {
    expect(versContains("vers:golang/<v1.2.4", "v1.2.4-0.20191109021931-daa7c04131f5")).toBe(true);
    expect(versContains("vers:rpm/<1:1.1.1k-12.el8_9", "1:1.1.1k-9.el8_7")).toBe(true);
    expect(versContains("vers:apk/<1.36.1-r30", "1.36.1-r29")).toBe(true);
    expect(versContains("vers:alpine/>=3.0.12-r1|<3.0.13-r0", "3.0.12_p1-r1")).toBe(true);
    expect(versContains("vers:lexicographic/>=abc|<abd", "abcz")).toBe(true);
    expect(versContains("vers:datetime/<2024-01-01T00:00:00Z", "2023-12-31T23:59:59Z")).toBe(true);
  });
  it("treats * as every version, and vers:none/* as none", () => {
    expect(versContains("vers:deb/*", "1.0")).toBe(true);
    expect(versContains("vers:all/*", "anything")).toBe(true);
    expect(versContains("vers:none/*", "1.0")).toBe(false);
  });
  it("is null when the version cannot be compared under the scheme", () => {
    expect(versContains("vers:deb/>=1.0|<2.0", "v1.5")).toBeNull();
    expect(versContains("vers:golang/>=v1.0.0", "1.0.0.0")).toBeNull();
  });
});

describe("versToRanges", () => {
  it("turns bounds into CVE 5 entries", () => {
    expect(versToRanges("vers:npm/1.2.3|>=2.0.0|<5.0.0")).toEqual([
      { version: "1.2.3", versionType: "npm", status: "affected" },
      { version: "2.0.0", lessThan: "5.0.0", versionType: "npm", status: "affected" },
    ]);
    expect(versToRanges("vers:deb/<=1.1.1n-0+deb11u3|>=3.0.0|<3.0.11-1~deb12u2")).toEqual([
      { version: "0", lessThanOrEqual: "1.1.1n-0+deb11u3", versionType: "deb", status: "affected" },
      { version: "3.0.0", lessThan: "3.0.11-1~deb12u2", versionType: "deb", status: "affected" },
    ]);
    expect(versToRanges("vers:pypi/>=4.2")).toEqual([
      { version: "4.2", lessThan: "*", versionType: "pypi", status: "affected" },
    ]);
    expect(versToRanges("vers:maven/*")).toEqual([
      { version: "*", versionType: "maven", status: "affected" },
    ]);
    expect(versToRanges("vers:none/*")).toEqual([]);
  });
  it("is null for what CVE 5 cannot express", () => {
    expect(versToRanges("vers:npm/>1.0.0|<2.0.0")).toBeNull();
    expect(versToRanges("vers:deb/>=1.2|<1.3|!=1.2.5")).toBeNull();
  });
  it("gives entries that the CVE 5 matcher reads the same way as versContains", () => {
    const cases: [string, string[]][] = [
      ["vers:npm/1.2.3|>=2.0.0|<5.0.0", ["1.2.3", "1.2.4", "2.0.0", "4.9.9", "5.0.0", "0.1.0"]],
      ["vers:golang/<=v0.17.0|>=v0.20.0|<v0.23.0", ["v0.16.0", "v0.17.0", "v0.18.0", "v0.20.0", "v0.23.0"]],
      [
        "vers:rpm/>=3.0.7-1.el9|<3.0.7-27.el9",
        ["3.0.7-2.el9", "3.0.7-27.el9", "3.0.6-9.el9", "1:3.0.7-2.el9"],
      ],
      ["vers:maven/>=2.0-beta9|<2.15.0", ["2.0-beta8", "2.0-beta9", "2.0-rc1", "2.14.1", "2.15.0", "2.17.1"]],
    ];
    for (const [vers, versions] of cases) {
      const ranges = versToRanges(vers) as VersionRange[];
      expect(ranges).not.toBeNull();
      for (const v of versions) {
        const matched = ranges.some((r) => inRange(r.versionType as string, v, r) === true);
        expect(matched, `${v} in ${vers}`).toBe(versContains(vers, v));
      }
    }
  });
});
