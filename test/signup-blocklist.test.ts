import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { emulator } from "./helpers/emulator";
import { call, createTenant, json, postSignup, signupBody, tenantUrl, uniqueSlug } from "./helpers/gateway";
import { adminCall, errorOf, operatorCall, tenantRow } from "./helpers/tenants";

/**
 * An operator's suspension cannot be escaped by the tenant: not by deleting
 * the tenant, and not by signing the same organization up again after the
 * operator deleted it.
 */
type Created = Awaited<ReturnType<typeof createTenant>>;

interface Block {
  id: number;
  field: string;
  value: string;
  tenantId: string;
  createdAt: string;
}

/** A second app in the same Entra directory, as an org admin would register one. */
async function secondAppInDirectory(entraTenantId: string) {
  const clientId = crypto.randomUUID();
  const clientSecret = `Zq7~${crypto.randomUUID().replace(/-/g, "")}`;
  await emulator.registerApp(entraTenantId, { clientId, secrets: [{ value: clientSecret }], redirectUris: [] });
  return { entraTenantId, clientId, clientSecret };
}

async function suspend(tenant: Created) {
  expect((await operatorCall(`/tenants/${tenant.tenant.id}/suspend`, { method: "POST" })).status).toBe(200);
}

async function blocksOf(tenantId: string): Promise<Block[]> {
  const all: Block[] = [];
  let cursor: string | null = null;
  do {
    const response = await operatorCall(`/blocks?limit=200${cursor ? `&cursor=${cursor}` : ""}`);
    const page = await json<{ blocks: Block[]; nextCursor: string | null }>(response);
    all.push(...page.blocks);
    cursor = page.nextCursor;
  } while (cursor);
  return all.filter((block) => block.tenantId === tenantId);
}

async function signupRefusal(overrides: Record<string, unknown>) {
  const response = await postSignup(await signupBody(overrides));
  return { status: response.status, body: await errorOf(response) };
}

describe("a tenant the operator suspended", () => {
  it("cannot be deleted by its own admin, so it stays suspended and its host stays closed", async () => {
    const tenant = await createTenant();
    await suspend(tenant);
    const response = await adminCall(tenant.tenant.slug, "/tenant", tenant.adminKey, {
      method: "DELETE",
      json: { confirm: tenant.tenant.slug },
    });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).error).toBe("suspended_by_operator");
    expect((await tenantRow(tenant.tenant.id))?.status).toBe("suspended");
    // The escape the issue describes: a signup with the same slug and Entra app.
    const again = await postSignup({ ...tenant.input, slug: tenant.tenant.slug });
    expect(again.status).toBe(409);
    expect((await call(tenantUrl(tenant.tenant.slug, "/authorize"))).status).toBe(403);
  });

  it("can still be deleted by its own admin when the admin suspended it", async () => {
    const tenant = await createTenant();
    expect((await adminCall(tenant.tenant.slug, "/suspend", tenant.adminKey, { method: "POST" })).status).toBe(200);
    const response = await adminCall(tenant.tenant.slug, "/tenant", tenant.adminKey, {
      method: "DELETE",
      json: { confirm: tenant.tenant.slug },
    });
    expect(response.status).toBe(200);
    // No block: the org may come back.
    expect((await postSignup({ ...tenant.input, slug: tenant.tenant.slug })).status).toBe(201);
  });
});

describe("signup after the operator suspended and deleted a tenant", () => {
  it("refuses the slug, the Entra tenant and the client ID, each named, and serves no tenant there", async () => {
    const tenant = await createTenant();
    const { entraTenantId, clientId, clientSecret } = tenant.input;
    await suspend(tenant);
    expect((await operatorCall(`/tenants/${tenant.tenant.id}`, { method: "DELETE" })).status).toBe(200);

    const sameEverything = await postSignup({ ...tenant.input, slug: tenant.tenant.slug });
    expect(sameEverything.status).toBe(403);
    const body = await errorOf(sameEverything);
    expect(body.error).toBe("blocked_by_operator");
    expect(body.issues?.map((issue) => issue.field)).toEqual(["slug", "entraTenantId", "clientId"]);
    expect(JSON.stringify(body)).not.toContain(String(clientSecret));
    expect((await call(tenantUrl(tenant.tenant.slug, "/authorize"))).status).toBe(404);

    const sameAppNewSlug = await signupRefusal({ entraTenantId, clientId, clientSecret });
    expect(sameAppNewSlug.status).toBe(403);
    expect(sameAppNewSlug.body.issues?.map((issue) => issue.field)).toEqual(["entraTenantId", "clientId"]);

    const newAppSameDirectory = await signupRefusal(await secondAppInDirectory(String(entraTenantId)));
    expect(newAppSameDirectory.status).toBe(403);
    expect(newAppSameDirectory.body.issues).toEqual([{ field: "entraTenantId", message: "blocked by the gateway's operator" }]);

    const sameSlugNewOrg = await signupRefusal({ slug: tenant.tenant.slug.toUpperCase() });
    expect(sameSlugNewOrg.status).toBe(403);
    expect(sameSlugNewOrg.body.issues).toEqual([{ field: "slug", message: "blocked by the gateway's operator" }]);
  });

  it("keeps the blocks in D1 after every row of the tenant is gone", async () => {
    const tenant = await createTenant();
    await suspend(tenant);
    expect((await operatorCall(`/tenants/${tenant.tenant.id}`, { method: "DELETE" })).status).toBe(200);
    expect(await tenantRow(tenant.tenant.id)).toBeNull();
    const blocks = await blocksOf(tenant.tenant.id);
    expect(blocks.map((block) => [block.field, block.value]).sort()).toEqual(
      [
        ["clientId", tenant.input.clientId],
        ["entraTenantId", tenant.input.entraTenantId],
        ["slug", tenant.tenant.slug],
      ].sort(),
    );
  });

  it("accepts another organization", async () => {
    const tenant = await createTenant();
    await suspend(tenant);
    expect((await operatorCall(`/tenants/${tenant.tenant.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await postSignup(await signupBody())).status).toBe(201);
  });
});

describe("lifting blocks", () => {
  it("the operator's resume lifts the blocks its suspension made, and the admin may delete again", async () => {
    const tenant = await createTenant();
    await suspend(tenant);
    expect(await blocksOf(tenant.tenant.id)).toHaveLength(3);
    expect((await operatorCall(`/tenants/${tenant.tenant.id}/resume`, { method: "POST" })).status).toBe(200);
    expect(await blocksOf(tenant.tenant.id)).toEqual([]);
    const response = await adminCall(tenant.tenant.slug, "/tenant", tenant.adminKey, {
      method: "DELETE",
      json: { confirm: tenant.tenant.slug },
    });
    expect(response.status).toBe(200);
  });

  it("the operator lifts one block by field and value; the others stay", async () => {
    const tenant = await createTenant();
    await suspend(tenant);
    expect((await operatorCall(`/tenants/${tenant.tenant.id}`, { method: "DELETE" })).status).toBe(200);

    const lifted = await operatorCall(`/blocks/slug/${tenant.tenant.slug.toUpperCase()}`, { method: "DELETE" });
    expect(lifted.status).toBe(200);
    expect(await json(lifted)).toEqual({ field: "slug", value: tenant.tenant.slug, lifted: 1 });
    expect((await blocksOf(tenant.tenant.id)).map((block) => block.field).sort()).toEqual(["clientId", "entraTenantId"]);

    // The slug is free again for a new organization; the old org's app is still refused.
    expect((await postSignup(await signupBody({ slug: tenant.tenant.slug }))).status).toBe(201);
    expect((await signupRefusal({ ...tenant.input, slug: uniqueSlug() })).status).toBe(403);
  });

  it("answers 404 for a block that does not exist and 400 naming the field for a bad one", async () => {
    const missing = await operatorCall(`/blocks/clientId/${crypto.randomUUID()}`, { method: "DELETE" });
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).error).toBe("block_not_found");
    const badField = await operatorCall("/blocks/adminEmail/x", { method: "DELETE" });
    expect(badField.status).toBe(400);
    expect((await errorOf(badField)).issues?.[0]?.field).toBe("field");
    const badValue = await operatorCall("/blocks/entraTenantId/contoso.com", { method: "DELETE" });
    expect(badValue.status).toBe(400);
    expect((await errorOf(badValue)).issues?.[0]?.field).toBe("value");
  });

  it("needs the operator token to list or lift blocks", async () => {
    expect((await operatorCall("/blocks", { bearer: "not-the-token" })).status).toBe(401);
    expect((await operatorCall("/blocks/slug/some-org", { method: "DELETE", bearer: undefined })).status).toBe(401);
  });
});

describe("blocks across tenants", () => {
  it("resuming one tenant keeps the block another suspended tenant holds on a shared Entra tenant", async () => {
    const first = await createTenant();
    const second = await createTenant(await secondAppInDirectory(String(first.input.entraTenantId)));
    await suspend(first);
    await suspend(second);
    expect((await operatorCall(`/tenants/${first.tenant.id}/resume`, { method: "POST" })).status).toBe(200);

    const refused = await signupRefusal(await secondAppInDirectory(String(first.input.entraTenantId)));
    expect(refused.status).toBe(403);
    expect(refused.body.issues).toEqual([{ field: "entraTenantId", message: "blocked by the gateway's operator" }]);
    expect((await blocksOf(second.tenant.id)).map((block) => block.field).sort()).toEqual(["clientId", "entraTenantId", "slug"]);
    // The resumed tenant works, and its admin may delete it again.
    expect((await call(tenantUrl(first.tenant.slug, "/"))).status).toBe(200);
  });

  it("one tenant's suspension changes nothing for another organization's tenant or signups", async () => {
    const suspended = await createTenant();
    const other = await createTenant();
    await suspend(suspended);
    expect((await call(tenantUrl(other.tenant.slug, "/"))).status).toBe(200);
    expect(await blocksOf(other.tenant.id)).toEqual([]);
    const response = await adminCall(other.tenant.slug, "/tenant", other.adminKey, {
      method: "DELETE",
      json: { confirm: other.tenant.slug },
    });
    expect(response.status).toBe(200);
    expect((await postSignup({ ...other.input, slug: other.tenant.slug })).status).toBe(201);
  });
});

describe("migration 0005 on a database from before signup blocks", () => {
  it("blocks the names of tenants the operator had already suspended, and of no other tenant", async () => {
    const suspended = await createTenant();
    const active = await createTenant();
    // As such a database holds them: suspended by the operator, without blocks.
    await env.DB.prepare("UPDATE tenants SET status = 'suspended', suspended_by = 'operator' WHERE id = ?").bind(suspended.tenant.id).run();
    const { TEST_MIGRATIONS } = env as typeof env & { TEST_MIGRATIONS: { name: string; queries: string[] }[] };
    const backfill = TEST_MIGRATIONS.find((migration) => migration.name.startsWith("0005_"));
    expect(backfill?.name).toBe("0005_backfill_signup_blocks.sql");
    for (const query of backfill?.queries ?? []) await env.DB.prepare(query).run();

    expect((await blocksOf(suspended.tenant.id)).map((block) => block.field).sort()).toEqual(["clientId", "entraTenantId", "slug"]);
    expect(await blocksOf(active.tenant.id)).toEqual([]);
    expect((await operatorCall(`/tenants/${suspended.tenant.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await signupRefusal({ ...suspended.input })).status).toBe(403);
  });
});

describe("GET /api/operator/blocks", () => {
  it("pages with limit and cursor, and names a bad cursor", async () => {
    const tenant = await createTenant();
    await suspend(tenant);
    const first = await json<{ blocks: Block[]; nextCursor: string | null }>(await operatorCall("/blocks?limit=1"));
    expect(first.blocks).toHaveLength(1);
    expect(first.nextCursor).toBe(String(first.blocks[0]?.id));
    const next = await json<{ blocks: Block[] }>(await operatorCall(`/blocks?limit=1&cursor=${first.nextCursor}`));
    expect(next.blocks[0]?.id).toBeGreaterThan(first.blocks[0]?.id ?? Infinity);
    const bad = await operatorCall("/blocks?cursor=abc");
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).issues).toEqual([{ field: "cursor", message: "expected the nextCursor of a previous page" }]);
  });
});
