import type { MatchBasis } from '../report/reasons.js';
import { cosine, type VectorLookup } from '../model/vectors.js';
import type { ConceptIndex } from './concept-index.js';
import { pairFeatures, readPair } from './pair-features.js';
import { headLogit, sigmoid } from './pair-head.js';

/** Bases a conflict can have: a clash between curated concepts, or with the concept the model surely placed an unseen term in. */
export type ConflictBasis = 'KNOWN_CLASH' | 'PLACED_CONCEPT';

/** How one requested term and one item term compare on a dimension, and what decided it (`basis`). */
export type PairVerdict =
  | {
      readonly kind: 'scored';
      readonly score: number;
      readonly similarity: number;
      readonly basis: Exclude<MatchBasis, 'KNOWN_CLASH'>;
      /** The requested term's concept and the item term's (where the model placed an unseen one); absent for EXACT. */
      readonly concepts?: readonly [string, string];
      /** With basis UNCERTAIN: the term the model does not know well. */
      readonly unsure?: string;
    }
  | { readonly kind: 'conflict'; readonly similarity: number; readonly concepts: readonly [string, string]; readonly basis: ConflictBasis };

/**
 * Compares two normalized terms semantically. Identical terms score 1 (EXACT); two curated anchors
 * in clashing concepts are a conflict whatever their similarity (antonyms embed close together).
 * Every other pair is scored by the dimension's pair head (PairHead): a calibrated probability
 * that the pair is compatible, read from the model's similarity, where each term sits among the
 * concepts, the phrase heads of multi-word tags and the map's axes. Two anchors are scored on the
 * item read as if unseen, shifted by their concepts' relation (which is also their basis); a pair
 * with a term the vocabulary does not know is PLACED_CONCEPT when the placement is sure and the
 * score clear, otherwise UNCERTAIN (`unsure` names the term). A weak placement never scores above
 * the head's ceiling and is never vetoed.
 */
export function comparePair(requested: string, actual: string, vectors: VectorLookup, concepts: ConceptIndex): PairVerdict {
  if (requested === actual) return { kind: 'scored', score: 1, similarity: 1, basis: 'EXACT' };
  const requestedVector = vectors(requested);
  const actualVector = vectors(actual);
  if (requestedVector === undefined || actualVector === undefined) {
    throw new Error(`no vector for "${requestedVector === undefined ? requested : actual}": embed every term before comparing`);
  }
  const head = concepts.head;
  if (concepts.isAnchor(requested) && concepts.isAnchor(actual)) {
    const { relation, concepts: pair } = concepts.relationOf(concepts.placement(requested, requestedVector), concepts.placement(actual, actualVector));
    if (relation === 'opposed') return { kind: 'conflict', similarity: cosine(requestedVector, actualVector), concepts: pair, basis: 'KNOWN_CLASH' };
    // The model's evidence on the item read as if unseen, shifted by the vocabulary's relation (no pass over every anchor).
    const typical = readPair(concepts, requested, requestedVector, actual, actualVector, vectors, true);
    const score = sigmoid(headLogit(head.seen.typical, pairFeatures(concepts, typical, true)) + head.seen.offsets[relation]);
    const basis = relation === 'same' ? 'SAME_CONCEPT' : relation === 'compatible' ? 'COMPATIBLE_CONCEPTS' : 'UNRELATED_CONCEPTS';
    return { kind: 'scored', score, similarity: typical.similarity, basis, concepts: pair };
  }
  const readings = readPair(concepts, requested, requestedVector, actual, actualVector, vectors);
  const { similarity, requested: wanted, item } = readings;
  const { relation, concepts: pair } = concepts.relationOf(wanted, item);
  const score = sigmoid(headLogit(head.placed, pairFeatures(concepts, readings)));
  const unsure = item.seen ? requested : actual;
  if (concepts.isWeak(wanted) || concepts.isWeak(item)) return { kind: 'scored', score: Math.min(score, head.weakCeiling), similarity, basis: 'UNCERTAIN', concepts: pair, unsure };
  if (wanted.seen && relation === 'opposed' && score < head.vetoBelow) return { kind: 'conflict', similarity, concepts: pair, basis: 'PLACED_CONCEPT' };
  const [low, high] = head.uncertain;
  if (score > low && score < high) return { kind: 'scored', score, similarity, basis: 'UNCERTAIN', concepts: pair, unsure };
  return { kind: 'scored', score, similarity, basis: 'PLACED_CONCEPT', concepts: pair };
}
