import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { APEX, call, createTenant, EDGE_CF, json, postSignup, registerEntraApp, signupBody, tenantUrl, uniqueIp } from "./helpers/gateway";
import { expectLimitedAfterBudget } from "./helpers/rate-limit";

interface ErrorBody {
  error: string;
  message: string;
  issues?: { field: string; message: string }[];
  aadsts?: string;
}

describe("POST /api/signup", () => {
  it("creates a tenant and answers every link the org admin needs, with a one-time admin key", async () => {
    const body = await signupBody({ slug: "Contoso-Labs" });
    const response = await postSignup(body);
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const result = await json(response);
    expect(result).toMatchObject({
      tenant: { slug: "contoso-labs", displayName: "Acme Corporation" },
      tenantUrl: "https://contoso-labs.mcp.example.com",
      mcpUrl: "https://contoso-labs.mcp.example.com/mcp",
      redirectUri: "https://contoso-labs.mcp.example.com/callback",
      credentialsVerified: true,
    });
    expect(result.adminKey).toMatch(/^m365gw_admin_[A-Za-z0-9_-]{43}$/);
    const consent = new URL(String(result.adminConsentUrl));
    expect(consent.origin + consent.pathname).toBe(`${env.LOGIN_BASE}/${body.entraTenantId}/v2.0/adminconsent`);
    expect(consent.searchParams.get("client_id")).toBe(body.clientId);
    expect(consent.searchParams.get("redirect_uri")).toBe("https://contoso-labs.mcp.example.com/callback");
    expect(consent.searchParams.get("scope")).toContain("https://graph.microsoft.com/Mail.ReadWrite");
    expect(result.delegatedPermissions).toEqual(
      expect.arrayContaining(["offline_access", "User.Read", "Mail.Send", "Calendars.ReadWrite"]),
    );
    expect(result.adminConsoleUrl).toBe("https://contoso-labs.mcp.example.com/admin");
  });

  it("says the next steps in words, with the values themselves rather than the answer's key names", async () => {
    const body = await signupBody();
    const result = await json<{ nextSteps: string[]; mcpUrl: string; redirectUri: string; adminConsentUrl: string }>(
      await postSignup(body),
    );
    const steps = result.nextSteps.join("\n");
    for (const jsonName of ["delegatedPermissions", "adminConsentUrl", "redirectUri", "mcpUrl", "adminConsoleUrl"]) {
      expect(steps).not.toContain(jsonName);
    }
    expect(steps).toContain(result.redirectUri);
    expect(steps).toContain(result.adminConsentUrl);
    expect(steps).toContain("Mail.ReadWrite");
    expect(steps).toContain(result.mcpUrl);
    expect(steps).toContain(String(body.adminEmail));
  });

  it("never returns, stores in clear or echoes the client secret", async () => {
    const body = await signupBody();
    const response = await postSignup(body);
    const text = await response.text();
    expect(text).not.toContain(body.clientSecret);
    const row = await env.DB.prepare("SELECT * FROM tenants WHERE slug = ?").bind(body.slug).first();
    expect(JSON.stringify(row)).not.toContain(body.clientSecret);
    expect(row?.secret_hint).toBe(body.clientSecret.slice(0, 3));
    // Only the hash of the admin key is kept.
    expect(JSON.stringify(row)).not.toContain(JSON.parse(text).adminKey);
  });

  it.each([
    ["entraTenantId", "common", "multi-tenant alias"],
    ["entraTenantId", "organizations", "multi-tenant alias"],
    ["entraTenantId", "contoso.onmicrosoft.com", "not a domain name"],
    ["entraTenantId", "not-a-guid", "a GUID"],
    ["clientId", "12345", "Application (client) ID, a GUID"],
    ["clientSecret", "x".repeat(257), "at most 256 characters"],
    ["clientSecret", "", "Enter the client secret's Value"],
    ["adminEmail", "not-an-email", "expected an email address"],
    ["slug", "ab", "3-63 characters"],
    ["slug", "-acme", "3-63 characters"],
    ["slug", "acme_corp", "3-63 characters"],
    ["slug", "xn--acme", "3-63 characters"],
    ["slug", "www", "reserved"],
    ["slug", "api", "reserved"],
    ["orgName", "", "Enter your organization's name"],
    ["orgName", "A", "at least 2 characters"],
    ["clientSecretExpiresAt", "2001-01-01", "already expired"],
    ["clientSecretExpiresAt", "next tuesday", "year-month-day"],
  ])("rejects %s = %j with a 400 naming the field", async (field, value, expected) => {
    const body = await signupBody({ [field]: value });
    const response = await postSignup(body);
    expect(response.status).toBe(400);
    const error = await json<ErrorBody>(response);
    expect(error.error).toBe("invalid_request");
    expect(error.issues).toEqual([expect.objectContaining({ field, message: expect.stringContaining(expected) })]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM tenants WHERE slug = ?").bind(String(body.slug)).first("n")).toBe(0);
  });

  it("names every missing field at once", async () => {
    const response = await postSignup({});
    const error = await json<ErrorBody>(response);
    expect(response.status).toBe(400);
    expect(error.issues?.map((issue) => issue.field).sort()).toEqual([
      "adminEmail",
      "clientId",
      "clientSecret",
      "entraTenantId",
      "orgName",
      "slug",
    ]);
  });

  it("refuses unknown fields rather than silently dropping them", async () => {
    const response = await postSignup({ ...(await signupBody()), client_secret: "typo" });
    const error = await json<ErrorBody>(response);
    expect(response.status).toBe(400);
    expect(error.message).toContain("client_secret");
  });

  it("answers 400 for malformed JSON and 415 for a non-JSON body", async () => {
    const ip = uniqueIp();
    const malformed = await call(`${APEX}/api/signup`, {
      body: "{not json",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    });
    expect(malformed.status).toBe(400);
    expect((await json<ErrorBody>(malformed)).error).toBe("invalid_json");
    const form = await call(`${APEX}/api/signup`, {
      body: "slug=acme",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
    });
    expect(form.status).toBe(415);
  });

  it("answers 409 when the slug is taken, and keeps the first tenant intact", async () => {
    const first = await createTenant();
    const second = await postSignup(await signupBody({ slug: first.tenant.slug }));
    expect(second.status).toBe(409);
    const error = await json<ErrorBody>(second);
    expect(error.issues).toEqual([{ field: "slug", message: "This address is already taken; choose another" }]);
    const row = await env.DB.prepare("SELECT client_id FROM tenants WHERE slug = ?").bind(first.tenant.slug).first();
    expect(row?.client_id).toBe(first.input.clientId);
  });

  it("answers 422 naming the AADSTS reason when Entra rejects the secret", async () => {
    const body = await signupBody({ clientSecret: "wrong-secret-value" });
    const response = await postSignup(body);
    expect(response.status).toBe(422);
    const error = await json<ErrorBody>(response);
    expect(error).toMatchObject({ error: "entra_credentials_rejected", aadsts: "AADSTS7000215" });
    expect(error.message).toContain("client secret is wrong");
    expect(error.issues).toEqual([
      { field: "clientSecret", message: expect.stringMatching(/^The client secret is wrong.*\(AADSTS7000215\)$/) },
    ]);
    expect(JSON.stringify(error)).not.toContain("wrong-secret-value");
  });

  it("answers 422 for an expired secret, an unknown app and an unknown tenant", async () => {
    const expired = await registerEntraApp({ secretExpiresAt: new Date(Date.now() - 60_000).toISOString() });
    const cases = [
      [{ ...expired }, "AADSTS7000222", "clientSecret"],
      [{ clientId: crypto.randomUUID() }, "AADSTS700016", "clientId"],
      [{ entraTenantId: crypto.randomUUID() }, "AADSTS90002", "entraTenantId"],
    ] as const;
    for (const [overrides, aadsts, field] of cases) {
      const response = await postSignup(await signupBody(overrides));
      expect(response.status).toBe(422);
      const error = await json<ErrorBody>(response);
      expect(error.aadsts).toBe(aadsts);
      expect(error.issues).toEqual([{ field, message: expect.stringContaining(`(${aadsts})`) }]);
    }
  });

  it("refuses a body over the size cap with 413, before reading it all", async () => {
    const response = await postSignup({ ...(await signupBody()), orgName: "x".repeat(10_000) });
    expect(response.status).toBe(413);
    expect((await json<ErrorBody>(response)).error).toBe("body_too_large");
  });

  it("rate-limits signups that reach Entra per client IP with 429 and Retry-After", async () => {
    const ip = uniqueIp();
    const refused = await signupBody({ clientSecret: "wrong-secret-value" });
    const limited = await expectLimitedAfterBudget(5, 422, () => postSignup(refused, ip));
    expect(limited.headers.get("retry-after")).toBe("60");
    // Another address is unaffected.
    expect((await postSignup(refused)).status).toBe(422);
  });

  it("spends no budget on invalid fields, a taken address or a blocked value: only asking Entra counts", async () => {
    const ip = uniqueIp();
    const taken = await createTenant();
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect((await postSignup({ slug: "x" }, ip)).status).toBe(400);
      expect((await postSignup(await signupBody({ slug: taken.tenant.slug }), ip)).status).toBe(409);
    }
    // The whole budget is still there for signups that reach Entra.
    const refused = await signupBody({ clientSecret: "wrong-secret-value" });
    await expectLimitedAfterBudget(5, 422, () => postSignup(refused, ip));
  });
});

describe("invite-only signup", () => {
  async function signupWithInvite(body: Record<string, unknown>) {
    const { createExecutionContext } = await import("cloudflare:test");
    const worker = (await import("../src/index")).default;
    const request = new Request(`${APEX}/api/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": uniqueIp() },
      body: JSON.stringify(body),
      cf: EDGE_CF,
    });
    return worker.fetch(request, { ...env, SIGNUP_INVITE_TOKEN: "invite-2026-secret" }, createExecutionContext());
  }

  it("refuses a signup without the operator's invite token, and accepts one with it", async () => {
    const without = await signupWithInvite(await signupBody());
    expect(without.status).toBe(403);
    expect((await json<ErrorBody>(without)).error).toBe("invite_required");
    const wrong = await signupWithInvite(await signupBody({ inviteToken: "guess" }));
    expect(wrong.status).toBe(403);
    const right = await signupWithInvite(await signupBody({ inviteToken: "invite-2026-secret" }));
    expect(right.status).toBe(201);
  });
});

describe("two signups racing for one slug", () => {
  it("gives one 201 and one 409, never a 500", async () => {
    const slug = `race-${crypto.randomUUID().slice(0, 8)}`;
    const [a, b] = await Promise.all([postSignup(await signupBody({ slug })), postSignup(await signupBody({ slug }))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
  });
});

describe("one organization per Entra app", () => {
  it("answers 409 naming clientId when the same Entra tenant and client ID sign up under a second slug", async () => {
    const first = await createTenant();
    const { entraTenantId, clientId, clientSecret } = first.input;
    const again = await postSignup(
      await signupBody({ entraTenantId: String(entraTenantId).toUpperCase(), clientId: String(clientId).toUpperCase(), clientSecret }),
    );
    expect(again.status).toBe(409);
    const body = await json<ErrorBody>(again);
    expect(body.error).toBe("entra_app_taken");
    expect(body.issues).toEqual([
      { field: "clientId", message: "This app is already registered here for another organization; register a new app" },
    ]);
    expect(JSON.stringify(body)).not.toContain(String(clientSecret));
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM tenants WHERE entra_tenant_id = ? AND client_id = ?")
      .bind(entraTenantId, clientId)
      .first<number>("n");
    expect(count).toBe(1);
    expect((await call(tenantUrl(first.tenant.slug, "/"))).status).toBe(200);
  });

  it("gives one 201 and one 409 when two slugs race for one Entra app, never two tenants", async () => {
    const app = await registerEntraApp();
    const [a, b] = await Promise.all([postSignup(await signupBody(app)), postSignup(await signupBody(app))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM tenants WHERE client_id = ?").bind(app.clientId).first<number>("n");
    expect(count).toBe(1);
  });
});
