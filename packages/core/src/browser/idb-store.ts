import { createStore, getMany, setMany, type UseStore } from 'idb-keyval';
import type { VectorStore } from '../semantic/layered-embedder.js';
import type { Vector } from '../model/vectors.js';
import { capabilities } from './capabilities.js';

/** The IndexedDB database semfilter keeps vectors in, unless a host names another. */
export const DEFAULT_VECTOR_DB = 'semfilter-vectors';

/**
 * A vector store in IndexedDB through idb-keyval, or undefined where the page has no IndexedDB.
 * Its reads and writes may still fail (blocked, over quota): the layered embedder then carries on
 * in memory, so a failing store costs speed, never a result.
 */
export function createIdbVectorStore(databaseName: string = DEFAULT_VECTOR_DB): VectorStore | undefined {
  if (!capabilities().indexedDB) return undefined;
  let store: UseStore;
  try {
    store = createStore(databaseName, 'vectors');
  } catch {
    return undefined;
  }
  return {
    getMany: (keys) => getMany<Vector>([...keys], store),
    setMany: (entries) => setMany(entries.map(([key, vector]) => [key, vector]), store),
  };
}
