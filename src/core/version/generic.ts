/**
 * Generic version ordering for schemes without a dedicated comparator ("custom", "generic", vendor
 * builds like PAN-OS "10.2.9-h1", OpenSSH "9.8p1"). A version is split into runs of digits and runs
 * of letters; separators only delimit runs. Runs compare pairwise: numbers numerically, words
 * alphabetically. Well-known pre-release words (alpha, beta, rc, …) sort before the release they
 * precede; any other suffix (hotfix "h1", patch "p1", build "b2") sorts after it.
 */

type Token = number | string;

const PRE_RELEASE = new Set([
  "alpha",
  "beta",
  "rc",
  "pre",
  "preview",
  "dev",
  "snapshot",
  "cr",
  "ea",
  "milestone",
]);

/**
 * True when the text looks like a version at all: an optional epoch or "v", a digit, no spaces,
 * and not a commit hash ("63a07379fdb6…").
 */
export function isVersionLike(text: string): boolean {
  return parsed(text) !== null;
}

function checkVersionLike(text: string): boolean {
  const t = text.trim();
  if (/^[0-9a-f]{7,64}$/i.test(t) && /[a-f]/i.test(t)) return false;
  return /^(?:\d+:)?[vV]?\d\S*$/.test(t);
}

/** Drops a zero epoch ("0:8.7p1-38.el9" → "8.7p1-38.el9") and a leading "v". */
function strip(text: string): string {
  return text
    .trim()
    .replace(/^0+:/, "")
    .replace(/^[vV](?=\d)/, "");
}

/** Versions repeat across an estate: parsed forms are kept (bounded) for reuse. */
const PARSED = new Map<string, readonly Token[] | null>();
const CACHE_LIMIT = 50_000;

/** Tokens of a version, or null when the text is not version-like. */
function parsed(text: string): readonly Token[] | null {
  const cached = PARSED.get(text);
  if (cached !== undefined) return cached;
  const tokens = checkVersionLike(text) ? tokenize(text) : null;
  if (PARSED.size >= CACHE_LIMIT) PARSED.clear();
  PARSED.set(text, tokens);
  return tokens;
}

export function tokenize(text: string): readonly Token[] {
  const tokens: Token[] = [];
  for (const m of strip(text).matchAll(/(\d+)|([A-Za-z]+)/g)) {
    if (m[1] !== undefined) tokens.push(Number.parseInt(m[1], 10));
    else if (m[2] !== undefined) tokens.push(m[2].toLowerCase());
  }
  return tokens;
}

function isPreRelease(token: Token | undefined): boolean {
  return typeof token === "string" && PRE_RELEASE.has(token);
}

/** Sign of a remaining tail when the other version has run out of tokens. */
function tailSign(tail: readonly Token[]): number {
  const first = tail[0];
  if (first === undefined) return 0;
  if (isPreRelease(first)) return -1;
  if (tail.every((t) => t === 0)) return 0;
  return 1;
}

/** Compares two generic versions; null when either does not look like a version. */
export function compareGeneric(a: string, b: string): number | null {
  const ta = parsed(a);
  const tb = parsed(b);
  if (ta === null || tb === null) return null;
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const x = ta[i] as Token;
    const y = tb[i] as Token;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x < y ? -1 : 1;
    if (typeof x === "string" && typeof y === "string") {
      const px = isPreRelease(x);
      const py = isPreRelease(y);
      if (px !== py) return px ? -1 : 1;
      return x < y ? -1 : 1;
    }
    // A word against a number: the word is a suffix on a shorter release ("1.0rc1" vs "1.0.1",
    // "10.2.9-h1" vs "10.2.9.1"), so it sorts first.
    return typeof x === "string" ? -1 : 1;
  }
  if (ta.length === tb.length) return 0;
  if (ta.length > tb.length) return tailSign(ta.slice(n));
  const t = tailSign(tb.slice(n));
  return t === 0 ? 0 : -t;
}

/**
 * The release line a version belongs to: its leading dotted numbers minus the last one
 * ("10.2.9-h1" → "10.2", "2.17.1" → "2.17", "9.8p1" → "9"). Empty for single-number versions.
 */
export function branchOf(version: string): string {
  const cached = BRANCH_CACHE.get(version);
  if (cached !== undefined) return cached;
  const branch = computeBranch(version);
  if (BRANCH_CACHE.size >= CACHE_LIMIT) BRANCH_CACHE.clear();
  BRANCH_CACHE.set(version, branch);
  return branch;
}

const BRANCH_CACHE = new Map<string, string>();

function computeBranch(version: string): string {
  const m = /^\d+(?:\.\d+)*/.exec(strip(version));
  if (!m) return "";
  const parts = m[0].split(".").map((p) => String(Number.parseInt(p, 10)));
  return parts.slice(0, -1).join(".");
}
