/**
 * Canonical JSON: object keys sorted (by UTF-16 code units) at every level, undefined members left
 * out, so the same content always serialises — and hashes — the same whatever order its keys were
 * built in. Used for content hashes in the store and for the event chain.
 */

function write(value: unknown, inArray: boolean): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return JSON.stringify(value.toString());
    case "object": {
      if (value === null) return "null";
      const json = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof json === "function") return write(json.call(value), inArray);
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ",";
          out += write(value[i], true);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = "{";
      for (const key of keys) {
        const v = write(record[key], false);
        if (v === undefined) continue;
        out += `${out.length === 1 ? "" : ","}${JSON.stringify(key)}:${v}`;
      }
      return `${out}}`;
    }
    default:
      // undefined, functions and symbols: left out of objects, null inside arrays (as JSON does)
      return inArray ? "null" : undefined;
  }
}

/** JSON text with object keys sorted (by UTF-16 code units) at every level; undefined members are left out. */
export function canonicalJson(value: unknown): string {
  return write(value, false) ?? "null";
}
