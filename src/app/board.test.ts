import { describe, expect, it } from "vitest";
import { patchNowItem, validateItem } from "../core/render/fixtures.js";
import { boardRow, boardText, laneCounts } from "./board.js";

describe("the board", () => {
  const now = "2024-04-15T00:00:00Z";

  it("counts every lane, zero included", () => {
    const counts = laneCounts([patchNowItem(), validateItem()]);
    expect(counts["patch-now"]).toBe(1);
    expect(counts.validate).toBe(1);
    expect(counts.closure).toBe(0);
    expect(Object.keys(counts)).toHaveLength(7);
  });

  it("shows the SSVC outcome beside the rule, and missing fields grouped with their suppliers", () => {
    const text = boardText([patchNowItem(), validateItem()], now, "built-in bod-26-04");
    expect(text).toMatch(/patch-now\s+1\n/);
    const ssvc = patchNowItem().decision.ssvc?.outcome;
    expect(ssvc).toBeDefined();
    expect(text).toContain(`SSVC ${ssvc}`);
    const validate = validateItem();
    for (const m of validate.missing) expect(text).toContain(m.field);
  });

  it("gives each JSON row the documented fields, with the deadline in the owner's offset", () => {
    const item = patchNowItem();
    const row = boardRow(item, now);
    expect(row).toMatchObject({
      id: item.id,
      advisory: item.advisory.id,
      assetGroup: item.assetGroup,
      lane: "patch-now",
    });
    expect(row.deadline).toBe(item.deadline?.local);
    expect(row.zone).toBe(item.deadline?.zone);
    expect(row.triggers.length).toBeGreaterThan(0);
    expect(row.triggers.every((t) => typeof t === "string")).toBe(true);
  });
});
