import base from "./vitest.config";

/**
 * `npm run bench`: the same workerd setup as the tests (plugin, bindings,
 * migrations), but only the benchmarks, with the collector that writes
 * BENCHMARKS.md. Fields are replaced, not merged, so tests do not run here.
 */
export default {
  ...base,
  test: {
    ...base.test,
    globalSetup: ["./bench/global-setup.ts"],
    include: ["bench/**/*.bench.test.ts"],
    testTimeout: 600_000,
  },
};
