/**
 * SSVC decision tables used by patchline:
 * - CISA Coordinator v2.0.3 (Exploitation × Automatable × Technical Impact × Mission & Well-Being → Track, Track*, Attend or Act)
 * - CISA BOD 26-04 remediation timelines v1.0.0 (In KEV × Asset Exposure × Automatable × Technical Impact → band)
 * Both are small enough to carry as data; the tests check every row against the published CSV files.
 */
import type { Exploitation, SsvcOutcome } from "./types.js";

export type MissionImpact = "low" | "medium" | "high";

export type Bod2604Band =
  | "fix on system upgrade"
  | "60 days"
  | "14 days"
  | "3 days"
  | "3 days & forensic investigation";

export const BOD_26_04_BANDS: readonly Bod2604Band[] = [
  "fix on system upgrade",
  "60 days",
  "14 days",
  "3 days",
  "3 days & forensic investigation",
];

const EXPLOITATION: readonly Exploitation[] = ["none", "poc", "active"];
const MISSION: readonly MissionImpact[] = ["low", "medium", "high"];

/**
 * Coordinator outcomes, indexed [exploitation][automatable][technical impact] → outcomes for
 * mission impact low, medium, high.
 */
const COORDINATOR: Record<Exploitation, Record<"no" | "yes", Record<"partial" | "total", SsvcOutcome[]>>> = {
  none: {
    no: { partial: ["Track", "Track", "Track"], total: ["Track", "Track", "Track*"] },
    yes: { partial: ["Track", "Track", "Attend"], total: ["Track", "Track", "Attend"] },
  },
  poc: {
    no: { partial: ["Track", "Track", "Track*"], total: ["Track", "Track*", "Attend"] },
    yes: { partial: ["Track", "Track", "Attend"], total: ["Track", "Track*", "Attend"] },
  },
  active: {
    no: { partial: ["Track", "Track", "Attend"], total: ["Track", "Attend", "Act"] },
    yes: { partial: ["Attend", "Attend", "Act"], total: ["Attend", "Act", "Act"] },
  },
};

/**
 * CISA Coordinator v2.0.3 outcome. Mission impact is often unknown to a vulnerability team; when it
 * is not given this uses "high", the conservative case, and the caller should say the value was assumed.
 */
export function coordinatorOutcome(p: {
  exploitation: Exploitation;
  automatable: "yes" | "no";
  technicalImpact: "partial" | "total";
  missionImpact?: MissionImpact;
}): SsvcOutcome {
  const mission = p.missionImpact ?? "high";
  const outcome =
    COORDINATOR[p.exploitation]?.[p.automatable]?.[p.technicalImpact]?.[MISSION.indexOf(mission)];
  if (outcome === undefined) {
    throw new RangeError(
      `no SSVC coordinator outcome for ${p.exploitation}/${p.automatable}/${p.technicalImpact}/${mission}`,
    );
  }
  return outcome;
}

/**
 * CISA BOD 26-04 remediation timeline bands, keyed "inKev,exposed,automatable,technicalImpact".
 * Forensic investigation is added when the item is in KEV with total impact and is exposed or
 * automatable.
 */
const BOD_26_04: Record<string, Bod2604Band> = {
  "no,no,no,partial": "fix on system upgrade",
  "yes,no,no,partial": "14 days",
  "no,yes,no,partial": "60 days",
  "no,no,yes,partial": "60 days",
  "no,no,no,total": "fix on system upgrade",
  "yes,yes,no,partial": "14 days",
  "yes,no,yes,partial": "14 days",
  "no,yes,yes,partial": "14 days",
  "yes,no,no,total": "14 days",
  "no,yes,no,total": "14 days",
  "no,no,yes,total": "60 days",
  "yes,yes,yes,partial": "3 days",
  "yes,yes,no,total": "3 days & forensic investigation",
  "yes,no,yes,total": "3 days & forensic investigation",
  "no,yes,yes,total": "3 days",
  "yes,yes,yes,total": "3 days & forensic investigation",
};

export function bod2604Band(p: {
  inKev: boolean;
  exposed: boolean;
  automatable: "yes" | "no";
  technicalImpact: "partial" | "total";
}): Bod2604Band {
  const key = [p.inKev ? "yes" : "no", p.exposed ? "yes" : "no", p.automatable, p.technicalImpact].join(",");
  const band = BOD_26_04[key];
  if (band === undefined) throw new RangeError(`no BOD 26-04 band for ${key}`);
  return band;
}

/** True for the bands that also require forensic triage before patching. */
export function bandNeedsForensics(band: Bod2604Band): boolean {
  return band.endsWith("forensic investigation");
}

/** The relative timeline of a band ("3d", "14d", "60d"), or null for "fix on system upgrade". */
export function bandDuration(band: Bod2604Band): string | null {
  const m = /^(\d+) days/.exec(band);
  return m ? `${m[1]}d` : null;
}

export { EXPLOITATION as SSVC_EXPLOITATION_VALUES, MISSION as SSVC_MISSION_VALUES };
