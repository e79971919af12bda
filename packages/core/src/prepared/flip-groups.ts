import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import type { JudgedDimension, PreparedRun } from './run.js';

/** Which way an item flipped: `gained` (the second run passes it, the first rejects it) or `lost`. */
export type FlipDirection = 'gained' | 'lost';

/**
 * The items the two runs decide differently because of one term pair on one dimension: e.g. the
 * request's occasion 'work' against the item's tag 'weekend', gained (semantic mode passes it).
 */
export interface FlipGroup {
  readonly dimension: Dimension;
  readonly direction: FlipDirection;
  /** The requested term of the pair. */
  readonly requested: string;
  /** The item tag of the pair. */
  readonly actual: string;
  /** The term's best score against the request in the second run: its match's when gained; when lost, the best of its non-clashing pairs (0 when it has none), which for a clash is not the clashing pair's. */
  readonly score: number;
  /** How many items the group holds. */
  readonly count: number;
  /** The items' indices, in input order. */
  readonly items: Uint32Array;
}

/** What the second run changes against the first: how many items it gains and loses, and the flips grouped by term pair. */
export interface FlipSummary {
  readonly gained: number;
  readonly lost: number;
  /** Largest first; ties by dimension (report order), gained before lost, then requested and actual term. */
  readonly groups: readonly FlipGroup[];
}

const summaries = new WeakMap<PreparedRun, WeakMap<PreparedRun, FlipSummary>>();

/**
 * The items two runs over the same prepared wardrobe decide differently (typically the traditional
 * run, then the semantic one), grouped by the term pair that decided each on each dimension. A
 * dimension decided an item when its verdict on that dimension changed the same way as the item's
 * (rejected, then passed, for a gained item). An item two dimensions decided belongs to a group of
 * each, so the groups' counts may add up to more than gained + lost. The pair is the one the second
 * run reports for the item's tag set on that dimension: its match when gained, its reason when lost.
 * Worked out per distinct tag set, then one pass over the items; remembered per pair of runs.
 */
export function flipGroups(first: PreparedRun, second: PreparedRun): FlipSummary {
  let bySecond = summaries.get(first);
  if (bySecond === undefined) summaries.set(first, (bySecond = new WeakMap()));
  let summary = bySecond.get(second);
  if (summary === undefined) bySecond.set(second, (summary = computeGroups(first, second)));
  return summary;
}

/** A group as one dimension's tag sets define it, before its items are collected. */
type GroupPair = Omit<FlipGroup, 'count' | 'items'>;

/** One dimension's changed tag sets: set → index into `pairs` (-1 where the set's verdict did not change). */
interface DimensionGroups {
  readonly setGroup: Int32Array;
  readonly pairs: readonly GroupPair[];
}

function computeGroups(first: PreparedRun, second: PreparedRun): FlipSummary {
  const { wardrobe } = first.prepared;
  if (wardrobe !== second.prepared.wardrobe) throw new Error('flipGroups: both runs must be over the same prepared wardrobe');
  const dimensionsOf = (run: PreparedRun) => run.judged.map((j) => j.dimension).join();
  if (dimensionsOf(first) !== dimensionsOf(second)) throw new Error(`flipGroups: both runs must judge the same dimensions (${dimensionsOf(first) || 'none'} and ${dimensionsOf(second) || 'none'})`);
  const pairs: GroupPair[] = [];
  const columns = first.judged.map((judged, k) => {
    const groups = dimensionGroups(judged, second.judged[k]!);
    const offset = pairs.length;
    for (const pair of groups.pairs) pairs.push(pair); // a loop, not push(...): one argument per changed tag set could pass the engine's limit
    return { itemSets: wardrobe.dimensions[judged.dimension].itemSets, setGroup: groups.setGroup, offset };
  });
  // Two passes over the flipped items: count each group's items, then fill one typed array per group.
  const { passed: before } = first;
  const { passed: after } = second;
  const flipped = new Uint32Array(before.length);
  const counts = new Uint32Array(pairs.length);
  let flips = 0;
  let gained = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    flipped[flips++] = i;
    gained += after[i]!;
    // A flipped item's changed dimensions all changed its way: a gained item passes every dimension
    // in the second run, so each changed one went from reject to pass (and the other way when lost).
    for (const { itemSets, setGroup, offset } of columns) {
      const group = setGroup[itemSets[i]!]!;
      if (group >= 0) counts[offset + group]!++;
    }
  }
  const items = Array.from(counts, (count) => new Uint32Array(count));
  const filled = new Uint32Array(pairs.length);
  for (let k = 0; k < flips; k++) {
    const i = flipped[k]!;
    for (const { itemSets, setGroup, offset } of columns) {
      const group = setGroup[itemSets[i]!]!;
      if (group >= 0) items[offset + group]![filled[offset + group]!++] = i;
    }
  }
  const shown = pairs
    .map((pair, group): FlipGroup => ({ ...pair, count: counts[group]!, items: items[group]! }))
    .filter((group) => group.count > 0)
    .sort(
      (a, b) =>
        b.count - a.count ||
        DIMENSIONS.indexOf(a.dimension) - DIMENSIONS.indexOf(b.dimension) ||
        Number(a.direction === 'lost') - Number(b.direction === 'lost') ||
        compare(a.requested, b.requested) ||
        compare(a.actual, b.actual),
    );
  const lost = flips - gained;
  return { gained, lost, groups: shown };
}

const byJudged = new WeakMap<JudgedDimension, WeakMap<JudgedDimension, DimensionGroups>>();

/**
 * One dimension's tag sets whose verdict changed, each given the group of the term the second run
 * reports for it (a term is its own pair: the tag, and the requested term its outcome names).
 * Remembered per pair of judgements: a slider step judges one dimension again, not the others.
 */
function dimensionGroups(first: JudgedDimension, second: JudgedDimension): DimensionGroups {
  let bySecond = byJudged.get(first);
  if (bySecond === undefined) byJudged.set(first, (bySecond = new WeakMap()));
  let found = bySecond.get(second);
  if (found !== undefined) return found;
  const setGroup = new Int32Array(first.setPassed.length).fill(-1);
  const termGroup = new Int32Array(second.outcomes.length).fill(-1);
  const pairs: GroupPair[] = [];
  const { setReported, outcomes } = second;
  for (let set = 1; set < setGroup.length; set++) {
    if (first.setPassed[set] === second.setPassed[set]) continue;
    const term = setReported[set]!; // a set that passes in either run has a tag, so it reports one
    if (termGroup[term]! < 0) {
      const outcome = outcomes[term]!;
      const pair = outcome.passed ? outcome.match : outcome.reason;
      const actual = pair.actual ?? ''; // a term's reason always names the tag (only an item without tags, set 0, has none)
      termGroup[term] = pairs.push({ dimension: second.dimension, direction: outcome.passed ? 'gained' : 'lost', requested: pair.requested, actual, score: outcome.score }) - 1;
    }
    setGroup[set] = termGroup[term]!;
  }
  found = { setGroup, pairs };
  bySecond.set(second, found);
  return found;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
