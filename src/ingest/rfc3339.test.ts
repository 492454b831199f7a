import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { rfc3339ToUtc } from "./rfc3339.js";

function temporal(text: string): string | undefined {
  try {
    return Temporal.Instant.from(text).toString();
  } catch {
    return undefined;
  }
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

describe("rfc3339ToUtc", () => {
  it("reads UTC and offset date-times as Temporal does", () => {
    expect(rfc3339ToUtc("2026-11-20T06:00:00Z")).toBe("2026-11-20T06:00:00Z");
    expect(rfc3339ToUtc("2024-06-18T09:40:58.513479385+02:00")).toBe("2024-06-18T07:40:58.513479385Z");
    expect(rfc3339ToUtc("2024-06-18T09:40:58.500000000Z")).toBe("2024-06-18T09:40:58.5Z");
    expect(rfc3339ToUtc("2024-01-01T00:30:00.000+01:00")).toBe("2023-12-31T23:30:00Z");
    expect(rfc3339ToUtc("2024-02-28T23:00:00-05:30")).toBe("2024-02-29T04:30:00Z");
    expect(rfc3339ToUtc("2023-02-28T23:00:00-05:30")).toBe("2023-03-01T04:30:00Z");
  });

  it("leaves everything else to the general reader", () => {
    for (const text of [
      "2023-02-29T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2016-12-31T23:59:60Z",
      "2024-01-01T24:00:00Z",
      "2024-01-01T00:00:00+0200",
      "2024-01-01t00:00:00z",
      "2024-01-01 00:00:00Z",
      "2024-01-01T00:00:00",
      "2024-01-01",
      "0000-01-01T00:30:00+01:00",
      " 2024-01-01T00:00:00Z",
    ]) {
      expect(rfc3339ToUtc(text), text).toBeUndefined();
    }
  });

  it("agrees with Temporal on thousands of generated date-times", () => {
    const next = random(42);
    const pick = (n: number) => Math.floor(next() * n);
    const two = (n: number) => String(n).padStart(2, "0");
    let read = 0;
    for (let i = 0; i < 5000; i++) {
      const year = [1, 999, 1000, 1970, 2000, 2024, 2100, 9999][pick(8)] as number;
      const date = `${String(year).padStart(4, "0")}-${two(pick(13) + 1)}-${two(pick(32))}`;
      const time = `${two(pick(25))}:${two(pick(61))}:${two(pick(62))}`;
      const fraction = ["", ".0", ".5", ".120", ".000000001", ".123456789", ".1000"][pick(7)];
      const zone = ["Z", "+00:00", "-00:00", "+02:00", "-05:30", "+14:00", "-12:45", "+23:59", "+24:00"][
        pick(9)
      ];
      const text = `${date}T${time}${fraction}${zone}`;
      const fast = rfc3339ToUtc(text);
      if (fast === undefined) continue;
      read++;
      expect(fast, text).toBe(temporal(text));
    }
    expect(read).toBeGreaterThan(1000);
  });
});
