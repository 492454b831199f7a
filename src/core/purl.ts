/**
 * Package URLs (https://github.com/package-url/purl-spec): "pkg:type/namespace/name@version?qualifiers#subpath".
 *
 * Parsing follows the specification's steps: the subpath after '#' is dropped, the qualifiers after '?'
 * are read, leading slashes after "pkg:" are ignored ("pkg://npm/x" is "pkg:npm/x"), the type is
 * lower-cased and must be a valid type, the version follows the last '@', and the name is the last
 * path segment. Two leniencies the specification does not grant, because real reports need them: an
 * unencoded '@' that opens a path segment ("pkg:npm/@babel/core") is an npm scope, not the version
 * separator, and text that fails to percent-decode is kept as written.
 *
 * Case: the specification lets each type say whether its namespace and name are case-sensitive (npm,
 * pypi, deb, rpm, apk, github, golang… must be lower-cased; maven, nuget, cocoapods, cran… keep theirs).
 * The parser keeps what was written, which is what reports show; `foldCase` lower-cases the namespace
 * and name of every type, so that two writings of one package compare equal when matching.
 */

/** A package URL, its parts percent-decoded. */
export interface Purl {
  /** Lower-cased package type: "npm", "deb", "maven", "pypi"… */
  type: string;
  /** Namespace segments joined with "/" ("@babel", "github.com/x", "debian"); absent when there are none. */
  namespace?: string;
  name: string;
  version?: string;
  /** Qualifiers such as distro=rhel-9.3, arch=x86_64; keys lower-cased. */
  qualifiers: Record<string, string>;
}

export interface PurlOptions {
  /** Lower-case the namespace and name too, whatever the type (for matching). */
  foldCase?: boolean;
}

/** The specification's type rule: ASCII letters, digits, '.', '+' and '-', not starting with a digit. */
const TYPE = /^[a-z][a-z0-9.+-]*$/;

/** Percent-decodes text; text that does not decode ("100%") is kept as written. */
export function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function trimSlashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 47) start++;
  while (end > start && text.charCodeAt(end - 1) === 47) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Reads "key=value&…": keys lower-cased, values percent-decoded, pairs without a key skipped. */
function readQualifiers(text: string): Record<string, string> {
  const qualifiers: Record<string, string> = {};
  for (const pair of text.split("&")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    qualifiers[pair.slice(0, eq).toLowerCase()] = percentDecode(pair.slice(eq + 1));
  }
  return qualifiers;
}

/** Parses a package URL; undefined when the text is not one (no "pkg:", no valid type, no name). */
export function parsePurl(text: string | undefined, options?: PurlOptions): Purl | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (!/^pkg:/i.test(value)) return undefined;
  let rest = value.slice(4);
  const hash = rest.indexOf("#");
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf("?");
  const qualifiers = question === -1 ? {} : readQualifiers(rest.slice(question + 1));
  if (question !== -1) rest = rest.slice(0, question);

  rest = trimSlashes(rest);
  const slash = rest.indexOf("/");
  if (slash === -1) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  if (!TYPE.test(type)) return undefined;
  // The version follows the last '@', unless that '@' opens a segment (an npm scope).
  let path = trimSlashes(rest.slice(slash + 1));
  let version: string | undefined;
  const at = path.lastIndexOf("@");
  if (at > 0 && path.charCodeAt(at - 1) !== 47) {
    version = percentDecode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const parts = path.split("/").filter((s) => s !== "");
  const last = parts.pop();
  if (last === undefined) return undefined;
  const fold = options?.foldCase === true;
  const name = fold ? percentDecode(last).toLowerCase() : percentDecode(last);
  const purl: Purl = { type, name, qualifiers };
  if (parts.length > 0) {
    const namespace = parts.map(percentDecode).join("/");
    purl.namespace = fold ? namespace.toLowerCase() : namespace;
  }
  if (version !== undefined && version !== "") purl.version = version;
  return purl;
}
