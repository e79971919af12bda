import { defineConfig } from 'vitest/config';

// Tests import through package names; the `@semfilter/source` condition points them at src/ so a
// unit test needs no build. (A name of our own rather than `source`: the published packages ship
// dist/ only, and a host whose bundler honours a plain `source` condition must not be sent to a
// src/ that is not there.) Tests run in Vite's SSR environment, whose resolver takes its conditions
// from `ssr.resolve` (top-level `resolve.conditions` alone left them on the built dist/). CLI tests
// run the built bin, so `npm test` builds first.
const BROWSER = ['test/consumer/**/*.test.ts', 'test/e2e/**/*.test.ts'];
const PACKAGES = ['packages/*/test/**/*.test.ts', 'test/repository/**/*.test.ts', 'test/demo/**/*.test.ts'];
const STRESS = ['packages/backfill/test/crash.test.ts', 'packages/backfill/test/concurrent.test.ts'];

export default defineConfig({
  resolve: { conditions: ['@semfilter/source'] },
  ssr: { resolve: { conditions: ['@semfilter/source'], externalConditions: ['@semfilter/source'] } },
  test: {
    // Three groups, one after the other. The browser tests first, on their own and one file at a
    // time: beside other browsers, onnxruntime's threaded build loses a pthread worker now and then
    // (see test/e2e/worker-threads.test.ts). Then the packages' tests; last the
    // backfill's crash and live-write tests, which keep both cores busy for minutes (dozens of child
    // processes and databases).
    projects: [
      { extends: true, test: { name: 'browser', include: BROWSER, fileParallelism: false, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'packages', include: PACKAGES, exclude: STRESS, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'backfill-stress', include: STRESS, sequence: { groupOrder: 2 } } },
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Browser tests poll what the page shows; with every test file running at once on two cores,
    // vitest's 1 s default is too short for a render after a model load.
    expect: { poll: { timeout: 30_000 } },
  },
});
