import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsaf } from "../ingest/csaf.js";
import { parseCve5 } from "../ingest/cve5.js";
import { parseKevJson } from "../ingest/kev.js";
import { advisoryFromKev, isKevOnly, mergeAdvisories, normName } from "./merge.js";
import type { AdvisoryRecord, KevEntry } from "./types.js";

const corpus = (p: string) => path.resolve("../shared/corpus", p);

async function cve5(file: string): Promise<AdvisoryRecord[]> {
  const batch = await parseCve5({ path: corpus(`cve5/${file}`), displayName: file });
  if (batch.kind !== "advisories") throw new Error("expected advisories");
  return batch.records;
}

async function kevCatalog(): Promise<KevEntry[]> {
  const batch = await parseKevJson({
    path: corpus("kev/known_exploited_vulnerabilities.json"),
    displayName: "known_exploited_vulnerabilities.json",
  });
  if (batch.kind !== "kev") throw new Error("expected kev");
  return batch.entries;
}

function csafView(base: AdvisoryRecord): AdvisoryRecord {
  return {
    ...base,
    source: "csaf",
    sourceId: "PAN-SA-2024-0001",
    title: "CSAF title that loses to CVE 5",
    aliases: ["PAN-SA-2024-0001"],
    cvss: [{ version: "3.1", baseScore: 10, source: "csaf:PAN-SA-2024-0001" }],
    cwes: ["CWE-77", "CWE-20"],
    affected: [
      {
        vendor: "Palo Alto Networks",
        product: "PAN-OS",
        cpes: ["cpe:2.3:o:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*"],
        versions: [{ version: "11.1.0", lessThan: "11.1.2-h3", status: "affected", versionType: "custom" }],
        defaultStatus: "unaffected",
        fixedVersions: ["11.1.2-h3"],
      },
      {
        vendor: "Palo Alto Networks",
        product: "Panorama",
        cpes: [],
        versions: [],
        defaultStatus: "unaffected",
        fixedVersions: [],
      },
    ],
    remediations: [
      { category: "vendor_fix", details: "Upgrade.", url: "https://example.test/fix", products: [] },
    ],
    references: [{ url: "https://security.paloaltonetworks.com/CVE-2024-3400", tags: ["patch"] }],
    notes: [],
  };
}

describe("mergeAdvisories", () => {
  it("merges the CVE 5 record with another source of the same id", async () => {
    const [record] = await cve5("CVE-2024-3400.json");
    const merged = mergeAdvisories([csafView(record!), record!], []);
    expect(merged.size).toBe(1);
    const a = merged.get("CVE-2024-3400")!;
    expect(a.sources).toEqual([
      { source: "cve5", sourceId: "CVE-2024-3400" },
      { source: "csaf", sourceId: "PAN-SA-2024-0001" },
    ]);
    expect(a.title).toBe(
      "PAN-OS: Arbitrary File Creation Leads to OS Command Injection Vulnerability in GlobalProtect",
    );
    expect(a.aliases).toEqual(["PAN-SA-2024-0001"]);
    // PAN-OS is one product (de-duplicated), Panorama is added.
    expect(a.affected.map((p) => p.product)).toEqual(["PAN-OS", "Cloud NGFW", "Prisma Access", "Panorama"]);
    const panos = a.affected[0]!;
    // The record's own CPEs (from the CISA ADP container) plus the one the other source adds.
    expect(panos.cpes).toHaveLength(4);
    expect(panos.cpes).toContain("cpe:2.3:o:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*");
    expect(panos.versions.filter((v) => v.status === "affected")).toHaveLength(3);
    expect(panos.fixedVersions).toEqual(["10.2.9-h1", "11.0.4-h1", "11.1.2-h3"]);
    expect(a.cvss.map((c) => c.source)).toEqual(["cna", "csaf:PAN-SA-2024-0001"]);
    expect(a.cwes).toEqual(["CWE-77", "CWE-20"]);
    expect(
      a.references.find((r) => r.url === "https://security.paloaltonetworks.com/CVE-2024-3400")?.tags,
    ).toEqual(["vendor-advisory", "patch"]);
    expect(
      a.remediations.some((r) => r.category === "vendor_fix" && r.url === "https://example.test/fix"),
    ).toBe(true);
    expect(a.ssvc).toMatchObject({ exploitation: "active", automatable: "yes", technicalImpact: "total" });
    expect(a.kev?.dateAdded).toBe("2024-04-12");
  });

  it("keeps same-named entries of one record apart (Linux git and semver statements)", async () => {
    const a = mergeAdvisories(await cve5("CVE-2025-21631.json"), []).get("CVE-2025-21631")!;
    expect(a.affected).toHaveLength(2);
    expect(a.affected.map((p) => p.defaultStatus)).toEqual(["unaffected", "affected"]);
  });

  it("is rejected only when every source rejects it", async () => {
    const [rejected] = await cve5("CVE-2024-26613.json");
    expect(mergeAdvisories([rejected!], []).get("CVE-2024-26613")?.state).toBe("rejected");
    const published: AdvisoryRecord = {
      ...rejected!,
      source: "nvd",
      sourceId: "CVE-2024-26613",
      state: "published",
    };
    const both = mergeAdvisories([rejected!, published], []).get("CVE-2024-26613")!;
    expect(both.state).toBe("published");
    expect(both.notes.some((n) => n.includes("rejected"))).toBe(true);
  });

  it("turns KEV entries without a record into minimal advisories", async () => {
    const kev = await kevCatalog();
    const records = await cve5("CVE-2024-3400.json");
    const merged = mergeAdvisories(records, kev);
    expect(merged.size).toBe(kev.length);
    const moveit = merged.get("CVE-2023-34362")!;
    expect(isKevOnly(moveit)).toBe(true);
    expect(moveit.title).toBe("Progress MOVEit Transfer SQL Injection Vulnerability");
    expect(moveit.affected).toEqual([
      {
        vendor: "Progress",
        product: "MOVEit Transfer",
        cpes: [],
        versions: [],
        defaultStatus: "unknown",
        fixedVersions: [],
      },
    ]);
    expect(moveit.remediations).toEqual([]);
    expect(moveit.notes).toEqual(["CISA KEV required action: Apply updates per vendor instructions."]);
    expect(moveit.references.map((r) => r.url)).toContain("https://nvd.nist.gov/vuln/detail/CVE-2023-34362");
    expect(isKevOnly(merged.get("CVE-2024-3400")!)).toBe(false);
  });

  it("adds the KEV product when the record names none (CNA 'n/a')", async () => {
    const kev = (await kevCatalog()).filter((e) => e.cveId === "CVE-2023-34362");
    const record = (await cve5("CVE-2023-34362.json"))[0]!;
    const noNames: AdvisoryRecord = {
      ...record,
      affected: [
        {
          vendor: "n/a",
          product: "n/a",
          cpes: [],
          versions: [],
          defaultStatus: "unknown",
          fixedVersions: [],
        },
      ],
    };
    const a = mergeAdvisories([noNames], kev).get("CVE-2023-34362")!;
    expect(a.affected.map((p) => `${p.vendor}/${p.product}`)).toEqual([
      "n/a/n/a",
      "Progress/MOVEit Transfer",
    ]);
  });

  it("reads a real CSAF advisory alongside", async () => {
    const batch = await parseCsaf({ path: corpus("csaf/cisco-sa-20180328-smi2.json"), displayName: "cisco" });
    if (batch.kind !== "advisories") throw new Error("expected advisories");
    const merged = mergeAdvisories(batch.records, []);
    expect(merged.size).toBe(batch.records.length);
    const first = [...merged.values()][0]!;
    expect(first.sources[0]?.source).toBe("csaf");
  });
});

describe("helpers", () => {
  it("normalises names", () => {
    expect(normName("Palo Alto Networks")).toBe(normName("paloaltonetworks"));
    expect(normName("PAN-OS")).toBe(normName("pan-os"));
  });
  it("builds a KEV advisory from the entry alone", () => {
    const a = advisoryFromKev({
      cveId: "cve-2099-0001",
      vendorProject: "Acme",
      product: "Widget",
      vulnerabilityName: "Acme Widget flaw",
      dateAdded: "2099-01-01",
      shortDescription: "desc",
      requiredAction: "Apply updates.",
      dueDate: "2099-01-22",
      knownRansomwareCampaignUse: "Unknown",
      notes: "",
      cwes: [],
    });
    expect(a.id).toBe("CVE-2099-0001");
    expect(a.kev).toEqual({ dateAdded: "2099-01-01" });
  });
});
