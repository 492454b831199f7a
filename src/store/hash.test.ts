import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson, contentHash } from "./hash.js";
import { lastPerKey, naturalLess } from "./rows.js";

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
    expect(canonicalJson([undefined, Number.NaN, 1e21, -0.5])).toBe("[null,null,1e+21,-0.5]");
    expect(canonicalJson({ "10": 1, "9": 2, b: 3 })).toBe('{"10":1,"9":2,"b":3}');
  });

  it("reads back to the same value as plain JSON for a real KEV catalog", () => {
    const text = fs.readFileSync(
      path.resolve("../shared/corpus/kev/known_exploited_vulnerabilities.json"),
      "utf8",
    );
    const catalog = JSON.parse(text) as { vulnerabilities: Record<string, unknown>[] };
    const canonical = canonicalJson(catalog);
    expect(JSON.parse(canonical)).toEqual(catalog);
    expect(canonical.startsWith('{"catalogVersion":"2025.08.25","count":1404,"dateReleased":')).toBe(true);
  });

  it("hashes content, not key order", () => {
    const a = { cveID: "CVE-2025-48384", vendorProject: "Git", cwes: ["CWE-59", "CWE-436"] };
    const b = { cwes: ["CWE-59", "CWE-436"], vendorProject: "Git", cveID: "CVE-2025-48384" };
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).toBe(createHash("sha256").update(canonicalJson(b)).digest("hex"));
    expect(contentHash({ ...a, cwes: ["CWE-436", "CWE-59"] })).not.toBe(contentHash(a));
  });
});

describe("lastPerKey", () => {
  it("returns sorted unique input as is and keeps the last of duplicates", () => {
    const sorted = [{ k: "a" }, { k: "b" }];
    expect(lastPerKey(sorted, (x) => x.k)).toBe(sorted);
    const unsorted = [{ k: "b" }, { k: "a" }];
    expect(lastPerKey(unsorted, (x) => x.k)).toBe(unsorted);
    expect(
      lastPerKey(
        [
          { k: "b", v: 1 },
          { k: "a", v: 2 },
          { k: "b", v: 3 },
        ],
        (x) => x.k,
      ),
    ).toEqual([
      { k: "b", v: 3 },
      { k: "a", v: 2 },
    ]);
  });
});

describe("naturalLess", () => {
  it("orders CVE ids by year and number", () => {
    expect(naturalLess("CVE-2021-9999", "CVE-2021-10000")).toBe(true);
    expect(naturalLess("CVE-2021-10000", "CVE-2022-0001")).toBe(true);
    expect(naturalLess("CVE-2022-0001", "CVE-2021-10000")).toBe(false);
    expect(naturalLess("CVE-1999-0001", "CVE-1999-0001")).toBe(false);
    expect(naturalLess("CVE-1999-1", "CVE-1999-01")).toBe(true);
    expect(naturalLess("CVE-1999-01", "CVE-1999-1")).toBe(false);
    expect(naturalLess("CVE-2021-999a", "CVE-2021-9999")).toBe(true);
    expect(naturalLess("CVE-2021-9999", "CVE-2021-999a")).toBe(false);
    expect(naturalLess("abc", "abcd")).toBe(true);
    expect(naturalLess("a2", "a10b")).toBe(true);
    expect(naturalLess("a-1", "a1")).toBe(true);
  });

  it("lets a naturally sorted feed skip de-duplication, and still catches duplicates", () => {
    const ids = ["CVE-2021-9999", "CVE-2021-10000", "CVE-2022-1"].map((cve) => ({ cve }));
    expect(lastPerKey(ids, (x) => x.cve)).toBe(ids);
    const dup = [{ cve: "CVE-2021-9999" }, { cve: "CVE-2021-10000" }, { cve: "CVE-2021-9999" }];
    expect(lastPerKey(dup, (x) => x.cve)).toHaveLength(2);
  });
});
