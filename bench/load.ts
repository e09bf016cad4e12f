import { performance } from "node:perf_hooks";

/**
 * A closed-loop load generator: `concurrency` workers each send one request,
 * wait for the whole answer, and send the next, until the time or the count
 * runs out (both always bounded). Latency is wall time measured in Node
 * around each request.
 */
export interface Sample {
  ms: number;
  ok: boolean;
  error?: string;
}

/** The raw outcome of one or more load phases, kept so phases can be pooled. */
export interface LoadSamples {
  concurrency: number;
  seconds: number;
  latencies: number[];
  errors: number;
  firstErrors: string[];
}

export interface LoadResult {
  concurrency: number;
  seconds: number;
  requests: number;
  errors: number;
  firstErrors: string[];
  p50: number;
  p95: number;
  p99: number;
  max: number;
  rps: number;
}

export interface LoadOptions {
  concurrency: number;
  seconds: number;
  maxRequests: number;
  request: (worker: number) => Promise<Sample>;
}

const FIRST_ERRORS_KEPT = 5;

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarize(latencies: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
}

export async function collectLoad(options: LoadOptions): Promise<LoadSamples> {
  const latencies: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async (index: number) => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      sent += 1;
      let sample: Sample;
      try {
        sample = await options.request(index);
      } catch (error) {
        sample = { ms: 0, ok: false, error: String(error) };
      }
      if (sample.ok) latencies.push(sample.ms);
      else {
        errors += 1;
        if (firstErrors.length < FIRST_ERRORS_KEPT) firstErrors.push(sample.error ?? "error");
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  return { concurrency: options.concurrency, seconds: (performance.now() - started) / 1000, latencies, errors, firstErrors };
}

/** Phases at one concurrency, as if they had been one run lasting their summed time. */
export function poolSamples(phases: readonly LoadSamples[]): LoadSamples {
  return {
    concurrency: phases[0]?.concurrency ?? 0,
    seconds: phases.reduce((sum, phase) => sum + phase.seconds, 0),
    latencies: phases.flatMap((phase) => phase.latencies),
    errors: phases.reduce((sum, phase) => sum + phase.errors, 0),
    firstErrors: phases.flatMap((phase) => phase.firstErrors).slice(0, FIRST_ERRORS_KEPT),
  };
}

export function loadResult(samples: LoadSamples): LoadResult {
  return {
    concurrency: samples.concurrency,
    seconds: samples.seconds,
    requests: samples.latencies.length + samples.errors,
    errors: samples.errors,
    firstErrors: samples.firstErrors,
    ...summarize(samples.latencies),
    rps: samples.latencies.length / samples.seconds,
  };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return loadResult(await collectLoad(options));
}

/**
 * Paths measured in alternating short slices (a, b, c, a, b, c, …), each
 * given its own share of every round, and pooled per path. On a shared
 * machine whose speed drifts over minutes, every path sees the same drift,
 * so their difference measures the paths and not the moment each ran.
 */
export async function runInterleaved<Name extends string>(options: {
  concurrency: number;
  rounds: number;
  /** Per path: its seconds and request cap in each round, and the request. */
  paths: Record<Name, { secondsPerRound: number; maxRequestsPerRound: number; request: LoadOptions["request"] }>;
}): Promise<Record<Name, LoadResult>> {
  const names = Object.keys(options.paths) as Name[];
  const phases = new Map<Name, LoadSamples[]>(names.map((name) => [name, []]));
  for (let round = 0; round < options.rounds; round += 1) {
    for (const name of names) {
      const path = options.paths[name];
      phases.get(name)?.push(
        await collectLoad({
          concurrency: options.concurrency,
          seconds: path.secondsPerRound,
          maxRequests: path.maxRequestsPerRound,
          request: path.request,
        }),
      );
    }
  }
  return Object.fromEntries(names.map((name) => [name, loadResult(poolSamples(phases.get(name) ?? []))])) as Record<Name, LoadResult>;
}
