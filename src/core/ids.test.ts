import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { workItemId } from "./ids.js";

describe("workItemId", () => {
  it("is WI- plus the first 10 hex characters of sha256(advisory|group|owner)", () => {
    const hex = createHash("sha256").update("CVE-2024-3400|edge-fw|net").digest("hex");
    expect(workItemId("CVE-2024-3400", "edge-fw", "net")).toBe(`WI-${hex.slice(0, 10)}`);
    expect(workItemId("CVE-2024-3400", "edge-fw", "net")).toMatch(/^WI-[0-9a-f]{10}$/);
  });
  it("differs per group and owner", () => {
    const a = workItemId("CVE-2024-3400", "edge-fw", "net");
    expect(workItemId("CVE-2024-3400", "edge-fw", "ops")).not.toBe(a);
    expect(workItemId("CVE-2024-3400", "dmz-fw", "net")).not.toBe(a);
  });
});
