import { describe, expect, it } from "vitest";
import { parsePurl, percentDecode } from "./purl.js";

describe("parsePurl", () => {
  it("reads the specification's examples", () => {
    expect(parsePurl("pkg:bitbucket/birkenfeld/pygments-main@244fd47e07d1014f0aed9c")).toEqual({
      type: "bitbucket",
      namespace: "birkenfeld",
      name: "pygments-main",
      version: "244fd47e07d1014f0aed9c",
      qualifiers: {},
    });
    expect(parsePurl("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie")).toEqual({
      type: "deb",
      namespace: "debian",
      name: "curl",
      version: "7.50.3-1",
      qualifiers: { arch: "i386", distro: "jessie" },
    });
    expect(parsePurl("pkg:gem/ruby-advisory-db-check@0.12.4")).toEqual({
      type: "gem",
      name: "ruby-advisory-db-check",
      version: "0.12.4",
      qualifiers: {},
    });
    expect(parsePurl("pkg:golang/google.golang.org/genproto#googleapis/api/annotations")).toEqual({
      type: "golang",
      namespace: "google.golang.org",
      name: "genproto",
      qualifiers: {},
    });
    expect(parsePurl("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources")).toEqual({
      type: "maven",
      namespace: "org.apache.xmlgraphics",
      name: "batik-anim",
      version: "1.9.1",
      qualifiers: { packaging: "sources" },
    });
    expect(parsePurl("pkg:npm/foobar@12.3.1")).toEqual({
      type: "npm",
      name: "foobar",
      version: "12.3.1",
      qualifiers: {},
    });
    expect(parsePurl("pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25")).toMatchObject({
      namespace: "fedora",
      name: "curl",
      version: "7.50.3-1.fc25",
      qualifiers: { arch: "i386", distro: "fedora-25" },
    });
    expect(parsePurl("pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c")).toMatchObject({
      namespace: "github.com/gorilla",
      name: "context",
      version: "234fd47e07d1004f0aed9c",
    });
  });

  it("percent-decodes each part", () => {
    expect(parsePurl("pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64")?.version).toBe("1:2.4.47-2+b1");
    expect(parsePurl("pkg:docker/customer/dockerimage@sha256%3A244fd47e07d10?repository_url=gcr.io")).toEqual(
      {
        type: "docker",
        namespace: "customer",
        name: "dockerimage",
        version: "sha256:244fd47e07d10",
        qualifiers: { repository_url: "gcr.io" },
      },
    );
    expect(parsePurl("pkg:npm/%40angular/animation@12.3.1")).toMatchObject({
      namespace: "@angular",
      name: "animation",
    });
    expect(
      parsePurl("pkg:generic/bitwarderl?vcs_url=git%2Bhttps://git.fsfe.org/dxtr/bitwarderl%40cc55108da32")
        ?.qualifiers,
    ).toEqual({ vcs_url: "git+https://git.fsfe.org/dxtr/bitwarderl@cc55108da32" });
  });

  it("accepts 'pkg://', ignores the subpath and lower-cases the type and qualifier keys", () => {
    expect(parsePurl("pkg://gem/ruby-advisory-db-check@0.12.4")).toEqual(
      parsePurl("pkg:gem/ruby-advisory-db-check@0.12.4"),
    );
    expect(parsePurl(" PKG:NPM/foobar@12.3.1?Arch=X86 ")).toEqual({
      type: "npm",
      name: "foobar",
      version: "12.3.1",
      qualifiers: { arch: "X86" },
    });
    // A '?' after the '#' belongs to the subpath.
    expect(parsePurl("pkg:github/package-url/purl-spec@244fd47#everybody/loves?dogs=1")?.qualifiers).toEqual(
      {},
    );
  });

  it("takes the last '@' as the version separator, except one that opens a segment (an npm scope)", () => {
    expect(parsePurl("pkg:npm/@babel/core@7.0.0")).toMatchObject({
      namespace: "@babel",
      name: "core",
      version: "7.0.0",
    });
    expect(parsePurl("pkg:npm/@babel/core")).toEqual({
      type: "npm",
      namespace: "@babel",
      name: "core",
      qualifiers: {},
    });
    expect(parsePurl("pkg:github/acme/app@refs/heads/main")).toMatchObject({
      namespace: "acme",
      name: "app",
      version: "refs/heads/main",
    });
    expect(parsePurl("pkg:npm/lodash@")?.version).toBeUndefined();
  });

  it("keeps the case of namespace and name unless asked to fold it", () => {
    const nuget = "pkg:nuget/EnterpriseLibrary.Common@6.0.1304";
    expect(parsePurl(nuget)?.name).toBe("EnterpriseLibrary.Common");
    expect(parsePurl(nuget, { foldCase: true })?.name).toBe("enterpriselibrary.common");
    expect(parsePurl("pkg:maven/Org.Example/Lib@1.0-RC1?Type=JAR", { foldCase: true })).toEqual({
      type: "maven",
      namespace: "org.example",
      name: "lib",
      version: "1.0-RC1",
      qualifiers: { type: "JAR" },
    });
  });

  it("refuses what is not a package URL", () => {
    expect(parsePurl(undefined)).toBeUndefined();
    expect(parsePurl("")).toBeUndefined();
    expect(parsePurl("npm/lodash@4.17.21")).toBeUndefined();
    expect(parsePurl("pkg:npm")).toBeUndefined();
    expect(parsePurl("pkg:npm/")).toBeUndefined();
    expect(parsePurl("pkg:/lodash")).toBeUndefined();
    // The type cannot start with a digit or hold other characters than letters, digits, '.', '+', '-'.
    expect(parsePurl("pkg:3com/x")).toBeUndefined();
    expect(parsePurl("pkg:my_type/x")).toBeUndefined();
  });
});

describe("percentDecode", () => {
  it("decodes, and keeps text that does not decode", () => {
    expect(percentDecode("1.30%2Bdfsg")).toBe("1.30+dfsg");
    expect(percentDecode("100%")).toBe("100%");
  });
});
