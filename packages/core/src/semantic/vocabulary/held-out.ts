import { DIMENSIONS, type Dimension } from '../../dimensions.js';
import { normalizeTerm } from '../../normalize.js';
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
