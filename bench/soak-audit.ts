import { gunzipSync } from "node:zlib";
import { AuditEventSchema, type AuditEvent } from "../src/audit/event";
import type { RunningGateway } from "./gateway";
import type { BenchTenant, BenchUser } from "./sign-in";

/**
 * The soak's audit read-back: after the last call, each soak organization's
 * audit log is flushed through its own `flush()`, every object of the stored
 * trail is read from R2 (gunzip, one event per line, each parsed with the
 * event schema), and the `tool_call` events are reconciled with every call
 * the client got an answer for. A call is identified by organization, user
 * (`<tid>.<oid>`), tool and a marker: each write carries a body of a length
 * unique to its user, which the trail keeps as `textLengths.body` (free text
 * itself is never stored); reads are matched by count. Events still on their
 * way (a batch waits up to 5 s, an injected retry 1 s more) are waited for:
 * the read-back repeats every few seconds until nothing is missing or
 * `SETTLE_SECONDS` have passed, and what is missing then counts as lost.
 */
const SETTLE_SECONDS = 120;
const RETRY_READ_MS = 3_000;
export interface AnsweredCall {
  tenant: BenchTenant;
  user: BenchUser;
  tool: string;
  /** The length of the call's `body` argument, when it has one. */
  mark?: number;
  /** False when the client got no JSON-RPC answer (the call may or may not have run). */
  answered: boolean;
}

export interface AuditVerification {
  answered: number;
  unanswered: number;
  stored: number;
  objects: number;
  lost: number;
  /** Events beyond one per answered call, and event ids stored more than once. */
  duplicated: number;
  /** tool_call events of the soak's users that match no call the soak made. */
  stray: number;
  /** Events under one organization's prefix that belong to another (by tenant id or by user). */
  foreign: number;
  /** Lines that are not a valid audit event. */
  invalid: number;
  /** From the start of the read-back to the read that counted. */
  settleSeconds: number;
  reads: number;
}

const userKey = (tenant: BenchTenant, user: BenchUser) => `${tenant.entraTenantId}.${user.oid}`.toLowerCase();
const callKey = (userId: string, tool: string, mark: number | undefined) => `${userId}|${tool}|${mark ?? "-"}`;

/** The stored events of one trail object, in order; lines that do not parse are counted. */
function eventsOf(body: Uint8Array): { events: AuditEvent[]; invalid: number } {
  const events: AuditEvent[] = [];
  let invalid = 0;
  for (const line of gunzipSync(body).toString("utf8").split("\n")) {
    if (line === "") continue;
    const parsed = AuditEventSchema.safeParse(JSON.parse(line));
    if (parsed.success) events.push(parsed.data);
    else invalid += 1;
  }
  return { events, invalid };
}

/** Reads the trail until nothing is missing or the settle time is over. */
export async function verifyAuditTrail(gateway: RunningGateway, tenants: BenchTenant[], calls: AnsweredCall[]): Promise<AuditVerification> {
  const started = Date.now();
  for (let reads = 1; ; reads += 1) {
    const result = await readTrail(gateway, tenants, calls);
    const settleSeconds = (Date.now() - started) / 1000;
    if (result.lost === 0 || settleSeconds >= SETTLE_SECONDS) return { ...result, settleSeconds, reads };
    await new Promise((resolve) => setTimeout(resolve, RETRY_READ_MS));
  }
}

/** Flushes each organization's log, reads its whole trail from R2 and reconciles it with the calls. */
async function readTrail(
  gateway: RunningGateway,
  tenants: BenchTenant[],
  calls: AnsweredCall[],
): Promise<Omit<AuditVerification, "settleSeconds" | "reads">> {
  const slugs = tenants.map((tenant) => tenant.slug);
  const rows = await (
    await gateway.database()
  )
    .prepare(`SELECT id, slug FROM tenants WHERE slug IN (${slugs.map(() => "?").join(", ")})`)
    .bind(...slugs)
    .all<{ id: string; slug: string }>();
  const idOf = new Map(rows.results.map((row) => [row.slug, row.id]));
  for (const tenant of tenants) {
    const tenantId = idOf.get(tenant.slug);
    if (!tenantId) throw new Error(`audit read-back: no tenant row for ${tenant.slug}`);
    await gateway.flushAuditLog(tenantId);
  }

  const expected = new Map<string, number>();
  const unknown = new Map<string, number>();
  for (const call of calls) {
    const key = callKey(userKey(call.tenant, call.user), call.tool, call.mark);
    const into = call.answered ? expected : unknown;
    into.set(key, (into.get(key) ?? 0) + 1);
  }
  const soakUsers = new Set(tenants.flatMap((tenant) => tenant.users.map((user) => userKey(tenant, user))));

  const stored = new Map<string, number>();
  const ids = new Set<string>();
  const result: Omit<AuditVerification, "settleSeconds" | "reads"> = {
    answered: [...expected.values()].reduce((sum, n) => sum + n, 0),
    unanswered: [...unknown.values()].reduce((sum, n) => sum + n, 0),
    stored: 0,
    objects: 0,
    lost: 0,
    duplicated: 0,
    stray: 0,
    foreign: 0,
    invalid: 0,
  };
  for (const tenant of tenants) {
    const tenantId = idOf.get(tenant.slug) ?? "";
    const own = new Set(tenant.users.map((user) => userKey(tenant, user)));
    for (const object of await gateway.auditObjects(`audit/v1/${tenantId}/`)) {
      result.objects += 1;
      const { events, invalid } = eventsOf(object.body);
      result.invalid += invalid;
      for (const event of events) {
        if (ids.has(event.id)) result.duplicated += 1;
        ids.add(event.id);
        const userId = event.actor.userId ?? "";
        if (event.tenantId !== tenantId || (userId !== "" && soakUsers.has(userId) && !own.has(userId))) result.foreign += 1;
        if (event.kind !== "tool_call") continue;
        result.stored += 1;
        const key = callKey(userId, event.detail.tool, event.detail.textLengths?.body);
        stored.set(key, (stored.get(key) ?? 0) + 1);
      }
    }
  }
  for (const key of new Set([...expected.keys(), ...unknown.keys(), ...stored.keys()])) {
    const want = expected.get(key) ?? 0;
    const maybe = unknown.get(key) ?? 0;
    const got = stored.get(key) ?? 0;
    if (got < want) result.lost += want - got;
    else if (got > want + maybe) {
      if (want + maybe === 0) result.stray += got;
      else result.duplicated += got - want - maybe;
    }
  }
  return result;
}
