import { rankedOrder } from './rank.js';
import type { PreparedRun } from './run.js';

const ranksByRun = new WeakMap<PreparedRun, Uint32Array>();

/**
 * Item index → the item's rank in the run: 1 for the highest score, in rankedOrder's order (ties in
 * input order); 0 for an item the run rejects. Computed once per run.
 */
export function itemRanks(run: PreparedRun): Uint32Array {
  let ranks = ranksByRun.get(run);
  if (ranks !== undefined) return ranks;
  const order = rankedOrder(run);
  ranks = new Uint32Array(run.passed.length);
  for (let position = 0; position < run.passCount; position++) ranks[order[position]!] = position + 1;
  ranksByRun.set(run, ranks);
  return ranks;
}

/**
 * How an item's rank moved from one run to another: `up` or `down` by `places` (`same` when it kept
 * its rank), `new` when only the second run passes it, `dropped` when only the first does,
 * `rejected` when neither does.
 */
export type RankChange =
  | { readonly kind: 'up' | 'down' | 'same'; readonly rank: number; readonly before: number; readonly places: number }
  | { readonly kind: 'new'; readonly rank: number }
  | { readonly kind: 'dropped'; readonly before: number }
  | { readonly kind: 'rejected' };

/** One item's rank in `after` and how it changed from its rank in `before` (two runs over the same prepared wardrobe). */
export function rankChange(before: PreparedRun, after: PreparedRun, index: number): RankChange {
  if (before.prepared.wardrobe !== after.prepared.wardrobe) throw new Error('rankChange: both runs must be over the same prepared wardrobe');
  if (!Number.isInteger(index) || index < 0 || index >= after.passed.length) throw new RangeError(`rankChange: item index ${index} is not in 0..${after.passed.length - 1}`);
  const was = itemRanks(before)[index]!;
  const rank = itemRanks(after)[index]!;
  if (rank === 0) return was === 0 ? { kind: 'rejected' } : { kind: 'dropped', before: was };
  if (was === 0) return { kind: 'new', rank };
  // A smaller rank number is a better place: moving from #5 to #3 is up 2.
  return { kind: was > rank ? 'up' : was < rank ? 'down' : 'same', rank, before: was, places: Math.abs(was - rank) };
}
