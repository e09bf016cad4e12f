import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { purgeTenantKv, tenantKeyPrefix, tenantKvView } from "../src/tenancy/tenant-kv";
import { sharedTokenRecordCache, TokenRecordCache } from "../src/tenancy/token-record-cache";
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
    // Other test files share this namespace and check that nothing unprefixed is written.
    await env.OAUTH_KV.delete("client:unscoped");
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

describe("token records served from the isolate's cache", () => {
  /** Two tenants' views sharing one cache, on a clock the test moves. */
  function cachedTenants(ttlMs = 30_000) {
    const clock = { now: 1_000_000 };
    const records = new TokenRecordCache(ttlMs, () => clock.now);
    const a = crypto.randomUUID();
    const b = crypto.randomUUID();
    return { a, b, clock, records, viewA: tenantKvView(env.OAUTH_KV, a, records), viewB: tenantKvView(env.OAUTH_KV, b, records) };
  }
  const record = (user: string) => JSON.stringify({ userId: user, grant: { clientId: "c1" } });

  it("keeps serving a record deleted by another isolate until the TTL, then reads KV again", async () => {
    const { a, clock, viewA } = cachedTenants();
    await viewA.put("token:u1:g1:t1", record("u1"));
    expect(await viewA.get("token:u1:g1:t1", { type: "json" })).toEqual({ userId: "u1", grant: { clientId: "c1" } });
    // Another isolate revokes: the delete reaches KV, not this isolate's memory.
    await env.OAUTH_KV.delete(`t:${a}:token:u1:g1:t1`);
    clock.now += 29_999;
    expect(await viewA.get("token:u1:g1:t1", { type: "json" })).toMatchObject({ userId: "u1" });
    clock.now += 1;
    expect(await viewA.get("token:u1:g1:t1", { type: "json" })).toBeNull();
  });

  it("forgets a record at once when this isolate deletes it", async () => {
    const { viewA } = cachedTenants();
    await viewA.put("token:u1:g1:t2", record("u1"));
    expect(await viewA.get("token:u1:g1:t2", "json")).not.toBeNull();
    await viewA.delete("token:u1:g1:t2");
    expect(await viewA.get("token:u1:g1:t2", "json")).toBeNull();
    expect(await viewA.get("token:u1:g1:t2")).toBeNull();
  });

  it("never remembers a miss, so a token issued in another isolate works on its first request here", async () => {
    const { a, viewA } = cachedTenants();
    expect(await viewA.get("token:u1:g1:t3", "json")).toBeNull();
    await env.OAUTH_KV.put(`t:${a}:token:u1:g1:t3`, record("u1"));
    expect(await viewA.get("token:u1:g1:t3", "json")).toMatchObject({ userId: "u1" });
  });

  it("never answers one tenant's read with another tenant's cached record of the same name", async () => {
    const { viewA, viewB, records } = cachedTenants();
    await viewA.put("token:u1:g1:t4", record("from A"));
    expect(await viewA.get("token:u1:g1:t4", "json")).toMatchObject({ userId: "from A" });
    expect(records.size).toBe(1);
    expect(await viewB.get("token:u1:g1:t4", "json")).toBeNull();
    expect(await viewB.get("token:u1:g1:t4")).toBeNull();

    await viewB.put("token:u1:g1:t4", record("from B"));
    expect(await viewB.get("token:u1:g1:t4", "json")).toMatchObject({ userId: "from B" });
    expect(await viewA.get("token:u1:g1:t4", "json")).toMatchObject({ userId: "from A" });
    // B's delete of its own key leaves A's copy and A's record alone.
    await viewB.delete("token:u1:g1:t4");
    expect(await viewB.get("token:u1:g1:t4", "json")).toBeNull();
    expect(await viewA.get("token:u1:g1:t4", "json")).toMatchObject({ userId: "from A" });
  });

  /**
   * A tenant's cached view over KV whose reads or deletes wait for the test's
   * go-ahead, to line up a read and a delete; `key` holds a token record.
   */
  async function gatedView(key: string) {
    const gate = (): { wait: Promise<void>; open: () => void } => {
      let open: () => void = () => {};
      const wait = new Promise<void>((resolve) => (open = resolve));
      return { wait, open };
    };
    const reads = gate();
    const deletes = gate();
    const kv = {
      get: async (name: string, type: "text") => {
        const value = await env.OAUTH_KV.get(name, type);
        await reads.wait;
        return value;
      },
      put: (name: string, value: string) => env.OAUTH_KV.put(name, value),
      delete: async (name: string) => {
        await deletes.wait;
        await env.OAUTH_KV.delete(name);
      },
    } as unknown as KVNamespace;
    const { a, records } = cachedTenants();
    await env.OAUTH_KV.put(`${tenantKeyPrefix(a)}${key}`, record("u1"));
    return { view: tenantKvView(kv, a, records), records, reads, deletes };
  }

  it("does not keep what a read found when a delete of the record landed while it was in flight", async () => {
    const { view, records, reads, deletes } = await gatedView("token:u1:g1:t5");
    deletes.open();
    // The read has the old value in hand when the delete lands.
    const racingRead = view.get("token:u1:g1:t5", "json");
    await view.delete("token:u1:g1:t5");
    reads.open();
    expect(await racingRead).toMatchObject({ userId: "u1" });
    expect(records.size).toBe(0);
    expect(await view.get("token:u1:g1:t5", "json")).toBeNull();
  });

  it("drops a copy a read made while the delete was still on its way to KV", async () => {
    const { view, records, reads, deletes } = await gatedView("token:u1:g1:t8");
    reads.open();
    const deleting = view.delete("token:u1:g1:t8");
    // KV still has the record: this read finds and keeps it...
    expect(await view.get("token:u1:g1:t8", "json")).toMatchObject({ userId: "u1" });
    expect(records.size).toBe(1);
    deletes.open();
    await deleting;
    // ...until the delete is done.
    expect(records.size).toBe(0);
    expect(await view.get("token:u1:g1:t8", "json")).toBeNull();
  });

  it("hands every caller its own parsed copy", async () => {
    const { viewA } = cachedTenants();
    await viewA.put("token:u1:g1:t6", record("u1"));
    const first = (await viewA.get("token:u1:g1:t6", "json")) as { userId: string };
    first.userId = "changed by a caller";
    expect(await viewA.get("token:u1:g1:t6", "json")).toMatchObject({ userId: "u1" });
    expect(await viewA.get("token:u1:g1:t6", "text")).toBe(record("u1"));
  });

  it("reads every other key, and token reads with KV options, from KV each time", async () => {
    const { a, viewA, records } = cachedTenants();
    await viewA.put("grant:u1:g1", "grant");
    expect(await viewA.get("grant:u1:g1")).toBe("grant");
    await env.OAUTH_KV.delete(`t:${a}:grant:u1:g1`);
    expect(await viewA.get("grant:u1:g1")).toBeNull();

    await viewA.put("token:u1:g1:t7", record("u1"));
    expect(await viewA.get("token:u1:g1:t7", { type: "json", cacheTtl: 60 })).toMatchObject({ userId: "u1" });
    expect(await viewA.get("token:u1:g1:t7", "arrayBuffer")).toBeInstanceOf(ArrayBuffer);
    expect(records.size).toBe(0);
  });

  it("is off with a TTL of 0, so every token check reads KV", () => {
    expect(sharedTokenRecordCache(0)).toBeUndefined();
    expect(sharedTokenRecordCache(30)).toBeInstanceOf(TokenRecordCache);
  });

  it("holds a bounded number of records, dropping the oldest first", () => {
    const records = new TokenRecordCache(30_000, () => 0);
    const started = records.readStarted();
    for (let i = 0; i < 2_001; i++) records.store(`t:x:token:${i}`, "r", started);
    expect(records.size).toBe(2_000);
    expect(records.get("t:x:token:0")).toBeUndefined();
    expect(records.get("t:x:token:2000")).toBe("r");
  });
});
