import { describe, expect, it } from "vitest";
import { comparePep440 } from "./pep440.js";

/**
 * pypa/packaging, tests/test_version.py: the VERSIONS list ("This list must be in the correct
 * sorting order"), for the implicit epoch 0; the file repeats the same list with the epoch "1!",
 * which is generated here.
 */
const EPOCH_0 = [
  "1.0.dev0",
  "1.0.dev456",
  "1.0.dev456+local",
  "1.0a0",
  "1.0a0.post0.dev0",
  "1.0a0.post0",
  "1.0a1.dev1",
  "1.0a1.dev1+local",
  "1.0a1",
  "1.0a1+local",
  "1.0b0",
  "1.0b1.dev456",
  "1.0b2",
  "1.0b2.post345.dev456",
  "1.0b2.post345",
  "1.0b2-346",
  "1.0rc0",
  "1.0rc1.dev1",
  "1.0c1",
  "1.0rc2",
  "1.0",
  "1.0.post0.dev0",
  "1.0.post0",
  "1.0.post456.dev34",
  "1.0.post456",
  "1.0.post456+local",
  "1.0.1.dev1",
  "1.0.1a1",
  "1.0.1",
  "1.0.1+local",
  "1.0.1.post1",
  "1.1.dev1",
  "1.2+a",
  "1.2+abc",
  "1.2+abcdef",
  "1.2+def",
  "1.2+0",
  "1.2+1",
  "1.2+1.abc",
  "1.2+1.1",
  "1.2+1.1.0",
  "1.2+2",
  "1.2+123",
  "1.2+123456",
  "1.2.r32+123456",
  "1.2.rev33+123456",
];
const VERSIONS = [...EPOCH_0, ...EPOCH_0.map((v) => `1!${v}`)];

describe("comparePep440: packaging's VERSIONS ordering", () => {
  it("has the full list", () => {
    expect(VERSIONS).toHaveLength(92);
  });
  it("orders every pair as the list does", () => {
    for (let i = 0; i < VERSIONS.length; i++) {
      for (let j = 0; j < VERSIONS.length; j++) {
        const a = VERSIONS[i] as string;
        const b = VERSIONS[j] as string;
        expect(comparePep440(a, b), `${a} vs ${b}`).toBe(Math.sign(i - j));
      }
    }
  });
  it("treats c and rc as the same pre-release (test_version_rc_and_c_equals)", () => {
    expect(comparePep440("1.0rc1", "1.0c1")).toBe(0);
  });
  it("normalises spellings (test_normalized_versions)", () => {
    expect(comparePep440("1.0-dev1", "1.0.dev1")).toBe(0);
    expect(comparePep440("1.0.ALPHA1", "1.0a1")).toBe(0);
    expect(comparePep440("1.0-5", "1.0.post5")).toBe(0);
    expect(comparePep440("1.01", "1.1")).toBe(0);
    expect(comparePep440("v1.0", "1.0")).toBe(0);
    expect(comparePep440("00!1.2", "1.2")).toBe(0);
  });
  it("refuses invalid versions (test_invalid_versions)", () => {
    for (const v of [
      "french toast",
      "1.0+a+",
      "1.0++",
      "1.0+_foobar",
      "1.0+foo&asd",
      "1.0+1+1",
      "1. 0",
      "1.0 a1",
    ]) {
      expect(comparePep440(v, "1.0"), v).toBeNull();
    }
  });
});
