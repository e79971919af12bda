import type { ConceptIndex, ConceptMatch } from './concept-index.js';
import { cosine, type Vector, type VectorLookup } from './vectors.js';

/**
 * Score given to a pair whose concepts are known to go together, as a share of the weaker
 * assignment's strength: high enough to pass any sensible threshold when both terms sit firmly
 * in their concepts, lower when one of them is a loose fit.
 */
const COMPATIBLE_CONCEPT_SCORE = 0.9;

/** How one requested term and one item term compare on a dimension. */
export type PairVerdict =
  | { readonly kind: 'scored'; readonly score: number; readonly similarity: number }
  | { readonly kind: 'conflict'; readonly similarity: number; readonly concepts: readonly [string, string] };

/**
 * Compares two normalized terms semantically. Identical terms score 1. Terms that fall in clashing
 * concepts are a conflict, whatever their similarity (antonyms embed close together); so is, where
 * the dimension sets `oppositeMargin`, an item term about as close to a concept clashing with the
 * request as to the requested concept. Terms in the same or compatible concepts score at least
 * their concept fit; any other pair scores its cosine.
 */
export function comparePair(requested: string, actual: string, vectors: VectorLookup, concepts: ConceptIndex): PairVerdict {
  if (requested === actual) return { kind: 'scored', score: 1, similarity: 1 };
  const requestedVector = vectors(requested);
  const actualVector = vectors(actual);
  if (requestedVector === undefined || actualVector === undefined) {
    throw new Error(`no vector for "${requestedVector === undefined ? requested : actual}": embed every term before comparing`);
  }
  const similarity = cosine(requestedVector, actualVector);
  const requestedConcept = concepts.assign(requested, requestedVector);
  const actualConcept = concepts.assign(actual, actualVector);
  const margin = concepts.oppositeMargin;
  if (requestedConcept !== null && margin !== undefined) {
    const clash = closestOpposite(requestedConcept.concept, actualVector, concepts);
    if (clash !== null && clash.closeness >= concepts.closeness(requestedConcept.concept, actualVector) - margin) {
      return { kind: 'conflict', similarity, concepts: [requestedConcept.concept, clash.concept] };
    }
  }
  if (requestedConcept === null || actualConcept === null) return { kind: 'scored', score: similarity, similarity };
  switch (concepts.relation(requestedConcept.concept, actualConcept.concept)) {
    case 'opposed':
      return { kind: 'conflict', similarity, concepts: [requestedConcept.concept, actualConcept.concept] };
    case 'same':
      return { kind: 'scored', score: Math.max(similarity, fit(requestedConcept, actualConcept)), similarity };
    case 'compatible':
      return { kind: 'scored', score: Math.max(similarity, COMPATIBLE_CONCEPT_SCORE * fit(requestedConcept, actualConcept)), similarity };
    case 'unrelated':
      return { kind: 'scored', score: similarity, similarity };
  }
}

/** The opposite of a concept that a vector is closest to. */
function closestOpposite(concept: string, vector: Vector, concepts: ConceptIndex): { concept: string; closeness: number } | null {
  let best: { concept: string; closeness: number } | null = null;
  for (const opposite of concepts.opposites(concept)) {
    const closeness = concepts.closeness(opposite, vector);
    if (best === null || closeness > best.closeness) best = { concept: opposite, closeness };
  }
  return best;
}

function fit(a: ConceptMatch, b: ConceptMatch): number {
  return Math.min(a.strength, b.strength);
}
