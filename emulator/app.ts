import { Hono } from "hono";
import type { EmulatorEnv } from "./context";
import { controlRoutes } from "./control";
import { SigningKeys } from "./entra/keys";
import { entraRoutes } from "./entra/routes";
import { EmulatorState } from "./state";

/**
 * The Microsoft 365 emulator as a plain fetch handler: Entra ID v2.0 under
 * `/<tenant>/…`, and its control API under `/_emulator`. Web APIs only, so it
 * runs under Node (dev, test setup) or any fetch-based runtime.
 */
export function createEmulatorApp(state = new EmulatorState(), keys = new SigningKeys()) {
  return new Hono<EmulatorEnv>()
    .use("*", async (c, next) => {
      c.set("state", state);
      c.set("keys", keys);
      await next();
      c.header("request-id", crypto.randomUUID());
    })
    .route("/", controlRoutes)
    .route("/", entraRoutes)
    .notFound((c) => c.json({ error: "not_found", message: `The emulator has no ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
}
