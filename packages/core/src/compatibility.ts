import type { ConceptIndex, ConceptMatch } from './concept-index.js';
import type { MatchBasis } from './reasons.js';
import { cosine, type VectorLookup } from './vectors.js';

/**
 * Score given to a pair whose concepts are known to go together, as a share of the weaker
 * assignment's strength: high enough to pass any sensible threshold when both terms sit firmly
 * in their concepts, lower when one of them is a loose fit.
 */
const COMPATIBLE_CONCEPT_SCORE = 0.9;

/** How one requested term and one item term compare on a dimension, and what decided it (`basis`). */
export type PairVerdict =
  | { readonly kind: 'scored'; readonly score: number; readonly similarity: number; readonly basis: Exclude<MatchBasis, 'KNOWN_CLASH'> }
  | { readonly kind: 'conflict'; readonly similarity: number; readonly concepts: readonly [string, string]; readonly basis: 'KNOWN_CLASH' };

/**
 * Compares two normalized terms semantically. Identical terms score 1 (EXACT). Terms in clashing
 * concepts are a conflict, whatever their similarity (antonyms embed close together). Terms in the
 * same or compatible concepts score at least their concept fit; terms in different concepts with no
 * known relation score their cosine, lowered by the dimension's `unrelated` penalty as far as the
 * item term sits surely in its own concept (see ConceptMap.unrelated); a pair with a term no
 * concept claims scores its cosine (MODEL_SIMILARITY). A curated anchor is never second-guessed:
 * its concept is what the vocabulary says.
 */
export function comparePair(requested: string, actual: string, vectors: VectorLookup, concepts: ConceptIndex): PairVerdict {
  if (requested === actual) return { kind: 'scored', score: 1, similarity: 1, basis: 'EXACT' };
  const requestedVector = vectors(requested);
  const actualVector = vectors(actual);
  if (requestedVector === undefined || actualVector === undefined) {
    throw new Error(`no vector for "${requestedVector === undefined ? requested : actual}": embed every term before comparing`);
  }
  const similarity = cosine(requestedVector, actualVector);
  const requestedConcept = concepts.assign(requested, requestedVector);
  const actualConcept = concepts.assign(actual, actualVector);
  const relation = requestedConcept !== null && actualConcept !== null ? concepts.relation(requestedConcept.concept, actualConcept.concept) : null;
  if (relation === null) return { kind: 'scored', score: similarity, similarity, basis: 'MODEL_SIMILARITY' };
  const strength = fit(requestedConcept!, actualConcept!);
  switch (relation) {
    case 'opposed':
      return { kind: 'conflict', similarity, concepts: [requestedConcept!.concept, actualConcept!.concept], basis: 'KNOWN_CLASH' };
    case 'same':
      return { kind: 'scored', score: Math.max(similarity, strength), similarity, basis: 'SAME_CONCEPT' };
    case 'compatible':
      return { kind: 'scored', score: Math.max(similarity, COMPATIBLE_CONCEPT_SCORE * strength), similarity, basis: 'COMPATIBLE_CONCEPTS' };
    case 'unrelated': {
      const { penalty, sureGap } = concepts.unrelated;
      const sureness = Math.min(1, Math.max(0, actualConcept!.strength - concepts.closeness(requestedConcept!.concept, actualVector)) / sureGap);
      return { kind: 'scored', score: Math.max(0, similarity - penalty * sureness), similarity, basis: 'UNRELATED_CONCEPTS' };
    }
  }
}

function fit(a: ConceptMatch, b: ConceptMatch): number {
  return Math.min(a.strength, b.strength);
}
