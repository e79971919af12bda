import { comparePair, type PairVerdict } from '../semantic/pair-verdict.js';
import type { ConceptIndex } from '../semantic/concept-index.js';
import type { SemanticContext } from '../semantic/context.js';
import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import type { NormalizedRequest } from '../input/normalize.js';
import type { DimensionSettings, FilterOptions } from './options.js';
import type { MatchBasis, MatchMode, Reason } from '../report/reasons.js';
import type { Match } from '../report/filter-report.js';
import type { VectorLookup } from '../model/vectors.js';

/** How one item tag fares against everything requested on one dimension: the match, or the reason it failed. */
export type TermOutcome =
  | { readonly passed: true; readonly score: number; readonly match: Match }
  | { readonly passed: false; readonly score: number; readonly reason: Reason };

/** Where an outcome's score came from: its match's basis, or its reason's (none for a reason without one, such as ATTR_MISSING). */
export function outcomeBasis(outcome: TermOutcome): MatchBasis | undefined {
  return outcome.passed ? outcome.match.basis : 'basis' in outcome.reason ? outcome.reason.basis : undefined;
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
 * rejection (a clash, then an unsure verdict the policy turned down, then the best score).
 * `compare` is comparePair or a remembering version of it (rememberedCompare).
 */
export function semanticOutcome(dimension: Dimension, requested: readonly string[], term: string, settings: DimensionSettings, vectors: VectorLookup, index: ConceptIndex, compare: typeof comparePair = comparePair): TermOutcome {
  let best: Scored | null = null;
  let bestPass: Scored | null = null;
  let conflict: Reason | null = null;
  for (const wanted of requested) {
    const verdict = compare(wanted, term, vectors, index);
    if (verdict.kind === 'conflict') {
      conflict ??= { dimension, code: 'CONFLICT', requested: wanted, actual: term, similarity: round(verdict.similarity), concepts: [...verdict.concepts], mode: 'semantic', basis: verdict.basis };
      continue;
    }
    const scored = { requested: wanted, ...verdict };
    if (best === null || scored.score > best.score) best = scored;
    if (passes(scored, settings) && (bestPass === null || scored.score > bestPass.score)) bestPass = scored;
  }
  if (bestPass !== null) {
    return { passed: true, score: bestPass.score, match: { dimension, requested: bestPass.requested, actual: term, score: round(bestPass.score), mode: 'semantic', basis: bestPass.basis, ...evidence(bestPass) } };
  }
  if (conflict !== null) return { passed: false, score: best?.score ?? 0, reason: conflict };
  const { requested: wanted, score, basis } = best!;
  const reason: Reason =
    basis === 'UNCERTAIN' && (settings.uncertain === 'reject' || settings.uncertain === 'exact')
      ? { dimension, code: 'UNCERTAIN', requested: wanted, actual: term, similarity: round(score), threshold: settings.threshold, policy: settings.uncertain, mode: 'semantic', basis, ...evidence(best!) }
      : { dimension, code: 'BELOW_THRESHOLD', requested: wanted, actual: term, similarity: round(score), threshold: settings.threshold, mode: 'semantic', basis, ...evidence(best!) };
  return { passed: false, score, reason };
}

/** A scored pair verdict with the requested term it was for. */
type Scored = Extract<PairVerdict, { kind: 'scored' }> & { readonly requested: string };

/** Whether a scored verdict passes: its score against the threshold, or the dimension's policy for an unsure one (UncertainPolicy). */
function passes(verdict: Scored, settings: DimensionSettings): boolean {
  if (verdict.basis !== 'UNCERTAIN' || settings.uncertain === 'threshold') return verdict.score >= settings.threshold;
  return settings.uncertain === 'accept';
}

/** What a reader needs besides the score: the model's similarity, the two terms' concepts, and the term the model does not know well. */
function evidence(verdict: Scored): { model_similarity?: number; concepts?: [string, string]; unsure?: string } {
  if (verdict.basis === 'EXACT') return {};
  return {
    model_similarity: round(verdict.similarity),
    ...(verdict.concepts === undefined ? {} : { concepts: [...verdict.concepts] }),
    ...(verdict.unsure === undefined ? {} : { unsure: verdict.unsure }),
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
