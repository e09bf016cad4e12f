import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { verifyAuditBatch } from "../docs/verify-audit-signature";
import { AuditEventSchema, type AuditEvent } from "../src/audit/event";
import { deliverDueNotices, NOTICE_GIVE_UP_MS, noticeDeps, noticeRetryDelayMs, NOTICES_CRON, type NoticeBody } from "../src/audit/notices";
import { readConfig } from "../src/config";
import worker from "../src/index";
import { openWithDataKey } from "../src/tenancy/secret-envelope";
import { tenantRegistry } from "../src/tenancy/registry";
import { auditLog, storedTrail } from "./helpers/audit";
import { adminBrowser, consoleTenant, postConsole, submitConsoleForm } from "./helpers/console";
import { emulator } from "./helpers/emulator";
import { createTenant, json, tenantUrl } from "./helpers/gateway";
import { type Attempt, failNext, inbox, inboxUrl, tenantDeliveringTo } from "./helpers/siem-inbox";
import { hiddenField } from "./helpers/oauth-browser";
import { adminCall, errorOf, gatewayKeyring, kvNamesWithPrefix } from "./helpers/tenants";

/**
 * Alerts reach the organization as signed notices: the webhook is set through
 * the admin API or the console, `addAlert` queues a notice, and the minute
 * cron (the Worker's real `scheduled` handler, or its delivery step with a
 * chosen "now" to stand for the minutes passing) POSTs it over real HTTP to
 * the stand-in receiver (test/siem-receiver.ts). Signatures are checked with
 * the docs example the audit stream uses.
 */

/** Audit events reach the trail through the queue: a test that reads them allows for a slow machine, as audit-events.test.ts does. */
const QUEUED = { timeout: 60_000 };
/** Tests that sign in to the console and visit several pages. */
const CONSOLE = { timeout: 30_000 };

const noticeTenant = () => tenantDeliveringTo("/notices");

const registry = () => tenantRegistry(env.DB);
const deps = () => noticeDeps(env, readConfig(env));
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

async function raise(tenantId: string, kind: "entra_unavailable" | "entra_app_rejected" = "entra_unavailable") {
  expect(await registry().addAlert(tenantId, kind, `Raised by a test (${kind}).`)).toBe(true);
}

async function alertsOf(slug: string, adminKey: string) {
  return (await json<{ alerts: { kind: string; noticeState: string | null }[] }>(await adminCall(slug, "/alerts", adminKey))).alerts;
}

async function runCron(cron: string) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Every attempt verifies with the docs example, at the time it was signed. */
async function expectSigned(attempts: Attempt[], secret: string) {
  for (const attempt of attempts) {
    expect(attempt.contentType).toBe("application/json");
    expect(await verifyAuditBatch({ secret, ...attempt, now: Number(attempt.timestamp) })).toEqual({ ok: true });
  }
}

describe("notice delivery", () => {
  it("delivers a raised alert once, signed, with a stable id, the organization and the schema version", async () => {
    const tenant = await noticeTenant();
    await raise(tenant.id);
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("pending");
    await runCron(NOTICES_CRON);
    await runCron(NOTICES_CRON);

    const received = await inbox(tenant.inbox);
    expect(received.attempts).toHaveLength(1);
    const [attempt] = received.attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect(await verifyAuditBatch({ secret: tenant.secret, ...attempt })).toEqual({ ok: true });
    const notice = JSON.parse(attempt.body) as NoticeBody;
    expect(notice).toMatchObject({
      v: 1,
      kind: "entra_unavailable",
      detail: "Raised by a test (entra_unavailable).",
      organization: { slug: tenant.slug, host: `${tenant.slug}.mcp.example.com` },
    });
    expect(notice.id).toMatch(/^[0-9a-f]{32}$/);
    expect(attempt.batchId).toBe(notice.id);
    expect(new Date(notice.createdAt).toISOString()).toBe(notice.createdAt);
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("delivered");
  });

  it("an alert raised with no webhook set is an alert only", async () => {
    const tenant = await createTenant();
    await raise(tenant.tenant.id);
    expect((await alertsOf(tenant.tenant.slug, tenant.adminKey))[0]?.noticeState).toBeNull();
  });

  it("retries a failing endpoint with backoff, never before it is due, and the recovered endpoint gets it with the same id", async () => {
    const tenant = await noticeTenant();
    await failNext(tenant.inbox, 3);
    await raise(tenant.id);
    const start = new Date();
    const attemptsAt = async (now: Date) => {
      await deliverDueNotices(deps(), now);
      return (await inbox(tenant.inbox)).attempts.length;
    };
    expect(await attemptsAt(start)).toBe(1);
    // Not due yet: nothing is sent again, however often the cron runs.
    expect(await attemptsAt(start)).toBe(1);
    expect(await attemptsAt(later(start, noticeRetryDelayMs(1) - 1000))).toBe(1);
    const second = later(start, noticeRetryDelayMs(1));
    expect(await attemptsAt(second)).toBe(2);
    expect(await attemptsAt(later(second, noticeRetryDelayMs(2) - 1000))).toBe(2);
    const third = later(second, noticeRetryDelayMs(2));
    expect(await attemptsAt(third)).toBe(3);
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("pending");
    expect(await attemptsAt(later(third, noticeRetryDelayMs(3)))).toBe(4);

    const received = await inbox(tenant.inbox);
    expect(received.attempts.map((attempt) => attempt.answered)).toEqual([503, 503, 503, 200]);
    expect(new Set(received.attempts.map((attempt) => attempt.batchId)).size).toBe(1);
    expect(Object.keys(received.batches)).toHaveLength(1);
    await expectSigned(received.attempts, tenant.secret);
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("delivered");
  });

  it("backs off 1, 2, 4 … minutes, capped at an hour", () => {
    expect([1, 2, 3, 4, 7, 20].map((failures) => noticeRetryDelayMs(failures) / 60_000)).toEqual([1, 2, 4, 8, 60, 60]);
  });

  it("gives up after a day: failed, failing since then in the API and console, until a test notice succeeds", CONSOLE, async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const name = crypto.randomUUID();
    const set = await adminCall(tenant.slug, "/notices", tenant.adminKey, { method: "PUT", json: { url: inboxUrl(name) } });
    expect(set.status).toBe(200);
    await failNext(name, 100);
    await raise(tenant.tenant.id);
    const start = new Date();
    await deliverDueNotices(deps(), start);
    const dayLater = later(start, NOTICE_GIVE_UP_MS);
    await deliverDueNotices(deps(), dayLater);
    expect((await inbox(name)).attempts).toHaveLength(2);
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("failed");
    const view = await json<{ failingSince: string | null }>(await adminCall(tenant.slug, "/notices", tenant.adminKey));
    expect(view.failingSince).toBe(dayLater.toISOString());
    // Given up: no more attempts.
    await deliverDueNotices(deps(), later(dayLater, 2 * 3_600_000));
    expect((await inbox(name)).attempts).toHaveLength(2);

    const page = await (await admin.fetch(tenantUrl(tenant.slug, "/admin/alerts"))).text();
    expect(page).toContain("have been failing since");
    expect(page).toContain(`datetime="${dayLater.toISOString()}"`);
    expect(page).toContain("Notice not delivered");

    await failNext(name, 0);
    const test = await submitConsoleForm(admin, tenant.slug, "/admin/alerts", "/admin/alerts/notices/test");
    expect(test.status).toBe(200);
    const after = await test.text();
    expect(after).toContain("The webhook accepted the test notice (HTTP 200).");
    expect(after).not.toContain("have been failing since");
    expect(
      (await json<{ failingSince: string | null }>(await adminCall(tenant.slug, "/notices", tenant.adminKey))).failingSince,
    ).toBeNull();
  });

  it("a removed webhook gets no more notices: those still waiting stay alerts", async () => {
    const tenant = await noticeTenant();
    await failNext(tenant.inbox, 1);
    await raise(tenant.id);
    const start = new Date();
    await deliverDueNotices(deps(), start);
    expect(await json(await adminCall(tenant.slug, "/notices", tenant.adminKey, { method: "DELETE" }))).toEqual({
      url: null,
      removed: true,
    });
    await deliverDueNotices(deps(), later(start, noticeRetryDelayMs(1)));
    await raise(tenant.id, "entra_app_rejected");
    await deliverDueNotices(deps(), later(start, noticeRetryDelayMs(1)));
    expect((await inbox(tenant.inbox)).attempts).toHaveLength(1);
    expect((await alertsOf(tenant.slug, tenant.adminKey)).map((alert) => alert.noticeState)).toEqual([null, null]);
  });
});

describe("a secret that no longer opens", () => {
  it("survives a client secret rotation, which keeps the tenant's data key", async () => {
    const tenant = await noticeTenant();
    const newSecret = `Nw9~${crypto.randomUUID().replace(/-/g, "")}`;
    await emulator.registerApp(tenant.input.entraTenantId, {
      clientId: tenant.input.clientId,
      secrets: [{ value: tenant.input.clientSecret }, { value: newSecret }],
    });
    const rotatedClient = await adminCall(tenant.slug, "/client-secret", tenant.adminKey, {
      method: "PUT",
      json: { clientSecret: newSecret },
    });
    expect(rotatedClient.status).toBe(200);
    await raise(tenant.id);
    await deliverDueNotices(deps(), new Date());
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("delivered");
    const [attempt] = (await inbox(tenant.inbox)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect((await verifyAuditBatch({ secret: tenant.secret, ...attempt, now: Number(attempt.timestamp) })).ok).toBe(true);
  });

  it("fails each attempt without sending, says so on a test, and a new secret mends it", async () => {
    const tenant = await noticeTenant();
    // A sealed secret that fails authentication (a damaged row, or one sealed under a data key the tenant no longer has).
    await env.DB.prepare("UPDATE tenants SET notice_webhook_secret_ciphertext = ? WHERE id = ?")
      .bind(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(59)))), tenant.id)
      .run();
    await raise(tenant.id);
    const start = new Date();
    await deliverDueNotices(deps(), start);
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("pending");
    const test = await json(await adminCall(tenant.slug, "/notices/test", tenant.adminKey, { method: "POST" }));
    expect(test).toMatchObject({ delivered: false, status: null, message: expect.stringContaining("make a new secret") });
    expect((await inbox(tenant.inbox)).attempts).toEqual([]);

    const { secret } = await json<{ secret: string }>(await adminCall(tenant.slug, "/notices/secret", tenant.adminKey, { method: "POST" }));
    await deliverDueNotices(deps(), later(start, noticeRetryDelayMs(1)));
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("delivered");
    const [attempt] = (await inbox(tenant.inbox)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect((await verifyAuditBatch({ secret, ...attempt, now: Number(attempt.timestamp) })).ok).toBe(true);
  });
});

describe("notice settings on the admin API", () => {
  it("answers the secret once and never again: not in GET, not in D1 or KV in clear, not in the logs", async () => {
    const log = vi.spyOn(console, "log");
    const a = await noticeTenant();
    const b = await createTenant();
    expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const view = await adminCall(a.slug, "/notices", a.adminKey);
    const text = await view.text();
    expect(JSON.parse(text)).toEqual({ url: inboxUrl(a.inbox), failingSince: null });
    expect(text).not.toContain(a.secret);
    expect(await (await adminCall(a.slug, "/tenant", a.adminKey)).text()).not.toContain(a.secret);

    const row = await env.DB.prepare("SELECT * FROM tenants WHERE id = ?").bind(a.id).first();
    expect(JSON.stringify(row)).not.toContain(a.secret);
    const names = await kvNamesWithPrefix(`t:${a.id}:`);
    const values = await Promise.all(names.map((name) => env.OAUTH_KV.get(name)));
    expect(values.filter((value) => value?.includes(a.secret))).toEqual([]);
    await adminCall(a.slug, "/notices/test", a.adminKey, { method: "POST" });
    expect(JSON.stringify(log.mock.calls)).not.toContain(a.secret);
    log.mockRestore();

    const tenant = await registry().findById(a.id);
    const sealed = tenant?.notices?.sealedSecret;
    if (!tenant || !sealed) throw new Error("no sealed secret stored");
    expect(await openWithDataKey(sealed, tenant.envelope, { tenantId: a.id, purpose: "alert-notices" }, gatewayKeyring())).toBe(a.secret);
    // Sealed to this tenant and purpose: not as another tenant's, nor as the audit stream's secret.
    await expect(
      openWithDataKey(sealed, tenant.envelope, { tenantId: b.tenant.id, purpose: "alert-notices" }, gatewayKeyring()),
    ).rejects.toThrow("sealed value failed authentication");
    await expect(openWithDataKey(sealed, tenant.envelope, { tenantId: a.id, purpose: "audit-stream" }, gatewayKeyring())).rejects.toThrow(
      "sealed value failed authentication",
    );
  });

  it.each([
    ["plain http", "http://hooks.contoso.com/alerts", "https"],
    ["an IP address", "https://203.0.113.7/alerts", "IP address"],
    ["localhost", "https://localhost/alerts", "public host name"],
    ["the gateway's own domain", "https://other.mcp.example.com/alerts", "this gateway"],
    ["a user name in the URL", "https://user:pass@hooks.contoso.com/alerts", "user name or password"],
    ["not a URL", "hooks.contoso.com", "https URL"],
    ["a number", 42, "https URL"],
  ])("refuses %s, naming the url field", async (_why, url, words) => {
    const tenant = await createTenant();
    const response = await adminCall(tenant.tenant.slug, "/notices", tenant.adminKey, { method: "PUT", json: { url } });
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.issues?.[0]?.field).toBe("url");
    expect(body.issues?.[0]?.message).toContain(words);
  });

  it("sends a signed test notice now and says how the endpoint answered", async () => {
    const tenant = await noticeTenant();
    const ok = await json(await adminCall(tenant.slug, "/notices/test", tenant.adminKey, { method: "POST" }));
    expect(ok).toMatchObject({ delivered: true, status: 200 });
    const [attempt] = (await inbox(tenant.inbox)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect(await verifyAuditBatch({ secret: tenant.secret, ...attempt })).toEqual({ ok: true });
    expect(JSON.parse(attempt.body)).toMatchObject({ v: 1, kind: "test", organization: { slug: tenant.slug } });

    await failNext(tenant.inbox, 1, 500);
    const failed = await json(await adminCall(tenant.slug, "/notices/test", tenant.adminKey, { method: "POST" }));
    expect(failed).toMatchObject({ delivered: false, status: 500 });
  });

  it("rotates the secret: later notices verify with the new one only", async () => {
    const tenant = await noticeTenant();
    const rotated = await adminCall(tenant.slug, "/notices/secret", tenant.adminKey, { method: "POST" });
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    const { secret } = await json<{ secret: string }>(rotated);
    expect(secret).not.toBe(tenant.secret);
    await raise(tenant.id);
    await deliverDueNotices(deps());
    const [attempt] = (await inbox(tenant.inbox)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect((await verifyAuditBatch({ secret, ...attempt })).ok).toBe(true);
    expect((await verifyAuditBatch({ secret: tenant.secret, ...attempt })).ok).toBe(false);
  });

  it("answers 404 naming the missing webhook for a test or a new secret before one is set", async () => {
    const tenant = await createTenant();
    for (const path of ["/notices/test", "/notices/secret"]) {
      const response = await adminCall(tenant.tenant.slug, path, tenant.adminKey, { method: "POST" });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).error).toBe("notices_not_configured");
    }
    expect(await json(await adminCall(tenant.tenant.slug, "/notices", tenant.adminKey))).toEqual({ url: null, failingSince: null });
  });
});

describe("audit of the settings", () => {
  type ActionEvent = Extract<AuditEvent, { kind: "admin_action" }>;

  /** The tenant's admin actions, once the queue has stored `count` of them. */
  async function actions(tenantId: string, count: number): Promise<ActionEvent[]> {
    return vi.waitFor(
      async () => {
        await auditLog(tenantId).flush();
        const events = (await storedTrail(tenantId))
          .flatMap((object) => object.events)
          .map((event) => AuditEventSchema.parse(event))
          .filter((event): event is ActionEvent => event.kind === "admin_action" && event.detail.action.startsWith("alert_notices"));
        if (events.length < count) throw new Error(`${events.length} events so far`);
        return events;
      },
      { timeout: 30_000, interval: 250 },
    );
  }

  it("records set (the URL without its query string), secret rotated and removed, never the secret", QUEUED, async () => {
    const tenant = await createTenant();
    const key = tenant.adminKey;
    const slug = tenant.tenant.slug;
    const set = await adminCall(slug, "/notices", key, { method: "PUT", json: { url: `${inboxUrl("audited")}?token=hook-token` } });
    const { secret } = await json<{ secret: string }>(set);
    const rotated = await json<{ secret: string }>(await adminCall(slug, "/notices/secret", key, { method: "POST" }));
    expect((await adminCall(slug, "/notices", key, { method: "DELETE" })).status).toBe(200);
    const events = await actions(tenant.tenant.id, 3);
    const byAction = (name: string) => events.find((event) => event.detail.action === name);
    expect(byAction("alert_notices.set")).toMatchObject({
      actor: { type: "admin_key" },
      detail: { outcome: "ok", before: { url: null, secret: null }, after: { url: inboxUrl("audited"), secret: "(set)" } },
    });
    expect(byAction("alert_notices_secret.rotate")?.detail).toMatchObject({ after: { secret: "(set)" } });
    expect(byAction("alert_notices.remove")?.detail).toMatchObject({ before: { url: inboxUrl("audited") }, after: { url: null } });
    const stored = JSON.stringify(await storedTrail(tenant.tenant.id));
    for (const hidden of [secret, rotated.secret, "hook-token"]) expect(stored).not.toContain(hidden);
  });
});

describe("cross-tenant", () => {
  it("A's alerts go to A's webhook only, and B's to B's", async () => {
    const a = await noticeTenant();
    const b = await noticeTenant();
    await raise(a.id);
    await raise(b.id, "entra_app_rejected");
    await deliverDueNotices(deps());
    const toA = (await inbox(a.inbox)).attempts;
    const toB = (await inbox(b.inbox)).attempts;
    expect(toA).toHaveLength(1);
    expect(toB).toHaveLength(1);
    const [noticeToA] = toA;
    if (!noticeToA) throw new Error("nothing arrived");
    expect(JSON.parse(noticeToA.body)).toMatchObject({ kind: "entra_unavailable", organization: { slug: a.slug } });
    expect(JSON.parse(toB[0]?.body ?? "{}")).toMatchObject({ kind: "entra_app_rejected", organization: { slug: b.slug } });
    // Each signed with its own tenant's secret only.
    const signedAt = Number(noticeToA.timestamp);
    expect((await verifyAuditBatch({ secret: a.secret, ...noticeToA, now: signedAt })).ok).toBe(true);
    expect((await verifyAuditBatch({ secret: b.secret, ...noticeToA, now: signedAt })).ok).toBe(false);
  });

  it("A cannot read or change B's settings: B's key is refused on A's host, and A's settings stay", async () => {
    const a = await noticeTenant();
    const b = await noticeTenant();
    for (const [method, path] of [
      ["GET", "/notices"],
      ["POST", "/notices/secret"],
      ["DELETE", "/notices"],
      ["POST", "/notices/test"],
    ] as const) {
      expect((await adminCall(a.slug, path, b.adminKey, { method })).status).toBe(401);
    }
    expect((await adminCall(a.slug, "/notices", b.adminKey, { method: "PUT", json: { url: inboxUrl("x") } })).status).toBe(401);
    expect((await json<{ url: string }>(await adminCall(a.slug, "/notices", a.adminKey))).url).toBe(inboxUrl(a.inbox));
    expect((await json<{ url: string }>(await adminCall(b.slug, "/notices", b.adminKey))).url).toBe(inboxUrl(b.inbox));
  });
});

describe("crons", () => {
  it("the minute cron delivers notices and runs no maintenance; the 15-minute cron runs maintenance and delivers nothing", async () => {
    const tenant = await noticeTenant();
    await registry().setSecretExpiry(tenant.id, new Date(Date.now() + 10 * 86_400_000));
    await runCron(NOTICES_CRON);
    expect(await alertsOf(tenant.slug, tenant.adminKey)).toEqual([]);

    await runCron("*/15 * * * *");
    const alerts = await alertsOf(tenant.slug, tenant.adminKey);
    expect(alerts).toMatchObject([{ kind: "secret_expiring", noticeState: "pending" }]);
    expect((await inbox(tenant.inbox)).attempts).toEqual([]);

    await runCron(NOTICES_CRON);
    const [attempt] = (await inbox(tenant.inbox)).attempts;
    expect(JSON.parse(attempt?.body ?? "{}")).toMatchObject({ kind: "secret_expiring" });
    expect((await alertsOf(tenant.slug, tenant.adminKey))[0]?.noticeState).toBe("delivered");
  });
});

describe("the console's notices webhook", () => {
  it("sets the webhook with the secret shown once, shows each alert's delivery state, sends a test and removes it", CONSOLE, async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const empty = await (await admin.fetch(tenantUrl(tenant.slug, "/admin/alerts"))).text();
    expect(empty).toContain("Notices webhook");
    expect(empty).toContain("No webhook is set");

    const name = crypto.randomUUID();
    const set = await submitConsoleForm(admin, tenant.slug, "/admin/alerts", "/admin/alerts/notices", { url: inboxUrl(name) });
    expect(set.status).toBe(200);
    expect(set.headers.get("cache-control")).toContain("no-store");
    const secretPage = await set.text();
    const secret = /<code id="notices-secret">([^<]+)<\/code>/.exec(secretPage)?.[1];
    if (!secret) throw new Error("no secret shown");
    expect(secretPage).toContain('data-copy="notices-secret"');

    await raise(tenant.tenant.id);
    const pending = await (await admin.fetch(tenantUrl(tenant.slug, "/admin/alerts"))).text();
    expect(pending).toContain("Notice pending");
    expect(pending).toContain(inboxUrl(name));
    expect(pending).not.toContain(secret);
    await deliverDueNotices(deps());
    const [attempt] = (await inbox(name)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect(await verifyAuditBatch({ secret, ...attempt })).toEqual({ ok: true });
    expect(await (await admin.fetch(tenantUrl(tenant.slug, "/admin/alerts"))).text()).toContain("Notice delivered");

    await failNext(name, 1, 500);
    const test = await (await submitConsoleForm(admin, tenant.slug, "/admin/alerts", "/admin/alerts/notices/test")).text();
    expect(test).toContain("The test notice was not accepted: it did not answer 2xx (HTTP 500).");

    const rotated = await (await submitConsoleForm(admin, tenant.slug, "/admin/alerts", "/admin/alerts/notices/secret")).text();
    const newSecret = /<code id="notices-secret">([^<]+)<\/code>/.exec(rotated)?.[1];
    expect(newSecret).toBeTruthy();
    expect(newSecret).not.toBe(secret);

    const removed = await submitConsoleForm(admin, tenant.slug, "/admin/alerts", "/admin/alerts/notices/delete");
    expect(removed.status).toBe(303);
    const after = await (await admin.fetch(tenantUrl(tenant.slug, removed.headers.get("location") ?? ""))).text();
    expect(after).toContain("Webhook removed.");
    expect(after).toContain("No webhook is set");
  });

  it("refuses a bad URL at its field, and a form without the CSRF token", CONSOLE, async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const refused = await submitConsoleForm(admin, tenant.slug, "/admin/alerts", "/admin/alerts/notices", {
      url: "http://hooks.contoso.com/alerts",
    });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('aria-invalid="true" aria-describedby="notices-url-error"');
    expect(page).toMatch(/<p class="error" id="notices-url-error">must be an https URL<\/p>/);
    expect(page).toContain('value="http://hooks.contoso.com/alerts"');
    expect((await postConsole(admin, tenant.slug, "/admin/alerts/notices", { url: inboxUrl("x") })).status).toBe(403);
    expect(hiddenField(page, "csrf")).toBeTruthy();
    expect(await json(await adminCall(tenant.slug, "/notices", tenant.adminKey))).toEqual({ url: null, failingSince: null });
  });
});
