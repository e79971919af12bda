import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { serveFromFolder } from './scripts/serve-folder.js';
import { CROSS_ORIGIN_ISOLATION } from './test/support/static-server.js';

/**
 * Where `npm run fetch-model` puts the model: @semfilter/node's resolveModelsDir() rule for this
 * repository ($SEMFILTER_MODELS_DIR, else models/ at the root). Not imported from it: Vite leaves
 * packages external to this config, and under the tests' `@semfilter/source` condition Node 24
 * would load the package's TypeScript source itself, whose `.js` import specifiers it cannot map.
 */
function modelsDir(): string {
  const fromEnv = process.env.SEMFILTER_MODELS_DIR;
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : fileURLToPath(new URL('./models/', import.meta.url));
}

/**
 * Serves the fetched model at /models/ from `npm run fetch-model`'s folder, in `vite` and `vite
 * preview` alike. Missing files answer a real 404 — Vite's HTML fallback would otherwise answer
 * index.html, which transformers.js would cache as a model file — so a page without the model
 * falls back cleanly instead.
 */
function serveModels(): Plugin {
  const handler = (request: IncomingMessage, response: ServerResponse) => serveFromFolder(modelsDir(), request.url ?? '/', response);
  return {
    name: 'semfilter-serve-models',
    configureServer: (server) => void server.middlewares.use('/models', handler),
    configurePreviewServer: (server) => void server.middlewares.use('/models', handler),
  };
}


/**
 * Export conditions for a build: Vite's defaults with `production` in place of its
 * `development|production`, which Vite resolves from NODE_ENV. A build started where NODE_ENV is
 * not `production` (vitest sets `test`, so the e2e tests' playground) would otherwise resolve
 * Lit's `development` export: its dev mode, larger and slower, warning in the console.
 */
const PRODUCTION_CONDITIONS = defaultClientConditions.map((condition) => (condition === 'development|production' ? 'production' : condition));

// The playground. It imports the workspace packages as built (`npm start` builds first), the way
// a host app would, so the embedding worker and the .wasm files resolve from dist/.
export default defineConfig(({ command }) => ({
  root: 'demo',
  plugins: [serveModels()],
  // `vite` (serve) keeps Vite's defaults: Lit's dev mode and its warnings help while editing.
  ...(command === 'build' ? { resolve: { conditions: PRODUCTION_CONDITIONS } } : {}),
  server: { port: 5173, strictPort: false, headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  // Named from this file, not from `root`, so the path reads as what it is: dist/demo in the repository.
  build: { outDir: fileURLToPath(new URL('dist/demo', import.meta.url)), emptyOutDir: true },
}));
