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
      if (fresh.length > 0) {
        // Memory is filled in the batch's own continuation, so a call waiting on it finds the vectors.
        const batch = model.embed(fresh).then((vectors) => {
          stats.computed += fresh.length;
          const entries = fresh.map((text, i) => [text, vectors[i]!] as const);
          for (const [text, vector] of entries) memory.set(text, vector);
          return entries;
        });
        for (const text of fresh) computing.set(text, batch);
        const entries = await batch.finally(() => fresh.forEach((text) => computing.delete(text)));
        if (store !== undefined) {
          try {
            await store.setMany(entries.map(([text, vector]) => [prefix + text, vector] as const));
          } catch {
            stats.storeFailures++; // full, blocked or gone: memory still has them
          }
        }
      }
      await Promise.all(shared);
      return texts.map((text) => memory.get(text)!);
    },
    stats: () => ({ ...stats }),
  };
}
