import { describe, expect, it } from "vitest";
import { call, json, tenantUrl } from "./helpers/gateway";
import {
  Browser,
  callbackFor,
  CLIENT_REDIRECT,
  authorizeUrl,
  exchangeCode,
  formBody,
  kvKeys,
  mcp,
  openConsent,
  pkcePair,
  refreshAt,
  registerClient,
  signedIn,
  tenantWithUser,
  whoami,
  withCookies,
} from "./helpers/oauth-extra";

/**
 * Two organizations on one gateway: nothing minted on tenant A's host (token,
 * code, client registration, consent cookie, KV key) is usable on B's, and an
 * account of A's Entra directory never gets a grant on B.
 */
async function twoTenants() {
  const a = await tenantWithUser();
  const b = await tenantWithUser();
  return { a, b };
}

/** A's authorization code, issued but not redeemed, with its verifier. */
async function unredeemedCodeOnA(a: Awaited<ReturnType<typeof tenantWithUser>>) {
  const client = await registerClient(a.slug);
  const { verifier, challenge } = await pkcePair();
  const browser = new Browser();
  const { callback } = await callbackFor(browser, authorizeUrl(a.slug, client.client_id, challenge), a.user.userPrincipalName);
  const back = await browser.fetch(callback.toString());
  const location = new URL(back.headers.get("location") ?? "");
  expect(location.toString().startsWith(CLIENT_REDIRECT)).toBe(true);
  return { client, verifier, code: location.searchParams.get("code") ?? "" };
}

describe("tenant isolation of the OAuth bridge", () => {
  it("refuses A's access token on B's /mcp with 401 while A's own host serves it", async () => {
    const { a, b } = await twoTenants();
    const { tokens } = await signedIn(a);
    expect((await whoami(a.slug, tokens.access_token)).status).toBe(200);
    const onB = await mcp(b.slug, tokens.access_token);
    expect(onB.status).toBe(401);
    expect(onB.headers.get("www-authenticate")).toContain(tenantUrl(b.slug, "/.well-known/oauth-protected-resource/mcp"));
  });

  it("answers invalid_grant for A's refresh token at B's /token, and invalid_client when A's client_id comes with it", async () => {
    const { a, b } = await twoTenants();
    const { client, tokens } = await signedIn(a);
    const clientOnB = await registerClient(b.slug);

    const withBClient = await refreshAt(b.slug, clientOnB.client_id, tokens.refresh_token);
    expect(withBClient.status).toBe(400);
    expect((await json(withBClient)).error).toBe("invalid_grant");

    // A's client registration does not exist on B, so B cannot even authenticate the client.
    const withAClient = await refreshAt(b.slug, client.client_id, tokens.refresh_token);
    expect(withAClient.status).toBe(401);
    expect((await json(withAClient)).error).toBe("invalid_client");

    // The refresh token is untouched on A.
    expect((await refreshAt(a.slug, client.client_id, tokens.refresh_token)).status).toBe(200);
  });

  it("does not redeem an authorization code issued on A at B's /token", async () => {
    const { a, b } = await twoTenants();
    const { client, verifier, code } = await unredeemedCodeOnA(a);
    const clientOnB = await registerClient(b.slug);

    const withBClient = await exchangeCode(b.slug, clientOnB.client_id, code, verifier);
    expect(withBClient.status).toBe(400);
    expect((await json(withBClient)).error).toBe("invalid_grant");
    const withAClient = await exchangeCode(b.slug, client.client_id, code, verifier);
    expect(withAClient.status).toBe(401);
    expect((await json(withAClient)).error).toBe("invalid_client");
  });

  it("shows a local 400 page, never a redirect to the client, for A's client_id at B's /authorize", async () => {
    const { a, b } = await twoTenants();
    const client = await registerClient(a.slug);
    const { challenge } = await pkcePair();
    const response = await new Browser().fetch(authorizeUrl(b.slug, client.client_id, challenge));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  it("refuses A's consent handle and cookie at B's POST /authorize, and A's remembered approval does not skip B's consent page", async () => {
    const { a, b } = await twoTenants();
    const clientA = await registerClient(a.slug);
    const { challenge } = await pkcePair();
    const browserA = new Browser();
    const consentA = await openConsent(browserA, authorizeUrl(a.slug, clientA.client_id, challenge));
    expect(consentA.cookies).toContain("__Host-oauth-consent-");

    const replayedOnB = await withCookies(
      tenantUrl(b.slug, "/authorize"),
      consentA.cookies,
      formBody({ handle: consentA.handle, decision: "approve" }),
    );
    expect(replayedOnB.status).toBe(400);
    expect(replayedOnB.headers.get("location")).toBeNull();

    // Approving on A stores a remembered approval; on A it skips the page, on B it counts for nothing.
    const approved = await browserA.fetch(tenantUrl(a.slug, "/authorize"), formBody({ handle: consentA.handle, decision: "approve" }));
    expect(approved.status).toBe(302);
    const approvals =
      approved.headers
        .getSetCookie()
        .find((line) => line.startsWith("__Host-oauth-approvals="))
        ?.split(";")[0] ?? "";
    expect(approvals).not.toBe("");
    const againOnA = await withCookies(authorizeUrl(a.slug, clientA.client_id, challenge), approvals);
    expect(againOnA.status).toBe(302);

    const clientB = await registerClient(b.slug);
    const aClientOnB = await withCookies(authorizeUrl(b.slug, clientA.client_id, challenge), approvals);
    expect(aClientOnB.status).toBe(400);
    expect(aClientOnB.headers.get("location")).toBeNull();
    const pageOnB = await withCookies(authorizeUrl(b.slug, clientB.client_id, challenge), approvals);
    expect(pageOnB.status).toBe(200);
    expect(pageOnB.headers.get("location")).toBeNull();
    expect(await pageOnB.text()).toContain('name="handle"');
  });

  it("refuses A's Entra callback (state and binding cookie) replayed at B's /callback, and A's still completes", async () => {
    const { a, b } = await twoTenants();
    const client = await registerClient(a.slug);
    const { challenge } = await pkcePair();
    const browserA = new Browser();
    const { callback, upstreamCookies } = await callbackFor(
      browserA,
      authorizeUrl(a.slug, client.client_id, challenge),
      a.user.userPrincipalName,
    );
    const onB = await withCookies(tenantUrl(b.slug, `/callback${callback.search}`), upstreamCookies);
    expect(onB.status).toBe(400);
    expect(onB.headers.get("location")).toBeNull();
    expect(await kvKeys(`t:${b.tenant.id}:grant:`)).toEqual([]);
    expect((await browserA.fetch(callback.toString())).status).toBe(302);
  });

  it("writes every KV key of A's flow under t:<A id>: and none under B's prefix or unprefixed", async () => {
    const { a, b } = await twoTenants();
    const before = new Set(await kvKeys());
    const { client, tokens } = await signedIn(a);
    expect((await refreshAt(a.slug, client.client_id, tokens.refresh_token)).status).toBe(200);
    const written = (await kvKeys()).filter((name) => !before.has(name));

    expect(written.length).toBeGreaterThan(0);
    for (const name of written) expect(name.startsWith(`t:${a.tenant.id}:`), name).toBe(true);
    expect(written.some((name) => name.startsWith(`t:${a.tenant.id}:client:${client.client_id}`))).toBe(true);
    expect(written.some((name) => name.startsWith(`t:${a.tenant.id}:grant:`))).toBe(true);
    expect(written.some((name) => name.startsWith(`t:${a.tenant.id}:token:`))).toBe(true);
    expect(await kvKeys(`t:${b.tenant.id}:`)).toEqual([]);
    // Only keys this flow wrote: test files share one KV namespace.
    const unprefixed = (await kvKeys()).filter((name) => !before.has(name) && !name.startsWith("t:"));
    expect(unprefixed.filter((name) => /^(client|grant|token|transaction|enterprise-jti):/.test(name))).toEqual([]);
  });

  it("after A's admin deletes the organization, A's host answers 404 to A's token and no t:<A id>: key remains; B keeps working", async () => {
    const { a, b } = await twoTenants();
    const { tokens } = await signedIn(a);
    const onB = await signedIn(b);
    expect((await kvKeys(`t:${a.tenant.id}:`)).length).toBeGreaterThan(0);

    const deleted = await call(tenantUrl(a.slug, "/api/admin/tenant"), { method: "DELETE", json: { confirm: a.slug }, bearer: a.adminKey });
    expect(deleted.status).toBe(200);
    expect(await json(deleted)).toMatchObject({ deleted: true });

    const afterwards = await whoami(a.slug, tokens.access_token);
    expect(afterwards.status).toBe(404);
    expect(await kvKeys(`t:${a.tenant.id}:`)).toEqual([]);
    expect((await whoami(b.slug, onB.tokens.access_token)).status).toBe(200);
  });

  it("gives an account of A's Entra directory no grant on B: Entra refuses the login_hint and B's callback answers access_denied", async () => {
    const { a, b } = await twoTenants();
    const client = await registerClient(b.slug);
    const { challenge } = await pkcePair();
    const browser = new Browser();
    const { callback } = await callbackFor(browser, authorizeUrl(b.slug, client.client_id, challenge), a.user.userPrincipalName);
    expect(callback.searchParams.get("code")).toBeNull();
    expect(callback.searchParams.get("error")).not.toBeNull();

    const back = await browser.fetch(callback.toString());
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get("location") ?? "");
    expect(location.toString().startsWith(CLIENT_REDIRECT)).toBe(true);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("code")).toBeNull();
    expect(await kvKeys(`t:${b.tenant.id}:grant:`)).toEqual([]);
  });

  it("gives no grant on B for an Entra code of A's directory injected into B's callback with B's own state", async () => {
    const { a, b } = await twoTenants();
    const clientA = await registerClient(a.slug);
    const clientB = await registerClient(b.slug);
    const { challenge } = await pkcePair();
    const onA = await callbackFor(new Browser(), authorizeUrl(a.slug, clientA.client_id, challenge), a.user.userPrincipalName);
    const browserB = new Browser();
    const onB = await callbackFor(browserB, authorizeUrl(b.slug, clientB.client_id, challenge), b.user.userPrincipalName);

    const injected = new URL(onB.callback);
    injected.searchParams.set("code", onA.callback.searchParams.get("code") ?? "");
    const back = await browserB.fetch(injected.toString());
    const location = back.headers.get("location") ?? "";
    expect(new URL(location).searchParams.get("code")).toBeNull();
    expect(new URL(location).searchParams.get("error")).toBe("access_denied");
    expect(await kvKeys(`t:${b.tenant.id}:grant:`)).toEqual([]);
  });
});
