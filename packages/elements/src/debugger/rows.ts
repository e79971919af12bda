import { flippedItems, itemVerdict, rankedOrder, type ItemVerdict, type PreparedRun } from '@semfilter/core';
import { reasonCodeCounts, reasonCodeMasks, REASON_CODE_ORDER, type ReasonCodeCount } from './reason-codes.js';

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

/** Items the rows are restricted to, and how the pager names them ("in the flip group occasion: 'weekend' for 'work'"). */
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
  return withCode(traditional, semantic, narrowedIndices(traditional, semantic, items, query), query.code);
}

/** The rows a query shows, and the reason codes of the rows it would show with any reason (for the reason select). */
export interface QueriedRows {
  readonly indices: Uint32Array;
  readonly codes: readonly ReasonCodeCount[];
}

/** shownIndices, and the reason codes either run carries, counted over the query's rows before the code narrows them. */
function queryRows(traditional: PreparedRun, semantic: PreparedRun, items: readonly NamedRow[], query: RowQuery): QueriedRows {
  const narrowed = narrowedIndices(traditional, semantic, items, query);
  return { indices: withCode(traditional, semantic, narrowed, query.code), codes: reasonCodeCounts(traditional, semantic, narrowed) };
}

/**
 * queryRows, remembered for the last runs and query: a render that changed neither (a progress
 * event, a page turn) reuses the rows.
 */
export function createRowsMemo(): (traditional: PreparedRun, semantic: PreparedRun, items: readonly NamedRow[], query: RowQuery) => QueriedRows {
  let last: { readonly key: readonly unknown[]; readonly rows: QueriedRows } | undefined;
  return (traditional, semantic, items, query) => {
    const key = [traditional, semantic, items, query.view, query.semantic, query.text, query.code, query.only];
    if (last !== undefined && key.every((part, i) => part === last!.key[i])) return last.rows;
    last = { key, rows: queryRows(traditional, semantic, items, query) };
    return last.rows;
  };
}

/** The view's indices, narrowed by the search and `only`. */
function narrowedIndices(traditional: PreparedRun, semantic: PreparedRun, items: readonly NamedRow[], query: RowQuery): Uint32Array {
  const base = viewIndices(traditional, semantic, query);
  const text = query.text?.trim().toLowerCase() ?? '';
  let kept = base;
  if (text !== '') {
    const haystacks = searchText(items);
    kept = kept.filter((index) => haystacks[index]!.includes(text));
  }
  if (query.only !== undefined) {
    const chosen = new Set(Array.from(query.only));
    kept = kept.filter((index) => chosen.has(index));
  }
  return kept;
}

function viewIndices(traditional: PreparedRun, semantic: PreparedRun, { view, semantic: semanticActive }: RowQuery): Uint32Array {
  if (view === 'disagreements') return flippedItems(traditional, semantic);
  if (view === 'all') return Uint32Array.from({ length: traditional.passed.length }, (_, i) => i);
  const active = semanticActive ? semantic : traditional;
  return rankedOrder(active).subarray(0, active.passCount);
}

/** The rows whose traditional or semantic verdict carries `code` (all of them when no code is given). */
function withCode(traditional: PreparedRun, semantic: PreparedRun, rows: Uint32Array, code: string | undefined): Uint32Array {
  if (code === undefined) return rows;
  const [a, b] = [reasonCodeMasks(traditional), reasonCodeMasks(semantic)]; // first: they register the runs' codes
  const bit = REASON_CODE_ORDER.indexOf(code);
  if (bit < 0) return new Uint32Array(0);
  return rows.filter((index) => ((a[index]! | b[index]!) & (1 << bit)) !== 0);
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
