import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { looksLikeOpenvasXml, parseOpenvasXml } from "./openvas-xml.js";
import {
  claimedCorpusFiles,
  corpusInput,
  corpusText,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmp = scratchDir("openvas-xml");
const FIREFOX = "1.3.6.1.4.1.25623.1.0.832260";
const KB5062557 = "1.3.6.1.4.1.25623.1.0.836484";

describe("parseOpenvasXml on the corpus", () => {
  it("reads the one-line GVM 9 report: one result naming 12 CVEs", async () => {
    const report = scanOf(await parseOpenvasXml(corpusInput("openvas/one_vuln.xml")));
    expect(report.scanner).toBe("openvas");
    expect(report.scannerVersion).toBe("9.0");
    expect(report.reportTime).toBe("2023-09-28T14:48:02Z");
    expect(report.scope).toBe("dc01-testlab-scan");
    expect(report.assets).toEqual([{ key: "ip:10.0.101.2", ip: "10.0.101.2" }]);
    expect(report.findings.map((f) => f.vulnId)).toEqual([
      "CVE-2023-4573",
      "CVE-2023-4574",
      "CVE-2023-4575",
      "CVE-2023-4576",
      "CVE-2023-4577",
      "CVE-2023-4578",
      "CVE-2023-4579",
      "CVE-2023-4580",
      "CVE-2023-4581",
      "CVE-2023-4585",
      "CVE-2023-4583",
      "CVE-2023-4584",
    ]);
    expect(report.other).toEqual([]);
    expect(report.duplicates).toBe(0);
    const first = report.findings[0]!;
    expect(first).toMatchObject({
      asset: "ip:10.0.101.2",
      aliases: [`openvas:${FIREFOX}`],
      plugin: FIREFOX,
      title: "Mozilla Firefox Security Update (mfsa_2023-32_2023-36) - Windows",
      severity: "critical",
      // cvss_base without a vector in a GMP 9 report is CVSS 2.0.
      cvss: [{ version: "2.0", baseScore: 10, source: "openvas" }],
      fixedVersions: ["117"],
      locations: ["C:\\Program Files\\Mozilla Firefox"],
      status: "fixed",
    });
    // general/tcp is not a port.
    expect(first.port).toBeUndefined();
  });

  it("reads the GVM 22 layout: severities vector, EPSS per CVE, hostname from the result", async () => {
    const report = scanOf(await parseOpenvasXml(corpusInput("openvas/report_detail_v2.xml")));
    expect(report.scannerVersion).toBe("22.6");
    expect(report.reportTime).toBe("2025-08-22T13:01:38Z"); // 15:01:38+02:00
    expect(report.scope).toBe("Report");
    expect(report.assets).toEqual([{ key: "host:server99", ip: "10.99.99.99", hostname: "server99" }]);
    expect(report.findings).toHaveLength(93);
    const byId = new Map(report.findings.map((f) => [f.vulnId, f]));
    expect(byId.get("CVE-2025-49659")).toMatchObject({
      asset: "host:server99",
      port: "42/tcp",
      plugin: KB5062557,
      aliases: [`openvas:${KB5062557}`],
      severity: "critical",
      cvss: [
        {
          version: "3.1",
          baseScore: 9.8,
          vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
          source: "openvas",
        },
      ],
      locations: ["C:\\Windows\\system32\\Ntoskrnl.exe"],
      fixedVersions: [],
      status: "affected",
    });
    expect(byId.get("CVE-2025-49659")!.epss).toBeUndefined();
    expect(byId.get("CVE-2025-47981")!.epss).toEqual({ score: 0.00143, percentile: 0.35177 });
    expect(byId.get("CVE-2025-49716")!.epss).toEqual({ score: 0.09023, percentile: 0.92284 });
    expect(byId.has("CVE-2025-53789")).toBe(true);
  });

  it("reads the 44-result report into 76 findings on one host", async () => {
    const report = scanOf(await parseOpenvasXml(corpusInput("openvas/many_vuln.xml")));
    expect(report.reportTime).toBe("2023-09-26T10:50:34Z");
    expect(report.scope).toBe("metasploitable2-scan");
    expect(report.assets).toEqual([
      { key: "host:b6b9f466d63", ip: "192.168.1.1001", hostname: "b6b9f466d63" },
    ]);
    expect(report.findings).toHaveLength(76);
    expect(report.duplicates).toBe(0);
    expect(report.other).toEqual([]);
    const find = (vulnId: string, port?: string) =>
      report.findings.filter((f) => f.vulnId === vulnId && (port === undefined || f.port === port));
    // The same CVE from the same NVT on two ports: two findings.
    expect(find("CVE-2016-7144").map((f) => f.port)).toEqual(["6667/tcp", "6697/tcp"]);
    expect(find("CVE-2016-7144")[0]).toMatchObject({
      plugin: "1.3.6.1.4.1.25623.1.0.809883",
      severity: "high",
    });
    // A backdoor NVT naming no CVE.
    expect(find("openvas:1.3.6.1.4.1.25623.1.0.103549")).toMatchObject([
      { port: "1524/tcp", severity: "critical", title: "Possible Backdoor: Ingreslock", aliases: [] },
    ]);
    // OS end-of-life on general/tcp: no port.
    expect(find("openvas:1.3.6.1.4.1.25623.1.0.103674")[0]!.port).toBeUndefined();
    // "Fixed version: 4.2.4" in the result text.
    expect(find("CVE-2008-5305", "80/tcp")).toMatchObject([
      { plugin: "1.3.6.1.4.1.25623.1.0.800320", fixedVersions: ["4.2.4"], status: "fixed" },
    ]);
    // Two results with an empty threat rate by their 4.0 severity.
    expect(find("openvas:1.3.6.1.4.1.25623.1.0.105880")).toMatchObject([
      { port: "5432/tcp", severity: "medium" },
    ]);
    expect(report.findings.filter((f) => f.severity === "critical")).toHaveLength(9);
  });
});

const REPORT = (results: string, hosts = "", prologue = "") => `<?xml version="1.0" encoding="UTF-8"?>
${prologue}<report id="r1" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5" content_type="text/xml">
  <name>n</name>
  <creation_time>2024-05-01T10:00:00Z</creation_time>
  <task id="t"><name>Weekly DMZ</name></task>
  <report id="r1">
    <gmp><version>22.4</version></gmp>
    <scan_run_status>Done</scan_run_status>
    <scan_start>2024-05-01T08:00:00+02:00</scan_start>
    <results start="1" max="-1">${results}
    </results>${hosts}
    <scan_end>2024-05-01T09:00:00+02:00</scan_end>
  </report>
</report>
`;

const RESULT = (opts: {
  host?: string;
  hostname?: string;
  port?: string;
  oid?: string;
  threat?: string;
  severity?: string;
  cves?: string[];
  tags?: string;
}) => `
      <result id="x">
        <name>Result name</name>
        <host>${opts.host ?? "10.0.0.5"}<asset asset_id=""/><hostname>${opts.hostname ?? ""}</hostname></host>
        <port>${opts.port ?? "443/tcp"}</port>
        <nvt oid="${opts.oid ?? "1.3.6.1.4.1.25623.1.0.1"}">
          <type>nvt</type>
          <name>NVT title</name>
          <cvss_base>${opts.severity ?? "7.5"}</cvss_base>
          <tags>${opts.tags ?? "cvss_base_vector=AV:N/AC:L/Au:N/C:P/I:P/A:P|summary=s"}</tags>
          <refs>${(opts.cves ?? []).map((c) => `<ref type="cve" id="${c}"/>`).join("")}<ref type="url" id="https://example.com"/></refs>
        </nvt>
        <threat>${opts.threat ?? "High"}</threat>
        <severity>${opts.severity ?? "7.5"}</severity>
        <qod><value>80</value><type>remote_banner</type></qod>
        <description>text</description>
        <detection><result id="d"><details><detail><name>product</name><value>cpe:/a:x:y:1</value></detail></details></result></detection>
        <notes/><overrides><override id="o"><nvt oid="9.9"><name>other</name></nvt><severity>0</severity></override></overrides>
      </result>`;

describe("parseOpenvasXml rules", () => {
  it("keeps Log results apart, registers log-only hosts, merges duplicates and reads host details", async () => {
    const xml = REPORT(
      [
        // The result's virtual host name gives way to the host details' name.
        RESULT({ cves: ["CVE-2024-0001", "cve-2024-0002"], hostname: "www.example.com" }),
        RESULT({ cves: ["CVE-2024-0001", "CVE-2024-0002"] }),
        RESULT({
          host: "10.0.0.6",
          port: "general/tcp",
          threat: "Log",
          severity: "0.0",
          oid: "1.3.6.1.4.1.25623.1.0.2",
        }),
        RESULT({
          port: "general/icmp",
          threat: "False Positive",
          severity: "-1.0",
          oid: "1.3.6.1.4.1.25623.1.0.3",
        }),
      ].join(""),
      `
    <host><ip>10.0.0.5</ip><start>2024-05-01T08:00:00Z</start>
      <detail><name>hostname</name><value>web01.example.com</value><source><name>1.2.3</name></source></detail>
      <detail><name>best_os_txt</name><value>Debian 12</value></detail>
    </host>
    <host><ip>10.0.0.6</ip></host>
    <host><ip>10.0.0.7</ip></host>`,
    );
    const report = scanOf(await parseOpenvasXml(tmp("rules.xml", xml)));
    expect(report.reportTime).toBe("2024-05-01T06:00:00Z");
    expect(report.scope).toBe("Weekly DMZ");
    expect(report.assets).toEqual([
      { key: "host:web01.example.com", ip: "10.0.0.5", hostname: "web01.example.com", os: "Debian 12" },
      { key: "ip:10.0.0.6", ip: "10.0.0.6" },
      { key: "ip:10.0.0.7", ip: "10.0.0.7" },
    ]);
    expect(report.findings.map((f) => [f.vulnId, f.port, f.status])).toEqual([
      ["CVE-2024-0001", "443/tcp", "affected"],
      ["CVE-2024-0002", "443/tcp", "affected"],
      ["openvas:1.3.6.1.4.1.25623.1.0.3", undefined, "not_affected"],
    ]);
    expect(report.duplicates).toBe(2);
    expect(report.findings[0]).toMatchObject({
      asset: "host:web01.example.com",
      severity: "high",
      cvss: [{ version: "2.0", baseScore: 7.5, vector: "AV:N/AC:L/Au:N/C:P/I:P/A:P", source: "openvas" }],
    });
    expect(report.findings[2]!.statusDetail).toBe("false positive");
    expect(report.other).toEqual([
      {
        kind: "informational",
        asset: "ip:10.0.0.6",
        id: "1.3.6.1.4.1.25623.1.0.2",
        title: "NVT title",
        severity: "info",
      },
    ]);
  });

  it("accepts comments and a DOCTYPE before the root, a GMP response wrapper and gzip", async () => {
    const body = REPORT(RESULT({ cves: ["CVE-2024-0001"] }), "", "<!-- exported -->\n<!DOCTYPE report>\n");
    const plain = scanOf(await parseOpenvasXml(tmp("prologue.xml", body)));
    expect(plain.findings.map((f) => f.vulnId)).toEqual(["CVE-2024-0001"]);
    const wrapped = body
      .replace(
        /^<\?xml[^>]*\?>\s*<!--[^>]*>\s*<!DOCTYPE report>\s*/,
        '<get_reports_response status="200" status_text="OK">',
      )
      .concat("</get_reports_response>");
    const viaGmp = scanOf(await parseOpenvasXml(tmp("gmp.xml", wrapped)));
    expect(viaGmp.findings).toEqual(plain.findings);
    const gz = scanOf(await parseOpenvasXml(tmp("report.xml.gz", gzipSync(body))));
    expect(gz).toEqual(plain);
  });

  it("streams a large report", async () => {
    const results: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      results.push(
        RESULT({ host: `10.1.${Math.floor(i / 250)}.${i % 250}`, cves: [`CVE-2024-${1000 + (i % 50)}`] }),
      );
    }
    const input = tmp("large.xml.gz", gzipSync(REPORT(results.join(""))));
    const started = Date.now();
    const report = scanOf(await parseOpenvasXml(input));
    expect(report.findings).toHaveLength(20_000);
    expect(report.assets).toHaveLength(20_000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("parseOpenvasXml refuses broken input", () => {
  it("a truncated file is a PARSE_ERROR naming the file and line", async () => {
    const text = corpusText("openvas/many_vuln.xml");
    const cut = text.slice(0, text.indexOf("<description>", 20_000));
    const error = await rejection(parseOpenvasXml(tmp("truncated.xml", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("truncated.xml");
    expect(error.place.line).toBe(cut.split("\n").length);
    expect(error.oneLine()).toMatch(/^truncated\.xml:\d+:\d+: invalid XML: unclosed tag: /);
  });

  it("mismatched tags are a PARSE_ERROR at their line", async () => {
    const error = await rejection(
      parseOpenvasXml(
        tmp("mismatch.xml", '<report format_id="x">\n<results>\n<result>\n</results>\n</report>\n'),
      ),
    );
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.line).toBe(4);
  });

  it("an empty file is a PARSE_ERROR", async () => {
    const error = await rejection(parseOpenvasXml(tmp("empty.xml", "")));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toBe("the file is empty");
  });

  it("another XML document is a VALIDATION_ERROR", async () => {
    const error = await rejection(parseOpenvasXml(corpusInput("qualys/qualys_infrascan_webgui_3.xml")));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.oneLine()).toBe(
      "corpus/qualys/qualys_infrascan_webgui_3.xml:5 at /SCAN: unexpected root element <SCAN>",
    );
  });

  it("a result without a host or an NVT is a VALIDATION_ERROR naming its line", async () => {
    const noHost = REPORT(RESULT({}).replace("<host>10.0.0.5<asset", "<host><asset"));
    const error = await rejection(parseOpenvasXml(tmp("nohost.xml", noHost)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("result without a <host>");
    expect(error.place.path).toBe("/report/report/results/result");
    expect(error.place.line).toBe(noHost.split("\n").findIndex((l) => l.includes("<result ")) + 1);
    const noOid = REPORT(RESULT({}).replace(/ oid="[^"]*"/, ""));
    expect((await rejection(parseOpenvasXml(tmp("nooid.xml", noOid)))).message).toBe(
      "result without an NVT oid",
    );
  });

  it("a report without results is a VALIDATION_ERROR", async () => {
    const error = await rejection(
      parseOpenvasXml(tmp("noresults.xml", '<report format_id="x"><name>n</name></report>')),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toMatch(/no <results> element/);
  });
});

describe("looksLikeOpenvasXml", () => {
  it("claims exactly the Greenbone XML reports of the corpus", async () => {
    expect(await claimedCorpusFiles(looksLikeOpenvasXml)).toEqual([
      "openvas/many_vuln.xml",
      "openvas/one_vuln.xml",
      "openvas/report_detail_v2.xml",
    ]);
  });

  it("accepts a GMP response and refuses other reports", () => {
    expect(looksLikeOpenvasXml('<get_reports_response status="200"><report id="1">')).toBe(true);
    expect(looksLikeOpenvasXml('<?xml version="1.0"?><report><title>x</title></report>')).toBe(false);
    expect(looksLikeOpenvasXml('<NessusClientData_v2><Report name="x">')).toBe(false);
  });
});
