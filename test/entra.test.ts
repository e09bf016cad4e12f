import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { classifyFailure, isMissingConsent, missingConsentCode, type EntraFailure } from "../src/entra/aadsts";
import { entraAuthorizeUrl, s256 } from "../src/entra/authorize-url";
import { recordEntraFailure, signInFailure, signInReply, tokenReply, toolReply, type EntraFailureEvent } from "../src/entra/failure";
import { exchangeCode, isEntraFailure, refreshTokens, type EntraApp } from "../src/entra/token";
import { tenantRegistry } from "../src/tenancy/registry";
import { createTenant } from "./helpers/gateway";
import { upsertEntraApp } from "./helpers/oauth-extra";
import { tenantWithUser } from "./helpers/oauth-flow";

/**
 * The AADSTS catalogue's classification of refused token requests, and
 * what each class of failure raises for the tenant admin and answers the
 * caller: the browser at sign-in, the MCP client at /token, a tool call.
 */

/** An Entra token endpoint error body, shaped as Entra ID sends it. */
function entraError(error: string, code: number, message: string) {
  return {
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: ${crypto.randomUUID()} Correlation ID: ${crypto.randomUUID()}`,
    error_codes: [code],
  };
}

describe("AADSTS classification", () => {
  it("calls Entra unavailable when it answers 5xx or 429, whatever the code", () => {
    expect(classifyFailure(503, entraError("temporarily_unavailable", 7000215, "x")).kind).toBe("unavailable");
    expect(classifyFailure(500, undefined)).toEqual({ kind: "unavailable", aadsts: undefined, reason: "HTTP 500" });
    expect(classifyFailure(429, entraError("invalid_request", 50196, "Too many requests.")).kind).toBe("unavailable");
  });

  it("blames the org's app for a wrong or expired secret, a missing or disabled app, an unknown tenant or redirect URI", () => {
    for (const code of [7000215, 7000222, 700016, 90002, 7000112, 50011]) {
      // Entra pairs some of these with invalid_request or invalid_grant: the code decides, not the OAuth error.
      expect(classifyFailure(400, entraError("invalid_grant", code, "x")), `AADSTS${code}`).toMatchObject({
        kind: "tenant",
        aadsts: `AADSTS${code}`,
      });
    }
  });

  it("ends only the user's grant when it expired, was revoked, redeemed twice or needs the user again", () => {
    for (const code of [700082, 50173, 70008, 54005, 70000, 9002313, 501481, 500112, 50076, 50079, 65001]) {
      expect(classifyFailure(400, entraError("invalid_client", code, "x")), `AADSTS${code}`).toMatchObject({
        kind: "user",
        aadsts: `AADSTS${code}`,
      });
    }
  });

  it("decides an unknown code by Entra's OAuth error: invalid_client and unauthorized_client are the app's, anything else the user's", () => {
    expect(classifyFailure(401, entraError("invalid_client", 1234567, "x")).kind).toBe("tenant");
    expect(classifyFailure(400, entraError("unauthorized_client", 1234567, "x")).kind).toBe("tenant");
    expect(classifyFailure(400, entraError("invalid_grant", 1234567, "x")).kind).toBe("user");
    expect(classifyFailure(400, entraError("invalid_request", 1234567, "x")).kind).toBe("user");
    expect(classifyFailure(400, "not json").kind).toBe("user");
  });

  it("keeps Entra's first line as the reason, without its trace and correlation ids", () => {
    const failure = classifyFailure(401, entraError("invalid_client", 7000215, "Invalid client secret provided."));
    expect(failure.reason).toBe("AADSTS7000215: Invalid client secret provided.");
  });

  it("recognises missing consent in a refused code exchange and in Entra's redirect back", () => {
    for (const code of ["AADSTS65001", "AADSTS90093", "AADSTS90094", "AADSTS90095"]) expect(isMissingConsent(code), code).toBe(true);
    expect(isMissingConsent("AADSTS7000215")).toBe(false);
    expect(isMissingConsent(undefined)).toBe(false);
    const redirect = (params: Record<string, string>) => missingConsentCode(new URLSearchParams(params));
    expect(redirect({ error: "access_denied", error_description: "AADSTS90094: The app needs an admin." })).toBe("AADSTS90094");
    expect(redirect({ error: "consent_required", error_description: "no code here" })).toBe("consent_required");
    expect(redirect({ error: "access_denied", error_description: "AADSTS50105: Not assigned." })).toBeUndefined();
    expect(redirect({ code: "abc" })).toBeUndefined();
    // A refused exchange asking for scopes nobody consented to: consent first, although AADSTS65001 alone ends a grant.
    expect(signInFailure(classifyFailure(400, entraError("invalid_grant", 65001, "x")))).toEqual({
      kind: "consent",
      aadsts: "AADSTS65001",
    });
    expect(signInFailure(classifyFailure(400, entraError("invalid_grant", 70008, "x")))).toMatchObject({ kind: "user" });
  });
});

describe("recordEntraFailure and the replies", () => {
  const LINK = "https://login.example/tenant/v2.0/adminconsent?client_id=app&state=admin-consent";
  const tenantRefused: EntraFailure = { kind: "tenant", aadsts: "AADSTS7000215", reason: "AADSTS7000215: Invalid client secret provided." };
  const entraDown: EntraFailure = { kind: "unavailable", aadsts: undefined, reason: "Entra ID did not answer" };
  const grantGone: EntraFailure = { kind: "user", aadsts: "AADSTS50173", reason: "AADSTS50173: The provided grant has expired." };

  async function recorded(event: (tenantId: string) => EntraFailureEvent) {
    const { tenant } = await createTenant();
    const registry = tenantRegistry(env.DB);
    const alert = await recordEntraFailure(registry, event(tenant.id));
    return { alert, stored: await registry.alerts(tenant.id) };
  }

  it("sends a sign-in that lacks consent to the admin-consent page, and alerts admin_consent_required with the link", async () => {
    const { alert, stored } = await recorded((tenantId) => ({
      step: "sign-in",
      tenantId,
      failure: { kind: "consent", aadsts: "AADSTS90094" },
      adminConsentUrl: LINK,
    }));
    expect(alert).toBe("admin_consent_required");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.kind).toBe("admin_consent_required");
    expect(stored[0]?.detail).toContain("AADSTS90094");
    expect(stored[0]?.detail).toContain(LINK);
    expect(signInReply({ kind: "consent", aadsts: "AADSTS90094" }, { displayName: "Acme" })).toEqual({ to: "adminConsent", status: 403 });
  });

  it("alerts entra_app_rejected when Entra refuses the org's app, at sign-in and on refresh, and tells every caller the admin must act", async () => {
    const atSignIn = await recorded((tenantId) => ({ step: "sign-in", tenantId, failure: tenantRefused, adminConsentUrl: LINK }));
    expect(atSignIn.alert).toBe("entra_app_rejected");
    expect(atSignIn.stored.map((alert) => alert.detail)).toEqual([
      `Entra ID refused the organization's app at sign-in (AADSTS7000215): ${tenantRefused.reason} What to do: the client secret is wrong (paste the secret's Value, not its Secret ID).`,
    ]);
    const onRefresh = await recorded((tenantId) => ({ step: "refresh", tenantId, failure: tenantRefused }));
    expect(onRefresh.alert).toBe("entra_app_rejected");
    expect(onRefresh.stored[0]?.detail).toContain("while refreshing a user's token (AADSTS7000215)");

    expect(signInReply(tenantRefused, { displayName: "Acme" })).toEqual({
      to: "browser",
      status: 502,
      title: "Your organization's Microsoft app needs attention",
      message: "Entra ID refused the app Acme registered (AADSTS7000215). Your administrator has been notified.",
    });
    expect(tokenReply("tenant")).toMatchObject({ error: "temporarily_unavailable", status: 503, retryAfterSeconds: 30 });
    expect(tokenReply("tenant").description).toContain("administrator");
    expect(toolReply("tenant")).toMatchObject({ ok: false, status: 503, code: "OrganizationAppRejected" });
  });

  it("alerts entra_unavailable when Entra is down on refresh, not when one sign-in meets it, and tells every caller to retry", async () => {
    const onRefresh = await recorded((tenantId) => ({ step: "refresh", tenantId, failure: entraDown }));
    expect(onRefresh.alert).toBe("entra_unavailable");
    expect(onRefresh.stored.map((alert) => alert.detail)).toEqual([
      "Entra ID was unavailable while refreshing a user's token: Entra ID did not answer",
    ]);
    const atSignIn = await recorded((tenantId) => ({ step: "sign-in", tenantId, failure: entraDown, adminConsentUrl: LINK }));
    expect(atSignIn).toEqual({ alert: undefined, stored: [] });

    expect(signInReply(entraDown, { displayName: "Acme" })).toMatchObject({ to: "browser", status: 503 });
    expect(tokenReply("unavailable")).toMatchObject({ error: "temporarily_unavailable", status: 503, retryAfterSeconds: 30 });
    expect(toolReply("unavailable")).toMatchObject({ ok: false, status: 503, code: "SignInUnavailable" });
  });

  it("raises no alert for one user's dead grant, and sends that user to sign in again", async () => {
    expect(await recorded((tenantId) => ({ step: "refresh", tenantId, failure: grantGone }))).toEqual({ alert: undefined, stored: [] });
    expect(await recorded((tenantId) => ({ step: "sign-in", tenantId, failure: grantGone, adminConsentUrl: LINK }))).toEqual({
      alert: undefined,
      stored: [],
    });

    expect(signInReply(grantGone, { displayName: "Acme" })).toEqual({
      to: "client",
      error: "access_denied",
      description: "Microsoft refused the sign-in",
    });
    expect(tokenReply("user")).toEqual({
      error: "invalid_grant",
      status: 400,
      description: "Microsoft sign-in expired or was revoked; sign in again",
    });
    expect(toolReply("user")).toMatchObject({ ok: false, status: 401, code: "SignInExpired" });
  });

  it("writes neither the org's secret nor the user's tokens into an alert, for the refusals Entra really sends", async () => {
    const tenant = await tenantWithUser();
    const app: EntraApp = {
      loginBase: env.LOGIN_BASE,
      entraTenantId: tenant.entraTenantId,
      clientId: String(tenant.input.clientId),
      credential: { kind: "secret", secret: String(tenant.input.clientSecret) },
    };
    const clientSecret = String(tenant.input.clientSecret);
    const verifier = `${crypto.randomUUID()}${crypto.randomUUID()}`;
    const authorize = entraAuthorizeUrl(app, {
      redirectUri: tenant.redirectUri,
      scopes: ["openid", "profile", "offline_access", "User.Read"],
      state: "state",
      nonce: "nonce",
      codeChallenge: await s256(verifier),
      loginHint: tenant.user.userPrincipalName,
    });
    const code = new URL((await fetch(authorize, { redirect: "manual" })).headers.get("location") ?? "").searchParams.get("code") ?? "";
    const tokens = await exchangeCode(app, { code, redirectUri: tenant.redirectUri, codeVerifier: verifier, scopes: ["User.Read"] });
    if (isEntraFailure(tokens) || !tokens.refreshToken) throw new Error(`code exchange: ${JSON.stringify(tokens)}`);
    const secrets = [clientSecret, tokens.accessToken, tokens.refreshToken, tokens.idToken ?? ""].filter(Boolean);

    // The org's secret stops working in Entra (rotated there, not here), then the same secret's code is redeemed twice.
    await upsertEntraApp(tenant, { secrets: [{ value: `${clientSecret}-rotated` }] });
    const refused = await refreshTokens(app, tokens.refreshToken, ["User.Read"]);
    const reused = await exchangeCode(app, { code, redirectUri: tenant.redirectUri, codeVerifier: verifier, scopes: ["User.Read"] });
    expect(refused).toMatchObject({ kind: "tenant", aadsts: "AADSTS7000215" });
    expect(reused).toMatchObject({ kind: "tenant" });
    if (!isEntraFailure(refused) || !isEntraFailure(reused)) throw new Error("Entra accepted a rotated secret");

    // One alert of a kind per tenant within the quiet period: the sign-in failures go to a second tenant.
    const registry = tenantRegistry(env.DB);
    const other = (await createTenant()).tenant.id;
    await recordEntraFailure(registry, { step: "refresh", tenantId: tenant.tenant.id, failure: refused });
    await recordEntraFailure(registry, { step: "sign-in", tenantId: other, failure: reused, adminConsentUrl: tenant.adminConsentUrl });
    await recordEntraFailure(registry, {
      step: "sign-in",
      tenantId: other,
      failure: { kind: "consent", aadsts: "AADSTS65001" },
      adminConsentUrl: tenant.adminConsentUrl,
    });
    const details = [...(await registry.alerts(tenant.tenant.id)), ...(await registry.alerts(other))].map((alert) => alert.detail);
    expect(details).toHaveLength(3);
    for (const secret of secrets) expect(details.join("\n")).not.toContain(secret);
  });
});
