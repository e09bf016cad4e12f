import { Hono } from "hono";
import { cloudPrefix, NATIONAL_CLOUDS, type EmulatedCloud } from "./clouds";
import type { EmulatorEnv, EmulatorServices } from "./context";
import { controlRoutes } from "./control";
import { SigningKeys } from "./entra/keys";
import { entraRoutes } from "./entra/routes";
import { graphApp } from "./graph/app";
import { DownloadLinks } from "./graph/files/downloads";
import { FaultInjector } from "./graph/faults";
import { downloadRoutes } from "./graph/files/download-routes";
import { uploadRoutes } from "./graph/mail/uploads";
import { GraphStore } from "./graph/store";
import { EmulatorState } from "./state";

/**
 * The Microsoft 365 emulator as a plain fetch handler: Entra ID v2.0 under
 * `/<tenant>/…`, Graph under `/v1.0`, the download URLs Graph redirects
 * file content to under `/_download`, and its own control API under
 * `/_emulator`. The national clouds' Entra ID and Graph answer the same paths
 * under `/cloud/<name>` (emulator/clouds.ts), each with its own signing keys.
 * Web APIs only, so it runs under Node or any fetch runtime.
 */
export function createEmulatorApp(state = new EmulatorState(), options: { seedDay?: number } = {}) {
  const keysByCloud = new Map<EmulatedCloud, SigningKeys>([
    ["global", new SigningKeys()],
    ...NATIONAL_CLOUDS.map((cloud) => [cloud, new SigningKeys()] as const),
  ]);
  const services: EmulatorServices = {
    state,
    cloud: "global",
    keys: keysByCloud.get("global") ?? new SigningKeys(),
    keysByCloud,
    graph: new GraphStore(options.seedDay),
    faults: new FaultInjector(),
    downloads: new DownloadLinks(),
    dispatch: async (request) => app.fetch(request),
  };
  const app = new Hono<EmulatorEnv>().use("*", async (c, next) => {
    for (const [key, value] of Object.entries(services)) c.set(key as keyof EmulatorServices, value as never);
    await next();
    if (!c.res.headers.has("request-id")) c.header("request-id", crypto.randomUUID());
  });
  for (const cloud of NATIONAL_CLOUDS) app.route(cloudPrefix(cloud), nationalCloud(cloud, keysByCloud.get(cloud) ?? new SigningKeys()));
  app
    .route("/", controlRoutes)
    .route("/", downloadRoutes)
    .route("/", uploadRoutes)
    .route("/", graphApp)
    .route("/", entraRoutes)
    .notFound((c) => c.json({ error: "not_found", message: `The emulator has no ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  return app;
}

/** One national cloud's Entra ID and Graph: the same routes as Global's, answering as that cloud with its keys. */
function nationalCloud(cloud: EmulatedCloud, keys: SigningKeys) {
  return new Hono<EmulatorEnv>()
    .use("*", async (c, next) => {
      c.set("cloud", cloud);
      c.set("keys", keys);
      await next();
    })
    .route("/", graphApp)
    .route("/", entraRoutes);
}
