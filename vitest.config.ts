import { defineConfig } from 'vitest/config';

// Tests import through package names; the `source` condition points them at src/ so a unit test
// needs no build. Tests run in Vite's SSR environment, whose resolver takes its conditions from
// `ssr.resolve` (top-level `resolve.conditions` alone left them on the built dist/). CLI tests run
// the built bin, so `npm test` builds first.
const ALL = ['packages/*/test/**/*.test.ts', 'test/consumer/**/*.test.ts', 'test/e2e/**/*.test.ts'];
const HEAVY = ['packages/backfill/test/crash.test.ts', 'packages/backfill/test/concurrent.test.ts'];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    // The backfill's crash and live-write tests keep both cores busy for minutes (dozens of child
    // processes and databases): they run as a group of their own, after the rest, so that the browser
    // tests' timing is not theirs to share.
    projects: [
      { extends: true, test: { name: 'main', include: ALL, exclude: HEAVY, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'backfill-stress', include: HEAVY, sequence: { groupOrder: 1 } } },
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Browser tests poll what the page shows; with every test file running at once on two cores,
    // vitest's 1 s default is too short for a render after a model load.
    expect: { poll: { timeout: 30_000 } },
  },
});
