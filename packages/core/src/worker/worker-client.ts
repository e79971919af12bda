import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type { Embedder, ModelInfo } from '../model/embedder.js';
import { MODEL_ID } from '../model/embedder.js';
import type { Vector } from '../model/vectors.js';
import type { EmbeddingWorkerApi, ModelProgress, WorkerModelConfig } from './embedding-api.js';

/** Raised when a worker call takes longer than its timeout; semantic mode reports TIMEOUT. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Raised when the worker cannot be created, fails to load, or dies; semantic mode reports MODEL_UNAVAILABLE. */
export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
}

/** Options of the worker-backed embedder. */
export interface WorkerEmbedderOptions {
  readonly config: WorkerModelConfig;
  /** Milliseconds for a model load (downloads included). */
  readonly loadTimeoutMs: number;
  /** Milliseconds for one embed call. */
  readonly embedTimeoutMs: number;
  /** Creates the worker; the default is the bundler-visible `new Worker(new URL(…), { type: 'module' })`. */
  readonly createWorker?: () => Worker;
  readonly onProgress?: (progress: ModelProgress) => void;
  /** Called when a load starts, succeeds or fails. */
  readonly onLoadState?: (state: 'loading' | 'ready' | 'failed', error?: Error) => void;
}

/** A worker-backed embedder; `dispose()` ends the worker. */
export interface WorkerEmbedder extends Embedder {
  /** How many model loads the current worker started (for tests and diagnostics). */
  loadCount(): Promise<number>;
  dispose(): void;
}

/** The worker, created the way bundlers recognise, so consumers' builds include it. */
export function createEmbeddingWorker(): Worker {
  return new Worker(new URL('./embedding-worker.js', import.meta.url), { type: 'module' });
}

interface Live {
  readonly worker: Worker;
  readonly remote: Remote<EmbeddingWorkerApi>;
  /** Settles (rejects) when the worker fails; every call races against it. */
  readonly died: Promise<never>;
  loaded?: Promise<ModelInfo>;
}

/**
 * Embeds through a module worker. Every call has a timeout; a worker that fails or dies rejects
 * what is pending and is thrown away, and the next call starts a fresh one.
 */
export function createWorkerEmbedder(options: WorkerEmbedderOptions): WorkerEmbedder {
  const model: ModelInfo = { id: MODEL_ID, dtype: options.config.dtype };
  let live: Live | undefined;

  const discard = (target: Live) => {
    if (live === target) live = undefined;
    target.remote[releaseProxy]();
    target.worker.terminate();
  };

  const start = (): Live => {
    if (live !== undefined) return live;
    let worker: Worker;
    try {
      worker = (options.createWorker ?? createEmbeddingWorker)();
    } catch (error) {
      throw new WorkerFailedError(`could not start the embedding worker: ${(error as Error).message}`);
    }
    const died = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault(); // handled here: never an uncaught error in the host page
        reject(new WorkerFailedError(`the embedding worker failed: ${event.message || 'its script did not load'}`));
      });
      worker.addEventListener('messageerror', () => reject(new WorkerFailedError('the embedding worker sent a message that could not be read')));
    });
    const created: Live = { worker, remote: wrap<EmbeddingWorkerApi>(worker), died };
    // A dead worker is not reused: the next call starts a fresh one. Pending calls see `died` and clean up.
    died.catch(() => {
      if (live === created) live = undefined;
    });
    live = created;
    return created;
  };

  const call = async <T>(target: Live, run: () => Promise<T>, ms: number, what: string): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([run(), target.died, timeout]);
    } catch (error) {
      discard(target); // a worker that timed out or failed may be stuck: start afresh next time
      throw error instanceof TimeoutError || error instanceof WorkerFailedError ? error : new WorkerFailedError((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  };

  const ensureLoaded = (target: Live): Promise<ModelInfo> => {
    if (target.loaded === undefined) {
      options.onLoadState?.('loading');
      const progress = options.onProgress === undefined ? undefined : proxy(options.onProgress);
      target.loaded = call(target, () => target.remote.load(options.config, progress), options.loadTimeoutMs, 'loading the model').then(
        (info) => (options.onLoadState?.('ready'), info),
        (error: Error) => {
          options.onLoadState?.('failed', error);
          throw error;
        },
      );
    }
    return target.loaded;
  };

  return {
    model,
    async embed(texts: readonly string[]): Promise<Vector[]> {
      if (texts.length === 0) return [];
      const target = start();
      await ensureLoaded(target);
      return call(target, () => target.remote.embed(texts), options.embedTimeoutMs, `embedding ${texts.length} texts`);
    },
    async loadCount() {
      const target = start();
      return call(target, () => target.remote.loadCount(), options.embedTimeoutMs, 'asking the worker');
    },
    dispose() {
      if (live !== undefined) discard(live);
    },
  };
}
