/**
 * Owners directory parser: CSV or JSON in, validated Owner records out.
 *
 * Every owner is checked before anything is returned; escalation targets must name an owner in the
 * same file, and an escalation chain may not loop back on itself.
 */
import type { FunctionalRole, Owner } from "../core/types.js";
import type { ErrorPlace } from "../errors.js";
import {
  type ColumnDoc,
  type CsvRow,
  canonicalTimeZone,
  jsonArray,
  looksLikeJson,
  Problems,
  readCsvTable,
  readInputText,
  slug,
  splitList,
} from "./inventory.js";
import { isObject, parseJsonText } from "./read.js";
import type { ParsedBatch, ParseInput } from "./types.js";

export const FUNCTIONAL_ROLES: readonly FunctionalRole[] = [
  "security",
  "system-owner",
  "service-owner",
  "governance",
  "leadership",
];

export const OWNER_COLUMNS: readonly ColumnDoc[] = [
  { name: "owner_id", required: true, description: "Unique id used by the inventory and by escalates_to." },
  { name: "name", required: true, description: "Person or team name shown in handoffs." },
  { name: "kind", required: false, description: "person or team; empty means team." },
  {
    name: "roles",
    required: false,
    description:
      'Functional roles separated by ";": security, system-owner, service-owner, governance, leadership. ' +
      'Also accepted: "system owner" and "patch owner" (system-owner), "business owner" (service-owner), ' +
      '"risk", "grc" and "governance/risk" (governance), "executive" (leadership).',
  },
  { name: "time_zone", required: true, description: "IANA time zone (Asia/Kolkata); must be a real zone." },
  {
    name: "contact",
    required: false,
    description: "Where handoffs reach the owner: e-mail, channel, queue.",
  },
  {
    name: "escalates_to",
    required: false,
    description: "Owner id to escalate to when a checkpoint is missed; must be an owner in the same file.",
  },
];

const OWNER_ALIASES: Record<string, string> = {
  id: "owner_id",
  owner: "owner_id",
  owner_name: "name",
  type: "kind",
  role: "roles",
  timezone: "time_zone",
  tz: "time_zone",
  email: "contact",
  escalate_to: "escalates_to",
  escalation: "escalates_to",
};

const ROLE_WORDS: Record<string, FunctionalRole> = {
  security: "security",
  "system-owner": "system-owner",
  "patch-owner": "system-owner",
  "service-owner": "service-owner",
  "business-owner": "service-owner",
  governance: "governance",
  risk: "governance",
  grc: "governance",
  "governance/risk": "governance",
  "governance-risk": "governance",
  leadership: "leadership",
  executive: "leadership",
};

const JSON_KEYS: Record<string, string> = {
  owner_id: "id",
  name: "name",
  kind: "kind",
  roles: "roles",
  time_zone: "timeZone",
  contact: "contact",
  escalates_to: "escalatesTo",
};

interface Located {
  owner: Owner;
  /** Where the record is: line for CSV, JSON pointer of the record for JSON. */
  where: ErrorPlace;
  /** Where its escalates_to value is. */
  escalationPlace: ErrorPlace;
  label: string;
}

/** Reads an owners directory (CSV or JSON) and returns every owner, or throws on the first problem. */
export async function parseOwners(input: ParseInput): Promise<ParsedBatch> {
  const text = await readInputText(input);
  const file = input.displayName;
  const problems = new Problems();
  const located = looksLikeJson(text)
    ? ownersFromJson(text, file, problems)
    : ownersFromCsv(text, file, problems);
  if (problems.count === 0) checkDirectory(located, problems);
  problems.throwIfAny();
  return { kind: "owners", owners: located.map((l) => l.owner) };
}

function ownersFromCsv(text: string, file: string, problems: Problems): Located[] {
  const table = readCsvTable(text, file, OWNER_COLUMNS, OWNER_ALIASES);
  const out: Located[] = [];
  for (const row of table.rows) {
    const place: ErrorPlace = { file, line: row.line };
    const get = (column: string): Raw => ({ value: cell(table.columns, row, column), place, label: column });
    const owner = buildOwner(get, problems);
    if (owner) out.push({ owner, where: place, escalationPlace: place, label: `line ${row.line}` });
  }
  return out;
}

function ownersFromJson(text: string, file: string, problems: Problems): Located[] {
  const doc = parseJsonText(text, file);
  const { items, base } = jsonArray(doc, "owners", file);
  const out: Located[] = [];
  items.forEach((item, index) => {
    const at = `${base}/${index}`;
    if (!isObject(item)) {
      problems.add({ file, path: at }, "expected an owner object");
      return;
    }
    const get = (column: string): Raw => {
      const key = JSON_KEYS[column] ?? column;
      return { value: item[key], place: { file, path: `${at}/${key}` }, label: key };
    };
    const owner = buildOwner(get, problems);
    if (owner) {
      out.push({
        owner,
        where: { file, path: `${at}/id` },
        escalationPlace: { file, path: `${at}/escalatesTo` },
        label: at,
      });
    }
  });
  return out;
}

interface Raw {
  value: unknown;
  place: ErrorPlace;
  label: string;
}

function cell(columns: Map<string, number>, row: CsvRow, column: string): string | undefined {
  const index = columns.get(column);
  return index === undefined ? undefined : (row.cells[index] ?? "");
}

function buildOwner(get: (column: string) => Raw, problems: Problems): Owner | undefined {
  const before = problems.count;
  const text = (column: string, required: boolean): string | undefined => {
    const { value, place, label } = get(column);
    if (value === undefined || value === null || value === "") {
      if (required) problems.add(place, `${label} is missing or empty`);
      return undefined;
    }
    if (typeof value !== "string") {
      problems.add(place, `${label} must be text`);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === "" && required) problems.add(place, `${label} is missing or empty`);
    return trimmed === "" ? undefined : trimmed;
  };

  const id = text("owner_id", true);
  const name = text("name", true);
  const kindText = text("kind", false);
  let kind: Owner["kind"] = "team";
  if (kindText !== undefined) {
    const k = kindText.toLowerCase();
    if (k === "person" || k === "team") kind = k;
    else
      problems.add(
        get("kind").place,
        `${get("kind").label} "${kindText}" is not allowed; use person or team`,
      );
  }
  const roles: FunctionalRole[] = [];
  for (const word of roleWords(get("roles"), problems)) {
    const role = ROLE_WORDS[slug(word)];
    if (role === undefined) {
      const { place, label } = get("roles");
      problems.add(place, `${label}: "${word}" is not a role; use one of: ${FUNCTIONAL_ROLES.join(", ")}`);
    } else if (!roles.includes(role)) roles.push(role);
  }
  const zoneText = text("time_zone", true);
  let timeZone: string | undefined;
  if (zoneText !== undefined) {
    timeZone = canonicalTimeZone(zoneText);
    if (timeZone === undefined) {
      const { place, label } = get("time_zone");
      problems.add(place, `${label} "${zoneText}" is not an IANA time zone (for example Europe/Amsterdam)`);
    }
  }
  const contact = text("contact", false);
  const escalatesTo = text("escalates_to", false);
  if (problems.count > before || !id || !name || !timeZone) return undefined;
  const owner: Owner = { id, name, kind, roles, timeZone };
  if (contact !== undefined) owner.contact = contact;
  if (escalatesTo !== undefined) owner.escalatesTo = escalatesTo;
  return owner;
}

function roleWords(raw: Raw, problems: Problems): string[] {
  const { value, place, label } = raw;
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return splitList(value, /[;|\n]/);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return (value as string[]).map((v) => v.trim()).filter((v) => v !== "");
  }
  problems.add(place, `${label} must be a list of roles or text separated by ";"`);
  return [];
}

/** Unique ids (compared without case), escalation targets that exist, and no escalation loops. */
function checkDirectory(located: Located[], problems: Problems): void {
  const byId = new Map<string, Located>();
  for (const l of located) {
    const key = l.owner.id.toLowerCase();
    const first = byId.get(key);
    if (first) {
      problems.add(l.where, `owner_id "${l.owner.id}" is used twice: ${first.label} and ${l.label}`);
    } else byId.set(key, l);
  }
  if (problems.count > 0) return;
  for (const l of located) {
    const target = l.owner.escalatesTo;
    if (target === undefined) continue;
    const found = byId.get(target.toLowerCase());
    if (!found) {
      problems.add(l.escalationPlace, `escalates_to "${target}" names no owner in this file`);
    } else if (found === l) {
      problems.add(l.escalationPlace, `escalates_to "${target}" names the owner itself`);
    } else {
      l.owner.escalatesTo = found.owner.id;
    }
  }
  if (problems.count > 0) return;
  const reported = new Set<string>();
  for (const start of located) {
    const chain: string[] = [start.owner.id];
    let next = start.owner.escalatesTo;
    while (next !== undefined) {
      if (chain.includes(next)) {
        // Reported once, by the first owner of the loop in file order.
        const key = [...chain].sort().join(",");
        if (next === start.owner.id && !reported.has(key)) {
          reported.add(key);
          problems.add(start.escalationPlace, `escalation loops back: ${[...chain, next].join(" → ")}`);
        }
        break;
      }
      chain.push(next);
      next = byId.get(next.toLowerCase())?.owner.escalatesTo;
    }
  }
}
