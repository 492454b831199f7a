import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeFindings } from "../store/scan-encode.js";
import { type ReadOptions, readInput } from "./ingest-read.js";

const TRIVY = resolve("../shared/corpus/trivy/alpine-310.json");
const none: ReadOptions = { knownFormat: () => undefined };

function temp(name: string, content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), "pl-read-")), name);
  writeFileSync(file, content);
  return file;
}

describe("readInput", () => {
  it("hashes the bytes it parses and encodes a scanner report for the store", async () => {
    const out = await readInput(TRIVY, "alpine.json", none);
    expect(out.kind).toBe("scan");
    if (out.kind !== "scan") return;
    expect(out.sha256).toBe(createHash("sha256").update(readFileSync(TRIVY)).digest("hex"));
    expect(out.format).toBe("trivy-json");
    expect(out.scan.findings).toBeGreaterThan(0);
    for (const c of out.scan.coverage) {
      const findings = decodeFindings(c.blob);
      expect(findings).toHaveLength(c.findings);
      expect(findings.every((f) => f.asset === c.asset)).toBe(true);
    }
    expect(out.scan.coverage.reduce((n, c) => n + c.findings, 0)).toBe(out.scan.findings);
  });

  it("reads a gzipped report the same way", async () => {
    const zipped = temp("alpine.json.gz", gzipSync(readFileSync(TRIVY)));
    const plain = await readInput(TRIVY, "alpine.json", none);
    const gz = await readInput(zipped, "alpine.json.gz", none);
    expect(gz.kind === "scan" && plain.kind === "scan" && gz.scan.findings === plain.scan.findings).toBe(
      true,
    );
  });

  it("does not parse a report imported before, unless another format is forced", async () => {
    const known = { ...none, knownFormat: () => "trivy-json" };
    expect((await readInput(TRIVY, "a.json", known)).kind).toBe("known");
    expect((await readInput(TRIVY, "a.json", { ...known, format: "trivy-json" })).kind).toBe("known");
    const forced = await readInput(TRIVY, "a.json", { ...known, format: "grype-json" });
    expect(forced.kind).toBe("failed");
  });

  it("leaves other files, and files over maxBytes, to the caller when asked", async () => {
    const inventory = temp(
      "inv.csv",
      "asset_id,name,asset_group,environment,exposure,system_owner\nweb-01,Web 01,web,production,internet,platform\n",
    );
    expect((await readInput(inventory, "inv.csv", { ...none, scansOnly: true })).kind).toBe("elsewhere");
    expect((await readInput(inventory, "inv.csv", none)).kind).toBe("batch");
    expect((await readInput(TRIVY, "a.json", { ...none, maxBytes: 100 })).kind).toBe("elsewhere");
  });

  it("returns problems with the file named, never throws them", async () => {
    const missing = await readInput("/nonexistent/x.json", "x.json", { ...none, blocking: true });
    expect(missing.kind === "failed" && missing.error.oneLine()).toBe("x.json: no such file");
    const broken = await readInput(
      temp("b.json", '{"SchemaVersion": 2, "ArtifactName": "x",\n  "Results": [\n    {"Target": }\n  ]\n}\n'),
      "b.json",
      none,
    );
    expect(broken.kind === "failed" && broken.error.oneLine()).toMatch(/^b\.json:3:\d+: invalid JSON/);
  });
});
