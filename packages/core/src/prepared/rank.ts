import type { PreparedRun } from './run.js';
import { itemScore } from './scores.js';

const ranked = new WeakMap<PreparedRun, Uint32Array>();

/**
 * Item indices in report order: passed items by score, best first (ties in input order), then
 * rejected items in input order. Only passed items need a score. Computed on first use and
 * remembered for the run.
 */
export function rankedOrder(run: PreparedRun): Uint32Array {
  let order = ranked.get(run);
  if (order !== undefined) return order;
  const { passed, passCount } = run;
  const passing = new Uint32Array(passCount);
  order = new Uint32Array(passed.length);
  let head = 0;
  let tail = passCount;
  for (let i = 0; i < passed.length; i++) {
    if (passed[i] === 1) passing[head++] = i;
    else order[tail++] = i;
  }
  const scores = Float64Array.from(passing, (index) => itemScore(run, index));
  // Positions in `passing` follow input order, so breaking ties by position keeps input order.
  const positions = Uint32Array.from(passing, (_, position) => position).sort((a, b) => scores[b]! - scores[a]! || a - b);
  for (let k = 0; k < passCount; k++) order[k] = passing[positions[k]!]!;
  ranked.set(run, order);
  return order;
}

/** Indices of the items whose pass flag differs between two runs over the same prepared wardrobe, in input order. */
export function flippedItems(a: PreparedRun, b: PreparedRun): Uint32Array {
  if (a.prepared.wardrobe !== b.prepared.wardrobe) throw new Error('flippedItems: both runs must be over the same prepared wardrobe');
  const flipped: number[] = [];
  for (let i = 0; i < a.passed.length; i++) if (a.passed[i] !== b.passed[i]) flipped.push(i);
  return Uint32Array.from(flipped);
}
