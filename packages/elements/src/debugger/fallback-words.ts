import { DIMENSIONS, type Dimension, type FallbackReason, type FilterReport, type PreparedRun } from '@semfilter/core';
import type { ModelLoadFailure, ModelState } from '@semfilter/core/browser';
import type { VectorStats } from './debugger-runs.js';

/** Tags listed by name in "which tags are compared exactly"; the rest are counted. */
const LISTED_TAGS = 5;

/**
 * Why semantic mode is not (fully) active, in words; for a model that could not be loaded or did
 * not answer in time, with the cause the filter knows (`failure`, from its latest failed load):
 * "the model could not be loaded because the server answered …/config.json with an HTML page: the
 * model is not served there".
 */
export function fallbackWords(reason: FallbackReason, failure?: ModelLoadFailure | null): string {
  const words = reasonWords(reason);
  return failure != null && (reason === 'MODEL_UNAVAILABLE' || reason === 'TIMEOUT') ? `${words} because ${failure.message}` : words;
}

function reasonWords(reason: FallbackReason): string {
  switch (reason) {
    case 'MODEL_UNAVAILABLE':
      return 'the model could not be loaded';
    case 'MODEL_LOADING':
      return 'the model is still loading (the rows update when it is ready)';
    case 'TIMEOUT':
      return 'the model did not answer in time';
    case 'INVALID_INPUT':
      return 'the wardrobe or the request is not valid';
    case 'DISABLED':
      return 'semantic mode was not asked for';
  }
}

/**
 * Where the semantic run's vectors came from when the model was not needed (it stays idle while
 * the vocabulary and the cache answer every tag): "the vocabulary", "the cache" or both; undefined
 * while the model state says all there is to say.
 */
export function vectorsWithoutModel(report: FilterReport | undefined, state: ModelState, stats: VectorStats | undefined): string | undefined {
  if (state !== 'idle' || report === undefined || !report.semantic_mode_active || report.fallback_reason !== null) return undefined;
  if (stats === undefined || stats.computed > 0) return undefined;
  const sources = [stats.storeHits > 0 ? 'the cache' : '', stats.vocabularyHits > 0 ? 'the vocabulary' : ''].filter((s) => s !== '');
  return sources.length === 0 ? undefined : sources.join(' and ');
}

/** What a run that is only partly semantic compares exactly: whole dimensions, and tags without a vector in the others. */
export interface ExactlyCompared {
  readonly dimensions: readonly Dimension[];
  /** "style 'zorblaxian'", each once, in dimension order. */
  readonly tags: readonly string[];
}

/**
 * Which comparisons fell back to exact matching (remembered per run). A tag without a vector shows as an exact match or
 * mismatch that some item reports on a dimension compared by meaning: each distinct tag set
 * reports one term, so the sets are checked, not the items.
 */
export function exactlyCompared(report: FilterReport, run: PreparedRun): ExactlyCompared {
  let found = compared.get(run);
  if (found === undefined) compared.set(run, (found = readExactlyCompared(report, run)));
  return found;
}

/** exactlyCompared per run: the changes panel and the summary both say it, and a download's progress events render again. */
const compared = new WeakMap<PreparedRun, ExactlyCompared>();

function readExactlyCompared(report: FilterReport, run: PreparedRun): ExactlyCompared {
  const dimensions = DIMENSIONS.filter((d) => report.dimension_modes[d] === 'exact');
  const tags = new Set<string>();
  for (const { dimension, outcomes, setReported } of run.judged) {
    if (report.dimension_modes[dimension] !== 'semantic') continue;
    for (const term of setReported) {
      const outcome = term >= 0 ? outcomes[term]! : undefined;
      const compared = outcome === undefined ? undefined : outcome.passed ? outcome.match : outcome.reason;
      if (compared?.mode === 'exact') tags.add(`${dimension} '${compared.actual}'`);
    }
  }
  return { dimensions, tags: [...tags] };
}

/** ExactlyCompared in words: "compared exactly: mood; tags without a vector compared exactly: style 'zorblaxian'". */
export function exactWords({ dimensions, tags }: ExactlyCompared): string {
  const listed = tags.slice(0, LISTED_TAGS).join(', ') + (tags.length > LISTED_TAGS ? ` and ${tags.length - LISTED_TAGS} more` : '');
  return [
    dimensions.length > 0 ? `compared exactly: ${dimensions.join(', ')}` : '',
    tags.length > 0 ? `tags without a vector compared exactly: ${listed}` : '',
  ].filter((part) => part !== '').join('; ') || 'every tag compared by meaning';
}
