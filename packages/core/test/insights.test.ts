import { beforeAll, describe, expect, it } from 'vitest';
import {
  createLayeredEmbedder,
  DIMENSIONS,
  filterPrepared,
  flipGroups,
  flippedItems,
  generateWardrobe,
  itemRanks,
  itemScore,
  itemVerdicts,
  prepareRequest,
  prepareWardrobe,
  rankChange,
  rankedOrder,
  runPrepared,
  scoreBreakdown,
  type Embedder,
  type FilterRequest,
  type Item,
  type PreparedRun,
  type PreparedWardrobe,
} from '@semfilter/core';
import { failingModel, loadSampleWardrobe, realModel } from './model.js';
import { vocabularyPack } from './support/vocabulary-pack.js';

const SAMPLE = loadSampleWardrobe();

const REQUESTS: FilterRequest[] = [
  { style: 'casual', occasion: 'work', mood: 'calm' },
  { occasion: 'gala', mood: ['romantic', 'festive'] },
  { style: ['Smart_Casual', 'classic'], mood: 'happy' },
  { occasion: 'hiking' },
];

/** Runs of one request on one wardrobe: traditional, semantic at the default thresholds and weight, and semantic tuned (lower thresholds, another weight). */
interface RunSet {
  readonly traditional: PreparedRun;
  readonly semantic: PreparedRun;
  readonly tuned: PreparedRun;
}

async function runSet(wardrobe: PreparedWardrobe, request: FilterRequest, embedder: Embedder): Promise<RunSet> {
  const traditional = await filterPrepared(wardrobe, request, { semantic: false });
  const prepared = await prepareRequest(wardrobe, request, { semantic: true }, { embedder });
  const semantic = runPrepared(prepared);
  const tuned = runPrepared(prepared, { thresholds: { style: 0.2, occasion: 0.3, mood: 0.2 }, semanticWeight: 0.65 });
  return { traditional, semantic, tuned };
}

const wardrobes = (): [string, PreparedWardrobe][] => [
  ['the sample wardrobe', prepareWardrobe(SAMPLE)],
  ...[3, 17, 40].map((seed): [string, PreparedWardrobe] => [`generateWardrobe(1500, ${seed})`, prepareWardrobe(generateWardrobe(1500, seed))]),
];

const all = (run: PreparedRun) => Array.from({ length: run.passed.length }, (_, i) => i);

function expectBreakdownsAddUp(run: PreparedRun): void {
  for (const index of all(run)) {
    const parts = scoreBreakdown(run, index);
    expect(parts.score).toBe(itemScore(run, index));
    // itemScore rounds to four decimals: the parts add up to it within half of that.
    expect(Math.abs(parts.rule + parts.semantic - parts.score)).toBeLessThanOrEqual(0.00005 + 1e-12);
    if (parts.dimensions.length > 0) expect(Math.abs(parts.dimensions.reduce((sum, d) => sum + d.share, 0) - parts.score)).toBeLessThanOrEqual(0.00005 + 1e-12);
    expect(parts.ruleWeight + parts.semanticWeight).toBeCloseTo(1, 12);
    if (run.prepared.semantic === null) expect(parts.semantic).toBe(0);
  }
}

/** The ranks and rank changes, read from rankedOrder directly: position in the order, for passed items. */
function expectRanksFollowRankedOrder(before: PreparedRun, after: PreparedRun): void {
  const rankIn = (run: PreparedRun) => {
    const order = Array.from(rankedOrder(run).subarray(0, run.passCount));
    return (index: number) => order.indexOf(index) + 1; // 0 when not passed
  };
  const was = rankIn(before);
  const now = rankIn(after);
  const ranks = itemRanks(after);
  for (const index of all(after)) {
    expect(ranks[index]).toBe(now(index));
    const change = rankChange(before, after, index);
    const [b, a] = [was(index), now(index)];
    if (a === 0 && b === 0) expect(change).toEqual({ kind: 'rejected' });
    else if (a === 0) expect(change).toEqual({ kind: 'dropped', before: b });
    else if (b === 0) expect(change).toEqual({ kind: 'new', rank: a });
    else expect(change).toEqual({ kind: b > a ? 'up' : b < a ? 'down' : 'same', rank: a, before: b, places: Math.abs(a - b) });
  }
}

/** Flip groups built the slow way: every item's full verdict in both runs, grouped by the second run's pair on each dimension whose verdict changed. */
function bruteForceGroups(first: PreparedRun, second: PreparedRun) {
  const indices = all(first);
  const before = itemVerdicts(first, indices);
  const after = itemVerdicts(second, indices);
  const groups = new Map<string, { dimension: string; direction: string; requested: string; actual: string; items: number[] }>();
  let gained = 0;
  let lost = 0;
  for (const index of indices) {
    const [b, a] = [before[index]!, after[index]!];
    if (b.passed === a.passed) continue;
    const direction = a.passed ? 'gained' : 'lost';
    if (a.passed) gained++;
    else lost++;
    for (const dimension of DIMENSIONS) {
      const passedBefore = b.matches.some((m) => m.dimension === dimension);
      const passedAfter = a.matches.some((m) => m.dimension === dimension);
      if (passedBefore === passedAfter) continue;
      const pair = a.passed ? a.matches.find((m) => m.dimension === dimension)! : a.reasons.find((r) => r.dimension === dimension)!;
      const key = [dimension, direction, pair.requested, pair.actual].join('|');
      if (!groups.has(key)) groups.set(key, { dimension, direction, requested: pair.requested, actual: pair.actual!, items: [] });
      groups.get(key)!.items.push(index);
    }
  }
  return { gained, lost, groups };
}

function expectGroupsAsBruteForce(first: PreparedRun, second: PreparedRun): number {
  const summary = flipGroups(first, second);
  const expected = bruteForceGroups(first, second);
  expect([summary.gained, summary.lost]).toEqual([expected.gained, expected.lost]);
  expect(summary.gained + summary.lost).toBe(flippedItems(first, second).length);
  const got = new Map(summary.groups.map((g) => [[g.dimension, g.direction, g.requested, g.actual].join('|'), g]));
  expect([...got.keys()].sort()).toEqual([...expected.groups.keys()].sort());
  for (const [key, group] of got) {
    expect(Array.from(group.items), key).toEqual(expected.groups.get(key)!.items);
    expect(group.count).toBe(group.items.length);
  }
  const counts = summary.groups.map((g) => g.count);
  expect(counts).toEqual([...counts].sort((a, b) => b - a)); // largest first
  expect(flipGroups(first, second)).toBe(summary); // remembered per pair of runs
  return summary.groups.length;
}

/** Every check on one embedder's runs: breakdowns, ranks against rankedOrder, and flip groups against the brute force, both ways round. */
async function checkAll(embedder: Embedder): Promise<{ gainedGroups: number; lostGroups: number }> {
  let gainedGroups = 0;
  let lostGroups = 0;
  for (const [, wardrobe] of wardrobes()) {
    for (const request of REQUESTS) {
      const { traditional, semantic, tuned } = await runSet(wardrobe, request, embedder);
      for (const run of [traditional, semantic, tuned]) expectBreakdownsAddUp(run);
      expectRanksFollowRankedOrder(traditional, semantic);
      expectRanksFollowRankedOrder(semantic, traditional);
      expectRanksFollowRankedOrder(semantic, tuned);
      gainedGroups += expectGroupsAsBruteForce(traditional, semantic);
      // Tuned to lower thresholds, then back to the defaults: the second run loses items, so 'lost' groups are covered.
      lostGroups += expectGroupsAsBruteForce(tuned, semantic);
      expectGroupsAsBruteForce(semantic, traditional);
    }
  }
  return { gainedGroups, lostGroups };
}

describe('score breakdown, ranks and flip groups', () => {
  it('takes a hand-checked score apart: rule 70%, semantic 30%, a third per dimension', async () => {
    const wardrobe = prepareWardrobe([{ id: 'two-of-three', style: 'casual', occasion: 'work' }]);
    const request = { style: 'casual', occasion: 'work', mood: 'calm' };
    const traditional = scoreBreakdown(await filterPrepared(wardrobe, request, { semantic: false }), 0);
    expect(traditional).toMatchObject({ ruleWeight: 1, semanticWeight: 0, ruleScore: 2 / 3, semantic: 0 });
    expect(traditional.score).toBe(0.6667);
    const embedder = createLayeredEmbedder({ model: failingModel(), vocabulary: vocabularyPack() });
    const semantic = scoreBreakdown(await filterPrepared(wardrobe, request, { semantic: true }, { embedder }), 0);
    // Exact tags score 1 on both parts; the missing mood scores 0 on both.
    expect(semantic.ruleWeight).toBeCloseTo(0.7, 12);
    expect(semantic.semanticWeight).toBe(0.3);
    expect(semantic.rule).toBeCloseTo((0.7 * 2) / 3, 12);
    expect(semantic.semantic).toBeCloseTo((0.3 * 2) / 3, 12);
    expect(semantic.dimensions.map((d) => [d.dimension, d.exact, d.tagScore])).toEqual([['style', true, 1], ['occasion', true, 1], ['mood', false, 0]]);
    expect(semantic.dimensions.map((d) => d.share)).toEqual([expect.closeTo(0.7 / 3 + 0.1, 12), expect.closeTo(0.7 / 3 + 0.1, 12), 0]);
    expect(semantic.score).toBe(0.6667);
  });

  it('ranks a small hand-made pair of runs: up, down, new, dropped, rejected', async () => {
    // Rule-only runs score every passing item 1, so ranks follow input order among the items each request passes.
    const items: Item[] = ['boho', 'casual', 'classic', 'gothic', 'preppy', 'sporty'].map((style) => ({ id: style, style }));
    const wardrobe = prepareWardrobe(items);
    const before = await filterPrepared(wardrobe, { style: ['casual', 'classic', 'gothic', 'preppy'] }, { semantic: false });
    const after = await filterPrepared(wardrobe, { style: ['boho', 'casual', 'preppy'] }, { semantic: false });
    expect(Array.from(itemRanks(before))).toEqual([0, 1, 2, 3, 4, 0]);
    expect(Array.from(itemRanks(after))).toEqual([1, 2, 0, 0, 3, 0]);
    expect(items.map((_, i) => rankChange(before, after, i))).toEqual([
      { kind: 'new', rank: 1 },
      { kind: 'down', rank: 2, before: 1, places: 1 },
      { kind: 'dropped', before: 2 },
      { kind: 'dropped', before: 3 },
      { kind: 'up', rank: 3, before: 4, places: 1 },
      { kind: 'rejected' },
    ]);
    expect(() => rankChange(before, after, 6)).toThrow(/not in 0..5/);
    const elsewhere = await filterPrepared(prepareWardrobe(items), { style: 'casual' }, { semantic: false });
    expect(() => rankChange(before, elsewhere, 0)).toThrow(/same prepared wardrobe/);
  });

  it('vocabulary-only semantic context: breakdowns add up, ranks follow rankedOrder, groups equal the brute force', async () => {
    const embedder = createLayeredEmbedder({ model: failingModel(), vocabulary: vocabularyPack() });
    const { gainedGroups, lostGroups } = await checkAll(embedder);
    expect(gainedGroups).toBeGreaterThan(0);
    expect(lostGroups).toBeGreaterThan(0);
  });

  describe('on the real model', () => {
    let embedder: Embedder;
    beforeAll(() => (embedder = realModel()));

    it('breakdowns add up, ranks follow rankedOrder, groups equal the brute force', async () => {
      const { gainedGroups, lostGroups } = await checkAll(embedder);
      expect(gainedGroups).toBeGreaterThan(0);
      expect(lostGroups).toBeGreaterThan(0);
    });
  });

  it('refuses runs that cannot be compared, with a message that says why', async () => {
    const wardrobe = prepareWardrobe(SAMPLE);
    const one = await filterPrepared(wardrobe, { style: 'casual' }, { semantic: false });
    const other = await filterPrepared(prepareWardrobe(SAMPLE), { style: 'casual' }, { semantic: false });
    const moods = await filterPrepared(wardrobe, { mood: 'calm' }, { semantic: false });
    expect(() => flipGroups(one, other)).toThrow(/same prepared wardrobe/);
    expect(() => flipGroups(one, moods)).toThrow(/same dimensions \(style and mood\)/);
    expect(() => scoreBreakdown(one, -1)).toThrow(/not in 0\.\./);
  });
});

