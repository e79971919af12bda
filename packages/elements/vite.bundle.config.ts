import { defineConfig } from 'vite';

// One file a page can load with a plain <script type="module">, no bundler and no import map:
// Lit, @semfilter/core and the element, with the embedding worker and onnxruntime's .wasm files
// emitted beside it and found relative to it (base './'). Its entry (src/script-tag.ts) also exports
// createSemanticFilter, so such a page can configure the filter it gives the element.
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
