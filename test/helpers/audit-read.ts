import { env } from "cloudflare:workers";
import { AuditEventSchema, type AuditEvent } from "../../src/audit/event";

/**
 * The stored audit trail as the writer's contract lays it out, written
 * straight into the local R2 bucket: gzip NDJSON objects at
 * `audit/v1/<tenantId>/<YYYY-MM-DD>/<HH>/<firstSeq>-<lastSeq>.ndjson.gz`
 * (12-digit sequence numbers), one UTC hour per object, events ascending,
 * custom metadata `{ count, first, last }`; and the per-day usage rows.
 */

const HOUR_MS = 3_600_000;

/** The start of the UTC hour `hoursAgo` hours before the current one. */
export function hourStart(hoursAgo: number): Date {
  return new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - hoursAgo * HOUR_MS);
}

export const minutesAfter = (time: Date, minutes: number) => new Date(time.getTime() + minutes * 60_000);
export const dayOf = (time: Date) => time.toISOString().slice(0, 10);

export const userId = (n: number) =>
  `${"a".repeat(8)}-0000-4000-8000-${"0".repeat(12)}.${String(n).padStart(8, "0")}-0000-4000-8000-${"0".repeat(12)}`;

/** A tool call event, valid under the schema, with overrides. */
export function toolCall(
  tenantId: string,
  time: Date,
  over: { tool?: string; outcome?: "ok" | "error" | "throttled" | "denied"; user?: number; upn?: string; clientName?: string } = {},
): AuditEvent {
  return AuditEventSchema.parse({
    v: 1,
    id: crypto.randomUUID(),
    time: time.toISOString(),
    tenantId,
    kind: "tool_call",
    actor: { type: "user", userId: userId(over.user ?? 1), upn: over.upn ?? `user${over.user ?? 1}@contoso.example` },
    client: { id: "https://client.example/meta.json", name: over.clientName ?? "Test Client" },
    source: { ip: "203.0.113.7", userAgent: "test-agent/1.0" },
    detail: {
      tool: over.tool ?? "list_messages",
      outcome: over.outcome ?? "ok",
      graphStatus: 200,
      latencyMs: 42,
      targets: ["AAMkAD1", "AAMkAD2"],
      recipients: over.tool === "send_mail" ? ["pat@fabrikam.example"] : undefined,
    },
  });
}

/** An admin action event (changing a setting), valid under the schema. */
export function adminAction(tenantId: string, time: Date, action: string): AuditEvent {
  return AuditEventSchema.parse({
    v: 1,
    id: crypto.randomUUID(),
    time: time.toISOString(),
    tenantId,
    kind: "admin_action",
    actor: { type: "admin_key" },
    detail: { action, outcome: "ok", before: { readOnly: false }, after: { readOnly: true } },
  });
}

const sequences = new Map<string, number>();

async function gzip(text: string): Promise<ArrayBuffer> {
  return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
}

/** Stores events as one object (all must be in one UTC hour of one tenant's trail); returns its key. */
export async function storeObject(tenantId: string, events: readonly AuditEvent[], lines?: string[]): Promise<string> {
  const sorted = [...events].sort((a, b) => a.time.localeCompare(b.time));
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) throw new Error("an object holds at least one event");
  const hour = first.time.slice(0, 13);
  if (last.time.slice(0, 13) !== hour) throw new Error("an object holds one UTC hour");
  const firstSeq = sequences.get(tenantId) ?? 1;
  const lastSeq = firstSeq + sorted.length - 1;
  sequences.set(tenantId, lastSeq + 1);
  const pad = (n: number) => String(n).padStart(12, "0");
  const key = `audit/v1/${tenantId}/${hour.slice(0, 10)}/${hour.slice(11, 13)}/${pad(firstSeq)}-${pad(lastSeq)}.ndjson.gz`;
  const body = (lines ?? sorted.map((event) => JSON.stringify(event))).join("\n") + "\n";
  await env.AUDIT_BUCKET.put(key, await gzip(body), {
    customMetadata: { count: String(sorted.length), first: first.time, last: last.time },
  });
  return key;
}

/** Stores events as the writer would: grouped by UTC hour, `perObject` events per object. */
export async function storeTrail(tenantId: string, events: readonly AuditEvent[], perObject = 2): Promise<void> {
  const byHour = new Map<string, AuditEvent[]>();
  for (const event of [...events].sort((a, b) => a.time.localeCompare(b.time))) {
    const hour = event.time.slice(0, 13);
    byHour.set(hour, [...(byHour.get(hour) ?? []), event]);
  }
  for (const hourEvents of byHour.values()) {
    for (let i = 0; i < hourEvents.length; i += perObject) await storeObject(tenantId, hourEvents.slice(i, i + perObject));
  }
}

/** Writes a usage row per (day, tool) and per (day, user), as absolute totals. */
export async function storeUsage(
  tenantId: string,
  rows: { day: string; tool: string; calls: number; errors?: number; throttled?: number; latencyMsTotal?: number }[],
  users: { day: string; user: number; calls: number; errors?: number }[],
): Promise<void> {
  const statements = [
    ...rows.map((row) =>
      env.DB.prepare(
        "INSERT INTO usage_daily (tenant_id, day, tool, calls, errors, throttled, latency_ms_total) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET calls = excluded.calls, errors = excluded.errors, throttled = excluded.throttled, latency_ms_total = excluded.latency_ms_total",
      ).bind(tenantId, row.day, row.tool, row.calls, row.errors ?? 0, row.throttled ?? 0, row.latencyMsTotal ?? row.calls * 100),
    ),
    ...users.map((row) =>
      env.DB.prepare(
        "INSERT INTO usage_daily_users (tenant_id, day, user_id, calls, errors) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET calls = excluded.calls, errors = excluded.errors",
      ).bind(tenantId, row.day, userId(row.user), row.calls, row.errors ?? 0),
    ),
  ];
  if (statements.length > 0) await env.DB.batch(statements);
}
