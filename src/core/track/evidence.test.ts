import { describe, expect, it } from "vitest";
import { basePolicy } from "../policy/defaults.js";
import { parsePolicy } from "../policy/load.js";
import { closureGroups, describeGroups, describeRecorded, missingEvidence } from "./evidence.js";

describe("closure evidence", () => {
  const policy = basePolicy();

  it("defaults per lane, with the patch-now groups for lanes that have none", () => {
    expect(closureGroups(policy, "patch-now")).toEqual([
      ["version-proof"],
      ["deployment-record", "change-ticket"],
      ["scan", "inventory"],
    ]);
    expect(closureGroups(policy, "mitigate")).toEqual([["attestation"], ["scan", "inventory"]]);
    expect(closureGroups(policy, "validate")).toEqual([["inventory", "version-proof", "attestation"]]);
    expect(closureGroups(policy, "blocked")).toEqual(closureGroups(policy, "patch-now"));
  });

  it("a group is met by any one of its kinds", () => {
    const groups = closureGroups(policy, "patch-now");
    const missing = missingEvidence(groups, [{ kind: "change-ticket" }, { kind: "screenshot" }]);
    expect(missing).toEqual([["version-proof"], ["scan", "inventory"]]);
    expect(describeGroups(missing)).toBe("version-proof, scan or inventory");
    expect(describeRecorded([{ kind: "scan" }, { kind: "scan" }, { kind: "inventory" }])).toBe(
      "scan, inventory",
    );
    expect(describeRecorded([])).toBe("none");
  });

  it("policy files may set closureRequires; unknown kinds are errors naming the key", () => {
    const ok = parsePolicy(
      "closureRequires:\n  patch-now:\n    - [version-proof]\n    - [scan, screenshot]\n",
    );
    expect(ok.errors).toEqual([]);
    expect(ok.config.closureRequires["patch-now"]).toEqual([["version-proof"], ["scan", "screenshot"]]);
    expect(ok.config.closureRequires.mitigate).toEqual([["attestation"], ["scan", "inventory"]]);

    const bad = parsePolicy("closureRequires:\n  patch-now:\n    - [version-proof]\n    - [selfie]\n");
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatch(
      /^closureRequires\.patch-now\[1\]\[0\]: expected one of version-proof, .*got 'selfie'$/,
    );
    const empty = parsePolicy("closureRequires:\n  mitigate:\n    - []\n");
    expect(empty.errors[0]).toBe(
      "closureRequires.mitigate[0]: expected at least one evidence kind in each group",
    );
  });
});
