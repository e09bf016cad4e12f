import { mergeConfig } from "vitest/config";
import base from "./vitest.config";

/** `npm run bench`: the same workerd setup as the tests, plus the collector. */
export default mergeConfig(base, {
  test: {
    globalSetup: ["./bench/global-setup.ts"],
    include: ["bench/**/*.bench.test.ts"],
    testTimeout: 600_000,
  },
});
