import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import { createTagNormalizer } from '../input/normalize.js';
import { parseWardrobe, type Item, type Parsed } from '../input/schemas.js';

/**
 * One dimension of a prepared wardrobe. Items repeat a few hundred tags in a few thousand
 * combinations, so each distinct combination (a *tag set*: the item's normalized terms, in the
 * item's order, duplicates dropped) is stored once and every item points at its set. A run then
 * judges each term once and each set once, and the pass over the items is one lookup per dimension.
 */
export interface WardrobeDimension {
  /** Term id → normalized term, in order of first appearance in the wardrobe. */
  readonly terms: readonly string[];
  /** Tag set s holds the term ids `setTerms[setOffsets[s]]` up to (not including) `setTerms[setOffsets[s + 1]]`. */
  readonly setOffsets: Uint32Array;
  /** The term ids of every tag set, one set after the other. */
  readonly setTerms: Uint32Array;
  /** Item index → its tag set. Set 0 is the empty set: the item has no tag on this dimension. */
  readonly itemSets: Uint32Array;
  /** Tag set → how many items have it, so a run counts rejections per set, not per item. */
  readonly setSizes: Uint32Array;
  /** Tag set → the index of the first item that has it (the wardrobe's size when none does). */
  readonly setFirstItems: Uint32Array;
}

/** A wardrobe normalized and interned once, reusable across requests, thresholds and modes. */
export interface PreparedWardrobe {
  /** Number of items. */
  readonly size: number;
  /** Item index → item id, in input order. */
  readonly ids: readonly string[];
  readonly dimensions: Readonly<Record<Dimension, WardrobeDimension>>;
}

/**
 * Normalizes and interns items as they are typed (no validation, as filterItems takes them). Only
 * ids and term ids are kept: changing the items afterwards does not change what was prepared.
 */
export function prepareWardrobe(items: readonly Item[]): PreparedWardrobe {
  const tagsOf = createTagNormalizer(); // each distinct raw tag is normalized once, across dimensions
  const ids = items.map((item) => item.id);
  const dimensions = Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, internDimension(items, dimension, tagsOf)])) as Record<Dimension, WardrobeDimension>;
  return { size: items.length, ids, dimensions };
}

/** Validates a wardrobe (as parseWardrobe does: an array of items, or an object with an `items` array), then prepares it. */
export function parsePreparedWardrobe(value: unknown): Parsed<PreparedWardrobe> {
  const parsed = parseWardrobe(value);
  return parsed.ok ? { ok: true, value: prepareWardrobe(parsed.value) } : parsed;
}

/** The normalized terms of one item on one dimension, in the item's order (empty when it has none). */
export function itemTerms(wardrobe: PreparedWardrobe, dimension: Dimension, index: number): string[] {
  const { terms, setOffsets, setTerms, itemSets } = wardrobe.dimensions[dimension];
  const set = itemSets[index]!;
  return Array.from(setTerms.subarray(setOffsets[set]!, setOffsets[set + 1]!), (id) => terms[id]!);
}

function internDimension(items: readonly Item[], dimension: Dimension, tagsOf: (raw: Item[Dimension]) => string[]): WardrobeDimension {
  const terms: string[] = [];
  const termIds = new Map<string, number>();
  const setIds = new Map<string, number>([['', 0]]);
  const offsets: number[] = [0, 0];
  const setTerms: number[] = [];
  const setOf = (normalized: readonly string[]): number => {
    const ids = normalized.map((term) => {
      let id = termIds.get(term);
      if (id === undefined) termIds.set(term, (id = terms.push(term) - 1));
      return id;
    });
    const key = ids.join(',');
    let set = setIds.get(key);
    if (set === undefined) {
      setIds.set(key, (set = offsets.length - 1));
      setTerms.push(...ids);
      offsets.push(setTerms.length);
    }
    return set;
  };
  // Most attributes are one string, repeated across many items: those go straight to their set.
  const setOfString = new Map<string, number>();
  const itemSets = new Uint32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const raw = items[i]![dimension];
    if (typeof raw !== 'string') {
      itemSets[i] = setOf(tagsOf(raw));
      continue;
    }
    let set = setOfString.get(raw);
    if (set === undefined) setOfString.set(raw, (set = setOf(tagsOf(raw))));
    itemSets[i] = set;
  }
  const setSizes = new Uint32Array(offsets.length - 1);
  const setFirstItems = new Uint32Array(offsets.length - 1).fill(items.length);
  for (let i = items.length - 1; i >= 0; i--) {
    setSizes[itemSets[i]!]!++;
    setFirstItems[itemSets[i]!] = i;
  }
  return { terms, setOffsets: Uint32Array.from(offsets), setTerms: Uint32Array.from(setTerms), itemSets, setSizes, setFirstItems };
}
