import { describe, expect, it } from "vitest";
import { evaluateProduct } from "../core/assess.js";
import type { AffectedProduct } from "../core/types.js";
import { inRange } from "../core/version/index.js";
import { configurationProducts, cpeVersion, matchVersions, parseCpe23 } from "./cpe-config.js";
import { JsonFields } from "./read.js";
import { caught } from "./scan/testing/fixtures.js";

const f = new JsonFields("test.json");

function products(configurations: unknown[]): { products: AffectedProduct[]; notes: string[] } {
  return configurationProducts(f, { configurations }, "/vulnerabilities/0/cve");
}

describe("parseCpe23", () => {
  it("splits on unescaped colons and unescapes attribute values", () => {
    const cpe = parseCpe23("cpe:2.3:o:cisco:ios:12.2\\(33\\)sxi:*:*:*:*:*:*:*");
    expect(cpe).toMatchObject({
      part: "o",
      vendor: "cisco",
      product: "ios",
      version: "12.2(33)sxi",
      update: "*",
    });
    expect(parseCpe23("cpe:2.3:a:vendor:name\\:with\\:colons:1.0:*:*:*:*:*:*:*")?.product).toBe(
      "name:with:colons",
    );
    expect(parseCpe23("cpe:2.3:a:myback.link:whitepage:*:*:*:*:*:wordpress:*:*")?.targetSw).toBe("wordpress");
  });

  it("refuses text that is not a CPE 2.3 formatted string", () => {
    expect(parseCpe23("cpe:/o:redhat:enterprise_linux:9")).toBeNull();
    expect(parseCpe23("cpe:2.3:a:vendor:product")).toBeNull();
    expect(parseCpe23("not a cpe")).toBeNull();
  });

  it("appends the update to a concrete version", () => {
    const version = (text: string): string | undefined => {
      const cpe = parseCpe23(text);
      return cpe ? cpeVersion(cpe) : "not a cpe";
    };
    expect(version("cpe:2.3:a:netapp:clustered_data_ontap:9.8:p7:*:*:*:*:*:*")).toBe("9.8p7");
    expect(version("cpe:2.3:a:netapp:clustered_data_ontap:9.8:-:*:*:*:*:*:*")).toBe("9.8");
    expect(version("cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*")).toBeUndefined();
    expect(version("cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*")).toBeUndefined();
  });
});

describe("matchVersions", () => {
  const any = parseCpe23("cpe:2.3:a:v:p:*:*:*:*:*:*:*:*");
  if (!any) throw new Error("bad test cpe");

  it("turns bounds into CVE 5 ranges", () => {
    expect(matchVersions(any, { endExcluding: "2.0" })).toEqual([
      { version: "0", lessThan: "2.0", versionType: "generic", status: "affected" },
    ]);
    expect(matchVersions(any, { startIncluding: "8.0", endIncluding: "8.0.34" })).toEqual([
      { version: "8.0", lessThanOrEqual: "8.0.34", versionType: "generic", status: "affected" },
    ]);
    expect(matchVersions(any, { startIncluding: "3.0" })).toEqual([
      { version: "3.0", lessThanOrEqual: "*", versionType: "generic", status: "affected" },
    ]);
    expect(matchVersions(any, {})).toEqual([{ version: "*", versionType: "generic", status: "affected" }]);
  });

  it("represents versionStartExcluding as the range minus its start version", () => {
    const entries = matchVersions(any, { startExcluding: "1.4", endExcluding: "1.9" });
    expect(entries).toEqual([
      { version: "1.4", versionType: "generic", status: "unaffected" },
      { version: "1.4", lessThan: "1.9", versionType: "generic", status: "affected" },
    ]);
    const product: AffectedProduct = {
      vendor: "v",
      product: "p",
      cpes: [],
      versions: entries,
      defaultStatus: "unaffected",
      fixedVersions: ["1.9"],
    };
    const status = (version: string): string => evaluateProduct(product, version, { kevOnly: false }).status;
    expect(status("1.4")).toBe("not_affected");
    expect(status("1.4.1")).toBe("affected");
    expect(status("1.8.9")).toBe("affected");
    expect(status("1.9")).toBe("fixed");
    expect(status("1.3")).toBe("not_affected");
    expect(inRange("generic", "1.4", entries[1] as (typeof entries)[number])).toBe(true);
  });
});

describe("configurationProducts", () => {
  it("groups matches by product, keeps AND platforms, and notes negated nodes", () => {
    const { products: list, notes } = products([
      {
        operator: "AND",
        nodes: [
          {
            operator: "OR",
            negate: false,
            cpeMatch: [
              {
                vulnerable: true,
                criteria: "cpe:2.3:a:ibm:app:*:*:*:*:*:*:*:*",
                versionEndExcluding: "11.5",
              },
              { vulnerable: true, criteria: "cpe:2.3:a:ibm:app:12.0:*:*:*:*:*:*:*" },
            ],
          },
          {
            operator: "OR",
            negate: false,
            cpeMatch: [{ vulnerable: false, criteria: "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*" }],
          },
        ],
      },
      {
        nodes: [
          {
            operator: "OR",
            negate: false,
            cpeMatch: [
              {
                vulnerable: true,
                criteria: "cpe:2.3:a:ibm:app:*:*:*:*:*:*:*:*",
                versionEndExcluding: "11.5",
              },
              // A non-vulnerable match in an OR configuration says nothing.
              { vulnerable: false, criteria: "cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*" },
            ],
          },
          {
            operator: "OR",
            negate: true,
            cpeMatch: [{ vulnerable: true, criteria: "cpe:2.3:a:ibm:app:11.0:*:*:*:*:*:*:*" }],
          },
        ],
      },
    ]);
    expect(list).toEqual([
      {
        vendor: "ibm",
        product: "app",
        cpes: ["cpe:2.3:a:ibm:app:*:*:*:*:*:*:*:*", "cpe:2.3:a:ibm:app:12.0:*:*:*:*:*:*:*"],
        versions: [
          { version: "0", lessThan: "11.5", versionType: "generic", status: "affected" },
          { version: "12.0", versionType: "generic", status: "affected" },
        ],
        defaultStatus: "unaffected",
        fixedVersions: ["11.5"],
        platforms: ["cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"],
      },
      {
        vendor: "ibm",
        product: "app",
        cpes: ["cpe:2.3:a:ibm:app:*:*:*:*:*:*:*:*"],
        versions: [{ version: "0", lessThan: "11.5", versionType: "generic", status: "affected" }],
        defaultStatus: "unaffected",
        fixedVersions: ["11.5"],
      },
    ]);
    expect(notes).toEqual([
      "NVD configuration 2 excludes cpe:2.3:a:ibm:app:11.0:*:*:*:*:*:*:* (negated); the exclusion is not applied.",
    ]);
  });

  it("fails on a match without a CPE 2.3 criteria or a vulnerable flag, naming the pointer", () => {
    const fail = (configurations: unknown[]) => caught(() => products(configurations));
    const badCpe = fail([
      { nodes: [{ operator: "OR", cpeMatch: [{ vulnerable: true, criteria: "cpe:/a:x:y" }] }] },
    ]);
    expect(badCpe.code).toBe("VALIDATION_ERROR");
    expect(badCpe.oneLine()).toBe(
      "test.json at /vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0/criteria: 'cpe:/a:x:y' is not a CPE 2.3 name",
    );
    const noFlag = fail([{ nodes: [{ cpeMatch: [{ criteria: "cpe:2.3:a:v:p:*:*:*:*:*:*:*:*" }] }] }]);
    expect(noFlag.place.path).toBe("/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0/vulnerable");
  });
});
