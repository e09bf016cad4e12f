import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openSecret } from "../src/tenancy/secret-envelope";
import { tenantRegistry } from "../src/tenancy/registry";
import { emulator } from "./helpers/emulator";
import { call, createTenant, json, tenantUrl } from "./helpers/gateway";
import { daysFromToday } from "./helpers/seed-date";
import {
  addAlert,
  adminCall,
  allKeys,
  errorOf,
  expectPurged,
  FORBIDDEN_FIELDS,
  gatewayKeyring,
  kvNamesWithPrefix,
  rowCount,
  secretMaterial,
  seedTenantKv,
  tenantRow,
} from "./helpers/tenants";

/** The tenant admin API on `<slug>.<BASE_DOMAIN>/api/admin/*`. */
type Created = Awaited<ReturnType<typeof createTenant>>;

async function expectNoSecrets(response: Response, tenant: Created): Promise<string> {
  const text = await response.text();
  for (const secret of await secretMaterial(tenant.tenant.id, tenant.input.clientSecret)) {
    expect(text).not.toContain(secret);
  }
  expect(text).not.toContain(tenant.adminKey);
  return text;
}

async function openStoredSecret(tenantId: string): Promise<string> {
  const tenant = await tenantRegistry(env.DB).findById(tenantId);
  if (!tenant) throw new Error("tenant missing");
  return openSecret(tenant.envelope, { tenantId: tenant.id, clientId: tenant.clientId }, gatewayKeyring());
}

describe("GET /api/admin/tenant", () => {
  it("returns the tenant's settings and links without any secret, envelope or hash field", async () => {
    const tenant = await createTenant({ orgName: "Settings Org" });
    const response = await adminCall(tenant.tenant.slug, "/tenant", tenant.adminKey);
    expect(response.status).toBe(200);
    const text = await expectNoSecrets(response, tenant);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: tenant.tenant.id,
      slug: tenant.tenant.slug,
      displayName: "Settings Org",
      clientId: tenant.input.clientId,
      entraTenantId: tenant.input.entraTenantId,
      status: "active",
      clientSecret: { hint: `${tenant.input.clientSecret.slice(0, 3)}…`, expiresAt: null },
      tenantUrl: tenantUrl(tenant.tenant.slug),
      mcpUrl: tenantUrl(tenant.tenant.slug, "/mcp"),
      redirectUri: tenantUrl(tenant.tenant.slug, "/callback"),
    });
    const keys = allKeys(body);
    for (const field of FORBIDDEN_FIELDS) expect(keys).not.toContain(field);
  });

  it.each([
    ["no Authorization header", undefined],
    ["a wrong key", "m365gw_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["an empty bearer", " "],
  ])("answers 401 with a Bearer challenge for %s", async (_why, key) => {
    const tenant = await createTenant();
    const response = await adminCall(tenant.tenant.slug, "/tenant", key);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="tenant-admin"');
    expect((await errorOf(response)).error).toBe("unauthorized");
  });

  it("answers 401 for the right key sent with another scheme", async () => {
    const tenant = await createTenant();
    const response = await call(tenantUrl(tenant.tenant.slug, "/api/admin/tenant"), {
      headers: { authorization: `Basic ${tenant.adminKey}` },
    });
    expect(response.status).toBe(401);
  });
});

describe("cross-tenant admin keys", () => {
  it("refuses tenant A's admin key on tenant B's host with 401 and changes nothing on B", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const before = await tenantRow(b.tenant.id);
    const attempts: [string, string, unknown][] = [
      ["GET", "/tenant", undefined],
      ["GET", "/alerts", undefined],
      ["PATCH", "/policy", { readOnly: true }],
      ["POST", "/suspend", undefined],
      ["POST", "/admin-key", undefined],
      ["PUT", "/client-secret", { clientSecret: a.input.clientSecret }],
      ["DELETE", "/tenant", { confirm: b.tenant.slug }],
    ];
    for (const [method, path, body] of attempts) {
      const response = await adminCall(b.tenant.slug, path, a.adminKey, { method, json: body });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
    expect(await tenantRow(b.tenant.id)).toEqual(before);
    expect((await adminCall(b.tenant.slug, "/tenant", b.adminKey)).status).toBe(200);
  });
});

describe("PUT /api/admin/client-secret", () => {
  it("stores a new secret that Entra accepts: the ciphertext changes and opens to the new secret", async () => {
    const tenant = await createTenant();
    const newSecret = `Nw9~${crypto.randomUUID().replace(/-/g, "")}`;
    await emulator.registerApp(tenant.input.entraTenantId, {
      clientId: tenant.input.clientId,
      secrets: [{ value: tenant.input.clientSecret }, { value: newSecret }],
    });
    const before = await tenantRow(tenant.tenant.id);

    const expiry = daysFromToday(730);
    const response = await adminCall(tenant.tenant.slug, "/client-secret", tenant.adminKey, {
      method: "PUT",
      json: { clientSecret: newSecret, clientSecretExpiresAt: expiry },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(newSecret);
    expect(JSON.parse(text)).toEqual({
      clientSecret: { hint: `${newSecret.slice(0, 3)}…`, expiresAt: `${expiry}T00:00:00.000Z` },
      credentialsVerified: true,
    });

    const after = await tenantRow(tenant.tenant.id);
    expect(after?.secret_ciphertext).not.toBe(before?.secret_ciphertext);
    // The tenant's data key stays: every other value sealed with it (the audit stream's key, certificate keys) still opens.
    expect(after?.wrapped_data_key).toBe(before?.wrapped_data_key);
    expect(JSON.stringify(after)).not.toContain(newSecret);
    expect(await openStoredSecret(tenant.tenant.id)).toBe(newSecret);
  });

  it("answers 422 with the AADSTS code for a secret Entra rejects, and keeps the old secret", async () => {
    const tenant = await createTenant();
    const before = await tenantRow(tenant.tenant.id);
    const response = await adminCall(tenant.tenant.slug, "/client-secret", tenant.adminKey, {
      method: "PUT",
      json: { clientSecret: "definitely-not-the-secret" },
    });
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(text).not.toContain("definitely-not-the-secret");
    expect(JSON.parse(text)).toMatchObject({ error: "entra_credentials_rejected", aadsts: "AADSTS7000215" });
    expect(await tenantRow(tenant.tenant.id)).toEqual(before);
    expect(await openStoredSecret(tenant.tenant.id)).toBe(tenant.input.clientSecret);
  });

  it("answers 400 naming clientSecret when it is missing", async () => {
    const tenant = await createTenant();
    const response = await adminCall(tenant.tenant.slug, "/client-secret", tenant.adminKey, { method: "PUT", json: {} });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues?.map((issue) => issue.field)).toEqual(["clientSecret"]);
  });
});

describe("PATCH /api/admin/policy", () => {
  it("sets read-only and the enabled tool groups, and the settings reflect them", async () => {
    const tenant = await createTenant();
    const response = await adminCall(tenant.tenant.slug, "/policy", tenant.adminKey, {
      method: "PATCH",
      json: { readOnly: true, enabledGroups: ["calendar", "mail"] },
    });
    expect(response.status).toBe(200);
    const expected = { readOnly: true, enabledGroups: ["mail", "calendar"], allowCustomSchemeRedirects: false };
    expect(await json(response)).toEqual({ policy: expected });
    expect(JSON.parse((await tenantRow(tenant.tenant.id))?.policy ?? "{}")).toEqual(expected);

    const settings = await json<{ policy: unknown; delegatedPermissions: string[] }>(
      await adminCall(tenant.tenant.slug, "/tenant", tenant.adminKey),
    );
    expect(settings.policy).toEqual(expected);
    expect(settings.delegatedPermissions).toEqual(expect.arrayContaining(["Mail.Read", "Calendars.Read"]));
    expect(settings.delegatedPermissions).not.toContain("Mail.Send");
    expect(settings.delegatedPermissions).not.toContain("Files.Read");
  });

  it.each([
    ["an unknown group", { enabledGroups: ["mail", "fax"] }, "enabledGroups"],
    ["an empty group list", { enabledGroups: [] }, "enabledGroups"],
    ["readOnly of the wrong type", { readOnly: "yes" }, "readOnly"],
    ["enabledGroups of the wrong type", { enabledGroups: "mail" }, "enabledGroups"],
  ])("answers 400 naming the field for %s, and keeps the policy", async (_why, patch, field) => {
    const tenant = await createTenant();
    const before = (await tenantRow(tenant.tenant.id))?.policy;
    const response = await adminCall(tenant.tenant.slug, "/policy", tenant.adminKey, { method: "PATCH", json: patch });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.error).toBe("invalid_request");
    expect(error.issues?.length).toBeGreaterThan(0);
    for (const issue of error.issues ?? []) expect(issue.field.split(".")[0]).toBe(field);
    expect(error.message).toContain(field);
    expect((await tenantRow(tenant.tenant.id))?.policy).toBe(before);
  });

  it("names the empty-list problem in words", async () => {
    const tenant = await createTenant();
    const response = await adminCall(tenant.tenant.slug, "/policy", tenant.adminKey, {
      method: "PATCH",
      json: { enabledGroups: [] },
    });
    expect((await errorOf(response)).issues).toEqual([{ field: "enabledGroups", message: "enable at least one tool group" }]);
  });

  it("refuses an unknown policy field rather than dropping it", async () => {
    const tenant = await createTenant();
    const response = await adminCall(tenant.tenant.slug, "/policy", tenant.adminKey, {
      method: "PATCH",
      json: { readonly: true },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain("readonly");
  });
});

describe("suspend, resume and admin-key rotation", () => {
  it("suspends then resumes the tenant, recorded in D1", async () => {
    const tenant = await createTenant();
    const slug = tenant.tenant.slug;
    const suspended = await adminCall(slug, "/suspend", tenant.adminKey, { method: "POST" });
    expect(await json(suspended)).toEqual({ status: "suspended" });
    expect((await tenantRow(tenant.tenant.id))?.status).toBe("suspended");
    expect((await call(tenantUrl(slug, "/"))).status).toBe(403);

    const resumed = await adminCall(slug, "/resume", tenant.adminKey, { method: "POST" });
    expect(await json(resumed)).toEqual({ status: "active" });
    expect((await tenantRow(tenant.tenant.id))?.status).toBe("active");
    expect((await call(tenantUrl(slug, "/"))).status).toBe(200);
  });

  it("rotates the admin key: the old key answers 401 and the new one works", async () => {
    const tenant = await createTenant();
    const slug = tenant.tenant.slug;
    const response = await adminCall(slug, "/admin-key", tenant.adminKey, { method: "POST" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { adminKey } = await json<{ adminKey: string }>(response);
    expect(adminKey).toMatch(/^m365gw_admin_[A-Za-z0-9_-]{43}$/);
    expect(adminKey).not.toBe(tenant.adminKey);
    expect(JSON.stringify(await tenantRow(tenant.tenant.id))).not.toContain(adminKey);

    expect((await adminCall(slug, "/tenant", tenant.adminKey)).status).toBe(401);
    expect((await adminCall(slug, "/tenant", adminKey)).status).toBe(200);
  });
});

describe("DELETE /api/admin/tenant", () => {
  it("requires confirm to equal the slug and deletes nothing otherwise", async () => {
    const tenant = await createTenant();
    const slug = tenant.tenant.slug;
    const missing = await adminCall(slug, "/tenant", tenant.adminKey, { method: "DELETE", json: {} });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).issues?.map((issue) => issue.field)).toEqual(["confirm"]);

    const mismatch = await adminCall(slug, "/tenant", tenant.adminKey, { method: "DELETE", json: { confirm: "someone-else" } });
    expect(mismatch.status).toBe(400);
    expect(await errorOf(mismatch)).toMatchObject({
      error: "confirmation_mismatch",
      issues: [{ field: "confirm", message: `expected "${slug}"` }],
    });
    expect(await rowCount("tenants", tenant.tenant.id)).toBe(1);
    expect((await call(tenantUrl(slug, "/"))).status).toBe(200);
  });

  it("purges the tenant's D1 rows and every t:<tenantId>: KV key, leaves other tenants' keys, then the host answers 404", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    await addAlert(tenant.tenant.id);
    await addAlert(tenant.tenant.id, "entra_unavailable");
    await addAlert(other.tenant.id);
    const seeded = await seedTenantKv(tenant.tenant.id, 4);
    const survivors = await seedTenantKv(other.tenant.id, 2);

    const response = await adminCall(tenant.tenant.slug, "/tenant", tenant.adminKey, {
      method: "DELETE",
      json: { confirm: tenant.tenant.slug },
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ deleted: true, kvKeysDeleted: seeded.length });

    await expectPurged(tenant.tenant);
    expect((await kvNamesWithPrefix(`t:${other.tenant.id}:`)).sort()).toEqual(survivors.sort());
    expect(await rowCount("tenant_alerts", other.tenant.id)).toBe(1);
    expect(await rowCount("tenants", other.tenant.id)).toBe(1);
    // The deleted tenant's admin key is useless now.
    expect((await adminCall(tenant.tenant.slug, "/tenant", tenant.adminKey)).status).toBe(404);
  });
});

describe("who may lift a suspension", () => {
  it("refuses the tenant admin's resume when the operator suspended the tenant, and lets the operator resume it", async () => {
    const { APEX, OPERATOR_TOKEN } = await import("./helpers/gateway");
    const tenant = await createTenant();
    const suspended = await call(`${APEX}/api/operator/tenants/${tenant.tenant.id}/suspend`, { method: "POST", bearer: OPERATOR_TOKEN });
    expect(suspended.status).toBe(200);
    const resume = await call(tenantUrl(tenant.tenant.slug, "/api/admin/resume"), { method: "POST", bearer: tenant.adminKey });
    expect(resume.status).toBe(403);
    expect((await json(resume)).error).toBe("suspended_by_operator");
    expect((await call(tenantUrl(tenant.tenant.slug, "/health"))).status).toBe(403);
    const lifted = await call(`${APEX}/api/operator/tenants/${tenant.tenant.id}/resume`, { method: "POST", bearer: OPERATOR_TOKEN });
    expect(lifted.status).toBe(200);
    expect((await call(tenantUrl(tenant.tenant.slug, "/health"))).status).toBe(200);
  });

  it("lets the tenant admin lift its own suspension", async () => {
    const tenant = await createTenant();
    expect((await call(tenantUrl(tenant.tenant.slug, "/api/admin/suspend"), { method: "POST", bearer: tenant.adminKey })).status).toBe(200);
    expect((await call(tenantUrl(tenant.tenant.slug, "/api/admin/resume"), { method: "POST", bearer: tenant.adminKey })).status).toBe(200);
  });
});
