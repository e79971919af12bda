import type { Dimension } from '../input/dimensions.js';

/**
 * How a tag is phrased before it is embedded, per dimension. A bare word is ambiguous to the model
 * ("blue" the colour or the mood); a short phrase puts it in its sense. Chosen with
 * scripts/tune/sweep.ts on the development set with item terms held out of the vocabulary, where
 * phrasing cut overall wrong rejects from 19% (bare tags) to about 8%.
 */
export const EMBEDDING_TEMPLATES: Readonly<Record<Dimension, string>> = {
  style: '{term} style',
  occasion: 'an outfit for {term}',
  mood: 'a {term} mood',
};

/** The text embedded for a normalized tag on a dimension. */
export function embeddingText(dimension: Dimension, term: string): string {
  return EMBEDDING_TEMPLATES[dimension].replace('{term}', term);
}
