import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config";
import { rewrapAllTenants } from "../src/tenancy/key-rotation";
import { tenantRegistry } from "../src/tenancy/registry";
import { openSecret, type Keyring } from "../src/tenancy/secret-envelope";
import { emulator } from "./helpers/emulator";
import { createTenant } from "./helpers/gateway";
import { adminCall, gatewayKeyring, tenantRow } from "./helpers/tenants";

/** KEK rotation: every tenant's data key is re-wrapped, the sealed secret never changes. */
describe("rewrapAllTenants", () => {
  it("moves every tenant to the new active KEK, keeps each secret readable, and is idempotent", async () => {
    expect(readConfig(env).ACTIVE_KEK_ID).toBe("1");
    const tenants = [await createTenant(), await createTenant()];
    const before = await Promise.all(tenants.map((tenant) => tenantRow(tenant.tenant.id)));
    expect(before.map((row) => row?.kek_id)).toEqual(["1", "1"]);

    const rotated = { ...readConfig(env), ACTIVE_KEK_ID: "2" };
    const registry = tenantRegistry(env.DB);
    const first = await rewrapAllTenants(registry, rotated);
    expect(first.activeKekId).toBe("2");
    expect(first.failed).toEqual([]);
    expect(first.rewrapped).toBeGreaterThanOrEqual(tenants.length);

    // Only KEK_2 is needed from now on: KEK_1 can be deleted.
    const onlyNewKek: Keyring = {
      keks: new Map([...rotated.keks].filter(([id]) => id === "2")),
      activeKekId: "2",
    };
    for (const [index, created] of tenants.entries()) {
      const row = await tenantRow(created.tenant.id);
      expect(row?.kek_id).toBe("2");
      expect(row?.secret_ciphertext).toBe(before[index]?.secret_ciphertext);
      expect(row?.secret_iv).toBe(before[index]?.secret_iv);
      expect(row?.wrapped_data_key).not.toBe(before[index]?.wrapped_data_key);
      const tenant = await registry.findById(created.tenant.id);
      if (!tenant) throw new Error("tenant missing");
      const binding = { tenantId: tenant.id, clientId: tenant.clientId };
      expect(await openSecret(tenant.envelope, binding, onlyNewKek)).toBe(created.input.clientSecret);
    }

    const second = await rewrapAllTenants(registry, rotated);
    expect(second).toEqual({ activeKekId: "2", rewrapped: 0, alreadyCurrent: first.rewrapped + first.alreadyCurrent, failed: [] });
    // It re-wraps every tenant in the database, and test files share one: allow for a few hundred.
  }, 60_000);

  it("reports a tenant whose data key cannot be unwrapped as failed and carries on with the rest", async () => {
    const broken = await createTenant();
    const healthy = await createTenant();
    // Both start under KEK 1; one wrapped data key is corrupted in D1.
    const registry = tenantRegistry(env.DB);
    await env.DB.prepare("UPDATE tenants SET data_key_iv = ? WHERE id = ?").bind("AAAAAAAAAAAAAAAA", broken.tenant.id).run();

    const result = await rewrapAllTenants(registry, { ...readConfig(env), ACTIVE_KEK_ID: "2" });
    expect(result.failed).toEqual([broken.tenant.id]);
    expect((await tenantRow(broken.tenant.id))?.kek_id).toBe("1");
    expect((await tenantRow(healthy.tenant.id))?.kek_id).toBe("2");
  });
});

/**
 * Hands back a view of `db` that runs `before` once, just before the statement
 * that rewrites `tenantId`'s wrapped data key (rotation's write). It only
 * delays the platform binding; every line of gateway code runs as is.
 */
function beforeWrappedKeyWrite(db: D1Database, tenantId: string, before: () => Promise<void>): D1Database {
  let pending: (() => Promise<void>) | undefined = before;
  const gate = async () => {
    const hook = pending;
    pending = undefined;
    await hook?.();
  };
  const delayed = (bound: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(bound, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== "function") return value;
        if (prop === "raw" || prop === "all" || prop === "first" || prop === "run") {
          return async (...args: unknown[]) => {
            await gate();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      if (prop !== "prepare") return (value as (...a: unknown[]) => unknown).bind(target);
      return (sql: string) => {
        const statement = target.prepare(sql);
        if (!/^update "tenants" set "wrapped_data_key"/i.test(sql)) return statement;
        return new Proxy(statement, {
          get(stmt, p) {
            if (p === "bind") {
              return (...params: unknown[]) => {
                const bound = stmt.bind(...params);
                return params.includes(tenantId) ? delayed(bound) : bound;
              };
            }
            const inner: unknown = Reflect.get(stmt, p);
            return typeof inner === "function" ? (inner as (...a: unknown[]) => unknown).bind(stmt) : inner;
          },
        });
      };
    },
  });
}

describe("rewrapAllTenants racing a client-secret rotation", () => {
  // BUG (src/tenancy/key-rotation.ts + registry.setWrappedKey): rotation reads
  // a tenant's envelope, re-wraps that data key, then writes wrapped_data_key /
  // data_key_iv / kek_id unconditionally (`WHERE id = ?`). If the tenant admin
  // stores a new client secret in between (PUT /api/admin/client-secret seals it
  // under a NEW data key), rotation overwrites the new wrapped key with the OLD
  // data key: the new ciphertext can no longer be opened by anyone, and the
  // run still reports the tenant as re-wrapped. The write should be
  // conditional on the wrapped key it read (compare-and-swap) and re-read or
  // report the tenant on a miss.
  it("never leaves a tenant with a secret that no longer decrypts", async () => {
    const created = await createTenant();
    const newSecret = `Rt7~${crypto.randomUUID().replace(/-/g, "")}`;
    await emulator.registerApp(created.input.entraTenantId, {
      clientId: created.input.clientId,
      secrets: [{ value: created.input.clientSecret }, { value: newSecret }],
    });

    // While rotation is between reading this tenant and writing its wrapped key,
    // the tenant admin rotates the client secret through the Worker.
    const racingDb = beforeWrappedKeyWrite(env.DB, created.tenant.id, async () => {
      const response = await adminCall(created.tenant.slug, "/client-secret", created.adminKey, {
        method: "PUT",
        json: { clientSecret: newSecret },
      });
      expect(response.status).toBe(200);
    });
    const result = await rewrapAllTenants(tenantRegistry(racingDb), { ...readConfig(env), ACTIVE_KEK_ID: "2" });
    expect(result.rewrapped + result.failed.length).toBeGreaterThanOrEqual(1);

    const tenant = await tenantRegistry(env.DB).findById(created.tenant.id);
    if (!tenant) throw new Error("tenant missing");
    const binding = { tenantId: tenant.id, clientId: tenant.clientId };
    expect(await openSecret(tenant.envelope, binding, gatewayKeyring())).toBe(newSecret);
  });
});
