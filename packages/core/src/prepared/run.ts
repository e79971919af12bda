import { exactOutcome, outcomeBasis, semanticOutcome, type TermOutcome } from '../filter/term-outcome.js';
import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import type { FilterOptions, UncertainPolicy } from '../filter/options.js';
import { rememberedCompare } from './comparisons.js';
import type { FilterOptionsInput, FilterRequest } from '../input/schemas.js';
import type { FilterDependencies } from '../semantic/context.js';
import { prepareRequest, type PreparedRequest } from './request.js';
import { setDetails, type JudgedTerms, type SetDetails } from './set-details.js';
import type { PreparedWardrobe } from './wardrobe.js';

/** What a run may change without new vectors: thresholds per dimension and the semantic weight. */
export interface RunTuning {
  readonly thresholds?: Readonly<Partial<Record<Dimension, number>>>;
  readonly semanticWeight?: number;
}

/**
 * One requested dimension as a run judged it: each term once, then whether each tag set passes.
 * The SetDetails fields (best score, rule hit, reported term per set) are computed on first read:
 * a run that only needs pass flags and counts never pays for them.
 */
export interface JudgedDimension extends JudgedTerms, SetDetails {
  readonly dimension: Dimension;
  /** Tag set → 1 when any of its terms passes (set 0, no tag, never does). */
  readonly setPassed: Uint8Array;
  /**
   * Tag set → 1 when its verdict rests on an unsure pair (basis UNCERTAIN): it passed only on
   * unsure terms, or failed with an unsure term among its tags (one the policy may have turned down).
   */
  readonly setUnsure: Uint8Array;
}

/**
 * One filter run over a prepared wardrobe: per item a pass flag, and the totals a report needs.
 * Nothing per item is allocated beyond the pass flags; scores (itemScore), verdicts with reasons
 * (itemVerdicts) and the ranked order (rankedOrder) are computed when asked for.
 */
export interface PreparedRun {
  readonly prepared: PreparedRequest;
  /** The request's options with the run's tuning applied. */
  readonly options: FilterOptions;
  /** The requested dimensions, in report order. */
  readonly judged: readonly JudgedDimension[];
  /** Item index → 1 when the item passed. */
  readonly passed: Uint8Array;
  readonly passCount: number;
  /** passCount / items, 0 without items. */
  readonly passRate: number;
  /** Items each dimension rejected, keyed in the order reports list them (first rejection first). */
  readonly rejectionCounts: Readonly<Partial<Record<Dimension, number>>>;
  /** Dimensions that rejected at least one item, in report order. */
  readonly rejectionReasons: readonly Dimension[];
  /** Per dimension compared semantically, the items whose verdict there rests on an unsure pair (JudgedDimension.setUnsure). */
  readonly uncertainCounts: Readonly<Partial<Record<Dimension, number>>>;
  /** Milliseconds spent preparing the request and running it. */
  readonly elapsedMs: number;
}

/**
 * Runs a prepared request over its wardrobe: one outcome per distinct term, one verdict per
 * distinct tag set, then one pass over the items' set ids for the pass flags; rejections are
 * counted per set. Synchronous: a threshold change is a new run of the same prepared request
 * with `tuning`.
 */
export function runPrepared(prepared: PreparedRequest, tuning?: RunTuning): PreparedRun {
  const started = prepared.now();
  const options = tuned(prepared.options, tuning);
  const { wardrobe } = prepared;
  const judged = DIMENSIONS.filter((dimension) => prepared.modes[dimension] !== undefined).map((dimension) => judgedDimension(prepared, options, dimension));
  const passed = new Uint8Array(wardrobe.size).fill(1); // with no requested dimension, every item passes
  for (const { dimension, setPassed } of judged) {
    const sets = wardrobe.dimensions[dimension].itemSets;
    for (let i = 0; i < passed.length; i++) passed[i]! &= setPassed[sets[i]!]!;
  }
  let passCount = 0;
  for (let i = 0; i < passed.length; i++) passCount += passed[i]!;
  const rejections = judged.map(({ dimension, setPassed }) => {
    const { setSizes, setFirstItems } = wardrobe.dimensions[dimension];
    let count = 0;
    let first = wardrobe.size;
    for (let set = 0; set < setPassed.length; set++) {
      if (setPassed[set] === 1 || setSizes[set] === 0) continue;
      count += setSizes[set]!;
      first = Math.min(first, setFirstItems[set]!);
    }
    return { dimension, count, first };
  });
  const rejecting = rejections.filter((r) => r.count > 0);

  return {
    prepared,
    options,
    judged,
    passed,
    passCount,
    passRate: wardrobe.size === 0 ? 0 : passCount / wardrobe.size,
    // Reports key the counts as the items first meet them: the first rejected item's dimensions first.
    rejectionCounts: Object.fromEntries([...rejecting].sort((a, b) => a.first - b.first).map((r) => [r.dimension, r.count])),
    rejectionReasons: rejecting.map((r) => r.dimension),
    // Read by reports only, like the sets behind it.
    get uncertainCounts() {
      return Object.fromEntries(
        judged.filter(({ dimension }) => prepared.modes[dimension] === 'semantic').map(({ dimension, setUnsure }) => {
          const { setSizes } = wardrobe.dimensions[dimension];
          let count = 0;
          for (let set = 0; set < setUnsure.length; set++) if (setUnsure[set] === 1) count += setSizes[set]!;
          return [dimension, count];
        }),
      );
    },
    elapsedMs: prepared.elapsedMs + prepared.now() - started,
  };
}

/**
 * The last judgement of each dimension per prepared request. A dimension's judgement depends on
 * the request and on its own threshold only, so a slider that moves one threshold judges one
 * dimension again, not all of them.
 */
const lastJudged = new WeakMap<PreparedRequest, Map<Dimension, { readonly threshold: number; readonly uncertain: UncertainPolicy; readonly judged: JudgedDimension }>>();

function judgedDimension(prepared: PreparedRequest, options: FilterOptions, dimension: Dimension): JudgedDimension {
  let byDimension = lastJudged.get(prepared);
  if (byDimension === undefined) lastJudged.set(prepared, (byDimension = new Map()));
  const { threshold, uncertain } = options.dimensions[dimension];
  const last = byDimension.get(dimension);
  if (last !== undefined && last.threshold === threshold && last.uncertain === uncertain) return last.judged;
  const judged = judgeDimension(prepared, options, dimension);
  byDimension.set(dimension, { threshold, uncertain, judged });
  return judged;
}

function judgeDimension(prepared: PreparedRequest, options: FilterOptions, dimension: Dimension): JudgedDimension {
  const requested = prepared.request[dimension]!;
  const vectors = prepared.semantic?.vectors[dimension];
  const concepts = prepared.semantic?.concepts[dimension];
  const semantic = prepared.modes[dimension] === 'semantic';
  const wardrobeDimension = prepared.wardrobe.dimensions[dimension];
  const { terms, setOffsets, setTerms } = wardrobeDimension;
  // A term without a vector (no model, not in the vocabulary) is compared exactly; its reason says so.
  const outcomes = terms.map((term) =>
    semantic && vectors!(term) !== undefined
      ? semanticOutcome(dimension, requested, term, options.dimensions[dimension], vectors!, concepts!, rememberedCompare)
      : exactOutcome(dimension, requested, term),
  );
  const termPassed = Uint8Array.from(outcomes, (outcome) => (outcome.passed ? 1 : 0));
  const sets = setOffsets.length - 1;
  const setPassed = new Uint8Array(sets);
  for (let set = 1; set < sets; set++) {
    let passed = 0;
    for (let k = setOffsets[set]!; k < setOffsets[set + 1]!; k++) passed |= termPassed[setTerms[k]!]!;
    setPassed[set] = passed;
  }
  let setUnsure: Uint8Array | undefined;
  const judged: JudgedDimension = {
    dimension,
    requested,
    outcomes,
    termPassed,
    setPassed,
    // Read by reports only (uncertain_counts), so a run that only counts passes does not pay for it.
    get setUnsure() {
      return (setUnsure ??= unsureSets(outcomes, termPassed, setPassed, setOffsets, setTerms));
    },
    get setScores() {
      return setDetails(judged, wardrobeDimension).setScores;
    },
    get setExact() {
      return setDetails(judged, wardrobeDimension).setExact;
    },
    get setReported() {
      return setDetails(judged, wardrobeDimension).setReported;
    },
  };
  return judged;
}

/** Per tag set, 1 when it passed only on unsure terms, or failed with an unsure term among its tags (JudgedDimension.setUnsure). */
function unsureSets(outcomes: readonly TermOutcome[], termPassed: Uint8Array, setPassed: Uint8Array, setOffsets: ArrayLike<number>, setTerms: ArrayLike<number>): Uint8Array {
  const termUnsure = Uint8Array.from(outcomes, (outcome) => (outcomeBasis(outcome) === 'UNCERTAIN' ? 1 : 0));
  const setUnsure = new Uint8Array(setPassed.length);
  for (let set = 1; set < setPassed.length; set++) {
    let surePass = 0;
    let unsure = 0;
    for (let k = setOffsets[set]!; k < setOffsets[set + 1]!; k++) {
      const term = setTerms[k]!;
      surePass |= termPassed[term]! & (1 - termUnsure[term]!);
      unsure |= termUnsure[term]!;
    }
    setUnsure[set] = setPassed[set] === 1 ? 1 - surePass : unsure;
  }
  return setUnsure;
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
