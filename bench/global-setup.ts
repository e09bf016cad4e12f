import type { TestProject } from "vitest/node";
import { startEmulator } from "../emulator/node-server";
import { startCollector } from "./collector";
import { writeReport } from "./report";

/** Emulator over real HTTP, plus the collector that writes BENCHMARKS.md at the end. */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator();
  const collector = await startCollector();
  project.provide("emulatorUrl", emulator.url);
  project.provide("benchCollectorUrl", collector.url);
  return async () => {
    const order = ["token-economy", "catalogue"];
    const sections = [...collector.sections.entries()]
      .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
      .map(([, section]) => section);
    if (sections.length > 0) writeReport(sections);
    await collector.close();
    await emulator.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    benchCollectorUrl: string;
  }
}
