import { env } from "cloudflare:workers";
import { describe, expect, inject, it, vi } from "vitest";
import { z } from "zod";
import schemaFile from "../docs/audit-event.schema.json";
import { AuditEventSchema, type AuditEvent } from "../src/audit/event";
import { auditEventJsonSchema } from "../src/audit/json-schema";
import { toolCallDetail } from "../src/audit/tool-call";
import { readConfig } from "../src/config";
import { ALL_TOOLS } from "../src/graph/tools";
import { rewrapAllTenants } from "../src/tenancy/key-rotation";
import { tenantRegistry } from "../src/tenancy/registry";
import type { ToolDefinition } from "../src/graph/tools/types";
import { auditLog, storedTrail } from "./helpers/audit";
import { adminBrowser, consoleTenant, signInToConsole, submitConsoleForm } from "./helpers/console";
import { emulator } from "./helpers/emulator";
import { json, tenantUrl } from "./helpers/gateway";
import { connectedUser, injectGraphFault } from "./helpers/mcp";
import { authorizeUrl, Browser, pkcePair, registerClient, tenantWithUser } from "./helpers/oauth-flow";
import { callbackFor, refreshAt, signedIn, withCookies } from "./helpers/oauth-extra";
import { adminCall, operatorCall } from "./helpers/tenants";
import { formBody, hiddenField } from "./helpers/oauth-browser";

/**
 * Every audit event kind is written by the real action (a tool call, a
 * sign-in, a consent, a refresh Microsoft refuses, a revocation, an admin or
 * operator action), read back from what the pipeline stored in R2, and
 * parsed with the one schema. Free text never reaches the trail: a test
 * searches the stored JSON for the text a tool was given.
 */

/** Events reach the trail through the queue (in tests its batches are delivered at once: vitest.config.ts); each test allows for a slow machine. */
const QUEUED = { timeout: 60_000 };

type Kind = AuditEvent["kind"];
type EventOf<K extends Kind> = Extract<AuditEvent, { kind: K }>;

/** The tenant's stored trail, each event parsed with AuditEventSchema (a stored event that does not parse fails the test). */
async function trail(tenantId: string): Promise<AuditEvent[]> {
  await auditLog(tenantId).flush();
  const objects = await storedTrail(tenantId);
  return objects.flatMap((object) => object.events).map((event) => AuditEventSchema.parse(event));
}

/** Waits until the trail holds an event matching `match` (the queue delivers within seconds), and answers it. */
async function eventIn<K extends Kind>(tenantId: string, kind: K, match: (event: EventOf<K>) => boolean = () => true): Promise<EventOf<K>> {
  return vi.waitFor(
    async () => {
      const found = (await trail(tenantId)).find((event): event is EventOf<K> => event.kind === kind && match(event as EventOf<K>));
      if (!found) throw new Error(`no ${kind} event yet`);
      return found;
    },
    { timeout: 30_000, interval: 250 },
  );
}

/** The tenant's id in the gateway, from a signup result. */
const idOf = (tenant: { tenant: { id: string } }) => tenant.tenant.id;

/** Whether an argument's JSON Schema takes free-form strings (an enum of fixed words does not). */
function takesText(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(takesText);
  if (node === null || typeof node !== "object") return false;
  const schema = node as Record<string, unknown>;
  const types = [schema.type].flat();
  if (types.includes("string") && schema.enum === undefined && schema.const === undefined) return true;
  return Object.values(schema).some(takesText);
}

function stringArguments(tool: ToolDefinition): string[] {
  return Object.entries(tool.input)
    .filter(([, field]) => takesText(z.toJSONSchema(field, { io: "input", unrepresentable: "any" })))
    .map(([name]) => name);
}

describe("tool-call audit declarations", () => {
  it("classify every string argument of every tool, once, by a name the tool has", () => {
    const problems: string[] = [];
    for (const tool of ALL_TOOLS) {
      const { targets = [], recipients = [], text = [], options = [] } = tool.audit;
      const declared = [...targets, ...recipients, ...text, ...options];
      for (const name of stringArguments(tool)) if (!declared.includes(name)) problems.push(`${tool.name}.${name} is not classified`);
      for (const name of declared) if (!(name in tool.input)) problems.push(`${tool.name} declares ${name}, which it does not take`);
      for (const name of new Set(declared)) {
        if (declared.filter((other) => other === name).length > 1) problems.push(`${tool.name}.${name} is classified twice`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("keep recipients' addresses and text lengths, never the text, and leave refused arguments out", () => {
    const tool = ALL_TOOLS.find((candidate) => candidate.name === "send_message");
    if (!tool) throw new Error("send_message is missing");
    const args = {
      to: ["Sam Okafor <Sam@Contoso.example>"],
      cc: ["lena@partner.example"],
      subject: "Quarterly numbers",
      body: "Secret plan",
    };
    const detail = toolCallDetail({ tool, args, outcome: "ok", graph: { status: 202, requestId: "r-1", createdIds: [] }, latencyMs: 12.4 });
    expect(detail).toEqual({
      tool: "send_message",
      outcome: "ok",
      graphStatus: 202,
      graphRequestId: "r-1",
      latencyMs: 12,
      recipients: ["sam@contoso.example", "lena@partner.example"],
      textLengths: { subject: 17, body: 11 },
    });
    expect(toolCallDetail({ tool, args: undefined, outcome: "invalid_arguments", latencyMs: 1 })).toEqual({
      tool: "send_message",
      outcome: "invalid_arguments",
      latencyMs: 1,
    });
  });
});

describe("the JSON Schema document", () => {
  it("is what the zod schema generates (run npm run audit:schema after changing an event)", () => {
    expect(schemaFile).toEqual(auditEventJsonSchema());
  });
});

describe("tool_call events", QUEUED, () => {
  it("name the recipients and the length of the body and subject of send_message, never their text", async () => {
    const user = await connectedUser();
    const body = `Confidential launch plan ${crypto.randomUUID()}`;
    const subject = `Launch ${crypto.randomUUID()}`;
    const sent = await user.callTool("send_message", {
      to: ["Sam Okafor <sam@partner.example>"],
      bcc: ["ops@partner.example"],
      subject,
      body,
    });
    expect(sent.isError).toBe(false);

    const event = await eventIn(idOf(user.tenant), "tool_call", (e) => e.detail.tool === "send_message");
    expect(event.detail).toMatchObject({
      outcome: "ok",
      recipients: ["sam@partner.example", "ops@partner.example"],
      textLengths: { subject: subject.length, body: body.length },
    });
    expect(event.detail.graphStatus).toBe(202);
    expect(event.detail.graphRequestId).toMatch(/\S/);
    expect(event.actor).toEqual({ type: "user", userId: `${user.entra.tenantId}.${user.entra.oid}`, upn: user.user.userPrincipalName });
    expect(event.client).toMatchObject({ name: "Test MCP client" });
    expect(event.tenantId).toBe(idOf(user.tenant));

    const stored = JSON.stringify(await storedTrail(idOf(user.tenant)));
    expect(stored).not.toContain(body);
    expect(stored).not.toContain(subject);
  });

  it("name the item a call created, and the item a call read", async () => {
    const user = await connectedUser();
    const draft = await user.callTool("create_draft", { to: ["kim@partner.example"], subject: "Draft", body: "Text" });
    const id = /id: (\S+)$/.exec(draft.text)?.[1];
    expect(id).toBeTruthy();
    await user.callTool("get_message", { id });

    const created = await eventIn(idOf(user.tenant), "tool_call", (e) => e.detail.tool === "create_draft");
    expect(created.detail.targets).toEqual([id]);
    expect(created.detail.recipients).toEqual(["kim@partner.example"]);
    const read = await eventIn(idOf(user.tenant), "tool_call", (e) => e.detail.tool === "get_message");
    expect(read.detail).toMatchObject({ outcome: "ok", targets: [id], graphStatus: 200 });
  });

  it("say invalid_arguments without the arguments, and tell Graph's refusal and throttling apart", async () => {
    const user = await connectedUser();
    const text = `never stored ${crypto.randomUUID()}`;
    expect((await user.callTool("send_message", { to: [], subject: text, body: text })).isError).toBe(true);
    await injectGraphFault(user, { status: 403, pathContains: "/me/mailFolders" });
    expect((await user.callTool("list_messages")).isError).toBe(true);
    // Longer than the agent waits for: answered at once.
    await injectGraphFault(user, { status: 429, retryAfterSeconds: 120, pathContains: "/me/contacts" });
    expect((await user.callTool("list_contacts")).isError).toBe(true);
    // The mailbox time zone lookup is part of the call too.
    await injectGraphFault(user, { status: 429, retryAfterSeconds: 120, pathContains: "/me/mailboxSettings" });
    expect((await user.callTool("list_events")).isError).toBe(true);

    const tenantId = idOf(user.tenant);
    const invalid = await eventIn(tenantId, "tool_call", (e) => e.detail.tool === "send_message");
    expect(invalid.detail).toEqual({ tool: "send_message", outcome: "invalid_arguments", latencyMs: invalid.detail.latencyMs });
    expect((await eventIn(tenantId, "tool_call", (e) => e.detail.tool === "list_messages")).detail).toMatchObject({
      outcome: "denied",
      graphStatus: 403,
    });
    expect((await eventIn(tenantId, "tool_call", (e) => e.detail.tool === "list_contacts")).detail).toMatchObject({
      outcome: "throttled",
      graphStatus: 429,
    });
    expect((await eventIn(tenantId, "tool_call", (e) => e.detail.tool === "list_events")).detail).toMatchObject({
      outcome: "throttled",
      graphStatus: 429,
    });
    expect(JSON.stringify(await storedTrail(tenantId))).not.toContain(text);
  });

  it("of one organization's users are written to that organization's trail only", async () => {
    const [a, b] = await Promise.all([connectedUser(), connectedUser()]);
    await a.callTool("whoami");
    await b.callTool("list_mail_folders");
    await eventIn(idOf(a.tenant), "tool_call", (e) => e.detail.tool === "whoami");
    await eventIn(idOf(b.tenant), "tool_call", (e) => e.detail.tool === "list_mail_folders");

    const [trailA, trailB] = await Promise.all([trail(idOf(a.tenant)), trail(idOf(b.tenant))]);
    expect(trailA.every((event) => event.tenantId === idOf(a.tenant))).toBe(true);
    expect(trailB.every((event) => event.tenantId === idOf(b.tenant))).toBe(true);
    expect(trailA.some((event) => event.kind === "tool_call" && event.detail.tool === "list_mail_folders")).toBe(false);
    expect(trailB.some((event) => event.kind === "tool_call" && event.detail.tool === "whoami")).toBe(false);
  });
});

describe("sign-in, consent and refresh events", QUEUED, () => {
  it("record the consent, then the grant with its client, redirect host and granted scopes", async () => {
    const user = await connectedUser();
    const tenantId = idOf(user.tenant);
    const consent = await eventIn(tenantId, "consent", (e) => e.detail.decision === "approved");
    expect(consent.detail.redirectHost).toBe("127.0.0.1");
    expect(consent.client).toMatchObject({ name: "Test MCP client" });
    expect(consent.actor).toEqual({ type: "user" });

    const grant = await eventIn(tenantId, "sign_in", (e) => e.detail.what === "grant" && e.detail.outcome === "ok");
    expect(grant.actor).toMatchObject({ type: "user", upn: user.user.userPrincipalName });
    expect(grant.client?.id).toBe(consent.client?.id);
    expect(grant.detail.redirectHost).toBe("127.0.0.1");
    expect(grant.detail.grantedScopes?.length).toBeGreaterThan(0);
  });

  it("record a grant refused because the organization has not consented, with Microsoft's code", async () => {
    const tenant = await tenantWithUser({}, { adminConsent: false });
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const browser = new Browser();
    const { callback, upstreamCookies } = await callbackFor(
      browser,
      authorizeUrl(tenant.slug, client.client_id, challenge),
      tenant.user.userPrincipalName,
    );
    expect((await withCookies(callback.toString(), upstreamCookies)).status).toBe(403);

    const event = await eventIn(idOf(tenant), "sign_in", (e) => e.detail.what === "grant" && e.detail.outcome === "refused");
    expect(event.detail.reason).toMatch(/^AADSTS\d+$/);
    expect(event.client).toMatchObject({ id: client.client_id, name: "Test MCP client" });
  });

  it("record a denied consent", async () => {
    const tenant = await tenantWithUser();
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const browser = new Browser();
    const page = await browser.fetch(authorizeUrl(tenant.slug, client.client_id, challenge));
    const handle = hiddenField(await page.text(), "handle");
    const denied = await browser.fetch(tenantUrl(tenant.slug, "/authorize"), formBody({ handle, decision: "deny" }));
    expect(denied.status).toBe(302);

    const event = await eventIn(idOf(tenant), "consent", (e) => e.detail.decision === "denied");
    expect(event.detail.redirectHost).toBe("127.0.0.1");
  });

  it("record a refresh Microsoft refused, once the user's sessions were revoked", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    await emulator.revokeUser(tenant.entraTenantId, tenant.user.oid);
    expect((await refreshAt(tenant.slug, client.client_id, tokens.refresh_token)).status).toBe(400);

    const event = await eventIn(idOf(tenant), "token_refresh_failed");
    expect(event.detail.side).toBe("entra");
    expect(event.actor).toMatchObject({ type: "user", userId: `${tenant.entraTenantId}.${tenant.user.oid}` });
  });

  it("record a console sign-in, and a refused one with its reason", async () => {
    const tenant = await consoleTenant();
    await adminBrowser(tenant);
    const refused = await signInToConsole(new Browser(), tenant.slug, tenant.user.userPrincipalName);
    expect(refused.status).toBe(403);

    const tenantId = idOf(tenant);
    const ok = await eventIn(tenantId, "sign_in", (e) => e.detail.what === "console" && e.detail.outcome === "ok");
    expect(ok.actor).toMatchObject({ type: "console_admin", upn: tenant.admin.userPrincipalName });
    const no = await eventIn(tenantId, "sign_in", (e) => e.detail.what === "console" && e.detail.outcome === "refused");
    expect(no.detail.reason).toBe("not_console_admin");
    expect(no.actor).toMatchObject({ upn: tenant.user.userPrincipalName });
  });
});

describe("revocation events", QUEUED, () => {
  it("record a client disconnected and a user revoked through the admin API", async () => {
    const tenant = await tenantWithUser();
    const { client } = await signedIn(tenant);
    const userId = `${tenant.entraTenantId}.${tenant.user.oid}`;
    const listed = await json<{ clients: { grantId: string }[] }>(await adminCall(tenant.slug, `/users/${userId}`, tenant.adminKey));
    const grantId = listed.clients[0]?.grantId ?? "";
    expect((await adminCall(tenant.slug, `/users/${userId}/clients/${grantId}`, tenant.adminKey, { method: "DELETE" })).status).toBe(200);
    await signedIn(tenant);
    expect((await adminCall(tenant.slug, `/users/${userId}`, tenant.adminKey, { method: "DELETE" })).status).toBe(200);

    const one = await eventIn(idOf(tenant), "revocation", (e) => e.detail.scope === "client");
    expect(one).toMatchObject({
      actor: { type: "admin_key" },
      client: { id: client.client_id },
      detail: { subject: userId, grantIds: [grantId], agentWiped: false },
    });
    const all = await eventIn(idOf(tenant), "revocation", (e) => e.detail.scope === "user");
    expect(all.detail).toMatchObject({ subject: userId, agentWiped: true });
    expect(all.detail.grantIds).toHaveLength(1);
  });

  it("record a client disconnected in the console, by the console admin", async () => {
    const tenant = await consoleTenant();
    await signedIn(tenant);
    const userId = `${tenant.entraTenantId}.${tenant.user.oid}`;
    const listed = await json<{ clients: { grantId: string }[] }>(await adminCall(tenant.slug, `/users/${userId}`, tenant.adminKey));
    const grantId = listed.clients[0]?.grantId ?? "";
    const browser = await adminBrowser(tenant);
    const done = await submitConsoleForm(
      browser,
      tenant.slug,
      `/admin/users/${userId}`,
      `/admin/users/${userId}/clients/${grantId}/disconnect`,
    );
    expect(done.status).toBe(303);

    const event = await eventIn(idOf(tenant), "revocation");
    expect(event.actor).toMatchObject({ type: "console_admin", upn: tenant.admin.userPrincipalName });
    expect(event.detail).toMatchObject({ scope: "client", grantIds: [grantId] });
  });
});

describe("admin_action events", QUEUED, () => {
  it("record each admin API action with what changed, secrets as (set)", async () => {
    const tenant = await tenantWithUser();
    const key = tenant.adminKey;
    expect((await adminCall(tenant.slug, "/policy", key, { method: "PATCH", json: { readOnly: true } })).status).toBe(200);
    expect((await adminCall(tenant.slug, "/suspend", key, { method: "POST" })).status).toBe(200);
    expect((await adminCall(tenant.slug, "/resume", key, { method: "POST" })).status).toBe(200);
    const newSecret = `s3cret-${crypto.randomUUID()}`;
    await emulator.registerApp(tenant.entraTenantId, {
      clientId: String(tenant.input.clientId),
      secrets: [{ value: String(tenant.input.clientSecret) }, { value: newSecret }],
      redirectUris: [tenant.redirectUri],
    });
    expect((await adminCall(tenant.slug, "/client-secret", key, { method: "PUT", json: { clientSecret: newSecret } })).status).toBe(200);
    const wrong = await adminCall(tenant.slug, "/tenant", key, { method: "DELETE", json: { confirm: "not-the-slug" } });
    expect(wrong.status).toBe(400);
    const rotated = await json<{ adminKey: string }>(await adminCall(tenant.slug, "/admin-key", key, { method: "POST" }));

    const tenantId = idOf(tenant);
    const action = (name: string) => eventIn(tenantId, "admin_action", (e) => e.detail.action === name);
    expect((await action("policy.update")).detail).toEqual({
      action: "policy.update",
      outcome: "ok",
      before: { readOnly: false },
      after: { readOnly: true },
    });
    expect((await action("tenant.suspend")).detail).toMatchObject({
      outcome: "ok",
      before: { status: "active" },
      after: { status: "suspended" },
    });
    expect((await action("tenant.resume")).detail).toMatchObject({ outcome: "ok", after: { status: "active" } });
    expect((await action("client_secret.rotate")).detail).toMatchObject({ outcome: "ok", after: { clientSecret: "(set)" } });
    expect((await action("tenant.delete")).detail).toEqual({ action: "tenant.delete", outcome: "refused" });
    const keyEvent = await action("admin_key.rotate");
    expect(keyEvent.actor).toEqual({ type: "admin_key" });
    const stored = JSON.stringify(await storedTrail(tenantId));
    expect(stored).not.toContain(newSecret);
    expect(stored).not.toContain(rotated.adminKey);
  });

  it("record the audit settings: stream endpoint set (without its query string), secret rotated, removed, and retention", async () => {
    const tenant = await tenantWithUser();
    const key = tenant.adminKey;
    const url = `${inject("siemReceiverUrl")}/inbox/audit-events?token=collector-token`;
    const set = await adminCall(tenant.slug, "/audit/stream", key, { method: "PUT", json: { url } });
    expect(set.status).toBe(200);
    const { secret } = await json<{ secret: string }>(set);
    expect((await adminCall(tenant.slug, "/audit/stream/secret", key, { method: "POST" })).status).toBe(200);
    expect((await adminCall(tenant.slug, "/audit/stream", key, { method: "DELETE" })).status).toBe(200);
    expect((await adminCall(tenant.slug, "/audit/retention", key, { method: "PUT", json: { days: 30 } })).status).toBe(200);

    const tenantId = idOf(tenant);
    const action = (name: string) => eventIn(tenantId, "admin_action", (e) => e.detail.action === name);
    const endpoint = `${inject("siemReceiverUrl")}/inbox/audit-events`;
    expect((await action("audit_stream.set")).detail).toMatchObject({
      before: { url: null, secret: null },
      after: { url: endpoint, secret: "(set)" },
    });
    expect((await action("audit_stream_secret.rotate")).detail).toMatchObject({ after: { secret: "(set)" } });
    expect((await action("audit_stream.remove")).detail).toMatchObject({ before: { url: endpoint }, after: { url: null } });
    const retention = await action("audit_retention.set");
    expect(retention).toMatchObject({
      actor: { type: "admin_key" },
      detail: { before: { retentionDays: 90 }, after: { retentionDays: 30 } },
    });
    const stored = JSON.stringify(await storedTrail(tenantId));
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain("collector-token");
  });

  it("record console actions by the signed-in admin: policy, secret expiry, console admins and Entra roles", async () => {
    const tenant = await consoleTenant();
    const browser = await adminBrowser(tenant);
    const send = (page: string, action: string, fields: Record<string, string | string[]>) =>
      submitConsoleForm(browser, tenant.slug, page, action, fields).then((response) => response.status);
    expect(await send("/admin/policy", "/admin/policy", { enabledGroups: ["mail", "calendar"] })).toBe(303);
    const expiry = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    expect(await send("/admin", "/admin/secret-expiry", { clientSecretExpiresAt: expiry })).toBe(303);
    expect(await send("/admin/settings", "/admin/settings/admins", { email: "ria@acme.example" })).toBe(303);
    expect(await send("/admin/settings", "/admin/settings/admins/remove", { email: "ria@acme.example" })).toBe(303);
    expect(await send("/admin/settings", "/admin/settings/entra-roles", { admit: "on" })).toBe(303);

    const tenantId = idOf(tenant);
    const policyEvent = await eventIn(tenantId, "admin_action", (e) => e.detail.action === "policy.update");
    expect(policyEvent.actor).toMatchObject({ type: "console_admin", upn: tenant.admin.userPrincipalName });
    expect(policyEvent.detail.after).toMatchObject({ enabledGroups: ["mail", "calendar"] });
    const added = await eventIn(tenantId, "admin_action", (e) => e.detail.action === "console_admin.add");
    expect(added.detail.after).toEqual({ email: "ria@acme.example" });
    const removed = await eventIn(tenantId, "admin_action", (e) => e.detail.action === "console_admin.remove");
    expect(removed.detail).toMatchObject({ outcome: "ok", before: { email: "ria@acme.example" } });
    const expirySet = await eventIn(tenantId, "admin_action", (e) => e.detail.action === "client_secret_expiry.set");
    expect(expirySet.detail.after).toEqual({ clientSecretExpiresAt: new Date(expiry).toISOString() });
    const roles = await eventIn(tenantId, "admin_action", (e) => e.detail.action === "console_admin_roles.set");
    expect(roles.detail.after).toEqual({ consoleAdminRoles: true });
  });
});

describe("operator_action events", QUEUED, () => {
  it("record the operator's suspension and resumption in that organization's trail only", async () => {
    const [tenant, other] = await Promise.all([tenantWithUser(), tenantWithUser()]);
    expect((await operatorCall(`/tenants/${idOf(tenant)}/suspend`, { method: "POST" })).status).toBe(200);
    expect((await operatorCall(`/tenants/${idOf(tenant)}/resume`, { method: "POST" })).status).toBe(200);
    await adminCall(other.slug, "/policy", other.adminKey, { method: "PATCH", json: { readOnly: true } });

    const suspended = await eventIn(idOf(tenant), "operator_action", (e) => e.detail.action === "tenant.suspend");
    expect(suspended.actor).toEqual({ type: "operator" });
    expect(suspended.detail).toMatchObject({ outcome: "ok", after: { status: "suspended", suspendedBy: "operator" } });
    await eventIn(idOf(tenant), "operator_action", (e) => e.detail.action === "tenant.resume");
    await eventIn(idOf(other), "admin_action");
    expect((await trail(idOf(other))).some((event) => event.kind === "operator_action")).toBe(false);
  });

  it("record a data key re-wrapped under the active KEK in that organization's trail, with the KEK ids only", async () => {
    const tenant = await tenantWithUser();
    // Every data key under KEK 2 first, as a deployment switching back to KEK 1 would find them.
    await rewrapAllTenants(tenantRegistry(env.DB), { ...readConfig(env), ACTIVE_KEK_ID: "2" });
    expect((await operatorCall("/rotate-keys", { method: "POST" })).status).toBe(200);

    const rotated = await eventIn(idOf(tenant), "operator_action", (e) => e.detail.action === "kek.rotate");
    expect(rotated).toMatchObject({
      actor: { type: "operator" },
      detail: { outcome: "ok", before: { kekId: "2" }, after: { kekId: "1" } },
    });
  });

  it("record the operator's quotas, before and after", async () => {
    const tenant = await tenantWithUser();
    const put = await operatorCall(`/tenants/${idOf(tenant)}/quotas`, { method: "PUT", json: { userPerMinute: 30 } });
    expect(put.status).toBe(200);

    const quotas = await eventIn(idOf(tenant), "operator_action", (e) => e.detail.action === "quotas.set");
    expect(quotas.detail).toMatchObject({
      before: { userPerMinute: null, tenantPerDay: null },
      after: { userPerMinute: 30, tenantPerDay: null },
    });
  });

  it("record a lifted signup block in the trail of the organization whose suspension made it", async () => {
    const [tenant, other] = await Promise.all([tenantWithUser(), tenantWithUser()]);
    expect((await operatorCall(`/tenants/${idOf(tenant)}/suspend`, { method: "POST" })).status).toBe(200);
    expect((await operatorCall(`/blocks/slug/${tenant.slug}`, { method: "DELETE" })).status).toBe(200);
    await adminCall(other.slug, "/policy", other.adminKey, { method: "PATCH", json: { readOnly: true } });

    const lifted = await eventIn(idOf(tenant), "operator_action", (e) => e.detail.action === "signup_block.lift");
    expect(lifted.detail).toEqual({ action: "signup_block.lift", outcome: "ok", before: { field: "slug", value: tenant.slug } });
    await eventIn(idOf(other), "admin_action");
    expect((await trail(idOf(other))).some((event) => event.kind === "operator_action")).toBe(false);
  });
});
