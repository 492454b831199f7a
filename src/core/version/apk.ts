/**
 * Alpine (apk-tools) version ordering: Gentoo-style "digits{.digits}{letter}{_suffix{N}}…{-rN}".
 *
 * A version is read as typed tokens: the leading number, ".digits" parts, one lowercase letter after
 * a number ("1.1a"), suffixes "_alpha", "_beta", "_pre", "_rc" (pre-releases) and "_cvs", "_svn",
 * "_git", "_hg", "_p" (post-releases), each with an optional number, and the package revision
 * "-rN". Tokens compare pairwise while both versions have a token of the same type; numbers
 * numerically, except that a ".digits" part with a leading zero on either side compares as text
 * ("1.02" < "1.1", as in Gentoo); suffixes by rank. When one version ends or changes token type
 * first, a pre-release suffix makes it lower; otherwise the version whose next token is more
 * significant (digit > letter > suffix > revision > end) is newer:
 * "1.0_rc1" < "1.0" < "1.0-r1" < "1.0_p1" < "1.0a" < "1.0.1".
 *
 * Numbers are compared at any size. A version apk-tools would call invalid ("1.0bc") is compared up
 * to its first invalid token, as apk-tools does; text that does not start with a digit is refused.
 *
 * Deviation from apk-tools 2.x (src/version.c): that implementation reads a ".0" part as a special
 * "leading zeros" token and then an empty digit token, which makes "1.0_rc1" sort above "1.0"; the
 * part is one token here, so a pre-release of a ".0" version sorts before it as it does elsewhere.
 */

/** Token types, in order of significance for the "which version goes on" rule (lower = newer). */
const T = {
  Invalid: -1,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNo: 4,
  RevisionNo: 5,
  End: 6,
} as const;
type T = (typeof T)[keyof typeof T];

interface Token {
  type: T;
  /** Digits for Digit/SuffixNo/RevisionNo, the letter for Letter, the rank for Suffix. */
  text: string;
  rank: number;
  /** The first token of a version: always compared as a number. */
  first?: boolean;
}

const PRE_SUFFIXES = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES = ["cvs", "svn", "git", "hg", "p"];

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isLower = (c: string): boolean => c >= "a" && c <= "z";

/** Splits a version into tokens; the last token is End, or Invalid where apk-tools stops. */
export function tokenizeApk(s: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let type: T = T.Digit;
  const digits = (): string => {
    const start = pos;
    while (pos < s.length && isDigit(s.charAt(pos))) pos++;
    return s.slice(start, pos);
  };
  let first = true;
  for (;;) {
    if (pos >= s.length) {
      tokens.push({ type: T.End, text: "", rank: 0 });
      return tokens;
    }
    switch (type) {
      case T.Digit:
      case T.SuffixNo:
      case T.RevisionNo:
        tokens.push(first ? { type, text: digits(), rank: 0, first } : { type, text: digits(), rank: 0 });
        break;
      case T.Letter:
        tokens.push({ type, text: s.charAt(pos), rank: 0 });
        pos++;
        break;
      case T.Suffix: {
        const rest = s.slice(pos);
        const pre = PRE_SUFFIXES.findIndex((x) => rest.startsWith(x));
        const post = pre >= 0 ? -1 : POST_SUFFIXES.findIndex((x) => rest.startsWith(x));
        if (pre < 0 && post < 0) {
          // An unknown suffix: apk-tools reads it as a suffix worth -1, and stops there.
          tokens.push({ type, text: "", rank: -1 });
          tokens.push({ type: T.Invalid, text: "", rank: 0 });
          return tokens;
        }
        const name = (pre >= 0 ? PRE_SUFFIXES[pre] : POST_SUFFIXES[post]) as string;
        tokens.push({ type, text: name, rank: pre >= 0 ? pre - PRE_SUFFIXES.length : post });
        pos += name.length;
        break;
      }
    }
    first = false;
    type = nextType(s, type, pos);
    if (type === T.Invalid) {
      tokens.push({ type: T.Invalid, text: "", rank: 0 });
      return tokens;
    }
    // Step over the separator that introduced the next token.
    if (type === T.Suffix) pos++;
    else if (type === T.RevisionNo) pos += 2;
    else if (type === T.Digit && s.charAt(pos) === ".") pos++;
  }
}

/** The type of the token that starts at `pos`, after a token of type `prev` (apk's next_token). */
function nextType(s: string, prev: T, pos: number): T {
  if (pos >= s.length) return T.End;
  const c = s.charAt(pos);
  let n: T = T.Invalid;
  if (prev === T.Digit && isLower(c)) n = T.Letter;
  else if (prev === T.Letter && isDigit(c)) n = T.Digit;
  else if (prev === T.Suffix && isDigit(c)) n = T.SuffixNo;
  else if (c === ".") n = T.Digit;
  else if (c === "_") n = T.Suffix;
  else if (c === "-" && s.charAt(pos + 1) === "r") n = T.RevisionNo;
  // Tokens must come in order (so "1.2b.3" and "1-r1.2" are invalid); the exceptions are digits
  // right after a letter ("1.2a3") and another suffix after a numbered one ("1_alpha1_p2").
  if (n < prev) {
    const allowed =
      (n === T.Suffix && prev === T.SuffixNo) || (n === T.Digit && prev === T.Letter && isDigit(c));
    if (!allowed) n = T.Invalid;
  }
  return n;
}

/** Non-negative integers given as digit strings, of any length. */
function compareNumber(a: string, b: string): number {
  const x = a.replace(/^0+/, "");
  const y = b.replace(/^0+/, "");
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareToken(a: Token, b: Token): number {
  switch (a.type) {
    case T.Digit:
      if (!a.first && (a.text.startsWith("0") || b.text.startsWith("0"))) return compareText(a.text, b.text);
      return compareNumber(a.text, b.text);
    case T.SuffixNo:
    case T.RevisionNo:
      return compareNumber(a.text, b.text);
    case T.Letter:
      return compareText(a.text, b.text);
    case T.Suffix:
      return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0;
    default:
      return 0;
  }
}

/** True when apk-tools accepts the text as a version. */
export function isValidApk(text: string): boolean {
  const tokens = tokenizeApk(text);
  return tokens[tokens.length - 1]?.type === T.End;
}

/** Parsed versions, memoised: an estate repeats the same few thousand version strings. */
const PARSED = new Map<string, Token[]>();
const CACHE_LIMIT = 50_000;

function tokens(text: string): Token[] {
  let hit = PARSED.get(text);
  if (hit === undefined) {
    hit = tokenizeApk(text);
    if (PARSED.size >= CACHE_LIMIT) PARSED.clear();
    PARSED.set(text, hit);
  }
  return hit;
}

const END: Token = { type: T.End, text: "", rank: 0 };

/** -1, 0 or 1 in apk-tools order; null when either text does not start with a digit. */
export function compareApk(a: string, b: string): number | null {
  const sa = a.trim();
  const sb = b.trim();
  if (!/^\d\S*$/.test(sa) || !/^\d\S*$/.test(sb)) return null;
  const ta = tokens(sa);
  const tb = tokens(sb);
  let i = 0;
  let x = ta[0] ?? END;
  let y = tb[0] ?? END;
  while (x.type === y.type && x.type !== T.End && x.type !== T.Invalid) {
    const c = compareToken(x, y);
    if (c !== 0) return c;
    i++;
    x = ta[i] ?? END;
    y = tb[i] ?? END;
  }
  if (x.type === y.type) return 0;
  // Equal so far and one version goes on: it is newer, unless it goes on with a pre-release suffix.
  if (x.type === T.Suffix && x.rank < 0) return -1;
  if (y.type === T.Suffix && y.rank < 0) return 1;
  if (x.type > y.type) return -1;
  if (y.type > x.type) return 1;
  return 0;
}
