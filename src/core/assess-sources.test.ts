/**
 * Inventory software matched against the ranges of OSV and NVD records (parsed from the real corpus
 * files), so an advisory reaches the right assets without a scan.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseNvd } from "../ingest/nvd.js";
import { parseOsv } from "../ingest/osv.js";
import type { ParsedBatch } from "../ingest/types.js";
import { assess } from "./assess.js";
import { mergeAdvisories } from "./merge.js";
import type { Advisory, Asset, InstalledSoftware } from "./types.js";

const input = (p: string) => ({ path: path.resolve("../shared/corpus", p), displayName: `corpus/${p}` });

function advisories(batch: ParsedBatch): Advisory[] {
  if (batch.kind !== "advisories") throw new Error("expected advisories");
  return [...mergeAdvisories(batch.records, []).values()];
}

function asset(id: string, software: InstalledSoftware): Asset {
  return {
    id,
    name: id,
    assetGroup: "g",
    environment: "production",
    exposure: "internal",
    roles: [],
    criticality: "medium",
    systemOwner: "team",
    hostnames: [],
    ips: [],
    software: [software],
  };
}

describe("inventory matched against OSV and NVD ranges", () => {
  it("places Go module versions against an OSV SEMVER range", async () => {
    const list = advisories(await parseOsv(input("osv/GO-2020-0001.json")));
    const found = assess(list, [
      asset("api-old", { purl: "pkg:golang/github.com/gin-gonic/gin@v1.5.0" }),
      asset("api-new", { purl: "pkg:golang/github.com/gin-gonic/gin@v1.6.0" }),
    ]);
    expect(found.map((f) => [f.advisoryId, f.assetId, f.status])).toEqual([
      ["CVE-2020-36567", "api-old", "affected"],
      ["CVE-2020-36567", "api-new", "fixed"],
    ]);
    expect(found[0]?.fixedVersion).toBe("1.6.0");
  });

  it("places a CPE-identified product against an NVD configuration's version bound", async () => {
    const list = advisories(await parseNvd(input("nvd/CVE-2023-4863.json")));
    const found = assess(list, [
      asset("kiosk-old", { cpe: "cpe:2.3:a:google:chrome:116.0.5845.140:*:*:*:*:*:*:*" }),
      asset("kiosk-new", { cpe: "cpe:2.3:a:google:chrome:116.0.5845.187:*:*:*:*:*:*:*" }),
    ]);
    const chrome = found.filter((f) => f.assetId.startsWith("kiosk"));
    expect(chrome.map((f) => [f.assetId, f.status])).toEqual([
      ["kiosk-old", "affected"],
      ["kiosk-new", "fixed"],
    ]);
    expect(chrome[0]?.reason).toMatch(/^affected: /);
  });
});
