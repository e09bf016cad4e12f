import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cleanDisplayName, withCleanClientName } from "../src/tenancy/names";
import { call, createTenant, json, postSignup, signupBody, tenantUrl } from "./helpers/gateway";
import { authorizeUrl, CLIENT_REDIRECT, pkcePair, tenantWithUser } from "./helpers/oauth-flow";
import type { ErrorBody } from "./helpers/tenants";

/**
 * Names people compare by eye (the organization's, an MCP client's) lose the
 * characters that reorder or hide text. Written with escapes so this file
 * itself holds no invisible characters.
 */
const BIDI = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];
const ZERO_WIDTH = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF"];
const OTHER_FORMAT = ["\u00AD", "\u2061", "\u2064", "\uFFF9", "\u{E0041}"];
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\u2060\uFEFF]/u;

describe("cleanDisplayName", () => {
  it.each([...BIDI, ...ZERO_WIDTH, ...OTHER_FORMAT].map((char) => [`U+${char.codePointAt(0)?.toString(16).toUpperCase()}`, char]))(
    "removes %s",
    (_name, char) => {
      expect(cleanDisplayName(`Con${char}toso`)).toBe("Contoso");
    },
  );

  it("turns the U+202E file-name trick back into the text as stored", () => {
    expect(cleanDisplayName("Invoice \u202Egnp.exe")).toBe("Invoice gnp.exe");
  });

  it("keeps letters of every script, accents and symbols as they are", () => {
    for (const name of ["Société Générale", "東京海上", "شركة الاتصالات", "Ørsted A/S", "Müller & Söhne (Köln)", "R&D 🚀"]) {
      expect(cleanDisplayName(name)).toBe(name);
    }
  });

  it("makes one line: control characters and separators become single spaces, ends trimmed", () => {
    expect(cleanDisplayName("  Acme\n\tCorp\u2028Ltd\u0007  ")).toBe("Acme Corp Ltd");
  });
});

describe("orgName at signup", () => {
  it("is stored and shown without bidi or zero-width characters", async () => {
    const tenant = await createTenant({ orgName: "\u202EFabri\u200Bkam\u2066 Ltd\uFEFF" });
    expect(tenant.tenant.displayName).toBe("Fabrikam Ltd");
    const row = await env.DB.prepare("SELECT display_name FROM tenants WHERE id = ?")
      .bind(tenant.tenant.id)
      .first<{ display_name: string }>();
    expect(row?.display_name).toBe("Fabrikam Ltd");
    const landing = await (await call(tenantUrl(tenant.tenant.slug, "/"))).text();
    expect(landing).toContain("Fabrikam Ltd");
    expect(landing).not.toMatch(HIDDEN);
  });

  it("answers 400 naming orgName when fewer than 2 visible characters remain", async () => {
    const response = await postSignup(await signupBody({ orgName: "A\u202E\u200B\u200D\u2060\uFEFF\u202D" }));
    expect(response.status).toBe(400);
    const body = await json<ErrorBody>(response);
    expect(body.issues).toEqual([{ field: "orgName", message: "expected at least 2 characters, not counting invisible ones" }]);
  });
});

describe("a name stored before names were cleaned", () => {
  it("is shown without bidi or zero-width characters (here through the admin API)", async () => {
    const tenant = await createTenant({ orgName: "Northwind" });
    await env.DB.prepare("UPDATE tenants SET display_name = ?, updated_at = updated_at + 1 WHERE id = ?")
      .bind("North\u202Ewind\u200B Traders", tenant.tenant.id)
      .run();
    const settings = await json<{ displayName: string }>(
      await call(tenantUrl(tenant.tenant.slug, "/api/admin/tenant"), { bearer: tenant.adminKey }),
    );
    expect(settings.displayName).toBe("Northwind Traders");
  });
});

describe("client_name at registration", () => {
  it("is stored without bidi or zero-width characters, in every language variant", async () => {
    const tenant = await tenantWithUser();
    const registered = await call(tenantUrl(tenant.slug, "/register"), {
      json: {
        client_name: "Pay\u202Efdp.exe Zero\u200BWidth",
        "client_name#de": "Be\u2066zahlen\u2069",
        redirect_uris: [CLIENT_REDIRECT],
        token_endpoint_auth_method: "none",
      },
    });
    expect(registered.status).toBe(201);
    // The registration response is the stored client record, as RFC 7591 §3.2.1 asks.
    const client = await json<Record<string, unknown>>(registered);
    expect(client.client_name).toBe("Payfdp.exe ZeroWidth");
    expect(JSON.stringify(client)).not.toMatch(HIDDEN);
  });

  it("refuses a name that is nothing but invisible characters, naming the field, and leaves a body that is not JSON to the provider's own error", async () => {
    const tenant = await tenantWithUser();
    for (const [field, value] of [
      ["client_name", "\u202E\u200B"],
      ["client_name#de", "\u2066\u2069"],
    ] as const) {
      const refused = await call(tenantUrl(tenant.slug, "/register"), {
        json: { client_name: "Mailer", [field]: value, redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: "none" },
      });
      expect(refused.status).toBe(400);
      expect(await json<{ error: string; error_description: string }>(refused)).toEqual({
        error: "invalid_client_metadata",
        error_description: `${field}: no visible characters; name the app in letters a person can read`,
      });
    }
    const malformed = await call(tenantUrl(tenant.slug, "/register"), {
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(await json<{ error: string }>(malformed)).toMatchObject({ error: "invalid_request" });
  });
});

describe("client_name on the consent page", () => {
  it("shows a dynamically registered client's name without bidi or zero-width characters", async () => {
    const tenant = await tenantWithUser();
    const registered = await call(tenantUrl(tenant.slug, "/register"), {
      json: { client_name: "Trusted\u202E Mailer\u200B\u200D", redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: "none" },
    });
    expect(registered.status).toBe(201);
    const { client_id } = await json<{ client_id: string }>(registered);
    const { challenge } = await pkcePair();

    const consent = await call(authorizeUrl(tenant.slug, client_id, challenge));
    expect(consent.status).toBe(200);
    const page = await consent.text();
    expect(page).toContain("<em>Trusted Mailer</em>");
    expect(page).not.toMatch(HIDDEN);
  });

  it("describes a client whose name is nothing but invisible characters instead of showing an empty name", () => {
    // Registration refuses such a name (above); a metadata document's name is cleaned only when shown.
    expect(withCleanClientName({ clientName: "\u202E\u200B", clientId: "https://app.example.com/client.json" }).clientName).toBe(
      "An app without a readable name",
    );
  });
});
