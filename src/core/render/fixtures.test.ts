import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LANES } from "../types.js";
import {
  blockedItem,
  exceptionItem,
  fixturesByLane,
  mitigateItem,
  patchNowItem,
  patchWindowItem,
  validateItem,
} from "./fixtures.js";

const corpus = (...parts: string[]) => path.resolve("../shared/corpus", ...parts);
const readJson = (...parts: string[]): Record<string, unknown> =>
  JSON.parse(readFileSync(corpus(...parts), "utf8")) as Record<string, unknown>;

interface KevRow {
  cveID: string;
  dateAdded: string;
  dueDate: string;
  knownRansomwareCampaignUse: string;
}

const kev = readJson("kev", "known_exploited_vulnerabilities.json") as unknown as {
  catalogVersion: string;
  vulnerabilities: KevRow[];
};

function kevRow(cve: string): KevRow | undefined {
  return kev.vulnerabilities.find((v) => v.cveID === cve);
}

describe("fixtures follow the corpus records they cite", () => {
  it("covers every lane", () => {
    expect(Object.keys(fixturesByLane()).sort()).toEqual([...LANES].sort());
    for (const [lane, item] of Object.entries(fixturesByLane())) expect(item.lane).toBe(lane);
  });

  it("carries the KEV catalog's dates and ransomware flag for KEV-listed fixtures", () => {
    expect(kev.catalogVersion).toBe("2025.08.25");
    for (const item of [patchNowItem(), validateItem(), blockedItem()]) {
      const row = kevRow(item.advisory.id);
      expect(row, item.advisory.id).toBeDefined();
      expect(item.advisory.kev).toEqual({
        dateAdded: row?.dateAdded,
        dueDate: row?.dueDate,
        ransomware: row?.knownRansomwareCampaignUse === "Known",
      });
    }
    expect(patchNowItem().advisory.kev?.dateAdded).toBe("2024-04-12");
  });

  it("is not KEV-listed where the catalog does not list it", () => {
    expect(kevRow("CVE-2024-6387")).toBeUndefined();
    expect(patchWindowItem().advisory.kev).toBeUndefined();
  });

  it("uses CVE-2024-3400's fixed version, CVSS and SSVC points from the CVE record", () => {
    const record = JSON.stringify(readJson("cve5", "CVE-2024-3400.json"));
    const item = patchNowItem();
    expect(record).toContain(`"lessThan":"${item.fix.fixedVersion}"`);
    expect(record).toContain('"baseScore":10');
    expect(record).toContain('"Exploitation":"Active"');
    expect(record).toContain(`"timestamp":"${item.decision.ssvc?.points.timestamp}"`);
    expect(record).toContain("Threat IDs 95187, 95189, and 95191");
  });

  it("uses the Siemens advisory's own remediation wording for the mitigate lane", () => {
    const csaf = JSON.stringify(readJson("csaf", "icsa-22-195-16.json"));
    const item = mitigateItem();
    expect(csaf).toContain('"category":"no_fix_planned"');
    expect(csaf).toContain(item.fix.mitigations[0]);
    expect(csaf).toContain(item.fix.workarounds[0]);
    expect(item.fix.fixedVersion).toBeUndefined();
  });

  it("uses the SSVC points the CVE records state for the patch-window and exception fixtures", () => {
    const openssh = JSON.stringify(readJson("cve5", "CVE-2024-6387.json"));
    expect(openssh).toContain('{"Exploitation":"poc"}');
    expect(openssh).toContain("0:8.7p1-38.el9_4.1");
    expect(patchWindowItem().fix.fixedVersion).toBe("0:8.7p1-38.el9_4.1");
    const curl = JSON.stringify(readJson("cve5", "CVE-2024-7264.json"));
    expect(curl).toContain('{"Exploitation":"none"}');
    expect(exceptionItem().decision.ssvc?.points.exploitation).toBe("none");
  });
});
