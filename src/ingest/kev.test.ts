import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { KevEntry } from "../core/types.js";
import { PatchlineError } from "../errors.js";
import { parseKevCsv, parseKevJson } from "./kev.js";
import type { ParsedBatch, ParseInput } from "./types.js";

const corpus = (p: string): ParseInput => ({
  path: path.resolve("../shared/corpus", p),
  displayName: `corpus/${p}`,
});
const tmp = mkdtempSync(path.join(tmpdir(), "patchline-kev-"));

function tmpFile(name: string, text: string): ParseInput {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return { path: file, displayName: name };
}

function kev(batch: ParsedBatch): Extract<ParsedBatch, { kind: "kev" }> {
  if (batch.kind !== "kev") throw new Error(`expected a kev batch, got ${batch.kind}`);
  return batch;
}

async function rejection(promise: Promise<unknown>): Promise<PatchlineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PatchlineError) return error;
    throw error;
  }
  throw new Error("expected a PatchlineError");
}

const ENTRY = {
  cveID: "CVE-2024-3400",
  vendorProject: "Palo Alto Networks",
  product: "PAN-OS",
  vulnerabilityName: "PAN-OS Command Injection Vulnerability",
  dateAdded: "2024-04-12",
  shortDescription: "x",
  requiredAction: "Apply mitigations.",
  dueDate: "2024-04-19",
  knownRansomwareCampaignUse: "Unknown",
  notes: "",
};

describe("parseKevJson", () => {
  it("reads the current catalog with cwes", async () => {
    const batch = kev(await parseKevJson(corpus("kev/known_exploited_vulnerabilities.json")));
    expect(batch.entries).toHaveLength(1404);
    expect(batch.catalogVersion).toBe("2025.08.25");
    expect(batch.released).toBe("2025-08-25T17:04:19.9796Z");
    const git = batch.entries.find((e) => e.cveId === "CVE-2025-48384");
    expect(git).toMatchObject({
      vendorProject: "Git",
      product: "Git",
      dateAdded: "2025-08-25",
      dueDate: "2025-09-15",
      knownRansomwareCampaignUse: "Unknown",
      cwes: ["CWE-59", "CWE-436"],
    });
    expect(batch.entries.filter((e) => e.knownRansomwareCampaignUse === "Known").length).toBeGreaterThan(100);
    // Stray spaces in the catalog are trimmed.
    expect(batch.entries.find((e) => e.cveId === "CVE-2024-57727")?.vendorProject).toBe("SimpleHelp");
  });

  it("reads the older layout without cwes", async () => {
    const batch = kev(await parseKevJson(corpus("kev/kev_2023-10-13_legacy-powershell-format.json")));
    expect(batch.entries).toHaveLength(1019);
    expect(batch.catalogVersion).toBe("2023.10.12");
    expect(batch.entries.every((e) => e.cwes.length === 0)).toBe(true);
    expect(batch.entries[0]).toMatchObject({
      cveId: "CVE-2021-27104",
      vendorProject: "Accellion",
      dueDate: "2021-11-17",
      knownRansomwareCampaignUse: "Known",
    });
    // A real entry with an empty product still imports.
    expect(batch.entries.find((e) => e.cveId === "CVE-2020-17463")?.product).toBe("");
  });

  it("refuses a duplicate cveID and names both places", async () => {
    const text = JSON.stringify({
      vulnerabilities: [ENTRY, { ...ENTRY, cveID: "CVE-2024-1" + "0000" }, ENTRY],
    });
    const error = await rejection(parseKevJson(tmpFile("dup.json", text)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe(
      "dup.json at /vulnerabilities/2/cveID: duplicate cveID CVE-2024-3400: already listed at /vulnerabilities/0",
    );
  });

  it("refuses dates that are not real and ids that are not CVE ids", async () => {
    const badDate = await rejection(
      parseKevJson(
        tmpFile("date.json", JSON.stringify({ vulnerabilities: [{ ...ENTRY, dueDate: "2024-02-30" }] })),
      ),
    );
    expect(badDate.oneLine()).toBe(
      "date.json at /vulnerabilities/0/dueDate: '2024-02-30' is not a real date (YYYY-MM-DD)",
    );
    const badId = await rejection(
      parseKevJson(
        tmpFile("id.json", JSON.stringify({ vulnerabilities: [{ ...ENTRY, cveID: "GHSA-1234" }] })),
      ),
    );
    expect(badId.place.path).toBe("/vulnerabilities/0/cveID");
    const badRansom = await rejection(
      parseKevJson(
        tmpFile(
          "rw.json",
          JSON.stringify({ vulnerabilities: [{ ...ENTRY, knownRansomwareCampaignUse: "Maybe" }] }),
        ),
      ),
    );
    expect(badRansom.place.path).toBe("/vulnerabilities/0/knownRansomwareCampaignUse");
  });

  it("refuses the catalog's JSON schema as a catalog", async () => {
    const error = await rejection(parseKevJson(corpus("kev/known_exploited_vulnerabilities_schema.json")));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.place.path).toBe("/vulnerabilities");
  });

  it("gives line and column for a truncated catalog", async () => {
    const error = await rejection(
      parseKevJson(tmpFile("cut.json", '{\n  "vulnerabilities": [\n    {"cveID": "CVE-')),
    );
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place).toMatchObject({ file: "cut.json", line: 3, column: 20 });
  });
});

describe("parseKevCsv", () => {
  it("gives the same entries as the JSON catalog", async () => {
    const csv = kev(await parseKevCsv(corpus("kev/known_exploited_vulnerabilities.csv")));
    const json = kev(await parseKevJson(corpus("kev/known_exploited_vulnerabilities.json")));
    expect(csv.entries).toHaveLength(1404);
    expect(csv.entries).toEqual(json.entries);
    expect(csv.entries[0]?.cwes).toEqual(["CWE-59", "CWE-436"]);
  });

  const header =
    "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes";
  const row = (id: string, due = "2024-04-19"): string =>
    `${id},Vendor,Product,"Name, with comma",2024-04-12,"Multi\nline",Act,${due},Known,,"CWE-77, CWE-20"`;

  it("reads quoted multi-line fields and names the first line of a bad row", async () => {
    const ok = kev(await parseKevCsv(tmpFile("ok.csv", `${header}\n${row("CVE-2024-3400")}\n`)));
    const entry: KevEntry | undefined = ok.entries[0];
    expect(entry).toMatchObject({ vulnerabilityName: "Name, with comma", shortDescription: "Multi\nline" });
    expect(entry?.cwes).toEqual(["CWE-77", "CWE-20"]);
    const error = await rejection(
      parseKevCsv(
        tmpFile("bad.csv", `${header}\n${row("CVE-2024-3400")}\n${row("CVE-2024-1111", "2024-13-01")}\n`),
      ),
    );
    expect(error.oneLine()).toBe("bad.csv:4: dueDate: '2024-13-01' is not a real date (YYYY-MM-DD)");
  });

  it("refuses a duplicate cveID naming both lines", async () => {
    const text = `${header}\n${row("CVE-2024-3400")}\n${row("CVE-2024-3400")}\n`;
    const error = await rejection(parseKevCsv(tmpFile("dup.csv", text)));
    expect(error.oneLine()).toBe("dup.csv:4: duplicate cveID CVE-2024-3400: already listed at line 2");
  });

  it("refuses a header that is not KEV and a ragged row", async () => {
    const wrong = await rejection(
      parseKevCsv(tmpFile("wrong.csv", "cve,epss,percentile\nCVE-2024-1,0.1,0.2\n")),
    );
    expect(wrong.code).toBe("PARSE_ERROR");
    expect(wrong.oneLine()).toMatch(
      /^wrong\.csv:1: not a KEV CSV header: missing columns cveID, vendorProject/,
    );
    const ragged = await rejection(parseKevCsv(tmpFile("ragged.csv", `${header}\nCVE-2024-3400,a,b\n`)));
    expect(ragged.oneLine()).toBe("ragged.csv:2: expected 11 fields as in the header, found 3");
  });

  it("says an empty file is empty", async () => {
    const error = await rejection(parseKevCsv(tmpFile("empty.csv", "")));
    expect(error.oneLine()).toBe("empty.csv: the file is empty");
  });
});
