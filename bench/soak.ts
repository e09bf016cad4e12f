import { randomUUID } from "node:crypto";
import { ControlError } from "../emulator/control-client";
import type { AuditChaosPlan } from "./audit-chaos";
import type { EmulatorProcess } from "./emulator-process";
import { rssBytes, type RunningGateway } from "./gateway";
import type { LoopbackHttp } from "./http";
import { summarize } from "./load";
import { fixed, signed, type PartResult, type TargetCheck } from "./results";
import { callTool, type BenchTenant, type BenchUser, type RpcResult, type SignIn } from "./sign-in";
import { verifyAuditTrail, type AnsweredCall } from "./soak-audit";
import { inBatches, verifyWrites, type SoakUser, type WriteRecord } from "./soak-verify";

/**
 * The bounded soak: 10 organizations × 20 users signed in through the OAuth
 * bridge, each user a loop of mixed tool calls with think time, while the
 * emulator answers random calls with 429 (Retry-After) or 503. Every
 * response is checked for other organizations' markers; every message and
 * event the soak creates is read back from the emulator afterwards with
 * minted Graph tokens and must exist exactly once if the gateway said it
 * was done (and not at all if it said it failed); memory is sampled
 * throughout. The audit queue's consumer fails on purpose throughout (see
 * audit-chaos.ts), and afterwards the stored audit trail must hold exactly
 * one `tool_call` event per call the client got an answer for (soak-audit.ts).
 */
export interface SoakPlanTenant {
  slug: string;
  marker: string;
}

export interface SoakOptions {
  http: LoopbackHttp;
  signIn: SignIn;
  emulator: EmulatorProcess;
  gatewayOrigin: (slug: string) => string;
  /** The running gateway, for flushing and reading back the audit trail. */
  gateway: RunningGateway;
  /** The consumer failures the gateway was started with. */
  auditChaos: AuditChaosPlan;
  /** The workerd processes running the gateway, looked up at each sample. */
  workerdPids: () => number[];
  tenants: SoakPlanTenant[];
  usersPerTenant: number;
  seconds: number;
}

/** Memory bounds (stated in BENCHMARKS.md): growth from after warm-up to the end. */
export const WORKERD_RSS_GROWTH_LIMIT_MIB = 96;
export const EMULATOR_HEAP_GROWTH_LIMIT_MIB = 96;
const SAMPLE_EVERY_MS = 5_000;
/** Think time between one user's calls: 200 users offer about 40 calls/s, well under saturation (see the overhead table). */
const THINK_MIN_MS = 2_000;
const THINK_MAX_MS = 8_000;
const WRITE_ATTEMPTS = 4;
/** A write's body is this long plus its index among its user's writes: the audit trail keeps the length, which tells the writes apart. */
const BODY_BASE_LENGTH = 200;
const MIB = 2 ** 20;

interface MemorySample {
  seconds: number;
  workerdRss: number;
  emulatorRss: number;
  emulatorHeap: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** A future local date-time for a new event, in the user's mailbox zone. */
function eventTimes(): { start: string; end: string } {
  const day = new Date(Date.now() + (7 + Math.floor(Math.random() * 60)) * 86_400_000).toISOString().slice(0, 10);
  const hour = String(8 + Math.floor(Math.random() * 9)).padStart(2, "0");
  return { start: `${day}T${hour}:00`, end: `${day}T${hour}:30` };
}

const TRANSIENT = /Microsoft Graph answered (429|503|504)\b/;

export async function soak(options: SoakOptions): Promise<PartResult> {
  const { http, signIn } = options;
  const setupStarted = Date.now();
  const tenants: BenchTenant[] = [];
  for (const plan of options.tenants) tenants.push(await signIn.createTenant(plan.slug, plan.marker, options.usersPerTenant));
  const pairs = tenants.flatMap((tenant) =>
    tenant.users.map((user, index) => ({ tenant, user, colleague: tenant.users[(index + 1) % tenant.users.length] as BenchUser })),
  );
  const users: SoakUser[] = await inBatches(pairs, 8, async (pair) => ({
    ...pair,
    accessToken: await signIn.signIn(pair.tenant, pair.user),
    mcpUrl: `${options.gatewayOrigin(pair.tenant.slug)}/mcp`,
  }));
  const setupSeconds = (Date.now() - setupStarted) / 1000;

  const latencies: number[] = [];
  const perTool = new Map<string, { calls: number; toolErrors: number; transportErrors: number }>();
  const violations: string[] = [];
  const unexpected: string[] = [];
  let checkedResponses = 0;
  const markers = tenants.map((tenant) => tenant.marker);
  const auditCalls: AnsweredCall[] = [];

  /** Every answer, error text included, is checked for other organizations' data. */
  const call = async (soakUser: SoakUser, name: string, args: Record<string, unknown>): Promise<RpcResult> => {
    const result = await callTool(http, soakUser.mcpUrl, soakUser.accessToken, name, args);
    const mark = typeof args.body === "string" ? args.body.length : undefined;
    auditCalls.push({ tenant: soakUser.tenant, user: soakUser.user, tool: name, mark, answered: !result.transportError });
    const stats = perTool.get(name) ?? { calls: 0, toolErrors: 0, transportErrors: 0 };
    stats.calls += 1;
    if (result.transportError) stats.transportErrors += 1;
    if (result.toolError) stats.toolErrors += 1;
    perTool.set(name, stats);
    latencies.push(result.ms);
    checkedResponses += 1;
    for (const marker of markers) {
      if (marker !== soakUser.tenant.marker && result.text.includes(marker)) {
        violations.push(`${name} for ${soakUser.user.userPrincipalName} contained ${marker}`);
      }
    }
    if (name === "whoami" && !result.toolError && !result.transportError && !result.text.includes(soakUser.user.userPrincipalName)) {
      violations.push(`whoami for ${soakUser.user.userPrincipalName} answered for someone else`);
    }
    if (result.transportError && unexpected.length < 20) unexpected.push(`${name}: HTTP ${result.status} ${result.text.slice(0, 160)}`);
    return result;
  };

  const writes: WriteRecord[] = [];
  let retriedWrites = 0;
  const writesPerUser = new Map<SoakUser, number>();
  const write = async (soakUser: SoakUser, kind: WriteRecord["kind"]) => {
    const subject = `[${soakUser.tenant.marker}] soak ${kind} ${randomUUID()}`;
    const index = writesPerUser.get(soakUser) ?? 0;
    writesPerUser.set(soakUser, index + 1);
    const body = `Soak ${kind} from ${soakUser.user.displayName}.`.padEnd(BODY_BASE_LENGTH + index, ".");
    const record: WriteRecord = { kind, tenant: soakUser.tenant, owner: soakUser.user, subject, outcome: "failed", attempts: 0 };
    if (kind === "mail") record.recipient = soakUser.colleague;
    writes.push(record);
    const args = kind === "mail" ? { to: [soakUser.colleague.userPrincipalName], subject, body } : { subject, body, ...eventTimes() };
    // A client retries what the gateway reports as a transient Graph failure,
    // as an agent would; nothing else is retried.
    while (record.attempts < WRITE_ATTEMPTS) {
      record.attempts += 1;
      const result = await call(soakUser, kind === "mail" ? "send_message" : "create_event", args);
      if (result.transportError) {
        record.outcome = "unknown";
        return;
      }
      if (!result.toolError) {
        record.outcome = "acked";
        return;
      }
      if (!TRANSIENT.test(result.text)) {
        if (unexpected.length < 20) unexpected.push(`${kind}: ${result.text.slice(0, 160)}`);
        return;
      }
      if (record.attempts < WRITE_ATTEMPTS) retriedWrites += 1;
      await sleep(500);
    }
  };

  const reads: { weight: number; run: (soakUser: SoakUser) => Promise<unknown> }[] = [
    { weight: 20, run: (u) => call(u, "whoami", {}) },
    { weight: 25, run: (u) => call(u, "list_messages", { limit: 10 }) },
    { weight: 10, run: (u) => call(u, "list_messages", { folder: "sentitems", limit: 10 }) },
    { weight: 15, run: (u) => call(u, "list_events", {}) },
    { weight: 5, run: (u) => call(u, "search_messages", { query: "budget", limit: 5 }) },
    { weight: 15, run: (u) => write(u, "mail") },
    { weight: 10, run: (u) => write(u, "event") },
  ];
  const totalWeight = reads.reduce((sum, op) => sum + op.weight, 0);
  const randomOp = () => {
    let roll = Math.random() * totalWeight;
    for (const op of reads) {
      roll -= op.weight;
      if (roll < 0) return op;
    }
    return reads[0] as (typeof reads)[number];
  };

  // Warm-up: every user's agent and mailbox exist before the first memory sample.
  await inBatches(users, 16, async (u) => {
    await call(u, "whoami", {});
    await call(u, "list_messages", { limit: 10 });
    await call(u, "list_events", {});
  });
  const toolErrorsInWarmUp = [...perTool.values()].reduce((sum, stats) => sum + stats.toolErrors, 0);
  if (toolErrorsInWarmUp > 0 && unexpected.length < 20)
    unexpected.push(`${toolErrorsInWarmUp} tool errors during warm-up (no faults injected yet)`);
  latencies.length = 0;
  perTool.clear();

  const memory: MemorySample[] = [];
  const soakStarted = Date.now();
  const sample = async (afterGc = false) => {
    const emulator = await options.emulator.memory(afterGc);
    memory.push({
      seconds: (Date.now() - soakStarted) / 1000,
      workerdRss: options.workerdPids().reduce((sum, pid) => sum + rssBytes(pid), 0),
      emulatorRss: rssBytes(options.emulator.pid),
      emulatorHeap: emulator.heapUsed,
    });
  };
  await sample(true);
  const deadline = soakStarted + options.seconds * 1000;
  const maxOpsPerUser = Math.ceil(options.seconds * 2) + 10;

  const faults = { injected: { 429: 0, 503: 0 } as Record<429 | 503, number> };
  const faultLoop = async () => {
    const kinds = [
      { status: 429 as const, retryAfterSeconds: 1 },
      { status: 503 as const },
      { status: 503 as const, pathContains: "/sendMail" },
      { status: 429 as const, retryAfterSeconds: 1, pathContains: "/events" },
    ];
    for (let round = 0; Date.now() < deadline && round < options.seconds * 2; round += 1) {
      const target = pick(users);
      const fault = pick(kinds);
      try {
        await signIn.emulator.queueFault({ ...fault, count: 1, userKey: `${target.tenant.entraTenantId}.${target.user.oid}` });
        faults.injected[fault.status] += 1;
      } catch (error) {
        // A fault the emulator refused is not counted as injected.
        if (!(error instanceof ControlError)) throw error;
      }
      await sleep(1_000);
    }
  };
  const sampleLoop = async () => {
    while (Date.now() + SAMPLE_EVERY_MS < deadline) {
      await sleep(SAMPLE_EVERY_MS);
      await sample();
    }
  };
  const userLoop = async (u: SoakUser) => {
    for (let ops = 0; ops < maxOpsPerUser; ops += 1) {
      await sleep(THINK_MIN_MS + Math.random() * (THINK_MAX_MS - THINK_MIN_MS));
      if (Date.now() >= deadline) return;
      await randomOp().run(u);
    }
  };
  await Promise.all([faultLoop(), sampleLoop(), ...users.map(userLoop)]);
  const soakSeconds = (Date.now() - soakStarted) / 1000;
  await sample(true);

  const pending = await signIn.emulator.pendingFaults();
  const left = { 429: 0, 503: 0 } as Record<429 | 503, number>;
  for (const rule of pending) if (rule.status === 429 || rule.status === 503) left[rule.status] += rule.remaining;
  await signIn.emulator.clearFaults();

  const verification = await verifyWrites({ http, signIn, emulatorUrl: options.emulator.url }, users, writes, markers);
  const audit = await verifyAuditTrail(options.gateway, tenants, auditCalls);
  const chaos = await options.gateway.auditChaosStats();

  const all = summarize(latencies);
  const ops = latencies.length;
  const transportErrors = [...perTool.values()].reduce((sum, stats) => sum + stats.transportErrors, 0);
  const toolErrors = [...perTool.values()].reduce((sum, stats) => sum + stats.toolErrors, 0);
  const first = memory[0];
  const last = memory.at(-1);
  const growth = (key: keyof MemorySample) => ((last?.[key] ?? 0) - (first?.[key] ?? 0)) / MIB;
  const peak = (key: keyof MemorySample) => Math.max(...memory.map((entry) => entry[key])) / MIB;
  const mib = (bytes: number | undefined) => `${fixed((bytes ?? 0) / MIB, 1)} MiB`;
  // workerd's RSS falls after the bursts of earlier parts as its isolates collect garbage, so its
  // growth is measured from the lowest sample of the soak's first half, not from the (higher) start.
  const firstHalf = memory.filter((entry) => entry.seconds <= soakSeconds / 2);
  const workerdLow = Math.min(...firstHalf.map((entry) => entry.workerdRss));
  const workerdGrowth = ((last?.workerdRss ?? 0) - workerdLow) / MIB;
  const emulatorHeapGrowth = growth("emulatorHeap");

  const targets: TargetCheck[] = [
    {
      target: "soak: zero lost writes (every acknowledged message/event exists exactly once)",
      ok: verification.lost === 0 && verification.duplicated === 0 && verification.stray === 0 && verification.failedButPresent === 0,
      detail: `${verification.acked} acknowledged writes: ${verification.lost} lost, ${verification.duplicated} duplicated, ${verification.failedButPresent} reported failed but present, ${verification.stray} stray`,
    },
    {
      target: "soak: the audit trail holds exactly one tool_call event per answered call, under injected consumer failures",
      ok:
        audit.lost === 0 &&
        audit.duplicated === 0 &&
        audit.stray === 0 &&
        audit.foreign === 0 &&
        audit.invalid === 0 &&
        audit.answered > 0 &&
        (chaos?.failedBefore ?? 0) > 0 &&
        (chaos?.failedAfter ?? 0) > 0,
      detail: `${audit.answered} answered calls, ${audit.stored} tool_call events in ${audit.objects} objects: ${audit.lost} lost, ${audit.duplicated} duplicated, ${audit.stray} stray, ${audit.foreign} under another organization, ${audit.invalid} invalid; consumer failures injected: ${chaos?.failedBefore ?? 0} messages before storing, ${chaos?.failedAfter ?? 0} after`,
    },
    {
      target: "soak: no cross-tenant data in any response",
      ok: violations.length === 0 && verification.crossTenant === 0,
      detail: `${checkedResponses} responses and ${verification.mailboxesRead} mailboxes checked; ${violations.length + verification.crossTenant} violations${violations[0] ? ` (e.g. ${violations[0]})` : ""}`,
    },
    {
      target: `soak: memory stable (workerd RSS grows under ${WORKERD_RSS_GROWTH_LIMIT_MIB} MiB, emulator heap under ${EMULATOR_HEAP_GROWTH_LIMIT_MIB} MiB)`,
      ok: workerdGrowth < WORKERD_RSS_GROWTH_LIMIT_MIB && emulatorHeapGrowth < EMULATOR_HEAP_GROWTH_LIMIT_MIB,
      detail: `workerd RSS ${mib(first?.workerdRss)} at start, ${mib(workerdLow)} lowest in the first half, ${mib(last?.workerdRss)} at the end (${signed(workerdGrowth, 1)} MiB); emulator heap ${mib(first?.emulatorHeap)} → ${mib(last?.emulatorHeap)} (${signed(emulatorHeapGrowth, 1)} MiB)`,
    },
    {
      target: "soak: no failed requests besides the injected faults",
      ok: transportErrors === 0 && unexpected.length === 0,
      detail: `${transportErrors} HTTP/JSON-RPC errors; ${unexpected.length ? unexpected.slice(0, 3).join(" / ") : "no unexpected tool errors"}`,
    },
  ];

  const served = (status: 429 | 503) => faults.injected[status] - left[status];
  return {
    sections: [
      {
        id: "soak",
        // The planned duration, so that a partial run (`--only load`) replaces this section rather than adding one.
        title: `Soak: ${tenants.length} tenants × ${options.usersPerTenant} users, ${options.seconds} s, injected 429/503 and audit consumer failures`,
        note: [
          `Every user signed in through the OAuth bridge (${users.length} sign-ins, ${fixed(setupSeconds, 0)} s of setup), then loops for ${options.seconds} s: think ${THINK_MIN_MS / 1000}–${THINK_MAX_MS / 1000} s, then one of whoami, list_messages (inbox, sent items), list_events, search_messages, send_message to a colleague, create_event. A write the gateway reports as a transient Graph failure (429/503) is retried by the client up to ${WRITE_ATTEMPTS} attempts. Once a second the emulator is told to fail one random user's next Graph call (429 with Retry-After: 1, or 503; some aimed at /sendMail or /events).`,
          `Audit trail: the audit queue is consumed through a second Worker in the same workerd (bench/audit-chaos.ts) that hands each batch to the gateway's own queue handler over a service binding, as Miniflare's queue broker does, and passes its acknowledgements and retries on, except that every ${options.auditChaos.failBeforeEvery}th delivery fails before the gateway sees it and every ${options.auditChaos.failAfterEvery}th is retried after the gateway stored it (a lost acknowledgement: the same events come again); injected retries wait 1 s. The gateway's code is unchanged. Afterwards each organization's audit log is flushed through its own \`flush()\`, its whole trail is read from R2 (gunzip, every line parsed with the event schema) and each call the client got an answer for, warm-up included, must have exactly one \`tool_call\` event under its own organization: matched by user, tool and, for writes, a body length unique to the user's write, which the trail keeps as \`textLengths.body\`.`,
          "Each organization's users, mail domain and subjects carry a marker; every answer is searched for other organizations' markers. Afterwards every user's Sent Items, Inbox and calendar are read straight from the emulator with minted Graph tokens: each acknowledged message must be once in the sender's Sent Items and once in the colleague's Inbox, each acknowledged event once in the calendar, and a write reported as failed nowhere.",
        ].join("\n\n"),
        headers: ["measure", "value"],
        rows: [
          ["tool calls", `${ops} in ${fixed(soakSeconds, 0)} s (${fixed(ops / soakSeconds, 1)}/s)`],
          ["latency p50 / p95 / p99 / max", `${fixed(all.p50)} / ${fixed(all.p95)} / ${fixed(all.p99)} / ${fixed(all.max)} ms`],
          ["calls by tool", [...perTool.entries()].map(([name, stats]) => `${name} ${stats.calls}`).join(", ")],
          ["HTTP / JSON-RPC errors", transportErrors],
          ["tool errors (Graph failures reported to the client)", `${toolErrors}; writes retried by the client: ${retriedWrites}`],
          ["faults injected (served)", `429: ${faults.injected[429]} (${served(429)}), 503: ${faults.injected[503]} (${served(503)})`],
          [
            "messages sent: acknowledged / failed / unknown",
            `${verification.byKind.mail.acked} / ${verification.byKind.mail.failed} / ${verification.byKind.mail.unknown}`,
          ],
          [
            "events created: acknowledged / failed / unknown",
            `${verification.byKind.event.acked} / ${verification.byKind.event.failed} / ${verification.byKind.event.unknown}`,
          ],
          [
            "read back: lost / duplicated / failed-but-present / stray",
            `${verification.lost} / ${verification.duplicated} / ${verification.failedButPresent} / ${verification.stray}`,
          ],
          [
            "audit: deliveries to the consumer / messages / injected failures before storing / after storing / retried by the gateway",
            chaos
              ? `${chaos.deliveries} / ${chaos.messages} / ${chaos.failedBefore} / ${chaos.failedAfter} / ${chaos.gatewayRetried}`
              : "no consumer failures injected",
          ],
          [
            "audit: answered calls (no answer) / tool_call events stored / objects",
            `${audit.answered} (${audit.unanswered}) / ${audit.stored} / ${audit.objects}`,
          ],
          [
            "audit: lost / duplicated / stray / under another organization / invalid lines",
            `${audit.lost} / ${audit.duplicated} / ${audit.stray} / ${audit.foreign} / ${audit.invalid}`,
          ],
          ["audit: read-back (flush and read of every trail) until complete", `${fixed(audit.settleSeconds, 1)} s, ${audit.reads} read(s)`],
          ["responses checked for other tenants' markers", `${checkedResponses}, violations: ${violations.length}`],
          ["mailboxes read back, foreign subjects found", `${verification.mailboxesRead}, ${verification.crossTenant}`],
          [
            "workerd RSS (sum of workerd processes): start → end (peak)",
            `${mib(first?.workerdRss)} → ${mib(last?.workerdRss)} (${fixed(peak("workerdRss"), 1)} MiB); bound: end − lowest sample of the first half < ${WORKERD_RSS_GROWTH_LIMIT_MIB} MiB (here ${signed(workerdGrowth, 1)} MiB)`,
          ],
          ["workerd RSS over the soak, MiB", timeline(memory, "workerdRss")],
          [
            "emulator RSS: start → end (peak)",
            `${mib(first?.emulatorRss)} → ${mib(last?.emulatorRss)} (${fixed(peak("emulatorRss"), 1)} MiB)`,
          ],
          [
            "emulator heap used after a full GC: start → end (peak during the soak)",
            `${mib(first?.emulatorHeap)} → ${mib(last?.emulatorHeap)} (${fixed(peak("emulatorHeap"), 1)} MiB); bound: growth < ${EMULATOR_HEAP_GROWTH_LIMIT_MIB} MiB (it keeps every message and event the soak creates)`,
          ],
        ],
      },
    ],
    figures: [{ id: "soak.p50_ms", value: all.p50, unit: "ms", better: "lower" }],
    targets,
  };
}

/** About ten values of one memory series, in MiB, evenly spaced over the soak. */
function timeline(memory: MemorySample[], key: keyof MemorySample): string {
  const step = Math.max(1, Math.round(memory.length / 10));
  return memory
    .filter((_, index) => index % step === 0 || index === memory.length - 1)
    .map((entry) => `${fixed(entry.seconds, 0)} s: ${fixed(entry[key] / MIB, 0)}`)
    .join(", ");
}
