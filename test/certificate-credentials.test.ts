import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { tenantRegistry } from "../src/tenancy/registry";
import { openWithDataKey } from "../src/tenancy/secret-envelope";
import { workerFetch } from "./helpers/browser";
import { emulator, TEST_OIDS } from "./helpers/emulator";
import { APEX, call, createTenant, json, postSignup, tenantUrl, uniqueIp, uniqueSlug } from "./helpers/gateway";
import {
  authorizeInBrowser,
  authorizeUrlAt,
  Browser as OAuthBrowser,
  CLIENT_REDIRECT,
  exchangeCodeAt,
  grantAdminConsent,
  pkcePair,
  registerClient,
} from "./helpers/oauth-browser";
import { adminCall, errorOf, gatewayKeyring } from "./helpers/tenants";
import { adminBrowser, consoleTenant, submitConsoleForm } from "./helpers/console";
import { auditLog, storedTrail } from "./helpers/audit";

/**
 * Certificate credentials (private_key_jwt) for an org's Entra app: the
 * gateway generates the key pair and certificate, the admin uploads the
 * certificate to the app (here through the emulator's control API, as the
 * portal's Upload would), and every token request is then signed with it.
 */

const RECEIVER = inject("siemReceiverUrl");
const MCP_HEADERS = { accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" };

interface CertificateAnswer {
  id: string;
  status: "pending" | "active";
  thumbprint: string;
  notBefore: string;
  notAfter: string;
  verifiedAt: string | null;
  pem: string;
  downloads: { cer: string; pem: string };
  uploadSteps: string[];
}
interface TokenSet {
  access_token: string;
  refresh_token: string;
}
interface CredentialsView {
  credentialKind: "secret" | "certificate";
  clientSecret: { hint: string; expiresAt: string | null } | null;
  certificates: Omit<CertificateAnswer, "pem" | "downloads" | "uploadSteps">[];
}

/** Every gateway response a test saw (status, headers, body), for the private-key scan. */
const seen: string[] = [];

async function record(response: Response): Promise<Response> {
  const copy = response.clone();
  const headers = [...copy.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
  const bytes = new Uint8Array(await copy.arrayBuffer());
  seen.push(`${response.status}\n${headers}\n${new TextDecoder().decode(bytes)}\n${btoa(String.fromCharCode(...bytes))}`);
  return response;
}

/** The Worker (or the emulator) as a browser reaches it, every gateway answer recorded. */
async function recordingFetch(request: Request): Promise<Response> {
  const response = await workerFetch(request);
  return new URL(request.url).hostname.endsWith("mcp.example.com") ? record(response) : response;
}

function admin(slug: string, path: string, adminKey: string, init: Parameters<typeof adminCall>[3] = {}) {
  return adminCall(slug, path, adminKey, init).then(record);
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** An org whose Entra app has no secret at all, signed up with a certificate (not uploaded yet). */
async function certificateOrg(cloud: "global" | "usgov-high" | "usgov-dod" | "china" = "global") {
  const entraTenantId = crypto.randomUUID();
  const clientId = crypto.randomUUID();
  const slug = uniqueSlug("cert");
  await emulator.createTenant({ tenantId: entraTenantId, displayName: "Certificate org", cloud });
  await emulator.registerApp(entraTenantId, { clientId, secrets: [], redirectUris: [tenantUrl(slug, "/callback")] });
  const response = await record(
    await postSignup({
      orgName: "Fabrikam",
      slug,
      adminEmail: "it@fabrikam.example",
      entraTenantId,
      clientId,
      credential: "certificate",
      cloud,
    }),
  );
  if (response.status !== 201) throw new Error(`signup: ${response.status} ${await response.text()}`);
  const body = await json<{
    tenant: { id: string };
    adminKey: string;
    adminConsentUrl: string;
    credential: string;
    credentialsVerified: boolean;
    certificate: CertificateAnswer;
    nextSteps: string[];
  }>(response);
  await grantAdminConsent(recordingFetch, body.adminConsentUrl);
  const user = { oid: TEST_OIDS.kai, userPrincipalName: `kai@${slug}.example`, displayName: "Kai Lindqvist" };
  await emulator.addUser(entraTenantId, user);
  return { ...body, slug, entraTenantId, clientId, user };
}

type Org = Awaited<ReturnType<typeof certificateOrg>>;

/** A user of the org signs in through a registered MCP client: the client's token set. */
async function signIn(org: Pick<Org, "slug" | "user">) {
  const client = await registerClient(recordingFetch, tenantUrl(org.slug), "Test MCP client", [CLIENT_REDIRECT]);
  const { verifier, challenge } = await pkcePair();
  const browser = new OAuthBrowser(recordingFetch);
  const back = await authorizeInBrowser(
    browser,
    authorizeUrlAt(tenantUrl(org.slug), client.client_id, challenge),
    org.user.userPrincipalName,
  );
  const response = await exchangeCodeAt(
    recordingFetch,
    tenantUrl(org.slug),
    client.client_id,
    back.searchParams.get("code") ?? "",
    verifier,
  );
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return { client, tokens: await json<TokenSet>(response) };
}

async function whoami(slug: string, accessToken: string) {
  return record(
    await call(tenantUrl(slug, "/mcp"), {
      json: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami", arguments: {} } },
      bearer: accessToken,
      headers: MCP_HEADERS,
    }),
  );
}

async function refresh(slug: string, clientId: string, refreshToken: string) {
  return record(
    await call(tenantUrl(slug, "/token"), {
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
  );
}

async function credentials(org: Pick<Org, "slug" | "adminKey">): Promise<CredentialsView> {
  const response = await admin(org.slug, "/credentials", org.adminKey);
  expect(response.status).toBe(200);
  return json<CredentialsView>(response);
}

async function generate(org: Pick<Org, "slug" | "adminKey">, validityMonths?: number): Promise<CertificateAnswer> {
  const response = await admin(org.slug, "/credentials/certificates", org.adminKey, {
    method: "POST",
    ...(validityMonths ? { json: { validityMonths } } : {}),
  });
  expect(response.status).toBe(201);
  return (await json<{ certificate: CertificateAnswer }>(response)).certificate;
}

function certificateAction(org: Pick<Org, "slug" | "adminKey">, id: string, action: "verify" | "promote") {
  return admin(org.slug, `/credentials/certificates/${id}/${action}`, org.adminKey, { method: "POST" });
}

async function alertsOf(org: Pick<Org, "slug" | "adminKey">) {
  const response = await admin(org.slug, "/alerts", org.adminKey);
  return (await json<{ alerts: { kind: string; detail: string }[] }>(response)).alerts;
}

describe("the tenant's data key", () => {
  it("survives a secret rotation: the audit stream's key still opens, and a certificate still signs", async () => {
    const tenant = await createTenant();
    const { slug } = tenant.tenant;
    const org = { slug, adminKey: tenant.adminKey };
    const stream = await adminCall(slug, "/audit/stream", tenant.adminKey, {
      method: "PUT",
      json: { url: `${RECEIVER}/inbox/${crypto.randomUUID()}` },
    });
    expect(stream.status).toBe(200);
    const { secret } = await json<{ secret: string }>(stream);
    const certificate = await generate(org);

    const newSecret = `Rk9~${crypto.randomUUID().replace(/-/g, "")}`;
    await emulator.registerApp(String(tenant.input.entraTenantId), {
      clientId: String(tenant.input.clientId),
      secrets: [{ value: String(tenant.input.clientSecret) }, { value: newSecret }],
    });
    await emulator.uploadCertificate(String(tenant.input.entraTenantId), String(tenant.input.clientId), certificate.pem);
    const rotated = await adminCall(slug, "/client-secret", tenant.adminKey, { method: "PUT", json: { clientSecret: newSecret } });
    expect(rotated.status).toBe(200);

    const row = await tenantRegistry(env.DB).findById(tenant.tenant.id);
    const sealed = row?.audit.stream?.sealedSecret;
    if (!row || !sealed) throw new Error("no sealed stream secret");
    expect(await openWithDataKey(sealed, row.envelope, { tenantId: row.id, purpose: "audit-stream" }, gatewayKeyring())).toBe(secret);
    expect((await certificateAction(org, certificate.id, "verify")).status).toBe(200);
  });
});

describe("an organization that signs up with a certificate", () => {
  it("runs with no secret anywhere: upload, verify, sign-in and a tool call, and no private key is ever seen", async () => {
    seen.length = 0;
    const logged: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
      });
    }
    const org = await certificateOrg();
    expect(org.credential).toBe("certificate");
    expect(org.credentialsVerified).toBe(true);
    expect(org.certificate).toMatchObject({ status: "active", verifiedAt: null });
    expect(org.certificate.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(org.certificate.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(org.nextSteps[0]).toContain("Certificates & secrets → Certificates → Upload certificate");
    const months = (Date.parse(org.certificate.notAfter) - Date.parse(org.certificate.notBefore)) / (30.4 * 86_400_000);
    expect(Math.round(months)).toBe(12);

    // Not on the app yet: the check says what to do.
    const early = await certificateAction(org, org.certificate.id, "verify");
    expect(early.status).toBe(422);
    const refusal = await errorOf(early);
    expect(refusal.message).toContain("AADSTS700027");
    expect(refusal.message).toContain("Upload certificate");

    // The downloads are the certificate the app gets.
    const cer = await admin(org.slug, `/credentials/certificates/${org.certificate.id}/certificate.cer`, org.adminKey);
    expect(cer.headers.get("content-type")).toBe("application/pkix-cert");
    const der = new Uint8Array(await cer.arrayBuffer());
    const pem = await admin(org.slug, `/credentials/certificates/${org.certificate.id}/certificate.pem`, org.adminKey);
    expect(new TextDecoder().decode(await pem.arrayBuffer())).toBe(org.certificate.pem);
    const uploaded = await emulator.uploadCertificate(org.entraTenantId, org.clientId, btoa(String.fromCharCode(...der)));
    expect(uploaded.thumbprint).toBe(org.certificate.thumbprint);

    const verified = await certificateAction(org, org.certificate.id, "verify");
    expect(verified.status).toBe(200);
    const view = await credentials(org);
    expect(view).toMatchObject({ credentialKind: "certificate", clientSecret: null });
    expect(view.certificates).toHaveLength(1);
    expect(view.certificates[0]?.verifiedAt).not.toBeNull();

    const { client, tokens } = await signIn(org);
    const who = await whoami(org.slug, tokens.access_token);
    expect(who.status).toBe(200);
    expect(await who.text()).toContain(org.user.userPrincipalName);
    const refreshed = await refresh(org.slug, client.client_id, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    const report = await admin(org.slug, "/verify", org.adminKey, { method: "POST" });
    const items = (await json<{ items: { id: string; status: string }[] }>(report)).items;
    expect(items.slice(0, 2)).toMatchObject([
      { id: "credentials", status: "ok" },
      { id: "certificate_expiry", status: "ok" },
    ]);

    // The audit trail (R2) says what was done with which certificate, never with its key.
    const trail = await vi.waitFor(
      async () => {
        await auditLog(org.tenant.id).flush();
        const events = (await storedTrail(org.tenant.id)).flatMap((object) => object.events).map((event) => JSON.stringify(event));
        if (!events.some((event) => event.includes('"certificate.verify"') && event.includes('"ok"')))
          throw new Error("not in the trail yet");
        return events;
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(trail.find((event) => event.includes('"certificate.verify"') && event.includes('"ok"'))).toContain(org.certificate.thumbprint);
    await expectNoPrivateKey(org.tenant.id, org.certificate.id, logged, trail);
  });

  it("fails sign-ins with AADSTS700027 explained until the certificate is uploaded", async () => {
    const org = await certificateOrg();
    await expect(signIn(org)).rejects.toThrow(/HTTP 502/);
    const rejected = (await alertsOf(org)).filter((alert) => alert.kind === "entra_app_rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.detail).toContain("Certificates & secrets → Certificates → Upload certificate");
    await emulator.uploadCertificate(org.entraTenantId, org.clientId, org.certificate.pem);
    const { tokens } = await signIn(org);
    expect((await whoami(org.slug, tokens.access_token)).status).toBe(200);
  });

  it("points a wrong client ID at its field, found with the certificate's assertion", async () => {
    const entraTenantId = crypto.randomUUID();
    await emulator.createTenant({ tenantId: entraTenantId, displayName: "Typo org" });
    const response = await postSignup({
      orgName: "Typo",
      slug: uniqueSlug("cert"),
      adminEmail: "it@typo.example",
      entraTenantId,
      clientId: crypto.randomUUID(),
      credential: "certificate",
    });
    expect(response.status).toBe(422);
    const body = await errorOf(response);
    expect(body.issues?.[0]?.field).toBe("clientId");
    expect(body.issues?.[0]?.message).toContain("AADSTS700016");
  });

  it('needs the secret only for credential "secret"', async () => {
    const base = {
      orgName: "Acme",
      slug: uniqueSlug(),
      adminEmail: "it@acme.example",
      entraTenantId: crypto.randomUUID(),
      clientId: crypto.randomUUID(),
    };
    const missing = await postSignup(base, uniqueIp());
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).issues).toContainEqual(expect.objectContaining({ field: "clientSecret" }));
    const both = await postSignup({ ...base, credential: "certificate", clientSecret: "Qx8~abcdefabcdefabcdefabcdef" }, uniqueIp());
    expect(both.status).toBe(400);
    const months = await postSignup({ ...base, credential: "certificate", certificateValidityMonths: 7 }, uniqueIp());
    expect((await errorOf(months)).issues).toContainEqual(expect.objectContaining({ field: "certificateValidityMonths" }));
  });
});

/** Every response, log line, KV value and D1 row seen so far is free of the certificate's private key. */
async function expectNoPrivateKey(tenantId: string, certificateId: string, logged: string[], trail: string[]) {
  const row = await tenantRegistry(env.DB).findById(tenantId);
  const certificate = await env.DB.prepare("SELECT * FROM tenant_certificates WHERE id = ?")
    .bind(certificateId)
    .first<{ private_key_ciphertext: string; private_key_iv: string }>();
  if (!row || !certificate) throw new Error("no tenant or certificate row");
  const pkcs8 = await openWithDataKey(
    { ciphertext: certificate.private_key_ciphertext, iv: certificate.private_key_iv },
    row.envelope,
    { tenantId, purpose: `certificate-key:${certificateId}` },
    gatewayKeyring(),
  );
  const bytes = Uint8Array.from(atob(pkcs8), (char) => char.charCodeAt(0));
  const urlSafe = pkcs8.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  // A stretch from inside the key (past the fixed ASN.1 header) appears nowhere, in any encoding.
  const needles = [pkcs8.slice(60, 120), urlSafe.slice(60, 120), hex.slice(120, 240)];

  const kv: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.OAUTH_KV.list({ cursor });
    for (const key of page.keys) kv.push(`${key.name}\n${(await env.OAUTH_KV.get(key.name)) ?? ""}`);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  const rows: string[] = [];
  for (const { name } of tables.results) {
    const all = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    rows.push(...all.results.map((result) => JSON.stringify(result)));
  }
  expect(seen.length).toBeGreaterThan(10);
  expect(kv.length).toBeGreaterThan(0);
  for (const [where, texts] of [
    ["responses", seen],
    ["logs", logged],
    ["KV", kv],
    ["D1", rows],
    ["audit trail", trail],
  ] as const) {
    for (const text of texts) {
      expect(text, where).not.toContain("PRIVATE KEY");
      expect(text, where).not.toMatch(/"d"\s*:/);
      for (const needle of needles) expect(text.includes(needle), `${where} holds the private key`).toBe(false);
    }
  }
}

describe("rotation with overlap", () => {
  it("keeps the old certificate working until the new one is promoted, then signs with the new one", async () => {
    const org = await certificateOrg();
    await emulator.uploadCertificate(org.entraTenantId, org.clientId, org.certificate.pem);
    expect((await certificateAction(org, org.certificate.id, "verify")).status).toBe(200);
    const { client, tokens } = await signIn(org);

    const next = await generate(org, 24);
    expect(next.status).toBe("pending");
    expect(Math.round((Date.parse(next.notAfter) - Date.parse(next.notBefore)) / (30.4 * 86_400_000))).toBe(24);
    // Promotion is refused until Entra accepts the new certificate.
    const early = await certificateAction(org, next.id, "promote");
    expect(early.status).toBe(422);
    expect((await errorOf(early)).message).toContain("AADSTS700027");
    // Meanwhile the old one keeps signing.
    const meanwhile = await refresh(org.slug, client.client_id, tokens.refresh_token);
    expect(meanwhile.status).toBe(200);
    const current = await json<TokenSet>(meanwhile);

    await emulator.uploadCertificate(org.entraTenantId, org.clientId, next.pem);
    const promoted = await certificateAction(org, next.id, "promote");
    expect(promoted.status).toBe(200);
    expect((await json<{ notice: string }>(promoted)).notice).toContain(org.certificate.thumbprint);
    const view = await credentials(org);
    expect(view.certificates.map((certificate) => [certificate.id, certificate.status])).toEqual([[next.id, "active"]]);

    // The admin removes the old certificate from the app: nothing breaks.
    await emulator.removeCertificate(org.entraTenantId, org.clientId, org.certificate.thumbprint);
    const after = await refresh(org.slug, client.client_id, current.refresh_token);
    expect(after.status).toBe(200);
    expect((await whoami(org.slug, (await json<TokenSet>(after)).access_token)).status).toBe(200);
  });

  it("replaces a pending certificate never promoted when another is generated", async () => {
    const org = await certificateOrg();
    const first = await generate(org);
    const second = await generate(org);
    const ids = (await credentials(org)).certificates.map((certificate) => certificate.id);
    expect(ids).toEqual([org.certificate.id, second.id]);
    expect(ids).not.toContain(first.id);
  });
});

describe("a certificate removed from the Entra app", () => {
  it("raises an entra_app_rejected alert and answers temporarily_unavailable, never revoking the grant; re-uploading mends it", async () => {
    const org = await certificateOrg();
    await emulator.uploadCertificate(org.entraTenantId, org.clientId, org.certificate.pem);
    const { client, tokens } = await signIn(org);
    await emulator.removeCertificate(org.entraTenantId, org.clientId, org.certificate.thumbprint);

    const refused = await refresh(org.slug, client.client_id, tokens.refresh_token);
    expect(refused.status).toBe(503);
    expect((await json(refused)).error).toBe("temporarily_unavailable");
    const rejected = (await alertsOf(org)).filter((alert) => alert.kind === "entra_app_rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.detail).toContain("AADSTS700027");
    expect(rejected[0]?.detail).toContain("What to do: the app does not accept the gateway's certificate");
    expect(rejected[0]?.detail).toContain("AADSTS700027");
    // The grant survives: the access token still serves, and the same refresh token works once the certificate is back.
    expect((await whoami(org.slug, tokens.access_token)).status).toBe(200);
    await emulator.uploadCertificate(org.entraTenantId, org.clientId, org.certificate.pem);
    const mended = await refresh(org.slug, client.client_id, tokens.refresh_token);
    expect(mended.status).toBe(200);
    expect((await whoami(org.slug, (await json<TokenSet>(mended)).access_token)).status).toBe(200);
  });

  it("answers a tool call whose Graph token must be refreshed with the organization's problem, alerting once and keeping the grant", async () => {
    const org = await certificateOrg();
    await emulator.uploadCertificate(org.entraTenantId, org.clientId, org.certificate.pem);
    const { tokens } = await signIn(org);
    await emulator.removeCertificate(org.entraTenantId, org.clientId, org.certificate.thumbprint);
    // Graph refuses the token as expired, so the user's agent refreshes it, signing with the removed certificate.
    await emulator.queueFault({ status: 401, userKey: `${org.entraTenantId}.${org.user.oid}` });
    const refused = await whoami(org.slug, tokens.access_token);
    expect(refused.status).toBe(200);
    const text = await refused.text();
    expect(text).toContain('"isError":true');
    expect(text).toContain("Entra ID refused your organization's Microsoft app; your administrator has been alerted");
    expect(text).not.toContain("SignInExpired");
    const rejected = (await alertsOf(org)).filter((alert) => alert.kind === "entra_app_rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.detail).toContain("AADSTS700027");
    // Re-uploading mends it: the same connection's next call refreshes and answers.
    await emulator.uploadCertificate(org.entraTenantId, org.clientId, org.certificate.pem);
    await emulator.queueFault({ status: 401, userKey: `${org.entraTenantId}.${org.user.oid}` });
    const mended = await whoami(org.slug, tokens.access_token);
    expect(await mended.text()).toContain(org.user.userPrincipalName);
  });
});

describe("from a secret to a certificate and back", () => {
  it("switches only after a proven certificate, deletes the secret only then, and goes back while a secret exists", async () => {
    const tenant = await createTenant();
    const org = { slug: tenant.tenant.slug, adminKey: tenant.adminKey };
    const entraTenantId = String(tenant.input.entraTenantId);
    const clientId = String(tenant.input.clientId);

    const refusedDelete = await admin(org.slug, "/client-secret", org.adminKey, { method: "DELETE" });
    expect(refusedDelete.status).toBe(409);
    const certificate = await generate(org, 6);
    await emulator.uploadCertificate(entraTenantId, clientId, certificate.pem);
    expect((await certificateAction(org, certificate.id, "promote")).status).toBe(200);
    expect((await credentials(org)).credentialKind).toBe("certificate");

    // Back to the secret: checked with Entra first, then used.
    const back = await admin(org.slug, "/credentials/use-secret", org.adminKey, { method: "POST" });
    expect(back.status).toBe(200);
    expect((await credentials(org)).credentialKind).toBe("secret");
    // The certificate is still the active one: using it again is checked with Entra like a promotion.
    expect((await certificateAction(org, certificate.id, "promote")).status).toBe(200);
    expect((await credentials(org)).credentialKind).toBe("certificate");
    await admin(org.slug, "/credentials/use-secret", org.adminKey, { method: "POST" });
    // Or a new certificate is promoted over it.
    const again = await generate(org);
    await emulator.uploadCertificate(entraTenantId, clientId, again.pem);
    expect((await certificateAction(org, again.id, "promote")).status).toBe(200);
    expect((await credentials(org)).certificates.map((row) => row.id)).toEqual([again.id]);

    const deleted = await admin(org.slug, "/client-secret", org.adminKey, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    const view = await credentials(org);
    expect(view).toMatchObject({ credentialKind: "certificate", clientSecret: null });
    const row = await env.DB.prepare("SELECT secret_ciphertext, secret_iv, secret_hint FROM tenants WHERE id = ?")
      .bind(tenant.tenant.id)
      .first();
    expect(row).toEqual({ secret_ciphertext: "", secret_iv: "", secret_hint: "" });
    const noSecret = await admin(org.slug, "/credentials/use-secret", org.adminKey, { method: "POST" });
    expect(noSecret.status).toBe(409);
    // Entra no longer holds the secret either; the certificate carries verify setup.
    await emulator.registerApp(entraTenantId, { clientId, secrets: [] });
    await emulator.uploadCertificate(entraTenantId, clientId, again.pem);
    const report = await admin(org.slug, "/verify", org.adminKey, { method: "POST" });
    expect((await json<{ items: { id: string; status: string }[] }>(report)).items[0]).toMatchObject({ id: "credentials", status: "ok" });
  });
});

describe("one organization's certificates are out of another's reach", () => {
  it("answers 404 for another tenant's certificate id, and a key copied onto another tenant's row does not open", async () => {
    const a = await certificateOrg();
    const b = await certificateOrg();
    const bId = b.certificate.id;
    for (const path of [`/credentials/certificates/${bId}/certificate.cer`, `/credentials/certificates/${bId}/certificate.pem`]) {
      expect((await admin(a.slug, path, a.adminKey)).status).toBe(404);
    }
    for (const action of ["verify", "promote"] as const) {
      expect((await certificateAction(a, bId, action)).status).toBe(404);
    }
    expect((await credentials(a)).certificates.map((certificate) => certificate.id)).toEqual([a.certificate.id]);
    const malformed = await admin(a.slug, "/credentials/certificates/not-an-id/verify", a.adminKey, { method: "POST" });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).issues?.[0]?.field).toBe("id");
    const months = await admin(a.slug, "/credentials/certificates", a.adminKey, { method: "POST", json: { validityMonths: 36 } });
    expect((await errorOf(months)).issues?.[0]?.field).toBe("validityMonths");
    expect((await call(tenantUrl(a.slug, "/api/admin/credentials"), { bearer: b.adminKey })).status).toBe(401);

    // B's sealed key copied onto A's certificate row: A's key cannot be opened from it.
    const bRow = await env.DB.prepare("SELECT private_key_ciphertext, private_key_iv FROM tenant_certificates WHERE id = ?")
      .bind(bId)
      .first<{ private_key_ciphertext: string; private_key_iv: string }>();
    if (!bRow) throw new Error("no certificate row for B");
    await env.DB.prepare("UPDATE tenant_certificates SET private_key_ciphertext = ?, private_key_iv = ? WHERE id = ?")
      .bind(bRow.private_key_ciphertext, bRow.private_key_iv, a.certificate.id)
      .run();
    const aTenant = await tenantRegistry(env.DB).findById(a.tenant.id);
    if (!aTenant) throw new Error("no tenant A");
    await expect(
      openWithDataKey(
        { ciphertext: bRow.private_key_ciphertext, iv: bRow.private_key_iv },
        aTenant.envelope,
        { tenantId: a.tenant.id, purpose: `certificate-key:${a.certificate.id}` },
        gatewayKeyring(),
      ),
    ).rejects.toThrow("sealed value failed authentication");
    const bad = await admin(a.slug, `/credentials/certificates/${a.certificate.id}/verify`, a.adminKey, { method: "POST" });
    expect(bad.status).toBe(500);
    expect(await bad.text()).not.toContain("PRIVATE KEY");
  });
});

describe("certificate expiry", () => {
  async function runScheduled() {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/15 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
  }

  it("alerts once when the active certificate expires within 30 days, and verify setup reports it", async () => {
    const org = await certificateOrg();
    await env.DB.prepare("UPDATE tenant_certificates SET not_after = ? WHERE id = ?")
      .bind(Date.now() + 10 * 86_400_000, org.certificate.id)
      .run();
    await runScheduled();
    await runScheduled();
    const expiring = (await alertsOf(org)).filter((alert) => alert.kind === "certificate_expiring");
    expect(expiring).toHaveLength(1);
    expect(expiring[0]?.detail).toMatch(/expires in (9|10) days/);
    expect(expiring[0]?.detail).toContain(org.certificate.thumbprint);
    const report = await admin(org.slug, "/verify", org.adminKey, { method: "POST" });
    const items = (await json<{ items: { id: string; status: string; summary: string }[] }>(report)).items;
    expect(items.find((item) => item.id === "certificate_expiry")).toMatchObject({ status: "problem" });
  });
});

describe("the console's Credentials page", () => {
  it("generates, refuses an unproven certificate at its buttons, promotes an uploaded one and deletes the secret", async () => {
    const tenant = await consoleTenant();
    const browser = await adminBrowser(tenant);
    const page = async () => (await browser.fetch(tenantUrl(tenant.slug, "/admin/credentials"))).text();
    expect(await page()).toContain("Generate a certificate");

    const generated = await submitConsoleForm(browser, tenant.slug, "/admin/credentials", "/admin/credentials/certificates", {
      validityMonths: "6",
    });
    expect(generated.status).toBe(303);
    const listed = (await credentials({ slug: tenant.slug, adminKey: tenant.adminKey })).certificates;
    expect(listed).toHaveLength(1);
    const id = listed[0]?.id ?? "";
    const withCertificate = await page();
    expect(withCertificate).toContain(listed[0]?.thumbprint);
    expect(withCertificate).toContain("/ApplicationMenuBlade/~/Credentials/appId/");

    const early = await submitConsoleForm(browser, tenant.slug, "/admin/credentials", `/admin/credentials/certificates/${id}/promote`);
    expect(early.status).toBe(422);
    const refused = await early.text();
    expect(refused).toContain(`id="certificate-${id}-error"`);
    expect(refused).toContain("AADSTS700027");
    expect(refused).toMatch(/aria-invalid="true" aria-describedby="certificate-[^"]+-error"/);

    const pem = await browser.fetch(tenantUrl(tenant.slug, `/admin/credentials/certificates/${id}/certificate.pem`));
    expect(pem.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.pem"$/);
    await emulator.uploadCertificate(
      tenant.entraTenantId,
      String(tenant.input.clientId),
      new TextDecoder().decode(await pem.arrayBuffer()),
    );
    const promoted = await submitConsoleForm(browser, tenant.slug, "/admin/credentials", `/admin/credentials/certificates/${id}/promote`);
    expect(promoted.status).toBe(303);
    expect(await page()).toContain("signs in to your app with its active certificate");
    const setup = await (await browser.fetch(tenantUrl(tenant.slug, "/admin"))).text();
    expect(setup).toContain("Certificate expiry");
    expect(setup).toMatch(/The certificate expires in 1\d\d days\./);
    const deleted = await submitConsoleForm(browser, tenant.slug, "/admin/credentials", "/admin/credentials/delete-secret");
    expect(deleted.status).toBe(303);
    expect(await page()).toContain("The gateway holds no client secret.");
    expect((await credentials({ slug: tenant.slug, adminKey: tenant.adminKey })).clientSecret).toBeNull();
  });
});

describe("the signup page", () => {
  it("offers both credentials and, with a certificate, answers with the certificate and its upload steps", async () => {
    const form = await call(`${APEX}/signup`);
    const page = await form.text();
    expect(page).toMatch(/<input\s+type="radio"\s+id="credential-certificate"/);
    expect(page).toContain('<label class="check" for="credential-secret">');

    const entraTenantId = crypto.randomUUID();
    const clientId = crypto.randomUUID();
    await emulator.createTenant({ tenantId: entraTenantId, displayName: "Form org" });
    await emulator.registerApp(entraTenantId, { clientId, secrets: [] });
    const fields = {
      orgName: "Form Certificate Org",
      slug: uniqueSlug("certform"),
      adminEmail: "it@form.example",
      entraTenantId,
      clientId,
      cloud: "global",
      credential: "certificate",
      // Typed before the admin chose a certificate: dropped, not refused.
      clientSecret: "typed-by-mistake",
      clientSecretExpiresAt: "",
    };
    const response = await call(`${APEX}/signup`, {
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": uniqueIp() },
    });
    const result = await response.text();
    expect(response.status).toBe(201);
    expect(result).toContain("Upload the gateway's certificate to your app");
    expect(result).toContain("-----BEGIN CERTIFICATE-----");
    expect(result).toContain("Certificates &amp; secrets → Certificates → Upload certificate");
    expect(result).not.toContain("PRIVATE KEY");
    expect(result).not.toContain("typed-by-mistake");
  });
});

describe("offboarding", () => {
  it("deletes the organization's certificates with it", async () => {
    const org = await certificateOrg();
    await generate(org);
    const deleted = await admin(org.slug, "/tenant", org.adminKey, { method: "DELETE", json: { confirm: org.slug } });
    expect(deleted.status).toBe(200);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM tenant_certificates WHERE tenant_id = ?")
      .bind(org.tenant.id)
      .first<number>("n");
    expect(left).toBe(0);
  });
});

describe("certificates in the national clouds", () => {
  it.each(["usgov-high", "usgov-dod", "china"] as const)("signs assertions for the token endpoint of %s", async (cloud) => {
    const org = await certificateOrg(cloud);
    await emulator.uploadCertificate(org.entraTenantId, org.clientId, org.certificate.pem);
    expect((await certificateAction(org, org.certificate.id, "verify")).status).toBe(200);
    const { tokens } = await signIn(org);
    expect((await whoami(org.slug, tokens.access_token)).status).toBe(200);
  });
});
