import { serve } from "@hono/node-server";
import { createEmulatorApp } from "./app";
import { seedDemo } from "./seed";
import { EmulatorState } from "./state";

/** Runs the emulator as a Node HTTP server: `tsx emulator/node-server.ts`. */
export interface RunningEmulator {
  url: string;
  state: EmulatorState;
  close(): Promise<void>;
}

export async function startEmulator(options: { port?: number; seedRedirectUri?: string } = {}): Promise<RunningEmulator> {
  const state = new EmulatorState();
  if (options.seedRedirectUri) seedDemo(state, options.seedRedirectUri);
  const app = createEmulatorApp(state);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: "127.0.0.1" }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        state,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.EMULATOR_PORT ?? 8790);
  const redirect = process.env.EMULATOR_DEMO_REDIRECT_URI ?? "http://demo.localhost:8787/callback";
  const emulator = await startEmulator({ port, seedRedirectUri: redirect });
  console.log(`Microsoft 365 emulator listening on ${emulator.url}`);
}
