import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

/** Emits the embedding worker's licence file (written by @semfilter/core's worker build) beside the script's. */
function workerLicenses(): Plugin {
  return {
    name: 'semfilter-worker-licenses',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'THIRD-PARTY-LICENSES-worker.md', source: readFileSync(new URL('../core/dist/worker/THIRD-PARTY-LICENSES.md', import.meta.url)) });
    },
  };
}

// One file a page can load with a plain <script type="module">, no bundler and no import map:
// Lit, @semfilter/core and the element, with the embedding worker, onnxruntime's .wasm files and
// the vocabulary emitted beside it and found relative to it (base './').
//
// Why this is a package of its own: core names those files with `new URL('…', import.meta.url)`
// and Vite emits each as an asset here, a second copy of what @semfilter/core ships (38 MB). A page
// without a bundler has nothing that could find them inside node_modules/@semfilter/core, so the
// copy is the point of this build; kept out of @semfilter/elements, an app that bundles installs
// each file once. Each is needed at run time and is here once: the worker; the vocabulary;
// ort-wasm-simd (plain page) and ort-wasm-simd-threaded (cross-origin isolated page); ort-wasm and
// ort-wasm-threaded where SIMD is missing or off (transformers.js turns it off on iOS 16.4.x, inside
// this build's target). test/repository/packages.test.ts checks nothing is packed twice.
export default defineConfig({
  plugins: [workerLicenses()],
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    copyPublicDir: false,
    // The licences of what the script bundles (Lit, zod, comlink, …); the worker's own (transformers.js,
    // onnxruntime-web), made when @semfilter/core built it, are copied beside them by workerLicenses().
    license: { fileName: 'THIRD-PARTY-LICENSES.md' },
    rollupOptions: {
      input: 'src/index.ts',
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: 'semfilter-debugger.js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
    },
  },
});
