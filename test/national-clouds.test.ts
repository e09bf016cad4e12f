import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config";
import { IdTokenError, verifyIdToken } from "../src/entra/id-token";
import type { Env } from "../src/env";
import { normalizeScope } from "../src/oauth/scopes";
import { cloudEndpoints } from "../src/tenancy/clouds";
import { workerFetch } from "./helpers/browser";
import { signInToConsole, startSignIn } from "./helpers/console";
import { emulator } from "./helpers/emulator";
import { APEX, call, json, postSignup, tenantUrl, uniqueSlug, type SignupResult } from "./helpers/gateway";
import { mcpSession } from "./helpers/mcp";
import { approveToEntra, grantAdminConsent, pkcePair } from "./helpers/oauth-browser";
import { authorizeUrl, Browser, registerClient } from "./helpers/oauth-flow";
import { errorOf } from "./helpers/tenants";

/**
 * One organization per Microsoft cloud, each with its Entra app in that cloud
 * of the emulator: sign-in, scopes, admin consent and Graph all go to the
 * organization's own cloud, and what one cloud issued is refused by another.
 */

type Cloud = "global" | "usgov-high" | "usgov-dod" | "china";
const CLOUDS: Cloud[] = ["global", "usgov-high", "usgov-dod", "china"];

const LOGIN_BASES: Record<Cloud, string> = {
  global: env.LOGIN_BASE,
  "usgov-high": env.LOGIN_BASE_USGOV_HIGH,
  "usgov-dod": env.LOGIN_BASE_USGOV_DOD,
  china: env.LOGIN_BASE_CHINA,
};
const GRAPH_BASES: Record<Cloud, string> = {
  global: env.GRAPH_BASE,
  "usgov-high": env.GRAPH_BASE_USGOV_HIGH,
  "usgov-dod": env.GRAPH_BASE_USGOV_DOD,
  china: env.GRAPH_BASE_CHINA,
};
/** Microsoft's Graph resource per cloud ("Microsoft Graph national cloud deployments"). */
const GRAPH_RESOURCES: Record<Cloud, string> = {
  global: "https://graph.microsoft.com",
  "usgov-high": "https://graph.microsoft.us",
  "usgov-dod": "https://dod-graph.microsoft.us",
  china: "https://microsoftgraph.chinacloudapi.cn",
};
const PORTALS: Record<Cloud, string> = {
  global: "https://entra.microsoft.com",
  "usgov-high": "https://portal.azure.us",
  "usgov-dod": "https://portal.azure.us",
  china: "https://portal.azure.cn",
};

/** An Entra tenant and app in `cloud` on the emulator, signed up at the gateway for that cloud, consented, with one user. */
async function cloudOrganization(cloud: Cloud) {
  const entraTenantId = crypto.randomUUID();
  const clientId = crypto.randomUUID();
  const clientSecret = `Qx8~${crypto.randomUUID().replace(/-/g, "")}`;
  await emulator.createTenant({ tenantId: entraTenantId, displayName: `Org in ${cloud}`, cloud });
  await emulator.registerApp(entraTenantId, { clientId, secrets: [{ value: clientSecret }] });
  const slug = uniqueSlug("cl");
  const response = await postSignup({
    orgName: `Org in ${cloud}`,
    slug,
    adminEmail: "it@cloud.example",
    entraTenantId,
    clientId,
    clientSecret,
    cloud,
  });
  if (response.status !== 201) throw new Error(`signup in ${cloud}: ${response.status} ${await response.text()}`);
  const signup = await json<SignupResult & { entraPortalUrl: string; nextSteps: string[] }>(response);
  await emulator.registerApp(entraTenantId, { clientId, secrets: [{ value: clientSecret }], redirectUris: [signup.redirectUri] });
  await grantAdminConsent(workerFetch, signup.adminConsentUrl);
  const user = { oid: crypto.randomUUID(), userPrincipalName: `dana@${slug}.example`, displayName: "Dana Whitfield" };
  await emulator.addUser(entraTenantId, user);
  return { cloud, slug, entraTenantId, clientId, clientSecret, user, signup };
}

/** An id_token straight from `loginBase`'s Entra ID for the organization's user. */
async function idTokenFrom(loginBase: string, org: Awaited<ReturnType<typeof cloudOrganization>>, nonce: string): Promise<string> {
  const { verifier, challenge } = await pkcePair();
  const authorize = new URL(`${loginBase}/${org.entraTenantId}/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: org.clientId,
    response_type: "code",
    redirect_uri: org.signup.redirectUri,
    scope: "openid profile User.Read",
    code_challenge: challenge,
    code_challenge_method: "S256",
    login_hint: org.user.userPrincipalName,
    nonce,
  }).toString();
  const code = new URL((await fetch(authorize, { redirect: "manual" })).headers.get("location") ?? "").searchParams.get("code") ?? "";
  const response = await fetch(`${loginBase}/${org.entraTenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: org.signup.redirectUri,
      code_verifier: verifier,
      client_id: org.clientId,
      client_secret: org.clientSecret,
    }),
  });
  const body = await json<{ id_token?: string }>(response);
  if (!body.id_token) throw new Error(`no id_token from ${loginBase}: ${JSON.stringify(body)}`);
  return body.id_token;
}

describe("national clouds", () => {
  it.each(CLOUDS)("signs up an organization in %s, signs its user in through that cloud and calls that cloud's Graph", async (cloud) => {
    const org = await cloudOrganization(cloud);
    expect(org.signup.adminConsentUrl.startsWith(`${LOGIN_BASES[cloud]}/${org.entraTenantId}/v2.0/adminconsent?`)).toBe(true);
    const consentScopes = new URL(org.signup.adminConsentUrl).searchParams.get("scope")?.split(" ") ?? [];
    expect(consentScopes).toContain(`${GRAPH_RESOURCES[cloud]}/User.Read`);
    expect(consentScopes.filter((scope) => scope.startsWith("https://") && !scope.startsWith(`${GRAPH_RESOURCES[cloud]}/`))).toEqual([]);
    expect(org.signup.entraPortalUrl).toBe(PORTALS[cloud]);
    expect(org.signup.nextSteps.join("\n")).toContain(PORTALS[cloud]);

    const tenant = await json<{ cloud: string; adminConsentUrl: string; entraPortalUrl: string }>(
      await call(tenantUrl(org.slug, "/api/admin/tenant"), { bearer: org.signup.adminKey }),
    );
    expect(tenant.cloud).toBe(cloud);
    expect(tenant.adminConsentUrl).toBe(org.signup.adminConsentUrl);
    expect(tenant.entraPortalUrl).toBe(PORTALS[cloud]);

    const session = await mcpSession(org.slug, org.user.userPrincipalName);
    const folders = await session.callTool("list_mail_folders");
    expect(folders.isError).toBe(false);
    expect(folders.text).toContain("Inbox");
  });

  it.each(CLOUDS)("sends the browser to %s's Entra ID with scopes on that cloud's Graph resource", async (cloud) => {
    const org = await cloudOrganization(cloud);
    const client = await registerClient(org.slug);
    const { challenge } = await pkcePair();
    const { entra } = await approveToEntra(new Browser(), authorizeUrl(org.slug, client.client_id, challenge), org.user.userPrincipalName);
    expect(entra.toString().startsWith(`${LOGIN_BASES[cloud]}/${org.entraTenantId}/oauth2/v2.0/authorize?`)).toBe(true);
    const scopes = entra.searchParams.get("scope")?.split(" ") ?? [];
    expect(scopes).toContain(`${GRAPH_RESOURCES[cloud]}/User.Read`);
    expect(scopes.filter((scope) => scope.startsWith("https://") && !scope.startsWith(`${GRAPH_RESOURCES[cloud]}/`))).toEqual([]);
  });

  it("signs a China organization's admin in to the console through China's Entra ID", async () => {
    const org = await cloudOrganization("china");
    await emulator.addUser(org.entraTenantId, { oid: crypto.randomUUID(), userPrincipalName: "it@cloud.example", displayName: "IT Admin" });
    const browser = new Browser();
    const entra = await startSignIn(browser, org.slug);
    expect(entra.toString().startsWith(`${LOGIN_BASES.china}/${org.entraTenantId}/oauth2/v2.0/authorize?`)).toBe(true);
    const signedIn = await signInToConsole(browser, org.slug, "it@cloud.example");
    expect(signedIn.status).toBe(302);
    const setup = await (await browser.fetch(tenantUrl(org.slug, "/admin"))).text();
    expect(setup).toContain(`href="${LOGIN_BASES.china}/${org.entraTenantId}/v2.0/adminconsent?`);
  });

  it("refuses an id_token from another cloud, even for the same app and user", async () => {
    const global = await cloudOrganization("global");
    const china = await cloudOrganization("china");
    const nonce = crypto.randomUUID();
    const fromGlobal = await idTokenFrom(LOGIN_BASES.global, global, nonce);
    // Checked for its own cloud, it passes: what fails below is only the cloud.
    const identity = await verifyIdToken(fromGlobal, {
      loginBase: LOGIN_BASES.global,
      entraTenantId: global.entraTenantId,
      clientId: global.clientId,
      nonce,
    });
    expect(identity.oid).toBe(global.user.oid);
    // Presented for the China organization's sign-in: China's issuer and keys.
    await expect(
      verifyIdToken(fromGlobal, { loginBase: LOGIN_BASES.china, entraTenantId: china.entraTenantId, clientId: global.clientId, nonce }),
    ).rejects.toBeInstanceOf(IdTokenError);
    // The same tenant and app looked for in China: China's Entra ID does not know it.
    await expect(
      verifyIdToken(fromGlobal, { loginBase: LOGIN_BASES.china, entraTenantId: global.entraTenantId, clientId: global.clientId, nonce }),
    ).rejects.toBeInstanceOf(IdTokenError);
    // China's own id_token is accepted for China and refused for Global.
    const fromChina = await idTokenFrom(LOGIN_BASES.china, china, nonce);
    await expect(
      verifyIdToken(fromChina, { loginBase: LOGIN_BASES.china, entraTenantId: china.entraTenantId, clientId: china.clientId, nonce }),
    ).resolves.toMatchObject({ oid: china.user.oid });
    await expect(
      verifyIdToken(fromChina, { loginBase: LOGIN_BASES.global, entraTenantId: china.entraTenantId, clientId: china.clientId, nonce }),
    ).rejects.toBeInstanceOf(IdTokenError);
  });

  it("refuses a Graph token of one cloud at another cloud's Graph", async () => {
    const china = await cloudOrganization("china");
    const token = await emulator.mintToken({ tenantId: china.entraTenantId, oid: china.user.oid, scopes: ["User.Read"] });
    const me = (base: string) => fetch(`${base}/v1.0/me`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect((await me(GRAPH_BASES.china)).status).toBe(200);
    for (const other of ["global", "usgov-high", "usgov-dod"] as const) expect((await me(GRAPH_BASES[other])).status).toBe(401);
  });

  it("does not sign in a tenant of one cloud through another cloud's Entra ID (AADSTS90002)", async () => {
    const high = await cloudOrganization("usgov-high");
    const metadata = (base: string) => fetch(`${base}/${high.entraTenantId}/v2.0/.well-known/openid-configuration`);
    const own = await json<{ issuer: string }>(await metadata(LOGIN_BASES["usgov-high"]));
    expect(own.issuer).toBe(`${LOGIN_BASES["usgov-high"]}/${high.entraTenantId}/v2.0`);
    for (const other of ["global", "usgov-dod", "china"] as const) {
      const response = await metadata(LOGIN_BASES[other]);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("AADSTS90002");
    }
  });

  it("takes the cloud at signup only as one of the four, naming the field", async () => {
    const response = await postSignup({
      orgName: "Acme",
      slug: uniqueSlug("cl"),
      adminEmail: "it@acme.example",
      entraTenantId: crypto.randomUUID(),
      clientId: crypto.randomUUID(),
      clientSecret: "Qx8~secret-value-0123456789",
      cloud: "germany",
    });
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(JSON.stringify(body)).toContain("cloud");
    expect(JSON.stringify(body)).toContain("usgov-high");
  });
});

describe("the signup page's cloud", () => {
  it("offers the four clouds in words, labelled and described, Global chosen", async () => {
    const page = await (await call(`${APEX}/signup`)).text();
    expect(page).toContain('<label for="cloud">Microsoft cloud</label>');
    expect(page).toMatch(/<select id="cloud" name="cloud" aria-describedby="cloud-hint"/);
    expect(page).toContain("Which Microsoft cloud your organization's Entra ID is in");
    const options = [...page.matchAll(/<option value="([^"]+)"\s*(selected)?>([^<]+)<\/option>/g)].map((match) => [
      match[1],
      match[2] ?? "",
      match[3],
    ]);
    expect(options).toEqual([
      ["global", "selected", "Global (including GCC)"],
      ["usgov-high", "", "US Government GCC High"],
      ["usgov-dod", "", "US Government DoD"],
      ["china", "", "China (operated by 21Vianet)"],
    ]);
  });
});

describe("each cloud's endpoints", () => {
  it("are Microsoft's hosts unless the deployment points a cloud elsewhere", () => {
    const {
      LOGIN_BASE_USGOV_HIGH: _a,
      GRAPH_BASE_USGOV_HIGH: _b,
      LOGIN_BASE_USGOV_DOD: _c,
      GRAPH_BASE_USGOV_DOD: _d,
      LOGIN_BASE_CHINA: _e,
      GRAPH_BASE_CHINA: _f,
      ...unset
    } = env;
    const config = readConfig({
      ...unset,
      LOGIN_BASE: "https://login.microsoftonline.com",
      GRAPH_BASE: "https://graph.microsoft.com",
    } as Env);
    expect(CLOUDS.map((cloud) => cloudEndpoints(config, cloud))).toEqual([
      {
        cloud: "global",
        loginBase: "https://login.microsoftonline.com",
        graphBase: "https://graph.microsoft.com",
        graphResource: "https://graph.microsoft.com",
        portalBase: "https://entra.microsoft.com",
      },
      {
        cloud: "usgov-high",
        loginBase: "https://login.microsoftonline.us",
        graphBase: "https://graph.microsoft.us",
        graphResource: "https://graph.microsoft.us",
        portalBase: "https://portal.azure.us",
      },
      {
        cloud: "usgov-dod",
        loginBase: "https://login.microsoftonline.us",
        graphBase: "https://dod-graph.microsoft.us",
        graphResource: "https://dod-graph.microsoft.us",
        portalBase: "https://portal.azure.us",
      },
      {
        cloud: "china",
        loginBase: "https://login.partner.microsoftonline.cn",
        graphBase: "https://microsoftgraph.chinacloudapi.cn",
        graphResource: "https://microsoftgraph.chinacloudapi.cn",
        portalBase: "https://portal.azure.cn",
      },
    ]);
  });

  it("recognise a granted scope in any cloud's spelling", () => {
    for (const resource of Object.values(GRAPH_RESOURCES)) expect(normalizeScope(`${resource}/Mail.Read`)).toBe("mail.read");
    expect(normalizeScope("Mail.Read")).toBe("mail.read");
  });
});
