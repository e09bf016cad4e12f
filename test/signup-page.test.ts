import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { APEX, call, createTenant, EDGE_CF, json, registerEntraApp, signupBody, uniqueIp, uniqueSlug } from "./helpers/gateway";
import { expectLimitedAfterBudget } from "./helpers/rate-limit";
import { operatorCall } from "./helpers/tenants";

/**
 * The signup page without JavaScript: the form posts to /signup and comes
 * back with each problem at its field (aria-invalid, aria-describedby) and
 * a summary linking to them, the values kept but never the secret; a
 * success answers the result checklist. Also the address availability check
 * the page's script asks while the address is typed.
 */

type FormFields = Record<string, string>;

function postForm(fields: FormFields, ip = uniqueIp()): Promise<Response> {
  return call(`${APEX}/signup`, {
    method: "POST",
    body: new URLSearchParams(fields).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html", "cf-connecting-ip": ip },
  });
}

/** A complete, valid form for a fresh Entra app, as strings. */
async function formFields(overrides: FormFields = {}): Promise<FormFields> {
  const body = await signupBody();
  return { ...body, orgName: "Form Org", clientSecretExpiresAt: "", ...overrides };
}

/** The opening tag of the element with this id. */
function tagOf(page: string, id: string): string {
  const tag = new RegExp(`<[a-z]+[^>]*\\sid="${id}"[^>]*>`, "s").exec(page)?.[0];
  if (!tag) throw new Error(`no element with id ${id}`);
  return tag;
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** The field's error text, or "" when it has none. */
function fieldError(page: string, field: string): string {
  const match = new RegExp(`<p class="field-error" id="${field}-error"\\s*(hidden)?>([^<]*)</p>`).exec(page);
  return match && !match[1] ? decodeEntities(match[2] ?? "").trim() : "";
}

function decodeEntities(text: string): string {
  return text.replaceAll("&#39;", "'").replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** Checks that the field is marked invalid, described by its error, and linked from the summary. */
function expectFieldRefused(page: string, field: string, words: string | RegExp) {
  const input = tagOf(page, field);
  expect(attribute(input, "aria-invalid"), field).toBe("true");
  expect(attribute(input, "aria-describedby")?.split(" "), field).toContain(`${field}-error`);
  expect(fieldError(page, field)).toMatch(words);
  expect(page).toMatch(new RegExp(`class="error-summary"[\\s\\S]*<a href="#${field}">`));
}

async function tenantCount(slug: string): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM tenants WHERE slug = ?").bind(slug).first<number>("n")) ?? 0;
}

describe("GET /signup", () => {
  it("is one form in four steps that posts without JavaScript, with the portal path for each value", async () => {
    const response = await call(`${APEX}/signup`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const page = await response.text();
    const form = tagOf(page, "signup");
    expect(attribute(form, "method")).toBe("post");
    expect(attribute(form, "action")).toBe("/signup");
    expect(attribute(form, "data-busy")).toBe("Checking with Microsoft…");
    for (const heading of ["1. Register an app in Microsoft Entra ID", "2. Your organization", "3. Verify with Microsoft", "4. Finish"]) {
      expect(page).toContain(heading);
    }
    expect(page).toContain("Identity → Applications → App registrations → New registration");
    expect(page).toContain("Accounts in this organizational directory only");
    expect(page).toContain("Certificates &amp; secrets → Client secrets → New client secret");
    expect(page).toMatch(
      /id="redirect-uri-preview"\s*>https:\/\/<span data-slug-preview>your-address<\/span>\.mcp\.example\.com\/callback/,
    );
    expect(page).toMatch(/<pre id="permission-list">[^<]*Mail\.ReadWrite/);
    // The secret is needed only with credential "secret" (the server says so): the certificate choice leaves it empty.
    expect(tagOf(page, "clientSecret")).not.toMatch(/\srequired\s/);
    for (const field of ["orgName", "slug", "adminEmail", "entraTenantId", "clientId"]) {
      expect(page).toContain(`<label for="${field}">`);
      expect(tagOf(page, field), field).toMatch(/\srequired\s/);
    }
    expect(page).not.toContain("secret-expiry and outage notices");
    expect(page).toMatch(/<script src="\/assets\/signup\.js\?v=[0-9a-f]{8}" defer><\/script>/);
    expect(page).not.toContain("inviteToken");
  });

  it("serves its script at a versioned URL, cached for a year", async () => {
    const page = await (await call(`${APEX}/signup`)).text();
    const src = /<script src="(\/assets\/signup\.js\?v=[0-9a-f]{8})"/.exec(page)?.[1];
    const script = await call(`${APEX}${src}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect(await script.text()).toContain("beforeunload");
  });
});

describe("POST /signup refused", () => {
  it("names every empty field in words, at the field and in a summary that links to it", async () => {
    const response = await postForm({});
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const page = await response.text();
    expect(page).not.toContain("Invalid input");
    expect(page).not.toContain("received undefined");
    expect(tagOf(page, "error-summary")).toMatch(/tabindex="-1"/);
    expectFieldRefused(page, "orgName", "Enter your organization's name");
    expectFieldRefused(page, "slug", /^Choose an address/);
    expectFieldRefused(page, "adminEmail", /^Enter the email address or user name/);
    expectFieldRefused(page, "entraTenantId", /^Enter the Directory \(tenant\) ID: a GUID/);
    expectFieldRefused(page, "clientId", /^Enter the Application \(client\) ID: a GUID/);
    expectFieldRefused(page, "clientSecret", /^Enter the client secret's Value/);
    expect(fieldError(page, "clientSecretExpiresAt")).toBe("");
  });

  it("keeps what was typed, except the secret, which comes back empty with a note", async () => {
    const fields = await formFields({ slug: "ab", orgName: "Kept <Org>" });
    const response = await postForm(fields);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(attribute(tagOf(page, "orgName"), "value")).toBe("Kept &lt;Org&gt;");
    expect(attribute(tagOf(page, "clientId"), "value")).toBe(fields.clientId);
    expect(attribute(tagOf(page, "slug"), "value")).toBe("ab");
    expect(attribute(tagOf(page, "clientSecret"), "value")).toBe("");
    expect(page).not.toContain(String(fields.clientSecret));
    expect(page).toContain("paste it again");
    expectFieldRefused(page, "slug", /3-63 characters/);
    expect(fieldError(page, "orgName")).toBe("");
  });

  it.each([
    [
      "a wrong secret",
      async () => formFields({ clientSecret: "wrong-secret-value" }),
      "clientSecret",
      /client secret is wrong.*AADSTS7000215/,
    ],
    [
      "an expired secret",
      async () => formFields(await registerEntraApp({ secretExpiresAt: new Date(Date.now() - 60_000).toISOString() })),
      "clientSecret",
      /expired.*AADSTS7000222/i,
    ],
    ["an unknown client", async () => formFields({ clientId: crypto.randomUUID() }), "clientId", /no application.*AADSTS700016/i],
    [
      "an unknown tenant",
      async () => formFields({ entraTenantId: crypto.randomUUID() }),
      "entraTenantId",
      /tenant was not found.*AADSTS90002/,
    ],
  ])("puts Entra's refusal of %s at its field", async (_name, fields, field, words) => {
    const body = await fields();
    const response = await postForm(body);
    expect(response.status).toBe(422);
    const page = await response.text();
    expectFieldRefused(page, field, words);
    expect(page).not.toContain(String(body.clientSecret));
    expect(await tenantCount(String(body.slug))).toBe(0);
  });

  it("puts a taken address at the address field with 409", async () => {
    const first = await createTenant();
    const response = await postForm(await formFields({ slug: first.tenant.slug }));
    expect(response.status).toBe(409);
    expectFieldRefused(await response.text(), "slug", "This address is already taken; choose another");
  });

  it("refuses a body that is not a form with 415", async () => {
    const response = await call(`${APEX}/signup`, { json: await signupBody(), headers: { "cf-connecting-ip": uniqueIp() } });
    expect(response.status).toBe(415);
  });
});

describe("the signup rate limit", () => {
  it("is not spent by refused fields or a taken address, only by signups that reach Entra", async () => {
    const ip = uniqueIp();
    const taken = await createTenant();
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect((await postForm({ slug: "x" }, ip)).status).toBe(400);
      expect((await postForm(await formFields({ slug: taken.tenant.slug }), ip)).status).toBe(409);
    }
    const refused = await formFields({ clientSecret: "wrong-secret-value" });
    const limited = await expectLimitedAfterBudget(5, 422, () => postForm(refused, ip));
    expect(limited.headers.get("retry-after")).toBe("60");
    const page = await limited.text();
    expect(page).toContain("Too many signup attempts");
    expect(tagOf(page, "error-summary")).toMatch(/tabindex="-1"/);
  });

  it("is not spent by a wrong invitation code", async () => {
    const { createExecutionContext } = await import("cloudflare:test");
    const worker = (await import("../src/index")).default;
    const send = async (fields: FormFields, ip: string) =>
      worker.fetch(
        new Request(`${APEX}/signup`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
          body: new URLSearchParams(fields).toString(),
          cf: EDGE_CF,
        }),
        { ...env, SIGNUP_INVITE_TOKEN: "invite-form-secret" },
        createExecutionContext(),
      );
    const ip = uniqueIp();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const wrong = await send(await formFields({ inviteToken: "guess" }), ip);
      expect(wrong.status).toBe(403);
      expectFieldRefused(await wrong.text(), "inviteToken", "Enter the invitation code the gateway's operator gave you");
    }
    const right = await send(await formFields({ inviteToken: "invite-form-secret" }), ip);
    expect(right.status).toBe(201);
    // Guesses at the code are limited all the same, by the address checks' budget.
    const guess = await formFields({ inviteToken: "another-guess" });
    const guesser = uniqueIp();
    const limited = await expectLimitedAfterBudget(60, 403, () => send(guess, guesser));
    expect(limited.headers.get("retry-after")).toBe("60");
  });
});

describe("POST /signup accepted", () => {
  it("answers the result checklist in place of the form, with the admin key once and no JSON names", async () => {
    const fields = await formFields({ slug: uniqueSlug("result"), adminEmail: "first.admin@result.example" });
    const response = await postForm(fields);
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const page = await response.text();
    const slug = String(fields.slug);
    expect(page).toContain("<h1>Your gateway is ready</h1>");
    expect(page).not.toContain("Set up your organization</h1>");
    expect(page).not.toContain('id="signup"');
    const adminKey = /<pre id="admin-key">([^<]+)<\/pre>/.exec(page)?.[1] ?? "";
    expect(adminKey).toMatch(/^m365gw_admin_[A-Za-z0-9_-]{43}$/);
    expect(page.split(adminKey)).toHaveLength(2);
    expect(page).not.toContain(String(fields.clientSecret));
    for (const jsonName of ["delegatedPermissions", "adminConsentUrl", "redirectUri", "mcpUrl", "nextSteps"]) {
      expect(page).not.toContain(jsonName);
    }
    expect(page).toContain(`<code id="redirect-uri">https://${slug}.mcp.example.com/callback</code>`);
    expect(page).toContain(`<code id="mcp-url">https://${slug}.mcp.example.com/mcp</code>`);
    for (const id of ["redirect-uri", "permission-list", "admin-key", "mcp-url"]) expect(page).toContain(`data-copy="${id}"`);
    expect(page).toMatch(/data-download="[^"]+-admin-key\.txt" data-from="admin-key"/);
    expect(tagOf(page, "admin-key-step")).toContain("data-leave-warning");
    const consent = new URL((attribute(tagOf(page, "admin-consent"), "href") ?? "").replaceAll("&amp;", "&"));
    expect(consent.pathname).toBe(`/${fields.entraTenantId}/v2.0/adminconsent`);
    expect(consent.searchParams.get("client_id")).toBe(fields.clientId);
    expect(page).toContain(`<a class="button" href="https://${slug}.mcp.example.com/admin">Open the admin console</a>`);
    expect(page).toContain("first.admin@result.example");
    expect(await tenantCount(slug)).toBe(1);
  });
});

describe("GET /api/signup/availability", () => {
  const check = (slug: string, ip = uniqueIp()) =>
    call(`${APEX}/api/signup/availability?${new URLSearchParams({ slug })}`, { headers: { "cf-connecting-ip": ip } });

  it("says a free address is available, and why a malformed or reserved one is not", async () => {
    const free = uniqueSlug("free");
    expect(await json(await check(free.toUpperCase()))).toEqual({ slug: free, available: true, message: `${free} is available` });
    expect(await json(await check("ab"))).toMatchObject({ slug: "ab", available: false, reason: "invalid" });
    expect(await json(await check("www"))).toMatchObject({ slug: "www", available: false, reason: "reserved" });
  });

  it("says only 'taken' of another organization's address: not its name, id or state", async () => {
    const other = await createTenant({ orgName: "Hidden Neighbour Org" });
    const response = await check(other.tenant.slug);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      slug: other.tenant.slug,
      available: false,
      reason: "taken",
      message: "This address is already taken; choose another",
    });
    for (const secret of [other.tenant.id, "Hidden Neighbour Org", String(other.input.clientId), String(other.input.entraTenantId)]) {
      expect(text).not.toContain(secret);
    }
    // A suspended organization's address reads the same.
    expect((await operatorCall(`/tenants/${other.tenant.id}/suspend`, { method: "POST" })).status).toBe(200);
    expect(await (await check(other.tenant.slug)).text()).toBe(text);
  });

  it("says an address the operator blocked is not available, without saying more", async () => {
    const tenant = await createTenant();
    expect((await operatorCall(`/tenants/${tenant.tenant.id}/suspend`, { method: "POST" })).status).toBe(200);
    expect((await operatorCall(`/tenants/${tenant.tenant.id}`, { method: "DELETE" })).status).toBe(200);
    expect(await json(await check(tenant.tenant.slug))).toEqual({
      slug: tenant.tenant.slug,
      available: false,
      reason: "blocked",
      message: "This address is not available; choose another",
    });
  });

  it("answers 400 naming slug when it is missing, and rate-limits per client", async () => {
    const missing = await call(`${APEX}/api/signup/availability`, { headers: { "cf-connecting-ip": uniqueIp() } });
    expect(missing.status).toBe(400);
    expect((await json<{ issues: { field: string }[] }>(missing)).issues.map((issue) => issue.field)).toEqual(["slug"]);
    const ip = uniqueIp();
    const limited = await expectLimitedAfterBudget(60, 200, () => check(uniqueSlug("many"), ip));
    expect(limited.headers.get("retry-after")).toBe("60");
  });
});
