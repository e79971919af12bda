import { ConceptIndex } from './concept-index.js';
import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import type { Embedder, ModelInfo } from '../model/embedder.js';
import type { NormalizedRequest } from '../input/normalize.js';
import { embeddingText } from './embedding-text.js';
import type { PairHead } from './pair-head.js';
import { PAIR_HEADS } from './pair-heads.generated.js';
import { phraseHead } from './phrase-head.js';
import { DeadlineError } from '../model/deadline.js';
import type { FallbackReason } from '../report/filter-report.js';
import type { Vector, VectorLookup } from '../model/vectors.js';
import { CONCEPT_MAPS, type ConceptMap } from './vocabulary/concepts.js';

/** What semantic comparison needs: each dimension's vectors for every term, and its concepts. */
export interface SemanticContext {
  readonly vectors: Readonly<Partial<Record<Dimension, VectorLookup>>>;
  readonly concepts: Readonly<Partial<Record<Dimension, ConceptIndex>>>;
  readonly model: ModelInfo;
}

/** What a filter run may use; every field has a default, so hosts and tests can swap any of them. */
export interface FilterDependencies {
  /** Computes vectors; without one, semantic mode falls back with MODEL_UNAVAILABLE. */
  readonly embedder?: Embedder | undefined;
  readonly concepts?: Readonly<Record<Dimension, ConceptMap>>;
  /** Pair heads per dimension (a host's own, trained on its maps); a dimension without one is scored by the shipped head (PAIR_HEADS). */
  readonly heads?: Readonly<Partial<Record<Dimension, PairHead>>>;
  /** Milliseconds clock, for timings. */
  readonly now?: () => number;
}

/** The distinct normalized terms of each dimension that semantic comparison will look up. */
export type TermsByDimension = Partial<Record<Dimension, ReadonlySet<string>>>;

/**
 * Embeds the given terms (and, the first time for an embedder, map and head, each of their
 * dimensions' concept anchors) in one batch, each phrased for its dimension, and builds the
 * concept indexes; or says why semantic mode cannot run. When
 * the model fails, the vectors already known (cache, embedded vocabulary) still serve: terms
 * without one are compared exactly, and `fallback` says why. With `request` (a filter run), a
 * dimension is prepared only when its requested terms and at least one of its other tags have vectors.
 */
export async function prepareSemantic(
  terms: TermsByDimension,
  deps: FilterDependencies,
  request?: NormalizedRequest,
): Promise<{ context: SemanticContext; fallback: FallbackReason | null } | { fallback: FallbackReason }> {
  const embedder = deps.embedder;
  if (embedder === undefined) return { fallback: 'MODEL_UNAVAILABLE' };
  const concepts = deps.concepts ?? CONCEPT_MAPS;
  const dimensions = DIMENSIONS.filter((dimension) => terms[dimension] !== undefined);
  const texts = new Set<string>();
  const textsOf = new Map<Dimension, Map<string, string>>(); // term → its text, for each dimension's terms and anchors
  const heads = (dimension: Dimension): PairHead => deps.heads?.[dimension] ?? PAIR_HEADS[dimension];
  for (const dimension of dimensions) {
    const phrased = new Map<string, string>();
    const add = (term: string): void => {
      let text = phrased.get(term);
      if (text === undefined) phrased.set(term, (text = embeddingText(dimension, term)));
      texts.add(text);
    };
    const anchors = anchorSet(concepts[dimension]);
    for (const term of terms[dimension]!) {
      add(term);
      // A multi-word tag the vocabulary does not know is read with its head too (the pair head weighs both); an anchor is read as it is.
      const head = anchors.has(term) ? null : phraseHead(term);
      if (head !== null) add(head);
    }
    // The anchors' vectors are needed once per embedder, map and head: a built index holds them.
    if (builtIndex(embedder, concepts[dimension], heads(dimension)) === undefined) for (const anchor of anchors) add(anchor);
    textsOf.set(dimension, phrased);
  }
  const textList = [...texts];
  let vectors: (Vector | undefined)[];
  let fallback: FallbackReason | null = null;
  try {
    vectors = await embedder.embed(textList);
  } catch (error) {
    fallback = fallbackOf(error);
    // Without the model, the terms already known (cache, vocabulary) can still be judged.
    vectors = (await embedder.lookup?.(textList).catch(() => undefined)) ?? [];
  }
  const byText = new Map<string, Vector>();
  textList.forEach((text, i) => vectors[i] !== undefined && byText.set(text, vectors[i]));
  const lookups: Partial<Record<Dimension, VectorLookup>> = {};
  const indexes: Partial<Record<Dimension, ConceptIndex>> = {};
  for (const dimension of dimensions) {
    // Lookups run several times per term and pair: the terms phrased above are found without phrasing them again.
    const known = new Map<string, Vector>();
    for (const [term, text] of textsOf.get(dimension)!) if (byText.has(text)) known.set(term, byText.get(text)!);
    const lookup: VectorLookup = (term) => known.get(term) ?? byText.get(embeddingText(dimension, term));
    const built = builtIndex(embedder, concepts[dimension], heads(dimension));
    if (!judgeable(lookup, built === undefined ? concepts[dimension] : null, terms[dimension]!, request?.[dimension])) continue; // compared exactly
    lookups[dimension] = lookup;
    indexes[dimension] = built ?? conceptIndex(embedder, dimension, concepts[dimension], heads(dimension), lookup);
  }
  if (Object.keys(indexes).length === 0 && fallback !== null) return { fallback };
  return { context: { vectors: lookups, concepts: indexes, model: embedder.model }, fallback };
}

/** The fallback an embedder's failure stands for: a passed deadline says why, a timeout is TIMEOUT, the rest MODEL_UNAVAILABLE. */
function fallbackOf(error: unknown): FallbackReason {
  if (error instanceof DeadlineError) return error.reason;
  return error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'MODEL_UNAVAILABLE';
}

/**
 * Whether a dimension can be judged by meaning: its concepts' anchors have vectors (`map`; null
 * when an index built earlier already holds them) and, in a filter run, so do its requested terms
 * and at least one other tag (if it has any); otherwise the run
 * would be exact in all but name. A single tag without a vector is compared exactly where it is
 * used (runPrepared, judgePairs).
 */
function judgeable(lookup: VectorLookup, map: ConceptMap | null, terms: ReadonlySet<string>, requested: readonly string[] | undefined): boolean {
  if (map !== null && map.concepts.some((concept) => concept.anchors.some((anchor) => lookup(anchor) === undefined))) return false;
  if (requested === undefined) return true;
  if (requested.some((term) => lookup(term) === undefined)) return false;
  const tags = [...terms].filter((term) => !requested.includes(term));
  return tags.length === 0 || tags.some((term) => lookup(term) !== undefined);
}

/**
 * Concept indexes per embedder, concept map and head: a term's placement depends only on its
 * vector, so anchors are gathered and terms placed once per model, not once per filter call.
 */
const conceptIndexes = new WeakMap<Embedder, WeakMap<ConceptMap, WeakMap<PairHead, ConceptIndex>>>();

/** The index an earlier call built for this embedder, map and head, if any. */
function builtIndex(embedder: Embedder, map: ConceptMap, head: PairHead): ConceptIndex | undefined {
  return conceptIndexes.get(embedder)?.get(map)?.get(head);
}

const anchorSets = new WeakMap<ConceptMap, ReadonlySet<string>>();

/** A map's anchors, gathered once. */
function anchorSet(map: ConceptMap): ReadonlySet<string> {
  let anchors = anchorSets.get(map);
  if (anchors === undefined) anchorSets.set(map, (anchors = new Set(map.concepts.flatMap((concept) => concept.anchors))));
  return anchors;
}

function conceptIndex(embedder: Embedder, dimension: Dimension, map: ConceptMap, head: PairHead, lookup: VectorLookup): ConceptIndex {
  let byMap = conceptIndexes.get(embedder);
  if (byMap === undefined) conceptIndexes.set(embedder, (byMap = new WeakMap()));
  let byHead = byMap.get(map);
  if (byHead === undefined) byMap.set(map, (byHead = new WeakMap()));
  let index = byHead.get(head);
  if (index === undefined) byHead.set(head, (index = new ConceptIndex(dimension, map, lookup, head)));
  return index;
}
