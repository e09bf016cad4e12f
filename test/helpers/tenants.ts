import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { readConfig } from "../../src/config";
import type { Keyring } from "../../src/tenancy/secret-envelope";
import { APEX, call, json, OPERATOR_TOKEN, tenantUrl } from "./gateway";

/** Shared helpers for the tenant-admin, operator and offboarding tests. */
interface ApiInit {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface ErrorBody {
  error: string;
  message: string;
  issues?: { field: string; message: string }[];
  aadsts?: string;
}

/** `/api/admin/*` on a tenant host with an admin key. */
export function adminCall(slug: string, path: string, adminKey: string | undefined, init: ApiInit = {}) {
  return call(tenantUrl(slug, `/api/admin${path}`), { ...init, bearer: adminKey });
}

/** `/api/operator/*` on the apex with the operator token (or another bearer). */
export function operatorCall(path: string, init: ApiInit & { bearer?: string } = {}) {
  return call(`${APEX}/api/operator${path}`, { bearer: OPERATOR_TOKEN, ...init });
}

export async function errorOf(response: Response): Promise<ErrorBody> {
  return json<ErrorBody>(response);
}

export interface TenantRowSnapshot {
  id: string;
  slug: string;
  client_id: string;
  secret_ciphertext: string;
  secret_iv: string;
  wrapped_data_key: string;
  data_key_iv: string;
  kek_id: string;
  secret_hint: string;
  status: string;
  policy: string;
  admin_key_hash: string;
}

export async function tenantRow(tenantId: string): Promise<TenantRowSnapshot | null> {
  return env.DB.prepare("SELECT * FROM tenants WHERE id = ?").bind(tenantId).first<TenantRowSnapshot>();
}

export async function rowCount(table: "tenants" | "tenant_alerts", tenantId: string): Promise<number> {
  const column = table === "tenants" ? "id" : "tenant_id";
  const count = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).bind(tenantId).first<number>("n");
  return count ?? 0;
}

export async function addAlert(tenantId: string, kind = "secret_expiring"): Promise<void> {
  await env.DB.prepare("INSERT INTO tenant_alerts (tenant_id, kind, detail) VALUES (?, ?, ?)")
    .bind(tenantId, kind, "seeded by a test")
    .run();
}

/** Puts `count` raw KV keys under the tenant's `t:<tenantId>:` prefix; returns their full names. */
export async function seedTenantKv(tenantId: string, count = 3): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `t:${tenantId}:seed:${i}`);
  await Promise.all(names.map((name) => env.OAUTH_KV.put(name, "value")));
  return names;
}

export async function kvNamesWithPrefix(prefix: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.OAUTH_KV.list({ prefix, cursor });
    names.push(...page.keys.map((key) => key.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return names;
}

/** Everything the gateway held for the tenant is gone: D1 rows, KV keys, and its host. */
export async function expectPurged(tenant: { id: string; slug: string }): Promise<void> {
  expect(await rowCount("tenants", tenant.id)).toBe(0);
  expect(await rowCount("tenant_alerts", tenant.id)).toBe(0);
  expect(await kvNamesWithPrefix(`t:${tenant.id}:`)).toEqual([]);
  const landing = await call(tenantUrl(tenant.slug, "/"));
  expect(landing.status).toBe(404);
  expect((await errorOf(landing)).error).toBe("tenant_not_found");
}

/** The keyring the gateway itself uses, from the test Worker's configuration. */
export function gatewayKeyring(): Keyring {
  const config = readConfig(env);
  return { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID };
}

/** Strings that must never appear in an admin or operator response for this tenant. */
export async function secretMaterial(tenantId: string, clientSecret: string): Promise<string[]> {
  const row = await tenantRow(tenantId);
  if (!row) throw new Error(`tenant ${tenantId} has no row`);
  return [clientSecret, row.secret_ciphertext, row.wrapped_data_key, row.admin_key_hash];
}

export const FORBIDDEN_FIELDS = [
  "clientSecretValue",
  "secretCiphertext",
  "secret_ciphertext",
  "secretIv",
  "wrappedDataKey",
  "dataKeyIv",
  "kekId",
  "envelope",
  "adminKeyHash",
  "admin_key_hash",
  "adminKey",
];

/** Every key at any depth of a JSON value, to check no secret-bearing field leaks. */
export function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...allKeys(inner)]);
  }
  return [];
}
