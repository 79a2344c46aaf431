import { fileURLToPath } from "node:url";

import { configDefaults, defineConfig } from "vitest/config";
import type { Reporter, TestModule } from "vitest/node";

/** Ends the run with a plain "N passed, N failed" line that any CI log reader understands. */
const plainSummary: Reporter = {
  onTestRunEnd(testModules: readonly TestModule[]) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  },
};

/** Every test file. */
const TESTS = [
  "packages/*/test/**/*.test.ts",
  "packages/*/src/**/*.test.ts",
  "prometheus/test/**/*.test.ts",
  "grafana/test/**/*.test.ts",
  "soak/test/**/*.test.ts",
  "bench/test/**/*.test.ts",
];

/** The tests whose verdict depends on timing: latency under a compressed time scale, rates over scrape windows (see `projects`). */
const TIMED = [
  "prometheus/test/e2e.test.ts",
  "packages/demo-agent/test/load.test.ts",
  // increase() over a window of live traffic: irregular scrapes under load move its ratios past 1 %
  "grafana/test/third-party-queries.test.ts",
];

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@agentwatch/fixtures": src("fixtures"),
      "@agentwatch/middleware": src("middleware"),
      "@agentwatch/eval": src("eval"),
      "@agentwatch/demo-agent": src("demo-agent"),
    },
  },
  test: {
    testTimeout: 30_000,
    pool: "forks",
    reporters: ["default", plainSummary],
    // `npm test` runs the two projects one after the other: the end-to-end alert test, the load test
    // and the third-party query test depend on timing (compressed SLOs, scrape windows), so they run
    // one at a time on a machine no other test loads
    // (2 cores: run beside the rest of the suite they saw every agent's latency SLO burn).
    projects: [
      { extends: true, test: { name: "main", include: TESTS, exclude: [...configDefaults.exclude, ...TIMED] } },
      { extends: true, test: { name: "timed", include: TIMED, fileParallelism: false } },
    ],
  },
});
