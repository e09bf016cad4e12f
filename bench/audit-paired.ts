import { seededRandom } from "../emulator/graph/random";
import type { AuditArm } from "./audit-arms";
import type { AuditForwarding } from "./gateway";
import type { RecordCost } from "./audit-record-cost";
import { collectLoad, summarize, type LoadSamples, type Sample } from "./load";
import { fixed, signed, type Figure, type Section, type TargetCheck } from "./results";
import { SEND_WINDOW_MS } from "../src/audit/record";

/**
 * Auditing's cost on one gateway against itself: the broker arm's gateway
 * (queue and consumer in another process) with its AUDIT_QUEUE forwarder
 * switched, in alternating slices, between dropping every send as the sink
 * does, posting it to the other process that answers at once without
 * queueing it (the send alone), and forwarding it to the queue there. Both halves are the same workerd process, isolate,
 * Durable Objects, organization and tokens, so what the arms' separate
 * processes bring to their difference (each process's own JIT and heap
 * state, ±0.4 ms between runs here) is not in it: only the pipeline is.
 */
/** The forwarder's modes, in the order of the report. */
const MODES = ["off", "post", "on"] as const satisfies readonly AuditForwarding[];
type Mode = (typeof MODES)[number];
/** Every order of the three modes, taken in turn: each mode runs first, second and third, and after each other mode, as often. */
const ORDERS: readonly (readonly Mode[])[] = [
  ["off", "post", "on"],
  ["on", "post", "off"],
  ["post", "on", "off"],
  ["off", "on", "post"],
  ["on", "off", "post"],
  ["post", "off", "on"],
];

export const PAIRED = {
  /** Rounds of one slice per mode; a multiple of the six orders. */
  rounds: 90,
  sliceSeconds: 0.5,
  /** Untimed pause after a slice before the switch, so that its last calls' events (sent by the outbox in `waitUntil`) meet its own mode. */
  settleMs: SEND_WINDOW_MS + 150,
  warmUpSeconds: 3,
  /** Resamples of whole rounds for the interval of the difference. */
  resamples: 2000,
} as const;
export const PAIRED_TARGET_MS = 0.2;

export interface PairedRun {
  /** Per mode, its slices in round order. */
  slices: Record<Mode, LoadSamples[]>;
  /** Calls the gateway answered with the forwarder off or posting, warm-ups included: their events never reached a queue. */
  notQueued: number;
}

/** Times `request` (a tools/call on the arm) in each of the forwarder's modes, slice by slice. */
export async function measurePaired(arm: AuditArm, request: (worker: number) => Promise<Sample>): Promise<PairedRun> {
  const setForwarding = arm.setForwarding;
  if (!setForwarding) throw new Error(`the ${arm.name} arm cannot switch its forwarding`);
  const settle = () => new Promise((resolve) => setTimeout(resolve, PAIRED.settleMs));
  const run: PairedRun = { slices: { off: [], post: [], on: [] }, notQueued: 0 };
  const slice = async (mode: Mode, seconds: number) => {
    await setForwarding(mode);
    const samples = await collectLoad({ concurrency: 1, seconds, maxRequests: Number.MAX_SAFE_INTEGER, request });
    await settle();
    if (mode !== "on") run.notQueued += samples.latencies.length + samples.errors;
    return samples;
  };
  for (const mode of MODES) await slice(mode, PAIRED.warmUpSeconds);
  for (let round = 0; round < PAIRED.rounds; round += 1) {
    for (const mode of ORDERS[round % ORDERS.length] ?? MODES) run.slices[mode].push(await slice(mode, PAIRED.sliceSeconds));
  }
  await setForwarding("on");
  return run;
}

function p50Of(phases: readonly LoadSamples[]): number {
  return summarize(phases.flatMap((phase) => phase.latencies)).p50;
}

export interface PairedDifference {
  /** Pooled p50 of mode `a` − pooled p50 of mode `b`. */
  difference: number;
  /** 95 % percentile bootstrap interval of `difference`, resampling whole rounds (a round's slices together). */
  interval: [number, number];
  /** Median over rounds of (the round's `a` slice p50 − its `b` slice p50). */
  medianOfRounds: number;
}

/** Mode `a` against mode `b` over the same rounds. */
export function pairedDifference(run: PairedRun, a: Mode, b: Mode): PairedDifference {
  const first = run.slices[a];
  const second = run.slices[b];
  const rounds = Math.min(first.length, second.length);
  // Seeded, so the interval is the same for the same samples, run after run.
  const random = seededRandom(`paired-audit-${rounds}`);
  const differences: number[] = [];
  for (let resample = 0; resample < PAIRED.resamples; resample += 1) {
    const picked: { a: LoadSamples[]; b: LoadSamples[] } = { a: [], b: [] };
    for (let pick = 0; pick < rounds; pick += 1) {
      const round = Math.floor(random() * rounds);
      const sliceA = first[round];
      const sliceB = second[round];
      if (sliceA && sliceB) {
        picked.a.push(sliceA);
        picked.b.push(sliceB);
      }
    }
    differences.push(p50Of(picked.a) - p50Of(picked.b));
  }
  differences.sort((x, y) => x - y);
  const perRound = first.slice(0, rounds).map((slice, index) => p50Of([slice]) - p50Of([second[index] ?? slice]));
  return {
    difference: p50Of(first) - p50Of(second),
    interval: [
      differences[Math.floor(0.025 * differences.length)] ?? Number.NaN,
      differences[Math.ceil(0.975 * differences.length) - 1] ?? Number.NaN,
    ],
    medianOfRounds: summarize(perRound).p50,
  };
}

const MODE_LABELS: Record<Mode, string> = {
  off: "off: each send dropped at the forwarder (no pipeline)",
  post: "post: each send posted to the other process, which answers at once without queueing it (the send alone)",
  on: "on: each send posted to the other process's queue, consumed and stored there (the pipeline)",
};

/** The paired section, its figures and auditing's judged target. */
export function pairedAuditCost(
  run: PairedRun,
  record: RecordCost,
  stored: { calls: number; queued: number },
  /** The `sendBatch` calls the arm's forwarder took over the whole run, and their events. */
  sends: { calls: number; events: number } | undefined,
): { section: Section; figures: Figure[]; target: TargetCheck } {
  const perBatch = sends && sends.calls > 0 ? sends.events / sends.calls : Number.NaN;
  const recordMs = record.p50Us / 1000;
  const judged = pairedDifference(run, "on", "off");
  const added = judged.difference + recordMs;
  const upper = judged.interval[1] + recordMs;
  const difference = (label: string, result: PairedDifference, plus: number) => [
    label,
    "—",
    "—",
    `${signed(result.difference + plus, 3)} (95 % interval ${signed(result.interval[0] + plus, 3)} to ${signed(result.interval[1] + plus, 3)}; median of rounds ${signed(result.medianOfRounds + plus, 3)})`,
    "—",
    "—",
  ];
  const row = (mode: Mode) => {
    const phases = run.slices[mode];
    const summary = summarize(phases.flatMap((phase) => phase.latencies));
    const requests = phases.reduce((sum, phase) => sum + phase.latencies.length, 0);
    const errors = phases.reduce((sum, phase) => sum + phase.errors, 0);
    return [MODE_LABELS[mode], requests + errors, errors, fixed(summary.p50), fixed(summary.p95), fixed(summary.p99)];
  };
  return {
    section: {
      id: "overhead-audit-paired",
      title: "Auditing's cost on one gateway against itself (concurrency 1)",
      note: [
        `The arm that models production (queue and consumer in another process) measured against itself: between slices its AUDIT_QUEUE forwarder is switched between three modes. All three are the same workerd process, isolate, Durable Objects, organization and tokens, so the separate processes of the table above (each with its own JIT and heap state, which moved their differences by ±0.4 ms from run to run) are not part of the differences: only what the forwarder does is. In every mode the gateway builds, checks and serializes each event and puts it in its outbox, which sends its events to the forwarder in one \`sendBatch\` ${SEND_WINDOW_MS} ms after the first of them (or at 100 events), after the responses: over the whole run this arm's outbox sent ${sends?.events.toLocaleString("en-US") ?? "?"} events in ${sends?.calls.toLocaleString("en-US") ?? "?"} \`sendBatch\` calls, ${fixed(perBatch, 1)} per call.`,
        `${PAIRED.rounds} rounds of one ${PAIRED.sliceSeconds} s slice per mode at concurrency 1, the six orders of the three modes taken in turn (so each mode runs first, second and third, and after each other mode, as often, and a steady drift cancels), after ${PAIRED.warmUpSeconds} s of warm-up in each mode; each slice is followed by an untimed ${PAIRED.settleMs} ms pause before the switch, longer than the outbox's window, so its last calls' events are sent as their own slice's mode says. Differences are of pooled p50s; each 95 % interval comes from ${PAIRED.resamples.toLocaleString("en-US")} resamples of whole rounds (percentile bootstrap, seeded), with the median of the ${PAIRED.rounds} rounds' own differences beside it. "stored" = the tool calls the organization's usage roll-up holds after a final flush, against the calls the gateway answered with the forwarder on (the arm's slices and warm-ups of the table above included).`,
        `Target: auditing adds under ${PAIRED_TARGET_MS} ms to a tools/call's p50 at concurrency 1: on − off + record()'s p50 (${fixed(recordMs, 3)} ms, which every mode pays) must be under ${PAIRED_TARGET_MS} ms, and so must the median of the rounds' own differences; and every call answered with the forwarder on must be stored, once. The interval is not judged: it shows how finely this machine resolves the difference, and its width comes from the machine's slice-to-slice drift, not from auditing.`,
      ].join("\n\n"),
      headers: ["AUDIT_QUEUE forwarder", "requests", "errors", "p50 ms", "p95 ms", "p99 ms"],
      rows: [
        row("off"),
        row("post"),
        row("on"),
        difference("the send alone: post − off", pairedDifference(run, "post", "off"), 0),
        difference("the pipeline's work in the other process: on − post", pairedDifference(run, "on", "post"), 0),
        difference(`auditing's cost: on − off + record() ${fixed(recordMs, 3)} ms`, judged, recordMs),
      ],
    },
    figures: [
      ...MODES.map((mode) => ({
        id: `audit.paired.${mode}_p50_ms`,
        value: p50Of(run.slices[mode]),
        unit: "ms",
        better: "lower" as const,
      })),
      { id: "audit.events_per_send", value: perBatch, unit: "events", better: "higher" },
    ],
    target: {
      target: `auditing adds under ${PAIRED_TARGET_MS} ms to a tools/call's p50 at concurrency 1 (one gateway, queue and consumer in another process, forwarder on vs off, + record(); the median of rounds too)`,
      ok: added < PAIRED_TARGET_MS && judged.medianOfRounds + recordMs < PAIRED_TARGET_MS && stored.calls === stored.queued,
      detail: `${signed(added, 3)} ms = ${fixed(p50Of(run.slices.on))} − ${fixed(p50Of(run.slices.off))} + ${fixed(recordMs, 3)}, 95 % interval ${signed(judged.interval[0] + recordMs, 3)} to ${signed(upper, 3)} ms, median of ${PAIRED.rounds} rounds ${signed(judged.medianOfRounds + recordMs, 3)} ms; stored calls ${stored.calls} of ${stored.queued} queued`,
    },
  };
}
