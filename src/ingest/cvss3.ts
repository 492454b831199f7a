/**
 * CVSS base scores computed from vector strings, for sources that publish only the vector (OSV
 * `severity[].score`). CVSS 3.0 and 3.1 follow the FIRST specification's base equations (3.1 with its
 * floating-point-safe Roundup); CVSS 2.0 follows the v2 guide. CVSS 4.0 needs the macro-vector
 * lookup table and is not scored here.
 */

export interface ComputedCvss {
  version: string;
  baseScore: number;
  severity: string;
}

const AV3: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC3: Record<string, number> = { L: 0.77, H: 0.44 };
const UI3: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA3: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };
const PR3_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PR3_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };

/** "A:B/C:D" → {A: "B", C: "D"}; null when a part is malformed or a metric repeats. */
function metrics(parts: string[]): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const part of parts) {
    const match = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!match?.[1] || !match[2] || out.has(match[1])) return null;
    out.set(match[1], match[2]);
  }
  return out;
}

/** CVSS 3.1 Roundup: the smallest one-decimal number ≥ the input, immune to float noise. */
function roundUp31(value: number): number {
  const scaled = Math.round(value * 100_000);
  if (scaled % 10_000 === 0) return scaled / 100_000;
  return (Math.floor(scaled / 10_000) + 1) / 10;
}

/** CVSS 3.0 round-up to one decimal. */
function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

/** The qualitative rating of a v3 (and v4) score. */
export function severityV3(score: number): string {
  if (score === 0) return "NONE";
  if (score < 4) return "LOW";
  if (score < 7) return "MEDIUM";
  if (score < 9) return "HIGH";
  return "CRITICAL";
}

/** The v2 rating NVD publishes (v2 itself defines none). */
export function severityV2(score: number): string {
  if (score < 4) return "LOW";
  if (score < 7) return "MEDIUM";
  return "HIGH";
}

/**
 * Base score of a CVSS 3.0/3.1 vector ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"). Temporal and
 * environmental metrics may follow and are ignored. Null when the vector is not a valid v3 vector.
 */
export function cvss3BaseScore(vector: string): ComputedCvss | null {
  const [prefix, ...rest] = vector.trim().split("/");
  const version = /^CVSS:(3\.[01])$/.exec(prefix ?? "")?.[1];
  if (!version) return null;
  const m = metrics(rest);
  if (!m) return null;
  const scope = m.get("S");
  const av = AV3[m.get("AV") ?? ""];
  const ac = AC3[m.get("AC") ?? ""];
  const ui = UI3[m.get("UI") ?? ""];
  const pr = (scope === "C" ? PR3_CHANGED : PR3_UNCHANGED)[m.get("PR") ?? ""];
  const c = CIA3[m.get("C") ?? ""];
  const i = CIA3[m.get("I") ?? ""];
  const a = CIA3[m.get("A") ?? ""];
  if (scope !== "U" && scope !== "C") return null;
  if (av === undefined || ac === undefined || ui === undefined || pr === undefined) return null;
  if (c === undefined || i === undefined || a === undefined) return null;

  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === "U" ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  const roundUp = version === "3.1" ? roundUp31 : roundUp30;
  let baseScore = 0;
  if (impact > 0) {
    const sum = scope === "U" ? impact + exploitability : 1.08 * (impact + exploitability);
    baseScore = roundUp(Math.min(sum, 10));
  }
  return { version, baseScore, severity: severityV3(baseScore) };
}

const AV2: Record<string, number> = { L: 0.395, A: 0.646, N: 1 };
const AC2: Record<string, number> = { H: 0.35, M: 0.61, L: 0.71 };
const AU2: Record<string, number> = { M: 0.45, S: 0.56, N: 0.704 };
const CIA2: Record<string, number> = { N: 0, P: 0.275, C: 0.66 };

/** Base score of a CVSS 2.0 vector ("AV:N/AC:L/Au:N/C:P/I:P/A:P", optionally "(…)" or "CVSS:2.0/…"). */
export function cvss2BaseScore(vector: string): ComputedCvss | null {
  const text = vector
    .trim()
    .replace(/^\((.*)\)$/, "$1")
    .replace(/^CVSS:2\.0\//, "");
  const m = metrics(text.split("/"));
  if (!m) return null;
  const av = AV2[m.get("AV") ?? ""];
  const ac = AC2[m.get("AC") ?? ""];
  const au = AU2[m.get("Au") ?? ""];
  const c = CIA2[m.get("C") ?? ""];
  const i = CIA2[m.get("I") ?? ""];
  const a = CIA2[m.get("A") ?? ""];
  if (av === undefined || ac === undefined || au === undefined) return null;
  if (c === undefined || i === undefined || a === undefined) return null;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const fImpact = impact === 0 ? 0 : 1.176;
  const raw = (0.6 * impact + 0.4 * exploitability - 1.5) * fImpact;
  // Round to one decimal, guarding against float noise (x.x5 written as x.x4999…).
  const baseScore = Math.round(Math.round(raw * 100_000) / 10_000) / 10;
  return { version: "2.0", baseScore, severity: severityV2(baseScore) };
}

/** The CVSS version a vector names: "4.0", "3.1", "3.0", "2.0" (no prefix and v2 metrics), or null. */
export function cvssVectorVersion(vector: string): string | null {
  const text = vector.trim();
  const prefixed = /^CVSS:(\d\.\d)\//.exec(text)?.[1];
  if (prefixed) return prefixed;
  return /(^|\()AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(text) ? "2.0" : null;
}
