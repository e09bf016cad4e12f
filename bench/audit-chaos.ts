/**
 * Consumer failures for the gateway-level soak, without any test hook in the
 * gateway: a second Worker in the same Miniflare takes the place of the
 * gateway as consumer of the audit queue (same batch size, timeout, retries
 * and dead-letter queue as wrangler.toml) and hands each batch to the
 * gateway's own `queue()` handler over a service binding, exactly as
 * Miniflare's queue broker does (`Fetcher.queue`, which is how Cloudflare
 * delivers a batch to a consumer). What the gateway's handler acknowledged
 * or retried is passed on to the broker unchanged, except that:
 *
 * - every `failBeforeEvery`-th delivery fails before the gateway sees it (a
 *   consumer invocation that died on arrival): the whole batch is retried;
 * - every `failAfterEvery`-th delivery is handed to the gateway, which stores
 *   it, and is then retried all the same (an invocation that died after the
 *   tenant logs stored the events but before the acknowledgement reached the
 *   queue): the same events are delivered again.
 *
 * Injected retries wait `INJECTED_RETRY_SECONDS`, so a soak's trail settles
 * within seconds of its last call. The dead-letter queue and the stream
 * queues stay consumed by the gateway itself.
 */
export const AUDIT_QUEUE = "m365-mcp-gateway-audit";
export const CHAOS_WORKER = "audit-chaos";
export const INJECTED_RETRY_SECONDS = 1;

export interface AuditChaosPlan {
  failBeforeEvery: number;
  failAfterEvery: number;
}

/** As in the consumer-level benchmark (audit-pipeline.bench.test.ts): every 7th delivery fails before storing, every 11th after. */
export const SOAK_AUDIT_CHAOS: AuditChaosPlan = { failBeforeEvery: 7, failAfterEvery: 11 };

export interface AuditChaosStats {
  deliveries: number;
  messages: number;
  failedBefore: number;
  failedAfter: number;
  /** Messages the gateway's own handler asked to retry (a real append failure). */
  gatewayRetried: number;
}

/** The chaos consumer's source: plain JavaScript modules syntax, served by workerd next to the gateway. */
function chaosScript(plan: AuditChaosPlan): string {
  return `
const plan = ${JSON.stringify(plan)};
const retryDelay = ${INJECTED_RETRY_SECONDS};
const stats = { deliveries: 0, messages: 0, failedBefore: 0, failedAfter: 0, gatewayRetried: 0 };
export default {
  async fetch() {
    return Response.json(stats);
  },
  async queue(batch, env) {
    stats.deliveries += 1;
    stats.messages += batch.messages.length;
    const n = stats.deliveries;
    if (n % plan.failBeforeEvery === 0) {
      stats.failedBefore += batch.messages.length;
      batch.retryAll({ delaySeconds: retryDelay });
      return;
    }
    const result = await env.GATEWAY.queue(
      batch.queue,
      batch.messages.map((m) => ({ id: m.id, timestamp: m.timestamp, body: m.body, attempts: m.attempts })),
    );
    if (n % plan.failAfterEvery === 0) {
      stats.failedAfter += batch.messages.length;
      batch.retryAll({ delaySeconds: retryDelay });
      return;
    }
    const retryAll = result.retryBatch.retry || result.outcome !== "ok";
    const retried = new Map((result.retryMessages ?? []).map((r) => [r.msgId, r.delaySeconds]));
    for (const m of batch.messages) {
      if (retryAll || retried.has(m.id)) {
        stats.gatewayRetried += 1;
        const delaySeconds = retried.get(m.id) ?? result.retryBatch.delaySeconds;
        m.retry(delaySeconds === undefined ? {} : { delaySeconds });
      } else {
        m.ack();
      }
    }
  },
};
`;
}

/**
 * The gateway's queue consumers without the audit queue, and the chaos
 * Worker that consumes it instead with the gateway's settings for it.
 */
export function withAuditChaos(
  gatewayName: string,
  consumers: Record<string, Record<string, unknown>>,
  compatibilityDate: unknown,
  plan: AuditChaosPlan,
): { gatewayConsumers: Record<string, Record<string, unknown>>; chaosWorker: Record<string, unknown> } {
  const { [AUDIT_QUEUE]: audit, ...gatewayConsumers } = consumers;
  if (!audit) throw new Error(`wrangler.toml has no consumer for ${AUDIT_QUEUE}`);
  return {
    gatewayConsumers,
    chaosWorker: {
      name: CHAOS_WORKER,
      modules: true,
      script: chaosScript(plan),
      compatibilityDate,
      compatibilityFlags: ["service_binding_extra_handlers"],
      serviceBindings: { GATEWAY: gatewayName },
      queueConsumers: { [AUDIT_QUEUE]: audit },
    },
  };
}
