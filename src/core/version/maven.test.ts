import { describe, expect, it } from "vitest";
import { compareMaven } from "./maven.js";

/*
 * Vectors from Maven's ComparableVersionTest (maven-artifact, Maven 3.9.x:
 * maven-artifact/src/test/java/org/apache/maven/artifact/versioning/ComparableVersionTest.java).
 */

const VERSIONS_QUALIFIER = [
  "1-alpha2snapshot",
  "1-alpha2",
  "1-alpha-123",
  "1-beta-2",
  "1-beta123",
  "1-m2",
  "1-m11",
  "1-rc",
  "1-cr2",
  "1-rc123",
  "1-SNAPSHOT",
  "1",
  "1-sp",
  "1-sp2",
  "1-sp123",
  "1-abc",
  "1-def",
  "1-pom-1",
  "1-1-snapshot",
  "1-1",
  "1-2",
  "1-123",
];

const VERSIONS_NUMBER = [
  "2.0",
  "2.0.a",
  "2-1",
  "2.0.2",
  "2.0.123",
  "2.1.0",
  "2.1-a",
  "2.1b",
  "2.1-c",
  "2.1-1",
  "2.1.0.1",
  "2.2",
  "2.123",
  "11.a2",
  "11.a11",
  "11.b2",
  "11.b11",
  "11.m2",
  "11.m11",
  "11",
  "11.a",
  "11b",
  "11c",
  "11m",
];

/** checkVersionsOrder(String[]): every earlier entry is lower than every later one. */
function checkOrder(list: string[]): void {
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const low = list[i] as string;
      const high = list[j] as string;
      expect(compareMaven(low, high), `${low} < ${high}`).toBe(-1);
      expect(compareMaven(high, low), `${high} > ${low}`).toBe(1);
    }
    expect(compareMaven(list[i] as string, list[i] as string)).toBe(0);
  }
}

function checkEqual(a: string, b: string): void {
  expect(compareMaven(a, b), `${a} == ${b}`).toBe(0);
  expect(compareMaven(b, a), `${b} == ${a}`).toBe(0);
}

describe("compareMaven: ComparableVersionTest", () => {
  it("versionsQualifier: VERSIONS_QUALIFIER is in ascending order", () => {
    checkOrder(VERSIONS_QUALIFIER);
  });

  it("versionsNumber: VERSIONS_NUMBER is in ascending order", () => {
    checkOrder(VERSIONS_NUMBER);
  });

  // versionsEqual
  const equal: [string, string][] = [
    ["1", "1"],
    ["1", "1.0"],
    ["1", "1.0.0"],
    ["1.0", "1.0.0"],
    ["1", "1-0"],
    ["1", "1.0-0"],
    ["1.0", "1.0-0"],
    ["1a", "1-a"],
    ["1a", "1.0-a"],
    ["1a", "1.0.0-a"],
    ["1.0a", "1-a"],
    ["1.0.0a", "1-a"],
    ["1x", "1-x"],
    ["1x", "1.0-x"],
    ["1x", "1.0.0-x"],
    ["1.0x", "1-x"],
    ["1.0.0x", "1-x"],
    ["1cr", "1rc"],
    ["1a1", "1-alpha-1"],
    ["1b2", "1-beta-2"],
    ["1m3", "1-milestone-3"],
    ["1X", "1x"],
    ["1A", "1a"],
    ["1B", "1b"],
    ["1M", "1m"],
    ["1Cr", "1Rc"],
    ["1cR", "1rC"],
    ["1m3", "1Milestone3"],
    ["1m3", "1MileStone3"],
    ["1m3", "1MILESTONE3"],
  ];
  for (const [a, b] of equal) {
    it(`versionsEqual: ${a} == ${b}`, () => checkEqual(a, b));
  }

  // versionsHaveSameOrderButAreNotEqual: compareTo is 0 (equals() differs, which we do not model).
  const sameOrder = [
    "1ga",
    "1release",
    "1final",
    "1Ga",
    "1GA",
    "1RELEASE",
    "1RELeaSE",
    "1Final",
    "1FinaL",
    "1FINAL",
  ];
  for (const v of sameOrder) {
    it(`versionsHaveSameOrderButAreNotEqual: ${v} ~ 1`, () => checkEqual(v, "1"));
  }

  // versionComparing, leadingZeroes, mng5568, mng6572, mng6964
  const ordered: [string, string][] = [
    ["1", "2"],
    ["1.5", "2"],
    ["1", "2.5"],
    ["1.0", "1.1"],
    ["1.1", "1.2"],
    ["1.0.0", "1.1"],
    ["1.0.1", "1.1"],
    ["1.1", "1.2.0"],
    ["1.0-alpha-1", "1.0"],
    ["1.0-alpha-1", "1.0-alpha-2"],
    ["1.0-alpha-1", "1.0-beta-1"],
    ["1.0-beta-1", "1.0-SNAPSHOT"],
    ["1.0-SNAPSHOT", "1.0"],
    ["1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"],
    ["1.0", "1.0-1"],
    ["1.0-1", "1.0-2"],
    ["1.0.0", "1.0-1"],
    ["2.0-1", "2.0.1"],
    ["2.0.1-klm", "2.0.1-lmn"],
    ["2.0.1", "2.0.1-xyz"],
    ["2.0.1", "2.0.1-123"],
    ["2.0.1-xyz", "2.0.1-123"],
    ["0.7", "2"],
    ["0.2", "1.0.7"],
    ["6.1.0rc3", "6.1.0"],
    ["6.1.0rc3", "6.1H.5-beta"],
    ["6.1.0", "6.1H.5-beta"],
    ["20190126.230843", "1234567890.12345"],
    ["1234567890.12345", "123456789012345.1H.5-beta"],
    ["20190126.230843", "123456789012345.1H.5-beta"],
    ["123456789012345.1H.5-beta", "12345678901234567890.1H.5-beta"],
    ["1234567890.12345", "12345678901234567890.1H.5-beta"],
    ["20190126.230843", "12345678901234567890.1H.5-beta"],
    ["1-0.alpha", "1"],
    ["1-0.beta", "1"],
    ["1-0.alpha", "1-0.beta"],
  ];
  for (const [a, b] of ordered) {
    it(`${a} < ${b}`, () => {
      expect(compareMaven(a, b)).toBe(-1);
      expect(compareMaven(b, a)).toBe(1);
    });
  }

  it("versionEqualWithLeadingZeroes / versionZeroEqualWithLeadingZeroes", () => {
    const ones = Array.from({ length: 19 }, (_, i) => `${"0".repeat(18 - i)}1`);
    const zeros = Array.from({ length: 19 }, (_, i) => "0".repeat(19 - i));
    for (const list of [ones, zeros]) {
      for (const a of list) for (const b of list) checkEqual(a, b);
    }
  });

  it("mng7644: 1.0.0.X1 < 1.0.0-X2 and 2-X == 2.0.X == 2.0.0.X for any qualifier X", () => {
    for (const x of ["abc", "alpha", "a", "beta", "b", "def", "milestone", "m", "RC"]) {
      expect(compareMaven(`1.0.0.${x}1`, `1.0.0-${x}2`)).toBe(-1);
      expect(compareMaven(`1.0.0-${x}2`, `1.0.0.${x}1`)).toBe(1);
      checkEqual(`2-${x}`, `2.0.${x}`);
      checkEqual(`2-${x}`, `2.0.0.${x}`);
      checkEqual(`2.0.${x}`, `2.0.0.${x}`);
    }
  });

  it("mng7714: a final release sorts before its service packs", () => {
    for (const sp of ["1.0-sp1-redhat", "1.0-sp-1-redhat", "1.0-sp.1-redhat"]) {
      expect(compareMaven("1.0.final-redhat", sp)).toBe(-1);
    }
  });

  it("localeIndependent, lexicographicASCIISortOrder, compareLowerCaseToUpperCaseASCII", () => {
    checkEqual("1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    checkEqual("1.0.0-alpha1", "1.0.0-ALPHA1");
    checkEqual("1.a", "1.A");
  });

  it("compareDigitToLetter and lexicographicOrder", () => {
    expect(compareMaven("7", "J")).toBe(1);
    expect(compareMaven("J", "7")).toBe(-1);
    expect(compareMaven("7", "c")).toBe(1);
    expect(compareMaven("zebra", "aardvark")).toBe(1);
    expect(compareMaven("aardvark", "zebra")).toBe(-1);
  });
});

describe("compareMaven: common artifact versions", () => {
  it("orders real release lines", () => {
    expect(compareMaven("2.14.1", "2.17.1")).toBe(-1);
    expect(compareMaven("2.0-beta9", "2.0-rc1")).toBe(-1);
    expect(compareMaven("2.0-rc1", "2.0")).toBe(-1);
    expect(compareMaven("5.3.18", "5.3.18.RELEASE")).toBe(0);
    expect(compareMaven("9.4.43.v20210629", "9.4.44.v20210927")).toBe(-1);
    expect(compareMaven("31.1-jre", "32.0.0-jre")).toBe(-1);
    expect(compareMaven("1.2.3-SNAPSHOT", "1.2.3")).toBe(-1);
  });
  it("refuses empty text and text with spaces", () => {
    expect(compareMaven("", "1")).toBeNull();
    expect(compareMaven("1 2", "1")).toBeNull();
  });
});
