import { preparedReport } from './report.js';
import { prepareRequest } from './request.js';
import { runPrepared } from './run.js';
import { prepareWardrobe } from './wardrobe.js';
import type { FilterReport } from '../report/filter-report.js';
import type { FilterOptionsInput, FilterRequest, Item } from '../input/schemas.js';
import type { FilterDependencies } from '../semantic/context.js';

/**
 * Filters items for a request, the traditional way or (with `semantic: true`) the semantic way.
 * Never rejects for a model problem: when vectors cannot be computed the report falls back to the
 * traditional filter and says why. One call prepares the wardrobe, runs it and builds every
 * verdict; to filter the same items again, prepare them once (prepareWardrobe, filterPrepared).
 */
export async function filterItems(items: readonly Item[], request: FilterRequest, optionsInput?: FilterOptionsInput, deps: FilterDependencies = {}): Promise<FilterReport> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const prepared = await prepareRequest(prepareWardrobe(items), request, optionsInput, { ...deps, now });
  return preparedReport(runPrepared(prepared), started);
}
