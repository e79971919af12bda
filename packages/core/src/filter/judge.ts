import type { Dimension } from '../input/dimensions.js';
import { exactOutcome, outcomeBasis, semanticOutcome } from './term-outcome.js';
import { prepareSemantic, type FilterDependencies } from '../semantic/context.js';
import { normalizeTerm } from '../input/normalize.js';
import { resolveOptions } from './options.js';
import type { FallbackReason } from '../report/filter-report.js';
import type { MatchBasis, Reason } from '../report/reasons.js';
import type { FilterOptionsInput } from '../input/schemas.js';

/** One requested term and one item term on a dimension. */
export interface TermPair {
  readonly dimension: Dimension;
  readonly requested: string;
  readonly item: string;
}

/** Both filters' verdicts on a pair; `score` is null when semantic mode is not active. */
export interface PairJudgement {
  readonly traditional: boolean;
  readonly semantic: boolean;
  readonly score: number | null;
  readonly reason: Reason | null;
  /** Where the semantic verdict came from (null when semantic mode is not active or the pair was compared exactly). */
  readonly basis: MatchBasis | null;
}

/** Judgements in input order, and whether semantic mode ran (if not, why). */
export interface JudgeResult {
  readonly semantic_mode_active: boolean;
  readonly fallback_reason: FallbackReason | null;
  readonly judgements: readonly PairJudgement[];
}

/**
 * Judges term pairs the way the filters judge item tags: exact after normalization, and
 * semantically with the dimension's threshold and concepts. All distinct terms are embedded once.
 */
export async function judgePairs(pairs: readonly TermPair[], optionsInput: FilterOptionsInput = {}, deps: FilterDependencies = {}): Promise<JudgeResult> {
  const options = resolveOptions({ ...optionsInput, semantic: true });
  const normalized = pairs.map((pair) => ({ dimension: pair.dimension, requested: normalizeTerm(pair.requested).value, item: normalizeTerm(pair.item).value }));
  const terms: Partial<Record<Dimension, Set<string>>> = {};
  for (const pair of normalized) {
    if (options.dimensions[pair.dimension].mode !== 'semantic') continue;
    const set = (terms[pair.dimension] ??= new Set());
    set.add(pair.requested).add(pair.item);
  }
  const prepared = await prepareSemantic(terms, deps);
  const context = 'context' in prepared ? prepared.context : null;
  const fallback = prepared.fallback;
  const judgements = normalized.map(({ dimension, requested, item }) => {
    const exact = exactOutcome(dimension, [requested], item);
    if (context === null) return { traditional: exact.passed, semantic: exact.passed, score: null, reason: exact.passed ? null : exact.reason, basis: null };
    const index = context.concepts[dimension];
    const vectors = context.vectors[dimension];
    const known = index !== undefined && vectors !== undefined && vectors(requested) !== undefined && vectors(item) !== undefined;
    const outcome = !known ? exact : semanticOutcome(dimension, [requested], item, options.dimensions[dimension], vectors, index);
    const basis = known ? (outcomeBasis(outcome) ?? null) : null;
    return { traditional: exact.passed, semantic: outcome.passed, score: Math.round(outcome.score * 10_000) / 10_000, reason: outcome.passed ? null : outcome.reason, basis };
  });
  return { semantic_mode_active: context !== null, fallback_reason: fallback, judgements };
}
