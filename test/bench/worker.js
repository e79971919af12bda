// The page `npm run bench:browser` measures the embedding worker on (scripts/bench/worker-throughput.ts),
// served once plainly and once cross-origin isolated (COOP/COEP), where onnxruntime-web may use threads.
import { bundledWasmPaths, createWorkerEmbedder } from '@semfilter/core/browser';

const MODELS = new URL('/models/', location.href).href;

/**
 * Phrases per second through one worker with `numThreads`: a warm-up pass (model load included),
 * then `runs` timed passes, each one `embed(phrases)` call as the semantic filter makes it (the
 * worker has no cache, so every pass computes every phrase). Returns the rates, whether the page
 * is cross-origin isolated, and the last pass's vectors for the parity check.
 */
window.benchWorkerRate = async (phrases, numThreads, runs) => {
  const embedder = createWorkerEmbedder({
    config: { modelBaseUrl: MODELS, wasmPaths: bundledWasmPaths(), dtype: 'fp32', numThreads, allowRemoteModels: false },
    loadTimeoutMs: 120_000,
    embedTimeoutMs: 600_000,
  });
  try {
    await embedder.embed(phrases);
    const rates = [];
    let vectors = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      vectors = await embedder.embed(phrases);
      rates.push(phrases.length / ((performance.now() - started) / 1000));
    }
    return { crossOriginIsolated: self.crossOriginIsolated === true, rates, vectors: vectors.map((v) => Array.from(v)) };
  } finally {
    embedder.dispose();
  }
};
