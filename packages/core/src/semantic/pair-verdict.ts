import type { ConceptIndex, Placement } from './concept-index.js';
import type { MatchBasis } from '../reasons.js';
import { cosine, type Vector, type VectorLookup } from '../vectors.js';

/** Score given to two curated anchors whose concepts are known to go together: high enough to pass any sensible threshold. */
const COMPATIBLE_CONCEPT_SCORE = 0.9;

/** Bases a conflict can have: a clash between curated concepts, or with the concept the model placed an unseen term in. */
export type ConflictBasis = 'KNOWN_CLASH' | 'PLACED_CONCEPT';

/** How one requested term and one item term compare on a dimension, and what decided it (`basis`). */
export type PairVerdict =
  | { readonly kind: 'scored'; readonly score: number; readonly similarity: number; readonly basis: Exclude<MatchBasis, 'KNOWN_CLASH'> }
  | { readonly kind: 'conflict'; readonly similarity: number; readonly concepts: readonly [string, string]; readonly basis: ConflictBasis };

/**
 * Compares two normalized terms semantically. Identical terms score 1 (EXACT). Two curated anchors:
 * in clashing concepts they are a conflict whatever their similarity (antonyms embed close
 * together); in the same concept they score 1, in compatible ones at least 0.9; in concepts with no
 * known relation their cosine, lowered by the dimension's `unrelated` penalty, less of it when the
 * item term sits near the requested concept's centroid (see ConceptMap.unrelated). A term the vocabulary does not
 * know is placed by the model among the concepts and scored by ConceptMap.unseen (PLACED_CONCEPT);
 * an unseen item term is vetoed when it sits at least as near a concept that clashes with the
 * requested one as near any that goes with it. A term too far from every concept leaves the pair
 * its cosine (MODEL_SIMILARITY). A curated anchor is never second-guessed: its concept is what the
 * vocabulary says.
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
  if (requestedConcept === null) return modelSimilarity(similarity);
  const actualConcept = concepts.assign(actual, actualVector);
  if (actualConcept?.placed !== false) {
    const placement = concepts.place(requestedConcept.concept, actual, actualVector);
    if (placement !== null && placement.clash !== null) return { kind: 'conflict', similarity, concepts: [requestedConcept.concept, placement.clash], basis: 'PLACED_CONCEPT' };
    return placed(placement, similarity, concepts);
  }
  // An unseen request against a curated item: the same lead, toward the concepts whose requests take the item.
  if (requestedConcept.placed) return placed(concepts.placeRequest(actualConcept.concept, requested, requestedVector), similarity, concepts);
  return compareConcepts(requestedConcept.concept, actualConcept.concept, actualVector, similarity, concepts);
}

/** A pair with a term the vocabulary does not know: its cosine moved by where the model placed the term (ConceptMap.unseen). */
function placed(placement: Placement | null, similarity: number, concepts: ConceptIndex): PairVerdict {
  if (placement === null) return modelSimilarity(similarity);
  const { weight, evenLead } = concepts.unseen;
  return { kind: 'scored', score: clamp(similarity + weight * (placement.lead - evenLead)), similarity, basis: 'PLACED_CONCEPT' };
}

/** Both terms curated anchors: the vocabulary's relation of their concepts decides. */
function compareConcepts(requested: string, actual: string, actualVector: Vector, similarity: number, concepts: ConceptIndex): PairVerdict {
  switch (concepts.relation(requested, actual)) {
    case 'opposed':
      return { kind: 'conflict', similarity, concepts: [requested, actual], basis: 'KNOWN_CLASH' };
    case 'same':
      return { kind: 'scored', score: 1, similarity, basis: 'SAME_CONCEPT' };
    case 'compatible':
      return { kind: 'scored', score: Math.max(similarity, COMPATIBLE_CONCEPT_SCORE), similarity, basis: 'COMPATIBLE_CONCEPTS' };
    case 'unrelated': {
      // An anchor sits in its own concept at strength 1, so sureness reads only its distance from the requested concept's
      // centroid: (1 − closeness) / sureGap, clamped. At the shipped gaps it is 1 for nearly every anchor pair (a full penalty).
      const { penalty, sureGap } = concepts.unrelated;
      const sureness = clamp((1 - concepts.closeness(requested, actualVector)) / sureGap);
      return { kind: 'scored', score: Math.max(0, similarity - penalty * sureness), similarity, basis: 'UNRELATED_CONCEPTS' };
    }
  }
}

function modelSimilarity(similarity: number): PairVerdict {
  return { kind: 'scored', score: similarity, similarity, basis: 'MODEL_SIMILARITY' };
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
