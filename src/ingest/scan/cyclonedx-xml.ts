/**
 * CycloneDX XML (spec 1.0–1.7), streamed: native <vulnerabilities> (1.4+) and the legacy vulnerability
 * extension (http://cyclonedx.org/schema/ext/vulnerability/1.0, <v:vulnerabilities> inside components,
 * as grype 0.x wrote it). Each <component>, <vulnerability> and the <metadata> is gathered as a small
 * element tree on its own, so memory follows the largest single item, not the file.
 */
import { StringDecoder } from "node:string_decoder";
import { SaxesParser, type SaxesTagNS } from "saxes";
import { isPatchlineError, PatchlineError } from "../../errors.js";
import { openStream } from "../read.js";
import type { ParsedBatch, ParseInput } from "../types.js";
import {
  buildCycloneDxReport,
  type CdxComponent,
  type CdxDocument,
  type CdxRating,
  type CdxTool,
  type CdxVulnerability,
} from "./cyclonedx-model.js";
import { type Place, placeError } from "./sbom-util.js";

const BOM_NS = "http://cyclonedx.org/schema/bom/";
const VULN_EXT_NS = "http://cyclonedx.org/schema/ext/vulnerability/";

/** True when the head of a file is a CycloneDX XML BOM. */
export function looksLikeCycloneDxXml(head: string): boolean {
  const text = head.trimStart();
  if (!text.startsWith("<")) return false;
  return /<(?:[\w.-]+:)?bom\b[^>]*\bxmlns(?::[\w.-]+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/\d/.test(
    text,
  );
}

/** An element gathered in memory: its name ("name", or "v:name" for the vulnerability extension). */
interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
  line: number;
}

function child(node: Node | undefined, name: string): Node | undefined {
  return node?.children.find((c) => c.name === name);
}

function children(node: Node | undefined, name: string): Node[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** Trimmed text of a child element; undefined when absent or blank. */
function text(node: Node | undefined, name: string): string | undefined {
  const value = child(node, name)?.text.trim();
  return value ? value : undefined;
}

/** Kinds of namespace URI seen, so each element costs a map lookup, not string tests. */
const nsKinds = new Map<string, "" | "v:" | "?:">();
const prefixed = new Map<string, string>();

function elementName(tag: SaxesTagNS): string {
  let kind = nsKinds.get(tag.uri);
  if (kind === undefined) {
    kind = tag.uri === "" || tag.uri.startsWith(BOM_NS) ? "" : tag.uri.startsWith(VULN_EXT_NS) ? "v:" : "?:";
    if (nsKinds.size < 64) nsKinds.set(tag.uri, kind);
  }
  if (kind === "") return tag.local;
  const key = kind + tag.local;
  const cached = prefixed.get(key);
  if (cached !== undefined) return cached;
  if (prefixed.size < 1024) prefixed.set(key, key);
  return key;
}

const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

type RootKind = "metadata" | "subject" | "component" | "vulnerability" | "legacy-vulnerability";

export async function parseCycloneDxXml(input: ParseInput): Promise<ParsedBatch> {
  const file = input.displayName;
  const fail = (place: Place, message: string): never => {
    throw placeError("VALIDATION_ERROR", file, place, message);
  };
  const doc: CdxDocument = { tools: [], components: [], vulnerabilities: [] };

  const parser = new SaxesParser({ xmlns: true, position: true });
  const names: string[] = [];
  const nodes: (Node | undefined)[] = [];
  const roots = new Map<Node, RootKind>();
  let sawRoot = false;

  const startsRoot = (name: string): RootKind | undefined => {
    const parent = names[names.length - 1];
    const grand = names[names.length - 2];
    // bom/components/component, and components nested in a component (also the subject's);
    // not tools, formulation or other places that list components that are not the software.
    if (name === "component" && parent === "components") {
      if (grand === "bom" && names.length === 2) return "component";
      const owner = nodes[nodes.length - 2];
      const ownerKind = owner ? roots.get(owner) : undefined;
      if (grand === "component" && (ownerKind === "component" || ownerKind === "subject")) return "component";
      return undefined;
    }
    if (name === "component" && parent === "metadata" && names.length === 2) return "subject";
    if (name === "metadata" && parent === "bom" && names.length === 1) return "metadata";
    if (name === "vulnerability" && parent === "vulnerabilities" && grand === "bom" && names.length === 2) {
      return "vulnerability";
    }
    if (
      name === "v:vulnerability" &&
      parent === "v:vulnerabilities" &&
      grand === "bom" &&
      names.length === 2
    ) {
      return "legacy-vulnerability";
    }
    return undefined;
  };

  parser.on("opentag", (tag) => {
    const name = elementName(tag);
    if (!sawRoot) {
      sawRoot = true;
      if (name !== "bom") {
        const ns = tag.uri ? ` in namespace ${tag.uri}` : "";
        fail({ line: parser.line }, `the root element is <${tag.name}>${ns}, expected a CycloneDX <bom>`);
      }
    }
    const kind = startsRoot(name);
    const parentNode = nodes[nodes.length - 1];
    if (kind === undefined && parentNode === undefined) {
      names.push(name);
      nodes.push(undefined);
      return;
    }
    let attrs = NO_ATTRS;
    for (const key in tag.attributes) {
      const attr = tag.attributes[key];
      if (!attr || attr.prefix === "xmlns" || attr.name === "xmlns") continue;
      if (attr.uri === "" || attr.uri.startsWith(BOM_NS) || attr.uri.startsWith(VULN_EXT_NS)) {
        if (attrs === NO_ATTRS) attrs = {};
        attrs[attr.local] = attr.value;
      }
    }
    let node: Node | undefined;
    if (kind !== undefined) {
      node = { name, attrs, children: [], text: "", line: parser.line };
      // A root is not attached to the tree around it: a nested component is gathered on its own.
      roots.set(node, kind);
    } else if (parentNode !== undefined) {
      node = { name, attrs, children: [], text: "", line: parser.line };
      parentNode.children.push(node);
    }
    names.push(name);
    nodes.push(node);
  });

  parser.on("text", (chunk) => {
    const node = nodes[nodes.length - 1];
    if (node) node.text += chunk;
  });
  parser.on("cdata", (chunk) => {
    const node = nodes[nodes.length - 1];
    if (node) node.text += chunk;
  });

  parser.on("closetag", () => {
    const node = nodes.pop();
    names.pop();
    if (!node) return;
    const kind = roots.get(node);
    if (kind === undefined) return;
    roots.delete(node);
    switch (kind) {
      case "metadata":
        readMetadata(node, doc);
        break;
      case "subject":
      case "component": {
        // metadata/component is the subject; the components nested in it are its software.
        const component = readComponent(node, fail);
        if (kind === "subject") doc.subject = component;
        else doc.components.push(component);
        for (const legacy of children(child(node, "v:vulnerabilities"), "v:vulnerability")) {
          doc.vulnerabilities.push(readLegacyVulnerability(legacy, component, fail));
        }
        break;
      }
      case "vulnerability":
        doc.vulnerabilities.push(readVulnerability(node, fail));
        break;
      case "legacy-vulnerability":
        doc.vulnerabilities.push(readLegacyVulnerability(node, undefined, fail));
        break;
    }
  });

  let syntax: { message: string; line: number; column: number } | undefined;
  parser.on("error", (error) => {
    syntax ??= {
      message: error.message.replace(/^\d+:\d+:\s*/, ""),
      line: parser.line,
      column: parser.column + 1,
    };
    throw error;
  });

  const stream = await openStream(input);
  const decoder = new StringDecoder("utf8");
  let first = true;
  try {
    for await (const chunk of stream) {
      let piece = decoder.write(chunk as Buffer);
      if (first && piece.length > 0) {
        if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
        first = false;
      }
      parser.write(piece);
    }
    parser.write(decoder.end());
    parser.close();
  } catch (error) {
    stream.destroy();
    if (isPatchlineError(error)) throw error;
    if (syntax) {
      throw new PatchlineError("PARSE_ERROR", `invalid XML: ${syntax.message}`, {
        file,
        line: syntax.line,
        column: syntax.column,
      });
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      throw new PatchlineError("PARSE_ERROR", `not a valid gzip file (${(error as Error).message})`, {
        file,
      });
    }
    if (typeof code === "string") {
      throw new PatchlineError("INPUT_UNREADABLE", `cannot read the file: ${(error as Error).message}`, {
        file,
      });
    }
    throw error;
  }
  if (!sawRoot) throw new PatchlineError("PARSE_ERROR", "the file holds no XML element", { file, line: 1 });
  return { kind: "scan", report: buildCycloneDxReport(doc, input) };
}

function readMetadata(node: Node, doc: CdxDocument): void {
  const timestamp = child(node, "timestamp");
  const stamp = timestamp?.text.trim();
  if (timestamp && stamp) doc.timestamp = { text: stamp, place: { line: timestamp.line } };
  const tools = child(node, "tools");
  if (!tools) return;
  // ≤1.4: <tools><tool>; 1.5+: <tools><components><component> (those are not gathered as components).
  const entries = [
    ...children(tools, "tool"),
    ...children(child(tools, "components"), "component"),
    ...children(child(tools, "services"), "service"),
  ];
  for (const entry of entries) {
    const tool: CdxTool = {};
    const name = text(entry, "name");
    const version = text(entry, "version");
    const vendor = text(entry, "vendor") ?? text(entry, "group");
    if (name !== undefined) tool.name = name;
    if (version !== undefined) tool.version = version;
    if (vendor !== undefined) tool.vendor = vendor;
    doc.tools.push(tool);
  }
}

function readComponent(node: Node, fail: (place: Place, message: string) => never): CdxComponent {
  const name = text(node, "name");
  if (name === undefined) fail({ line: node.line }, "the <component> has no <name>");
  const component: CdxComponent = { name, properties: [], occurrences: [], place: { line: node.line } };
  const bomRef = node.attrs["bom-ref"]?.trim();
  if (bomRef) component.bomRef = bomRef;
  const type = node.attrs.type?.trim();
  if (type) component.type = type;
  for (const key of ["group", "version", "purl", "cpe"] as const) {
    const value = text(node, key);
    if (value !== undefined) component[key] = value;
  }
  const supplier = text(child(node, "supplier"), "name");
  if (supplier !== undefined) component.supplier = supplier;
  for (const p of children(child(node, "properties"), "property")) {
    const key = p.attrs.name?.trim();
    const value = p.text.trim();
    if (key && value) component.properties.push([key, value]);
  }
  for (const occurrence of children(child(child(node, "evidence"), "occurrences"), "occurrence")) {
    const location = text(occurrence, "location");
    if (location !== undefined && !component.occurrences.includes(location))
      component.occurrences.push(location);
  }
  return component;
}

function score(node: Node | undefined, fail: (place: Place, message: string) => never): number | undefined {
  if (!node) return undefined;
  const raw = node.text.trim();
  if (raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) fail({ line: node.line }, `the score '${raw}' is not a number`);
  return value;
}

function readVulnerability(node: Node, fail: (place: Place, message: string) => never): CdxVulnerability {
  const v: CdxVulnerability = {
    references: [],
    ratings: [],
    advisories: [],
    affects: [],
    place: { line: node.line },
  };
  const id = text(node, "id");
  if (id !== undefined) v.id = id;
  const bomRef = node.attrs["bom-ref"]?.trim();
  if (bomRef) v.bomRef = bomRef;
  const source = child(node, "source");
  if (source) v.source = readSource(source);
  const description = text(node, "description");
  if (description !== undefined) v.description = description;
  for (const ref of children(child(node, "references"), "reference")) {
    const refId = text(ref, "id");
    if (refId === undefined) fail({ line: ref.line }, "the <reference> has no <id>");
    const name = readSource(child(ref, "source")).name;
    v.references.push({ id: refId, ...(name !== undefined ? { source: name } : {}) });
  }
  for (const r of children(child(node, "ratings"), "rating")) {
    const rating: CdxRating = {};
    const value = score(child(r, "score"), fail);
    if (value !== undefined) rating.score = value;
    for (const key of ["severity", "method", "vector"] as const) {
      const t = text(r, key);
      if (t !== undefined) rating[key] = t;
    }
    const name = readSource(child(r, "source")).name;
    if (name !== undefined) rating.source = name;
    v.ratings.push(rating);
  }
  for (const advisory of children(child(node, "advisories"), "advisory")) {
    const url = text(advisory, "url");
    if (url !== undefined) v.advisories.push(url);
  }
  const analysis = child(node, "analysis");
  if (analysis) {
    const responses: string[] = [];
    for (const r of children(child(analysis, "responses"), "response")) {
      const t = r.text.trim();
      if (t) responses.push(t);
    }
    v.analysis = { responses };
    for (const key of ["state", "justification", "detail"] as const) {
      const t = text(analysis, key);
      if (t !== undefined) v.analysis[key] = t;
    }
  }
  for (const target of children(child(node, "affects"), "target")) {
    const ref = text(target, "ref");
    if (ref === undefined) fail({ line: target.line }, "the affects <target> has no <ref>");
    const versions = children(child(target, "versions"), "version").map((entry) => {
      const out: { version?: string; range?: string; status?: string } = {};
      for (const key of ["version", "range", "status"] as const) {
        const t = text(entry, key);
        if (t !== undefined) out[key] = t;
      }
      return out;
    });
    v.affects.push({ ref, versions });
  }
  return v;
}

function readSource(node: Node | undefined): { name?: string; url?: string } {
  const out: { name?: string; url?: string } = {};
  if (!node) return out;
  // Native sources carry <name>; the legacy extension a name="" attribute.
  const name = text(node, "name") ?? node.attrs.name?.trim();
  const url = text(node, "url") ?? text(node, "v:url");
  if (name) out.name = name;
  if (url) out.url = url;
  return out;
}

/** <v:vulnerability> of the legacy extension, inside its component or (with ref=) under the bom. */
function readLegacyVulnerability(
  node: Node,
  owner: CdxComponent | undefined,
  fail: (place: Place, message: string) => never,
): CdxVulnerability {
  const v: CdxVulnerability = {
    references: [],
    ratings: [],
    advisories: [],
    affects: [],
    place: { line: node.line },
  };
  const id = text(node, "v:id");
  if (id !== undefined) v.id = id;
  const source = child(node, "v:source");
  if (source) v.source = readSource(source);
  const description = text(node, "v:description");
  if (description !== undefined) v.description = description;
  for (const r of children(child(node, "v:ratings"), "v:rating")) {
    const rating: CdxRating = {};
    const scoreNode = child(r, "v:score");
    const value = score(scoreNode ? child(scoreNode, "v:base") : undefined, fail);
    if (value !== undefined) rating.score = value;
    const severity = text(r, "v:severity");
    const method = text(r, "v:method");
    const vector = text(r, "v:vector");
    if (severity !== undefined) rating.severity = severity;
    if (method !== undefined) rating.method = method;
    if (vector !== undefined) rating.vector = vector;
    v.ratings.push(rating);
  }
  for (const advisory of children(child(node, "v:advisories"), "v:advisory")) {
    const url = advisory.text.trim();
    if (url) v.advisories.push(url);
  }
  const ref = node.attrs.ref?.trim();
  if (owner) v.affects.push({ component: owner, versions: [] });
  else if (ref) v.affects.push({ ref, versions: [] });
  return v;
}
