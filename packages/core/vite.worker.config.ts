import { defineConfig } from 'vite';

// Bundles the embedding worker with @xenova/transformers and onnxruntime-web into one ES module,
// dist/worker/embedding-worker.js, beside worker-client.js which starts it. Hosts' bundlers then
// see a plain module worker; the .wasm files are referenced from worker-client.js, not from here.
export default defineConfig({
  // onnxruntime-web's bundle trips a direct-eval warning we cannot fix here; errors still show.
  logLevel: 'error',
  build: {
    outDir: 'dist/worker',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    rollupOptions: {
      input: 'src/worker/embedding-worker.ts',
      output: { format: 'es', entryFileNames: 'embedding-worker.js', codeSplitting: false },
    },
  },
});
