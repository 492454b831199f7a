import { describe, expect, it } from "vitest";
import { compareDeb, parseDeb, verrevcmp } from "./deb.js";

const sign = (n: number | null): number | null => (n === null ? null : Math.sign(n));

/**
 * dpkg, scripts/t/Dpkg_Version.t (__DATA__ section): "a b expected", checked there against
 * Dpkg::Version and `dpkg --compare-versions`.
 *
 * Left out: the last row, "-0.6.5 0.9.1 -1". Its left side has an empty upstream version, which
 * dpkg's C parser (lib/dpkg/parsehelp.c) rejects — lib/dpkg/t/t-version.c asserts that "-0" fails
 * to parse — so compareDeb refuses it (null) rather than ordering it.
 */
const DPKG_VERSION_T = `
1.0-1 2.0-2 -1
2.2~rc-4 2.2-1 -1
2.2-1 2.2~rc-4 1
1.0000-1 1.0-1 0
1 0:1 0
0 0:0-0 0
2:2.5 1:7.5 1
1:0foo 0foo 1
0:0foo 0foo 0
0foo 0foo 0
0foo- 0foo 0
0foo- 0foo-0 0
0foo 0fo 1
0foo- 0foo+ -1
0foo~1 0foo -1
0foo~foo+Bar 0foo~foo+bar -1
0foo~~ 0foo~ -1
1~ 1 -1
12345+that-really-is-some-ver-0 12345+that-really-is-some-ver-10 -1
0foo-0 0foo-01 -1
0foo.bar 0foobar 1
0foo.bar 0foo1bar 1
0foo.bar 0foo0bar 1
0foo1bar-1 0foobar-1 -1
0foo2.0 0foo2 1
0foo2.0.0 0foo2.10.0 -1
0foo2.0 0foo2.0.0 -1
0foo2.0 0foo2.10 -1
0foo2.1 0foo2.10 -1
1.09 1.9 0
1.0.8+nmu1 1.0.8 1
3.11 3.10+nmu1 1
0.9j-20080306-4 0.9i-20070324-2 1
1.2.0~b7-1 1.2.0~b6-1 1
1.011-1 1.06-2 1
0.0.9+dfsg1-1 0.0.8+dfsg1-3 1
4.6.99+svn6582-1 4.6.99+svn6496-1 1
53 52 1
0.9.9~pre122-1 0.9.9~pre111-1 1
2:2.3.2-2+lenny2 2:2.3.2-2 1
1:3.8.1-1 3.8.GA-1 1
1.0.1+gpl-1 1.0.1-2 1
1a 1000a -1
`;

const rows = DPKG_VERSION_T.trim()
  .split("\n")
  .map((line) => {
    const [a, b, r] = line.split(" ");
    return [a as string, b as string, Number(r)] as const;
  });

describe("compareDeb: dpkg's Dpkg_Version.t vectors", () => {
  it("has the full table", () => {
    expect(rows).toHaveLength(43);
  });
  for (const [a, b, expected] of rows) {
    it(`${a} vs ${b} → ${expected}`, () => {
      expect(sign(compareDeb(a, b))).toBe(expected);
      expect(sign(compareDeb(b, a))).toBe(-expected || 0);
    });
  }
  it("refuses the empty-upstream row that dpkg's C parser rejects", () => {
    expect(compareDeb("-0.6.5", "0.9.1")).toBeNull();
  });
});

describe("compareDeb: dpkg's lib/dpkg/t/t-version.c", () => {
  // test_version_compare and test_version_parse: versions that parse and compare equal.
  const equal: [string, string][] = [
    ["0", "0:0"],
    ["0:0-", "0"],
    ["0:0-0", "0-0"],
    ["0:0.0-0.0", "0.0-0.0"],
    ["1:0", "1:0-"],
    ["5:1", "5:1"],
    ["0:0-0-0", "0-0-0"],
    ["0:0-0-0-0", "0-0-0-0"],
    ["0:0:0-0", "0:0:0-0"],
    ["0:0:0:0-0", "0:0:0:0-0"],
    ["0:0:0-0-0", "0:0:0-0-0"],
    ["0:0-0:0-0", "0:0-0:0-0"],
    ["0:09azAZ.-+~:-0", "0:09azAZ.-+~:-0"],
    ["0:0-azAZ09.+~", "0:0-azAZ09.+~"],
    ["  \t0:0-1", "0:0-1"],
    ["0:0-1\t  ", "0:0-1"],
    ["\t  0:0-1  \t", "0:0-1"],
    ["0-00", "00-0"],
  ];
  for (const [a, b] of equal) {
    it(`${JSON.stringify(a)} == ${JSON.stringify(b)}`, () => {
      expect(compareDeb(a, b)).toBe(0);
    });
  }
  it("splits epoch at the first colon and revision at the last hyphen", () => {
    expect(parseDeb("0:0-0-0")).toEqual({ epoch: 0, upstream: "0-0", revision: "0" });
    expect(parseDeb("0:0:0-0")).toEqual({ epoch: 0, upstream: "0:0", revision: "0" });
    expect(parseDeb("0:0-0:0-0")).toEqual({ epoch: 0, upstream: "0-0:0", revision: "0" });
    expect(parseDeb("0:09azAZ.-+~:-0")).toEqual({ epoch: 0, upstream: "09azAZ.-+~:", revision: "0" });
  });
  it("orders by epoch, then upstream version, then revision", () => {
    expect(sign(compareDeb("0:0-0", "1:0-0"))).toBe(-1);
    expect(sign(compareDeb("1:0-0", "0:0-0"))).toBe(1);
    expect(sign(compareDeb("1-1", "2-1"))).toBe(-1);
    expect(sign(compareDeb("1-1", "1-2"))).toBe(-1);
    expect(sign(compareDeb("1-1", "1-1"))).toBe(0);
  });
  // t-version.c compares "a" with "b" as DPKG_VERSION_OBJECTs, bypassing the parser; the parser
  // itself warns about upstream versions that do not start with a digit, so use verrevcmp here.
  it("orders letters in upstream and revision parts (verrevcmp)", () => {
    expect(Math.sign(verrevcmp("a", "b"))).toBe(-1);
    expect(Math.sign(verrevcmp("b", "a"))).toBe(1);
  });
  const invalid = [
    "",
    "  ",
    "0:",
    "0:0 0-1",
    "-1:0-1",
    "999999999999999999999999:0-1",
    "a:0-0",
    "A:0-0",
    "-0",
    "0:-0",
    "0:abc3-0",
    "0:0-0:0",
    ...[..."!#@$%&/|\\<>()[]{};,_=*^'"].map((c) => `0:0${c}-0`),
    ...[..."!#@$%&/|\\<>()[]{}:;,_=*^'"].map((c) => `0:0-${c}`),
  ];
  for (const v of invalid) {
    it(`refuses ${JSON.stringify(v)}`, () => {
      expect(parseDeb(v)).toBeNull();
      expect(compareDeb(v, "1.0")).toBeNull();
    });
  }
});

describe("compareDeb: Debian Policy §5.6.12 examples", () => {
  it("sorts '~' before everything, even the end: ~~ < ~~a < ~ < (end) < a", () => {
    const order = ["~~", "~~a", "~", "", "a"];
    for (let i = 0; i + 1 < order.length; i++) {
      expect(Math.sign(verrevcmp(order[i] as string, order[i + 1] as string))).toBe(-1);
      expect(Math.sign(verrevcmp(order[i + 1] as string, order[i] as string))).toBe(1);
    }
    const full = ["1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a"];
    for (let i = 0; i + 1 < full.length; i++) {
      expect(sign(compareDeb(full[i] as string, full[i + 1] as string))).toBe(-1);
    }
  });
  it("puts a release candidate before the release, and an epoch above any version", () => {
    expect(sign(compareDeb("1.0~rc1", "1.0"))).toBe(-1);
    expect(sign(compareDeb("1:0.9", "2.0"))).toBe(1);
    expect(sign(compareDeb("1.0-1", "1.0-1ubuntu1"))).toBe(-1);
  });
  it("orders real distribution builds", () => {
    expect(sign(compareDeb("1.1.1n-0+deb11u5", "1.1.1w-0+deb11u1"))).toBe(-1);
    expect(sign(compareDeb("3.0.11-1~deb12u2", "3.0.11-1"))).toBe(-1);
    expect(sign(compareDeb("2.36-9+deb12u4", "2.36-9+deb12u10"))).toBe(-1);
    expect(sign(compareDeb("1:9.2p1-2ubuntu0.1", "1:8.9p1-3ubuntu0.10"))).toBe(1);
  });
});
