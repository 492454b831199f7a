/**
 * Helpers shared by the SBOM parsers (CycloneDX JSON and XML, SPDX JSON and tag-value): package URLs,
 * tool names, vulnerability ids found in URLs and text, CVSS methods, short titles.
 */
import path from "node:path";
import { type Purl, percentDecode } from "../../core/purl.js";
import { PatchlineError } from "../../errors.js";

/** Package types whose purl namespace names the distribution or vendor, not part of the package name. */
const VENDOR_NAMESPACE = new Set(["deb", "rpm", "apk", "alpm", "qpkg", "oci", "docker"]);

/**
 * The package name as the ecosystem writes it: "com.fasterxml.jackson.core:jackson-databind" for Maven,
 * "@babel/core" for npm, "github.com/x/y" for Go, the bare name for distribution packages.
 */
export function qualifiedName(
  name: string,
  group: string | undefined,
  ecosystem: string | undefined,
): string {
  if (group === undefined || group === "") return name;
  if (ecosystem !== undefined && VENDOR_NAMESPACE.has(ecosystem)) return name;
  if (ecosystem === "maven") return `${group}:${name}`;
  return `${group}/${name}`;
}

/** The package a purl names, as a finding's package. */
export function packageFromPurl(
  purl: Purl,
  text: string,
): {
  name: string;
  version?: string;
  purl: string;
  ecosystem: string;
} {
  return {
    name: qualifiedName(purl.name, purl.namespace, purl.type),
    ...(purl.version !== undefined ? { version: purl.version } : {}),
    purl: text.trim(),
    ecosystem: purl.type,
  };
}

/** A tool name as a scanner name part: lower-cased, spaces as dashes ("Snyk CLI" → "snyk-cli"). */
export function toolSlug(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, "-");
}

const CVE_IN_TEXT = /CVE-\d{4}-\d{4,}/gi;
const GHSA_IN_TEXT = /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i;

/** Every distinct CVE id in a text (URL, title), upper-cased, in order of appearance. */
export function cvesIn(text: string | undefined): string[] {
  if (!text) return [];
  const found: string[] = [];
  for (const match of text.matchAll(CVE_IN_TEXT)) {
    const id = match[0].toUpperCase();
    if (!found.includes(id)) found.push(id);
  }
  return found;
}

/** The GHSA id in a text, in its canonical form ("GHSA-xxxx-xxxx-xxxx"), or undefined. */
export function ghsaIn(text: string | undefined): string | undefined {
  const match = text ? GHSA_IN_TEXT.exec(text) : null;
  return match ? `GHSA${match[0].slice(4).toLowerCase()}` : undefined;
}

/** An id like "PYSEC-2021-1", "RUSTSEC-2020-0001", "GO-2022-0001", "OSV-2020-111" at the end of a URL. */
const NAMED_ID = /^[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * The vulnerability ids an advisory URL names: its CVE ids, else its GHSA id, else an id of the form
 * "PREFIX-…" in its last path segment. Empty when it names none.
 */
export function idsInAdvisoryUrl(url: string): string[] {
  const cves = cvesIn(url);
  if (cves.length > 0) return cves;
  const ghsa = ghsaIn(url);
  if (ghsa) return [ghsa];
  const last = url
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .split("/")
    .pop();
  if (last && NAMED_ID.test(last) && !/^(?:HTTPS?|WWW)-/i.test(last)) return [percentDecode(last)];
  return [];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when an id means something on its own ("CVE-…", "GHSA-…", "SNYK-JAVA-…", "TEMP-…"), false for
 * bare UUIDs and numbers, which only mean something to the tool that wrote them.
 */
export function isSelfDescribingId(id: string): boolean {
  const text = id.trim();
  if (UUID.test(text) || /^\d+$/.test(text)) return false;
  return /^[A-Za-z]/.test(text);
}

/**
 * CVSS version for a CycloneDX rating method ("CVSSv2", "CVSSv3", "CVSSv31", "CVSSv4"); the vector's own
 * "CVSS:3.1/" prefix wins over the method. undefined for OWASP, SSVC and other methods.
 */
export function cvssVersion(method: string | undefined, vector: string | undefined): string | undefined {
  const m = method
    ?.trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  let version: string | undefined;
  if (m === "cvssv2") version = "2.0";
  else if (m === "cvssv3") version = "3.0";
  else if (m === "cvssv31") version = "3.1";
  else if (m === "cvssv4" || m === "cvssv40") version = "4.0";
  if (version === undefined) return undefined;
  const prefix = /^CVSS:(\d\.\d)\//.exec(vector?.trim() ?? "");
  if (prefix?.[1] && prefix[1][0] === version[0]) return prefix[1];
  return version;
}

/** A one-line title from a description: its first line, cut to 200 characters at a word. */
export function shortTitle(description: string | undefined): string | undefined {
  const first = description?.trim().split(/\r?\n/)[0]?.trim().replace(/\s+/g, " ");
  if (!first) return undefined;
  if (first.length <= 200) return first;
  const cut = first.slice(0, 200);
  const space = cut.lastIndexOf(" ");
  return `${(space > 120 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The file name part of the name the user gave, as the artifact of an SBOM that names no subject. */
export function fileArtifact(displayName: string): string {
  return path.basename(displayName.replace(/\.gz$/i, "")) || displayName;
}

/** Image reference for a container subject: "name:version" unless the name already has a tag or digest. */
export function imageReference(name: string, version: string | undefined): string {
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  if (lastSegment.includes(":") || name.includes("@")) return name;
  if (version && !isDigest(version)) return `${name}:${version}`;
  return name;
}

export function isDigest(text: string): boolean {
  return /^sha(?:256|384|512):[0-9a-f]{32,}$/i.test(text.trim());
}

/** The digest in "repo@sha256:…" or a bare "sha256:…", or undefined. */
export function digestIn(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const match = /(sha(?:256|384|512):[0-9a-f]{32,})/i.exec(text);
  return match?.[1]?.toLowerCase();
}

/** Where an item sits in the file: a JSON pointer or a line. */
export interface Place {
  path?: string;
  line?: number;
}

/** A VALIDATION_ERROR or PARSE_ERROR naming the file and the place. */
export function placeError(
  code: "PARSE_ERROR" | "VALIDATION_ERROR",
  file: string,
  place: Place,
  message: string,
): PatchlineError {
  return new PatchlineError(code, message, {
    file,
    ...(place.line !== undefined ? { line: place.line } : {}),
    ...(place.path !== undefined ? { path: place.path } : {}),
  });
}
