import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCve5 } from "../ingest/cve5.js";
import { assess, matchInfo, parseCpe } from "./assess.js";
import { advisoryFromKev, mergeAdvisories } from "./merge.js";
import { parsePurl } from "./purl.js";
import type {
  Advisory,
  AdvisoryRecord,
  AffectedProduct,
  Asset,
  InstalledSoftware,
  KevEntry,
  VersionRange,
} from "./types.js";

const corpus = (p: string) => path.resolve("../shared/corpus", p);

/** A minimal reading of a CVE 5 record's CNA "affected" block, independent of the ingest parser. */
function recordFromCve5Json(file: string): AdvisoryRecord {
  // biome-ignore lint/suspicious/noExplicitAny: test reads raw JSON
  const json: any = JSON.parse(readFileSync(corpus(file), "utf8"));
  const cna = json.containers.cna;
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON
  const affected: AffectedProduct[] = cna.affected.map((a: any) => {
    const fixed: string[] = [];
    // biome-ignore lint/suspicious/noExplicitAny: raw JSON
    const versions: VersionRange[] = (a.versions ?? []).map((v: any) => {
      for (const c of v.changes ?? []) if (c.status === "unaffected") fixed.push(c.at);
      const r: VersionRange = { version: v.version, status: v.status };
      if (v.lessThan) r.lessThan = v.lessThan;
      if (v.lessThanOrEqual) r.lessThanOrEqual = v.lessThanOrEqual;
      if (v.versionType) r.versionType = v.versionType;
      return r;
    });
    return {
      vendor: a.vendor,
      product: a.product,
      cpes: [],
      versions,
      defaultStatus: a.defaultStatus ?? "unknown",
      fixedVersions: fixed,
    };
  });
  return {
    id: json.cveMetadata.cveId,
    source: "cve5",
    sourceId: json.cveMetadata.cveId,
    aliases: [],
    state: "published",
    title: cna.title,
    cvss: [],
    cwes: [],
    affected,
    remediations: [],
    references: [],
    notes: [],
  };
}

async function viaParser(file: string): Promise<Advisory> {
  const batch = await parseCve5({ path: corpus(file), displayName: file });
  if (batch.kind !== "advisories") throw new Error("expected advisories");
  const merged = mergeAdvisories(batch.records, []);
  return [...merged.values()][0] as Advisory;
}

let n = 0;
function asset(software: InstalledSoftware[], extra: Partial<Asset> = {}): Asset {
  n += 1;
  return {
    id: `a-${n}`,
    name: `host-${n}`,
    assetGroup: "g",
    environment: "production",
    exposure: "internal",
    roles: [],
    criticality: "medium",
    systemOwner: "o",
    hostnames: [],
    ips: [],
    software,
    ...extra,
  };
}

const panos = (version?: string): InstalledSoftware =>
  version
    ? { vendor: "Palo Alto Networks", product: "PAN-OS", version }
    : { vendor: "Palo Alto Networks", product: "PAN-OS" };

function one(advisory: Advisory, software: InstalledSoftware, more: InstalledSoftware[] = []) {
  const a = asset([software, ...more]);
  const found = assess([advisory], [a]).filter((f) => f.software === software);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("assess: CVE-2024-3400 (PAN-OS) from the real record", () => {
  const advisory = [...mergeAdvisories([recordFromCve5Json("cve5/CVE-2024-3400.json")], []).values()][0]!;

  it("finds 10.2.7 affected with the fixed version on its own branch", () => {
    const f = one(advisory, panos("10.2.7"));
    expect(f.status).toBe("affected");
    expect(f.reason).toBe("affected: 10.2.7 is in [10.2.0, 10.2.9-h1)");
    expect(f.fixedVersion).toBe("10.2.9-h1");
    expect(f.source).toBe("inventory");
  });
  it("picks the fixed version per release line", () => {
    expect(one(advisory, panos("11.0.2")).fixedVersion).toBe("11.0.4-h1");
    expect(one(advisory, panos("11.1.1")).fixedVersion).toBe("11.1.2-h3");
    expect(one(advisory, panos("10.2.9")).fixedVersion).toBe("10.2.9-h1");
  });
  it("treats the hotfix release and later as fixed", () => {
    const f = one(advisory, panos("10.2.9-h1"));
    expect(f.status).toBe("fixed");
    expect(f.reason).toBe("fixed: 10.2.9-h1 is at or above the fixed version 10.2.9-h1");
    expect(one(advisory, panos("10.2.10")).status).toBe("fixed");
  });
  it("rules out unaffected branches", () => {
    const f = one(advisory, panos("9.1.0"));
    expect(f.status).toBe("not_affected");
    expect(f.reason).toBe("not_affected: 9.1.0 is listed as not affected");
    expect(one(advisory, panos("10.1.11")).reason).toBe(
      "not_affected: 10.1.11 is outside every affected range",
    );
  });
  it("says when the installed version is not recorded", () => {
    const f = one(advisory, panos());
    expect(f.status).toBe("unknown");
    expect(f.reason).toBe("unknown: installed version not recorded");
  });
  it("matches CPE-style names and takes the version from the CPE", () => {
    const f = one(advisory, { cpe: "cpe:2.3:o:paloaltonetworks:pan-os:10.2.8:*:*:*:*:*:*:*" });
    expect(f.status).toBe("affected");
    expect(f.fixedVersion).toBe("10.2.9-h1");
    const g = one(advisory, { vendor: "paloaltonetworks", product: "pan-os", version: "11.1.0" });
    expect(g.status).toBe("affected");
  });
  it("reads Cloud NGFW's 'All' as every version not affected", () => {
    const f = one(advisory, { vendor: "Palo Alto Networks", product: "Cloud NGFW", version: "1.0" });
    expect(f.status).toBe("not_affected");
    expect(f.reason).toBe("not_affected: every version is listed as not affected");
  });
  it("does not match other vendors' products or unrelated software", () => {
    const a = asset([
      { vendor: "Fortinet", product: "FortiOS", version: "7.0.0" },
      { product: "nginx", version: "1.25.0" },
    ]);
    expect(assess([advisory], [a])).toEqual([]);
  });
});

describe("assess through the CVE 5 parser", () => {
  it("gives the same answer for PAN-OS 10.2.7", async () => {
    const advisory = await viaParser("cve5/CVE-2024-3400.json");
    const f = one(advisory, panos("10.2.7"));
    expect(f.status).toBe("affected");
    expect(f.fixedVersion).toBe("10.2.9-h1");
  });

  it("reads Log4Shell's changes[] (folded into fixed versions) per release line", async () => {
    const advisory = await viaParser("cve5/CVE-2021-44228.json");
    const log4j = (version: string): InstalledSoftware => ({
      vendor: "Apache Software Foundation",
      product: "Apache Log4j2",
      version,
    });
    const f = one(advisory, log4j("2.14.1"));
    expect(f.status).toBe("affected");
    expect(f.reason).toBe("affected: 2.14.1 is in [2.0-beta9, …)");
    expect(f.fixedVersion).toBe("2.15.0");
    expect(one(advisory, log4j("2.12.1")).fixedVersion).toBe("2.12.2");
    expect(one(advisory, log4j("2.12.2")).status).toBe("fixed");
    expect(one(advisory, log4j("2.3.1")).status).toBe("fixed");
    expect(one(advisory, log4j("2.4.1")).status).toBe("affected");
    expect(one(advisory, log4j("2.17.1")).reason).toBe(
      "fixed: 2.17.1 is at or above the fixed version 2.15.0",
    );
    // Named without the vendor prefix.
    expect(one(advisory, { product: "Log4j2", version: "2.14.0" }).status).toBe("affected");
  });

  it("uses the Linux CNA's semver statements and ignores what git cannot order", async () => {
    const advisory = await viaParser("cve5/CVE-2025-21631.json");
    const linux = (version: string): InstalledSoftware => ({ vendor: "Linux", product: "Linux", version });
    const f = one(advisory, linux("6.12.5"));
    expect(f.status).toBe("affected");
    expect(f.fixedVersion).toBe("6.12.10");
    expect(one(advisory, linux("6.6.72")).status).toBe("fixed");
    expect(one(advisory, linux("6.1.130")).status).toBe("fixed");
  });

  it("prefers the upstream OpenSSH statement for software without a vendor, flagged as a name match", async () => {
    const advisory = await viaParser("cve5/CVE-2024-6387.json");
    const f = one(advisory, { product: "OpenSSH", version: "9.6p1" });
    expect(f.status).toBe("affected");
    expect(f.reason).toBe("affected: 9.6p1 is in [8.5p1, 9.7p1]");
    expect(matchInfo(f)?.byNameOnly).toBe(true);
    expect(one(advisory, { product: "openssh", version: "9.8p1" }).status).toBe("not_affected");
  });

  it("uses the platform CPE to pick the Red Hat statement for a RHEL package", async () => {
    const advisory = await viaParser("cve5/CVE-2024-6387.json");
    const pkg: InstalledSoftware = { purl: "pkg:rpm/redhat/openssh@8.7p1-38.el9_4.1" };
    const os: InstalledSoftware = { cpe: "cpe:/o:redhat:enterprise_linux:9::baseos" };
    const f = one(advisory, pkg, [os]);
    expect(f.status).toBe("fixed");
    expect(matchInfo(f)?.product.product).toBe("Red Hat Enterprise Linux 9");
    expect(matchInfo(f)?.byNameOnly).toBe(false);
    const old = one(advisory, { purl: "pkg:rpm/redhat/openssh@8.7p1-10.el9" }, [os]);
    expect(old.status).toBe("affected");
    expect(old.fixedVersion).toBe("0:8.7p1-38.el9_4.1");
  });

  it("reads the platform from the purl's distro qualifier or the RPM release tag", async () => {
    const advisory = await viaParser("cve5/CVE-2024-6387.json");
    const q = one(advisory, { purl: "pkg:rpm/redhat/openssh@8.7p1-34.el9?arch=x86_64&distro=rhel-9.3" });
    expect(q.status).toBe("affected");
    expect(matchInfo(q)?.product.product).toBe("Red Hat Enterprise Linux 9");
    expect(q.fixedVersion).toBe("0:8.7p1-38.el9_4.1");
    expect(one(advisory, { purl: "pkg:rpm/redhat/openssh@8.7p1-38.el9_4.1" }).status).toBe("fixed");
  });

  it("treats a distribution build of an affected upstream release as unknown (backports)", async () => {
    const advisory = await viaParser("cve5/CVE-2024-7264.json");
    const f = one(advisory, { purl: "pkg:rpm/redhat/curl@7.76.1-26.el9_3.2?distro=rhel-9.3" });
    expect(f.status).toBe("unknown");
    expect(f.reason).toBe(
      "unknown: 7.76.1-26.el9_3.2 is a distribution build of 7.76.1, which the upstream advisory lists as affected (7.76.1 is in [7.76.1, 7.76.1]); the distribution may have backported the fix",
    );
    expect(one(advisory, { purl: "pkg:deb/debian/curl@8.10.1-1" }).status).toBe("not_affected");
    expect(one(advisory, { vendor: "curl", product: "curl", version: "8.9.0" }).status).toBe("affected");
  });

  it("says when sources disagree instead of guessing", async () => {
    const advisory = await viaParser("cve5/CVE-2024-6387.json");
    // A Red Hat package with no platform recorded: RHEL 6 says not affected, RHEL 9 says affected.
    const f = one(advisory, { purl: "pkg:rpm/redhat/openssh@8.7p1-10" });
    expect(f.status).toBe("unknown");
    expect(f.reason).toMatch(/^unknown: sources disagree: /);
  });

  it("refuses a version statement that is prose", async () => {
    const advisory = await viaParser("cve5/CVE-2024-35214.json");
    const f = one(advisory, { vendor: "BlackBerry", product: "CylanceOPTICS for Windows", version: "3.2" });
    expect(f.status).toBe("unknown");
    expect(f.reason).toBe("unknown: the advisory gives no usable version ('3.2 and 3.3')");
  });

  it("skips rejected records", async () => {
    const advisory = await viaParser("cve5/CVE-2024-26613.json");
    expect(advisory.state).toBe("rejected");
    expect(assess([advisory], [asset([{ product: "Linux", version: "6.1" }])])).toEqual([]);
  });
});

describe("assess: KEV-only advisories and package URLs", () => {
  const kev: KevEntry = {
    cveId: "CVE-2024-3400",
    vendorProject: "Palo Alto Networks",
    product: "PAN-OS",
    vulnerabilityName: "Palo Alto Networks PAN-OS Command Injection Vulnerability",
    dateAdded: "2024-04-12",
    shortDescription: "…",
    requiredAction: "Apply mitigations per vendor instructions.",
    dueDate: "2024-04-19",
    knownRansomwareCampaignUse: "Known",
    notes:
      "https://security.paloaltonetworks.com/CVE-2024-3400 ;   https://nvd.nist.gov/vuln/detail/CVE-2024-3400",
    cwes: ["CWE-77"],
  };
  it("matches the catalog's product with unknown status", () => {
    const f = one(advisoryFromKev(kev), panos("10.2.7"));
    expect(f.status).toBe("unknown");
    expect(f.reason).toBe("unknown: the advisory gives no version ranges (KEV product match only)");
    expect(f.source).toBe("kev-product");
  });
  it("matches npm packages by purl with semver ordering", () => {
    const advisory: Advisory = {
      id: "GHSA-test",
      sources: [{ source: "osv", sourceId: "GHSA-test" }],
      aliases: [],
      state: "published",
      cvss: [],
      cwes: [],
      affected: [
        {
          vendor: "n/a",
          product: "lodash",
          purl: "pkg:npm/lodash",
          cpes: [],
          versions: [{ version: "0", lessThan: "4.17.21", status: "affected" }],
          defaultStatus: "unaffected",
          fixedVersions: ["4.17.21"],
        },
      ],
      remediations: [],
      references: [],
      notes: [],
    };
    const f = one(advisory, { purl: "pkg:npm/lodash@4.17.20" });
    expect(f.status).toBe("affected");
    expect(f.fixedVersion).toBe("4.17.21");
    expect(matchInfo(f)?.byNameOnly).toBe(false);
    expect(one(advisory, { purl: "pkg:npm/lodash@4.17.21" }).status).toBe("fixed");
  });
});

describe("identifier parsing", () => {
  it("parses purls, including encoded scopes", () => {
    expect(parsePurl("pkg:npm/%40angular/core@16.0.0?x=1")).toEqual({
      type: "npm",
      namespace: "@angular",
      name: "core",
      version: "16.0.0",
      qualifiers: { x: "1" },
    });
    expect(parsePurl("not a purl")).toBeUndefined();
  });
  it("parses CPE 2.3 and 2.2", () => {
    expect(parseCpe("cpe:2.3:a:openbsd:openssh:9.6:p1:*:*:*:*:*:*")).toEqual({
      part: "a",
      vendor: "openbsd",
      product: "openssh",
      version: "9.6",
    });
    expect(parseCpe("cpe:/o:redhat:enterprise_linux:9::baseos")?.version).toBe("9");
  });
});
