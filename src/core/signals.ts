/**
 * Collects every signal known for one advisory: the KEV listing (catalog entry, or the CISA ADP
 * "kev" metric carried in the CVE record), EPSS, SSVC decision points and the exploitation level
 * with its source and confidence.
 */
import type { Policy } from "./policy/types.js";
import type { Advisory, Confidence, EpssScore, KevEntry, Signals } from "./types.js";

/** Signal sources and the policy.sourceConfidence keys that may name them (first match wins). */
export const SIGNAL_SOURCES = {
  kev: ["kev", "cisa-kev", "CISA KEV"],
  kevAdp: ["cisa-adp", "adp", "kev", "cisa-kev"],
  ssvc: ["ssvc", "cisa-adp", "adp"],
  epss: ["epss", "first-epss"],
  inventory: ["inventory"],
} as const;

export type SignalSource = keyof typeof SIGNAL_SOURCES;

/** Confidence the policy gives a source; "medium" when the policy does not name it. */
export function confidenceOf(policy: Policy, source: SignalSource): Confidence {
  for (const key of SIGNAL_SOURCES[source]) {
    const c = policy.sourceConfidence[key];
    if (c) return c;
  }
  return "medium";
}

/**
 * A KEV entry from the CISA ADP metric in a CVE record. The metric carries only the date added:
 * dueDate stays empty (unknown) rather than guessed.
 */
export function kevFromAdvisory(advisory: Advisory): KevEntry | undefined {
  if (!advisory.kev) return undefined;
  const product = advisory.affected[0];
  return {
    cveId: advisory.id,
    vendorProject: product?.vendor ?? "",
    product: product?.product ?? "",
    vulnerabilityName: advisory.title ?? advisory.id,
    dateAdded: advisory.kev.dateAdded,
    shortDescription: advisory.description ?? "",
    requiredAction: "",
    dueDate: "",
    knownRansomwareCampaignUse: "Unknown",
    notes: advisory.kev.reference ?? "",
    cwes: [...advisory.cwes],
  };
}

/** Where a KEV entry came from, for triggers: the catalog or the record's ADP metric. */
export function kevSourceLabel(kev: KevEntry): string {
  return kev.dueDate === "" ? "CISA ADP kev metric in the CVE record" : "CISA KEV catalog";
}

export function signalsFor(
  advisory: Advisory,
  kev: KevEntry | undefined,
  epss: EpssScore | undefined,
  policy: Policy,
): Signals {
  const signals: Signals = {};
  const listing = kev ?? kevFromAdvisory(advisory);
  if (listing) signals.kev = listing;
  if (epss) signals.epss = epss;
  if (advisory.ssvc) signals.ssvc = advisory.ssvc;

  if (kev) {
    signals.exploitation = {
      level: "active",
      source: "CISA KEV catalog",
      confidence: confidenceOf(policy, "kev"),
    };
  } else if (listing) {
    signals.exploitation = {
      level: "active",
      source: kevSourceLabel(listing),
      confidence: confidenceOf(policy, "kevAdp"),
    };
  } else if (advisory.ssvc?.exploitation !== undefined) {
    signals.exploitation = {
      level: advisory.ssvc.exploitation,
      source: `${advisory.ssvc.source} SSVC`,
      confidence: confidenceOf(policy, "ssvc"),
    };
  }
  return signals;
}
