import { defineConfig } from 'vitest/config';

// Tests import through package names; the `source` condition points them at src/ so a unit test
// needs no build. Tests run in Vite's SSR environment, whose resolver takes its conditions from
// `ssr.resolve` (top-level `resolve.conditions` alone left them on the built dist/). CLI tests run
// the built bin, so `npm test` builds first.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/consumer/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Browser tests poll what the page shows; with every test file running at once on two cores,
    // vitest's 1 s default is too short for a render after a model load.
    expect: { poll: { timeout: 30_000 } },
  },
});
