import type { NormalizedRequest } from '../input/normalize.js';
import type { SemanticContext } from '../semantic/context.js';
import type { FilterOptions } from '../filter/options.js';
import type { Reason } from '../report/reasons.js';
import type { ItemVerdict, Match } from '../report/filter-report.js';
import type { Item } from '../input/schemas.js';
import { requestFor } from './request.js';
import { runPrepared, type PreparedRun } from './run.js';
import { itemScore } from './scores.js';
import { prepareWardrobe } from './wardrobe.js';

const builders = new WeakMap<PreparedRun, (index: number) => ItemVerdict>();

/** One item's full verdict (reasons and matches) from a run, by item index (input order). */
export function itemVerdict(run: PreparedRun, index: number): ItemVerdict {
  return builder(run)(index);
}

/** Full verdicts for the given item indices (a page of rows, the ranked order, flipped items), in that order. */
export function itemVerdicts(run: PreparedRun, indices: ArrayLike<number>): ItemVerdict[] {
  const build = builder(run);
  return Array.from(indices, (index) => build(index));
}

/**
 * Every item's verdict in input order, for a semantic context built by the caller: one run of the
 * prepared path over a wardrobe prepared for this call (kept for callers of the per-item API).
 */
export function decideItems(items: readonly Item[], request: NormalizedRequest, options: FilterOptions, semantic: SemanticContext | null): ItemVerdict[] {
  const run = runPrepared(requestFor(prepareWardrobe(items), request, options, semantic));
  return itemVerdicts(run, Array.from({ length: items.length }, (_, index) => index));
}

function builder(run: PreparedRun): (index: number) => ItemVerdict {
  let build = builders.get(run);
  if (build !== undefined) return build;
  const { prepared } = run;
  const columns = run.judged.map((judged) => {
    const missing = { dimension: judged.dimension, code: 'ATTR_MISSING', requested: judged.requested.join(', '), actual: null, mode: prepared.modes[judged.dimension]! } as const;
    return { itemSets: prepared.wardrobe.dimensions[judged.dimension].itemSets, setReported: judged.setReported, outcomes: judged.outcomes, missing };
  });
  build = (index) => {
    const reasons: Reason[] = [];
    const matches: Match[] = [];
    for (const { itemSets, setReported, outcomes, missing } of columns) {
      const reported = setReported[itemSets[index]!]!;
      if (reported < 0) {
        reasons.push({ ...missing });
        continue;
      }
      const outcome = outcomes[reported]!;
      if (outcome.passed) matches.push(outcome.match);
      else reasons.push(outcome.reason);
    }
    return { id: prepared.wardrobe.ids[index]!, passed: run.passed[index] === 1, score: itemScore(run, index), reasons, matches };
  };
  builders.set(run, build);
  return build;
}
