import { randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { HostHeaderPool } from "./http";
import { summarize } from "./load";
import { fixed, signed, type PartResult } from "./results";

/**
 * Tenant resolution with 10,000 organizations in D1. Rows are inserted
 * straight into the local D1 before the gateway starts (a generated SQL
 * file applied with `wrangler d1 execute --local`); they are well-formed
 * but their sealed secrets are random, since only host → tenant lookup is
 * measured. `GET /health` on a tenant host runs the same D1 and KV probe
 * as on the apex, so tenant host minus apex is what resolving the tenant
 * costs: uncached (a slug this isolate never saw: a D1 lookup by the
 * unique slug index) or cached (the per-isolate tenant cache).
 */
export const SEEDED_TENANTS = 10_000;
/** Rows per INSERT: D1 refuses statements over 100 KB. */
const BATCH = 100;

export const seededSlug = (index: number) => `rt-${String(index + 1).padStart(5, "0")}`;

export function writeTenantSeed(path: string, count = SEEDED_TENANTS): void {
  const policy = JSON.stringify({
    readOnly: false,
    enabledGroups: ["mail", "calendar", "contacts", "teams", "files", "tasks"],
    allowCustomSchemeRedirects: false,
  });
  const b64 = (bytes: number) => randomBytes(bytes).toString("base64");
  const lines: string[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const values: string[] = [];
    for (let index = start; index < Math.min(count, start + BATCH); index += 1) {
      const slug = seededSlug(index);
      values.push(
        `('${randomUUID()}','${slug}','Seeded org ${index + 1}','it@${slug}.example','${randomUUID()}','${randomUUID()}','${b64(56)}','${b64(12)}','${b64(48)}','${b64(12)}','1','Sd8~','active','${policy}','${randomBytes(32).toString("hex")}')`,
      );
    }
    lines.push(
      `INSERT INTO tenants (id, slug, display_name, admin_email, entra_tenant_id, client_id, secret_ciphertext, secret_iv, wrapped_data_key, data_key_iv, kek_id, secret_hint, status, policy, admin_key_hash) VALUES\n${values.join(",\n")};`,
    );
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

export async function tenantResolution(pool: HostHeaderPool, options: { maxSeconds: number; count?: number }): Promise<PartResult> {
  const count = options.count ?? SEEDED_TENANTS;
  const get = async (host: string) => {
    const response = await pool.get(host, "/health");
    if (response.status !== 200) throw new Error(`GET /health on ${host}: ${response.status} ${response.text.slice(0, 200)}`);
    return response.ms;
  };
  const cachedSlug = seededSlug(0);
  for (let index = 0; index < 200; index += 1) {
    await get("localhost");
    await get(`${cachedSlug}.localhost`);
  }
  // Interleaved, so drift (GC, page cache) falls on all three alike: every
  // distinct slug once (uncached); every 5th step the apex and the cached slug.
  const apex: number[] = [];
  const cached: number[] = [];
  const uncached: number[] = [];
  const deadline = Date.now() + options.maxSeconds * 1000;
  const order = shuffled(Array.from({ length: count - 1 }, (_, index) => seededSlug(index + 1)));
  for (const [step, slug] of order.entries()) {
    if (Date.now() > deadline) break;
    uncached.push(await get(`${slug}.localhost`));
    if (step % 5 === 0) {
      apex.push(await get("localhost"));
      cached.push(await get(`${cachedSlug}.localhost`));
    }
  }
  const rows = (
    [
      ["apex (no tenant to resolve)", apex],
      ["tenant host, cached", cached],
      ["tenant host, uncached (first request for that slug)", uncached],
    ] as const
  ).map(([name, samples]) => ({ name, samples: samples.length, ...summarize(samples) }));
  const [apexRow, cachedRow, uncachedRow] = rows;
  const base = apexRow?.p50 ?? Number.NaN;
  return {
    sections: [
      {
        id: "tenant-resolution",
        title: `Tenant resolution with ${count.toLocaleString("en")} tenants in D1`,
        note: `\`GET /health\` at concurrency 1 over one warm https connection; the tenant is named by the Host header (\`<slug>.localhost\`). Uncached: ${uncached.length.toLocaleString("en")} distinct slugs hit once each in random order; cached: one slug again and again within the cache TTL; apex: same probe, no tenant. "resolution" = p50 − apex p50.`,
        headers: ["host", "requests", "p50 ms", "p95 ms", "p99 ms", "resolution p50 ms"],
        rows: rows.map((row) => [
          row.name,
          row.samples,
          fixed(row.p50),
          fixed(row.p95),
          fixed(row.p99),
          row === apexRow ? "—" : signed(row.p50 - base),
        ]),
      },
    ],
    figures: [
      { id: "tenant_resolution.apex.p50_ms", value: apexRow?.p50 ?? Number.NaN, unit: "ms", better: "lower" },
      { id: "tenant_resolution.cached.p50_ms", value: cachedRow?.p50 ?? Number.NaN, unit: "ms", better: "lower" },
      { id: "tenant_resolution.cached.p95_ms", value: cachedRow?.p95 ?? Number.NaN, unit: "ms", better: "lower" },
      { id: "tenant_resolution.uncached.p50_ms", value: uncachedRow?.p50 ?? Number.NaN, unit: "ms", better: "lower" },
      { id: "tenant_resolution.uncached.p95_ms", value: uncachedRow?.p95 ?? Number.NaN, unit: "ms", better: "lower" },
    ],
    targets: [],
  };
}
