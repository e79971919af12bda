import type { ModelInfo } from '../model/embedder.js';

/** Where the worker finds the model and onnxruntime's `.wasm` files, and how it runs them. */
export interface WorkerModelConfig {
  /** URL of the folder holding `Xenova/all-MiniLM-L6-v2/` (ends with `/`). */
  readonly modelBaseUrl: string;
  /** A URL prefix for onnxruntime's `.wasm` files (ends with `/`), or a URL per file name. */
  readonly wasmPaths: string | Readonly<Record<string, string>>;
  readonly dtype: 'fp32' | 'q8';
  readonly numThreads: number;
  /** Off by default: everything is self-hosted. */
  readonly allowRemoteModels: boolean;
}

/** Overall model download progress, across every file. */
export interface ModelProgress {
  /** 0–1, or null while the total size is unknown (no manifest and no Content-Length). */
  readonly fraction: number | null;
  readonly loadedBytes: number;
  /** Sum of the expected sizes, or null while unknown. */
  readonly totalBytes: number | null;
  /** The file the latest bytes belong to. */
  readonly file: string;
}

/** What the embedding worker exposes across the comlink boundary. */
export interface EmbeddingWorkerApi {
  /** Loads the model once; concurrent and later calls share the first load. */
  load(config: WorkerModelConfig, onProgress?: (progress: ModelProgress) => void): Promise<ModelInfo>;
  /** One unit vector per text, in order (loads the model first if needed). */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** How many times this worker started loading a model (1 after any number of concurrent first calls). */
  loadCount(): Promise<number>;
}
