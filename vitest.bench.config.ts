import { configDefaults, type TestProjectInlineConfiguration } from "vitest/config";
import base from "./vitest.config";

/**
 * `npm run bench`: the same workerd project as the tests (plugin, bindings,
 * migrations), but only the benchmarks, with the collector that writes
 * BENCHMARKS.md. The tests' projects are replaced by that one project with
 * the bench's global setup and files, so no test file (and no browser
 * project) runs here.
 */
const projects = (base.test?.projects ?? []) as TestProjectInlineConfiguration[];
const workers = projects.find((project) => project.test?.name === "workers");
if (!workers) throw new Error("vitest.config.ts has no workers project");

export default {
  ...base,
  test: {
    ...base.test,
    projects: [
      {
        ...workers,
        test: {
          ...workers.test,
          globalSetup: ["./bench/global-setup.ts"],
          include: ["bench/**/*.bench.test.ts"],
          exclude: [...configDefaults.exclude],
          testTimeout: 600_000,
        },
      },
    ],
  },
};
