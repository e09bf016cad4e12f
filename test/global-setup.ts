import type { TestProject } from "vitest/node";
import { controlClient } from "../emulator/control-client";
import { seedDateFromEnv, startEmulator } from "../emulator/node-server";
import { startSiemReceiver } from "./siem-receiver";

/**
 * Starts the Microsoft 365 emulator over real HTTP for the whole test run.
 * `EMULATOR_SEED_DATE=YYYY-MM-DD` moves its seeded content to another day;
 * tests read that day (`seedDate`) and derive every window from it.
 */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator({ seedDate: seedDateFromEnv() });
  const seed = await controlClient(emulator.url).seed();
  project.provide("emulatorUrl", emulator.url);
  project.provide("seedDate", seed.seedDate);
  // The audit stream's stand-in SIEM collector (test/siem-receiver.ts).
  const receiver = await startSiemReceiver();
  project.provide("siemReceiverUrl", receiver.url);
  return async () => {
    await receiver.close();
    await emulator.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    emulatorUrl: string;
    seedDate: string;
    siemReceiverUrl: string;
  }
}
