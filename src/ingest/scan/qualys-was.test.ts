import { describe, expect, it } from "vitest";
import { looksLikeQualysWas, parseQualysWas } from "./qualys-was.js";
import {
  claimedCorpusFiles,
  corpusInput,
  corpusText,
  rejection,
  scanOf,
  scratchDir,
} from "./testing/fixtures.js";

const tmp = scratchDir("qualys-was");

describe("parseQualysWas on the corpus", () => {
  it("reads the WAS scan report: findings per QID and URL on the web application", async () => {
    const report = scanOf(await parseQualysWas(corpusInput("qualys/qualys_webapp_many_vuln.xml")));
    expect(report.scanner).toBe("qualys-was");
    expect(report.scannerVersion).toBe("7.6.34-1");
    expect(report.reportTime).toBe("2020-03-11T17:07:00Z"); // 11 Mar 2020 01:07PM GMT-0400
    expect(report.scope).toBe("Initial WAS Options");
    expect(report.assets).toEqual([
      { key: "url:https://store.example.com/", url: "https://store.example.com/", os: "NetScaler" },
    ]);
    expect(report.findings.map((f) => [f.vulnId, f.locations, f.severity, f.statusDetail ?? null])).toEqual([
      ["qualys:150004", ["https://store.example.com/js/xdr/core/lang/xdr_en.json.gz"], "low", null],
      [
        "qualys:150085",
        ["https://store.example.com/logon/themes/Default/resources/config.xml"],
        "medium",
        "potential",
      ],
      ["qualys:150246", ["https://store.example.com/logon/themes/Default/resources/config.xml"], "low", null],
      ["qualys:150246", ["https://store.example.com/index.html"], "low", null],
    ]);
    expect(report.duplicates).toBe(0);
    expect(report.findings[0]).toMatchObject({
      asset: "url:https://store.example.com/",
      plugin: "150004",
      title: "Path-Based Vulnerability",
      cvss: [{ version: "2.0", baseScore: 2.1, source: "qualys" }],
      status: "affected",
    });
    expect(report.other).toHaveLength(18);
    expect(
      report.other.every((o) => o.kind === "informational" && o.asset === "url:https://store.example.com/"),
    ).toBe(true);
    expect(report.other.find((o) => o.id === "150135")?.title).toBe(
      "HTTP Strict Transport Security (HSTS) header missing/misconfigured.",
    );
  });
});

const WAS = (results: string, glossary: string, webapps: string) => `<?xml version='1.0' encoding='UTF-8'?>
<WAS_SCAN_REPORT>
  <HEADER><GENERATION_DATETIME>02 Apr 2024 09:00AM GMT+0000</GENERATION_DATETIME></HEADER>
  <TARGET><SCAN>Shop scan</SCAN></TARGET>
  <RESULTS>${results}</RESULTS>
  <GLOSSARY><QID_LIST>${glossary}</QID_LIST></GLOSSARY>
  <APPENDIX>${webapps}</APPENDIX>
</WAS_SCAN_REPORT>
`;

describe("parseQualysWas rules", () => {
  it("tells web applications apart by URL, keys findings by parameter, keeps sensitive content apart", async () => {
    const xml = WAS(
      `<VULNERABILITY_LIST>
        <VULNERABILITY><QID>150001</QID><URL>https://shop.example.com/search</URL><PARAM>q</PARAM><STATUS>NEW</STATUS></VULNERABILITY>
        <VULNERABILITY><QID>150001</QID><URL>https://shop.example.com/search</URL><PARAM>page</PARAM><STATUS>FIXED</STATUS></VULNERABILITY>
        <VULNERABILITY><QID>150001</QID><URL>https://shop.example.com/search</URL><PARAM>q</PARAM></VULNERABILITY>
        <VULNERABILITY><QID>150123</QID><URL>https://admin.example.com/login</URL><IGNORED>true</IGNORED></VULNERABILITY>
      </VULNERABILITY_LIST>
      <SENSITIVE_CONTENT_LIST>
        <SENSITIVE_CONTENT><QID>150022</QID><URL>https://shop.example.com/order</URL></SENSITIVE_CONTENT>
      </SENSITIVE_CONTENT_LIST>`,
      `<QID><QID>150001</QID><CATEGORY>Confirmed Vulnerability</CATEGORY><SEVERITY>5</SEVERITY><TITLE>Reflected XSS</TITLE><CVE_ID>CVE-2024-1111</CVE_ID></QID>
       <QID><QID>150123</QID><CATEGORY>Confirmed Vulnerability</CATEGORY><SEVERITY>4</SEVERITY><TITLE>Weak login</TITLE><CVSS_V3><BASE>7.5</BASE></CVSS_V3></QID>
       <QID><QID>150022</QID><CATEGORY>Sensitive Content</CATEGORY><SEVERITY>3</SEVERITY><TITLE>Credit card number</TITLE></QID>`,
      `<WEBAPP><URL>https://shop.example.com/</URL></WEBAPP><WEBAPP><URL>https://admin.example.com/</URL></WEBAPP>`,
    );
    const report = scanOf(await parseQualysWas(tmp("was.xml", xml)));
    expect(report.scope).toBe("Shop scan");
    expect(report.reportTime).toBe("2024-04-02T09:00:00Z");
    expect(report.assets.map((a) => a.key)).toEqual([
      "url:https://shop.example.com/",
      "url:https://admin.example.com/",
    ]);
    expect(report.findings.map((f) => [f.asset, f.vulnId, f.port, f.status, f.statusDetail ?? null])).toEqual(
      [
        [
          "url:https://shop.example.com/",
          "CVE-2024-1111",
          "https://shop.example.com/search [q]",
          "affected",
          "NEW",
        ],
        [
          "url:https://shop.example.com/",
          "CVE-2024-1111",
          "https://shop.example.com/search [page]",
          "resolved",
          "FIXED",
        ],
        [
          "url:https://admin.example.com/",
          "qualys:150123",
          "https://admin.example.com/login",
          "affected",
          "ignored",
        ],
      ],
    );
    expect(report.duplicates).toBe(1);
    expect(report.findings[0]).toMatchObject({
      aliases: ["qualys:150001"],
      plugin: "150001",
      severity: "critical",
    });
    expect(report.findings[2]!.cvss).toEqual([{ version: "3.0", baseScore: 7.5, source: "qualys" }]);
    expect(report.other).toEqual([
      {
        kind: "secret",
        asset: "url:https://shop.example.com/",
        id: "150022",
        title: "Credit card number",
        severity: "medium",
        location: "https://shop.example.com/order",
      },
    ]);
  });

  it("falls back to the URL's origin when the report names no web application", async () => {
    const xml = WAS(
      "<VULNERABILITY_LIST><VULNERABILITY><QID>150001</QID><URL>https://x.example.com/a?b=1</URL></VULNERABILITY></VULNERABILITY_LIST>",
      "",
      "",
    );
    const report = scanOf(await parseQualysWas(tmp("noapp.xml", xml)));
    expect(report.assets).toEqual([{ key: "url:https://x.example.com/", url: "https://x.example.com/" }]);
    expect(report.findings[0]).toMatchObject({ vulnId: "qualys:150001", severity: "unknown" });
  });
});

describe("parseQualysWas refuses broken input", () => {
  it("a truncated file is a PARSE_ERROR naming the file and line", async () => {
    const text = corpusText("qualys/qualys_webapp_many_vuln.xml");
    const cut = text.slice(0, text.indexOf("<GLOSSARY>") + 5);
    const error = await rejection(parseQualysWas(tmp("truncated.xml", cut)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.place.file).toBe("truncated.xml");
    expect(error.place.line).toBe(cut.split("\n").length);
  });

  it("a vulnerability without a QID is a VALIDATION_ERROR naming its line", async () => {
    const xml = WAS(
      "<VULNERABILITY_LIST>\n<VULNERABILITY><URL>https://x/</URL></VULNERABILITY></VULNERABILITY_LIST>",
      "",
      "",
    );
    const error = await rejection(parseQualysWas(tmp("noqid.xml", xml)));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.place.line).toBe(6);
    expect(error.message).toBe("<VULNERABILITY> without a numeric <QID>");
  });

  it("another Qualys report is a VALIDATION_ERROR", async () => {
    const error = await rejection(parseQualysWas(corpusInput("qualys/qualys_infrascan_webgui_multiple.xml")));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("unexpected root element <SCAN>");
  });
});

describe("looksLikeQualysWas", () => {
  it("claims exactly the WAS report of the corpus", async () => {
    expect(await claimedCorpusFiles(looksLikeQualysWas)).toEqual(["qualys/qualys_webapp_many_vuln.xml"]);
  });
});
