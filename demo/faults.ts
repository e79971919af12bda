import type { CacheStats, FilterOptionsInput, FilterReport } from '@semfilter/core';
import { createSemanticFilter, type SemanticFilter } from '@semfilter/core/browser';

/** The faults the playground can inject into semantic runs. */
export const FAULTS = {
  /** Semantic runs go to a filter whose model is missing, so they really fall back with MODEL_UNAVAILABLE. */
  MODEL_UNAVAILABLE: 'model-unavailable',
  /** Semantic runs answer only after a delay, as a model on a slow device would. */
  SLOW_MODEL: 'slow-model',
} as const;

/** One of the injectable faults. */
export type Fault = (typeof FAULTS)[keyof typeof FAULTS];

/** What the rollout needs of a filter, with faults that can be switched on and off. */
export interface FaultyFilter {
  filter(items: unknown, request: unknown, options?: FilterOptionsInput): Promise<FilterReport>;
  /** Both underlying filters' lookups added up, so counters only grow when a fault switches filters. */
  stats(): Readonly<CacheStats>;
  /** The faults switched on now. */
  readonly faults: ReadonlySet<Fault>;
  set(fault: Fault, on: boolean): void;
  clear(): void;
}

/** Options of createFaultyFilter. */
export interface FaultyFilterOptions {
  /** Delay added before a semantic run answers under SLOW_MODEL, ms (or a function read at each run). Default 1000 (twice the default p95 guardrail). */
  readonly slowMs?: number | (() => number);
  /** Makes the model-less filter, on first use. Default: a real one pointed at a folder that holds no model, with no vocabulary and no cache. */
  readonly createBroken?: () => Pick<SemanticFilter, 'filter' | 'stats'>;
}

/**
 * Wraps the page's real filter. Faults touch semantic runs only: the traditional filter needs no
 * model, so its runs (the guardrails' baseline) stay as they are.
 */
export function createFaultyFilter(real: Pick<SemanticFilter, 'filter' | 'stats'>, options: FaultyFilterOptions = {}): FaultyFilter {
  const slowMs = options.slowMs ?? 1000;
  const delay = () => (typeof slowMs === 'function' ? slowMs() : slowMs);
  // A second real filter rather than a made-up report: its fallback is the one a page without the model gets.
  const createBroken = options.createBroken ?? (() => createSemanticFilter({ modelBaseUrl: '/no-model/', vocabulary: false, cache: false }));
  let broken: Pick<SemanticFilter, 'filter' | 'stats'> | undefined;
  const faults = new Set<Fault>();
  return {
    faults,
    async filter(items, request, filterOptions) {
      const semantic = filterOptions?.semantic !== false;
      if (semantic && faults.has(FAULTS.SLOW_MODEL)) await new Promise((resolve) => setTimeout(resolve, delay()));
      if (semantic && faults.has(FAULTS.MODEL_UNAVAILABLE)) return (broken ??= createBroken()).filter(items, request, filterOptions);
      return real.filter(items, request, filterOptions);
    },
    stats() {
      const a = real.stats();
      const b = broken?.stats();
      if (b === undefined) return a;
      return {
        memoryHits: a.memoryHits + b.memoryHits,
        storeHits: a.storeHits + b.storeHits,
        vocabularyHits: a.vocabularyHits + b.vocabularyHits,
        computed: a.computed + b.computed,
        storeFailures: a.storeFailures + b.storeFailures,
      };
    },
    set(fault, on) {
      if (on) faults.add(fault);
      else faults.delete(fault);
    },
    clear() {
      faults.clear();
    },
  };
}
