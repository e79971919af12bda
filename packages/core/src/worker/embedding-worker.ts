/// <reference lib="webworker" />
// The embedding worker: runs @xenova/transformers on onnxruntime-web off the main thread and only
// exposes EmbeddingWorkerApi. Bundled on its own (vite.worker.config.ts) into dist/worker/.
import { env, pipeline } from '@xenova/transformers';
import { expose } from 'comlink';
import { MODEL_ID } from '../model/embedder.js';
import { embedInSortedBatches, meanPoolNormalized, type TokenTensor, type Tokenizer } from '../model/mean-pooling.js';
import type { EmbeddingWorkerApi, ModelProgress, WorkerModelConfig } from './embedding-api.js';
import type { ModelInfo } from '../model/embedder.js';
import { MODEL_FILES_TO_LOAD } from '../model/model-revision.js';
import { installModelFileCache, type ModelFileCache } from './model-cache.js';

/** The parts of transformers.js's feature-extraction pipeline embed() uses: its tokenizer and its model. */
interface Extractor {
  tokenizer: Tokenizer;
  model(inputs: Record<string, TokenTensor>): Promise<{ last_hidden_state: { data: Float32Array; dims: readonly number[] } }>;
}

/**
 * Texts per model call, sorted by length: a batch pads to its longest text, and one call over
 * every text (as before) padded all of them to the longest. In Chromium on the bench's phrases,
 * single-threaded, interleaved runs gave 187–212 phrases/s at 32, 171–202 at 128 and 177–188 at
 * 256 (16 and 64 were no faster); threaded runs were too noisy on a shared 2-core machine to
 * rank. Small batches also keep a call queued behind another short.
 */
const BATCH_SIZE = 32;

let loading: Promise<{ extractor: Extractor; model: ModelInfo }> | undefined;
let loads = 0;

const api: EmbeddingWorkerApi = {
  load(config, onProgress) {
    return start(config, onProgress).then(({ model }) => model);
  },
  async embed(texts) {
    if (loading === undefined) throw new Error('embed() before load(): call load(config) first');
    const { extractor } = await loading;
    return embedInSortedBatches(texts, BATCH_SIZE, (batch) => embedBatch(extractor, batch));
  },
  async loadCount() {
    return loads;
  },
};

/**
 * One model call. Pooling is ours rather than the pipeline's: same arithmetic (mean over the
 * attention mask, then unit length), without the pipeline's generic tensor ops, which cost a
 * quarter of the time in a profile of the Node pipeline.
 */
async function embedBatch(extractor: Extractor, texts: string[]): Promise<Float32Array[]> {
  const inputs = extractor.tokenizer(texts, { padding: true, truncation: true });
  const { last_hidden_state: hidden } = await extractor.model(inputs);
  const [batch, tokens, width] = hidden.dims as [number, number, number];
  return meanPoolNormalized(hidden.data, inputs['attention_mask']!.data, batch, tokens, width);
}

function start(config: WorkerModelConfig, onProgress?: (progress: ModelProgress) => void) {
  let files: ModelFileCache | undefined;
  loading ??= (async () => {
    loads++;
    env.allowLocalModels = true;
    env.allowRemoteModels = config.allowRemoteModels;
    env.localModelPath = config.modelBaseUrl;
    env.backends.onnx.wasm.wasmPaths = config.wasmPaths as string;
    env.backends.onnx.wasm.numThreads = config.numThreads;
    const sizes = await expectedSizes(config);
    files = installModelFileCache(env, sizes);
    const tracker = progressTracker(MODEL_FILES_TO_LOAD[config.dtype], sizes, onProgress);
    const extractor = (await pipeline('feature-extraction', MODEL_ID, {
      quantized: config.dtype === 'q8',
      progress_callback: tracker,
    })) as unknown as Extractor;
    return { extractor, model: { id: MODEL_ID, dtype: config.dtype } };
  })().catch(async (error: unknown) => {
    loading = undefined; // a later load may succeed (files back, network back)
    if (files !== undefined) throw await files.failed(error); // nothing a failed load cached survives it
    throw error instanceof Error ? new Error(error.message) : new Error(String(error));
  });
  return loading;
}

/** File sizes from the model's manifest.json, so progress is right even without Content-Length. */
async function expectedSizes(config: WorkerModelConfig): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  try {
    const response = await fetch(`${config.modelBaseUrl}${MODEL_ID}/manifest.json`);
    if (!response.ok) return sizes;
    const manifest = (await response.json()) as { files: Record<string, { bytes: number }> };
    for (const [name, { bytes }] of Object.entries(manifest.files)) sizes.set(name, bytes);
  } catch {
    // no manifest: totals come from Content-Length where servers send it
  }
  return sizes;
}

interface ProgressEvent {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/**
 * Folds transformers.js's per-file events into one overall progress over the files a load fetches.
 * Sizes come from the manifest, else from Content-Length; until every file's size is known the
 * fraction is null and only the bytes count.
 */
function progressTracker(names: readonly string[], expected: ReadonlyMap<string, number>, onProgress?: (progress: ModelProgress) => void) {
  const files = new Map(names.map((name) => [name, { loaded: 0, total: expected.get(name) ?? null }]));
  return (event: ProgressEvent) => {
    const entry = event.file === undefined ? undefined : files.get(event.file);
    if (onProgress === undefined || entry === undefined) return;
    if (event.status === 'progress' && event.loaded !== undefined) {
      entry.loaded = event.loaded;
      // Without Content-Length transformers.js reports total == loaded: only a larger total is real.
      if (entry.total === null && event.total !== undefined && event.total > event.loaded) entry.total = event.total;
    } else if (event.status === 'done') {
      entry.total ??= entry.loaded;
      entry.loaded = entry.total;
    } else {
      return;
    }
    const loadedBytes = [...files.values()].reduce((sum, f) => sum + f.loaded, 0);
    const totals = [...files.values()].map((f) => f.total);
    const totalBytes = totals.every((t): t is number => t !== null) ? totals.reduce((sum, t) => sum + t, 0) : null;
    onProgress({ fraction: totalBytes ? Math.min(1, loadedBytes / totalBytes) : null, loadedBytes, totalBytes, file: event.file! });
  };
}

expose(api);
