import { defineConfig, type Plugin } from 'vite';

/**
 * protobufjs's `inquire` helper, which onnxruntime-web 1.14's browser bundle (dist/ort-web.min.js)
 * carries, looks Node's `require` up with a direct eval: `eval("quire".replace(/^/,"re"))(name)`,
 * for the optional `buffer` and `long` modules. Bundlers warn about it ("Consider using indirect
 * eval"), ours and then every host's that bundles the worker, and they may not minify the scopes
 * around a direct eval.
 *
 * An indirect eval of the same text means the same here: the code evaluated is the bare name
 * `require`, which nothing in the worker bundle declares (no enclosing scope binds it: the webpack
 * module's `module`, the UMD wrapper's `t, e`, our CommonJS wrapper's `exports, module` and the
 * ESM top level), so both forms resolve the global one: absent in browsers and workers, where
 * either throws a ReferenceError that `inquire` catches and answers null, as before. The
 * replacement keeps the text's length (padded with spaces) so columns, and the source map, stay put.
 */
const DIRECT_EVAL = 'eval("quire".replace(/^/,"re"))';
const INDIRECT_EVAL = '(0,eval)("re"+"quire")'.padEnd(DIRECT_EVAL.length, ' ');

function indirectEvalInOnnxruntime(): Plugin {
  let rewritten = 0;
  return {
    name: 'semfilter-indirect-eval-in-onnxruntime',
    transform: {
      filter: { id: /onnxruntime-web[\\/]dist[\\/].*\.js$/ },
      handler(code) {
        if (!code.includes(DIRECT_EVAL)) return null;
        const parts = code.split(DIRECT_EVAL);
        rewritten += parts.length - 1;
        return { code: parts.join(INDIRECT_EVAL), map: null };
      },
    },
    buildEnd(error) {
      // onnxruntime-web moved or changed the code: say so rather than warn again unexplained.
      if (error === undefined && rewritten !== 1) this.error(`expected one direct eval of "require" in onnxruntime-web's bundle, rewrote ${rewritten}: review vite.worker.config.ts`);
    },
  };
}

// Bundles the embedding worker with @xenova/transformers and onnxruntime-web into one ES module,
// dist/worker/embedding-worker.js, beside worker-client.js which starts it. Hosts' bundlers then
// see a plain module worker; the .wasm files are referenced from worker-client.js, not from here.
export default defineConfig({
  plugins: [indirectEvalInOnnxruntime()],
  build: {
    outDir: 'dist/worker',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    // One file on purpose (a plain module worker for hosts' bundlers): about 770 kB, 190 kB gzipped,
    // fetched only once a page asks for semantic results.
    chunkSizeWarningLimit: 1024,
    // The worker bundles @xenova/transformers (Apache-2.0), onnxruntime-web (MIT; its .wasm files
    // are copied beside it by scripts/copy-wasm.mjs) and their dependencies: their licences ship with it.
    license: { fileName: 'THIRD-PARTY-LICENSES.md' },
    rollupOptions: {
      input: 'src/worker/embedding-worker.ts',
      output: { format: 'es', entryFileNames: 'embedding-worker.js', codeSplitting: false },
    },
  },
});
