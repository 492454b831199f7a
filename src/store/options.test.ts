import { describe, expect, it } from "vitest";
import { DEFAULT_DB_PATH, postgresAddress, redactUrl, resolveStoreOptions } from "./options.js";

describe("resolveStoreOptions", () => {
  const env = {
    PATCHLINE_DATABASE_URL: "postgres://app:pw@db.internal:5433/patchline",
    PATCHLINE_DB: "/var/lib/patchline/p.db",
  };

  it("the --db flag wins, as a path or as a URL", () => {
    expect(resolveStoreOptions(env, { db: "./local.db" })).toEqual({ path: "./local.db" });
    expect(resolveStoreOptions(env, { db: "postgresql://x@h/db" })).toEqual({ url: "postgresql://x@h/db" });
  });

  it("then PATCHLINE_DATABASE_URL, then PATCHLINE_DB, then the default", () => {
    expect(resolveStoreOptions(env, {})).toEqual({ url: env.PATCHLINE_DATABASE_URL });
    expect(resolveStoreOptions({ PATCHLINE_DB: env.PATCHLINE_DB }, {})).toEqual({ path: env.PATCHLINE_DB });
    expect(resolveStoreOptions({}, {})).toEqual({ path: "./.patchline/patchline.db" });
    expect(DEFAULT_DB_PATH).toBe("./.patchline/patchline.db");
  });

  it("treats empty values as unset", () => {
    expect(resolveStoreOptions({ PATCHLINE_DATABASE_URL: " ", PATCHLINE_DB: "" }, { db: "" })).toEqual({
      path: DEFAULT_DB_PATH,
    });
  });

  it("accepts file: URLs and a SQLite path in PATCHLINE_DATABASE_URL", () => {
    expect(resolveStoreOptions({ PATCHLINE_DATABASE_URL: "file:///tmp/p.db" }, {})).toEqual({
      path: "/tmp/p.db",
    });
    expect(resolveStoreOptions({ PATCHLINE_DATABASE_URL: "data/p.db" }, {})).toEqual({ path: "data/p.db" });
  });

  it("rejects other URL schemes", () => {
    expect(() => resolveStoreOptions({}, { db: "mysql://root@localhost/p" })).toThrow(
      /unsupported database URL scheme "mysql:"/,
    );
  });

  it("adds PATCHLINE_DATABASE_SCHEMA to PostgreSQL only", () => {
    expect(resolveStoreOptions({ ...env, PATCHLINE_DATABASE_SCHEMA: "patchline" }, {})).toEqual({
      url: env.PATCHLINE_DATABASE_URL,
      schema: "patchline",
    });
    expect(resolveStoreOptions({ PATCHLINE_DATABASE_SCHEMA: "patchline" }, { db: "x.db" })).toEqual({
      path: "x.db",
    });
  });
});

describe("URLs in messages", () => {
  it("hides passwords", () => {
    expect(redactUrl("postgres://app:pw@db.internal:5433/patchline")).toBe(
      "postgres://app:***@db.internal:5433/patchline",
    );
    expect(redactUrl("postgres://db/p?password=pw&sslmode=require")).toBe(
      "postgres://db/p?password=***&sslmode=require",
    );
    expect(redactUrl("postgres://app@db/p")).toBe("postgres://app@db/p");
  });

  it("names host and port", () => {
    expect(postgresAddress("postgres://app:pw@db.internal:5433/patchline")).toBe("db.internal:5433");
    expect(postgresAddress("postgresql://127.0.0.1/test")).toBe("127.0.0.1:5432");
  });
});
