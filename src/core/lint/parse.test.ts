import { describe, expect, it } from "vitest";
import { patchNowItem, validateItem } from "../render/fixtures.js";
import { renderHandoff } from "../render/index.js";
import { flattenJson, parseHandoff } from "./parse.js";

describe("parseHandoff: headings", () => {
  it("accepts headings in any case, with or without #, bold or a trailing colon", () => {
    const doc = parseHandoff(
      [
        "Patch owner handoff — CVE-2024-3400",
        "## ACTION REQUESTED:",
        "Patch the gateways.",
        "why this matters",
        "Listed in KEV.",
        "**Owners**",
        "Dana Ruiz executes.",
        "1. Scope",
        "fw-edge-01",
        "### Deadline Or Window:",
        "2024-04-19 17:00 UTC",
      ].join("\n"),
    );
    expect(doc.title).toBe("Patch owner handoff — CVE-2024-3400");
    expect(doc.format).toBe("markdown");
    expect(doc.sections).toMatchObject({
      action: "Patch the gateways.",
      why: "Listed in KEV.",
      owners: "Dana Ruiz executes.",
      scope: "fw-edge-01",
      deadline: "2024-04-19 17:00 UTC",
    });
  });

  it("reads plain text headings underlined with dashes", () => {
    const doc = parseHandoff("Title\n=====\n\nCHANGE NOTES\n------------\nRollback: restore the snapshot\n");
    expect(doc.format).toBe("text");
    expect(doc.sections.change).toBe("Rollback: restore the snapshot");
  });

  it("splits the seed's one-line template form into sections", () => {
    const doc = parseHandoff(
      "Patch owner handoff - CVE-2024-3400 Action requested: patch now. Scope: fw-edge-01. Why this matters: KEV. " +
        "Fix or workaround: 11.1.2-h3. Deadline or window: 2024-04-19 17:00 UTC. Caveats: none.",
    );
    expect(doc.title).toBe("Patch owner handoff - CVE-2024-3400");
    expect(doc.sections).toMatchObject({
      action: "patch now.",
      scope: "fw-edge-01.",
      why: "KEV.",
      fix: "11.1.2-h3.",
      deadline: "2024-04-19 17:00 UTC.",
      caveats: "none.",
    });
  });

  it("does not start a section at a one-word name in the middle of a sentence", () => {
    const doc = parseHandoff("Action requested: agree the scope: both gateways, then patch.");
    expect(doc.sections.scope).toBeUndefined();
    expect(doc.sections.action).toBe("agree the scope: both gateways, then patch.");
  });

  it("detects the kind from the title", () => {
    expect(parseHandoff("Validation request — CVE-2023-34362\nScope: mft-01").kind).toBe(
      "validation-request",
    );
    expect(parseHandoff("Status update — CVE-2024-3400\nOwners: Dana").kind).toBe("update");
    expect(parseHandoff("Patch owner handoff — CVE-2024-3400").kind).toBe("handoff");
  });

  it("reads the missing-information table of a rendered validation request with its supplier column", () => {
    const doc = parseHandoff(renderHandoff(validateItem(), "md"));
    expect(doc.kind).toBe("validation-request");
    expect(doc.missing?.map((m) => [m.label, m.supplier])).toEqual([
      ["Fixed version", "System owner — File Transfer Operations (Aiko Tanaka)"],
      ["Testing expectations", "System owner — File Transfer Operations (Aiko Tanaka)"],
      ["Rollback path", "System owner — File Transfer Operations (Aiko Tanaka)"],
      ["Deadline", "Service owner — Hannah Brooks"],
    ]);
  });
});

describe("parseHandoff: JSON", () => {
  it("maps the document's keys to sections and reads the kind and lane", () => {
    const doc = parseHandoff(renderHandoff(patchNowItem(), "json"));
    expect(doc.format).toBe("json");
    expect(doc.kind).toBe("handoff");
    expect(doc.lane).toBe("patch-now");
    expect(doc.missingKeys).toEqual([]);
    expect(doc.sections.owners?.split("\n")).toContain(
      "system owner: Network Engineering (Dana Ruiz) netops@example.com America/New_York",
    );
    expect(doc.sections.change?.split("\n")).toContain(
      "rollback: Boot the previous PAN-OS image kept on each node (about 15 minutes per node)",
    );
  });

  it("lists the schema keys a patchline document lacks", () => {
    const json = JSON.parse(renderHandoff(patchNowItem(), "json")) as Record<string, unknown>;
    delete json.owners;
    delete json.cadence;
    expect(parseHandoff(JSON.stringify(json)).missingKeys).toEqual(["owners", "cadence"]);
  });

  it("treats JSON that is not an object as text", () => {
    expect(parseHandoff('["Patch ASAP"]').format).toBe("text");
  });

  it("flattens values into labelled lines, with an empty value for null", () => {
    expect(flattenJson({ change: { maintenanceWindow: null, testing: "lab first" } })).toEqual([
      "change maintenance window: null",
      "change testing: lab first",
    ]);
    expect(flattenJson({ owner: { name: "Dana Ruiz", contact: "d@example.com", duty: "executes" } })).toEqual(
      ["owner: Dana Ruiz d@example.com"],
    );
  });
});
