import { serve } from "@hono/node-server";
import { createEmulatorApp } from "./app";
import { parseSeedDate } from "./graph/day";
import { seedDemo } from "./seed";
import { EmulatorState } from "./state";

/** Runs the emulator as a Node HTTP server: `tsx emulator/node-server.ts`. */
export interface RunningEmulator {
  url: string;
  state: EmulatorState;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  port?: number;
  seedRedirectUri?: string;
  /** `YYYY-MM-DD`: the day seeded content is laid out around; today (UTC) when unset. */
  seedDate?: string;
}

/** The seed date from `EMULATOR_SEED_DATE`, if set: how tests and `npm run dev` move the seeded world. */
export function seedDateFromEnv(): string | undefined {
  return process.env.EMULATOR_SEED_DATE?.trim() || undefined;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seedDay = options.seedDate === undefined ? undefined : parseSeedDate(options.seedDate);
  if (options.seedDate !== undefined && seedDay === undefined) {
    throw new Error(`EMULATOR_SEED_DATE must be a calendar date written YYYY-MM-DD, got "${options.seedDate}"`);
  }
  const state = new EmulatorState();
  if (options.seedRedirectUri) seedDemo(state, options.seedRedirectUri);
  const app = createEmulatorApp(state, { seedDay });
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
  const emulator = await startEmulator({ port, seedRedirectUri: redirect, seedDate: seedDateFromEnv() });
  console.log(`Microsoft 365 emulator listening on ${emulator.url}`);
}
