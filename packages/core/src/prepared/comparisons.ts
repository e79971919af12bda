import { comparePair, type PairVerdict } from '../semantic/pair-verdict.js';
import type { ConceptIndex } from '../semantic/concept-index.js';
import type { Vector, VectorLookup } from '../model/vectors.js';

interface Remembered {
  readonly requested: Vector | undefined;
  readonly actual: Vector | undefined;
  readonly verdict: PairVerdict;
}

/**
 * Pair verdicts per concept index (one per embedder, concept map and rule; see prepareSemantic):
 * comparing a pair costs cosines against the concepts' anchors, and a threshold change or a
 * repeated request compares the same pairs again. A verdict is reused only while both terms
 * still have the very vectors it was computed from (a layered embedder may swap a vocabulary
 * vector for the model's).
 */
const remembered = new WeakMap<ConceptIndex, Map<string, Remembered>>();

/** A long session with many requests would otherwise grow the table without end; refilling it is cheap. */
const MAX_REMEMBERED_PAIRS = 100_000;

/** comparePair, remembered per concept index and pair of vectors: the same verdicts, each computed once. */
export function rememberedCompare(requested: string, actual: string, vectors: VectorLookup, concepts: ConceptIndex): PairVerdict {
  let pairs = remembered.get(concepts);
  if (pairs === undefined) remembered.set(concepts, (pairs = new Map()));
  const key = `${requested}\u0000${actual}`;
  const requestedVector = vectors(requested);
  const actualVector = vectors(actual);
  const hit = pairs.get(key);
  if (hit !== undefined && hit.requested === requestedVector && hit.actual === actualVector) return hit.verdict;
  const verdict = comparePair(requested, actual, vectors, concepts);
  if (pairs.size >= MAX_REMEMBERED_PAIRS) pairs.clear();
  pairs.set(key, { requested: requestedVector, actual: actualVector, verdict });
  return verdict;
}
