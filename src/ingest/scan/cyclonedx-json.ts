/**
 * CycloneDX JSON (spec 1.2–1.7): SBOMs and VEX/VDR documents from grype, Trivy, jake, cdxgen… The
 * subject (metadata.component) is the asset; components are its software; vulnerabilities[] × affects[]
 * are the findings, with the VEX analysis as their status.
 */
import type { ScanReport } from "../../core/scan/types.js";
import { JsonFields, type JsonObject, pointer, readJson } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import {
  buildCycloneDxReport,
  type CdxComponent,
  type CdxDocument,
  type CdxRating,
  type CdxTool,
  type CdxVulnerability,
} from "./cyclonedx-model.js";

/** True when the head of a file is CycloneDX JSON. */
export function looksLikeCycloneDxJson(head: string): boolean {
  const text = head.trimStart();
  if (!text.startsWith("{")) return false;
  return (
    /"bomFormat"\s*:\s*"CycloneDX"/.test(text) ||
    /"\$schema"\s*:\s*"https?:\/\/cyclonedx\.org\/schema\/bom-\d/.test(text)
  );
}

export async function parseCycloneDxJson(input: ParseInput): Promise<ParsedBatch> {
  const data = await readJson(input);
  return { kind: "scan", report: readCycloneDxJson(data, input) };
}

/** Reads a parsed CycloneDX JSON document into a report. */
export function readCycloneDxJson(data: unknown, input: ParseInput): ScanReport {
  const f: JsonFields = new JsonFields(input.displayName);
  const root = f.object(data, "", "a CycloneDX JSON object");
  const format = f.optStr(root, "bomFormat", "");
  if (format === undefined) f.fail("/bomFormat", "missing required field 'bomFormat'");
  if (format !== "CycloneDX") f.fail("/bomFormat", `expected 'CycloneDX', found '${format}'`);
  const spec = root.specVersion;
  if (spec !== undefined && (typeof spec !== "string" || !/^1\.\d+$/.test(spec.trim()))) {
    f.fail("/specVersion", `unsupported specVersion ${JSON.stringify(spec)} (expected 1.x)`);
  }

  const doc: CdxDocument = { tools: [], components: [], vulnerabilities: [] };
  const metadata = f.optObject(root, "metadata", "");
  if (metadata) {
    const timestamp = f.optStr(metadata, "timestamp", "/metadata");
    if (timestamp !== undefined) doc.timestamp = { text: timestamp, place: { path: "/metadata/timestamp" } };
    doc.tools = readTools(f, metadata);
    const subject = f.optObject(metadata, "component", "/metadata");
    if (subject) {
      const [first, ...nested] = readComponents(f, subject, "/metadata/component");
      if (first) doc.subject = first;
      doc.components.push(...nested);
    }
  }
  f.optArray(root, "components", "").forEach((item, i) => {
    doc.components.push(...readComponents(f, item, pointer("/components", i)));
  });
  f.optArray(root, "vulnerabilities", "").forEach((item, i) => {
    doc.vulnerabilities.push(readVulnerability(f, item, pointer("/vulnerabilities", i)));
  });
  return buildCycloneDxReport(doc, input);
}

/** metadata.tools: an array of tools (≤1.4) or {components: [...], services: [...]} (1.5+). */
function readTools(f: JsonFields, metadata: JsonObject): CdxTool[] {
  const value = metadata.tools;
  if (value === undefined || value === null) return [];
  const base = "/metadata/tools";
  let items: { item: unknown; at: string }[];
  if (Array.isArray(value)) {
    items = value.map((item, i) => ({ item, at: pointer(base, i) }));
  } else {
    const tools = f.object(value, base, "an array or an object");
    items = [];
    for (const key of ["components", "services"]) {
      f.optArray(tools, key, base).forEach((item, i) => {
        items.push({ item, at: pointer(pointer(base, key), i) });
      });
    }
  }
  return items.map(({ item, at }) => {
    const o = f.object(item, at);
    const tool: CdxTool = {};
    const name = f.optStr(o, "name", at);
    const version = f.optStr(o, "version", at);
    const vendor = f.optStr(o, "vendor", at) ?? f.optStr(o, "group", at);
    if (name !== undefined) tool.name = name;
    if (version !== undefined) tool.version = version;
    if (vendor !== undefined) tool.vendor = vendor;
    return tool;
  });
}

/** A component and the components nested in it, flattened (the component first). */
function readComponents(f: JsonFields, value: unknown, at: string): CdxComponent[] {
  const o = f.object(value, at);
  const component: CdxComponent = {
    name: f.str(o, "name", at),
    properties: [],
    occurrences: [],
    place: { path: at },
  };
  const set = (key: keyof CdxComponent, field: string): void => {
    const text = f.optStr(o, field, at);
    if (text !== undefined) (component as unknown as Record<string, string>)[key] = text;
  };
  set("bomRef", "bom-ref");
  set("type", "type");
  set("group", "group");
  set("version", "version");
  set("purl", "purl");
  set("cpe", "cpe");
  const supplier = f.optObject(o, "supplier", at);
  const supplierName = supplier ? f.optStr(supplier, "name", pointer(at, "supplier")) : undefined;
  if (supplierName !== undefined) component.supplier = supplierName;
  f.optArray(o, "properties", at).forEach((item, i) => {
    const pAt = pointer(pointer(at, "properties"), i);
    const p = f.object(item, pAt);
    const name = f.optStr(p, "name", pAt);
    const val = f.optStr(p, "value", pAt);
    if (name !== undefined && val !== undefined) component.properties.push([name, val]);
  });
  const evidence = f.optObject(o, "evidence", at);
  if (evidence) {
    const eAt = pointer(at, "evidence");
    f.optArray(evidence, "occurrences", eAt).forEach((item, i) => {
      const oAt = pointer(pointer(eAt, "occurrences"), i);
      const location = f.optStr(f.object(item, oAt), "location", oAt);
      if (location !== undefined && !component.occurrences.includes(location)) {
        component.occurrences.push(location);
      }
    });
  }
  const out = [component];
  f.optArray(o, "components", at).forEach((item, i) => {
    out.push(...readComponents(f, item, pointer(pointer(at, "components"), i)));
  });
  return out;
}

function readVulnerability(f: JsonFields, value: unknown, at: string): CdxVulnerability {
  const o = f.object(value, at);
  const v: CdxVulnerability = {
    references: [],
    ratings: [],
    advisories: [],
    affects: [],
    place: { path: at },
  };
  const id = f.optStr(o, "id", at);
  if (id !== undefined) v.id = id;
  const bomRef = f.optStr(o, "bom-ref", at);
  if (bomRef !== undefined) v.bomRef = bomRef;
  const source = f.optObject(o, "source", at);
  if (source) v.source = readSource(f, source, pointer(at, "source"));
  const description = f.optStr(o, "description", at);
  if (description !== undefined) v.description = description;

  f.optArray(o, "references", at).forEach((item, i) => {
    const rAt = pointer(pointer(at, "references"), i);
    const r = f.object(item, rAt);
    const refSource = f.optObject(r, "source", rAt);
    const name = refSource ? readSource(f, refSource, pointer(rAt, "source")).name : undefined;
    v.references.push({ id: f.str(r, "id", rAt), ...(name !== undefined ? { source: name } : {}) });
  });

  f.optArray(o, "ratings", at).forEach((item, i) => {
    const rAt = pointer(pointer(at, "ratings"), i);
    const r = f.object(item, rAt);
    const rating: CdxRating = {};
    const score = f.optNum(r, "score", rAt);
    if (score !== undefined) rating.score = score;
    for (const key of ["severity", "method", "vector"] as const) {
      const text = f.optStr(r, key, rAt);
      if (text !== undefined) rating[key] = text;
    }
    const ratingSource = f.optObject(r, "source", rAt);
    const name = ratingSource ? readSource(f, ratingSource, pointer(rAt, "source")).name : undefined;
    if (name !== undefined) rating.source = name;
    v.ratings.push(rating);
  });

  f.optArray(o, "advisories", at).forEach((item, i) => {
    const aAt = pointer(pointer(at, "advisories"), i);
    const url = f.optStr(f.object(item, aAt), "url", aAt);
    if (url !== undefined) v.advisories.push(url);
  });

  const analysis = f.optObject(o, "analysis", at);
  if (analysis) {
    const aAt = pointer(at, "analysis");
    const responses = f.optArray(analysis, "response", aAt).map((item, i) => {
      if (typeof item !== "string") f.fail(pointer(pointer(aAt, "response"), i), "expected a string");
      return item;
    });
    v.analysis = { responses };
    for (const key of ["state", "justification", "detail"] as const) {
      const text = f.optStr(analysis, key, aAt);
      if (text !== undefined) v.analysis[key] = text;
    }
  }

  f.optArray(o, "affects", at).forEach((item, i) => {
    const aAt = pointer(pointer(at, "affects"), i);
    const a = f.object(item, aAt);
    const versions = f.optArray(a, "versions", aAt).map((entry, j) => {
      const vAt = pointer(pointer(aAt, "versions"), j);
      const e = f.object(entry, vAt);
      const out: CdxVulnerability["affects"][number]["versions"][number] = {};
      for (const key of ["version", "range", "status"] as const) {
        const text = f.optStr(e, key, vAt);
        if (text !== undefined) out[key] = text;
      }
      return out;
    });
    v.affects.push({ ref: f.str(a, "ref", aAt), versions });
  });
  return v;
}

function readSource(f: JsonFields, o: JsonObject, at: string): { name?: string; url?: string } {
  const out: { name?: string; url?: string } = {};
  const name = f.optStr(o, "name", at);
  const url = f.optStr(o, "url", at);
  if (name !== undefined) out.name = name;
  if (url !== undefined) out.url = url;
  return out;
}
