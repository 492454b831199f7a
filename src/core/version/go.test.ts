import { describe, expect, it } from "vitest";
import { compareGo, parseGo } from "./go.js";

/**
 * golang.org/x/mod/semver, semver_test.go: the `tests` table of (input, canonical form), in
 * ascending order. TestCompare asserts that entries with the same canonical form compare equal and
 * that otherwise the earlier entry is lower. Entries whose canonical form is "" are invalid; x/mod
 * sorts them before every valid version, while compareGo returns null ("cannot compare"), which is
 * what a range check needs.
 */
const TESTS: [string, string][] = [
  ["bad", ""],
  ["v1-alpha.beta.gamma", ""],
  ["v1-pre", ""],
  ["v1+meta", ""],
  ["v1-pre+meta", ""],
  ["v1.2-pre", ""],
  ["v1.2+meta", ""],
  ["v1.2-pre+meta", ""],
  ["v1.0.0-alpha", "v1.0.0-alpha"],
  ["v1.0.0-alpha.1", "v1.0.0-alpha.1"],
  ["v1.0.0-alpha.beta", "v1.0.0-alpha.beta"],
  ["v1.0.0-beta", "v1.0.0-beta"],
  ["v1.0.0-beta.2", "v1.0.0-beta.2"],
  ["v1.0.0-beta.11", "v1.0.0-beta.11"],
  ["v1.0.0-rc.1", "v1.0.0-rc.1"],
  ["v1", "v1.0.0"],
  ["v1.0", "v1.0.0"],
  ["v1.0.0", "v1.0.0"],
  ["v1.2", "v1.2.0"],
  ["v1.2.0", "v1.2.0"],
  ["v1.2.3-456", "v1.2.3-456"],
  ["v1.2.3-456.789", "v1.2.3-456.789"],
  ["v1.2.3-456-789", "v1.2.3-456-789"],
  ["v1.2.3-456a", "v1.2.3-456a"],
  ["v1.2.3-pre", "v1.2.3-pre"],
  ["v1.2.3-pre+meta", "v1.2.3-pre"],
  ["v1.2.3-pre.1", "v1.2.3-pre.1"],
  ["v1.2.3-zzz", "v1.2.3-zzz"],
  ["v1.2.3", "v1.2.3"],
  ["v1.2.3+meta", "v1.2.3"],
  ["v1.2.3+meta-pre", "v1.2.3"],
  ["v1.2.3+meta-pre.sha.256a", "v1.2.3"],
];

describe("compareGo: x/mod/semver TestIsValid and TestCompare", () => {
  it("has the full table", () => {
    expect(TESTS).toHaveLength(32);
  });
  for (const [input, canonical] of TESTS) {
    it(`${input} is ${canonical === "" ? "invalid" : "valid"}`, () => {
      expect(parseGo(input) === null).toBe(canonical === "");
    });
  }
  it("orders every pair of valid entries as the table does", () => {
    const valid = TESTS.map((t, i) => ({ input: t[0], canonical: t[1], i })).filter(
      (t) => t.canonical !== "",
    );
    for (const a of valid) {
      for (const b of valid) {
        const want = a.canonical === b.canonical ? 0 : a.i < b.i ? -1 : 1;
        expect(compareGo(a.input, b.input), `${a.input} vs ${b.input}`).toBe(want);
      }
    }
  });
  it("returns null for invalid entries", () => {
    for (const [input, canonical] of TESTS) {
      if (canonical === "") expect(compareGo(input, "v1.0.0")).toBeNull();
    }
  });
  // The extra explicit cases of TestCompare.
  const extra: [string, string, number][] = [
    ["v1", "v1", 0],
    ["v2", "v1", 1],
    ["v1", "v2", -1],
    ["v1.19", "v1.2", 1],
    ["v1.2", "v1.19", -1],
  ];
  for (const [a, b, want] of extra) {
    it(`Compare(${a}, ${b}) = ${want}`, () => {
      expect(compareGo(a, b)).toBe(want);
    });
  }
});

describe("compareGo: module versions", () => {
  // Pseudo-version forms from the Go modules reference (go.dev/ref/mod#pseudo-versions).
  it("orders pseudo-versions as pre-releases of the version after their base", () => {
    const order = [
      "v0.0.0-20191109021931-daa7c04131f5",
      "v0.0.0-20200101000000-000000000000",
      "v0.0.0",
      "v1.2.3",
      "v1.2.4-0.20191109021931-daa7c04131f5",
      "v1.2.4-0.20210101000000-0123456789ab",
      "v1.2.4-pre",
      "v1.2.4-pre.0.20191109021931-daa7c04131f5",
      "v1.2.4",
    ];
    for (let i = 0; i + 1 < order.length; i++) {
      expect(compareGo(order[i] as string, order[i + 1] as string), `${order[i]} < ${order[i + 1]}`).toBe(-1);
      expect(compareGo(order[i + 1] as string, order[i] as string)).toBe(1);
    }
  });
  it("ignores +incompatible and other build metadata", () => {
    expect(compareGo("v2.0.0+incompatible", "v2.0.0")).toBe(0);
    expect(compareGo("v2.1.0+incompatible", "v2.0.5+incompatible")).toBe(1);
  });
  it("accepts versions without the v prefix", () => {
    expect(compareGo("1.21.5", "v1.21.6")).toBe(-1);
    expect(compareGo("1.22", "v1.22.0")).toBe(0);
    expect(compareGo("0.17.0", "v0.17.0")).toBe(0);
  });
  it("compares numbers of any size", () => {
    expect(compareGo("v1.2.30000000000000000000", "v1.2.4")).toBe(1);
    expect(compareGo("v1.0.0-99999999999999999999", "v1.0.0-100000000000000000000")).toBe(-1);
  });
  it("refuses leading zeros and other non-semver text", () => {
    expect(compareGo("v01.2.3", "v1.2.3")).toBeNull();
    expect(compareGo("v1.2.3-01", "v1.2.3")).toBeNull();
    expect(compareGo("go1.21.0", "v1.21.0")).toBeNull();
    expect(compareGo("v1.2.3.4", "v1.2.3")).toBeNull();
    expect(compareGo("", "v1.2.3")).toBeNull();
  });
});
