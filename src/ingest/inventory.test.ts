import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Asset } from "../core/types.js";
import { PatchlineError } from "../errors.js";
import {
  canonicalTimeZone,
  formatSoftware,
  INVENTORY_COLUMNS,
  parseInventory,
  parseSoftware,
} from "./inventory.js";
import { parseOwners } from "./owners.js";

const INVENTORY = path.resolve("examples/inventory.csv");
const OWNERS = path.resolve("examples/owners.csv");

let dir: string;
let exampleText: string;
let exampleLines: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "patchline-inventory-"));
  exampleText = await readFile(INVENTORY, "utf8");
  exampleLines = exampleText.split("\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function parseText(name: string, text: string): Promise<Asset[]> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  const batch = await parseInventory({ path: file, displayName: name });
  if (batch.kind !== "assets") throw new Error(`unexpected batch kind ${batch.kind}`);
  return batch.assets;
}

async function failure(name: string, text: string): Promise<PatchlineError> {
  try {
    await parseText(name, text);
  } catch (e) {
    if (e instanceof PatchlineError) return e;
    throw e;
  }
  throw new Error("expected the parse to fail");
}

async function exampleAssets(): Promise<Asset[]> {
  const batch = await parseInventory({ path: INVENTORY, displayName: "examples/inventory.csv" });
  if (batch.kind !== "assets") throw new Error("not assets");
  return batch.assets;
}

/** The example file with one cell of one data row replaced (row is 1-based over data rows). */
function withCell(row: number, column: string, value: string, base: string[] = exampleLines): string {
  const header = (exampleLines[0] ?? "").split(",");
  const index = header.indexOf(column);
  const lines = [...base];
  const target = lines[row] ?? "";
  // Data rows in the example only quote change-profile cells, which sit after the edited columns.
  const cells = target.split(",");
  cells[index] = value;
  lines[row] = cells.join(",");
  return lines.join("\n");
}

describe("parseInventory on examples/inventory.csv", () => {
  it("reads every asset with exact field values", async () => {
    const assets = await exampleAssets();
    expect(assets).toHaveLength(53);
    const groups = new Map<string, number>();
    for (const a of assets) groups.set(a.assetGroup, (groups.get(a.assetGroup) ?? 0) + 1);
    expect(groups.get("edge-firewalls")).toBe(5);
    expect(groups.get("java-apps")).toBe(6);
    expect(groups.get("substation-telecontrol")).toBe(2);
    expect(groups.size).toBe(16);

    expect(assets[0]).toEqual({
      id: "fw-nyc-01",
      name: "NYC perimeter firewall A",
      assetGroup: "edge-firewalls",
      environment: "production",
      exposure: "internet",
      roles: ["edge", "vpn"],
      businessService: "Perimeter network",
      criticality: "critical",
      systemOwner: "net-ops",
      serviceOwner: "svc-workforce-it",
      timeZone: "America/New_York",
      hostnames: ["fw-nyc-01.harbourline.example"],
      ips: ["203.0.113.10", "10.10.0.1"],
      software: [{ vendor: "Palo Alto Networks", product: "PAN-OS", version: "10.2.7-h3" }],
      change: {
        testing:
          "Upgrade the passive HA peer first; GlobalProtect login, VPN tunnel and policy hit-count smoke tests before failover",
        rollback:
          "Fail back to the untouched HA peer; boot the previous PAN-OS image kept on the second partition",
        maintenanceWindow: "Sunday 01:00-05:00 site time; emergency CAB may open an out-of-window slot",
        dependencies:
          "GlobalProtect users reconnect during failover; site-to-site tunnels to partners renegotiate",
        approval: "Network change board (emergency CAB for KEV-listed items)",
        communication: "Service desk and #it-status 4 hours ahead; partner NOC for tunnel flaps",
        reboot: "Yes: each peer reboots, about 15 minutes per peer",
      },
    });
  });

  it("keeps unknown versions unknown and reads purls", async () => {
    const assets = await exampleAssets();
    const build = assets.find((a) => a.id === "build-01");
    expect(build?.software).toEqual([
      { vendor: "Tukaani Project", product: "xz" },
      {
        purl: "pkg:deb/debian/git@1:2.39.5-0+deb12u1?distro=debian-12",
        product: "git",
        version: "1:2.39.5-0+deb12u1",
      },
    ]);
    expect(build?.timeZone).toBeUndefined();
    expect(build?.change).toBeUndefined();

    const app = assets.find((a) => a.id === "app-book-01");
    expect(app?.software[0]).toEqual({
      purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
      product: "log4j-core",
      version: "2.14.1",
    });
    expect(app?.change).toBeUndefined();

    const mft = assets.find((a) => a.id === "mft-prod-02");
    expect(mft?.exposure).toBe("partner");
    expect(mft?.software).toEqual([{ vendor: "Progress", product: "MOVEit Transfer", version: "2023.0.1" }]);

    const erp = assets.find((a) => a.id === "erp-db-01");
    expect(erp?.software.map((s) => s.version)).toEqual([
      "8.7p1-34.el9",
      "7.76.1-26.el9_3.2",
      "5.2.5-8.el9_0",
      "5.14.0-362.8.1.el9_3",
    ]);
    expect(erp?.change).toEqual({
      testing:
        "Patch the development and staging servers first; run the service health checks in the runbook",
      rollback: "Reinstall the previous packages with dnf history undo; boot the previous kernel from GRUB",
      maintenanceWindow: "Second Tuesday of the month, 21:00-01:00 Asia/Kolkata",
    });

    const relay = assets.find((a) => a.id === "relay-sub1-01");
    expect(relay?.exposure).toBe("isolated");
    expect(relay?.hostnames).toEqual([]);
    expect(relay?.software[0]?.product).toBe("EN100 Ethernet module IEC 61850 variant");
  });

  it("names only owners that exist in examples/owners.csv", async () => {
    const assets = await exampleAssets();
    const owners = await parseOwners({ path: OWNERS, displayName: "examples/owners.csv" });
    if (owners.kind !== "owners") throw new Error("not owners");
    const ids = new Set(owners.owners.map((o) => o.id));
    for (const a of assets) {
      expect(ids.has(a.systemOwner), a.systemOwner).toBe(true);
      if (a.serviceOwner) expect(ids.has(a.serviceOwner), a.serviceOwner).toBe(true);
    }
  });
});

describe("JSON inventories", () => {
  it("give the same assets as the CSV", async () => {
    const fromCsv = await exampleAssets();
    const pick = (id: string) => fromCsv.find((a) => a.id === id);
    const doc = {
      assets: [
        {
          id: "fw-nyc-01",
          name: "NYC perimeter firewall A",
          assetGroup: "edge-firewalls",
          environment: "Production",
          exposure: "internet",
          roles: ["edge", "vpn"],
          businessService: "Perimeter network",
          criticality: "critical",
          systemOwner: "net-ops",
          serviceOwner: "svc-workforce-it",
          timeZone: "America/New_York",
          hostnames: ["fw-nyc-01.harbourline.example"],
          ips: "203.0.113.10;10.10.0.1",
          software: [{ vendor: "Palo Alto Networks", product: "PAN-OS", version: "10.2.7-h3" }],
          change: pick("fw-nyc-01")?.change,
        },
        {
          id: "build-01",
          name: "Build agent 1",
          assetGroup: "build-agents",
          environment: "production",
          exposure: "internal",
          roles: "build",
          businessService: "Software delivery",
          criticality: "medium",
          systemOwner: "dev-tooling",
          serviceOwner: "svc-engineering",
          hostnames: ["build-01.ci.harbourline.example"],
          ips: ["10.40.1.11"],
          software: [
            "Tukaani Project/xz@",
            { purl: "pkg:deb/debian/git@1:2.39.5-0+deb12u1?distro=debian-12" },
          ],
        },
      ],
    };
    const fromJson = await parseText("inventory.json", JSON.stringify(doc, null, 2));
    expect(fromJson).toEqual([pick("fw-nyc-01"), pick("build-01")]);

    const asArray = await parseText("inventory-array.json", `  \n${JSON.stringify(doc.assets)}`);
    expect(asArray).toEqual(fromJson);
  });

  it("names the JSON path of a bad exposure", async () => {
    const assets = (await exampleAssets()).slice(0, 5).map((a) => ({ ...a }));
    (assets[3] as { exposure: string }).exposure = "moon";
    const e = await failure("bad-exposure.json", JSON.stringify({ assets }));
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place).toEqual({ file: "bad-exposure.json", path: "/assets/3/exposure" });
    expect(e.message).toBe(
      'exposure "moon" is not allowed; use one of: internet, partner, internal, isolated',
    );
  });

  it("names the JSON path of a bad zone, a missing field and a duplicate id", async () => {
    const assets = (await exampleAssets()).slice(0, 3).map((a) => ({ ...a }));
    (assets[1] as { timeZone: string }).timeZone = "Europe/Atlantis";
    let e = await failure("bad-zone.json", JSON.stringify(assets));
    expect(e.place).toEqual({ file: "bad-zone.json", path: "/1/timeZone" });
    expect(e.message).toContain('"Europe/Atlantis" is not an IANA time zone');

    const missing = (await exampleAssets()).slice(0, 3).map((a) => ({ ...a })) as Partial<Asset>[];
    delete missing[2]?.systemOwner;
    e = await failure("missing.json", JSON.stringify({ assets: missing }));
    expect(e.place.path).toBe("/assets/2/systemOwner");
    expect(e.message).toBe("systemOwner is missing or empty");

    const dup = (await exampleAssets()).slice(0, 3).map((a) => ({ ...a }));
    (dup[2] as { id: string }).id = "FW-NYC-01";
    e = await failure("dup.json", JSON.stringify({ assets: dup }));
    expect(e.place.path).toBe("/assets/2/id");
    expect(e.message).toBe('id "FW-NYC-01" is used twice: /assets/0 and /assets/2');
  });

  it("rejects broken JSON and the wrong shape with one clear error", async () => {
    let e = await failure("broken.json", '{"assets": [\n  {"id": "a",, }\n]}');
    expect(e.code).toBe("PARSE_ERROR");
    expect(e.place).toEqual({ file: "broken.json", line: 2, column: 14 });
    expect(e.message).toMatch(/^invalid JSON: /);
    e = await failure("shape.json", '{"hosts": []}');
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.message).toBe('expected an object with a "assets" array, or an array');
    e = await failure("item.json", '{"assets": [42]}');
    expect(e.place.path).toBe("/assets/0");
  });
});

describe("CSV validation errors name the line, column, value and allowed values", () => {
  it("bad exposure", async () => {
    const e = await failure("inventory.csv", withCell(4, "exposure", "dmz-ish"));
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.place).toEqual({ file: "inventory.csv", line: 5 });
    expect(e.message).toBe(
      'exposure "dmz-ish" is not allowed; use one of: internet, partner, internal, isolated',
    );
    expect(e.oneLine()).toBe(
      'inventory.csv:5: exposure "dmz-ish" is not allowed; use one of: internet, partner, internal, isolated',
    );
  });

  it("bad time zone", async () => {
    const e = await failure("inventory.csv", withCell(10, "time_zone", "America/Gotham"));
    expect(e.place).toEqual({ file: "inventory.csv", line: 11 });
    expect(e.message).toBe(
      'time_zone "America/Gotham" is not an IANA time zone (for example Europe/Amsterdam)',
    );
  });

  it("duplicate asset_id names both lines", async () => {
    const e = await failure("inventory.csv", withCell(30, "asset_id", "MFT-PROD-01"));
    expect(e.place).toEqual({ file: "inventory.csv", line: 31 });
    expect(e.message).toBe('asset_id "MFT-PROD-01" is used twice: line 9 and line 31');
  });

  it("missing required column", async () => {
    const lines = exampleLines.map((l) => l.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)[^,]*,/, "$1"));
    const e = await failure("inventory.csv", lines.join("\n"));
    expect(e.place).toEqual({ file: "inventory.csv", line: 1 });
    expect(e.message).toBe(
      "missing required column exposure; required: asset_id, name, asset_group, environment, exposure, system_owner",
    );
  });

  it("empty required cell, bad criticality, bad IP and bad software", async () => {
    let e = await failure("inventory.csv", withCell(2, "system_owner", ""));
    expect([e.place.line, e.message]).toEqual([3, "system_owner is missing or empty"]);
    e = await failure("inventory.csv", withCell(2, "criticality", "severe"));
    expect(e.message).toBe('criticality "severe" is not allowed; use one of: critical, high, medium, low');
    e = await failure("inventory.csv", withCell(2, "ips", "10.0.0.300"));
    expect(e.message).toBe('ips: "10.0.0.300" is not an IPv4 or IPv6 address');
    e = await failure("inventory.csv", withCell(2, "software", "openssh 9.2"));
    expect(e.message).toBe(
      'software: "openssh 9.2" is not a package URL (pkg:type/namespace/name@version), a CPE (cpe:2.3:…) ' +
        "or vendor/product@version",
    );
  });

  it("reports the first problem and counts the rest", async () => {
    const first = withCell(7, "exposure", "nowhere").split("\n");
    const e = await failure("inventory.csv", withCell(20, "time_zone", "Nowhere/Land", first));
    expect(e.place.line).toBe(8);
    expect(e.message).toMatch(/\(and 1 more problem\)$/);
    expect(e.details?.count).toBe(2);
  });

  it("broken CSV structure is a PARSE_ERROR with its line", async () => {
    const lines = [...exampleLines];
    lines[5] = `${lines[5]},extra`;
    let e = await failure("inventory.csv", lines.join("\n"));
    expect(e.code).toBe("PARSE_ERROR");
    expect(e.place.line).toBe(6);
    expect(e.message).toBe("the row has 23 cells but the header has 22; quote values that contain commas");

    e = await failure("inventory.csv", 'asset_id,name\n"a,b\n');
    expect(e.code).toBe("PARSE_ERROR");
    expect(e.message).toMatch(/^not valid CSV: Quote Not Closed/);

    e = await failure("empty.csv", "\n  \n");
    expect([e.code, e.message]).toEqual(["PARSE_ERROR", "the file is empty"]);
  });

  it("a gzip-compressed inventory reads the same", async () => {
    const file = path.join(dir, "inventory.csv.gz");
    await writeFile(file, gzipSync(Buffer.from(exampleText)));
    const batch = await parseInventory({ path: file, displayName: "inventory.csv.gz" });
    expect(batch.kind === "assets" ? batch.assets : []).toEqual(await exampleAssets());
  });

  it("a missing file is INPUT_NOT_FOUND", async () => {
    await expect(
      parseInventory({ path: path.join(dir, "nope.csv"), displayName: "nope.csv" }),
    ).rejects.toMatchObject({
      code: "INPUT_NOT_FOUND",
      place: { file: "nope.csv" },
    });
  });
});

describe("CSV leniency", () => {
  it("matches headers without case or separators, ignores unknown columns, accepts synonyms", async () => {
    const text =
      "\uFEFFAsset ID,Name,Asset-Group,ENVIRONMENT,Exposure,Rack,Criticality,System Owner,Timezone,IP,Software\r\n" +
      "a1,Web 1,web,Prod,Internet-Facing,R12,1,web-team,europe/amsterdam,10.0.0.1 | 2001:db8::1,curl/curl@8.8.0\r\n" +
      "\r\n" +
      ",,,,,,,,,,\r\n" +
      'a2,"Web\n2",web,Disaster Recovery,DMZ,R13,low,web-team,,,\r\n' +
      "a3,Web 3,web,qa lab,air-gapped,,,web-team,,,\r\n";
    const assets = await parseText("lenient.csv", text);
    expect(assets.map((a) => [a.id, a.environment, a.exposure, a.criticality])).toEqual([
      ["a1", "production", "internet", "critical"],
      ["a2", "dr", "internet", "low"],
      ["a3", "qa lab", "isolated", "medium"],
    ]);
    expect(assets[0]?.timeZone).toBe("Europe/Amsterdam");
    expect(assets[0]?.ips).toEqual(["10.0.0.1", "2001:db8::1"]);
    expect(assets[1]?.name).toBe("Web\n2");
  });

  it("reports the line on which a multi-line row starts", async () => {
    const text =
      'asset_id,name,asset_group,environment,exposure,system_owner\nx1,"two\nlines",g,production,bogus,o\n';
    const e = await failure("multi.csv", text);
    expect(e.place.line).toBe(2);
  });

  it("reads 10,000 rows quickly", async () => {
    const header = exampleLines[0] ?? "";
    const body = exampleLines.slice(1).filter((l) => l.trim() !== "");
    const rows: string[] = [header];
    for (let i = 0; i < 10_000; i++) {
      const source = body[i % body.length] ?? "";
      rows.push(source.replace(/^[^,]+/, `asset-${i}`));
    }
    const started = performance.now();
    const assets = await parseText("big.csv", rows.join("\n"));
    const elapsed = performance.now() - started;
    expect(assets).toHaveLength(10_000);
    expect(assets[9_999]?.id).toBe("asset-9999");
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe("parseSoftware", () => {
  it("reads package URLs", () => {
    expect(parseSoftware("PKG:rpm/redhat/openssh@8.7p1-38.el9_4?arch=x86_64&distro=rhel-9.4")).toEqual({
      software: {
        purl: "pkg:rpm/redhat/openssh@8.7p1-38.el9_4?arch=x86_64&distro=rhel-9.4",
        product: "openssh",
        version: "8.7p1-38.el9_4",
      },
    });
    expect(parseSoftware("pkg:npm/%40angular/core@16.2.0")).toEqual({
      software: { purl: "pkg:npm/%40angular/core@16.2.0", product: "core", version: "16.2.0" },
    });
    expect(parseSoftware("pkg:npm/@angular/core")).toEqual({
      software: { purl: "pkg:npm/@angular/core", product: "core" },
    });
    expect(parseSoftware("pkg:/nothing")).toEqual({
      error: 'package URL "pkg:/nothing" has no valid type: expected pkg:type/namespace/name@version',
    });
  });

  it("reads CPEs", () => {
    expect(parseSoftware("cpe:2.3:o:paloaltonetworks:pan-os:10.2.0:*:*:*:*:*:*:*")).toEqual({
      software: {
        cpe: "cpe:2.3:o:paloaltonetworks:pan-os:10.2.0:*:*:*:*:*:*:*",
        vendor: "paloaltonetworks",
        product: "pan-os",
        version: "10.2.0",
      },
    });
    expect(parseSoftware("cpe:2.3:a:progress:moveit_transfer:-:*:*:*:*:*:*:*")).toEqual({
      software: {
        cpe: "cpe:2.3:a:progress:moveit_transfer:-:*:*:*:*:*:*:*",
        vendor: "progress",
        product: "moveit_transfer",
      },
    });
    expect(parseSoftware("cpe:2.3:a:acme:web\\:server:1.0:*:*:*:*:*:*:*")).toMatchObject({
      software: { vendor: "acme", product: "web:server", version: "1.0" },
    });
    expect(parseSoftware("cpe:/o:redhat:enterprise_linux:9::baseos")).toMatchObject({
      software: { vendor: "redhat", product: "enterprise_linux", version: "9" },
    });
    expect(parseSoftware("cpe:2.3:a:*:*:1.0")).toEqual({
      error: 'CPE "cpe:2.3:a:*:*:1.0" must name a vendor and a product',
    });
  });

  it("reads vendor/product@version and formats back", () => {
    expect(parseSoftware("Citrix/NetScaler ADC@13.1-48.47")).toEqual({
      software: { vendor: "Citrix", product: "NetScaler ADC", version: "13.1-48.47" },
    });
    expect(parseSoftware("Tukaani Project/xz@unknown")).toEqual({
      software: { vendor: "Tukaani Project", product: "xz" },
    });
    expect(parseSoftware("Siemens/EN100 Ethernet module")).toEqual({
      software: { vendor: "Siemens", product: "EN100 Ethernet module" },
    });
    expect(parseSoftware("/PAN-OS@1")).toEqual({
      error: '"/PAN-OS@1" needs both a vendor and a product: vendor/product@version',
    });
    expect(formatSoftware({ vendor: "Progress", product: "MOVEit Transfer", version: "2023.0.1" })).toBe(
      "Progress/MOVEit Transfer@2023.0.1",
    );
    expect(
      formatSoftware({ purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", version: "2.14.1" }),
    ).toBe("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
  });
});

describe("time zones and column docs", () => {
  it("accepts IANA names in any case and refuses offsets and inventions", () => {
    expect(canonicalTimeZone("asia/kolkata")).toBe("Asia/Kolkata");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    expect(canonicalTimeZone("+05:30")).toBeUndefined();
    expect(canonicalTimeZone("Mars/Olympus_Mons")).toBeUndefined();
  });

  it("documents every column, required ones first-class", () => {
    expect(INVENTORY_COLUMNS.map((c) => c.name)).toEqual((exampleLines[0] ?? "").split(","));
    expect(INVENTORY_COLUMNS.filter((c) => c.required).map((c) => c.name)).toEqual([
      "asset_id",
      "name",
      "asset_group",
      "environment",
      "exposure",
      "system_owner",
    ]);
  });
});
