import { flippedItems, itemVerdict, rankedOrder, type ItemVerdict, type PreparedRun } from '@semfilter/core';
import { reasonCodeMasks, REASON_CODE_ORDER } from './reason-codes.js';

/** Which rows the table shows. */
export type DebuggerView = 'passing' | 'all' | 'disagreements';

/** An item as rows.ts reads it: its id and, when it has one, its name. */
export interface NamedRow {
  readonly id: string;
  readonly name?: unknown;
}

/** Which rows to show: a view of the two runs, narrowed by a search, a reason code and a set of items. */
export interface RowQuery {
  readonly view: DebuggerView;
  /** Whether semantic mode is active (it decides the `passing` view). */
  readonly semantic: boolean;
  /** Only items whose name or id contains this text (trimmed, case-insensitive); empty for all. */
  readonly text?: string;
  /** Only items whose traditional or semantic verdict carries this reason code. */
  readonly code?: string;
  /** Only these item indices (e.g. one flip group's items); undefined for all. */
  readonly only?: ArrayLike<number>;
}

/** Items the rows are restricted to, and how the pager names them ("in the flip group 'weekend' → 'work'"). */
export interface RowSubset {
  readonly indices: ArrayLike<number>;
  readonly label: string;
}

/**
 * The item indices a query shows. The view gives the order: `passing` lists what the active mode
 * passes by score, best first (core's rankedOrder); `all` and `disagreements` keep input order.
 * The search, the reason code and `only` then keep the rows that meet each of them.
 */
export function shownIndices(traditional: PreparedRun, semantic: PreparedRun, items: readonly NamedRow[], query: RowQuery): Uint32Array {
  const base = viewIndices(traditional, semantic, query);
  const keep = rowTest(traditional, semantic, items, query);
  if (keep === undefined) return base;
  const kept = new Uint32Array(base.length);
  let n = 0;
  for (let k = 0; k < base.length; k++) if (keep(base[k]!)) kept[n++] = base[k]!;
  return kept.slice(0, n);
}

function viewIndices(traditional: PreparedRun, semantic: PreparedRun, { view, semantic: semanticActive }: RowQuery): Uint32Array {
  if (view === 'disagreements') return flippedItems(traditional, semantic);
  if (view === 'all') return Uint32Array.from({ length: traditional.passed.length }, (_, i) => i);
  const active = semanticActive ? semantic : traditional;
  return rankedOrder(active).subarray(0, active.passCount);
}

/** A test per item index for the query's search, code and `only`; undefined when the query narrows nothing. */
function rowTest(traditional: PreparedRun, semantic: PreparedRun, items: readonly NamedRow[], query: RowQuery): ((index: number) => boolean) | undefined {
  const tests: ((index: number) => boolean)[] = [];
  const text = query.text?.trim().toLowerCase() ?? '';
  if (text !== '') {
    const haystacks = searchText(items);
    tests.push((index) => haystacks[index]!.includes(text));
  }
  if (query.code !== undefined) {
    const [a, b] = [reasonCodeMasks(traditional), reasonCodeMasks(semantic)]; // first: they register the runs' codes
    const bit = REASON_CODE_ORDER.indexOf(query.code);
    tests.push(bit < 0 ? () => false : (index) => ((a[index]! | b[index]!) & (1 << bit)) !== 0);
  }
  if (query.only !== undefined) {
    const chosen = new Set(Array.from(query.only));
    tests.push((index) => chosen.has(index));
  }
  if (tests.length === 0) return undefined;
  return (index) => tests.every((test) => test(index));
}

const searched = new WeakMap<readonly NamedRow[], readonly string[]>();

/** Each item's name and id in lower case, once per items array (a search runs on every keystroke). */
function searchText(items: readonly NamedRow[]): readonly string[] {
  let texts = searched.get(items);
  if (texts === undefined) searched.set(items, (texts = items.map((item) => `${typeof item.name === 'string' ? item.name : ''}\n${item.id}`.toLowerCase())));
  return texts;
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
