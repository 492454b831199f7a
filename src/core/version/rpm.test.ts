import { describe, expect, it } from "vitest";
import { compareRpm, parseEvr, rpmvercmp } from "./rpm.js";

/**
 * rpm, tests/rpmvercmp.at: every RPMVERCMP(a, b, expected) row, including the tilde and caret
 * (rpm ≥ 4.15) sections. Left out: the rows the file itself comments out ("dnl") as documenting
 * "arguably buggy behaviors" (RhBug:811992, non-ASCII characters), which are not asserted there.
 */
const RPMVERCMP_AT = `
1.0, 1.0, 0
1.0, 2.0, -1
2.0, 1.0, 1
2.0.1, 2.0.1, 0
2.0, 2.0.1, -1
2.0.1, 2.0, 1
2.0.1a, 2.0.1a, 0
2.0.1a, 2.0.1, 1
2.0.1, 2.0.1a, -1
5.5p1, 5.5p1, 0
5.5p1, 5.5p2, -1
5.5p2, 5.5p1, 1
5.5p10, 5.5p10, 0
5.5p1, 5.5p10, -1
5.5p10, 5.5p1, 1
10xyz, 10.1xyz, -1
10.1xyz, 10xyz, 1
xyz10, xyz10, 0
xyz10, xyz10.1, -1
xyz10.1, xyz10, 1
xyz.4, xyz.4, 0
xyz.4, 8, -1
8, xyz.4, 1
xyz.4, 2, -1
2, xyz.4, 1
5.5p2, 5.6p1, -1
5.6p1, 5.5p2, 1
5.6p1, 6.5p1, -1
6.5p1, 5.6p1, 1
6.0.rc1, 6.0, 1
6.0, 6.0.rc1, -1
10b2, 10a1, 1
10a2, 10b2, -1
1.0aa, 1.0aa, 0
1.0a, 1.0aa, -1
1.0aa, 1.0a, 1
10.0001, 10.0001, 0
10.0001, 10.1, 0
10.1, 10.0001, 0
10.0001, 10.0039, -1
10.0039, 10.0001, 1
4.999.9, 5.0, -1
5.0, 4.999.9, 1
20101121, 20101121, 0
20101121, 20101122, -1
20101122, 20101121, 1
2_0, 2_0, 0
2.0, 2_0, 0
2_0, 2.0, 0
a, a, 0
a+, a+, 0
a+, a_, 0
a_, a+, 0
+a, +a, 0
+a, _a, 0
_a, +a, 0
+_, +_, 0
_+, +_, 0
_+, _+, 0
+, _, 0
_, +, 0
1.0~rc1, 1.0~rc1, 0
1.0~rc1, 1.0, -1
1.0, 1.0~rc1, 1
1.0~rc1, 1.0~rc2, -1
1.0~rc2, 1.0~rc1, 1
1.0~rc1~git123, 1.0~rc1~git123, 0
1.0~rc1~git123, 1.0~rc1, -1
1.0~rc1, 1.0~rc1~git123, 1
1.0^, 1.0^, 0
1.0^, 1.0, 1
1.0, 1.0^, -1
1.0^git1, 1.0^git1, 0
1.0^git1, 1.0, 1
1.0, 1.0^git1, -1
1.0^git1, 1.0^git2, -1
1.0^git2, 1.0^git1, 1
1.0^git1, 1.01, -1
1.01, 1.0^git1, 1
1.0^20160101, 1.0^20160101, 0
1.0^20160101, 1.0.1, -1
1.0.1, 1.0^20160101, 1
1.0^20160101^git1, 1.0^20160101^git1, 0
1.0^20160102, 1.0^20160101^git1, 1
1.0^20160101^git1, 1.0^20160102, -1
1.0~rc1^git1, 1.0~rc1^git1, 0
1.0~rc1^git1, 1.0~rc1, 1
1.0~rc1, 1.0~rc1^git1, -1
1.0^git1~pre, 1.0^git1~pre, 0
1.0^git1, 1.0^git1~pre, 1
1.0^git1~pre, 1.0^git1, -1
`;

const rows = RPMVERCMP_AT.trim()
  .split("\n")
  .map((line) => {
    const [a, b, r] = line.split(", ");
    return [a as string, b as string, Number(r)] as const;
  });

describe("rpmvercmp: rpm's tests/rpmvercmp.at", () => {
  it("has the full table", () => {
    expect(rows).toHaveLength(91);
  });
  for (const [a, b, expected] of rows) {
    it(`rpmvercmp(${a}, ${b}) = ${expected}`, () => {
      expect(rpmvercmp(a, b)).toBe(expected);
      // None of these rows has an epoch or a release, so the EVR comparison agrees.
      expect(compareRpm(a, b)).toBe(expected);
    });
  }
});

describe("compareRpm: epoch:version-release", () => {
  it("splits the epoch at the leading digits before ':' and the release at the last '-'", () => {
    expect(parseEvr("1:2.4.57-8.el9")).toEqual({ epoch: "1", version: "2.4.57", release: "8.el9" });
    expect(parseEvr("3.0.7-27.el9")).toEqual({ epoch: "0", version: "3.0.7", release: "27.el9" });
    expect(parseEvr("1.2.3")).toEqual({ epoch: "0", version: "1.2.3" });
    expect(parseEvr(":1.0-1")).toEqual({ epoch: "0", version: "1.0", release: "1" });
    expect(parseEvr("1.0-rc1-2")).toEqual({ epoch: "0", version: "1.0-rc1", release: "2" });
  });
  it("compares epochs first; a missing epoch is 0", () => {
    expect(compareRpm("1:1.0-1", "2.0-1")).toBe(1);
    expect(compareRpm("0:8.7p1-38.el9", "8.7p1-38.el9")).toBe(0);
    expect(compareRpm("2:1.0", "10:0.1")).toBe(-1);
  });
  it("compares releases only when both sides have one", () => {
    expect(compareRpm("1.0-1", "1.0-2")).toBe(-1);
    expect(compareRpm("1.0-5.el9", "1.0")).toBe(0);
    expect(compareRpm("1.0", "1.0-5.el9")).toBe(0);
    expect(compareRpm("1.0", "1.1-1")).toBe(-1);
  });
  it("orders real distribution builds", () => {
    expect(compareRpm("3.0.7-27.el9", "3.0.7-28.el9_4")).toBe(-1);
    expect(compareRpm("1:1.1.1k-12.el8_9", "1:1.1.1k-9.el8_7")).toBe(1);
    expect(compareRpm("2.17-326.el7_9", "2.17-326.el7_9.3")).toBe(-1);
    expect(compareRpm("5.14.0-427.13.1.el9_4", "5.14.0-70.13.1.el9_0")).toBe(1);
    expect(compareRpm("4.18.0-513.5.1.el8_9", "4.18.0-513.24.1.el8_9")).toBe(-1);
  });
  it("refuses empty text and text with spaces", () => {
    expect(compareRpm("", "1.0")).toBeNull();
    expect(compareRpm("1.0", "   ")).toBeNull();
    expect(compareRpm("1.0 2.0", "1.0")).toBeNull();
    expect(compareRpm("1:", "1.0")).toBeNull();
  });
});
