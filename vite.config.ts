import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { resolveModelsDir } from '@semfilter/core/node';
import { serveFromFolder } from './scripts/serve-folder.js';
import { CROSS_ORIGIN_ISOLATION } from './test/support/static-server.js';

/**
 * Serves the fetched model at /models/ from `npm run fetch-model`'s folder, in `vite` and `vite
 * preview` alike. Missing files answer a real 404 — Vite's HTML fallback would otherwise answer
 * index.html, which transformers.js would cache as a model file — so a page without the model
 * falls back cleanly instead.
 */
function serveModels(): Plugin {
  const handler = (request: IncomingMessage, response: ServerResponse) => serveFromFolder(resolveModelsDir(), request.url ?? '/', response);
  return {
    name: 'semfilter-serve-models',
    configureServer: (server) => void server.middlewares.use('/models', handler),
    configurePreviewServer: (server) => void server.middlewares.use('/models', handler),
  };
}


// The playground. It imports the workspace packages as built (`npm start` builds first), the way
// a host app would, so the embedding worker and the .wasm files resolve from dist/.
export default defineConfig({
  root: 'demo',
  plugins: [serveModels()],
  server: { port: 5173, strictPort: false, headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  // Named from this file, not from `root`, so the path reads as what it is: dist/demo in the repository.
  build: { outDir: fileURLToPath(new URL('dist/demo', import.meta.url)), emptyOutDir: true },
});
