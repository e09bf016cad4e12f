import type { Context } from "hono";
import { z } from "zod";
import { cloudBase } from "../clouds";
import type { GraphEnv } from "../context";
import { GRAPH_ERRORS } from "./errors";

/**
 * @module POST /v1.0/$batch: up to 20 sub-requests, each dispatched through the full
 * Graph pipeline (token, scopes, faults) as if sent alone. `dependsOn` runs a
 * request after its dependencies and fails it with 424 if one failed.
 */

const MAX_REQUESTS = 20;

const BatchSchema = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"]),
      url: z.string().startsWith("/"),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

export async function batchHandler(c: Context<GraphEnv>): Promise<Response> {
  const parsed = BatchSchema.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) return GRAPH_ERRORS.badRequest("Invalid batch payload format.");
  const { requests } = parsed.data;
  if (requests.length > MAX_REQUESTS) {
    return GRAPH_ERRORS.badRequest(`Number of batch requests exceeded the limit of ${MAX_REQUESTS}.`);
  }
  if (new Set(requests.map((r) => r.id)).size !== requests.length) {
    return GRAPH_ERRORS.badRequest("Batch request ids must be unique.");
  }
  const origin = cloudBase(c);
  const statuses = new Map<string, number>();
  const responses = [];
  for (const sub of requests) {
    const failedDependency = sub.dependsOn?.find((id) => (statuses.get(id) ?? 424) >= 400);
    if (failedDependency !== undefined) {
      statuses.set(sub.id, 424);
      responses.push({
        id: sub.id,
        status: 424,
        body: { error: { code: "FailedDependency", message: `Depends on ${failedDependency}, which failed.` } },
      });
      continue;
    }
    const headers = new Headers(sub.headers);
    headers.set("authorization", c.req.header("authorization") ?? "");
    if (sub.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    const response = await c.get("dispatch")(
      new Request(`${origin}/v1.0${sub.url}`, {
        method: sub.method,
        headers,
        body: sub.body === undefined ? undefined : JSON.stringify(sub.body),
      }),
    );
    statuses.set(sub.id, response.status);
    const text = await response.text();
    const responseHeaders: Record<string, string> = {};
    for (const name of ["retry-after", "content-type", "location"]) {
      const value = response.headers.get(name);
      if (value) responseHeaders[name] = value;
    }
    responses.push({ id: sub.id, status: response.status, headers: responseHeaders, body: text ? JSON.parse(text) : undefined });
  }
  return c.json({ responses });
}
