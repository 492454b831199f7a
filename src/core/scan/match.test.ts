import { describe, expect, it } from "vitest";
import type { Asset } from "../types.js";
import { imageName, indexAssets, MATCH_KEYS, matchAsset } from "./match.js";

function asset(id: string, extra: Partial<Asset>): Asset {
  return {
    id,
    name: id,
    assetGroup: "g",
    environment: "production",
    exposure: "internal",
    roles: [],
    criticality: "medium",
    systemOwner: "team",
    hostnames: [],
    ips: [],
    software: [],
    ...extra,
  };
}

const inventory = [
  asset("web-01", { hostnames: ["web01.corp.example"], ips: ["10.0.0.5"] }),
  asset("web-02", { hostnames: ["web02"], ips: ["10.0.0.6"] }),
  asset("shop", { identifiers: ["ghcr.io/acme/shop", "https://github.com/acme/shop.git"] }),
  asset("twin-a", { ips: ["10.9.9.9"] }),
  asset("twin-b", { ips: ["10.9.9.9"] }),
];
const index = indexAssets(inventory);

describe("asset matching", () => {
  it("matches host names exactly, by short name, and by IP", () => {
    expect(matchAsset(index, { key: "k", fqdn: "WEB01.corp.example" }, MATCH_KEYS).assetId).toBe("web-01");
    expect(matchAsset(index, { key: "k", hostname: "web01" }, MATCH_KEYS).assetId).toBe("web-01");
    expect(matchAsset(index, { key: "k", fqdn: "web02.corp.example" }, MATCH_KEYS).assetId).toBe("web-02");
    expect(matchAsset(index, { key: "k", ip: "10.0.0.6" }, MATCH_KEYS).assetId).toBe("web-02");
  });

  it("matches images by name whatever the tag, and repositories whatever the URL form", () => {
    expect(matchAsset(index, { key: "k", image: "ghcr.io/acme/shop:2.4.1" }, MATCH_KEYS).assetId).toBe(
      "shop",
    );
    expect(
      matchAsset(index, { key: "k", repository: "git@github.com:acme/shop.git" }, MATCH_KEYS).assetId,
    ).toBe("shop");
    expect(imageName("registry:5000/app@sha256:abc")).toBe("registry:5000/app");
  });

  it("refuses an identity that names several assets, and names what it tried", () => {
    const twin = matchAsset(index, { key: "k", ip: "10.9.9.9" }, MATCH_KEYS);
    expect(twin.assetId).toBeUndefined();
    expect("reason" in twin && twin.reason).toBe("matches several inventory assets by ip 10.9.9.9");
    const none = matchAsset(index, { key: "k", hostname: "db01", ip: "10.1.1.1" }, MATCH_KEYS);
    expect("reason" in none && none.reason).toBe("no inventory asset has hostname db01 or ip 10.1.1.1");
  });

  it("uses only the keys the policy lists, in its order", () => {
    const scanned = { key: "k", hostname: "web02", ip: "10.0.0.5" };
    expect(matchAsset(index, scanned, ["ip", "hostname"]).assetId).toBe("web-01");
    expect(matchAsset(index, scanned, ["hostname", "ip"]).assetId).toBe("web-02");
    expect(matchAsset(index, { key: "k", ip: "10.0.0.5" }, ["hostname"]).assetId).toBeUndefined();
  });
});
