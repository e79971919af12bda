import { exactOutcome, semanticOutcome, type TermOutcome } from '../decide.js';
import { DIMENSIONS, type Dimension } from '../dimensions.js';
import type { FilterOptions } from '../options.js';
import { rememberedCompare } from './comparisons.js';
import type { FilterOptionsInput, FilterRequest } from '../schemas.js';
import type { FilterDependencies } from '../semantic-context.js';
import { prepareRequest, type PreparedRequest } from './request.js';
import type { PreparedWardrobe, WardrobeDimension } from './wardrobe.js';

/** What a run may change without new vectors: thresholds per dimension and the semantic weight. */
export interface RunTuning {
  readonly thresholds?: Readonly<Partial<Record<Dimension, number>>>;
  readonly semanticWeight?: number;
}

/** One requested dimension as a run judged it: each term once, then each tag set once. */
export interface JudgedDimension {
  readonly dimension: Dimension;
  /** Term id → how the term fares against the request (the match, or the reason it failed). */
  readonly outcomes: readonly TermOutcome[];
  /** Tag set → 1 when it passes (set 0, no tag, never does). */
  readonly setPassed: Uint8Array;
  /** Tag set → its best term's score (0 for set 0). */
  readonly setScores: Float64Array;
  /** Tag set → 1 when it holds a requested term itself (the rule score). */
  readonly setExact: Uint8Array;
  /** Tag set → the term id whose match (set passed) or reason (set rejected) it reports; -1 for set 0. */
  readonly setReported: Int32Array;
}

/**
 * One filter run over a prepared wardrobe: per item a pass flag and a score, and the totals a
 * report needs. Nothing per item is allocated beyond these arrays; verdicts with reasons are
 * built on demand (itemVerdicts), the ranked order too (rankedOrder).
 */
export interface PreparedRun {
  readonly prepared: PreparedRequest;
  /** The request's options with the run's tuning applied. */
  readonly options: FilterOptions;
  /** The requested dimensions, in report order. */
  readonly judged: readonly JudgedDimension[];
  /** Item index → 1 when the item passed. */
  readonly passed: Uint8Array;
  /** Item index → its score, rounded as reports give it. */
  readonly scores: Float64Array;
  readonly passCount: number;
  /** passCount / items, 0 without items. */
  readonly passRate: number;
  /** Items each dimension rejected, keyed in the order reports list them (first rejection first). */
  readonly rejectionCounts: Readonly<Partial<Record<Dimension, number>>>;
  /** Dimensions that rejected at least one item, in report order. */
  readonly rejectionReasons: readonly Dimension[];
  /** Milliseconds spent preparing the request and running it. */
  readonly elapsedMs: number;
}

/**
 * Runs a prepared request over its wardrobe: one outcome per distinct term, one verdict per
 * distinct tag set, then one pass over the items' set ids. Synchronous: a threshold change is a
 * new run of the same prepared request with `tuning`.
 */
export function runPrepared(prepared: PreparedRequest, tuning?: RunTuning): PreparedRun {
  const started = prepared.now();
  const options = tuned(prepared.options, tuning);
  const dimensions = DIMENSIONS.filter((dimension) => prepared.modes[dimension] !== undefined);
  const judged = dimensions.map((dimension) => judgeDimension(prepared, options, dimension));
  const { wardrobe } = prepared;
  const size = wardrobe.size;
  const count = judged.length;
  const itemSets = dimensions.map((dimension) => wardrobe.dimensions[dimension].itemSets);
  const setPassed = judged.map((j) => j.setPassed);
  const setScores = judged.map((j) => j.setScores);
  const setExact = judged.map((j) => j.setExact);
  const rejected = new Uint32Array(count);
  const firstRejected = new Int32Array(count).fill(-1);
  const passed = new Uint8Array(size);
  const scores = new Float64Array(size);
  // As the per-item verdicts always did: without a semantic context the score is the rule score alone.
  const blend = prepared.semantic !== null;
  const weight = options.semanticWeight;
  const divisor = Math.max(count, 1);
  let passCount = 0;
  for (let i = 0; i < size; i++) {
    let pass = 1;
    let ruleScore = 0;
    let semanticScore = 0;
    for (let d = 0; d < count; d++) {
      const set = itemSets[d]![i]!;
      if (setPassed[d]![set] === 0) {
        pass = 0;
        if (rejected[d]++ === 0) firstRejected[d] = i;
      }
      ruleScore += setExact[d]![set]!;
      semanticScore += setScores[d]![set]!;
    }
    const rule = count === 0 ? 1 : ruleScore / divisor;
    const score = blend ? weight * (semanticScore / divisor) + (1 - weight) * rule : rule;
    scores[i] = Math.round(score * 10_000) / 10_000;
    passed[i] = pass;
    passCount += pass;
  }
  const order = dimensions.map((_, d) => d).filter((d) => rejected[d]! > 0);
  order.sort((a, b) => firstRejected[a]! - firstRejected[b]! || a - b);
  return {
    prepared,
    options,
    judged,
    passed,
    scores,
    passCount,
    passRate: size === 0 ? 0 : passCount / size,
    rejectionCounts: Object.fromEntries(order.map((d) => [dimensions[d]!, rejected[d]!])),
    rejectionReasons: dimensions.filter((_, d) => rejected[d]! > 0),
    elapsedMs: prepared.elapsedMs + prepared.now() - started,
  };
}

function judgeDimension(prepared: PreparedRequest, options: FilterOptions, dimension: Dimension): JudgedDimension {
  const requested = prepared.request[dimension]!;
  const vectors = prepared.semantic?.vectors[dimension];
  const concepts = prepared.semantic?.concepts[dimension];
  const semantic = prepared.modes[dimension] === 'semantic';
  const { terms, setOffsets, setTerms }: WardrobeDimension = prepared.wardrobe.dimensions[dimension];
  // A term without a vector (no model, not in the vocabulary) is compared exactly; its reason says so.
  const outcomes = terms.map((term) =>
    semantic && vectors!(term) !== undefined
      ? semanticOutcome(dimension, requested, term, options.dimensions[dimension], vectors!, concepts!, rememberedCompare)
      : exactOutcome(dimension, requested, term),
  );
  const sets = setOffsets.length - 1;
  const setPassed = new Uint8Array(sets);
  const setScores = new Float64Array(sets);
  const setExact = new Uint8Array(sets);
  const setReported = new Int32Array(sets).fill(-1);
  for (let set = 1; set < sets; set++) {
    const start = setOffsets[set]!;
    const end = setOffsets[set + 1]!;
    let best = setTerms[start]!;
    let exact = 0;
    let conflict = -1;
    for (let k = start; k < end; k++) {
      const term = setTerms[k]!;
      const a = outcomes[best]!;
      const b = outcomes[term]!;
      if ((b.passed && !a.passed) || (b.passed === a.passed && b.score > a.score)) best = term;
      if (requested.includes(terms[term]!)) exact = 1;
      // A conflict on any tag explains a rejection better than the best tag's low score.
      if (conflict < 0 && !b.passed && b.reason.code === 'CONFLICT') conflict = term;
    }
    const outcome = outcomes[best]!;
    setPassed[set] = outcome.passed ? 1 : 0;
    setScores[set] = outcome.score;
    setExact[set] = exact;
    setReported[set] = outcome.passed || conflict < 0 ? best : conflict;
  }
  return { dimension, outcomes, setPassed, setScores, setExact, setReported };
}

function tuned(options: FilterOptions, tuning: RunTuning | undefined): FilterOptions {
  if (tuning === undefined) return options;
  const dimensions = Object.fromEntries(
    DIMENSIONS.map((dimension) => [dimension, { ...options.dimensions[dimension], threshold: tuning.thresholds?.[dimension] ?? options.dimensions[dimension].threshold }]),
  ) as FilterOptions['dimensions'];
  return { ...options, dimensions, semanticWeight: tuning.semanticWeight ?? options.semanticWeight };
}

/** prepareRequest then runPrepared: one request on a prepared wardrobe, ready to read or to tune. */
export async function filterPrepared(wardrobe: PreparedWardrobe, request: FilterRequest, options?: FilterOptionsInput, deps?: FilterDependencies): Promise<PreparedRun> {
  return runPrepared(await prepareRequest(wardrobe, request, options, deps));
}
