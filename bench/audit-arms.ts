import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  cpuSeconds,
  workerdPids,
  prepareDatabase,
  startAuditConsumer,
  startGateway,
  type AuditBackend,
  type AuditForwarding,
  type RunningAuditConsumer,
  type RunningGateway,
} from "./gateway";
import type { LoopbackHttp } from "./http";
import { SignIn } from "./sign-in";
import type { BenchTls } from "./tls";

/**
 * Auditing's cost measured within one run: the same deploy bundle served by
 * four more gateways, identical but for what stands behind their
 * AUDIT_QUEUE binding, each with its own storage and its own organization
 * signed up and signed in the same way. The overhead part measures their
 * tools/call in alternating slices with the direct Graph request, so the
 * machine's drift between runs (±20 % and more here) cancels out of their
 * differences.
 */
export const AUDIT_ARMS = ["sink", "queue", "remote", "broker"] as const;
export type AuditArmName = (typeof AUDIT_ARMS)[number];

/** What each arm's tools/call pays for, for the report. */
export const AUDIT_ARM_LABELS: Record<AuditArmName, { label: string; includes: string }> = {
  sink: {
    label: "audit sink (no pipeline)",
    includes:
      "the gateway builds, checks and serializes the event and puts it in its outbox, whose batch goes, in `waitUntil`, to a Worker whose `sendBatch` does nothing: nothing is queued, consumed or stored",
  },
  queue: {
    label: "local queue, consumer in the same process",
    includes:
      "wrangler.toml's queue as `npm run dev` runs it: Miniflare's queue broker, the consumer invocation, the organization's audit log and its flushes to R2 and D1 all run in the gateway's own workerd process",
  },
  broker: {
    label: "queue and consumer in another process",
    includes:
      "every batch the outbox sends goes, in `waitUntil`, over a kept-alive connection to a second workerd process that puts it on the queue there and answers once the queue accepted it; the queue's broker, the consumer invocations, the organization's audit log and its R2 and D1 writes all run there, on the same two cores: the request's isolate keeps only what a production isolate does, a `sendBatch` per outbox window",
  },
  remote: {
    label: "queue in the gateway's process, consumer in another",
    includes:
      "wrangler.toml's queue, its broker in the gateway's workerd process, but its consumer invocations relayed, one HTTP post per batch, to a second workerd process where the gateway's own `queue()` handler, the organization's audit log and its R2 and D1 writes run, on the same two cores: as Cloudflare runs a consumer, outside the isolate that served the call, while the send and the broker stay on the gateway's side of this machine",
  },
};

export interface AuditArm {
  name: AuditArmName;
  mcpUrl: string;
  /** One MCP access token per signed-in user. */
  accessTokens: string[];
  /**
   * Flushes the arm's audit log, then the tool calls its stored trail counts
   * (the usage roll-up the log writes with each flush): the proof that the
   * arm's pipeline carried the calls it was timed on (0 for the sink).
   */
  storedCalls(): Promise<number>;
  /** CPU seconds used so far by the arm's gateway process and, for the arms with one, by its consumer process. */
  cpu(): { gateway: number; consumer: number };
  /** The broker arm only: what its AUDIT_QUEUE forwarder does with each send. */
  setForwarding?(mode: AuditForwarding): Promise<void>;
  /** The broker arm only: the `sendBatch` calls that reached its forwarder so far, and the events in them. */
  sends?(): Promise<{ calls: number; events: number }>;
}

export interface AuditArms {
  arms: AuditArm[];
  close(): Promise<void>;
}

/** Copies a tenant's row from one gateway's D1 to another's, so the consumer process's logs find their tenant as the gateway's do. */
async function copyTenant(from: RunningGateway, to: RunningAuditConsumer, slug: string): Promise<string> {
  const row = await (await from.database()).prepare("SELECT * FROM tenants WHERE slug = ?").bind(slug).first<Record<string, unknown>>();
  if (!row) throw new Error(`tenant ${slug} is not in the gateway's database`);
  const columns = Object.keys(row);
  await (
    await to.database()
  )
    .prepare(`INSERT INTO tenants (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
    .bind(...columns.map((column) => row[column] ?? null))
    .run();
  return String(row.id);
}

export async function startAuditArms(options: {
  dir: string;
  bundleDir: string;
  emulatorUrl: string;
  tls: BenchTls;
  http: LoopbackHttp;
  /** The organization's slug per arm; each must be a name of the run's certificate. */
  slugs: Record<AuditArmName, string>;
  users: number;
}): Promise<AuditArms> {
  const stateDir = (name: string) => {
    const dir = join(options.dir, name);
    mkdirSync(dir, { recursive: true });
    prepareDatabase(dir);
    return dir;
  };
  const started: { close(): Promise<void> }[] = [];
  /** The workerd processes a start added: each Miniflare runs its workers in one process of its own. */
  const newPids = async <T>(start: () => Promise<T>): Promise<{ value: T; pids: number[] }> => {
    const before = new Set(workerdPids());
    const value = await start();
    return { value, pids: workerdPids().filter((pid) => !before.has(pid)) };
  };
  const cpuOf = (pids: number[]) => pids.reduce((total, pid) => total + cpuSeconds(pid), 0);
  try {
    const arms: AuditArm[] = [];
    for (const name of AUDIT_ARMS) {
      // The two arms whose consumer side runs elsewhere each get a consumer process of their own, for their CPU.
      const remote = name === "remote" || name === "broker";
      const { value: consumer, pids: consumerPids } = remote
        ? await newPids(() =>
            startAuditConsumer({ dir: stateDir(`audit-${name}-consumer`), bundleDir: options.bundleDir, emulatorUrl: options.emulatorUrl }),
          )
        : { value: undefined, pids: [] };
      if (consumer) started.push(consumer);
      const backend: AuditBackend =
        name === "remote" && consumer
          ? { kind: "remote", url: consumer.url }
          : name === "broker" && consumer
            ? { kind: "broker", address: consumer.address }
            : { kind: name === "sink" ? "sink" : "queue" };
      const { value: gateway, pids: gatewayPids } = await newPids(() =>
        startGateway({
          dir: stateDir(`audit-${name}`),
          bundleDir: options.bundleDir,
          emulatorUrl: options.emulatorUrl,
          tls: options.tls,
          audit: backend,
        }),
      );
      started.push(gateway);
      const signIn = new SignIn(options.http, options.emulatorUrl, gateway.origin);
      const slug = options.slugs[name];
      const tenant = await signIn.createTenant(slug, `zq${name}${slug.slice(-6)}`, options.users);
      const tenantId = consumer
        ? await copyTenant(gateway, consumer, slug)
        : String(
            (await (await gateway.database()).prepare("SELECT id FROM tenants WHERE slug = ?").bind(slug).first<{ id: string }>())?.id,
          );
      const accessTokens: string[] = [];
      for (const user of tenant.users) accessTokens.push(await signIn.signIn(tenant, user));
      const store = consumer ?? gateway;
      arms.push({
        name,
        mcpUrl: `${gateway.origin(slug)}/mcp`,
        accessTokens,
        cpu: () => ({ gateway: cpuOf(gatewayPids), consumer: cpuOf(consumerPids) }),
        ...(name === "broker"
          ? { setForwarding: (mode: AuditForwarding) => gateway.setAuditForwarding(mode), sends: () => gateway.auditSends() }
          : {}),
        storedCalls: async () => {
          if (name !== "sink") await store.flushAuditLog(tenantId);
          const row = await (
            await store.database()
          )
            .prepare("SELECT COALESCE(SUM(calls), 0) AS calls FROM usage_daily WHERE tenant_id = ?")
            .bind(tenantId)
            .first<{ calls: number }>();
          return row?.calls ?? 0;
        },
      });
    }
    return { arms, close: () => closeAll(started) };
  } catch (error) {
    await closeAll(started);
    throw error;
  }
}

async function closeAll(started: { close(): Promise<void> }[]): Promise<void> {
  for (const running of started.toReversed())
    await running.close().catch((error: unknown) => console.error("stopping an audit arm:", error));
}
