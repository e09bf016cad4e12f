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

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarize(latencies: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
}

export async function runLoad(options: {
  concurrency: number;
  seconds: number;
  maxRequests: number;
  request: (worker: number) => Promise<Sample>;
}): Promise<LoadResult> {
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
        if (firstErrors.length < 5) firstErrors.push(sample.error ?? "error");
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  const elapsed = (performance.now() - started) / 1000;
  return {
    concurrency: options.concurrency,
    seconds: elapsed,
    requests: latencies.length + errors,
    errors,
    firstErrors,
    ...summarize(latencies),
    rps: latencies.length / elapsed,
  };
}
