import { Hono } from "hono";
import { GATEWAY_VERSION, type Env } from "../../env";

/** @module GET /health: reachability of D1 and KV, and the running version. */

async function probe(check: () => Promise<unknown>): Promise<"ok" | "error"> {
  try {
    await check();
    return "ok";
  } catch {
    return "error";
  }
}

export function healthRoute<E extends { Bindings: Env }>() {
  return new Hono<E>().get("/health", async (c) => {
    const [d1, kv] = await Promise.all([
      probe(() => c.env.DB.prepare("SELECT 1").first()),
      probe(() => c.env.OAUTH_KV.get("health:probe")),
    ]);
    const healthy = d1 === "ok" && kv === "ok";
    return c.json({ status: healthy ? "ok" : "degraded", version: GATEWAY_VERSION, checks: { d1, kv } }, healthy ? 200 : 503, {
      "cache-control": "no-store",
    });
  });
}
