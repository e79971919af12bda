import { flippedItems, type PreparedRun } from '@semfilter/core';

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
