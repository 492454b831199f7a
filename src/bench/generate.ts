import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Full-size synthetic inputs in the real formats: a KEV catalog, a daily EPSS file, CVE 5 records
 * with version ranges, and an estate. Deterministic (seeded), so runs compare.
 */

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchSizes {
  kev: number;
  epss: number;
  assets: number;
  products: number;
}

export interface BenchFiles {
  dir: string;
  kev: string;
  epss: string;
  cve5: string[];
  inventory: string;
  owners: string;
}

const ZONES = [
  "America/New_York",
  "Europe/Amsterdam",
  "Asia/Kolkata",
  "Australia/Sydney",
  "America/Los_Angeles",
];

function productName(i: number): { vendor: string; product: string } {
  return { vendor: `vendor${i % 97}`, product: `product-${i}` };
}

function cveId(i: number): string {
  return `CVE-${2015 + (i % 11)}-${String(10000 + i).padStart(5, "0")}`;
}

export async function generate(dir: string, sizes: BenchSizes, seed = 42): Promise<BenchFiles> {
  const rand = rng(seed);
  await mkdir(join(dir, "cve5"), { recursive: true });

  // KEV catalog: one entry per advisory, spread over the product list.
  const kevEntries = [];
  for (let i = 0; i < sizes.kev; i++) {
    const { vendor, product } = productName(i % sizes.products);
    const added = new Date(Date.UTC(2022, 0, 1) + i * 86_400_000 * 0.9).toISOString().slice(0, 10);
    const due = new Date(Date.parse(added) + 21 * 86_400_000).toISOString().slice(0, 10);
    kevEntries.push({
      cveID: cveId(i),
      vendorProject: vendor,
      product,
      vulnerabilityName: `${vendor} ${product} remote code execution`,
      dateAdded: added,
      shortDescription: `Synthetic entry ${i}.`,
      requiredAction: "Apply mitigations per vendor instructions or discontinue use of the product.",
      dueDate: due,
      knownRansomwareCampaignUse: i % 7 === 0 ? "Known" : "Unknown",
      notes: "",
      cwes: ["CWE-78"],
    });
  }
  const kev = join(dir, "kev.json");
  await writeFile(
    kev,
    JSON.stringify({
      title: "CISA Catalog of Known Exploited Vulnerabilities",
      catalogVersion: "2026.11.01",
      dateReleased: "2026-11-01T12:00:00.000Z",
      count: kevEntries.length,
      vulnerabilities: kevEntries,
    }),
  );

  // CVE 5 records with version ranges for every KEV entry.
  const cve5: string[] = [];
  for (let i = 0; i < sizes.kev; i++) {
    const { vendor, product } = productName(i % sizes.products);
    const major = 1 + (i % 5);
    const record = {
      dataType: "CVE_RECORD",
      dataVersion: "5.1",
      cveMetadata: { cveId: cveId(i), state: "PUBLISHED", datePublished: "2024-01-01T00:00:00.000Z" },
      containers: {
        cna: {
          providerMetadata: { orgId: "00000000-0000-0000-0000-000000000000", shortName: "bench" },
          descriptions: [{ lang: "en", value: `Synthetic vulnerability ${i}.` }],
          affected: [
            {
              vendor,
              product,
              defaultStatus: "unaffected",
              versions: [
                {
                  version: `${major}.0.0`,
                  lessThan: `${major}.4.2`,
                  status: "affected",
                  versionType: "semver",
                },
              ],
            },
          ],
          metrics: [
            {
              cvssV3_1: {
                version: "3.1",
                baseScore: 9.8,
                baseSeverity: "CRITICAL",
                vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
              },
            },
          ],
          references: [
            { url: `https://example.org/advisories/${cveId(i)}`, tags: ["vendor-advisory", "patch"] },
          ],
        },
      },
    };
    const file = join(dir, "cve5", `${cveId(i)}.json`);
    await writeFile(file, JSON.stringify(record));
    cve5.push(file);
  }

  // EPSS daily file.
  const epss = join(dir, "epss.csv");
  const out = createWriteStream(epss);
  out.write("#model_version:v2026.06.15,score_date:2026-11-01T12:00:00Z\ncve,epss,percentile\n");
  let buffer = "";
  for (let i = 0; i < sizes.epss; i++) {
    const id = i < sizes.kev ? cveId(i) : `CVE-${1999 + (i % 27)}-${String(100000 + i)}`;
    buffer += `${id},${rand().toFixed(5)},${rand().toFixed(5)}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");

  // Owners and estate.
  const owners = join(dir, "owners.csv");
  const ownerRows = ["owner_id,name,kind,roles,time_zone,contact,escalates_to"];
  ownerRows.push("sec,Security Operations,team,security,UTC,secops@example.com,");
  ownerRows.push("risk,Risk Office,team,governance,UTC,risk@example.com,");
  for (let o = 0; o < 50; o++) {
    ownerRows.push(
      `team${o},Platform Team ${o},team,system-owner;service-owner,${ZONES[o % ZONES.length]},team${o}@example.com,sec`,
    );
  }
  await writeFile(owners, `${ownerRows.join("\n")}\n`);

  const inventory = join(dir, "inventory.csv");
  const rows = [
    "asset_id,name,asset_group,environment,exposure,roles,business_service,criticality,system_owner,service_owner,time_zone,identifiers,software,testing,rollback",
  ];
  const exposures = ["internet", "partner", "internal", "internal", "isolated"];
  const crit = ["critical", "high", "medium", "medium", "low"];
  for (let a = 0; a < sizes.assets; a++) {
    const group = `group-${a % 400}`;
    const owner = `team${a % 50}`;
    const software: string[] = [];
    for (let s = 0; s < 5; s++) {
      const p = productName(Math.floor(rand() * sizes.products));
      software.push(
        `${p.vendor}/${p.product}@${1 + Math.floor(rand() * 5)}.${Math.floor(rand() * 6)}.${Math.floor(rand() * 4)}`,
      );
    }
    rows.push(
      [
        `asset-${a}`,
        `host-${a}.example.com`,
        group,
        a % 3 === 0 ? "production" : "staging",
        exposures[a % exposures.length],
        a % 50 === 0 ? "identity" : a % 41 === 0 ? "edge" : "",
        `service-${a % 120}`,
        crit[a % crit.length],
        owner,
        owner,
        ZONES[a % ZONES.length],
        `registry.example/app-${a}`,
        software.join(";"),
        a % 4 === 0 ? "" : "Smoke tests in staging first",
        a % 4 === 0 ? "" : "Re-deploy the previous image",
      ].join(","),
    );
  }
  await writeFile(inventory, `${rows.join("\n")}\n`);
  return { dir, kev, epss, cve5, inventory, owners };
}
