// The Worker's bindings (Cloudflare.Env) and main module come from the
// generated worker-configuration.d.ts.
declare module "vitest" {
  export interface ProvidedContext {
    emulatorUrl: string;
    seedDate: string;
    benchCollectorUrl: string;
  }
}

export {};
