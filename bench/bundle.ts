import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildDeployBundle } from "./gateway";
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
  const wranglerLine = /Total Upload: ([^\n]+)/.exec(printed.replace(/\x1b\[[0-9;]*m/g, ""))?.[1]?.trim() ?? "not printed";
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
