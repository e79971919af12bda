import { flippedItems, itemVerdict, type ItemVerdict, type PreparedRun } from '@semfilter/core';

/** Which rows the table shows. */
export type DebuggerView = 'passing' | 'all' | 'disagreements';

/**
 * The item indices a view shows, in input order, read from the two runs' pass flags: `all`, the
 * ones the active mode passes (`passing`), or the ones the two modes decide differently.
 */
export function shownIndices(traditional: PreparedRun, semantic: PreparedRun, view: DebuggerView, semanticActive: boolean): Uint32Array {
  if (view === 'disagreements') return flippedItems(traditional, semantic);
  if (view === 'all') return Uint32Array.from({ length: traditional.passed.length }, (_, i) => i);
  const { passed, passCount } = semanticActive ? semantic : traditional;
  const indices = new Uint32Array(passCount);
  for (let i = 0, n = 0; i < passed.length; i++) if (passed[i] === 1) indices[n++] = i;
  return indices;
}

/**
 * Row keys that recycle rows: an item already shown keeps its row; an item coming in takes the row
 * of one that left (in order), and only the rest get new rows. With `repeat`, a slider step that
 * swaps a few items moves those few rows and leaves the others untouched, and a request edit that
 * replaces the whole page rewrites the rows' text in place instead of removing and creating 50 rows.
 */
export function createRowKeys(): (indices: ArrayLike<number>) => number[] {
  let shown = new Map<number, number>(); // item index → row key
  let next = 0;
  return (indices) => {
    const kept = new Map<number, number>();
    for (let i = 0; i < indices.length; i++) if (shown.has(indices[i]!)) kept.set(indices[i]!, shown.get(indices[i]!)!);
    const keptKeys = new Set(kept.values());
    const free = [...shown.values()].filter((key) => !keptKeys.has(key));
    const keys = Array.from(indices, (index) => kept.get(index) ?? free.shift() ?? next++);
    shown = new Map(Array.from(indices, (index, i) => [index, keys[i]!]));
    return keys;
  };
}

const verdicts = new WeakMap<PreparedRun, Map<number, ItemVerdict>>();

/**
 * itemVerdict, the same object for the same run and item: a run that a slider step did not change
 * (the traditional one) hands its rows the verdicts they already show, so their cells are skipped.
 */
export function shownVerdict(run: PreparedRun, index: number): ItemVerdict {
  let byIndex = verdicts.get(run);
  if (byIndex === undefined) verdicts.set(run, (byIndex = new Map()));
  let verdict = byIndex.get(index);
  if (verdict === undefined) byIndex.set(index, (verdict = itemVerdict(run, index)));
  return verdict;
}
