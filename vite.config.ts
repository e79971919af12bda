import { defaultClientConditions, defineConfig } from 'vite';

// The playground. `source` resolves workspace packages to their TypeScript sources, so the page
// needs no build of the packages first.
export default defineConfig({
  root: 'demo',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: { port: 5173, strictPort: false },
  build: { outDir: '../dist/demo', emptyOutDir: true },
});
