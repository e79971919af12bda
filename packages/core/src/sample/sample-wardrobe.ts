import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import type { Item } from '../input/schemas.js';
import { CONCEPT_MAPS } from '../semantic/vocabulary/concepts.js';

/** Garments the generated items are named after. */
const GARMENTS = ['blazer', 'tee', 'hoodie', 'jeans', 'midi dress', 'trousers', 'sneakers', 'loafers', 'cardigan', 'shirt', 'skirt', 'jacket', 'coat', 'sweater', 'shorts', 'boots', 'leggings', 'jumpsuit'];
const COLOURS = ['navy', 'black', 'white', 'camel', 'olive', 'grey', 'cream', 'burgundy', 'denim blue', 'rust'];

/**
 * Anchors per concept a generated wardrobe draws its tags from: each concept's first (its most
 * common words), so a wardrobe has a catalogue's few hundred distinct tags per dimension however
 * large the vocabulary grows, and benchmarks stay comparable across vocabulary changes.
 */
const TAGS_PER_CONCEPT = 15;

/**
 * A deterministic wardrobe written like production data: tags from the curated vocabulary in mixed
 * case, with underscores, hyphens and stray spaces, sometimes several per attribute, a few missing.
 * For benchmarks and demos; the same seed gives the same items.
 */
export function generateWardrobe(count: number, seed = 1): Item[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const vocabulary = Object.fromEntries(DIMENSIONS.map((d) => [d, CONCEPT_MAPS[d].concepts.flatMap((c) => c.anchors.slice(0, TAGS_PER_CONCEPT))])) as Record<Dimension, string[]>;
  const messy = (tag: string): string => {
    const roll = random();
    if (roll < 0.25) return tag.replace(/ /g, '_').replace(/\b\w/g, (c) => c.toUpperCase());
    if (roll < 0.35) return tag.toUpperCase();
    if (roll < 0.45) return ` ${tag.replace(/ /g, '-')} `;
    if (roll < 0.6) return tag.charAt(0).toUpperCase() + tag.slice(1);
    return tag;
  };
  return Array.from({ length: count }, (_, index) => {
    const item: Item = { id: `sku-${String(index + 1).padStart(6, '0')}`, name: `${pick(COLOURS)} ${pick(GARMENTS)}` };
    for (const dimension of DIMENSIONS) {
      if (random() < 0.04) continue; // a few items miss a tag, as real catalogues do
      item[dimension] = random() < 0.2 ? [messy(pick(vocabulary[dimension])), messy(pick(vocabulary[dimension]))] : messy(pick(vocabulary[dimension]));
    }
    return item;
  });
}

/** A small seeded generator (mulberry32) of numbers in [0, 1): reproducible across runs and platforms. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
