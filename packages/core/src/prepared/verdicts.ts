import type { NormalizedRequest, SemanticContext } from '../decide.js';
import type { FilterOptions } from '../options.js';
import type { Reason } from '../reasons.js';
import type { ItemVerdict, Match } from '../report.js';
import type { Item } from '../schemas.js';
import { requestFor } from './request.js';
import { runPrepared, type PreparedRun } from './run.js';
import { itemScore } from './scores.js';
import { setDetails } from './set-details.js';
import { prepareWardrobe } from './wardrobe.js';

/** One item's full verdict (reasons and matches) from a run, by item index (input order). */
export function itemVerdict(run: PreparedRun, index: number): ItemVerdict {
  const { prepared } = run;
  const reasons: Reason[] = [];
  const matches: Match[] = [];
  for (const judged of run.judged) {
    const { dimension, outcomes } = judged;
    const wardrobeDimension = prepared.wardrobe.dimensions[dimension];
    const reported = setDetails(judged, wardrobeDimension).setReported[wardrobeDimension.itemSets[index]!]!;
    if (reported < 0) {
      reasons.push({ dimension, code: 'ATTR_MISSING', requested: prepared.request[dimension]!.join(', '), actual: null, mode: prepared.modes[dimension]! });
      continue;
    }
    const outcome = outcomes[reported]!;
    if (outcome.passed) matches.push(outcome.match);
    else reasons.push(outcome.reason);
  }
  return { id: prepared.wardrobe.ids[index]!, passed: run.passed[index] === 1, score: itemScore(run, index), reasons, matches };
}

/** Full verdicts for the given item indices (a page of rows, the ranked order, flipped items), in that order. */
export function itemVerdicts(run: PreparedRun, indices: ArrayLike<number>): ItemVerdict[] {
  return Array.from(indices, (index) => itemVerdict(run, index));
}

/**
 * Every item's verdict in input order, for a semantic context built by the caller: one run of the
 * prepared path over a wardrobe prepared for this call (kept for callers of the per-item API).
 */
export function decideItems(items: readonly Item[], request: NormalizedRequest, options: FilterOptions, semantic: SemanticContext | null): ItemVerdict[] {
  const run = runPrepared(requestFor(prepareWardrobe(items), request, options, semantic));
  return Array.from({ length: items.length }, (_, index) => itemVerdict(run, index));
}
