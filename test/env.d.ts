// The Worker's bindings (Cloudflare.Env) and main module come from the
// generated worker-configuration.d.ts.
declare module "vitest" {
  export interface ProvidedContext {
    emulatorUrl: string;
    seedDate: string;
    benchCollectorUrl: string;
    siemReceiverUrl: string;
  }
}

// oxlint-disable-next-line unicorn/require-module-specifiers -- makes this file a module, so the block above augments vitest instead of replacing it
export {};
