import { writeFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { startEmulator } from "../emulator/node-server";
import { startCollector } from "./collector";
import type { PartResult } from "./results";

/**
 * The workerd half of `npm run bench`: the emulator over real HTTP and the
 * collector the benchmarks post to. At the end the collected sections go to
 * the file scripts/bench.ts named in BENCH_WORKERD_RESULTS (it writes
 * BENCHMARKS.md); run on its own, they are printed.
 */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator();
  const collector = await startCollector();
  project.provide("emulatorUrl", emulator.url);
  project.provide("benchCollectorUrl", collector.url);
  return async () => {
    const order = ["token-economy", "catalogue"];
    const posted = [...collector.sections.values()].sort((a, b) => (order.indexOf(a.id) + 1 || 99) - (order.indexOf(b.id) + 1 || 99));
    const result: PartResult = {
      sections: posted.map(({ figures: _figures, targets: _targets, ...section }) => section),
      figures: posted.flatMap((section) => section.figures ?? []),
      targets: posted.flatMap((section) => section.targets ?? []),
    };
    const out = process.env.BENCH_WORKERD_RESULTS;
    if (out) writeFileSync(out, JSON.stringify(result, null, 2));
    else for (const section of result.sections) console.log(`\n${section.title}\n${section.rows.map((row) => row.join(" | ")).join("\n")}`);
    await collector.close();
    await emulator.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    benchCollectorUrl: string;
  }
}
