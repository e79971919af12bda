import { CONCEPT_MAPS, type Dimension } from '@semfilter/core';

/** A request's terms for one dimension as the text input shows them. */
export function requestText(value: string | readonly string[] | undefined): string {
  return value === undefined ? '' : typeof value === 'string' ? value : value.join(', ');
}

const suggestions = new Map<Dimension, string[]>();

/** The vocabulary's anchor terms for a dimension, sorted: what the request inputs suggest. */
export function suggestedTerms(dimension: Dimension): string[] {
  let list = suggestions.get(dimension);
  if (list === undefined) suggestions.set(dimension, (list = [...new Set(CONCEPT_MAPS[dimension].concepts.flatMap((c) => c.anchors))].sort()));
  return list;
}
