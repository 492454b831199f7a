/**
 * Maps the assets a scanner names to inventory assets, by the identity keys the policy lists
 * (`scanMatch`), in that order: the first key that names exactly one inventory asset wins. A key
 * that names several is ambiguous and does not match, so a finding never lands on the wrong asset;
 * an asset nothing matches is reported as unknown, never dropped.
 */
import type { Asset } from "../types.js";
import type { ScanAsset } from "./types.js";

export type MatchKey =
  | "image"
  | "repository"
  | "url"
  | "workload"
  | "fqdn"
  | "hostname"
  | "netbios"
  | "ip"
  | "artifact";

export const MATCH_KEYS: readonly MatchKey[] = [
  "image",
  "repository",
  "url",
  "workload",
  "fqdn",
  "hostname",
  "netbios",
  "ip",
  "artifact",
];

export interface AssetIndex {
  /** Lower-cased host name (and the first label of a dotted one) → asset ids. */
  hosts: Map<string, Set<string>>;
  ips: Map<string, Set<string>>;
  /** Lower-cased identifiers (images, repositories, URLs, workloads, artefacts) → asset ids. */
  identifiers: Map<string, Set<string>>;
}

function put(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}

/** The image name without its tag or digest: "ghcr.io/org/app:1.2" → "ghcr.io/org/app". */
export function imageName(ref: string): string {
  const noDigest = ref.split("@")[0] ?? ref;
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** A repository or URL compared without scheme, ".git" and trailing slashes. */
function plainLocation(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/^git@([^:]+):/, "$1/")
    .replace(/\.git$/, "")
    .replace(/\/+$/, "");
}

export function indexAssets(assets: readonly Asset[]): AssetIndex {
  const index: AssetIndex = { hosts: new Map(), ips: new Map(), identifiers: new Map() };
  for (const asset of assets) {
    for (const host of asset.hostnames) {
      const h = host.toLowerCase();
      put(index.hosts, h, asset.id);
      const short = h.split(".")[0];
      if (short && short !== h) put(index.hosts, short, asset.id);
    }
    for (const ip of asset.ips) put(index.ips, ip.toLowerCase(), asset.id);
    for (const id of asset.identifiers ?? []) {
      put(index.identifiers, id.trim().toLowerCase(), asset.id);
      put(index.identifiers, plainLocation(id), asset.id);
    }
  }
  return index;
}

export type AssetMatch =
  | { assetId: string; key: MatchKey; value: string }
  | { assetId?: undefined; reason: string };

function one(set: Set<string> | undefined): string | "many" | undefined {
  if (!set || set.size === 0) return undefined;
  if (set.size > 1) return "many";
  return set.values().next().value;
}

function candidates(index: AssetIndex, key: MatchKey, value: string): Set<string> | undefined {
  const v = value.trim().toLowerCase();
  switch (key) {
    case "fqdn":
    case "hostname":
    case "netbios":
      return index.hosts.get(v) ?? index.hosts.get(v.split(".")[0] ?? v);
    case "ip":
      return index.ips.get(v);
    case "image":
      return index.identifiers.get(v) ?? index.identifiers.get(imageName(v));
    case "repository":
    case "url":
      return index.identifiers.get(v) ?? index.identifiers.get(plainLocation(v));
    default:
      return index.identifiers.get(v);
  }
}

/** The inventory asset a scanned asset is, by the first key (in `keys` order) naming exactly one. */
export function matchAsset(index: AssetIndex, asset: ScanAsset, keys: readonly MatchKey[]): AssetMatch {
  const ambiguous: string[] = [];
  for (const key of keys) {
    const value = asset[key];
    if (value === undefined) continue;
    const hit = one(candidates(index, key, value));
    if (hit === "many") ambiguous.push(`${key} ${value}`);
    else if (hit !== undefined) return { assetId: hit, key, value };
  }
  if (ambiguous.length > 0) return { reason: `matches several inventory assets by ${ambiguous.join(", ")}` };
  const named = keys.filter((k) => asset[k] !== undefined).map((k) => `${k} ${asset[k]}`);
  return {
    reason:
      named.length > 0
        ? `no inventory asset has ${named.join(" or ")}`
        : "the report names no identity the policy matches on",
  };
}

/** Scanned assets mapped to the inventory: their inventory ids, and the ones no asset matched, with why. */
export interface AssetMapping {
  ids: Map<string, string>;
  unknown: { asset: string; reason: string }[];
}

/** Maps every scanned asset through matchAsset. */
export function mapAssets(
  index: AssetIndex,
  assets: readonly ScanAsset[],
  keys: readonly MatchKey[],
): AssetMapping {
  const ids = new Map<string, string>();
  const unknown: { asset: string; reason: string }[] = [];
  for (const asset of assets) {
    const match = matchAsset(index, asset, keys);
    if (match.assetId !== undefined) ids.set(asset.key, match.assetId);
    else unknown.push({ asset: asset.key, reason: match.reason });
  }
  return { ids, unknown };
}
