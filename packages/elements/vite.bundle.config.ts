import { defineConfig } from 'vite';

// One file a page can load with a plain <script type="module">, no bundler and no import map:
// Lit, @semfilter/core and the element, with the embedding worker and onnxruntime's .wasm files
// emitted beside it and found relative to it (base './').
export default defineConfig({
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist/bundle',
    emptyOutDir: true,
    copyPublicDir: false,
    rollupOptions: {
      input: 'dist/debugger/define.js',
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: 'semfilter-debugger.js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
    },
  },
});
