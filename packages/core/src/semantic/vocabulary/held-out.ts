import { DIMENSIONS, type Dimension } from '../../input/dimensions.js';
import { normalizeTerm } from '../../input/normalize.js';
import { CONCEPT_MAPS, type ConceptMap } from './concepts.js';

/**
 * The concept maps with every item term of the pairs taken out of the anchors (a term the pairs
 * also request stays): the pairs' item terms are then unseen, as tags the vocabulary never met
 * are. How `semfilter eval` and the tuning scripts estimate the error on unseen terms.
 */
export function withItemTermsUnseen(pairs: readonly { readonly requested: string; readonly item: string }[], maps: Readonly<Record<Dimension, ConceptMap>> = CONCEPT_MAPS): Record<Dimension, ConceptMap> {
  const items = new Set(pairs.map((pair) => normalizeTerm(pair.item).value));
  const requested = new Set(pairs.map((pair) => normalizeTerm(pair.requested).value));
  const kept = (anchor: string) => requested.has(anchor) || !items.has(anchor);
  const out = {} as Record<Dimension, ConceptMap>;
  for (const d of DIMENSIONS) out[d] = { ...maps[d], concepts: maps[d].concepts.map((c) => ({ ...c, anchors: c.anchors.filter(kept) })) };
  return out;
}

/** Which half of a term-disjoint split a pair falls in: its terms tune the scorer, or are kept apart to report on. */
export type TermHalf = 'tuning' | 'held-out';

/**
 * The half of the open-vocabulary set a pair belongs to, split by term, not by pair: each term the
 * vocabulary does not know hashes (FNV-1a over dimension and normalized term) to one half, and a
 * pair lands in its item term's half. A pair whose requested term is also unknown and hashes to the
 * other half belongs to neither (null), so no held-out term ever meets a tuning one.
 */
export function termHalf(pair: { readonly dimension: Dimension; readonly requested: string; readonly item: string }, maps: Readonly<Record<Dimension, ConceptMap>> = CONCEPT_MAPS): TermHalf | null {
  const known = (term: string) => maps[pair.dimension].concepts.some((concept) => concept.anchors.includes(term));
  const half = (term: string): TermHalf => (fnv1a(`${pair.dimension}:${normalizeTerm(term).value}`) % 2 === 0 ? 'tuning' : 'held-out');
  const item = half(pair.item);
  if (!known(normalizeTerm(pair.requested).value) && half(pair.requested) !== item) return null;
  return item;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
