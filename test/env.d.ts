import type { Env as GatewayEnv } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends GatewayEnv {}
    interface GlobalProps {
      mainModule: typeof import("../src/index");
    }
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    emulatorUrl: string;
    seedDate: string;
    benchCollectorUrl: string;
  }
}
