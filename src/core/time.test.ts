import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PatchlineError } from "../errors.js";
import { builtInPolicy, deadlineRule } from "./policy/packs.js";
import type { MaintenanceWindow } from "./policy/types.js";
import {
  addInZone,
  computeDeadline,
  describeDuration,
  endOfDayInZone,
  formatLocal,
  formatUtc,
  isDuration,
  isValidZone,
  nextWindow,
  parseDuration,
  toZoned,
} from "./time.js";

const hoursBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 3_600_000;

function window(days: MaintenanceWindow["days"], start: string, minLeadTime = "24h"): MaintenanceWindow {
  return { days, start, length: "4h", minLeadTime };
}

describe("parseDuration", () => {
  it("reads short and ISO 8601 forms", () => {
    expect(parseDuration("90m").minutes).toBe(90);
    expect(parseDuration("4h").hours).toBe(4);
    expect(parseDuration("3d").days).toBe(3);
    expect(parseDuration("2w").weeks).toBe(2);
    expect(parseDuration("1d12h").toString()).toBe("P1DT12H");
    expect(parseDuration("P3D").days).toBe(3);
    expect(parseDuration("PT4H").hours).toBe(4);
    expect(parseDuration("P1DT12H").toString()).toBe("P1DT12H");
    expect(parseDuration(" p3d ").days).toBe(3);
  });

  it("rejects anything else with VALIDATION_ERROR", () => {
    for (const bad of ["soon", "", "3x", "h", "-P1D", "-3d", "P", "3 days", "ASAP"]) {
      expect(() => parseDuration(bad)).toThrow(PatchlineError);
      expect(isDuration(bad)).toBe(false);
    }
    try {
      parseDuration("soon");
    } catch (e) {
      expect((e as PatchlineError).code).toBe("VALIDATION_ERROR");
      expect((e as PatchlineError).message).toContain('"soon"');
    }
    expect(isDuration("72h")).toBe(true);
  });

  it("describes durations in plain words", () => {
    expect(describeDuration("3d")).toBe("3 days");
    expect(describeDuration("1d")).toBe("1 day");
    expect(describeDuration("P1DT12H")).toBe("1 day 12 hours");
    expect(describeDuration("2w")).toBe("2 weeks");
  });
});

describe("zones and formatting", () => {
  it("knows IANA zones and rejects the rest", () => {
    expect(isValidZone("America/New_York")).toBe(true);
    expect(isValidZone("Asia/Kolkata")).toBe(true);
    expect(isValidZone("UTC")).toBe(true);
    expect(isValidZone("Mars/Olympus")).toBe(false);
    expect(isValidZone("+02:00")).toBe(false);
    expect(isValidZone("")).toBe(false);
  });

  it("shows an instant in a zone with its offset", () => {
    expect(toZoned("2026-11-26T17:00:00Z", "America/New_York")).toBe("2026-11-26T12:00:00-05:00");
    expect(toZoned("2026-07-01T17:00:00Z", "America/New_York")).toBe("2026-07-01T13:00:00-04:00");
    expect(toZoned("2026-07-01T12:00:00Z", "Asia/Kolkata")).toBe("2026-07-01T17:30:00+05:30");
    expect(() => toZoned("2026-11-26", "UTC")).toThrow(PatchlineError);
    expect(() => toZoned("2026-11-26T17:00:00Z", "Mars/Olympus")).toThrow(/not an IANA time zone/);
  });

  it("formats local and UTC times for people", () => {
    expect(formatLocal("2026-11-26T17:00:00Z", "America/New_York")).toBe(
      "Thu 26 Nov 2026 12:00 EST (America/New_York)",
    );
    expect(formatLocal("2026-07-01T17:00:00Z", "America/New_York")).toBe(
      "Wed 1 Jul 2026 13:00 EDT (America/New_York)",
    );
    expect(formatLocal("2026-01-01T12:00:00Z", "Europe/Amsterdam")).toBe(
      "Thu 1 Jan 2026 13:00 CET (Europe/Amsterdam)",
    );
    expect(formatLocal("2026-07-01T12:00:00Z", "Europe/Amsterdam")).toBe(
      "Wed 1 Jul 2026 14:00 CEST (Europe/Amsterdam)",
    );
    expect(formatLocal("2026-01-01T12:00:00Z", "Australia/Sydney")).toBe(
      "Thu 1 Jan 2026 23:00 AEDT (Australia/Sydney)",
    );
    expect(formatLocal("2026-07-01T12:00:00Z", "Asia/Kolkata")).toBe(
      "Wed 1 Jul 2026 17:30 IST (Asia/Kolkata)",
    );
    // No common abbreviation: the offset is shown instead.
    expect(formatLocal("2026-07-01T12:00:00Z", "Asia/Tokyo")).toBe(
      "Wed 1 Jul 2026 21:00 UTC+09:00 (Asia/Tokyo)",
    );
    expect(formatUtc("2026-11-26T17:00:00Z")).toBe("Thu 26 Nov 2026 17:00 UTC");
  });
});

describe("addInZone", () => {
  it("counts days on the New York calendar across spring-forward (3d = 71 hours)", () => {
    const start = "2026-03-06T17:00:00Z"; // Fri 12:00 EST; clocks go forward Sun 8 Mar
    const end = addInZone(start, "3d", "America/New_York");
    expect(end).toBe("2026-03-09T16:00:00Z");
    expect(toZoned(end, "America/New_York")).toBe("2026-03-09T12:00:00-04:00");
    expect(hoursBetween(start, end)).toBe(71);
    expect(addInZone(start, "72h", "America/New_York")).toBe("2026-03-09T17:00:00Z");
  });

  it("counts days on the New York calendar across fall-back (3d = 73 hours)", () => {
    const start = "2026-10-30T16:00:00Z"; // Fri 12:00 EDT; clocks go back Sun 1 Nov
    const end = addInZone(start, "P3D", "America/New_York");
    expect(toZoned(end, "America/New_York")).toBe("2026-11-02T12:00:00-05:00");
    expect(hoursBetween(start, end)).toBe(73);
  });

  it("handles Amsterdam's change on the last Sunday of March and October", () => {
    const spring = "2026-03-27T11:00:00Z"; // Fri 12:00 CET
    expect(toZoned(addInZone(spring, "3d", "Europe/Amsterdam"), "Europe/Amsterdam")).toBe(
      "2026-03-30T12:00:00+02:00",
    );
    expect(hoursBetween(spring, addInZone(spring, "3d", "Europe/Amsterdam"))).toBe(71);
    const autumn = "2026-10-23T10:00:00Z"; // Fri 12:00 CEST
    expect(hoursBetween(autumn, addInZone(autumn, "3d", "Europe/Amsterdam"))).toBe(73);
  });

  it("handles Sydney's southern-hemisphere changes (back in April, forward in October)", () => {
    const april = "2026-04-03T01:00:00Z"; // Fri 12:00 AEDT
    expect(toZoned(addInZone(april, "3d", "Australia/Sydney"), "Australia/Sydney")).toBe(
      "2026-04-06T12:00:00+10:00",
    );
    expect(hoursBetween(april, addInZone(april, "3d", "Australia/Sydney"))).toBe(73);
    const october = "2026-10-02T02:00:00Z"; // Fri 12:00 AEST
    expect(hoursBetween(october, addInZone(october, "3d", "Australia/Sydney"))).toBe(71);
  });

  it("has no shift in Kolkata and mixes calendar days with exact hours", () => {
    const start = "2026-03-06T06:30:00Z";
    expect(hoursBetween(start, addInZone(start, "3d", "Asia/Kolkata"))).toBe(72);
    // 1 calendar day (23 real hours over the New York change) then 12 exact hours.
    expect(
      hoursBetween("2026-03-07T17:00:00Z", addInZone("2026-03-07T17:00:00Z", "P1DT12H", "America/New_York")),
    ).toBe(35);
  });

  it("follows a zone that skipped a calendar day when it moved across the date line (Apia, 2011)", () => {
    // Samoa went from 29 Dec 2011 straight to 31 Dec 2011.
    const start = "2011-12-29T22:00:00Z"; // Thu 29 Dec 12:00 at UTC-10
    const end = addInZone(start, "1d", "Pacific/Apia");
    expect(toZoned(end, "Pacific/Apia")).toBe("2011-12-31T12:00:00+14:00");
    expect(end).toBe("2011-12-30T22:00:00Z");
  });
});

describe("endOfDayInZone", () => {
  it("ends a calendar date at 23:59:59 in the zone", () => {
    expect(endOfDayInZone("2025-09-15", "America/New_York")).toBe("2025-09-16T03:59:59Z");
    expect(endOfDayInZone("2025-12-15", "America/New_York")).toBe("2025-12-16T04:59:59Z");
    expect(endOfDayInZone("2025-09-15", "Asia/Kolkata")).toBe("2025-09-15T18:29:59Z");
  });

  it("rejects dates that are not on the calendar", () => {
    expect(() => endOfDayInZone("2025-02-30", "UTC")).toThrow(PatchlineError);
    expect(() => endOfDayInZone("15/09/2025", "UTC")).toThrow(/expected a date/);
  });
});

describe("nextWindow", () => {
  it("finds the next Saturday 02:00 in New York at least 24h ahead", () => {
    const w = nextWindow(window(["sat"], "02:00"), "2026-11-25T15:00:00Z", "America/New_York");
    expect(w).toEqual({ start: "2026-11-28T07:00:00Z", end: "2026-11-28T11:00:00Z" });
  });

  it("skips an opening inside the lead time, and takes one exactly at it", () => {
    const sat = window(["sat"], "02:00");
    expect(nextWindow(sat, "2026-11-27T08:00:00Z", "America/New_York").start).toBe("2026-12-05T07:00:00Z");
    expect(nextWindow(sat, "2026-11-27T07:00:00Z", "America/New_York").start).toBe("2026-11-28T07:00:00Z");
  });

  it("moves a start that does not exist on the New York spring-forward day forward", () => {
    const w = nextWindow(window(["sun"], "02:30"), "2026-03-06T12:00:00Z", "America/New_York");
    expect(toZoned(w.start, "America/New_York")).toBe("2026-03-08T03:30:00-04:00");
    expect(w.end).toBe("2026-03-08T11:30:00Z");
  });

  it("uses the earlier of a start that happens twice on the New York fall-back day", () => {
    const w = nextWindow(window(["sun"], "01:30"), "2026-10-30T12:00:00Z", "America/New_York");
    expect(toZoned(w.start, "America/New_York")).toBe("2026-11-01T01:30:00-04:00");
    expect(w.start).toBe("2026-11-01T05:30:00Z");
    // 4 exact hours later, after the clocks went back.
    expect(toZoned(w.end, "America/New_York")).toBe("2026-11-01T04:30:00-05:00");
  });

  it("handles both Amsterdam changes", () => {
    const spring = nextWindow(window(["sun"], "02:30"), "2026-03-27T12:00:00Z", "Europe/Amsterdam");
    expect(toZoned(spring.start, "Europe/Amsterdam")).toBe("2026-03-29T03:30:00+02:00");
    const autumn = nextWindow(window(["sun"], "02:30"), "2026-10-23T12:00:00Z", "Europe/Amsterdam");
    expect(toZoned(autumn.start, "Europe/Amsterdam")).toBe("2026-10-25T02:30:00+02:00");
    expect(autumn.start).toBe("2026-10-25T00:30:00Z");
  });

  it("handles both Sydney changes", () => {
    const forward = nextWindow(window(["sun"], "02:30"), "2026-10-01T00:00:00Z", "Australia/Sydney");
    expect(toZoned(forward.start, "Australia/Sydney")).toBe("2026-10-04T03:30:00+11:00");
    const back = nextWindow(window(["sun"], "02:30"), "2026-04-02T00:00:00Z", "Australia/Sydney");
    expect(toZoned(back.start, "Australia/Sydney")).toBe("2026-04-05T02:30:00+11:00");
    expect(back.start).toBe("2026-04-04T15:30:00Z");
  });

  it("opens on the local Saturday in Kolkata, which is Friday evening in UTC", () => {
    const w = nextWindow(window(["sat"], "02:00"), "2026-11-23T00:00:00Z", "Asia/Kolkata");
    expect(w.start).toBe("2026-11-27T20:30:00Z");
    expect(toZoned(w.start, "Asia/Kolkata")).toBe("2026-11-28T02:00:00+05:30");
  });

  it("uses the local weekday in a zone across the date line (Auckland, Honolulu)", () => {
    // Fri 22:00 in Auckland; with 24h lead the Saturday 02:00 opening tomorrow is too soon.
    const nz = nextWindow(window(["sat"], "02:00"), "2026-06-05T10:00:00Z", "Pacific/Auckland");
    expect(toZoned(nz.start, "Pacific/Auckland")).toBe("2026-06-13T02:00:00+12:00");
    expect(nz.start).toBe("2026-06-12T14:00:00Z");
    const hi = nextWindow(window(["sat"], "02:00", "1h"), "2026-06-05T10:00:00Z", "Pacific/Honolulu");
    expect(hi.start).toBe("2026-06-06T12:00:00Z");
  });
});

describe("computeDeadline", () => {
  const policy = builtInPolicy("bod-26-04");

  it("counts a BOD 26-04 band from the handoff and explains it", () => {
    const rule = deadlineRule(policy, {
      lane: "patch-now",
      criticality: "high",
      inKev: true,
      exposed: true,
      automatable: "yes",
      technicalImpact: "total",
    });
    const d = computeDeadline(rule!, "2026-11-23T17:00:00Z", "America/New_York", policy);
    expect(d).toEqual({
      at: "2026-11-26T17:00:00Z",
      zone: "America/New_York",
      local: "2026-11-26T12:00:00-05:00",
      basis: "BOD 26-04 (In KEV, exposed, automatable, total impact): 3 days from handoff",
    });
  });

  it("ends a KEV due date in New York and shows it in the owner's zone", () => {
    const catalog = readFileSync(
      path.resolve("../shared/corpus/kev/known_exploited_vulnerabilities.json"),
      "utf8",
    );
    const kev = JSON.parse(catalog).vulnerabilities as { cveID: string; dueDate: string }[];
    const git = kev.find((v) => v.cveID === "CVE-2025-48384");
    expect(git?.dueDate).toBe("2025-09-15");
    const p22 = builtInPolicy("bod-22-01");
    const rule = deadlineRule(p22, {
      lane: "patch-now",
      criticality: "medium",
      inKev: true,
      kevDueDate: git!.dueDate,
      exposed: false,
    });
    const d = computeDeadline(rule!, "2025-08-26T09:00:00Z", "Europe/Amsterdam", p22);
    expect(d?.at).toBe("2025-09-16T03:59:59Z");
    expect(d?.local).toBe("2025-09-16T05:59:59+02:00");
    expect(d?.basis).toBe("BOD 22-01: KEV due date 2025-09-15, end of day America/New_York");
  });

  it("returns null for fix on system upgrade", () => {
    const rule = deadlineRule(policy, {
      lane: "patch-now",
      criticality: "low",
      inKev: false,
      exposed: false,
      automatable: "no",
      technicalImpact: "partial",
    });
    expect(rule?.onUpgrade).toBe(true);
    expect(computeDeadline(rule!, "2026-11-23T17:00:00Z", "UTC", policy)).toBeNull();
  });

  it("uses the end of the next maintenance window for a window rule", () => {
    const rule = { band: "next maintenance window", forensics: false, onUpgrade: false };
    const d = computeDeadline(rule, "2026-11-25T15:00:00Z", "America/New_York", policy);
    expect(d?.at).toBe("2026-11-28T11:00:00Z");
    expect(d?.local).toBe("2026-11-28T06:00:00-05:00");
    expect(d?.basis).toBe("End of the next maintenance window (sat 02:00 for 4 hours, America/New_York)");
    const sunday = computeDeadline(
      rule,
      "2026-11-25T15:00:00Z",
      "America/New_York",
      policy,
      window(["sun"], "01:00"),
    );
    expect(sunday?.at).toBe("2026-11-29T10:00:00Z");
  });

  it("takes the earlier of a duration and a due date", () => {
    const fed = builtInPolicy("fedramp");
    const rule = deadlineRule(fed, {
      lane: "patch-now",
      criticality: "high",
      inKev: true,
      kevDueDate: "2025-09-15",
      exposed: true,
      cvssScore: 8.1,
    });
    const early = computeDeadline(rule!, "2025-08-25T12:00:00Z", "UTC", fed);
    expect(early?.at).toBe("2025-09-16T03:59:59Z");
    expect(early?.basis).toBe(
      "FedRAMP high (CVSS 8.1): capped by KEV due date 2025-09-15, end of day America/New_York",
    );
    const late = computeDeadline(rule!, "2025-08-01T12:00:00Z", "UTC", fed);
    expect(late?.at).toBe("2025-08-31T12:00:00Z");
    expect(late?.basis).toBe("FedRAMP high (CVSS 8.1): 30 days from handoff");
  });
});
