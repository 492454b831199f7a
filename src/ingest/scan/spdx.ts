/**
 * SPDX 2.x SBOMs, JSON and tag-value (.spdx), from syft, Trivy and others. The described package (or the
 * document) is the asset; packages are its software; a package's SECURITY "advisory" external
 * references are its vulnerability findings (SPDX carries no severity or status for them).
 */

import { parsePurl } from "../../core/purl.js";
import { pluginVulnId, ReportBuilder } from "../../core/scan/builder.js";
import type { ScanAsset, ScanReport } from "../../core/scan/types.js";
import type { InstalledSoftware } from "../../core/types.js";
import { PatchlineError } from "../../errors.js";
import { eachLine, JsonFields, type JsonObject, pointer, readJson, utcInstant } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import {
  digestIn,
  fileArtifact,
  idsInAdvisoryUrl,
  imageReference,
  isDigest,
  type Place,
  placeError,
  toolSlug,
} from "./sbom-util.js";

export interface SpdxExternalRef {
  category: string;
  type: string;
  locator: string;
}

export interface SpdxPackage {
  id?: string;
  name: string;
  version?: string;
  supplier?: string;
  purpose?: string;
  refs: SpdxExternalRef[];
  /** Annotation comments ("RepoDigest: …", "PkgType: npm"). */
  annotations: string[];
  hasFiles: string[];
  place: Place;
}

export interface SpdxDocument {
  name?: string;
  creators: string[];
  created?: { text: string; place: Place };
  packages: SpdxPackage[];
  /** SPDXID → file name. */
  files: Map<string, string>;
  relationships: { from: string; type: string; to: string }[];
  describes: string[];
}

/** True when the head of a file is SPDX 2.x JSON. */
export function looksLikeSpdxJson(head: string): boolean {
  const text = head.trimStart();
  if (!text.startsWith("{")) return false;
  return (
    /"spdxVersion"\s*:\s*"SPDX-2\.\d+"/.test(text) ||
    (/"SPDXID"\s*:\s*"SPDXRef-DOCUMENT"/.test(text) && /"(?:creationInfo|documentNamespace)"\s*:/.test(text))
  );
}

/** True when the head of a file is an SPDX 2.x tag-value document. */
export function looksLikeSpdxTagValue(head: string): boolean {
  const text = head.trimStart();
  if (text.startsWith("{") || text.startsWith("[") || text.startsWith("<")) return false;
  return /^SPDXVersion:[ \t]*SPDX-2\.\d+[ \t]*\r?$/m.test(text);
}

export async function parseSpdxJson(input: ParseInput): Promise<ParsedBatch> {
  const data = await readJson(input);
  return { kind: "scan", report: buildSpdxReport(readSpdxJson(data, input.displayName), input) };
}

export async function parseSpdxTagValue(input: ParseInput): Promise<ParsedBatch> {
  return { kind: "scan", report: buildSpdxReport(await readSpdxTagValue(input), input) };
}

/** SPDX's "no value" words. */
function assertion(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  return value === "" || value === "NOASSERTION" || value === "NONE" ? undefined : value;
}

// ---------------------------------------------------------------- JSON

export function readSpdxJson(data: unknown, file: string): SpdxDocument {
  const f: JsonFields = new JsonFields(file);
  const root = f.object(data, "", "an SPDX JSON object");
  const version = f.optStr(root, "spdxVersion", "");
  if (version === undefined) f.fail("/spdxVersion", "missing required field 'spdxVersion'");
  if (!/^SPDX-2\.\d+$/.test(version))
    f.fail("/spdxVersion", `unsupported spdxVersion '${version}' (expected SPDX-2.x)`);
  const doc: SpdxDocument = {
    creators: [],
    packages: [],
    files: new Map(),
    relationships: [],
    describes: [],
  };
  const name = f.optStr(root, "name", "");
  if (name !== undefined) doc.name = name;
  const info = f.optObject(root, "creationInfo", "");
  if (info) {
    doc.creators = f.optArray(info, "creators", "/creationInfo").map((c, i) => {
      if (typeof c !== "string") f.fail(pointer("/creationInfo/creators", i), "expected a string");
      return c;
    });
    const created = f.optStr(info, "created", "/creationInfo");
    if (created !== undefined) doc.created = { text: created, place: { path: "/creationInfo/created" } };
  }
  doc.describes = f.optArray(root, "documentDescribes", "").map((d, i) => {
    if (typeof d !== "string") f.fail(pointer("/documentDescribes", i), "expected a string");
    return d;
  });
  f.optArray(root, "packages", "").forEach((item, i) => {
    doc.packages.push(readJsonPackage(f, item, pointer("/packages", i)));
  });
  f.optArray(root, "files", "").forEach((item, i) => {
    const at = pointer("/files", i);
    const o = f.object(item, at);
    const id = f.optStr(o, "SPDXID", at);
    const fileName = f.optStr(o, "fileName", at);
    if (id !== undefined && fileName !== undefined) doc.files.set(id, fileName);
  });
  f.optArray(root, "relationships", "").forEach((item, i) => {
    const at = pointer("/relationships", i);
    const o = f.object(item, at);
    doc.relationships.push({
      from: f.str(o, "spdxElementId", at),
      type: f.str(o, "relationshipType", at).toUpperCase(),
      to: f.str(o, "relatedSpdxElement", at),
    });
  });
  return doc;
}

function readJsonPackage(f: JsonFields, value: unknown, at: string): SpdxPackage {
  const o: JsonObject = f.object(value, at);
  const pkg: SpdxPackage = {
    name: f.str(o, "name", at),
    refs: [],
    annotations: [],
    hasFiles: [],
    place: { path: at },
  };
  const id = f.optStr(o, "SPDXID", at);
  if (id !== undefined) pkg.id = id;
  const version = assertion(f.optStr(o, "versionInfo", at));
  if (version !== undefined) pkg.version = version;
  const supplier = assertion(f.optStr(o, "supplier", at));
  if (supplier !== undefined) pkg.supplier = supplier;
  const purpose = f.optStr(o, "primaryPackagePurpose", at);
  if (purpose !== undefined) pkg.purpose = purpose;
  f.optArray(o, "externalRefs", at).forEach((item, i) => {
    const rAt = pointer(pointer(at, "externalRefs"), i);
    const r = f.object(item, rAt);
    pkg.refs.push({
      category: f.str(r, "referenceCategory", rAt),
      type: f.str(r, "referenceType", rAt),
      locator: f.str(r, "referenceLocator", rAt),
    });
  });
  f.optArray(o, "annotations", at).forEach((item, i) => {
    const aAt = pointer(pointer(at, "annotations"), i);
    const comment = f.optStr(f.object(item, aAt), "comment", aAt);
    if (comment !== undefined) pkg.annotations.push(comment);
  });
  pkg.hasFiles = f.optArray(o, "hasFiles", at).filter((x): x is string => typeof x === "string");
  return pkg;
}

// ---------------------------------------------------------------- tag-value

const TAG_LINE = /^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)$/;

export async function readSpdxTagValue(input: ParseInput): Promise<SpdxDocument> {
  const file = input.displayName;
  const doc: SpdxDocument = {
    creators: [],
    packages: [],
    files: new Map(),
    relationships: [],
    describes: [],
  };
  let version: { text: string; line: number } | undefined;
  let pkg: SpdxPackage | undefined;
  let fileName: string | undefined;
  let inFile = false;
  let openText: { tag: string; line: number } | undefined;
  const invalid = (line: number, message: string): never => {
    throw placeError("VALIDATION_ERROR", file, { line }, message);
  };

  await eachLine(input, (raw, n) => {
    if (openText) {
      if (raw.includes("</text>")) openText = undefined;
      return;
    }
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = TAG_LINE.exec(line);
    if (!match) {
      const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
      throw new PatchlineError("PARSE_ERROR", `expected 'Tag: value', found '${shown}'`, { file, line: n });
    }
    const tag = match[1] ?? "";
    let value = (match[2] ?? "").trim();
    if (value.startsWith("<text>")) {
      const end = value.indexOf("</text>");
      if (end === -1) {
        openText = { tag, line: n };
        return;
      }
      value = value.slice(6, end).trim();
    }
    switch (tag) {
      case "SPDXVersion":
        version = { text: value, line: n };
        if (!/^SPDX-2\.\d+$/.test(value))
          invalid(n, `unsupported SPDXVersion '${value}' (expected SPDX-2.x)`);
        break;
      case "DocumentName":
        if (value) doc.name = value;
        break;
      case "Creator":
        doc.creators.push(value);
        break;
      case "Created":
        doc.created = { text: value, place: { line: n } };
        break;
      case "PackageName":
        if (value === "") invalid(n, "PackageName is empty");
        pkg = { name: value, refs: [], annotations: [], hasFiles: [], place: { line: n } };
        doc.packages.push(pkg);
        inFile = false;
        break;
      case "FileName":
        fileName = value;
        inFile = true;
        pkg = undefined;
        break;
      case "SnippetSPDXID":
      case "LicenseID":
        pkg = undefined;
        inFile = false;
        break;
      case "SPDXID":
        if (inFile && fileName !== undefined) {
          doc.files.set(value, fileName);
          fileName = undefined;
        } else if (pkg && pkg.id === undefined) pkg.id = value;
        break;
      case "PackageVersion": {
        const v = assertion(value);
        if (pkg && v !== undefined) pkg.version = v;
        break;
      }
      case "PackageSupplier": {
        const s = assertion(value);
        if (pkg && s !== undefined) pkg.supplier = s;
        break;
      }
      case "PrimaryPackagePurpose":
        if (pkg) pkg.purpose = value;
        break;
      case "ExternalRef": {
        const parts = value.split(/\s+/);
        if (parts.length < 3) invalid(n, `ExternalRef needs 'category type locator', found '${value}'`);
        if (pkg)
          pkg.refs.push({
            category: parts[0] ?? "",
            type: parts[1] ?? "",
            locator: parts.slice(2).join(" "),
          });
        break;
      }
      case "Relationship": {
        const parts = value.split(/\s+/);
        if (parts.length < 3) invalid(n, `Relationship needs 'element type element', found '${value}'`);
        doc.relationships.push({
          from: parts[0] ?? "",
          type: (parts[1] ?? "").toUpperCase(),
          to: parts[2] ?? "",
        });
        break;
      }
      case "AnnotationComment":
        if (pkg) pkg.annotations.push(value);
        break;
    }
  });
  if (openText) {
    throw new PatchlineError(
      "PARSE_ERROR",
      `the <text> value of ${openText.tag} is never closed with </text>`,
      {
        file,
        line: openText.line,
      },
    );
  }
  if (!version) throw placeError("VALIDATION_ERROR", file, { line: 1 }, "missing SPDXVersion");
  return doc;
}

// ---------------------------------------------------------------- report

/** "syft-1.50.0" → syft / 1.50.0; "trivy-dev" → trivy / dev; a name without version is kept whole. */
export function splitToolCreator(text: string): { name: string; version?: string } {
  const value = text.trim();
  const numbered = /^(.+?)[-\s@]v?(\d[\w.+~-]*)$/.exec(value);
  if (numbered?.[1] && numbered[2]) return { name: numbered[1], version: numbered[2] };
  const word = /^(.+)-(dev|devel|snapshot|latest|main|master|unknown)$/i.exec(value);
  if (word?.[1] && word[2]) return { name: word[1], version: word[2] };
  return { name: value };
}

function supplierName(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const name = text
    .replace(/^(?:Organization|Person|Tool):\s*/i, "")
    .replace(/\s*\([^)]*@[^)]*\)\s*$/, "")
    .trim();
  return name === "" ? undefined : name;
}

function purlOf(pkg: SpdxPackage): string | undefined {
  return pkg.refs.find((r) => r.type.toLowerCase() === "purl")?.locator.trim();
}

function cpeOf(pkg: SpdxPackage): string | undefined {
  return pkg.refs.find((r) => /^cpe2[23]type$/i.test(r.type))?.locator.trim();
}

function isContainer(pkg: SpdxPackage): boolean {
  return (
    pkg.purpose?.toUpperCase() === "CONTAINER" ||
    /^SPDXRef-(?:ContainerImage|DocumentRoot-Image)-/.test(pkg.id ?? "")
  );
}

export function buildSpdxReport(doc: SpdxDocument, input: ParseInput): ScanReport {
  const file = input.displayName;
  const toolText = doc.creators
    .map((c) => /^\s*Tool:\s*(.+)$/i.exec(c)?.[1])
    .find((t): t is string => t !== undefined && t.trim() !== "");
  const tool = toolText ? splitToolCreator(toolText) : undefined;
  const scanner = tool ? `spdx:${toolSlug(tool.name)}` : "spdx";
  let reportTime: string | undefined;
  if (doc.created) {
    const instant = utcInstant(doc.created.text);
    if (!instant)
      throw placeError(
        "VALIDATION_ERROR",
        file,
        doc.created.place,
        `'${doc.created.text}' is not a date-time`,
      );
    reportTime = instant;
  }

  // The subject: what the document DESCRIBES.
  const described = new Set(doc.describes);
  for (const r of doc.relationships) {
    if (r.type === "DESCRIBES" && r.from === "SPDXRef-DOCUMENT") described.add(r.to);
    if (r.type === "DESCRIBED_BY" && r.to === "SPDXRef-DOCUMENT") described.add(r.from);
  }
  const byId = new Map<string, SpdxPackage>();
  for (const pkg of doc.packages) if (pkg.id !== undefined && !byId.has(pkg.id)) byId.set(pkg.id, pkg);
  const root = [...described].map((id) => byId.get(id)).find((p) => p !== undefined);

  let fields: Omit<ScanAsset, "key">;
  if (root && isContainer(root)) {
    fields = { image: imageReference(root.name, root.version) };
    const purlVersion = parsePurl(purlOf(root))?.version;
    const digest =
      digestIn(root.annotations.find((a) => /^RepoDigest:/i.test(a))) ??
      (purlVersion && isDigest(purlVersion) ? purlVersion.toLowerCase() : undefined);
    if (digest) fields.imageDigest = digest;
  } else {
    fields = { artifact: doc.name ?? root?.name ?? fileArtifact(file) };
  }
  const builder = new ReportBuilder(scanner);
  const asset = builder.asset(fields);
  if (asset === undefined)
    throw new PatchlineError("VALIDATION_ERROR", "the document names no subject", { file });

  // Files each package holds, for finding locations.
  const filesOf = new Map<string, string[]>();
  const addFile = (pkgId: string, fileId: string): void => {
    const name = doc.files.get(fileId);
    if (name === undefined) return;
    const list = filesOf.get(pkgId) ?? [];
    if (!list.includes(name)) list.push(name);
    filesOf.set(pkgId, list);
  };
  for (const r of doc.relationships) {
    if (r.type === "CONTAINS") addFile(r.from, r.to);
    else if (r.type === "CONTAINED_BY") addFile(r.to, r.from);
  }
  for (const pkg of doc.packages) for (const fileId of pkg.hasFiles) if (pkg.id) addFile(pkg.id, fileId);

  for (const pkg of doc.packages) {
    const purlText = purlOf(pkg);
    const purl = parsePurl(purlText);
    const version = pkg.version ?? purl?.version;
    const cpe = cpeOf(pkg);
    const isRoot = pkg.id !== undefined && described.has(pkg.id);
    if (!isRoot && (version !== undefined || purlText !== undefined || cpe !== undefined)) {
      const sw: InstalledSoftware = { product: pkg.name };
      if (purlText) sw.purl = purlText;
      const vendor = supplierName(pkg.supplier);
      if (vendor) sw.vendor = vendor;
      if (version) sw.version = version;
      if (cpe) sw.cpe = cpe;
      builder.component(asset, sw);
    }

    const advisories = pkg.refs.filter(
      (r) =>
        r.category.toUpperCase().replace(/_/g, "-") === "SECURITY" && r.type.toLowerCase() === "advisory",
    );
    if (advisories.length === 0) continue;
    const pkgField = {
      name: pkg.name,
      ...(version !== undefined ? { version } : {}),
      ...(purlText ? { purl: purlText } : {}),
      ...(purl ? { ecosystem: purl.type } : {}),
    };
    const locations = pkg.id ? (filesOf.get(pkg.id) ?? []) : [];
    for (const ref of advisories) {
      const url = ref.locator.trim();
      const ids = idsInAdvisoryUrl(url);
      for (const vulnId of ids.length > 0 ? ids : [pluginVulnId(scanner, url)]) {
        builder.finding({
          asset,
          vulnId,
          package: pkgField,
          locations,
          severity: "unknown",
          status: "affected",
        });
      }
    }
  }

  return builder.build({
    ...(tool?.version ? { scannerVersion: tool.version } : {}),
    ...(reportTime !== undefined ? { reportTime } : {}),
  });
}
