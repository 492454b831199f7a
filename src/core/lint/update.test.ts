import { describe, expect, it } from "vitest";
import { lintHandoff, updateAudience } from "./lint.js";
import { parseHandoff } from "./parse.js";

const notice = [
  "Service owner notice — CVE-2024-3400 (case CASE-3400)",
  "Impact on the service: 2 VPN gateways behind Remote access VPN.",
  "Answer needed by: Tue 16 Apr 2024 09:00 EDT (America/New_York).",
  "Who to answer: System owner (executes the change): Network Engineering — Dana Ruiz.",
  "Next update due: 2024-04-17 09:00 EDT (America/New_York).",
].join("\n");

const operational = [
  "# Operational update — CVE-2024-3400 (case CASE-3400)",
  "## What is the issue",
  "PAN-OS GlobalProtect command injection.",
  "## Why it is urgent now",
  "Listed in CISA KEV on 2024-04-12.",
  "## Who owns execution",
  "- System owners (execute the change): Network Engineering (Dana Ruiz)",
  "## The deadline",
  "Fri 19 Apr 2024 23:59 EDT (America/New_York)",
  "## What counts as complete",
  "Version proof and a post-patch scan.",
  "## When the next update is due",
  "Tue 16 Apr 2024 09:00 EDT (America/New_York)",
].join("\n");

describe("updates rendered from a case", () => {
  it("reads the audience from the title", () => {
    expect(updateAudience("Operational update — CVE-2024-3400")).toBe("operational");
    expect(updateAudience("Leadership update — CVE-2024-3400")).toBe("leadership");
    expect(updateAudience("Service-owner notice — CVE-2024-3400")).toBe("service-owner");
    expect(updateAudience("Status update — CVE-2024-3400")).toBe("status");
  });

  it("a service-owner notice is an update, checked for owners, answer time and next update", () => {
    expect(lintHandoff(notice)).toEqual({ ok: true, kind: "update", findings: [] });
    const vague = lintHandoff(notice.replace(/Answer needed by: .*/, "Answer needed by: ASAP."));
    expect(vague.findings.map((f) => f.check)).toEqual(["concrete-deadline"]);
  });

  it("the seed's question headings are read as sections", () => {
    const doc = parseHandoff(operational);
    expect(doc.kind).toBe("update");
    expect(doc.sections.why).toBe("Listed in CISA KEV on 2024-04-12.");
    expect(doc.sections.closure).toBe("Version proof and a post-patch scan.");
    expect(doc.sections.next).toBe("Tue 16 Apr 2024 09:00 EDT (America/New_York)");
    expect(lintHandoff(operational)).toEqual({ ok: true, kind: "update", findings: [] });
  });

  it("an operational update must state the trigger and what counts as complete", () => {
    const bare = operational
      .replace("Listed in CISA KEV on 2024-04-12.", "Because security says so.")
      .replace("Version proof and a post-patch scan.", "When it is patched.");
    expect(lintHandoff(bare).findings.map((f) => f.check)).toEqual(["trigger-stated", "closure-defined"]);
  });

  it("a title that names the update wins over a lane quoted in its body", () => {
    const text = "Status update — CVE-2023-34362\nvalidate affected status of the MOVEit hosts\nOwners: Dana";
    expect(parseHandoff(text).kind).toBe("update");
  });
});
