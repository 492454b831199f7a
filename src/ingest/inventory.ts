/**
 * Asset inventory parser: CSV or JSON in, validated Asset records out.
 *
 * The file is JSON when its first non-space character is "[" or "{", otherwise CSV with a header row.
 * Every row is checked before anything is returned, so an import is all or nothing; the first problem
 * is thrown as a PatchlineError whose place names the CSV line or the JSON path.
 *
 * The small table helpers at the bottom (reading, CSV rows, lists, time zones) are shared with the
 * owners directory parser.
 */
import { isIP } from "node:net";
import { parse as parseCsv } from "csv-parse/sync";
import { Temporal } from "temporal-polyfill";
import type { Asset, ChangeProfile, Criticality, Exposure, InstalledSoftware } from "../core/types.js";
import { type ErrorPlace, PatchlineError } from "../errors.js";
import { isObject, parseJsonText, readText } from "./read.js";
import type { ParsedBatch, ParseInput } from "./types.js";

/** One documented input column (used by the README tables). */
export interface ColumnDoc {
  name: string;
  required: boolean;
  description: string;
}

export const EXPOSURES: readonly Exposure[] = ["internet", "partner", "internal", "isolated"];
export const CRITICALITIES: readonly Criticality[] = ["critical", "high", "medium", "low"];

export const INVENTORY_COLUMNS: readonly ColumnDoc[] = [
  { name: "asset_id", required: true, description: "Unique id of the asset (compared without case)." },
  { name: "name", required: true, description: "Display name of the asset." },
  {
    name: "asset_group",
    required: true,
    description: "Group that is patched together; one handoff is made per advisory, asset group and owner.",
  },
  {
    name: "environment",
    required: true,
    description:
      "production, staging, development, test, dr or any other name (lower-cased; prod, stg, dev and " +
      '"disaster recovery" are shortened forms).',
  },
  {
    name: "exposure",
    required: true,
    description:
      "internet, partner, internal or isolated. Also accepted: internet-facing, public, external and dmz " +
      "(all mean internet), extranet (partner), intranet, private, corporate (internal), air-gapped, offline (isolated).",
  },
  {
    name: "roles",
    required: false,
    description:
      'Asset roles separated by ";" or "|": identity, edge, database, file-transfer, … (lower-cased).',
  },
  { name: "business_service", required: false, description: "Business service the asset supports." },
  {
    name: "criticality",
    required: false,
    description: "critical, high, medium or low; 1–4 also works (1 = critical). Empty means medium.",
  },
  {
    name: "system_owner",
    required: true,
    description: "Owner id (from the owners directory) of the team that executes changes on the asset.",
  },
  { name: "service_owner", required: false, description: "Owner id of the business service owner." },
  {
    name: "time_zone",
    required: false,
    description: "IANA time zone of the asset (America/New_York); must be a real zone.",
  },
  { name: "hostnames", required: false, description: 'Host names separated by ";" (lower-cased).' },
  { name: "ips", required: false, description: 'IPv4 or IPv6 addresses separated by ";".' },
  {
    name: "identifiers",
    required: false,
    description:
      'Other names scanners use for it, separated by ";": container images (ghcr.io/acme/shop:2.4), ' +
      "repository or web application URLs, Kubernetes workloads (cluster/namespace/Kind/name).",
  },
  {
    name: "software",
    required: false,
    description:
      'Installed software separated by ";". Each item is a package URL (pkg:maven/org.apache.logging.log4j/' +
      "log4j-core@2.14.1), a CPE (cpe:2.3:a:vendor:product:version:…) or vendor/product@version " +
      "(Palo Alto Networks/PAN-OS@10.2.7-h3). An empty or missing version (vendor/product@, or unknown) " +
      "means the installed version is not known.",
  },
  { name: "testing", required: false, description: "Change profile: how a patch is tested before rollout." },
  { name: "rollback", required: false, description: "Change profile: how a change is rolled back." },
  { name: "maintenance_window", required: false, description: "Change profile: when changes may be made." },
  { name: "dependencies", required: false, description: "Change profile: dependency risk to check." },
  { name: "approval", required: false, description: "Change profile: who approves the change." },
  { name: "communication", required: false, description: "Change profile: who is told, and how." },
  { name: "reboot", required: false, description: "Change profile: reboot or restart expectations." },
];

/** Other header spellings that mean a documented column (after header normalisation). */
const INVENTORY_ALIASES: Record<string, string> = {
  id: "asset_id",
  asset: "asset_id",
  asset_name: "name",
  group: "asset_group",
  env: "environment",
  role: "roles",
  service: "business_service",
  owner: "system_owner",
  timezone: "time_zone",
  tz: "time_zone",
  hostname: "hostnames",
  host: "hostnames",
  ip: "ips",
  ip_address: "ips",
  ip_addresses: "ips",
  identifier: "identifiers",
  images: "identifiers",
  image: "identifiers",
  repositories: "identifiers",
  repository: "identifiers",
  urls: "identifiers",
  url: "identifiers",
  packages: "software",
  testing_scope: "testing",
  rollback_plan: "rollback",
  window: "maintenance_window",
  dependency_risk: "dependencies",
};

const CHANGE_COLUMNS: readonly [string, keyof ChangeProfile][] = [
  ["testing", "testing"],
  ["rollback", "rollback"],
  ["maintenance_window", "maintenanceWindow"],
  ["dependencies", "dependencies"],
  ["approval", "approval"],
  ["communication", "communication"],
  ["reboot", "reboot"],
];

const EXPOSURE_WORDS: Record<string, Exposure> = {
  internet: "internet",
  "internet-facing": "internet",
  public: "internet",
  external: "internet",
  dmz: "internet",
  partner: "partner",
  extranet: "partner",
  internal: "internal",
  intranet: "internal",
  private: "internal",
  corporate: "internal",
  isolated: "isolated",
  "air-gapped": "isolated",
  airgapped: "isolated",
  offline: "isolated",
};

const CRITICALITY_WORDS: Record<string, Criticality> = {
  critical: "critical",
  high: "high",
  medium: "medium",
  low: "low",
  "1": "critical",
  "2": "high",
  "3": "medium",
  "4": "low",
};

const ENVIRONMENT_WORDS: Record<string, string> = {
  prod: "production",
  prd: "production",
  stage: "staging",
  stg: "staging",
  dev: "development",
  "disaster-recovery": "dr",
};

const UNKNOWN_VERSIONS = new Set(["", "?", "*", "unknown", "n/a", "na", "-"]);

/** Reads an asset inventory (CSV or JSON) and returns every asset, or throws on the first problem. */
export async function parseInventory(input: ParseInput): Promise<ParsedBatch> {
  const text = await readInputText(input);
  const file = input.displayName;
  const problems = new Problems();
  const assets = looksLikeJson(text)
    ? assetsFromJson(text, file, problems)
    : assetsFromCsv(text, file, problems);
  problems.throwIfAny();
  return { kind: "assets", assets };
}

// ---------------------------------------------------------------- CSV

function assetsFromCsv(text: string, file: string, problems: Problems): Asset[] {
  const table = readCsvTable(text, file, INVENTORY_COLUMNS, INVENTORY_ALIASES);
  const assets: Asset[] = [];
  const seen = new Map<string, string>();
  for (const row of table.rows) {
    const fields = csvFields(table, row, file, problems);
    const asset = buildAsset(fields, problems);
    if (!asset) continue;
    const key = asset.id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add(
        { file, line: row.line },
        `asset_id "${asset.id}" is used twice: line ${first} and line ${row.line}`,
      );
      continue;
    }
    seen.set(key, String(row.line));
    assets.push(asset);
  }
  return assets;
}

// ---------------------------------------------------------------- JSON

/** JSON keys for each CSV column (camelCase as in Asset; change-profile keys live under "change"). */
const JSON_KEYS: Record<string, string> = {
  asset_id: "id",
  name: "name",
  asset_group: "assetGroup",
  environment: "environment",
  exposure: "exposure",
  roles: "roles",
  business_service: "businessService",
  criticality: "criticality",
  system_owner: "systemOwner",
  service_owner: "serviceOwner",
  time_zone: "timeZone",
  hostnames: "hostnames",
  ips: "ips",
  identifiers: "identifiers",
  software: "software",
  testing: "change/testing",
  rollback: "change/rollback",
  maintenance_window: "change/maintenanceWindow",
  dependencies: "change/dependencies",
  approval: "change/approval",
  communication: "change/communication",
  reboot: "change/reboot",
};

function assetsFromJson(text: string, file: string, problems: Problems): Asset[] {
  const doc = parseJsonText(text, file);
  const { items, base } = jsonArray(doc, "assets", file);
  const assets: Asset[] = [];
  const seen = new Map<string, string>();
  items.forEach((item, index) => {
    const at = `${base}/${index}`;
    if (!isObject(item)) {
      problems.add({ file, path: at }, "expected an asset object");
      return;
    }
    const change = item.change;
    if (change !== undefined && change !== null && !isObject(change)) {
      problems.add({ file, path: `${at}/change` }, "change must be an object with testing, rollback, …");
      return;
    }
    const fields = jsonFields(item, at, file, JSON_KEYS, problems);
    const asset = buildAsset(fields, problems);
    if (!asset) return;
    const key = asset.id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add({ file, path: `${at}/id` }, `id "${asset.id}" is used twice: ${first} and ${at}`);
      return;
    }
    seen.set(key, at);
    assets.push(asset);
  });
  return assets;
}

// ---------------------------------------------------------------- one asset

function buildAsset(f: FieldReader, problems: Problems): Asset | undefined {
  const before = problems.count;
  const id = f.text("asset_id", true);
  const name = f.text("name", true);
  const assetGroup = f.text("asset_group", true);
  const environmentText = f.text("environment", true);
  const exposure = f.choice("exposure", true, EXPOSURE_WORDS, EXPOSURES);
  const criticality = f.choice("criticality", false, CRITICALITY_WORDS, CRITICALITIES) ?? "medium";
  const systemOwner = f.text("system_owner", true);
  const serviceOwner = f.text("service_owner", false);
  const businessService = f.text("business_service", false);
  const timeZone = f.zone("time_zone", false);
  const roles = unique(f.list("roles", /[;|\n]/).map(slug));
  const hostnames = unique(f.list("hostnames", /[;|\s]/).map((h) => h.toLowerCase()));
  const ips = unique(f.list("ips", /[;|\s]/));
  const identifiers = unique(f.list("identifiers", /[;|\s]/));
  for (const ip of ips) {
    if (isIP(ip) === 0) f.problem("ips", `"${ip}" is not an IPv4 or IPv6 address`);
  }
  const software: InstalledSoftware[] = [];
  for (const item of f.softwareItems("software")) {
    const parsed = typeof item === "string" ? parseSoftware(item) : softwareFromObject(item);
    if ("error" in parsed) f.problem("software", parsed.error);
    else software.push(parsed.software);
  }
  const change: ChangeProfile = {};
  for (const [column, key] of CHANGE_COLUMNS) {
    const value = f.text(column, false);
    if (value !== undefined) change[key] = value;
  }
  if (problems.count > before) return undefined;
  if (!id || !name || !assetGroup || !environmentText || !exposure || !systemOwner) return undefined;

  const asset: Asset = {
    id,
    name,
    assetGroup,
    environment: normaliseEnvironment(environmentText),
    exposure,
    roles,
    criticality,
    systemOwner,
    hostnames,
    ips,
    software,
  };
  if (businessService !== undefined) asset.businessService = businessService;
  if (serviceOwner !== undefined) asset.serviceOwner = serviceOwner;
  if (timeZone !== undefined) asset.timeZone = timeZone;
  if (identifiers.length > 0) asset.identifiers = identifiers;
  if (Object.keys(change).length > 0) asset.change = change;
  return asset;
}

function normaliseEnvironment(text: string): string {
  const key = slug(text);
  return ENVIRONMENT_WORDS[key] ?? text.trim().toLowerCase().replace(/\s+/g, " ");
}

// ---------------------------------------------------------------- software

/**
 * Parses one installed-software item: a package URL, a CPE (2.3 formatted string or 2.2 URI), or
 * vendor/product@version. Returns the software or a one-line reason.
 */
export function parseSoftware(text: string): { software: InstalledSoftware } | { error: string } {
  const item = text.trim();
  const lower = item.toLowerCase();
  if (lower.startsWith("pkg:")) return parsePurl(item);
  if (lower.startsWith("cpe:")) return parseCpe(item);
  const slash = item.indexOf("/");
  if (slash < 0) {
    return {
      error:
        `"${item}" is not a package URL (pkg:type/namespace/name@version), ` +
        "a CPE (cpe:2.3:…) or vendor/product@version",
    };
  }
  const vendor = item.slice(0, slash).trim();
  const rest = item.slice(slash + 1);
  const at = rest.lastIndexOf("@");
  const product = (at < 0 ? rest : rest.slice(0, at)).trim();
  const version = at < 0 ? undefined : knownVersion(rest.slice(at + 1));
  if (!vendor || !product) {
    return { error: `"${item}" needs both a vendor and a product: vendor/product@version` };
  }
  const software: InstalledSoftware = { vendor, product };
  if (version !== undefined) software.version = version;
  return { software };
}

function parsePurl(item: string): { software: InstalledSoftware } | { error: string } {
  const body = item.slice(4).replace(/^\/+/, "");
  const slash = body.indexOf("/");
  const type = slash < 0 ? "" : body.slice(0, slash).toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) {
    return { error: `package URL "${item}" has no valid type: expected pkg:type/namespace/name@version` };
  }
  let rest = body.slice(slash + 1);
  for (const mark of ["#", "?"]) {
    const cut = rest.indexOf(mark);
    if (cut >= 0) rest = rest.slice(0, cut);
  }
  const lastSlash = rest.lastIndexOf("/");
  const at = rest.lastIndexOf("@");
  const hasVersion = at > lastSlash;
  const path = hasVersion ? rest.slice(0, at) : rest;
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (!name) return { error: `package URL "${item}" has no package name` };
  let decodedName: string;
  let version: string | undefined;
  try {
    decodedName = decodeURIComponent(name);
    version = hasVersion ? knownVersion(decodeURIComponent(rest.slice(at + 1))) : undefined;
  } catch {
    return { error: `package URL "${item}" has a broken percent-encoding` };
  }
  const software: InstalledSoftware = { purl: `pkg:${type}/${body.slice(slash + 1)}`, product: decodedName };
  if (version !== undefined) software.version = version;
  return { software };
}

function parseCpe(item: string): { software: InstalledSoftware } | { error: string } {
  let parts: string[];
  if (item.toLowerCase().startsWith("cpe:2.3:")) {
    parts = item
      .split(/(?<!\\):/)
      .slice(3)
      .map((p) => p.replace(/\\(.)/g, "$1"));
  } else if (item.toLowerCase().startsWith("cpe:/")) {
    try {
      parts = item
        .slice(5)
        .split(":")
        .slice(1)
        .map((p) => decodeURIComponent(p));
    } catch {
      return { error: `CPE "${item}" has a broken percent-encoding` };
    }
  } else {
    return { error: `CPE "${item}" must start with cpe:2.3: or cpe:/` };
  }
  const [vendor, product, version] = parts;
  const missing = (v: string | undefined) => v === undefined || v === "" || v === "*" || v === "-";
  if (missing(vendor) || missing(product)) {
    return { error: `CPE "${item}" must name a vendor and a product` };
  }
  const software: InstalledSoftware = { cpe: item, vendor: vendor as string, product: product as string };
  const known = version === undefined ? undefined : knownVersion(version);
  if (known !== undefined) software.version = known;
  return { software };
}

function knownVersion(text: string): string | undefined {
  const v = text.trim();
  return UNKNOWN_VERSIONS.has(v.toLowerCase()) ? undefined : v;
}

/** One line for an installed item: the purl, the CPE, or vendor/product@version. */
export function formatSoftware(s: InstalledSoftware): string {
  if (s.purl) return s.version && !s.purl.includes("@") ? `${s.purl}@${s.version}` : s.purl;
  if (s.cpe) return s.cpe;
  return `${s.vendor ?? ""}/${s.product ?? ""}@${s.version ?? ""}`;
}

function softwareFromObject(
  value: Record<string, unknown>,
): { software: InstalledSoftware } | { error: string } {
  const fields = ["purl", "cpe", "vendor", "product", "version"] as const;
  const software: InstalledSoftware = {};
  for (const key of fields) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") return { error: `${key} must be text` };
    if (v.trim() !== "") software[key] = v.trim();
  }
  for (const key of ["purl", "cpe"] as const) {
    const text = software[key];
    if (text === undefined) continue;
    const parsed = parseSoftware(text);
    if ("error" in parsed) return parsed;
    const from = parsed.software;
    if (software.version !== undefined && from.version !== undefined && software.version !== from.version) {
      return { error: `version "${software.version}" differs from the version in ${key} "${text}"` };
    }
    software[key] = from[key];
    software.product ??= from.product;
    if (key === "cpe") software.vendor ??= from.vendor;
    if (from.version !== undefined) software.version = from.version;
  }
  if (software.version !== undefined) {
    const known = knownVersion(software.version);
    if (known === undefined) delete software.version;
  }
  if (!software.purl && !software.cpe && !(software.vendor && software.product)) {
    return { error: "each item needs a purl, a cpe, or both vendor and product" };
  }
  return { software };
}

// ---------------------------------------------------------------- field readers

/** Reads one record's fields by CSV column name, whatever the input format. */
export interface FieldReader {
  text(column: string, required: boolean): string | undefined;
  choice<T extends string>(
    column: string,
    required: boolean,
    words: Record<string, T>,
    allowed: readonly T[],
  ): T | undefined;
  zone(column: string, required: boolean): string | undefined;
  list(column: string, separators: RegExp): string[];
  softwareItems(column: string): (string | Record<string, unknown>)[];
  problem(column: string, message: string): void;
}

interface RawField {
  value: unknown;
  place: ErrorPlace;
  label: string;
}

function makeReader(get: (column: string) => RawField, problems: Problems): FieldReader {
  const text = (column: string, required: boolean): string | undefined => {
    const { value, place, label } = get(column);
    let out: string | undefined;
    if (typeof value === "string") out = value.trim();
    else if (typeof value === "number" && Number.isFinite(value)) out = String(value);
    else if (value !== undefined && value !== null) {
      problems.add(place, `${label} must be text`);
      return undefined;
    }
    if (out === undefined || out === "") {
      if (required) problems.add(place, `${label} is missing or empty`);
      return undefined;
    }
    return out;
  };
  return {
    text,
    choice(column, required, words, allowed) {
      const value = text(column, required);
      if (value === undefined) return undefined;
      const found = words[slug(value)];
      if (found === undefined) {
        const { place, label } = get(column);
        problems.add(place, `${label} "${value}" is not allowed; use one of: ${allowed.join(", ")}`);
      }
      return found;
    },
    zone(column, required) {
      const value = text(column, required);
      if (value === undefined) return undefined;
      const zone = canonicalTimeZone(value);
      if (zone === undefined) {
        const { place, label } = get(column);
        problems.add(place, `${label} "${value}" is not an IANA time zone (for example Europe/Amsterdam)`);
      }
      return zone;
    },
    list(column, separators) {
      const { value, place, label } = get(column);
      if (value === undefined || value === null) return [];
      if (typeof value === "string") return splitList(value, separators);
      if (Array.isArray(value)) {
        const out: string[] = [];
        for (const v of value) {
          if (typeof v !== "string") {
            problems.add(place, `${label} must be a list of text`);
            return [];
          }
          if (v.trim() !== "") out.push(v.trim());
        }
        return out;
      }
      problems.add(place, `${label} must be a list or text separated by ";"`);
      return [];
    },
    softwareItems(column) {
      const { value, place, label } = get(column);
      if (value === undefined || value === null) return [];
      if (typeof value === "string") return splitList(value, /[;\n]/);
      if (!Array.isArray(value)) {
        problems.add(place, `${label} must be a list`);
        return [];
      }
      const out: (string | Record<string, unknown>)[] = [];
      for (const v of value) {
        if (typeof v === "string") {
          if (v.trim() !== "") out.push(v);
        } else if (isObject(v)) out.push(v);
        else problems.add(place, `${label} items must be text or objects`);
      }
      return out;
    },
    problem(column, message) {
      const { place, label } = get(column);
      problems.add(place, `${label}: ${message}`);
    },
  };
}

function csvFields(table: CsvTable, row: CsvRow, file: string, problems: Problems): FieldReader {
  return makeReader((column) => {
    const index = table.columns.get(column);
    return {
      value: index === undefined ? undefined : (row.cells[index] ?? ""),
      place: { file, line: row.line },
      label: column,
    };
  }, problems);
}

function jsonFields(
  item: Record<string, unknown>,
  at: string,
  file: string,
  keys: Record<string, string>,
  problems: Problems,
): FieldReader {
  return makeReader((column) => {
    const key = keys[column] ?? column;
    const parts = key.split("/");
    let value: unknown = item;
    for (const part of parts) value = isObject(value) ? value[part] : undefined;
    return { value, place: { file, path: `${at}/${key}` }, label: parts[parts.length - 1] ?? key };
  }, problems);
}

// ---------------------------------------------------------------- problems

/** Collects every problem of one parse; the first (in file order) is thrown. */
export class Problems {
  private readonly list: { place: ErrorPlace; message: string }[] = [];

  get count(): number {
    return this.list.length;
  }

  add(place: ErrorPlace, message: string): void {
    this.list.push({ place, message });
  }

  throwIfAny(): void {
    const first = this.list[0];
    if (!first) return;
    const more = this.list.length - 1;
    const suffix = more > 0 ? ` (and ${more} more problem${more === 1 ? "" : "s"})` : "";
    const all = this.list
      .slice(0, 50)
      .map((p) => new PatchlineError("VALIDATION_ERROR", p.message, p.place).oneLine());
    throw new PatchlineError("VALIDATION_ERROR", first.message + suffix, first.place, {
      problems: all,
      count: this.list.length,
    });
  }
}

// ---------------------------------------------------------------- shared table helpers

/** The whole file as text (gunzipped, without a byte-order mark); an empty file is refused. */
export async function readInputText(input: ParseInput): Promise<string> {
  const text = await readText(input);
  if (text.trim() === "")
    throw new PatchlineError("PARSE_ERROR", "the file is empty", { file: input.displayName });
  return text;
}

/** True when the first non-space character opens a JSON array or object. */
export function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === "[" || first === "{";
}

/** The record array of a JSON document: `{"<key>": [...]}` or a top-level array. */
export function jsonArray(doc: unknown, key: string, file: string): { items: unknown[]; base: string } {
  if (Array.isArray(doc)) return { items: doc, base: "" };
  if (isObject(doc) && Array.isArray(doc[key])) return { items: doc[key] as unknown[], base: `/${key}` };
  const path = isObject(doc) && key in doc ? `/${key}` : "";
  throw new PatchlineError("VALIDATION_ERROR", `expected an object with a "${key}" array, or an array`, {
    file,
    path,
  });
}

/** Header cell to column name: lower-case, spaces, "-" and "_" all become "_". */
export function normaliseHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** Lower-case, with spaces and "_" turned into "-": "File Transfer" → "file-transfer". */
export function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
}

export function splitList(text: string, separators: RegExp): string[] {
  return text
    .split(separators)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

const zoneCache = new Map<string, string | undefined>();

/** The canonical spelling of an IANA zone name, or undefined when it is not one (offsets are refused). */
export function canonicalTimeZone(text: string): string | undefined {
  const name = text.trim();
  if (zoneCache.has(name)) return zoneCache.get(name);
  let zone: string | undefined;
  if (/^[A-Za-z]/.test(name)) {
    try {
      zone = Temporal.ZonedDateTime.from({ year: 2000, month: 1, day: 1, timeZone: name }).timeZoneId;
    } catch {
      zone = undefined;
    }
  }
  zoneCache.set(name, zone);
  return zone;
}

export interface CsvRow {
  /** 1-based line on which the row starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  /** Documented column name → cell index. */
  columns: Map<string, number>;
  rows: CsvRow[];
}

/**
 * Parses CSV text with a header row. Header names are matched without case, with "_", "-" and
 * space equivalent, and through the alias table; unknown columns are ignored. Throws at line 1 when
 * a required column is missing or a column appears twice, and PARSE_ERROR for broken CSV.
 */
export function readCsvTable(
  text: string,
  file: string,
  docs: readonly ColumnDoc[],
  aliases: Record<string, string>,
): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text.replace(/\r\n?/g, "\n"), {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    const message = (err.message ?? "broken CSV").replace(/ at line \d+/, "");
    const place: ErrorPlace = { file };
    if (typeof err.lines === "number") place.line = err.lines;
    throw new PatchlineError("PARSE_ERROR", `not valid CSV: ${message}`, place);
  }
  const rows: CsvRow[] = [];
  for (const r of records) {
    if (r.record.every((c) => c.trim() === "")) continue;
    // info.lines is the line the record ends on; quoted cells may span lines.
    let inner = 0;
    for (const c of r.record) if (c.includes("\n")) inner += c.split("\n").length - 1;
    rows.push({ line: r.info.lines - inner, cells: r.record });
  }
  const header = rows.shift();
  if (!header) throw new PatchlineError("PARSE_ERROR", "the file has no header row", { file });
  const known = new Set(docs.map((d) => d.name));
  const columns = new Map<string, number>();
  header.cells.forEach((cell, index) => {
    const normal = normaliseHeader(cell);
    const name = known.has(normal) ? normal : aliases[normal];
    if (name === undefined) return;
    const earlier = columns.get(name);
    if (earlier !== undefined) {
      throw new PatchlineError(
        "VALIDATION_ERROR",
        `column ${name} appears twice (columns ${earlier + 1} and ${index + 1})`,
        { file, line: header.line },
      );
    }
    columns.set(name, index);
  });
  const missing = docs.filter((d) => d.required && !columns.has(d.name)).map((d) => d.name);
  if (missing.length > 0) {
    throw new PatchlineError(
      "VALIDATION_ERROR",
      `missing required column${missing.length === 1 ? "" : "s"} ${missing.join(", ")}; required: ` +
        docs
          .filter((d) => d.required)
          .map((d) => d.name)
          .join(", "),
      { file, line: header.line },
    );
  }
  const width = header.cells.length;
  for (const row of rows) {
    if (row.cells.length > width && row.cells.slice(width).some((c) => c.trim() !== "")) {
      throw new PatchlineError(
        "PARSE_ERROR",
        `the row has ${row.cells.length} cells but the header has ${width}; quote values that contain commas`,
        { file, line: row.line },
      );
    }
  }
  return { columns, rows };
}
