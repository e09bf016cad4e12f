import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { gzipSync } from "node:zlib";
import { buildDeployBundle, wrangler } from "./gateway";
import { fixed, type PartResult } from "./results";

/**
 * The deployable Worker as `wrangler deploy` would upload it, built with
 * `wrangler deploy --dry-run --outdir` (no account, no network). Sizes are
 * wrangler's own: every uploaded module (source maps are not uploaded)
 * together, raw and gzip-compressed. Cloudflare limits the compressed size.
 */
export const GZIP_TARGET_BYTES = 2 ** 20;
const FREE_LIMIT = 3 * 2 ** 20;
const PAID_LIMIT = 10 * 2 ** 20;

const kib = (bytes: number) => `${fixed(bytes / 1024, 1)} KiB`;
const share = (bytes: number, limit: number) => `${fixed((bytes / limit) * 100, 1)}%`;

export function bundleSize(outdir: string): PartResult {
  const printed = buildDeployBundle(outdir);
  const modules = readdirSync(outdir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith(".map") && entry.name !== "README.md")
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)));
  const raw = modules.reduce((sum, content) => sum + content.byteLength, 0);
  const gzip = gzipSync(Buffer.concat(modules)).byteLength;
  const wranglerLine = /Total Upload: ([^\n]+)/.exec(stripVTControlCharacters(printed))?.[1]?.trim() ?? "not printed";
  return {
    sections: [
      {
        id: "bundle",
        title: "Bundle size of the deployable Worker",
        note: `\`wrangler deploy --dry-run --outdir <tmp>\`: ${modules.length} module(s). wrangler itself reported "Total Upload: ${wranglerLine}". Workers limits apply to the compressed size: 3 MiB on the free plan, 10 MiB on paid plans.`,
        headers: ["measure", "size", "of the 3 MiB free limit", "of the 10 MiB paid limit"],
        rows: [
          ["raw", kib(raw), "—", "—"],
          ["gzip", kib(gzip), share(gzip, FREE_LIMIT), share(gzip, PAID_LIMIT)],
        ],
      },
    ],
    figures: [
      { id: "bundle.raw_kib", value: raw / 1024, unit: "KiB", better: "lower" },
      { id: "bundle.gzip_kib", value: gzip / 1024, unit: "KiB", better: "lower" },
    ],
    targets: [{ target: "gzip bundle under 1 MiB", ok: gzip < GZIP_TARGET_BYTES, detail: `${kib(gzip)} gzip (${kib(raw)} raw)` }],
  };
}

/** The parts of a V8 CPU profile (`.cpuprofile`) the start-up summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  /** Microseconds. */
  startTime: number;
  endTime: number;
  samples?: number[];
  /** Microseconds between samples. */
  timeDeltas?: number[];
}

interface StartupSample {
  windowMs: number;
  activeMs: number;
  gcMs: number;
}

/** Summarizes a start-up profile as `wrangler check startup` does: active = sampled time that was not idle. */
export function summarizeStartup(profile: CpuProfile): StartupSample {
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  const samples = profile.samples ?? [];
  let sampled = 0;
  let idle = 0;
  let gc = 0;
  (profile.timeDeltas ?? []).forEach((delta, index) => {
    sampled += delta;
    const name = names.get(samples[index] ?? 0);
    if (name === "(idle)") idle += delta;
    else if (name === "(garbage collector)") gc += delta;
  });
  return { windowMs: (profile.endTime - profile.startTime) / 1000, activeMs: (sampled - idle) / 1000, gcMs: gc / 1000 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

export const STARTUP_RUNS = 7;

/**
 * Worker start-up time with `wrangler check startup`, which needs no account:
 * it loads the bundle in a local workerd (Miniflare), records a CPU profile
 * while the main module is imported (parsing and running its global scope),
 * and reports the profile's active time. The deploy bundle is built once
 * (`wrangler deploy --dry-run --outfile`, the form the command takes), then
 * profiled STARTUP_RUNS times; the median is the figure.
 */
export function startupTime(dir: string, runs = STARTUP_RUNS): PartResult {
  const bundle = join(dir, "worker.bundle");
  wrangler(["deploy", "--dry-run", "--outfile", bundle]);
  const samples: StartupSample[] = [];
  for (let run = 0; run < runs; run += 1) {
    const profile = join(dir, `startup-${run}.cpuprofile`);
    wrangler(["check", "startup", "--worker", bundle, "--outfile", profile]);
    samples.push(summarizeStartup(JSON.parse(readFileSync(profile, "utf8")) as CpuProfile));
  }
  const ms = (value: number) => `${fixed(value, 1)} ms`;
  const spread = (pick: (sample: StartupSample) => number) => {
    const values = samples.map(pick);
    return [ms(median(values)), ms(Math.min(...values)), ms(Math.max(...values))];
  };
  const active = median(samples.map((sample) => sample.activeMs));
  return {
    sections: [
      {
        id: "startup",
        title: "Worker start-up time",
        note: `\`wrangler check startup --worker <bundle>\` on the deploy bundle (\`wrangler deploy --dry-run --outfile\`), ${runs} runs: a local workerd imports the Worker's main module (parsing it and running its global scope) under the CPU profiler, with no account and no network. Active = profiled time that was not idle (as wrangler prints it), garbage collection included; window = the whole profile. Measured on this machine's CPU, not Cloudflare's: wrangler itself warns that the figure shows where start-up time goes rather than what it will be once deployed.`,
        headers: ["measure", "median", "min", "max"],
        rows: [
          ["active (start-up CPU time)", ...spread((sample) => sample.activeMs)],
          ["of which garbage collection", ...spread((sample) => sample.gcMs)],
          ["profile window", ...spread((sample) => sample.windowMs)],
        ],
      },
    ],
    figures: [{ id: "startup.active_ms", value: active, unit: "ms", better: "lower" }],
    targets: [],
  };
}
