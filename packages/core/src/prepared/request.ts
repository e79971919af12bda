import { dimensionModes } from '../filter/term-outcome.js';
import { normalizeRequest, type NormalizedRequest } from '../input/normalize.js';
import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import { resolveOptions, type FilterOptions } from '../filter/options.js';
import type { MatchMode } from '../report/reasons.js';
import type { FallbackReason } from '../report/filter-report.js';
import type { FilterOptionsInput, FilterRequest } from '../input/schemas.js';
import { prepareSemantic, type FilterDependencies, type SemanticContext, type TermsByDimension } from '../semantic/context.js';
import type { PreparedWardrobe } from './wardrobe.js';

/**
 * A request made ready against one prepared wardrobe: normalized, and in semantic mode with the
 * vectors and concepts of every term it will compare. It is the asynchronous step (the embedder);
 * runs with other thresholds or weights reuse it (runPrepared's tuning).
 */
export interface PreparedRequest {
  readonly wardrobe: PreparedWardrobe;
  readonly request: NormalizedRequest;
  readonly options: FilterOptions;
  /** Null in the traditional filter, or when semantic mode fell back entirely. */
  readonly semantic: SemanticContext | null;
  readonly fallback: FallbackReason | null;
  /** How each requested dimension is compared, in report order. */
  readonly modes: Readonly<Partial<Record<Dimension, MatchMode>>>;
  /** The clock timings are read from (deps.now). */
  readonly now: () => number;
  /** Milliseconds spent preparing this request, and of those, getting vectors (semantic mode only). */
  readonly elapsedMs: number;
  readonly embedMs: number | undefined;
}

/**
 * Prepares a request for a prepared wardrobe, the way filterItems does: never rejects for a model
 * problem (semantic mode falls back and `fallback` says why).
 */
export async function prepareRequest(wardrobe: PreparedWardrobe, request: FilterRequest, optionsInput?: FilterOptionsInput, deps: FilterDependencies = {}): Promise<PreparedRequest> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const options = resolveOptions(optionsInput);
  const normalized = normalizeRequest(request);
  let semantic: SemanticContext | null = null;
  let fallback: FallbackReason | null = options.semantic ? null : 'DISABLED';
  let embedMs: number | undefined;
  if (options.semantic) {
    const embedStarted = now();
    const prepared = await prepareSemantic(wardrobeTerms(wardrobe, normalized, options), deps, normalized);
    embedMs = now() - embedStarted;
    fallback = prepared.fallback;
    if ('context' in prepared) semantic = prepared.context;
  }
  return { ...requestFor(wardrobe, normalized, options, semantic, now), fallback, elapsedMs: now() - started, embedMs };
}

/** A prepared request from parts already at hand (a semantic context built elsewhere); no fallback, no timings. */
export function requestFor(wardrobe: PreparedWardrobe, request: NormalizedRequest, options: FilterOptions, semantic: SemanticContext | null, now: () => number = () => performance.now()): PreparedRequest {
  return { wardrobe, request, options, semantic, fallback: null, modes: dimensionModes(request, options, semantic), now, elapsedMs: 0, embedMs: undefined };
}

/** The request's and the wardrobe's distinct terms, for the dimensions compared semantically (request terms first). */
export function wardrobeTerms(wardrobe: PreparedWardrobe, request: NormalizedRequest, options: FilterOptions): TermsByDimension {
  const out: Partial<Record<Dimension, Set<string>>> = {};
  for (const dimension of DIMENSIONS) {
    if (request[dimension] === undefined || options.dimensions[dimension].mode !== 'semantic') continue;
    const terms = new Set(request[dimension]);
    for (const term of wardrobe.dimensions[dimension].terms) terms.add(term);
    out[dimension] = terms;
  }
  return out;
}
