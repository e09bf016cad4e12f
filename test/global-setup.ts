import type { TestProject } from "vitest/node";
import { startEmulator } from "../emulator/node-server";

/** Starts the Microsoft 365 emulator over real HTTP for the whole test run. */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator();
  project.provide("emulatorUrl", emulator.url);
  return () => emulator.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    emulatorUrl: string;
  }
}
