import { runLoad, type LoadResult, type Sample } from "./load";
import type { LoopbackHttp } from "./http";
import { fixed, signed, type Figure, type PartResult, type Section, type TargetCheck } from "./results";
import { callTool, MCP_HEADERS, type BenchTenant, type SignIn } from "./sign-in";

/**
 * Gateway overhead: `tools/call list_messages {limit: 10}` through the
 * gateway (MCP over https, OAuth token check, per-user agent, Graph call,
 * formatting) against the very Graph request that tool sends, straight to
 * the emulator, at concurrency 1, 8 and 32, in the same run. Requests are
 * spread over 8 users, so concurrency 32 meets each mailbox's cap of 4
 * concurrent Graph calls exactly instead of queueing behind it.
 */
export const CONCURRENCIES = [1, 8, 32] as const;
export const USERS = 8;
export const ADDED_P50_TARGET_MS = 5;
/**
 * Before each row, for both paths: long enough for V8 to have optimised the
 * hot paths of the just-started workerd isolate and emulator process, so each
 * row compares steady states rather than a fresh process's first requests.
 */
const WARM_UP = { seconds: 6, maxRequests: 2000 };
export const SOAK_C32_TARGET_SECONDS = 60;
/** Exactly what list_messages asks Graph for (src/graph/tools/mail.tools.ts, LIST_SELECT in format/mail.ts). */
const LIST_QUERY = { $select: "receivedDateTime,from,subject,isRead,hasAttachments,importance,bodyPreview", $top: "10", $orderby: "receivedDateTime desc" };

export interface OverheadOptions {
  http: LoopbackHttp;
  signIn: SignIn;
  tenant: BenchTenant;
  emulatorUrl: string;
  gatewayOrigin: string;
  apexOrigin: string;
  loadSeconds: number;
  c32Seconds: number;
}

/**
 * Where the time of one tools/call goes at concurrency 1: requests that stop
 * at successive stages of the same path, each timed like the main table.
 */
async function timeBreakdown(options: OverheadOptions, accessToken: string, toolCall: LoadResult | undefined): Promise<Section> {
  const { http } = options;
  const mcpUrl = `${options.gatewayOrigin}/mcp`;
  const stage = async (request: () => Promise<{ ms: number; ok: boolean }>) =>
    runLoad({
      concurrency: 1,
      seconds: 10,
      maxRequests: 400,
      request: async () => {
        const result = await request();
        return { ms: result.ms, ok: result.ok, error: "unexpected answer" };
      },
    });
  const rpc = (token: string | undefined) =>
    http.fetch(mcpUrl, {
      method: "POST",
      headers: { ...MCP_HEADERS, "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: {} }),
    });
  const stages: [string, LoadResult | undefined][] = [
    ["static route on the apex, no storage (the local serving floor: TLS and workerd's request handling)", await stage(async () => {
      const response = await http.fetch(`${options.apexOrigin}/assets/signup.js`);
      return { ms: response.ms, ok: response.status === 200 };
    })],
    ["`/mcp` without a token: tenant lookup (cached), OAuth provider, 401", await stage(async () => {
      const response = await rpc(undefined);
      return { ms: response.ms, ok: response.status === 401 };
    })],
    ["`/mcp` `ping` with a valid token: token check and grant props, MCP server for the user's tools, no Graph", await stage(async () => {
      const response = await rpc(accessToken);
      return { ms: response.ms, ok: response.status === 200 };
    })],
    ["`tools/call list_messages {limit: 10}`: + per-user agent, one Graph call, formatting (main table)", toolCall],
  ];
  let previous = 0;
  return {
    id: "overhead-breakdown",
    title: "Where a tools/call spends its time (concurrency 1)",
    note: "Requests that stop at successive stages of the same path, each timed like the table above (10 s or 400 requests each, after the main run). The step column is the difference of p50s from the row before; the first row is present in every local figure and absent in production, where Cloudflare's edge replaces it.",
    headers: ["request", "requests", "p50 ms", "p95 ms", "step p50 ms"],
    rows: stages.map(([name, result]) => {
      const p50 = result?.p50 ?? Number.NaN;
      const step = previous === 0 ? "—" : signed(p50 - previous);
      previous = p50;
      return [name, result?.requests ?? 0, fixed(p50), fixed(result?.p95 ?? Number.NaN), step];
    }),
  };
}

function idsIn(text: string): string[] {
  return [...text.matchAll(/id: (\S+)/g)].map((match) => match[1] ?? "");
}

export async function gatewayOverhead(options: OverheadOptions): Promise<PartResult> {
  const { http, tenant } = options;
  const mcpUrl = `${options.gatewayOrigin}/mcp`;
  const direct = new URL(`${options.emulatorUrl}/v1.0/me/mailFolders/inbox/messages`);
  for (const [key, value] of Object.entries(LIST_QUERY)) direct.searchParams.set(key, value);
  const users = await Promise.all(
    tenant.users.slice(0, USERS).map(async (user) => ({
      accessToken: await options.signIn.signIn(tenant, user),
      graphToken: await options.signIn.graphToken(tenant, user, tenant.graphScopes),
    })),
  );

  const viaGateway = async (worker: number): Promise<Sample> => {
    const user = users[worker % users.length];
    const result = await callTool(http, mcpUrl, user?.accessToken ?? "", "list_messages", { limit: 10 });
    const ok = !result.transportError && !result.toolError && idsIn(result.text).length === 10;
    return { ms: result.ms, ok, error: ok ? undefined : `${result.status} ${result.text.slice(0, 200)}` };
  };
  const straight = async (worker: number): Promise<Sample> => {
    const user = users[worker % users.length];
    const response = await http.fetch(direct.toString(), { headers: { authorization: `Bearer ${user?.graphToken ?? ""}` } });
    const ok = response.status === 200 && (JSON.parse(response.text) as { value?: unknown[] }).value?.length === 10;
    return { ms: response.ms, ok, error: ok ? undefined : `${response.status} ${response.text.slice(0, 200)}` };
  };

  // The same Graph request, proven: the gateway lists exactly the messages the direct call returns.
  const first = users[0];
  const gatewayIds = idsIn((await callTool(http, mcpUrl, first?.accessToken ?? "", "list_messages", { limit: 10 })).text);
  const directBody = JSON.parse((await http.fetch(direct.toString(), { headers: { authorization: `Bearer ${first?.graphToken ?? ""}` } })).text) as { value: { id: string }[] };
  if (gatewayIds.join() !== directBody.value.map((message) => message.id).join()) {
    throw new Error("the direct request does not return the messages list_messages shows: the baseline would not be the same Graph request");
  }

  const rows: (string | number)[][] = [];
  const figures: Figure[] = [];
  const targets: TargetCheck[] = [];
  const results = new Map<number, { gateway: LoadResult; direct: LoadResult }>();
  for (const concurrency of CONCURRENCIES) {
    await runLoad({ concurrency, ...WARM_UP, request: straight });
    await runLoad({ concurrency, ...WARM_UP, request: viaGateway });
    const directResult = await runLoad({ concurrency, seconds: Math.min(10, options.loadSeconds), maxRequests: 500_000, request: straight });
    const gatewaySeconds = concurrency === 32 ? options.c32Seconds : options.loadSeconds;
    const gatewayResult = await runLoad({ concurrency, seconds: gatewaySeconds, maxRequests: 500_000, request: viaGateway });
    results.set(concurrency, { gateway: gatewayResult, direct: directResult });
    const added = gatewayResult.p50 - directResult.p50;
    for (const [path, result] of [["emulator direct (Graph request only)", directResult], ["through the gateway (tools/call)", gatewayResult]] as const) {
      const isGateway = result === gatewayResult;
      rows.push([
        concurrency,
        path,
        result.requests,
        result.errors,
        fixed(result.p50),
        fixed(result.p95),
        fixed(result.p99),
        fixed(result.rps, 1),
        isGateway ? signed(added) : "—",
        isGateway ? `${fixed(gatewayResult.p50 / directResult.p50, 1)}×` : "—",
      ]);
    }
    const prefix = `overhead.c${concurrency}`;
    figures.push(
      { id: `${prefix}.gateway.p50_ms`, value: gatewayResult.p50, unit: "ms", better: "lower" },
      { id: `${prefix}.gateway.p95_ms`, value: gatewayResult.p95, unit: "ms", better: "lower" },
      { id: `${prefix}.gateway.p99_ms`, value: gatewayResult.p99, unit: "ms", better: "lower" },
      { id: `${prefix}.gateway.rps`, value: gatewayResult.rps, unit: "req/s", better: "higher" },
      { id: `${prefix}.added_p50_ms`, value: added, unit: "ms", better: "lower" },
    );
    if (gatewayResult.errors > 0) console.error(`concurrency ${concurrency}: ${gatewayResult.errors} errors, e.g. ${gatewayResult.firstErrors.join(" / ")}`);
  }
  const breakdown = await timeBreakdown(options, users[0]?.accessToken ?? "", results.get(1)?.gateway);

  const c1 = results.get(1);
  const c32 = results.get(32);
  const addedC1 = c1 ? c1.gateway.p50 - c1.direct.p50 : Number.NaN;
  targets.push({ target: `added p50 latency under ${ADDED_P50_TARGET_MS} ms at concurrency 1`, ok: addedC1 < ADDED_P50_TARGET_MS, detail: `${signed(addedC1)} ms (gateway ${fixed(c1?.gateway.p50 ?? Number.NaN)} ms, direct ${fixed(c1?.direct.p50 ?? Number.NaN)} ms)` });
  const c32Seconds = c32?.gateway.seconds ?? 0;
  targets.push({
    target: `no errors at concurrency 32 for ${SOAK_C32_TARGET_SECONDS} s`,
    ok: (c32?.gateway.errors ?? 1) === 0 && c32Seconds >= SOAK_C32_TARGET_SECONDS,
    detail: `${c32?.gateway.errors ?? "?"} errors in ${c32?.gateway.requests ?? 0} requests over ${fixed(c32Seconds, 1)} s`,
  });
  return {
    sections: [
      {
        id: "overhead",
        title: "Gateway overhead: tools/call vs the same Graph request",
        note: [
          "`tools/call list_messages {limit: 10}` through the local gateway (https, MCP JSON-RPC, OAuth bearer check, per-user Durable Object agent, one Graph call, formatting) against the identical Graph request (`GET /me/mailFolders/inbox/messages` with the tool's `$select`, `$top=10`, `$orderby`) sent straight to the emulator with a Graph token minted for the same user; the run checks both return the same 10 messages.",
          `Closed loop: each of N concurrent clients sends its next request when the last answered; ${USERS} signed-in users, client i acting as user i mod ${USERS}. Each row follows a warm-up of both paths (up to 6 s or 2,000 requests each); the gateway runs ${options.loadSeconds} s per concurrency (${options.c32Seconds} s at 32), the direct baseline ${Math.min(10, options.loadSeconds)} s. Latency in ms from Node, request sent to last byte read. "added p50" = gateway p50 − direct p50; ratio = gateway p50 / direct p50.`,
        ].join("\n\n"),
        headers: ["concurrency", "path", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "req/s", "added p50 ms", "p50 ratio"],
        rows,
      },
      breakdown,
    ],
    figures,
    targets,
  };
}
