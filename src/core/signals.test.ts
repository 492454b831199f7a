import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCve5 } from "../ingest/cve5.js";
import { parseKevJson } from "../ingest/kev.js";
import { mergeAdvisories } from "./merge.js";
import { builtInPolicy } from "./policy/packs.js";
import { confidenceOf, kevFromAdvisory, signalsFor } from "./signals.js";
import type { Advisory, EpssScore } from "./types.js";

const corpus = (p: string) => path.resolve("../shared/corpus", p);

async function advisory(file: string): Promise<Advisory> {
  const batch = await parseCve5({ path: corpus(`cve5/${file}`), displayName: file });
  if (batch.kind !== "advisories") throw new Error("expected advisories");
  return [...mergeAdvisories(batch.records, []).values()][0]!;
}

const policy = builtInPolicy("bod-26-04");

describe("signalsFor", () => {
  it("takes KEV from the catalog, with the catalog as exploitation source", async () => {
    const kev = await parseKevJson({
      path: corpus("kev/known_exploited_vulnerabilities.json"),
      displayName: "kev",
    });
    if (kev.kind !== "kev") throw new Error("expected kev");
    const entry = kev.entries.find((e) => e.cveId === "CVE-2024-3400");
    const s = signalsFor(await advisory("CVE-2024-3400.json"), entry, undefined, policy);
    expect(s.kev?.dueDate).toBe("2024-04-19");
    expect(s.kev?.knownRansomwareCampaignUse).toBe("Known");
    expect(s.exploitation).toEqual({ level: "active", source: "CISA KEV catalog", confidence: "high" });
    expect(s.ssvc).toMatchObject({ exploitation: "active", automatable: "yes", technicalImpact: "total" });
  });

  it("falls back to the CISA ADP kev metric, without inventing a due date", async () => {
    const a = await advisory("CVE-2024-3400.json");
    const s = signalsFor(a, undefined, undefined, policy);
    expect(s.kev?.dateAdded).toBe("2024-04-12");
    expect(s.kev?.dueDate).toBe("");
    expect(kevFromAdvisory(a)?.vendorProject).toBe("Palo Alto Networks");
    expect(s.exploitation?.level).toBe("active");
    expect(s.exploitation?.source).toBe("CISA ADP kev metric in the CVE record");
  });

  it("reads SSVC exploitation when nothing lists it in KEV", async () => {
    const s = signalsFor(await advisory("CVE-2024-6387.json"), undefined, undefined, policy);
    expect(s.kev).toBeUndefined();
    expect(s.ssvc?.exploitation).toBeDefined();
    expect(s.exploitation?.level).toBe(s.ssvc?.exploitation);
    expect(s.exploitation?.confidence).toBe("high");
  });

  it("leaves exploitation unknown without KEV or SSVC, and passes EPSS through", async () => {
    const epss: EpssScore = {
      cve: "CVE-2021-26917",
      epss: 0.01,
      percentile: 0.5,
      scoreDate: "2026-09-29",
      modelVersion: "v",
    };
    const s = signalsFor(await advisory("CVE-2021-26917.json"), undefined, epss, policy);
    expect(s.exploitation).toBeUndefined();
    expect(s.epss).toBe(epss);
  });

  it("gives unnamed sources medium confidence", () => {
    const p = builtInPolicy("custom");
    p.sourceConfidence = {};
    expect(confidenceOf(p, "kev")).toBe("medium");
    expect(confidenceOf(policy, "epss")).toBe("medium");
  });
});
