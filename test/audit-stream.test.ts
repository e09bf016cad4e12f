import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { verifyAuditBatch } from "../docs/verify-audit-signature";
import { AUDIT_SCHEMA_VERSION, AuditEventSchema, type AuditEvent } from "../src/audit/event";
import { streamUrlProblem } from "../src/audit/stream-url";
import { AUDIT_STREAM_DLQ_NAME, AUDIT_STREAM_QUEUE_NAME, retryDelaySeconds, type StreamMessage } from "../src/audit/stream";
import { readConfig } from "../src/config";
import worker from "../src/index";
import { openWithDataKey, rewrapEnvelope } from "../src/tenancy/secret-envelope";
import { tenantRegistry } from "../src/tenancy/registry";
import { adminBrowser, consoleTenant, postConsole, submitConsoleForm } from "./helpers/console";
import { createTenant, json, tenantUrl } from "./helpers/gateway";
import { failNext, inbox, inboxUrl, tenantDeliveringTo } from "./helpers/siem-inbox";
import { adminCall, errorOf, gatewayKeyring } from "./helpers/tenants";

/**
 * Streaming the audit trail to an organization's SIEM: objects in the
 * stored-trail format are written to the real local R2, stream messages are
 * handed to the Worker's queue consumer (or sent through the real local
 * queue), and a stand-in collector over real HTTP (test/siem-receiver.ts)
 * records what arrives. Signatures are checked with the docs example.
 */

const streamingTenant = () => tenantDeliveringTo("/audit/stream");

let seq = 0;

function toolEvent(tenantId: string, time: Date): AuditEvent {
  return AuditEventSchema.parse({
    v: AUDIT_SCHEMA_VERSION,
    id: crypto.randomUUID(),
    time: time.toISOString(),
    tenantId,
    kind: "tool_call",
    actor: { type: "user", userId: `${crypto.randomUUID()}.${crypto.randomUUID()}` },
    detail: { tool: "list_messages", outcome: "ok", latencyMs: 12 },
  });
}

/** Writes `count` events of `eventTenantId` as one object under `tenantId`'s trail, as the tenant log does; returns its key and events. */
async function storeObject(tenantId: string, count: number, eventTenantId = tenantId) {
  const now = new Date();
  const events = Array.from({ length: count }, () => toolEvent(eventTenantId, now));
  const first = seq + 1;
  seq += count;
  const iso = now.toISOString();
  const pad = (n: number) => String(n).padStart(12, "0");
  const key = `audit/v1/${tenantId}/${iso.slice(0, 10)}/${iso.slice(11, 13)}/${pad(first)}-${pad(seq)}.ndjson.gz`;
  const ndjson = events.map((event) => JSON.stringify(event)).join("\n") + "\n";
  const gzipped = await new Response(new Blob([ndjson]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
  await env.AUDIT_BUCKET.put(key, gzipped, { customMetadata: { count: String(count), first: iso, last: iso } });
  return { key, events };
}

interface Pending {
  id: string;
  attempts: number;
  body: StreamMessage;
}

interface QueueOutcome {
  acked: string[];
  /** Retried message ids with the delay asked for. */
  retried: Map<string, number | undefined>;
}

/**
 * Hands one batch to the Worker's queue handler, as the platform would, and
 * records each message's ack or retry with its delay (the test pool's own
 * batch helper does not keep the delay).
 */
async function runConsumer(queue: string, messages: Pending[]): Promise<QueueOutcome> {
  const outcome: QueueOutcome = { acked: [], retried: new Map() };
  const batch: MessageBatch<StreamMessage> = {
    queue,
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    messages: messages.map((pending) => ({
      ...pending,
      timestamp: new Date(),
      ack: () => void outcome.acked.push(pending.id),
      retry: (options?: QueueRetryOptions) => void outcome.retried.set(pending.id, options?.delaySeconds),
    })),
    ackAll: () => outcome.acked.push(...messages.map((pending) => pending.id)),
    retryAll: () => messages.forEach((pending) => outcome.retried.set(pending.id, undefined)),
  };
  await worker.queue(batch, env, createExecutionContext());
  return outcome;
}

/** Delivers until every message is acknowledged (as the queue would, redelivering retried ones); returns the retry delays asked for. */
async function deliverAll(messages: Pending[]): Promise<number[]> {
  let pending = messages;
  const delays: number[] = [];
  for (let round = 0; pending.length > 0 && round < 10; round++) {
    const { acked, retried } = await runConsumer(AUDIT_STREAM_QUEUE_NAME, pending);
    for (const delay of retried.values()) delays.push(delay ?? 0);
    expect(acked.length + retried.size).toBe(pending.length);
    pending = pending.filter((item) => retried.has(item.id)).map((item) => ({ ...item, attempts: item.attempts + 1 }));
  }
  expect(pending).toEqual([]);
  return delays;
}

function message(tenantId: string, key: string): Pending {
  return { id: crypto.randomUUID(), attempts: 1, body: { tenantId, key } };
}

function eventIdsOf(bodies: Iterable<string>): string[] {
  return [...bodies].flatMap((body) =>
    body
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => (JSON.parse(line) as AuditEvent).id),
  );
}

describe("stream settings on the admin API", () => {
  it("answers the secret once and never again, and keeps it sealed to the tenant", async () => {
    const a = await streamingTenant();
    const b = await createTenant();
    expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const view = await adminCall(a.slug, "/audit/stream", a.adminKey);
    const text = await view.text();
    expect(JSON.parse(text)).toEqual({ url: inboxUrl(a.inbox), failingSince: null });
    expect(text).not.toContain(a.secret);

    const row = await tenantRegistry(env.DB).findById(a.id);
    const sealed = row?.audit.stream?.sealedSecret;
    if (!row || !sealed) throw new Error("no sealed secret stored");
    expect(JSON.stringify(sealed)).not.toContain(a.secret);
    expect(await openWithDataKey(sealed, row.envelope, { tenantId: a.id, purpose: "audit-stream" }, gatewayKeyring())).toBe(a.secret);
    // Sealed to this tenant and this purpose: opening it as another tenant's, or as another kind of value, fails.
    await expect(
      openWithDataKey(sealed, row.envelope, { tenantId: b.tenant.id, purpose: "audit-stream" }, gatewayKeyring()),
    ).rejects.toThrow("sealed value failed authentication");
    await expect(openWithDataKey(sealed, row.envelope, { tenantId: a.id, purpose: "other" }, gatewayKeyring())).rejects.toThrow(
      "sealed value failed authentication",
    );
  });

  it("keeps opening after the key-encryption key is rotated (only the data key is re-wrapped)", async () => {
    const a = await streamingTenant();
    const row = await tenantRegistry(env.DB).findById(a.id);
    const sealed = row?.audit.stream?.sealedSecret;
    if (!row || !sealed) throw new Error("no sealed secret stored");
    const rotatedKeyring = { ...gatewayKeyring(), activeKekId: "2" };
    const rewrapped = await rewrapEnvelope(row.envelope, a.id, rotatedKeyring);
    expect(rewrapped.kekId).toBe("2");
    expect(await openWithDataKey(sealed, rewrapped, { tenantId: a.id, purpose: "audit-stream" }, rotatedKeyring)).toBe(a.secret);
  });

  it.each([
    ["plain http", "http://siem.contoso.com/audit", "https"],
    ["an IP address", "https://203.0.113.7/audit", "IP address"],
    ["localhost", "https://localhost/audit", "public host name"],
    ["a local name", "https://siem.localhost/audit", "local or reserved"],
    ["a single-label host", "https://siem/audit", "public host name"],
    ["the gateway's own domain", "https://other.mcp.example.com/audit", "this gateway"],
    ["a user name in the URL", "https://user:pass@siem.contoso.com/audit", "user name or password"],
    ["not a URL", "siem.contoso.com", "https URL"],
    ["too long", `https://siem.contoso.com/${"a".repeat(2048)}`, "2048"],
    ["a number", 42, "https URL"],
  ])("refuses %s, naming the url field", async (_why, url, words) => {
    const tenant = await createTenant();
    const response = await adminCall(tenant.tenant.slug, "/audit/stream", tenant.adminKey, { method: "PUT", json: { url } });
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.issues?.[0]?.field).toBe("url");
    expect(body.issues?.[0]?.message).toContain(words);
  });

  it("accepts the configured extra origins exactly as listed, and nothing else of that host", () => {
    const rules = { ownDomain: "mcp.example.com", allowedOrigins: ["http://127.0.0.1:8791"] };
    expect(streamUrlProblem("http://127.0.0.1:8791/inbox/a", rules)).toBeUndefined();
    expect(streamUrlProblem("http://127.0.0.1:8792/inbox/a", rules)).toBe("must be an https URL");
    expect(streamUrlProblem("https://127.0.0.1:8791/inbox/a", rules)).toContain("IP address");
    // In production the list is empty.
    expect(readConfig({ ...env, AUDIT_STREAM_ALLOWED_ORIGINS: "" }).AUDIT_STREAM_ALLOWED_ORIGINS).toEqual([]);
    expect(() => readConfig({ ...env, AUDIT_STREAM_ALLOWED_ORIGINS: "not-an-origin" })).toThrow("AUDIT_STREAM_ALLOWED_ORIGINS");
  });

  it("accepts a public https endpoint on its own port", async () => {
    const tenant = await createTenant();
    const url = "https://siem.contoso.com:8088/services/audit";
    const response = await adminCall(tenant.tenant.slug, "/audit/stream", tenant.adminKey, { method: "PUT", json: { url } });
    expect(response.status).toBe(200);
    expect((await json<{ url: string }>(response)).url).toBe(url);
  });

  it("needs this organization's admin key: another organization's key is refused", async () => {
    const a = await streamingTenant();
    const b = await createTenant();
    for (const [method, path] of [
      ["GET", "/audit/stream"],
      ["POST", "/audit/stream/secret"],
      ["DELETE", "/audit/stream"],
      ["POST", "/audit/stream/test"],
    ] as const) {
      expect((await adminCall(a.slug, path, b.adminKey, { method })).status).toBe(401);
    }
    expect((await adminCall(a.slug, "/audit/stream", b.adminKey, { method: "PUT", json: { url: inboxUrl("x") } })).status).toBe(401);
    expect((await json<{ url: string }>(await adminCall(a.slug, "/audit/stream", a.adminKey))).url).toBe(inboxUrl(a.inbox));
  });

  it("sends a signed test batch now and says how the endpoint answered", async () => {
    const tenant = await streamingTenant();
    const ok = await json<{ delivered: boolean; status: number }>(
      await adminCall(tenant.slug, "/audit/stream/test", tenant.adminKey, { method: "POST" }),
    );
    expect(ok).toMatchObject({ delivered: true, status: 200 });
    const [attempt] = (await inbox(tenant.inbox)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect(await verifyAuditBatch({ secret: tenant.secret, ...attempt })).toEqual({ ok: true });
    const event = AuditEventSchema.parse(JSON.parse(attempt.body));
    expect(event).toMatchObject({ tenantId: tenant.id, kind: "admin_action", detail: { action: "audit_stream.test" } });

    await failNext(tenant.inbox, 1, 500);
    const failed = await adminCall(tenant.slug, "/audit/stream/test", tenant.adminKey, { method: "POST" });
    expect(await json(failed)).toMatchObject({ delivered: false, status: 500 });
  });

  it("rotates the secret: later batches verify with the new one only", async () => {
    const tenant = await streamingTenant();
    const rotated = await adminCall(tenant.slug, "/audit/stream/secret", tenant.adminKey, { method: "POST" });
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    const { secret } = await json<{ secret: string }>(rotated);
    expect(secret).not.toBe(tenant.secret);
    await adminCall(tenant.slug, "/audit/stream/test", tenant.adminKey, { method: "POST" });
    const [attempt] = (await inbox(tenant.inbox)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect((await verifyAuditBatch({ secret, ...attempt })).ok).toBe(true);
    expect((await verifyAuditBatch({ secret: tenant.secret, ...attempt })).ok).toBe(false);
  });

  it("stops streaming on DELETE: a later object is not sent", async () => {
    const tenant = await streamingTenant();
    const deleted = await adminCall(tenant.slug, "/audit/stream", tenant.adminKey, { method: "DELETE" });
    expect(await json(deleted)).toEqual({ url: null, removed: true });
    const { key } = await storeObject(tenant.id, 2);
    const result = await runConsumer(AUDIT_STREAM_QUEUE_NAME, [message(tenant.id, key)]);
    expect(result.acked).toHaveLength(1);
    expect((await inbox(tenant.inbox)).attempts).toEqual([]);
    const test = await adminCall(tenant.slug, "/audit/stream/test", tenant.adminKey, { method: "POST" });
    expect(test.status).toBe(404);
    expect((await errorOf(test)).error).toBe("stream_not_configured");
  });
});

describe("delivery", () => {
  it("a collector that fails twice then recovers gets every event exactly once, each batch signed", async () => {
    const tenant = await streamingTenant();
    const objects = [await storeObject(tenant.id, 2), await storeObject(tenant.id, 3), await storeObject(tenant.id, 1)];
    await failNext(tenant.inbox, 2);
    const messages = objects.map((object) => message(tenant.id, object.key));
    const delays = await deliverAll(messages);
    expect(delays).toEqual([retryDelaySeconds(1), retryDelaySeconds(1)]);
    // The 2xx of the first batch was lost on the way back: the queue delivers it again, with the same batch id.
    const [first] = messages;
    if (!first) throw new Error("no message");
    await deliverAll([{ ...first, attempts: 2 }]);

    const received = await inbox(tenant.inbox);
    expect(received.attempts).toHaveLength(3 + 2 + 1);
    expect(received.duplicates).toBe(1);
    const expected = objects.flatMap((object) => object.events.map((event) => event.id)).sort();
    expect(eventIdsOf(Object.values(received.batches)).sort()).toEqual(expected);
    for (const attempt of received.attempts) {
      expect(attempt.contentType).toBe("application/x-ndjson");
      expect(await verifyAuditBatch({ secret: tenant.secret, ...attempt })).toEqual({ ok: true });
      expect(Number(attempt.eventCount)).toBe(attempt.body.trim().split("\n").length);
      for (const line of attempt.body.trim().split("\n")) expect(AuditEventSchema.safeParse(JSON.parse(line)).success).toBe(true);
    }
  });

  it("the docs' verification refuses a wrong secret, a stale timestamp and a changed body", async () => {
    const tenant = await streamingTenant();
    const { key } = await storeObject(tenant.id, 2);
    await deliverAll([message(tenant.id, key)]);
    const [attempt] = (await inbox(tenant.inbox)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    const signedAt = Number(attempt.timestamp);
    expect(await verifyAuditBatch({ secret: tenant.secret, ...attempt, now: signedAt + 299 })).toEqual({ ok: true });
    expect((await verifyAuditBatch({ secret: `${tenant.secret}x`, ...attempt })).ok).toBe(false);
    expect(await verifyAuditBatch({ secret: tenant.secret, ...attempt, now: signedAt + 301 })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("5-minute"),
    });
    expect(
      (await verifyAuditBatch({ secret: tenant.secret, ...attempt, body: attempt.body.replace("list_messages", "send_mail") })).ok,
    ).toBe(false);
    expect((await verifyAuditBatch({ secret: tenant.secret, ...attempt, signature: null })).ok).toBe(false);
  });

  it("backs off exponentially, capped at an hour", () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 3600, 3600]);
  });

  it("goes through the real local queue: a message sent to AUDIT_STREAM_QUEUE reaches the collector", async () => {
    const tenant = await streamingTenant();
    const { key, events } = await storeObject(tenant.id, 2);
    await env.AUDIT_STREAM_QUEUE.send({ tenantId: tenant.id, key });
    await vi.waitFor(async () => expect(Object.keys((await inbox(tenant.inbox)).batches)).toHaveLength(1), {
      timeout: 25_000,
      interval: 250,
    });
    expect(eventIdsOf(Object.values((await inbox(tenant.inbox)).batches)).sort()).toEqual(events.map((event) => event.id).sort());
  }, 30_000);

  it("after every retry fails, the dead-letter consumer alerts the org and records since when; a later success clears it", async () => {
    const tenant = await streamingTenant();
    const { key } = await storeObject(tenant.id, 1);
    const result = await runConsumer(AUDIT_STREAM_DLQ_NAME, [{ ...message(tenant.id, key), attempts: 9 }]);
    expect(result.acked).toHaveLength(1);
    const alerts = await json<{ alerts: { kind: string }[] }>(await adminCall(tenant.slug, "/alerts", tenant.adminKey));
    expect(alerts.alerts.map((alert) => alert.kind)).toContain("audit_stream_failing");
    const failing = await json<{ failingSince: string | null }>(await adminCall(tenant.slug, "/audit/stream", tenant.adminKey));
    expect(failing.failingSince).not.toBeNull();

    await deliverAll([message(tenant.id, (await storeObject(tenant.id, 1)).key)]);
    const recovered = await json<{ failingSince: string | null }>(await adminCall(tenant.slug, "/audit/stream", tenant.adminKey));
    expect(recovered.failingSince).toBeNull();
  });
});

describe("cross-tenant", () => {
  it("a message naming another tenant's object is dropped: neither stream receives it", async () => {
    const a = await streamingTenant();
    const b = await streamingTenant();
    const { key: bKey } = await storeObject(b.id, 2);
    const smuggled = [
      message(a.id, bKey),
      message(a.id, `audit/v1/${a.id}/../${b.id}/${bKey.split("/").slice(3).join("/")}`),
      message(a.id, `audit/v1/${a.id}//${bKey}`),
    ];
    const result = await runConsumer(AUDIT_STREAM_QUEUE_NAME, smuggled);
    expect(result.acked).toHaveLength(3);
    expect((await inbox(a.inbox)).attempts).toEqual([]);
    expect((await inbox(b.inbox)).attempts).toEqual([]);
    // Nor does the dead-letter consumer alert one tenant about another's object.
    await runConsumer(AUDIT_STREAM_DLQ_NAME, [message(a.id, bKey)]);
    const alerts = await json<{ alerts: { kind: string }[] }>(await adminCall(a.slug, "/alerts", a.adminKey));
    expect(alerts.alerts.map((alert) => alert.kind)).not.toContain("audit_stream_failing");
  });

  it("an object under A's prefix holding B's events is not sent to A", async () => {
    const a = await streamingTenant();
    const b = await createTenant();
    const { key } = await storeObject(a.id, 2, b.tenant.id);
    const result = await runConsumer(AUDIT_STREAM_QUEUE_NAME, [message(a.id, key)]);
    expect(result.acked).toHaveLength(1);
    expect((await inbox(a.inbox)).attempts).toEqual([]);
  });

  it("each organization's stream carries only its own events", async () => {
    const a = await streamingTenant();
    const b = await streamingTenant();
    const aObject = await storeObject(a.id, 3);
    const bObject = await storeObject(b.id, 2);
    await deliverAll([message(a.id, aObject.key), message(b.id, bObject.key)]);
    const aIds = eventIdsOf(Object.values((await inbox(a.inbox)).batches));
    const bIds = eventIdsOf(Object.values((await inbox(b.inbox)).batches));
    expect(aIds.sort()).toEqual(aObject.events.map((event) => event.id).sort());
    expect(bIds.sort()).toEqual(bObject.events.map((event) => event.id).sort());
    for (const body of Object.values((await inbox(a.inbox)).batches)) expect(body).not.toContain(b.id);
  });
});

describe("the console's Streaming page", () => {
  it("sets the endpoint (the secret shown once), sends a signed test batch, and stops", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const page = await admin.fetch(tenantUrl(tenant.slug, "/admin/streaming"));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<a href="\/admin\/streaming"\s+aria-current="page"/);

    const refused = await submitConsoleForm(admin, tenant.slug, "/admin/streaming", "/admin/streaming", {
      url: "http://siem.contoso.com/in",
    });
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('aria-describedby="stream-url-error"');
    expect(refusedHtml).toContain("must be an https URL");

    const name = crypto.randomUUID();
    const saved = await submitConsoleForm(admin, tenant.slug, "/admin/streaming", "/admin/streaming", { url: inboxUrl(name) });
    expect(saved.status).toBe(200);
    expect(saved.headers.get("cache-control")).toBe("no-store");
    const secret = /<code id="stream-secret">([^<]+)<\/code>/.exec(await saved.text())?.[1];
    if (!secret) throw new Error("no secret on the page");
    const again = await (await admin.fetch(tenantUrl(tenant.slug, "/admin/streaming"))).text();
    expect(again).toContain(inboxUrl(name));
    expect(again).not.toContain(secret);

    const tested = await submitConsoleForm(admin, tenant.slug, "/admin/streaming", "/admin/streaming/test");
    expect(await tested.text()).toContain("The endpoint accepted the test batch");
    const [attempt] = (await inbox(name)).attempts;
    if (!attempt) throw new Error("nothing arrived");
    expect(await verifyAuditBatch({ secret, ...attempt })).toEqual({ ok: true });
    expect(JSON.parse(attempt.body)).toMatchObject({ actor: { type: "console_admin", upn: tenant.admin.userPrincipalName } });

    const stopped = await submitConsoleForm(admin, tenant.slug, "/admin/streaming", "/admin/streaming/delete");
    expect(stopped.status).toBe(303);
    expect(stopped.headers.get("location")).toBe("/admin/streaming?done=stream-removed");
    expect((await tenantRegistry(env.DB).findById(tenant.tenant.id))?.audit.stream).toBeNull();
  });

  it("refuses a form without its CSRF token", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const response = await postConsole(admin, tenant.slug, "/admin/streaming", { url: inboxUrl("no-csrf") });
    expect(response.status).toBe(403);
    expect((await tenantRegistry(env.DB).findById(tenant.tenant.id))?.audit.stream).toBeNull();
  });
});
