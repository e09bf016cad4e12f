import { Hono } from "hono";
import type { EmulatorEnv, EmulatorServices } from "./context";
import { controlRoutes } from "./control";
import { SigningKeys } from "./entra/keys";
import { entraRoutes } from "./entra/routes";
import { graphApp } from "./graph/app";
import { DownloadLinks } from "./graph/files/downloads";
import { FaultInjector } from "./graph/faults";
import { downloadRoutes } from "./graph/files/download-routes";
import { GraphStore } from "./graph/store";
import { EmulatorState } from "./state";

/**
 * The Microsoft 365 emulator as a plain fetch handler: Entra ID v2.0 under
 * `/<tenant>/…`, Graph under `/v1.0`, the download URLs Graph redirects
 * file content to under `/_download`, and its own control API under
 * `/_emulator`. Web APIs only, so it runs under Node or any fetch runtime.
 */
export function createEmulatorApp(state = new EmulatorState(), options: { seedDay?: number } = {}) {
  const services: EmulatorServices = {
    state,
    keys: new SigningKeys(),
    graph: new GraphStore(options.seedDay),
    faults: new FaultInjector(),
    downloads: new DownloadLinks(),
    dispatch: async (request) => app.fetch(request),
  };
  const app = new Hono<EmulatorEnv>()
    .use("*", async (c, next) => {
      for (const [key, value] of Object.entries(services)) c.set(key as keyof EmulatorServices, value as never);
      await next();
      if (!c.res.headers.has("request-id")) c.header("request-id", crypto.randomUUID());
    })
    .route("/", controlRoutes)
    .route("/", downloadRoutes)
    .route("/", graphApp)
    .route("/", entraRoutes)
    .notFound((c) => c.json({ error: "not_found", message: `The emulator has no ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  return app;
}
