import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { purgeTenantKv, tenantKeyPrefix, tenantKvView } from "../src/tenancy/tenant-kv";
import { kvNamesWithPrefix } from "./helpers/tenants";

/** The tenant-prefixed KV view each tenant's OAuth provider is given. */
function twoTenants() {
  const a = crypto.randomUUID();
  const b = crypto.randomUUID();
  return { a, b, viewA: tenantKvView(env.OAUTH_KV, a), viewB: tenantKvView(env.OAUTH_KV, b) };
}

describe("tenantKvView", () => {
  it("stores a tenant's key as t:<tenantId>:<key>", async () => {
    const { a, viewA } = twoTenants();
    await viewA.put("client:abc", "registration");
    expect(tenantKeyPrefix(a)).toBe(`t:${a}:`);
    expect(await env.OAUTH_KV.get(`t:${a}:client:abc`)).toBe("registration");
    expect(await env.OAUTH_KV.get("client:abc")).toBeNull();
    expect(await viewA.get("client:abc")).toBe("registration");
  });

  it("does not let one tenant read, overwrite or delete another tenant's key of the same name", async () => {
    const { viewA, viewB } = twoTenants();
    await viewA.put("grant:user1", "A's grant");
    expect(await viewB.get("grant:user1")).toBeNull();
    expect((await viewB.getWithMetadata("grant:user1")).value).toBeNull();

    await viewB.put("grant:user1", "B's grant");
    await viewB.delete("grant:user1");
    expect(await viewA.get("grant:user1")).toBe("A's grant");
    expect(await viewB.get("grant:user1")).toBeNull();
  });

  it("passes value types and metadata through", async () => {
    const { viewA } = twoTenants();
    await viewA.put("token:1", JSON.stringify({ userId: "u1" }), { metadata: { kind: "token" } });
    expect(await viewA.get("token:1", "json")).toEqual({ userId: "u1" });
    const withMetadata = await viewA.getWithMetadata("token:1");
    expect(withMetadata).toMatchObject({ value: JSON.stringify({ userId: "u1" }), metadata: { kind: "token" } });
  });

  it("lists only its own tenant's keys, with the prefix stripped, and honours a list prefix", async () => {
    const { viewA, viewB } = twoTenants();
    await Promise.all([
      viewA.put("client:1", "x"),
      viewA.put("client:2", "x"),
      viewA.put("grant:1", "x"),
      viewB.put("client:9", "x"),
      env.OAUTH_KV.put("client:unscoped", "x"),
    ]);
    const all = await viewA.list();
    expect(all.keys.map((key) => key.name).sort()).toEqual(["client:1", "client:2", "grant:1"]);
    expect(all.list_complete).toBe(true);
    const clients = await viewA.list({ prefix: "client:" });
    expect(clients.keys.map((key) => key.name).sort()).toEqual(["client:1", "client:2"]);
    expect((await viewB.list()).keys.map((key) => key.name)).toEqual(["client:9"]);
  });

  it("pages a listing with a cursor, still scoped to the tenant", async () => {
    const { viewA, viewB } = twoTenants();
    await Promise.all(Array.from({ length: 5 }, (_, i) => viewA.put(`k:${i}`, "x")));
    await viewB.put("k:other", "x");
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await viewA.list({ limit: 2, cursor });
      expect(page.keys.length).toBeLessThanOrEqual(2);
      names.push(...page.keys.map((key) => key.name));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    expect(names.sort()).toEqual(["k:0", "k:1", "k:2", "k:3", "k:4"]);
  });

  it("answers a bulk get with a Map keyed by unprefixed names, null for another tenant's keys", async () => {
    const { viewA, viewB } = twoTenants();
    await viewA.put("one", "1");
    await viewA.put("two", "2");
    await viewB.put("three", "3");
    const values = await viewA.get(["one", "two", "three"]);
    expect(values).toBeInstanceOf(Map);
    expect([...values.entries()].sort()).toEqual([
      ["one", "1"],
      ["three", null],
      ["two", "2"],
    ]);
  });

  it("answers a bulk getWithMetadata with unprefixed names", async () => {
    const { viewA } = twoTenants();
    await viewA.put("m1", "v1", { metadata: { n: 1 } });
    const values = await viewA.getWithMetadata(["m1"]);
    expect([...values.keys()]).toEqual(["m1"]);
    expect(values.get("m1")).toMatchObject({ value: "v1", metadata: { n: 1 } });
  });
});

describe("purgeTenantKv", () => {
  it("deletes every key of one tenant and none of another's", async () => {
    const { a, b, viewA, viewB } = twoTenants();
    await Promise.all(Array.from({ length: 30 }, (_, i) => viewA.put(`key:${i}`, "x")));
    await Promise.all(["key:0", "key:1", "other"].map((name) => viewB.put(name, "y")));
    // A tenant id that merely starts like A's must not be caught by the prefix.
    const lookalike = `${a}0`;
    await env.OAUTH_KV.put(`t:${lookalike}:key:0`, "z");

    expect(await purgeTenantKv(env.OAUTH_KV, a)).toEqual({ removed: 30, complete: true });
    expect(await kvNamesWithPrefix(`t:${a}:`)).toEqual([]);
    expect((await kvNamesWithPrefix(`t:${b}:`)).length).toBe(3);
    expect(await viewB.get("key:0")).toBe("y");
    expect(await env.OAUTH_KV.get(`t:${lookalike}:key:0`)).toBe("z");
    expect(await purgeTenantKv(env.OAUTH_KV, a)).toEqual({ removed: 0, complete: true });
  });
});
