/**
 * Maven version ordering: the semantics of Maven's ComparableVersion (maven-artifact 3.9).
 *
 * A version is lower-cased and split into items on '.', '-' and transitions between digits and
 * letters. A '-' (and a digit/letter transition) opens a nested list, so "1-1" is [1, [1]]; a
 * trailing qualifier after '.' is nested the same way, so "2.0.a" == "2-a" == "2.0.0.a". Letters
 * directly followed by digits form a combination ("alpha2", "rc1"; "a1"/"b1"/"m1" mean alpha, beta,
 * milestone). Trailing null items (0, "", empty lists) are dropped: "1.0" == "1" == "1-0".
 *
 * Qualifiers order alpha < beta < milestone < rc (= cr) < snapshot < "" (= ga, final, release) <
 * sp < any other word (lexically). Numbers beat lists, lists beat words and combinations:
 * "1-SNAPSHOT" < "1" < "1-sp" < "1-abc" < "1-1" < "1.1".
 */

type Item =
  | { kind: "int"; value: bigint }
  | { kind: "string"; value: string }
  | { kind: "combination"; text: StringItem; digits: Item }
  | { kind: "list"; items: Item[] };

type StringItem = { kind: "string"; value: string };

const QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_QUALIFIERS = new Set(["ga", "final", "release"]);
const RELEASE_INDEX = String(QUALIFIERS.indexOf(""));

function stringItem(raw: string, followedByDigit: boolean): StringItem {
  let value = raw;
  if (followedByDigit && value.length === 1) {
    if (value === "a") value = "alpha";
    else if (value === "b") value = "beta";
    else if (value === "m") value = "milestone";
  }
  if (value === "cr") value = "rc";
  return { kind: "string", value };
}

/** A sortable key: known qualifiers by rank, unknown ones after all of them, lexically. */
function qualifierKey(q: string): string {
  if (RELEASE_QUALIFIERS.has(q)) return RELEASE_INDEX;
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isNull(item: Item): boolean {
  switch (item.kind) {
    case "int":
      return item.value === 0n;
    case "string":
      return item.value === "";
    case "combination":
      return false;
    case "list":
      return item.items.length === 0;
  }
}

function digitItem(text: string): Item {
  return { kind: "int", value: /^[0-9]+$/.test(text) ? BigInt(text) : 0n };
}

function combination(text: string): Item {
  const t = text.replace(/-/g, "");
  const at = t.search(/[0-9]/);
  const index = at < 0 ? 0 : at;
  return {
    kind: "combination",
    text: stringItem(t.slice(0, index), true),
    digits: digitItem(t.slice(index)),
  };
}

function parseItem(isCombination: boolean, isDigit: boolean, text: string): Item {
  if (isCombination) return combination(text);
  if (isDigit) return digitItem(text);
  return stringItem(text, false);
}

/** Compares `a` with `b`; b === null stands for "nothing here" (the other version ran out). */
function compareItem(a: Item, b: Item | null): number {
  switch (a.kind) {
    case "int":
      if (b === null) return a.value === 0n ? 0 : 1;
      if (b.kind === "int") return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
      return 1; // 1.1 > 1-sp, 1.1 > 1-1
    case "string":
      if (b === null) return cmpStr(qualifierKey(a.value), RELEASE_INDEX);
      if (b.kind === "string") return cmpStr(qualifierKey(a.value), qualifierKey(b.value));
      if (b.kind === "combination") {
        const r = compareItem(a, b.text);
        return r === 0 ? -1 : r;
      }
      return -1; // 1.any < 1.1, 1.any < 1-1
    case "combination":
      if (b === null) return compareItem(a.text, null);
      if (b.kind === "string") {
        const r = compareItem(a.text, b);
        return r === 0 ? 1 : r; // X1 > X
      }
      if (b.kind === "combination") {
        const r = compareItem(a.text, b.text);
        return r === 0 ? compareItem(a.digits, b.digits) : r;
      }
      return -1;
    case "list": {
      if (b === null) {
        for (const item of a.items) {
          const r = compareItem(item, null);
          if (r !== 0) return r;
        }
        return 0;
      }
      if (b.kind === "int") return -1; // 1-1 < 1.0.x
      if (b.kind === "string" || b.kind === "combination") return 1; // 1-1 > 1-sp
      const n = Math.max(a.items.length, b.items.length);
      for (let i = 0; i < n; i++) {
        const l = a.items[i];
        const r = b.items[i] ?? null;
        const result = l === undefined ? (r === null ? 0 : -compareItem(r, null)) : compareItem(l, r);
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

/** Drops null items the way ComparableVersion normalises each list. */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i] as Item;
    if (!isNull(item)) continue;
    const next = list[i + 1];
    if (next === undefined || next.kind === "string") {
      list.splice(i, 1);
    } else if (next.kind === "list") {
      const first = next.items[0];
      if (first !== undefined && (first.kind === "combination" || first.kind === "string")) list.splice(i, 1);
    }
  }
}

const isAsciiDigit = (c: string): boolean => c >= "0" && c <= "9";

/** Parses a version into ComparableVersion's item tree. */
export function parseMaven(text: string): Item {
  const version = text.toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  const nest = (): void => {
    const sub: Item[] = [];
    list.push({ kind: "list", items: sub });
    list = sub;
    stack.push(sub);
  };
  let isDigit = false;
  let isCombination = false;
  let start = 0;
  for (let i = 0; i < version.length; i++) {
    const c = version.charAt(i);
    if (c === ".") {
      list.push(i === start ? digitItem("0") : parseItem(isCombination, isDigit, version.slice(start, i)));
      isCombination = false;
      start = i + 1;
    } else if (c === "-") {
      if (i === start) {
        list.push(digitItem("0"));
      } else {
        // "X-1" reads as "X1".
        if (!isDigit && i !== version.length - 1 && isAsciiDigit(version.charAt(i + 1))) {
          isCombination = true;
          continue;
        }
        list.push(parseItem(isCombination, isDigit, version.slice(start, i)));
      }
      start = i + 1;
      if (list.length > 0) nest();
      isCombination = false;
    } else if (isAsciiDigit(c)) {
      if (!isDigit && i > start) {
        // Letters followed by digits: a combination such as "rc1".
        isCombination = true;
        if (list.length > 0) nest();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(isCombination, true, version.slice(start, i)));
        start = i;
        nest();
        isCombination = false;
      }
      isDigit = false;
    }
  }
  if (version.length > start) {
    // "1.0.0.X1" < "1.0.0-X2": a trailing ".X" reads as "-X".
    if (!isDigit && list.length > 0) nest();
    list.push(parseItem(isCombination, isDigit, version.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop() as Item[]);
  return { kind: "list", items: root };
}

/** Parsed versions, memoised: an estate repeats the same few thousand version strings. */
const PARSED = new Map<string, Item>();
const CACHE_LIMIT = 50_000;

function parsed(text: string): Item {
  let hit = PARSED.get(text);
  if (hit === undefined) {
    hit = parseMaven(text);
    if (PARSED.size >= CACHE_LIMIT) PARSED.clear();
    PARSED.set(text, hit);
  }
  return hit;
}

/** -1, 0 or 1 in Maven order; null for empty text or text with whitespace. */
export function compareMaven(a: string, b: string): number | null {
  const ta = a.trim();
  const tb = b.trim();
  if (ta === "" || tb === "" || /\s/.test(ta) || /\s/.test(tb)) return null;
  const r = compareItem(parsed(ta), parsed(tb));
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}
