import { DIMENSIONS } from '../input/dimensions.js';
import type { FilterOptions } from '../filter/options.js';
import { rankedOrder } from '../prepared/rank.js';
import { runReport } from '../prepared/report.js';
import type { PreparedRequest } from '../prepared/request.js';
import type { PreparedRun, RunTuning } from '../prepared/run.js';
import { itemVerdicts } from '../prepared/verdicts.js';
import { parsePreparedWardrobe, type PreparedWardrobe } from '../prepared/wardrobe.js';
import type { FilterReport } from '../report/filter-report.js';
import type { FilterOptionsInput, FilterRequest, InputIssue } from '../input/schemas.js';

/**
 * A wardrobe validated, normalized and interned once by `SemanticFilter.prepare`; `filter`,
 * `compare` and `run` take it in place of the items and then skip that work. It keeps only ids
 * and term ids: prepare again after changing the items.
 */
export interface PreparedItems {
  /** Number of items; 0 when they did not validate. */
  readonly size: number;
  /** The prepared wardrobe, or null when the items did not validate (`issues` says why). */
  readonly wardrobe: PreparedWardrobe | null;
  readonly issues: readonly InputIssue[];
}

/** One mode's run over a prepared wardrobe, for paging UIs: the report and the per-item arrays behind it. */
export interface FilterRun {
  /** The report; its `items` (every verdict, ranked) are built on first read, so reading only the totals costs no per-item work. */
  readonly report: FilterReport;
  /** Pass flags and scores by item index, for `itemVerdict(run, index)`; null when the input did not validate. */
  readonly run: PreparedRun | null;
}

const handles = new WeakSet<PreparedItems>();

/** Validates and prepares items once (never throws: invalid items give a handle with `issues`). */
export function prepareItems(items: unknown): PreparedItems {
  const parsed = parsePreparedWardrobe(items);
  const handle: PreparedItems = parsed.ok ? { size: parsed.value.size, wardrobe: parsed.value, issues: [] } : { size: 0, wardrobe: null, issues: parsed.issues };
  handles.add(handle);
  return handle;
}

/** Whether a value is a handle prepareItems made (items themselves never are). */
export function isPreparedItems(value: unknown): value is PreparedItems {
  return typeof value === 'object' && value !== null && handles.has(value as PreparedItems);
}

/** A run's report, its `items` built on first read; `started` is when the call began; `embedMs` is present when this call prepared the request (asked the embedder). */
export function lazyReport(run: PreparedRun, started: number, embedMs: number | undefined): FilterReport {
  return runReport(run, () => itemVerdicts(run, rankedOrder(run)), { totalMs: run.prepared.now() - started, embedMs });
}

/** What a run may change on a prepared request without new vectors: every threshold and the weight. */
export function tuningOf(options: FilterOptions): RunTuning {
  return { thresholds: Object.fromEntries(DIMENSIONS.map((d) => [d, options.dimensions[d].threshold])), semanticWeight: options.semanticWeight };
}

/** Prepared requests are kept this many per wardrobe (a UI switches between a few requests and modes). */
const KEPT_REQUESTS = 8;

/**
 * Prepared requests per wardrobe, keyed by the request and every option but the thresholds and
 * the weight, so a threshold drag reruns a request without asking the embedder again. A request
 * whose semantic mode fell back is not kept: the next call tries the model again.
 */
export class PreparedRequests {
  readonly #byWardrobe = new WeakMap<PreparedWardrobe, Map<string, PreparedRequest>>();

  get(wardrobe: PreparedWardrobe, request: FilterRequest, options: FilterOptionsInput): PreparedRequest | undefined {
    return this.#byWardrobe.get(wardrobe)?.get(key(request, options));
  }

  set(wardrobe: PreparedWardrobe, request: FilterRequest, options: FilterOptionsInput, prepared: PreparedRequest): void {
    if (prepared.options.semantic && prepared.fallback !== null) return;
    let kept = this.#byWardrobe.get(wardrobe);
    if (kept === undefined) this.#byWardrobe.set(wardrobe, (kept = new Map()));
    kept.set(key(request, options), prepared);
    if (kept.size > KEPT_REQUESTS) kept.delete(kept.keys().next().value!);
  }
}

function key(request: FilterRequest, options: FilterOptionsInput): string {
  const modes = DIMENSIONS.map((d) => options.dimensions?.[d]?.mode ?? '');
  return JSON.stringify([request.style ?? null, request.occasion ?? null, request.mood ?? null, options.semantic ?? false, modes]);
}
