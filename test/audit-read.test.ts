import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AuditEventSchema, type AuditEvent } from "../src/audit/event";
import { createTenant, json } from "./helpers/gateway";
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

  it("skips a stored line that is not a valid event of this tenant", async () => {
    const tenant = await createTenant({ orgName: "Audit Stray Org" });
    const good = toolCall(tenant.tenant.id, minutesAfter(hourStart(5), 1));
    const foreign = toolCall(crypto.randomUUID(), minutesAfter(hourStart(5), 2));
    await storeObject(tenant.tenant.id, [good, foreign], [JSON.stringify(good), JSON.stringify(foreign), "{not json", '{"v":1}']);
    const page = await json<TrailPage>(
      await adminCall(tenant.tenant.slug, auditQuery({ from: iso(hourStart(6)), to: iso(hourStart(-1)) }), tenant.adminKey),
    );
    expect(page.events.map((e) => e.id)).toEqual([good.id]);
  });
});
