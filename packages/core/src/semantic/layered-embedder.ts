import type { Embedder } from '../model/embedder.js';
import { MODEL_REVISION } from '../model/model-revision.js';
import type { Vector } from '../model/vectors.js';
import type { VocabularyPack } from './vocabulary/pack-format.js';

/** A persistent vector store (IndexedDB in browsers). Implementations may throw; the embedder copes. */
export interface VectorStore {
  getMany(keys: readonly string[]): Promise<(Vector | undefined)[]>;
  setMany(entries: readonly (readonly [string, Vector])[]): Promise<void>;
}

/** Where the vectors of the texts asked for came from, counted per distinct text and call. */
export interface CacheStats {
  memoryHits: number;
  storeHits: number;
  vocabularyHits: number;
  /** Texts the model had to compute. */
  computed: number;
  /** Store reads or writes that failed (the embedder carried on in memory). */
  storeFailures: number;
}

/** An embedder that also answers from its layers alone, and counts where vectors came from. */
export interface LayeredEmbedder extends Embedder {
  /** Vectors available without running the model (memory, store, vocabulary); undefined for the rest. */
  lookup(texts: readonly string[]): Promise<(Vector | undefined)[]>;
  stats(): Readonly<CacheStats>;
}

/** The layers in front of the model; each is optional. */
export interface LayeredEmbedderOptions {
  readonly model: Embedder;
  readonly store?: VectorStore | undefined;
  readonly vocabulary?: VocabularyPack | undefined;
}

/**
 * Texts per model call. Each call must finish inside the worker's per-call timeout on a slow
 * device, and each finished chunk is kept: without a usable vocabulary pack (another dtype, or
 * `vocabulary: false`) the first semantic call embeds every concept anchor, over 2,000 texts, which
 * in one call with q8 weights in Chromium here did not finish within the 15 s timeout, so nothing
 * was kept and every later call started over and timed out again.
 */
const MODEL_CHUNK = 128;

/**
 * Memory, then the vocabulary pack, then the store, then the model: each distinct text is looked
 * up once per call, store reads are batched, and only what no layer knows reaches the model. The
 * vocabulary comes before the store because it answers synchronously: a wardrobe of known tags
 * never waits for IndexedDB to open (the store only ever holds what the model computed, which
 * the vocabulary does not know). Store keys carry the model id, revision and dtype, so vectors of
 * other weights never mix in.
 */
export function createLayeredEmbedder({ model, store, vocabulary }: LayeredEmbedderOptions): LayeredEmbedder {
  const memory = new Map<string, Vector>();
  const stats: CacheStats = { memoryHits: 0, storeHits: 0, vocabularyHits: 0, computed: 0, storeFailures: 0 };
  const prefix = `${model.model.id}|${MODEL_REVISION}|${model.model.dtype}|`;
  const usable = vocabulary !== undefined && vocabulary.model === model.model.id && vocabulary.revision === MODEL_REVISION && vocabulary.dtype === model.model.dtype ? vocabulary : undefined;
  /**
   * Texts sent to the model and not answered yet, with the batch that computes them: a call that
   * needs them meanwhile (a UI's quick first answer beside its full one, both waiting for the
   * model to load) waits for that batch instead of computing them again.
   */
  const computing = new Map<string, Promise<unknown>>();

  /** Fills memory from the vocabulary and the store; returns the texts still missing. */
  const fill = async (texts: readonly string[]): Promise<string[]> => {
    const distinct = [...new Set(texts)];
    let missing = distinct.filter((text) => !memory.has(text));
    stats.memoryHits += distinct.length - missing.length;
    if (usable !== undefined) {
      missing = missing.filter((text) => {
        const vector = usable.get(text);
        if (vector === undefined) return true;
        memory.set(text, vector);
        stats.vocabularyHits++;
        return false;
      });
    }
    if (missing.length > 0 && store !== undefined) {
      try {
        const found = await store.getMany(missing.map((text) => prefix + text));
        missing = missing.filter((text, i) => {
          const vector = found[i];
          if (vector === undefined) return true;
          memory.set(text, vector);
          stats.storeHits++;
          return false;
        });
      } catch {
        stats.storeFailures++;
      }
    }
    return missing;
  };

  /** Keeps computed vectors in the store; a store that fails is counted, memory still has them. */
  const persist = async (entries: readonly (readonly [string, Vector])[]): Promise<void> => {
    if (store === undefined) return;
    try {
      await store.setMany(entries.map(([text, vector]) => [prefix + text, vector] as const));
    } catch {
      stats.storeFailures++; // full, blocked or gone: memory still has them
    }
  };

  return {
    model: model.model,
    async lookup(texts) {
      await fill(texts);
      return texts.map((text) => memory.get(text));
    },
    async embed(texts) {
      const missing = await fill(texts);
      const shared = new Set(missing.flatMap((text) => computing.get(text) ?? []));
      // A batch that ended while `fill` awaited the store has put its texts in memory already.
      const fresh = missing.filter((text) => !memory.has(text) && !computing.has(text));
      // One chunk after another (MODEL_CHUNK); a chunk that fails fails the ones after it, but those
      // before it stay in memory and the store, so the next call goes on from there.
      let previous: Promise<unknown> = Promise.resolve();
      const chunks: Promise<unknown>[] = [];
      for (let start = 0; start < fresh.length; start += MODEL_CHUNK) {
        const chunk = fresh.slice(start, start + MODEL_CHUNK);
        // Memory is filled in the chunk's own continuation, so a call waiting on it finds the vectors.
        const batch = previous.then(() => model.embed(chunk)).then(async (vectors) => {
          stats.computed += chunk.length;
          const entries = chunk.map((text, i) => [text, vectors[i]!] as const);
          for (const [text, vector] of entries) memory.set(text, vector);
          await persist(entries);
        });
        for (const text of chunk) computing.set(text, batch);
        chunks.push(batch.finally(() => chunk.forEach((text) => computing.delete(text))));
        previous = batch;
      }
      await Promise.all(chunks);
      await Promise.all(shared);
      return texts.map((text) => memory.get(text)!);
    },
    stats: () => ({ ...stats }),
  };
}
