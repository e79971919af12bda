// Browser tests in real Chromium (Debian's /usr/bin/chromium: nothing is downloaded), serving the
// repository root, so the built packages and the fetched model are reachable at /packages/… and /models/….
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { createNodeEmbedder } from '@semfilter/node';
import { reactEsm } from './test/support/react-esm.mjs';

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Path prefixes the tests have switched off: requests under them answer a real 404. */
const offline = new Set();
/** Path prefixes answered with an HTML page and status 200, as a single-page app's fallback route does. */
const htmlPages = new Set();
/** Path prefixes held back by the tests: requests under them wait until the prefix is released. */
const held = new Map();
/** Requests seen per path, for tests that count model downloads. */
const requests = new Map();
let nodeEmbedder;

/**
 * `/fresh/<tag>/…` serves `/…`: each test gets URLs no cache has seen yet, and can switch its own
 * prefix off and on again.
 */
async function freshPaths(context, next) {
  const path = context.path;
  requests.set(path, (requests.get(path) ?? 0) + 1);
  for (const [prefix, hold] of held) if (path.startsWith(prefix)) await hold.released;
  const html = [...htmlPages].some((prefix) => path.startsWith(prefix));
  if (html || [...offline].some((prefix) => path.startsWith(prefix))) {
    context.status = html ? 200 : 404;
    context.type = html ? 'text/html' : 'text/plain';
    context.body = html ? '<!doctype html><html><body><div id="app">switched to an HTML page by the test</div></body></html>' : 'switched off by the test';
    // wtr's cache middleware marks every response whose path has an extension as cacheable for a
    // year, 404s included; a real server's 404 or fallback page is not cached, so keep this one uncacheable.
    const set = context.response.set.bind(context.response);
    context.response.set = (field, value) => set(field, String(field).toLowerCase() === 'cache-control' ? 'no-store' : value);
    return undefined;
  }
  const fresh = /^\/fresh\/[^/]+(\/.*)$/.exec(path);
  if (fresh) context.url = fresh[1] + (context.querystring ? `?${context.querystring}` : '');
  return next();
}

const testCommands = {
  name: 'semfilter-test-commands',
  async executeCommand({ command, payload }) {
    switch (command) {
      case 'node-embed':
        nodeEmbedder ??= createNodeEmbedder();
        return (await nodeEmbedder.embed(payload.texts)).map((vector) => Array.from(vector));
      case 'set-offline':
        if (payload.offline) offline.add(payload.prefix);
        else offline.delete(payload.prefix);
        return true;
      case 'set-html':
        if (payload.html) htmlPages.add(payload.prefix);
        else htmlPages.delete(payload.prefix);
        return true;
      case 'set-held':
        if (payload.held && !held.has(payload.prefix)) {
          let release;
          const released = new Promise((resolve) => (release = resolve));
          held.set(payload.prefix, { released, release });
        } else if (!payload.held) {
          held.get(payload.prefix)?.release();
          held.delete(payload.prefix);
        }
        return true;
      case 'request-count':
        return [...requests].filter(([path]) => path.startsWith(payload.prefix)).reduce((sum, [, count]) => sum + count, 0);
      default:
        return undefined;
    }
  },
};

export default {
  files: ['test/browser/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser'] },
  concurrency: 1,
  middleware: [freshPaths],
  // reactEsm: react and react-dom are CommonJS; the React wrapper tests import them as ES modules.
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), testCommands, reactEsm()],
  browsers: [chromeLauncher({ launchOptions: { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS } })],
  testFramework: { config: { timeout: 180_000 } },
  browserStartTimeout: 60_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 20 * 60_000,
};
