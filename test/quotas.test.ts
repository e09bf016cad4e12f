import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { toolCallQuota } from "../src/agent/quota";
import { tenantRegistry } from "../src/tenancy/registry";
import { json } from "./helpers/gateway";
import { colleagueOf, connectedUser, type ToolCallResult } from "./helpers/mcp";
import { errorOf, operatorCall } from "./helpers/tenants";

/**
 * The operator's quotas on tool calls: set on the apex, enforced on every
 * tools/call of the organization with a tool error that says which limit
 * and when calls resume.
 */

interface Quotas {
  userPerMinute: number | null;
  tenantPerDay: number | null;
}

async function setQuotas(tenantId: string, quotas: Partial<Quotas>): Promise<Quotas> {
  const response = await operatorCall(`/tenants/${tenantId}/quotas`, { method: "PUT", json: quotas });
  expect(response.status).toBe(200);
  return (await json<{ quotas: Quotas }>(response)).quotas;
}

/** The resume time a refusal states, checked against its own seconds. */
function resumeOf(result: ToolCallResult): Date {
  expect(result.isError).toBe(true);
  const match = /Calls resume at (\S+Z) \(in (\d+) s\)/.exec(result.text);
  if (!match?.[1] || !match[2]) throw new Error(`no resume time in: ${result.text}`);
  const resume = new Date(match[1]);
  expect(Number(match[2])).toBeGreaterThan(0);
  return resume;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Runs `attempt` until it ran inside one window of `size` ms (a fixed-window
 * quota starts afresh at the boundary, so a run that straddled one proves
 * nothing and is run again).
 */
async function withinOneWindow(size: number, attempt: () => Promise<void>): Promise<void> {
  for (let tries = 0; tries < 3; tries++) {
    const start = Math.floor(Date.now() / size);
    try {
      await attempt();
      return;
    } catch (error) {
      if (Math.floor(Date.now() / size) === start) throw error;
    }
  }
  throw new Error("every attempt straddled a window boundary");
}

describe("operator quota API", () => {
  it("sets, keeps and lifts limits; a field left out keeps its value", async () => {
    const { tenant } = await connectedUser();
    expect(await setQuotas(tenant.tenant.id, { userPerMinute: 5 })).toEqual({ userPerMinute: 5, tenantPerDay: null });
    expect(await setQuotas(tenant.tenant.id, { tenantPerDay: 1000 })).toEqual({ userPerMinute: 5, tenantPerDay: 1000 });
    expect(await setQuotas(tenant.tenant.id, { userPerMinute: null })).toEqual({ userPerMinute: null, tenantPerDay: 1000 });
    const read = await json<{ quotas: Quotas }>(await operatorCall(`/tenants/${tenant.tenant.id}/quotas`));
    expect(read.quotas).toEqual({ userPerMinute: null, tenantPerDay: 1000 });
  });

  it.each([
    ["zero", { userPerMinute: 0 }, "userPerMinute"],
    ["a fraction", { tenantPerDay: 2.5 }, "tenantPerDay"],
    ["text", { userPerMinute: "5" }, "userPerMinute"],
    ["an unknown field", { perHour: 5 }, "(body)"],
  ])("refuses %s, naming the field", async (_why, body, field) => {
    const { tenant } = await connectedUser();
    const response = await operatorCall(`/tenants/${tenant.tenant.id}/quotas`, { method: "PUT", json: body });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues?.[0]?.field).toBe(field);
  });

  it("needs the operator token; an unknown tenant is not found", async () => {
    const { tenant } = await connectedUser();
    const wrongBearer = await operatorCall(`/tenants/${tenant.tenant.id}/quotas`, {
      method: "PUT",
      json: { userPerMinute: 1 },
      bearer: tenant.adminKey,
    });
    expect(wrongBearer.status).toBe(401);
    const unknown = await operatorCall(`/tenants/${crypto.randomUUID()}/quotas`, { method: "PUT", json: { userPerMinute: 1 } });
    expect(unknown.status).toBe(404);
    expect((await tenantRegistry(env.DB).findById(tenant.tenant.id))?.quotas).toEqual({ userPerMinute: null, tenantPerDay: null });
  });
});

describe("quota enforcement on tools/call", () => {
  it("per user per minute: the (N+1)th call is refused until the next minute; a colleague and another org are unaffected", async () => {
    const dana = await connectedUser();
    const sam = await colleagueOf(dana);
    const other = await connectedUser();
    await setQuotas(dana.tenant.tenant.id, { userPerMinute: 2 });
    await setQuotas(other.tenant.tenant.id, { userPerMinute: 2 });
    await withinOneWindow(MINUTE, async () => {
      const calls = [];
      for (let i = 0; i < 3; i++) calls.push(await dana.callTool("list_messages", { limit: 1 }));
      const refused = calls.filter((result) => result.text.startsWith("Quota reached"));
      expect(refused).toHaveLength(1);
      expect(calls[2]?.text).toContain("2 tool calls per user per minute");
      const resume = resumeOf(calls[2] as ToolCallResult);
      expect(resume.getTime() % MINUTE).toBe(0);
      expect(resume.getTime()).toBeGreaterThan(Date.now());
      expect(resume.getTime() - Date.now()).toBeLessThanOrEqual(MINUTE);
      expect((await sam.callTool("list_messages", { limit: 1 })).isError).toBe(false);
      expect((await other.callTool("list_messages", { limit: 1 })).isError).toBe(false);
    });
  });

  it("per organization per day: shared by its users, refused until midnight UTC; another org is unaffected", async () => {
    const dana = await connectedUser();
    const sam = await colleagueOf(dana);
    const other = await connectedUser();
    await setQuotas(dana.tenant.tenant.id, { tenantPerDay: 2 });
    await withinOneWindow(DAY, async () => {
      expect((await dana.callTool("list_messages", { limit: 1 })).isError).toBe(false);
      expect((await sam.callTool("list_messages", { limit: 1 })).isError).toBe(false);
      const refused = await dana.callTool("list_messages", { limit: 1 });
      expect(refused.text).toContain("2 tool calls per day (UTC)");
      expect(resumeOf(refused).getTime() % DAY).toBe(0);
      expect((await sam.callTool("list_messages", { limit: 1 })).text).toContain("Quota reached");
      expect((await other.callTool("list_messages", { limit: 1 })).isError).toBe(false);
    });
  });

  it("a lifted quota no longer refuses", async () => {
    const dana = await connectedUser();
    await setQuotas(dana.tenant.tenant.id, { tenantPerDay: 1 });
    await dana.callTool("list_messages", { limit: 1 });
    expect((await dana.callTool("list_messages", { limit: 1 })).text).toContain("Quota reached");
    await setQuotas(dana.tenant.tenant.id, { tenantPerDay: null });
    expect((await dana.callTool("list_messages", { limit: 1 })).isError).toBe(false);
  });

  it("invalid arguments are answered without counting", async () => {
    const dana = await connectedUser();
    await setQuotas(dana.tenant.tenant.id, { tenantPerDay: 1 });
    await withinOneWindow(DAY, async () => {
      expect((await dana.callTool("list_messages", { limit: "many" })).text).toContain("Invalid arguments");
      expect((await dana.callTool("list_messages", { limit: 1 })).isError).toBe(false);
    });
  });

  it("without a quota nothing is counted: no check is built, and the organization's counter is never reached", async () => {
    const dana = await connectedUser();
    const tenant = await tenantRegistry(env.DB).findById(dana.tenant.tenant.id);
    if (!tenant) throw new Error("no tenant");
    expect(toolCallQuota(tenant, { tid: dana.entra.tenantId, oid: dana.entra.oid }, env)).toBeUndefined();
    await setQuotas(dana.tenant.tenant.id, { userPerMinute: 100 });
    expect((await dana.callTool("list_messages", { limit: 1 })).isError).toBe(false);
    // Only the per-user quota is set: the per-organization counter holds nothing.
    const counter = env.TENANT_QUOTA.getByName(dana.tenant.tenant.id);
    expect(await runInDurableObject(counter, (_instance, state) => state.storage.kv.get("tool-calls-day"))).toBeUndefined();
  });

  it("the organization's counter answers only for its own tenant id", async () => {
    const a = await connectedUser();
    const counter = env.TENANT_QUOTA.getByName(a.tenant.tenant.id);
    expect((await counter.countToolCall(crypto.randomUUID(), 100)).ok).toBe(false);
    expect((await counter.countToolCall(a.tenant.tenant.id, 100)).ok).toBe(true);
  });

  it("the organization's counter keeps nothing once its day is over", async () => {
    const a = await connectedUser();
    const counter = env.TENANT_QUOTA.getByName(a.tenant.tenant.id);
    await counter.countToolCall(a.tenant.tenant.id, 100);
    const alarm = await runInDurableObject(counter, (_instance, state) => state.storage.getAlarm());
    expect(alarm === null ? null : alarm % DAY).toBe(0);
    expect(await runDurableObjectAlarm(counter)).toBe(true);
    expect(await runInDurableObject(counter, (_instance, state) => [...state.storage.kv.list()])).toEqual([]);
  });
});
