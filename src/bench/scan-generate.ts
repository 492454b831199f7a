/**
 * Synthetic scanner reports at estate size: one Trivy JSON report (SchemaVersion 2) per container
 * image of the bench estate, each with `perReport` vulnerabilities (about 1 KB each, as real reports
 * run), and one large Nessus (.nessus) file. Deterministic, so runs compare.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];
const DESCRIPTION =
  "A flaw was found in the way the library parses crafted input. A remote attacker could use this flaw to " +
  "cause a denial of service or possibly execute arbitrary code with the privileges of the process that " +
  "uses the library. The issue is fixed upstream; distributions ship the fix in their security updates. ";

function cveId(i: number): string {
  return `CVE-${2015 + (i % 11)}-${String(10000 + i).padStart(5, "0")}`;
}

/** The bench estate's image for asset n (see generate.ts: identifiers registry.example/app-n). */
export function imageOf(n: number): string {
  return `registry.example/app-${n}:1.${n % 7}`;
}

export function trivyReport(n: number, perReport: number, createdAt: string): string {
  const vulns = [];
  for (let v = 0; v < perReport; v++) {
    // Spread over the bench's CVE ids (the first 1,500 are in its KEV catalog) and 200 packages.
    const cve = cveId((n * 37 + v * 101) % 20_000);
    const pkg = `lib${(n + v * 7) % 200}`;
    const minor = (n + v) % 9;
    vulns.push({
      VulnerabilityID: cve,
      PkgID: `${pkg}@1.${minor}.0-1`,
      PkgName: pkg,
      PkgIdentifier: { PURL: `pkg:deb/debian/${pkg}@1.${minor}.0-1?distro=debian-12` },
      InstalledVersion: `1.${minor}.0-1`,
      FixedVersion: `1.${minor}.0-2`,
      Status: "fixed",
      Layer: { DiffID: "sha256:9a3b1c2d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5" },
      SeveritySource: "nvd",
      PrimaryURL: `https://avd.aquasec.com/nvd/${cve.toLowerCase()}`,
      Title: `${pkg}: crafted input may lead to memory corruption`,
      Description: DESCRIPTION,
      Severity: SEVERITIES[(n + v) % 4],
      CweIDs: ["CWE-787"],
      CVSS: { nvd: { V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", V3Score: 9.8 } },
      References: [
        `https://security-tracker.debian.org/tracker/${cve}`,
        `https://nvd.nist.gov/vuln/detail/${cve}`,
      ],
      PublishedDate: "2024-03-01T15:15:00Z",
      LastModifiedDate: "2024-06-10T12:00:00Z",
    });
  }
  return JSON.stringify({
    SchemaVersion: 2,
    CreatedAt: createdAt,
    ArtifactName: imageOf(n),
    ArtifactType: "container_image",
    Metadata: {
      OS: { Family: "debian", Name: "12.5" },
      ImageID: `sha256:${(n * 2654435761).toString(16).padStart(64, "0").slice(-64)}`,
      RepoTags: [imageOf(n)],
    },
    Results: [
      {
        Target: `${imageOf(n)} (debian 12.5)`,
        Class: "os-pkgs",
        Type: "debian",
        Vulnerabilities: vulns,
      },
    ],
  });
}

/** Writes `reports` Trivy reports into dir/folder; returns their paths and total bytes. */
export async function generateTrivy(
  dir: string,
  reports: number,
  perReport: number,
  createdAt = "2026-11-20T06:00:00Z",
  folder = "trivy",
): Promise<{ files: string[]; bytes: number }> {
  const out = join(dir, folder);
  await mkdir(out, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  for (let n = 0; n < reports; n++) {
    const file = join(out, `app-${String(n).padStart(5, "0")}.json`);
    const text = trivyReport(n, perReport, createdAt);
    bytes += Buffer.byteLength(text);
    await writeFile(file, text);
    files.push(file);
  }
  return { files, bytes };
}

/** Writes a NessusClientData_v2 file of about `megabytes` MB: hosts with 100 report items each. */
export async function generateNessus(
  file: string,
  megabytes: number,
): Promise<{ hosts: number; bytes: number }> {
  const stream = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, "drain");
  };
  await write(
    '<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Policy><policyName>Full audit</policyName></Policy>\n',
  );
  await write('<Report name="Weekly estate scan" xmlns:cm="http://www.nessus.org/cm">\n');
  let hosts = 0;
  while (bytes < megabytes * 1024 * 1024) {
    const ip = `10.${(hosts >> 16) & 255}.${(hosts >> 8) & 255}.${hosts & 255}`;
    let host = `<ReportHost name="${ip}"><HostProperties>\n<tag name="HOST_END">Fri Nov 20 06:${String(hosts % 60).padStart(2, "0")}:00 2026</tag>\n<tag name="host-ip">${ip}</tag>\n<tag name="host-fqdn">host-${hosts}.example.com</tag>\n<tag name="operating-system">Linux Kernel 6.1</tag>\n</HostProperties>\n`;
    for (let i = 0; i < 100; i++) {
      const plugin = 150000 + ((hosts * 13 + i * 7) % 5000);
      const cve = cveId((hosts * 31 + i * 17) % 20_000);
      host += `<ReportItem port="${i % 3 === 0 ? 443 : 22}" svc_name="www" protocol="tcp" severity="${1 + (i % 4)}" pluginID="${plugin}" pluginName="Package update for ${cve}" pluginFamily="Misc.">\n<risk_factor>High</risk_factor>\n<cve>${cve}</cve>\n<cvss3_base_score>8.1</cvss3_base_score>\n<cvss3_vector>CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H</cvss3_vector>\n<synopsis>The remote host is missing a security update.</synopsis>\n<solution>Update the affected packages.</solution>\n<plugin_output>\n  Installed package : libx-1.${i % 9}.0-1\n  Fixed package     : libx-1.${i % 9}.0-2\n</plugin_output>\n</ReportItem>\n`;
    }
    host += "</ReportHost>\n";
    await write(host);
    hosts++;
  }
  await write("</Report>\n</NessusClientData_v2>\n");
  stream.end();
  await once(stream, "finish");
  return { hosts, bytes };
}
