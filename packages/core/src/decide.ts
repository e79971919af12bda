import { comparePair } from './semantic/pair-verdict.js';
import type { ConceptIndex } from './semantic/concept-index.js';
import { DIMENSIONS, type Dimension } from './dimensions.js';
import type { ModelInfo } from './embedder.js';
import { normalizeTags } from './normalize.js';
import type { DimensionSettings, FilterOptions } from './options.js';
import type { MatchBasis, MatchMode, Reason } from './reasons.js';
import type { Match } from './report.js';
import type { FilterRequest } from './schemas.js';
import type { VectorLookup } from './vectors.js';

/** A request after normalization: the distinct terms of each dimension it names. */
export type NormalizedRequest = Readonly<Partial<Record<Dimension, readonly string[]>>>;

/** What semantic comparison needs: each dimension's vectors for every term, and its concepts. */
export interface SemanticContext {
  readonly vectors: Readonly<Partial<Record<Dimension, VectorLookup>>>;
  readonly concepts: Readonly<Partial<Record<Dimension, ConceptIndex>>>;
  readonly model: ModelInfo;
}

/** How one item tag fares against everything requested on one dimension: the match, or the reason it failed. */
export type TermOutcome =
  | { readonly passed: true; readonly score: number; readonly match: Match }
  | { readonly passed: false; readonly score: number; readonly reason: Reason };

/** Normalizes a request, keeping only the dimensions it names with at least one term. */
export function normalizeRequest(request: FilterRequest): NormalizedRequest {
  const out: Partial<Record<Dimension, readonly string[]>> = {};
  for (const dimension of DIMENSIONS) {
    const terms = normalizeTags(request[dimension]);
    if (terms.length > 0) out[dimension] = terms;
  }
  return out;
}

/** The dimensions a request names, in report order, with the way each is compared: semantic where asked for and prepared (see prepareSemantic). */
export function dimensionModes(request: NormalizedRequest, options: FilterOptions, semantic: SemanticContext | null): Partial<Record<Dimension, MatchMode>> {
  const modes: Partial<Record<Dimension, MatchMode>> = {};
  for (const dimension of DIMENSIONS) {
    if (request[dimension] === undefined) continue;
    const prepared = semantic?.concepts[dimension] !== undefined && semantic.vectors[dimension] !== undefined;
    modes[dimension] = options.dimensions[dimension].mode === 'semantic' && prepared ? 'semantic' : 'exact';
  }
  return modes;
}

/** Compares one item tag with the requested terms exactly. */
export function exactOutcome(dimension: Dimension, requested: readonly string[], term: string): TermOutcome {
  if (requested.includes(term)) return { passed: true, score: 1, match: { dimension, requested: term, actual: term, score: 1, mode: 'exact', basis: 'EXACT' } };
  return { passed: false, score: 0, reason: { dimension, code: 'EXACT_MISMATCH', requested: requested.join(', '), actual: term, mode: 'exact' } };
}

/**
 * Compares one item tag with the requested terms semantically: the best pass, else the clearest
 * rejection. `compare` is comparePair or a remembering version of it (rememberedCompare).
 */
export function semanticOutcome(dimension: Dimension, requested: readonly string[], term: string, settings: DimensionSettings, vectors: VectorLookup, index: ConceptIndex, compare: typeof comparePair = comparePair): TermOutcome {
  let best: { requested: string; score: number; similarity: number; basis: MatchBasis } | null = null;
  let conflict: Reason | null = null;
  for (const wanted of requested) {
    const verdict = compare(wanted, term, vectors, index);
    if (verdict.kind === 'conflict') {
      conflict ??= { dimension, code: 'CONFLICT', requested: wanted, actual: term, similarity: round(verdict.similarity), concepts: [...verdict.concepts], mode: 'semantic', basis: verdict.basis };
    } else if (best === null || verdict.score > best.score) {
      best = { requested: wanted, score: verdict.score, similarity: verdict.similarity, basis: verdict.basis };
    }
  }
  if (best !== null && best.score >= settings.threshold) {
    return { passed: true, score: best.score, match: { dimension, requested: best.requested, actual: term, score: round(best.score), mode: 'semantic', basis: best.basis, ...lowered(best) } };
  }
  const reason: Reason = conflict ?? { dimension, code: 'BELOW_THRESHOLD', requested: best!.requested, actual: term, similarity: round(best!.score), threshold: settings.threshold, mode: 'semantic', basis: best!.basis, ...lowered(best!) };
  return { passed: false, score: best?.score ?? 0, reason };
}

/** The model's similarity before the concepts lowered (unrelated) or moved (placed) the score, so a reader sees both. */
function lowered(best: { similarity: number; basis: MatchBasis }): { model_similarity?: number } {
  return best.basis === 'UNRELATED_CONCEPTS' || best.basis === 'PLACED_CONCEPT' ? { model_similarity: round(best.similarity) } : {};
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
