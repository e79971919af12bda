import { defineConfig } from 'vite';

// The playground. It imports the workspace packages as built (`npm start` builds first), the way
// a host app would, so the embedding worker and the .wasm files resolve from dist/.
export default defineConfig({
  root: 'demo',
  server: { port: 5173, strictPort: false },
  build: { outDir: '../dist/demo', emptyOutDir: true },
});
