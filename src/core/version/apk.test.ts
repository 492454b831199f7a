import { describe, expect, it } from "vitest";
import { compareApk, isValidApk } from "./apk.js";

/**
 * apk-tools, test/version.data: "a op b" lines, each checked there with `apk version -t a b`.
 * These are the first 144 lines of the file plus its last 6 (the newest additions: revision after
 * a dotted part, suffix followed by a revision, numbered post-release suffixes, a pre-release
 * suffix chained on another, and 14-digit suffix numbers), verbatim.
 */
const VERSION_DATA = `
2.34 > 0.1.0_alpha
23_foo > 4_beta
1.0 < 1.0bc
0.1.0_alpha = 0.1.0_alpha
0.1.0_alpha < 0.1.3_alpha
0.1.3_alpha > 0.1.0_alpha
0.1.0_alpha2 > 0.1.0_alpha
0.1.0_alpha < 2.2.39-r1
2.2.39-r1 > 1.0.4-r3
1.0.4-r3 < 1.0.4-r4
1.0.4-r4 < 1.6
1.6 > 1.0.2
1.0.2 > 0.7-r1
0.7-r1 < 1.0.0
1.0.0 < 1.0.1
1.0.1 < 1.1
1.1 > 1.1_alpha1
1.1_alpha1 < 1.2.1
1.2.1 > 1.2
1.2 < 1.3_alpha
1.3_alpha < 1.3_alpha2
1.3_alpha2 < 1.3_alpha3
1.3_alpha8 > 0.6.0
0.6.0 < 0.6.1
0.6.1 < 0.7.0
0.7.0 < 0.8_beta1
0.8_beta1 < 0.8_beta2
0.8_beta4 < 4.8-r1
4.8-r1 > 3.10.18-r1
3.10.18-r1 > 2.3.0b-r1
2.3.0b-r1 < 2.3.0b-r2
2.3.0b-r2 < 2.3.0b-r3
2.3.0b-r3 < 2.3.0b-r4
2.3.0b-r4 > 0.12.1
0.12.1 < 0.12.2
0.12.2 < 0.12.3
0.12.3 > 0.12
0.12 < 0.13_beta1
0.13_beta1 < 0.13_beta2
0.13_beta2 < 0.13_beta3
0.13_beta3 < 0.13_beta4
0.13_beta4 < 0.13_beta5
0.13_beta5 > 0.9.12
0.9.12 < 0.9.13
0.9.13 > 0.9.12
0.9.12 < 0.9.13
0.9.13 > 0.0.16
0.0.16 < 0.6
0.6 < 2.1.13-r3
2.1.13-r3 < 2.1.15-r2
2.1.15-r2 < 2.1.15-r3
2.1.15-r3 > 1.2.11
1.2.11 < 1.2.12.1
1.2.12.1 < 1.2.13
1.2.13 < 1.2.14-r1
1.2.14-r1 > 0.7.1
0.7.1 > 0.5.4
0.5.4 < 0.7.0
0.7.0 < 1.2.13
1.2.13 > 1.0.8
1.0.8 < 1.2.1
1.2.1 > 0.7-r1
0.7-r1 < 2.4.32
2.4.32 < 2.8-r4
2.8-r4 > 0.9.6
0.9.6 > 0.2.0-r1
0.2.0-r1 = 0.2.0-r1
0.2.0-r1 < 3.1_p16
3.1_p16 < 3.1_p17
3.1_p17 > 1.06-r6
1.06-r6 < 006
006 > 1.0.0
1.0.0 < 1.2.2-r1
1.2.2-r1 > 1.2.2
1.2.2 > 0.3-r1
0.3-r1 < 9.3.2-r4
9.3.2-r4 < 9.3.4-r2
9.3.4-r2 > 9.3.4
9.3.4 > 9.3.2
9.3.2 < 9.3.4
9.3.4 > 1.1.3
1.1.3 < 2.16.1-r3
2.16.1-r3 = 2.16.1-r3
2.16.1-r3 > 2.1.0-r2
2.1.0-r2 < 2.9.3-r1
2.9.3-r1 > 0.9-r1
0.9-r1 > 0.8-r1
0.8-r1 < 1.0.6-r3
1.0.6-r3 > 0.11
0.11 < 0.12
0.12 < 1.2.1-r1
1.2.1-r1 < 1.2.2.1
1.2.2.1 < 1.4.1-r1
1.4.1-r1 < 1.4.1-r2
1.4.1-r2 > 1.2.2
1.2.2 < 1.3
1.3 > 1.0.3-r6
1.0.3-r6 < 1.0.4
1.0.4 < 2.59
2.59 < 20050718-r1
20050718-r1 < 20050718-r2
20050718-r2 > 3.9.8-r5
3.9.8-r5 > 2.01.01_alpha10
2.01.01_alpha10 > 0.94
0.94 < 1.0
1.0 > 0.99.3.20040818
0.99.3.20040818 > 0.7
0.7 < 1.21-r1
1.21-r1 > 0.13
0.13 < 0.90.1-r1
0.90.1-r1 > 0.10.2
0.10.2 < 0.10.3
0.10.3 < 1.6
1.6 < 1.39
1.39 > 1.00_beta2
1.00_beta2 > 0.9.2
0.9.2 < 5.94-r1
5.94-r1 < 6.4
6.4 > 2.6-r5
2.6-r5 > 1.4
1.4 < 2.8.9-r1
2.8.9-r1 > 2.8.9
2.8.9 > 1.1
1.1 > 1.0.3-r2
1.0.3-r2 < 1.3.4-r3
1.3.4-r3 < 2.2
2.2 > 1.2.6
1.2.6 < 7.15.1-r1
7.15.1-r1 > 1.02
1.02 < 1.03-r1
1.03-r1 < 1.12.12-r2
1.12.12-r2 < 2.8.0.6-r1
2.8.0.6-r1 > 0.5.2.7
0.5.2.7 < 4.2.52_p2-r1
4.2.52_p2-r1 < 4.2.52_p4-r2
4.2.52_p4-r2 > 1.02.07
1.02.07 < 1.02.10-r1
1.02.10-r1 < 3.0.3-r9
3.0.3-r9 > 2.0.5-r1
2.0.5-r1 < 4.5
4.5 > 2.8.7-r1
2.8.7-r1 > 1.0.5
1.0.5 < 8
8 < 9
4.2.5 < 4.3.2-r2
1.3-r0 < 1.3.1-r0
1.3_pre1-r1 < 1.3.2
1.0_p10-r0 > 1.0_p9-r0
0.1.0_alpha_pre2 < 0.1.0_alpha
1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
`;

const OPS: Record<string, number> = { "<": -1, "=": 0, ">": 1 };

const rows = VERSION_DATA.trim()
  .split("\n")
  .map((line) => {
    const [a, op, b] = line.split(" ");
    return [a as string, b as string, OPS[op as string] as number] as const;
  });

describe("compareApk: apk-tools test/version.data", () => {
  it("has the transcribed lines", () => {
    expect(rows).toHaveLength(150);
  });
  for (const [a, b, expected] of rows) {
    it(`${a} vs ${b} → ${expected}`, () => {
      expect(compareApk(a, b)).toBe(expected);
      expect(compareApk(b, a)).toBe(-expected || 0);
    });
  }
});

describe("compareApk: suffix and revision ordering", () => {
  it("puts pre-release suffixes before the release and post-release suffixes after it", () => {
    const order = [
      "1.0_alpha",
      "1.0_alpha1",
      "1.0_beta1",
      "1.0_pre1",
      "1.0_rc1",
      "1.0",
      "1.0-r1",
      "1.0_cvs",
      "1.0_svn1",
      "1.0_git20240101",
      "1.0_hg1",
      "1.0_p1",
      "1.0_p2-r3",
      "1.0a",
      "1.0.1",
    ];
    for (let i = 0; i + 1 < order.length; i++) {
      expect(compareApk(order[i] as string, order[i + 1] as string), `${order[i]} < ${order[i + 1]}`).toBe(
        -1,
      );
    }
  });
  it("orders real Alpine package builds", () => {
    expect(compareApk("3.1.4-r5", "3.1.4-r6")).toBe(-1);
    expect(compareApk("1.36.1-r29", "1.36.1-r30")).toBe(-1);
    expect(compareApk("1.2.4_git20230717-r4", "1.2.4-r0")).toBe(1);
    expect(compareApk("3.0.12-r1", "3.0.13-r0")).toBe(-1);
  });
  it("knows which versions apk-tools accepts", () => {
    expect(isValidApk("1.2.3_rc1-r0")).toBe(true);
    expect(isValidApk("1.0bc")).toBe(false);
    expect(isValidApk("1.0-x")).toBe(false);
    expect(isValidApk("1.0_foo")).toBe(false);
  });
  it("refuses text that does not start with a digit", () => {
    expect(compareApk("v1.0", "1.0")).toBeNull();
    expect(compareApk("", "1.0")).toBeNull();
    expect(compareApk("1.0", "1 0")).toBeNull();
  });
});
