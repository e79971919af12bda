import { defineConfig } from 'vite';

// One file a page can load with a plain <script type="module">, no bundler and no import map:
// Lit, @semfilter/core and the element, with the embedding worker and onnxruntime's .wasm files
// emitted beside it and found relative to it (base './'). Its entry (src/script-tag.ts) also exports
// createSemanticFilter, so such a page can configure the filter it gives the element.
//
// Why dist/bundle/assets/ repeats files @semfilter/core ships (dist/worker/, dist/wasm/,
// dist/semantic/vocabulary/): core names them with `new URL('…', import.meta.url)`, and Vite
// emits each as an asset here. That copy is the point of this build: a page without a bundler has
// nothing that could find them inside node_modules/@semfilter/core, and the README tells such sites
// to copy dist/bundle/ alone. Each file is needed at run time and is here once: the worker; the
// vocabulary; ort-wasm-simd (plain page) and ort-wasm-simd-threaded (cross-origin isolated page);
// ort-wasm and ort-wasm-threaded where SIMD is missing or off (transformers.js turns it off on iOS
// 16.4.x, inside this build's target). test/repository/packages.test.ts checks nothing is packed twice.
export default defineConfig({
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist/bundle',
    emptyOutDir: true,
    copyPublicDir: false,
    rollupOptions: {
      input: 'dist/script-tag.js',
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: 'semfilter-debugger.js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
    },
  },
});
