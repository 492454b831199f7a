import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  BOD_26_04_BANDS,
  bandDuration,
  bandNeedsForensics,
  bod2604Band,
  coordinatorOutcome,
} from "./ssvc.js";
import type { Exploitation, SsvcOutcome } from "./types.js";

function corpusRows(name: string): string[][] {
  const text = readFileSync(path.resolve("../shared/corpus/ssvc", name), "utf8");
  const rows = parse(text, { skip_empty_lines: true }) as string[][];
  return rows.slice(1);
}

const EXPLOITATION: Record<string, Exploitation> = { none: "none", "public poc": "poc", active: "active" };
const OUTCOME: Record<string, SsvcOutcome> = {
  track: "Track",
  "track*": "Track*",
  attend: "Attend",
  act: "Act",
};

describe("CISA Coordinator v2.0.3", () => {
  const rows = corpusRows("cisa_coordinator_2_0_3.csv");

  it("has the 36 rows of the published table", () => {
    expect(rows).toHaveLength(36);
  });

  it.each(rows)("row %s matches the published CSV", (_row, e, a, ti, mwi, outcome) => {
    const got = coordinatorOutcome({
      exploitation: EXPLOITATION[e as string]!,
      automatable: a as "yes" | "no",
      technicalImpact: ti as "partial" | "total",
      missionImpact: mwi as "low" | "medium" | "high",
    });
    expect(got).toBe(OUTCOME[outcome as string]);
  });

  it("assumes high mission impact when it is not given (the conservative case)", () => {
    expect(coordinatorOutcome({ exploitation: "active", automatable: "no", technicalImpact: "total" })).toBe(
      "Act",
    );
    expect(
      coordinatorOutcome({
        exploitation: "active",
        automatable: "no",
        technicalImpact: "total",
        missionImpact: "medium",
      }),
    ).toBe("Attend");
    expect(coordinatorOutcome({ exploitation: "none", automatable: "yes", technicalImpact: "partial" })).toBe(
      "Attend",
    );
  });
});

describe("CISA BOD 26-04 remediation timelines", () => {
  const rows = corpusRows("cisa_bod_26_04_1_0_0.csv");

  it("has the 16 rows of the published table", () => {
    expect(rows).toHaveLength(16);
  });

  it.each(rows)("row %s matches the published CSV", (_row, kev, exposed, automatable, ti, band) => {
    const got = bod2604Band({
      inKev: kev === "yes",
      exposed: exposed === "yes",
      automatable: automatable as "yes" | "no",
      technicalImpact: ti as "partial" | "total",
    });
    expect(got).toBe(band);
    expect(BOD_26_04_BANDS).toContain(got);
  });

  it("knows which bands need forensics and their timelines", () => {
    expect(bandNeedsForensics("3 days & forensic investigation")).toBe(true);
    expect(bandNeedsForensics("3 days")).toBe(false);
    expect(bandDuration("3 days & forensic investigation")).toBe("3d");
    expect(bandDuration("14 days")).toBe("14d");
    expect(bandDuration("60 days")).toBe("60d");
    expect(bandDuration("fix on system upgrade")).toBeNull();
  });
});
