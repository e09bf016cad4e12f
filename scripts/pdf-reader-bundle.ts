/**
 * @module The PDF reader Worker (pdf.wrangler.toml) built as `wrangler
 * deploy` would upload it, and its Miniflare options: wherever the gateway
 * runs locally from a bundle or under the test pool (tests, bench, browser
 * tests), this Worker runs beside it, so the gateway's PDF_READER service
 * binding reaches the real reader. Miniflare's auxiliary Workers take built
 * JavaScript, hence the build. Offline: no account, no network.
 */
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { experimental_readRawConfig } from "wrangler";

export const PDF_READER_CONFIG = "pdf.wrangler.toml";
export const PDF_READER_NAME = "m365-mcp-gateway-pdf";

/** `wrangler deploy --dry-run -c pdf.wrangler.toml --outdir <outdir>`; returns wrangler's report (with its "Total Upload" line). */
export function buildPdfReader(outdir: string): string {
  // Built aside and moved into place, so a run starting alongside never loads half a bundle.
  const building = `${outdir}.${process.pid}`;
  const result = spawnSync("node_modules/.bin/wrangler", ["deploy", "--dry-run", "-c", PDF_READER_CONFIG, "--outdir", building], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" },
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.status !== 0) {
    rmSync(building, { recursive: true, force: true });
    throw new Error(`building the PDF reader Worker failed: ${result.stderr}${result.stdout}`);
  }
  rmSync(outdir, { recursive: true, force: true });
  renameSync(building, outdir);
  return result.stdout;
}

/** The built PDF reader as one of Miniflare's `workers`, with pdf.wrangler.toml's name and compatibility settings; builds it when `outdir` has none. */
export function pdfReaderWorker(outdir: string): {
  name: string;
  modules: true;
  modulesRoot: string;
  scriptPath: string;
  compatibilityDate?: string;
  compatibilityFlags?: string[];
} {
  const root = resolve(outdir);
  if (!existsSync(join(root, "index.js"))) buildPdfReader(root);
  const { rawConfig } = experimental_readRawConfig({ config: PDF_READER_CONFIG });
  return {
    name: rawConfig.name ?? PDF_READER_NAME,
    modules: true,
    modulesRoot: root,
    scriptPath: join(root, "index.js"),
    compatibilityDate: rawConfig.compatibility_date,
    compatibilityFlags: rawConfig.compatibility_flags,
  };
}
