import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cvss2BaseScore, cvss3BaseScore, cvssVectorVersion, severityV2, severityV3 } from "./cvss3.js";
import { CORPUS } from "./scan/testing/fixtures.js";

/** Every (vector, published base score) pair in the NVD corpus responses. */
function nvdPublishedScores(): Map<string, number> {
  const dir = path.join(CORPUS, "nvd");
  const found = new Map<string, number>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const o = value as Record<string, unknown>;
    if (typeof o.vectorString === "string" && typeof o.baseScore === "number") {
      found.set(o.vectorString, o.baseScore);
    }
    for (const child of Object.values(o)) walk(child);
  };
  for (const name of readdirSync(dir)) walk(JSON.parse(readFileSync(path.join(dir, name), "utf8")));
  return found;
}

describe("cvss3BaseScore", () => {
  it("matches scores NVD publishes for well-known vectors", () => {
    const cases: [string, number, string][] = [
      ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"],
      ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10, "CRITICAL"],
      ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, "HIGH"],
      ["CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H", 6.6, "MEDIUM"],
      ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", 9.1, "CRITICAL"],
      ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "MEDIUM"],
      ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", 9.0, "CRITICAL"],
      ["CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.8, "LOW"],
      ["CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0, "NONE"],
      ["CVSS:3.0/AV:L/AC:H/PR:H/UI:N/S:U/C:L/I:L/A:L", 3.9, "LOW"],
      ["CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "MEDIUM"],
    ];
    for (const [vector, score, severity] of cases) {
      expect(cvss3BaseScore(vector), vector).toEqual({
        version: vector.slice(5, 8),
        baseScore: score,
        severity,
      });
    }
  });

  it("reproduces every v3 and v2 base score in the NVD corpus responses", () => {
    const published = nvdPublishedScores();
    let checked = 0;
    for (const [vector, score] of published) {
      const version = cvssVectorVersion(vector);
      if (version === "4.0") continue;
      const computed = version === "2.0" ? cvss2BaseScore(vector) : cvss3BaseScore(vector);
      expect(computed?.baseScore, vector).toBe(score);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it("ignores temporal metrics and refuses broken vectors", () => {
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C")?.baseScore).toBe(9.8);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H")).toBeNull(); // no scope
    expect(cvss3BaseScore("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBeNull();
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBeNull();
    expect(cvss3BaseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")).toBeNull();
    expect(cvss3BaseScore("AV:N/AC:L/Au:N/C:P/I:P/A:P")).toBeNull();
  });
});

describe("cvss2BaseScore", () => {
  it("matches NVD v2 scores", () => {
    expect(cvss2BaseScore("AV:N/AC:L/Au:N/C:P/I:P/A:P")).toEqual({
      version: "2.0",
      baseScore: 7.5,
      severity: "HIGH",
    });
    expect(cvss2BaseScore("AV:N/AC:L/Au:N/C:N/I:P/A:P")?.baseScore).toBe(6.4);
    expect(cvss2BaseScore("AV:N/AC:M/Au:N/C:N/I:P/A:N")?.baseScore).toBe(4.3);
    expect(cvss2BaseScore("(AV:N/AC:L/Au:N/C:C/I:C/A:C)")?.baseScore).toBe(10);
    expect(cvss2BaseScore("AV:L/AC:L/Au:N/C:N/I:N/A:N")?.baseScore).toBe(0);
    expect(cvss2BaseScore("AV:N/AC:L/C:P/I:P/A:P")).toBeNull();
  });
});

describe("helpers", () => {
  it("names vector versions and ratings", () => {
    expect(cvssVectorVersion("CVSS:4.0/AV:N")).toBe("4.0");
    expect(cvssVectorVersion("CVSS:3.0/AV:N")).toBe("3.0");
    expect(cvssVectorVersion("AV:N/AC:L/Au:N/C:P/I:P/A:P")).toBe("2.0");
    expect(cvssVectorVersion("medium")).toBeNull();
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityV3)).toEqual([
      "NONE",
      "LOW",
      "LOW",
      "MEDIUM",
      "MEDIUM",
      "HIGH",
      "HIGH",
      "CRITICAL",
      "CRITICAL",
    ]);
    expect([3.9, 4, 7].map(severityV2)).toEqual(["LOW", "MEDIUM", "HIGH"]);
  });
});
