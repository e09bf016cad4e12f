import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { gzipSync } from "node:zlib";
import { buildPdfReader, PDF_READER_CONFIG } from "../scripts/pdf-reader-bundle";
import { buildDeployBundle, pdfReaderBundleDir, wrangler } from "./gateway";
import { fixed, type PartResult } from "./results";

/**
 * The deployable Workers as `wrangler deploy` would upload them, built with
 * `wrangler deploy --dry-run --outdir` (no account, no network): the gateway,
 * and the PDF reader Worker it calls over a service binding (pdf.wrangler.toml).
 * Sizes are wrangler's own: every uploaded module (source maps are not
 * uploaded) together, raw and gzip-compressed. Cloudflare limits each
 * Worker's compressed size; the 1 MiB target is the gateway's, whose bundle
 * every isolate loads, while the reader's only loads where PDFs are read.
 */
export const GZIP_TARGET_BYTES = 2 ** 20;
const FREE_LIMIT = 3 * 2 ** 20;
const PAID_LIMIT = 10 * 2 ** 20;

const kib = (bytes: number) => `${fixed(bytes / 1024, 1)} KiB`;
const share = (bytes: number, limit: number) => `${fixed((bytes / limit) * 100, 1)}%`;

interface BundleMeasure {
  modules: number;
  raw: number;
  gzip: number;
  /** wrangler's own "Total Upload" line. */
  wranglerLine: string;
}

function measure(outdir: string, printed: string): BundleMeasure {
  const modules = readdirSync(outdir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith(".map") && entry.name !== "README.md" && entry.name !== "bundle-meta.json")
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)));
  return {
    modules: modules.length,
    raw: modules.reduce((sum, content) => sum + content.byteLength, 0),
    gzip: gzipSync(Buffer.concat(modules)).byteLength,
    wranglerLine: /Total Upload: ([^\n]+)/.exec(stripVTControlCharacters(printed))?.[1]?.trim() ?? "not printed",
  };
}

/** The gateway's bundle in `outdir`, the PDF reader's beside it (where the load parts serve them from). */
export function bundleSize(outdir: string): PartResult {
  const gateway = measure(outdir, buildDeployBundle(outdir));
  const readerDir = pdfReaderBundleDir(outdir);
  const reader = measure(readerDir, buildPdfReader(readerDir));
  return {
    sections: [
      {
        id: "bundle",
        title: "Bundle size of the deployable Workers",
        note: `\`wrangler deploy --dry-run --outdir <tmp>\` for the gateway (wrangler.toml, ${gateway.modules} module(s); wrangler reported "Total Upload: ${gateway.wranglerLine}") and for the PDF reader Worker it reaches over its PDF_READER service binding (\`-c ${PDF_READER_CONFIG}\`, ${reader.modules} module(s); "Total Upload: ${reader.wranglerLine}"). Workers limits apply to each Worker's compressed size: 3 MiB on the free plan, 10 MiB on paid plans. The 1 MiB target is the gateway's: every request's isolate loads it, while PDF.js (unpdf) is only in the reader, loaded where a PDF is read.`,
        headers: ["Worker", "measure", "size", "of the 3 MiB free limit", "of the 10 MiB paid limit"],
        rows: [
          ["gateway", "raw", kib(gateway.raw), "—", "—"],
          ["gateway", "gzip", kib(gateway.gzip), share(gateway.gzip, FREE_LIMIT), share(gateway.gzip, PAID_LIMIT)],
          ["PDF reader", "raw", kib(reader.raw), "—", "—"],
          ["PDF reader", "gzip", kib(reader.gzip), share(reader.gzip, FREE_LIMIT), share(reader.gzip, PAID_LIMIT)],
        ],
      },
    ],
    figures: [
      { id: "bundle.raw_kib", value: gateway.raw / 1024, unit: "KiB", better: "lower" },
      { id: "bundle.gzip_kib", value: gateway.gzip / 1024, unit: "KiB", better: "lower" },
      { id: "bundle.pdf_reader.raw_kib", value: reader.raw / 1024, unit: "KiB", better: "lower" },
      { id: "bundle.pdf_reader.gzip_kib", value: reader.gzip / 1024, unit: "KiB", better: "lower" },
    ],
    targets: [
      {
        // The name as before: a partial run replaces the target's row in BENCHMARKS.md by it.
        target: "gzip bundle under 1 MiB",
        ok: gateway.gzip < GZIP_TARGET_BYTES,
        detail: `the gateway: ${kib(gateway.gzip)} gzip (${kib(gateway.raw)} raw); the PDF reader Worker: ${kib(reader.gzip)} gzip, ${share(reader.gzip, FREE_LIMIT)} of the free limit`,
      },
    ],
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

/** Profiles one Worker's start-up `runs` times: its deploy bundle built once (`--outfile`, the form the command takes), with its own configuration. */
function startupSamples(dir: string, name: string, config: string, runs: number): StartupSample[] {
  const bundle = join(dir, `${name}.bundle`);
  wrangler(["deploy", "--dry-run", "-c", config, "--outfile", bundle]);
  const samples: StartupSample[] = [];
  for (let run = 0; run < runs; run += 1) {
    const profile = join(dir, `startup-${name}-${run}.cpuprofile`);
    wrangler(["check", "startup", "-c", config, "--worker", bundle, "--outfile", profile]);
    samples.push(summarizeStartup(JSON.parse(readFileSync(profile, "utf8")) as CpuProfile));
  }
  return samples;
}

/**
 * Worker start-up time with `wrangler check startup`, which needs no account:
 * it loads the bundle in a local workerd (Miniflare), records a CPU profile
 * while the main module is imported (parsing and running its global scope),
 * and reports the profile's active time. Each Worker's deploy bundle (the
 * gateway's, then the PDF reader's) is built once, then profiled `runs`
 * times; the median is the figure.
 */
export function startupTime(dir: string, runs = STARTUP_RUNS): PartResult {
  const gateway = startupSamples(dir, "gateway", "wrangler.toml", runs);
  const reader = startupSamples(dir, "pdf-reader", PDF_READER_CONFIG, runs);
  const ms = (value: number) => `${fixed(value, 1)} ms`;
  const spread = (samples: StartupSample[], pick: (sample: StartupSample) => number) => {
    const values = samples.map(pick);
    return [ms(median(values)), ms(Math.min(...values)), ms(Math.max(...values))];
  };
  const active = (samples: StartupSample[]) => median(samples.map((sample) => sample.activeMs));
  return {
    sections: [
      {
        id: "startup",
        title: "Worker start-up time",
        note: `\`wrangler check startup --worker <bundle>\` on each deploy bundle (\`wrangler deploy --dry-run --outfile\`), ${runs} runs each: a local workerd imports the Worker's main module (parsing it and running its global scope) under the CPU profiler, with no account and no network. The gateway starts in every isolate that serves a request; the PDF reader Worker only in those that read a PDF. Active = profiled time that was not idle (as wrangler prints it), garbage collection included; window = the whole profile. Measured on this machine's CPU, not Cloudflare's: wrangler itself warns that the figure shows where start-up time goes rather than what it will be once deployed.`,
        headers: ["measure", "median", "min", "max"],
        rows: [
          ["gateway: active (start-up CPU time)", ...spread(gateway, (sample) => sample.activeMs)],
          ["gateway: of which garbage collection", ...spread(gateway, (sample) => sample.gcMs)],
          ["gateway: profile window", ...spread(gateway, (sample) => sample.windowMs)],
          ["PDF reader: active (start-up CPU time)", ...spread(reader, (sample) => sample.activeMs)],
          ["PDF reader: profile window", ...spread(reader, (sample) => sample.windowMs)],
        ],
      },
    ],
    figures: [
      { id: "startup.active_ms", value: active(gateway), unit: "ms", better: "lower" },
      { id: "startup.pdf_reader.active_ms", value: active(reader), unit: "ms", better: "lower" },
    ],
    targets: [],
  };
}
