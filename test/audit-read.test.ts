import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AuditEventSchema, type AuditEvent } from "../src/audit/event";
import { adminBrowser, consoleTenant, postConsole, submitConsoleForm } from "./helpers/console";
import { createTenant, json, tenantUrl } from "./helpers/gateway";
import { adminCall, errorOf, operatorCall } from "./helpers/tenants";
import { adminAction, dayOf, hourStart, minutesAfter, storeObject, storeTrail, storeUsage, toolCall, userId } from "./helpers/audit-read";

/** Reading the stored audit trail: the admin API's pages, filters and exports, usage, and the operator's usage. */
type Created = Awaited<ReturnType<typeof createTenant>>;

interface TrailPage {
  events: AuditEvent[];
  nextCursor: string | null;
}

function auditQuery(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, value);
  return `/audit?${query}`;
}

const iso = (time: Date) => time.toISOString();

/** Every page of a listing, following nextCursor; the ids in the order served. */
async function allPages(tenant: Created, params: Record<string, string>): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const response = await adminCall(tenant.tenant.slug, auditQuery({ ...params, cursor }), tenant.adminKey);
    expect(response.status).toBe(200);
    const page = await json<TrailPage>(response);
    ids.push(...page.events.map((event) => event.id));
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 50);
  return { ids, pages };
}

/** A tenant with a trail spread over hours of three UTC days, two events per stored object. */
async function tenantWithTrail(orgName: string) {
  const tenant = await createTenant({ orgName });
  const id = tenant.tenant.id;
  const events = [
    toolCall(id, minutesAfter(hourStart(50), 5), { tool: "list_messages", user: 1 }),
    toolCall(id, minutesAfter(hourStart(50), 9), { tool: "send_mail", user: 2, outcome: "error" }),
    toolCall(id, minutesAfter(hourStart(50), 20), { tool: "send_mail", user: 1 }),
    toolCall(id, minutesAfter(hourStart(30), 1), { tool: "list_events", user: 2, outcome: "throttled" }),
    adminAction(id, minutesAfter(hourStart(30), 2), "policy.update"),
    toolCall(id, minutesAfter(hourStart(3), 30), { tool: "list_messages", user: 1 }),
    toolCall(id, minutesAfter(hourStart(2), 0), { tool: "list_messages", user: 3 }),
    toolCall(id, minutesAfter(hourStart(2), 59), { tool: "send_mail", user: 1 }),
  ];
  await storeTrail(id, events);
  const newestFirst = [...events].sort((a, b) => b.time.localeCompare(a.time)).map((event) => event.id);
  return { ...tenant, events, newestFirst, range: { from: iso(hourStart(60)), to: iso(hourStart(-1)) } };
}

describe("GET /api/admin/audit", () => {
  it("pages newest first across hours and days, each event once, with a cursor", async () => {
    const tenant = await tenantWithTrail("Audit Paging Org");
    const { ids, pages } = await allPages(tenant, { ...tenant.range, limit: "3" });
    expect(ids).toEqual(tenant.newestFirst);
    expect(pages).toBeGreaterThanOrEqual(3);
    const one = await json<TrailPage>(await adminCall(tenant.tenant.slug, auditQuery({ ...tenant.range, limit: "500" }), tenant.adminKey));
    expect(one.events.map((event) => event.id)).toEqual(tenant.newestFirst);
    for (const event of one.events) expect(AuditEventSchema.safeParse(event).success).toBe(true);
  });

  it("reads only the hours inside from..to, to excluded", async () => {
    const tenant = await tenantWithTrail("Audit Range Org");
    const page = await json<TrailPage>(
      await adminCall(tenant.tenant.slug, auditQuery({ from: iso(hourStart(31)), to: iso(hourStart(2)) }), tenant.adminKey),
    );
    const expected = tenant.events.filter((e) => e.time >= iso(hourStart(31)) && e.time < iso(hourStart(2)));
    expect(page.events.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(expected).toHaveLength(3);
  });

  it("filters by user (id or sign-in name), tool, outcome and kind", async () => {
    const tenant = await tenantWithTrail("Audit Filter Org");
    const ids = async (params: Record<string, string>) =>
      (await json<TrailPage>(await adminCall(tenant.tenant.slug, auditQuery({ ...tenant.range, ...params }), tenant.adminKey))).events.map(
        (e) => e.id,
      );
    const where = (keep: (event: AuditEvent) => boolean) =>
      tenant.newestFirst.filter((id) => keep(tenant.events.find((e) => e.id === id)!));
    expect(await ids({ user: userId(2) })).toEqual(where((e) => e.actor.userId === userId(2)));
    expect(await ids({ user: "USER1@contoso.example" })).toEqual(where((e) => e.actor.userId === userId(1)));
    expect(await ids({ tool: "send_mail" })).toEqual(where((e) => e.kind === "tool_call" && e.detail.tool === "send_mail"));
    expect(await ids({ outcome: "throttled" })).toHaveLength(1);
    expect(await ids({ kind: "admin_action" })).toEqual(where((e) => e.kind === "admin_action"));
    expect(await ids({ tool: "send_mail", outcome: "error" })).toHaveLength(1);
  });

  it("refuses a bad range, limit or filter, naming the field", async () => {
    const tenant = await createTenant({ orgName: "Audit Validation Org" });
    const fieldOf = async (params: Record<string, string>) => {
      const response = await adminCall(tenant.tenant.slug, auditQuery(params), tenant.adminKey);
      expect(response.status).toBe(400);
      return (await errorOf(response)).issues?.map((issue) => issue.field);
    };
    expect(await fieldOf({ from: iso(hourStart(1)), to: iso(hourStart(2)) })).toEqual(["from"]);
    expect(await fieldOf({ from: iso(hourStart(24 * 400)), to: iso(hourStart(0)) })).toEqual(["to"]);
    expect(await fieldOf({ from: "yesterday" })).toEqual(["from"]);
    expect(await fieldOf({ limit: "0" })).toEqual(["limit"]);
    expect(await fieldOf({ limit: "501" })).toEqual(["limit"]);
    expect(await fieldOf({ kind: "everything" })).toEqual(["kind"]);
    expect(await fieldOf({ outcome: "maybe" })).toEqual(["outcome"]);
    expect(await fieldOf({ cursor: "not-a-cursor" })).toEqual(["cursor"]);
    const unauthenticated = await adminCall(tenant.tenant.slug, "/audit", undefined);
    expect(unauthenticated.status).toBe(401);
  });

  it("skips a stored line that is not a valid event of this tenant, and an object that cannot be read", async () => {
    const tenant = await createTenant({ orgName: "Audit Stray Org" });
    const good = toolCall(tenant.tenant.id, minutesAfter(hourStart(5), 1));
    const foreign = toolCall(crypto.randomUUID(), minutesAfter(hourStart(5), 2));
    await storeObject(tenant.tenant.id, [good, foreign], [JSON.stringify(good), JSON.stringify(foreign), "{not json", '{"v":1}']);
    const damagedKey = await storeObject(tenant.tenant.id, [toolCall(tenant.tenant.id, minutesAfter(hourStart(5), 3))]);
    await env.AUDIT_BUCKET.put(damagedKey, "not gzip at all");
    const page = await json<TrailPage>(
      await adminCall(tenant.tenant.slug, auditQuery({ from: iso(hourStart(6)), to: iso(hourStart(-1)) }), tenant.adminKey),
    );
    expect(page.events.map((e) => e.id)).toEqual([good.id]);
  });
});

describe("a page's bounded work", () => {
  it("stops after a capped number of objects with fewer events and a cursor, and the cursor goes on", async () => {
    const tenant = await createTenant({ orgName: "Audit Budget Org" });
    const id = tenant.tenant.id;
    const base = hourStart(4);
    const wanted = toolCall(id, minutesAfter(base, 1), { tool: "list_contacts" });
    await storeObject(id, [wanted]);
    for (let i = 0; i < 20; i++) await storeObject(id, [toolCall(id, minutesAfter(base, 2 + i))]);
    const params = { from: iso(hourStart(5)), to: iso(hourStart(-1)), tool: "list_contacts" };
    const first = await json<TrailPage>(await adminCall(tenant.tenant.slug, auditQuery(params), tenant.adminKey));
    expect(first.events).toEqual([]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const { ids } = await allPages(tenant, params);
    expect(ids).toEqual([wanted.id]);
  });
});

describe("GET /api/admin/audit/export", () => {
  it("streams NDJSON of the range, oldest first, as an attachment that is not stored", async () => {
    const tenant = await tenantWithTrail("Audit Export Org");
    const response = await adminCall(tenant.tenant.slug, `/audit/export?${new URLSearchParams(tenant.range)}`, tenant.adminKey);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="audit-[a-z0-9-]+-\d{4}-\d{2}-\d{2}T\d{4}-\d{4}-\d{2}-\d{2}T\d{4}\.ndjson"$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const lines = (await response.text()).trimEnd().split("\n");
    const events = lines.map((line) => AuditEventSchema.parse(JSON.parse(line)));
    expect(events.map((e) => e.id)).toEqual(tenant.newestFirst.toReversed());
  });

  it("writes CSV with a header row, quoted cells and formula-safe text", async () => {
    const tenant = await createTenant({ orgName: "Audit CSV Org" });
    const id = tenant.tenant.id;
    const risky = toolCall(id, minutesAfter(hourStart(3), 1), {
      clientName: '=HYPERLINK("http://evil.example","x")',
      upn: "+1@contoso.example",
    });
    const comma = toolCall(id, minutesAfter(hourStart(3), 2), { clientName: "Claude, desktop", tool: "send_mail" });
    const at = toolCall(id, minutesAfter(hourStart(3), 3), { clientName: "@SUM(1)", upn: "-2@contoso.example" });
    await storeTrail(id, [risky, comma, at], 3);
    const params = new URLSearchParams({ from: iso(hourStart(4)), to: iso(hourStart(-1)), format: "csv" });
    const response = await adminCall(tenant.tenant.slug, `/audit/export?${params}`, tenant.adminKey);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    const rows = (await response.text()).split("\r\n");
    const header = rows[0]?.split(",") ?? [];
    expect(header.slice(0, 4)).toEqual(["id", "time", "kind", "tenant_id"]);
    expect(header).toContain("recipients");
    expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(rows[1]).toContain(",'+1@contoso.example,");
    expect(rows[2]).toContain(',"Claude, desktop",');
    expect(rows[2]).toContain(",pat@fabrikam.example,");
    expect(rows[3]).toContain(",'@SUM(1),");
    expect(rows[3]).toContain(",'-2@contoso.example,");
    expect(rows.at(-1)).toBe("");
    for (const row of rows.slice(1, 4)) expect(row.startsWith(`${rowId(row)},`)).toBe(true);
  });

  it("refuses a range over 31 days or an unknown format, naming the field", async () => {
    const tenant = await createTenant({ orgName: "Audit Export Limits Org" });
    const tooLong = await adminCall(
      tenant.tenant.slug,
      `/audit/export?${new URLSearchParams({ from: iso(hourStart(24 * 32)), to: iso(hourStart(0)) })}`,
      tenant.adminKey,
    );
    expect(tooLong.status).toBe(400);
    const body = await errorOf(tooLong);
    expect(body.issues?.[0]).toMatchObject({ field: "to", message: expect.stringMatching(/at most 31 days/) });
    const format = await adminCall(tenant.tenant.slug, "/audit/export?format=xlsx", tenant.adminKey);
    expect((await errorOf(format)).issues?.[0]?.field).toBe("format");
  });
});

function rowId(row: string): string {
  return row.slice(0, 36);
}

describe("one tenant's trail and usage stay its own", () => {
  it("A's pages, exports and usage never hold B's events, even filtered by B's user; B's cursor is refused at A", async () => {
    const a = await tenantWithTrail("Audit Isolation A");
    const b = await createTenant({ orgName: "Audit Isolation B" });
    const bEvents = [
      toolCall(b.tenant.id, minutesAfter(hourStart(2), 10), { user: 9 }),
      toolCall(b.tenant.id, minutesAfter(hourStart(2), 11), { user: 9 }),
      toolCall(b.tenant.id, minutesAfter(hourStart(30), 5), { user: 9 }),
    ];
    await storeTrail(b.tenant.id, bEvents, 1);
    const bIds = bEvents.map((e) => e.id);

    const aPages = await allPages(a, { ...a.range, limit: "2" });
    expect(aPages.ids).toEqual(a.newestFirst);
    const byBUser = await json<TrailPage>(await adminCall(a.tenant.slug, auditQuery({ ...a.range, user: userId(9) }), a.adminKey));
    expect(byBUser.events).toEqual([]);
    for (const format of ["ndjson", "csv"]) {
      const text = await (
        await adminCall(a.tenant.slug, `/audit/export?${new URLSearchParams({ ...a.range, format })}`, a.adminKey)
      ).text();
      for (const id of bIds) expect(text).not.toContain(id);
      expect(text).not.toContain(b.tenant.id);
    }

    const bPage = await json<TrailPage>(await adminCall(b.tenant.slug, auditQuery({ ...a.range, limit: "1" }), b.adminKey));
    expect(bPage.nextCursor).toEqual(expect.any(String));
    const replayed = await adminCall(a.tenant.slug, auditQuery({ ...a.range, cursor: bPage.nextCursor ?? "" }), a.adminKey);
    expect(replayed.status).toBe(400);
    const refusal = await replayed.text();
    expect((JSON.parse(refusal) as { issues: { field: string }[] }).issues[0]?.field).toBe("cursor");
    expect(refusal).not.toContain(b.tenant.id);
  });

  it("a cursor edited to name another place is refused: its signature covers the tenant and the place", async () => {
    const a = await tenantWithTrail("Audit Forged Cursor Org");
    const page = await json<TrailPage>(await adminCall(a.tenant.slug, auditQuery({ ...a.range, limit: "1" }), a.adminKey));
    const [payload = "", mac = ""] = (page.nextCursor ?? "").split(".");
    const place = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { a: string; s: number };
    const forgedPayload = btoa(JSON.stringify({ ...place, a: `../${crypto.randomUUID()}/${place.a}` })).replace(/=+$/, "");
    for (const cursor of [`${forgedPayload}.${mac}`, `${payload}.${mac.slice(0, -2)}AA`, `${payload}`]) {
      const response = await adminCall(a.tenant.slug, auditQuery({ ...a.range, cursor }), a.adminKey);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues?.[0]?.field).toBe("cursor");
    }
  });

  it("usage is read from the tenant's own rows, per day, per tool and per user", async () => {
    const a = await createTenant({ orgName: "Usage A" });
    const b = await createTenant({ orgName: "Usage B" });
    const today = dayOf(hourStart(0));
    const yesterday = dayOf(hourStart(24));
    await storeUsage(
      a.tenant.id,
      [
        { day: yesterday, tool: "list_messages", calls: 10, errors: 1, latencyMsTotal: 1000 },
        { day: today, tool: "list_messages", calls: 4, throttled: 2 },
        { day: today, tool: "send_mail", calls: 3, errors: 1 },
      ],
      [
        { day: yesterday, user: 1, calls: 10, errors: 1 },
        { day: today, user: 1, calls: 5 },
        { day: today, user: 2, calls: 2, errors: 1 },
      ],
    );
    await storeUsage(b.tenant.id, [{ day: today, tool: "list_messages", calls: 1000 }], [{ day: today, user: 9, calls: 1000 }]);
    const usage = await json<{
      totals: { calls: number; errors: number; throttled: number };
      days: { day: string; calls: number; activeUsers: number; throttled: number; tools: { tool: string; calls: number }[] }[];
      tools: { tool: string; calls: number; averageLatencyMs: number | null }[];
      user: { userId: string; calls: number; days: { day: string; calls: number }[] } | null;
      users: { userId: string; upn: string | null; calls: number; errors: number }[];
    }>(await adminCall(a.tenant.slug, `/usage?from=${yesterday}&to=${today}&user=${userId(1)}`, a.adminKey));
    expect(usage.totals).toEqual({ calls: 17, errors: 2, throttled: 2 });
    expect(usage.days.map((d) => [d.day, d.calls, d.activeUsers, d.throttled])).toEqual([
      [yesterday, 10, 1, 0],
      [today, 7, 2, 2],
    ]);
    expect(usage.tools[0]).toEqual({ tool: "list_messages", calls: 14, errors: 1, throttled: 2, averageLatencyMs: 100 });
    expect(usage.users).toEqual([
      { userId: userId(1), upn: null, calls: 15, errors: 1 },
      { userId: userId(2), upn: null, calls: 2, errors: 1 },
    ]);
    expect(usage.user).toMatchObject({
      userId: userId(1),
      calls: 15,
      days: [
        { day: yesterday, calls: 10 },
        { day: today, calls: 5 },
      ],
    });

    const asB = await json<{ user: { calls: number } | null }>(
      await adminCall(a.tenant.slug, `/usage?from=${today}&to=${today}&user=${userId(9)}`, a.adminKey),
    );
    expect(asB.user?.calls).toBe(0);
    const bad = await adminCall(a.tenant.slug, `/usage?from=${today}&to=${yesterday}`, a.adminKey);
    expect((await errorOf(bad)).issues?.[0]?.field).toBe("from");
    expect((await errorOf(await adminCall(a.tenant.slug, "/usage?user=someone", a.adminKey))).issues?.[0]?.field).toBe("user");
  });
});

describe("PUT /api/admin/audit/retention", () => {
  it("sets the days the trail is kept, 1 to 365, and names the field otherwise; another org's setting stays", async () => {
    const tenant = await createTenant({ orgName: "Retention Org" });
    const other = await createTenant({ orgName: "Retention Other Org" });
    const set = await adminCall(tenant.tenant.slug, "/audit/retention", tenant.adminKey, { method: "PUT", json: { days: 30 } });
    expect(set.status).toBe(200);
    expect(await json(set)).toEqual({ retentionDays: 30 });
    const row = await env.DB.prepare("SELECT audit_retention_days AS days FROM tenants WHERE id = ?")
      .bind(tenant.tenant.id)
      .first<number>("days");
    expect(row).toBe(30);
    const otherRow = await env.DB.prepare("SELECT audit_retention_days AS days FROM tenants WHERE id = ?")
      .bind(other.tenant.id)
      .first<number>("days");
    expect(otherRow).toBe(90);
    for (const days of [0, 366, 1.5, "30"]) {
      const refused = await adminCall(tenant.tenant.slug, "/audit/retention", tenant.adminKey, { method: "PUT", json: { days } });
      expect(refused.status).toBe(400);
      expect((await errorOf(refused)).issues?.[0]?.field).toBe("days");
    }
  });
});

describe("GET /api/operator/usage", () => {
  it("sums each organization's usage over the days, with distinct active users, paged by tenant", async () => {
    const a = await createTenant({ orgName: "Billing A" });
    const b = await createTenant({ orgName: "Billing B" });
    const today = dayOf(hourStart(0));
    const yesterday = dayOf(hourStart(24));
    await storeUsage(
      a.tenant.id,
      [
        { day: yesterday, tool: "list_messages", calls: 5, errors: 1 },
        { day: today, tool: "send_mail", calls: 2, throttled: 1 },
      ],
      [
        { day: yesterday, user: 1, calls: 5 },
        { day: today, user: 1, calls: 1 },
        { day: today, user: 2, calls: 1 },
      ],
    );
    await storeUsage(b.tenant.id, [{ day: today, tool: "list_events", calls: 7 }], [{ day: today, user: 3, calls: 7 }]);
    const found = new Map<string, Record<string, unknown>>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = new URLSearchParams({ from: yesterday, to: today, limit: "1", ...(cursor ? { cursor } : {}) });
      const response = await operatorCall(`/usage?${query}`);
      expect(response.status).toBe(200);
      const page = await json<{ tenants: (Record<string, unknown> & { id: string })[]; nextCursor: string | null }>(response);
      expect(page.tenants.length).toBeLessThanOrEqual(1);
      for (const row of page.tenants) found.set(row.id, row);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10_000);
    expect(found.get(a.tenant.id)).toEqual({
      id: a.tenant.id,
      slug: a.tenant.slug,
      displayName: "Billing A",
      calls: 7,
      errors: 1,
      throttled: 1,
      activeUsers: 2,
    });
    expect(found.get(b.tenant.id)).toMatchObject({ calls: 7, errors: 0, throttled: 0, activeUsers: 1 });
    expect((await operatorCall("/usage", { bearer: a.adminKey })).status).toBe(401);
    expect((await errorOf(await operatorCall(`/usage?from=${today}&to=${yesterday}`))).issues?.[0]?.field).toBe("from");
  });
});

describe("the console's Audit and Usage pages", () => {
  it("shows the filtered trail newest first with Older paging, export links, and a CSRF-checked retention form", async () => {
    const tenant = await consoleTenant();
    const id = tenant.tenant.id;
    const events = Array.from({ length: 55 }, (_, i) =>
      toolCall(id, minutesAfter(hourStart(3), i), { tool: "send_mail", clientName: `<b>Client ${i}</b>` }),
    );
    await storeTrail(id, events, 10);
    await storeUsage(id, [{ day: dayOf(hourStart(3)), tool: "send_mail", calls: 55 }], []);
    const other = await createTenant({ orgName: "Console Audit Other Org" });
    await storeUsage(other.tenant.id, [{ day: dayOf(hourStart(3)), tool: "list_chat_messages", calls: 1 }], []);
    const browser = await adminBrowser(tenant);
    const local = (time: Date) => time.toISOString().slice(0, 16);
    const query = new URLSearchParams({ from: local(hourStart(4)), to: local(hourStart(-1)), tool: "send_mail" });
    const response = await browser.fetch(tenantUrl(tenant.slug, `/admin/audit?${query}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain("<h1>Audit</h1>");
    expect(html).toMatch(/<a href="\/admin\/audit" aria-current="page">Audit<\/a>/);
    expect(html).toContain('<option value="send_mail" selected>');
    expect(html).not.toContain("list_chat_messages");
    expect(html).toContain("&lt;b&gt;Client 54&lt;/b&gt;");
    expect(html).not.toContain("<b>Client");
    expect(html.indexOf("Client 54")).toBeLessThan(html.indexOf("Client 53"));
    expect(html).not.toContain("Client 4&lt;");
    const older = /<a href="([^"]+)" rel="next">Older events<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, "&");
    expect(older).toBeDefined();
    const second = await (await browser.fetch(tenantUrl(tenant.slug, older ?? ""))).text();
    expect(second).toContain("Client 4&lt;");
    expect(second).not.toContain("Client 54");

    const csv = /<a href="([^"]+format=csv[^"]*)" download>Export CSV<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, "&");
    const download = await browser.fetch(tenantUrl(tenant.slug, csv ?? ""));
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    expect((await download.text()).split("\r\n").filter((row) => row.includes("send_mail"))).toHaveLength(55);

    const retentionForm = /<form method="post" action="\/admin\/audit\/retention"[\s\S]*?<\/form>/.exec(html)?.[0] ?? "";
    expect(retentionForm).toMatch(/<input type="hidden" name="csrf" value="[^"]+"/);
    expect(retentionForm).toMatch(/<label for="audit-retention"/);
    const withoutCsrf = await postConsole(browser, tenant.slug, "/admin/audit/retention", { days: "30" });
    expect(withoutCsrf.status).toBe(403);
    const saved = await submitConsoleForm(browser, tenant.slug, "/admin/audit", "/admin/audit/retention", { days: "30" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/admin/audit?done=retention-saved");
    const after = await (await browser.fetch(tenantUrl(tenant.slug, "/admin/audit?done=retention-saved"))).text();
    expect(after).toContain("Retention saved.");
    expect(after).toMatch(/id="audit-retention"[^>]*value="30"/);
    const refused = await submitConsoleForm(browser, tenant.slug, "/admin/audit", "/admin/audit/retention", { days: "400" });
    expect(refused.status).toBe(400);
    const refusal = await refused.text();
    expect(refusal).toMatch(/id="audit-retention"[^>]*aria-invalid="true" aria-describedby="audit-retention-error"/);
    expect(refusal).toContain('id="audit-retention-error"');
  });

  it("marks a bad filter at its field, and shows usage per day, per tool and per user", async () => {
    const tenant = await consoleTenant();
    const browser = await adminBrowser(tenant);
    const bad = await browser.fetch(tenantUrl(tenant.slug, "/admin/audit?from=2-2&outcome=maybe"));
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/id="audit-from"[^>]*aria-invalid="true"/);
    expect(badHtml).toContain('id="audit-outcome-error"');

    const today = dayOf(hourStart(0));
    await storeUsage(
      tenant.tenant.id,
      [{ day: today, tool: "list_events", calls: 12, errors: 2, throttled: 1 }],
      [{ day: today, user: 4, calls: 12 }],
    );
    const usage = await browser.fetch(tenantUrl(tenant.slug, `/admin/usage?from=${today}&to=${today}&user=${userId(4)}`));
    expect(usage.status).toBe(200);
    const html = await usage.text();
    expect(html).toContain("<h1>Usage</h1>");
    expect(html).toMatch(/<td data-label="Tool"\s*>list_events<\/td>/);
    expect(html).toMatch(/<td data-label="Active users" class="num">1<\/td>/);
    expect(html).toContain(`User ${userId(4)}`);
    expect(html).toContain(`<a href="/admin/usage?from=${today}&amp;to=${today}&amp;user=${encodeURIComponent(userId(4))}"`);
    const badUsage = await browser.fetch(tenantUrl(tenant.slug, "/admin/usage?user=nobody"));
    expect(badUsage.status).toBe(400);
    expect(await badUsage.text()).toMatch(/id="usage-user"[^>]*aria-invalid="true"/);
  });
});
