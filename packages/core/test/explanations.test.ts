import { beforeAll, describe, expect, it } from 'vitest';
import { describeMatch, describeReason, filterItems, type Embedder, type Reason } from '@semfilter/core';
import { describeProgress } from '../src/browser/progress.js';
import { realModel } from './model.js';

describe('where a score came from, in words', () => {
  it('never calls a 1.00 between two different words identical: it names the basis', () => {
    const match = { dimension: 'mood', requested: 'calm', actual: 'serene', score: 1, mode: 'semantic' as const, basis: 'SAME_CONCEPT' as const };
    expect(describeMatch(match)).toBe('mood: "serene" fits "calm" (1.00): same concept as "calm"');
    expect(describeMatch({ ...match, basis: 'COMPATIBLE_CONCEPTS', score: 0.81 })).toBe('mood: "serene" fits "calm" (0.81): a concept that goes with "calm"');
    expect(describeMatch({ ...match, basis: 'MODEL_SIMILARITY', score: 0.71 })).toBe('mood: "serene" fits "calm" (0.71): model similarity alone');
    expect(describeMatch({ ...match, actual: 'calm', basis: 'EXACT' })).toBe('mood: "calm" matches');
  });

  it('gives the model similarity, what it was lowered to and the threshold for unrelated concepts', () => {
    const reason: Reason = { dimension: 'occasion', code: 'BELOW_THRESHOLD', requested: 'work', actual: 'weekend', similarity: 0.51, threshold: 0.6, mode: 'semantic', basis: 'UNRELATED_CONCEPTS', model_similarity: 0.71 };
    expect(describeReason(reason)).toBe('occasion: "weekend" does not fit "work" (0.51, under the threshold 0.60): model similarity 0.71, lowered to 0.51 (unrelated concepts)');
    const { model_similarity: _, ...withoutRaw } = reason;
    expect(describeReason(withoutRaw)).toBe('occasion: "weekend" does not fit "work" (0.51, under the threshold 0.60): model similarity, lowered (unrelated concepts)');
  });

  it('describes download progress in MB and percent', () => {
    expect(describeProgress({ loadedBytes: 12_345_678, totalBytes: 90_880_000 })).toBe('12.3 of 90.9 MB (13%)');
    expect(describeProgress({ loadedBytes: 90_880_000, totalBytes: 90_880_000 })).toBe('90.9 of 90.9 MB (100%)');
    expect(describeProgress({ loadedBytes: 90_879_999, totalBytes: 90_880_000 })).toBe('90.9 of 90.9 MB (99%)'); // 100% only when every byte is in
    expect(describeProgress({ loadedBytes: 5_000_000, totalBytes: null })).toBe('5.0 MB');
  });
});

describe('model_similarity on the real model', () => {
  let embedder: Embedder;
  beforeAll(() => (embedder = realModel()));

  it('is set exactly where the unrelated-concepts penalty applies, on matches and reasons', async () => {
    const items = [
      { id: 'concept', mood: 'serene', occasion: 'office' },
      { id: 'unrelated', mood: 'calm', occasion: 'weekend' },
    ];
    const request = { mood: 'calm', occasion: 'work' };
    const rejected = await filterItems(items, request, { semantic: true, dimensions: { occasion: { threshold: 0.99 } } }, { embedder });
    const accepted = await filterItems(items, request, { semantic: true, dimensions: { occasion: { threshold: 0 } } }, { embedder });
    const reason = rejected.items.find((item) => item.id === 'unrelated')!.reasons[0]!;
    const match = accepted.items.find((item) => item.id === 'unrelated')!.matches.find((m) => m.dimension === 'occasion')!;
    expect(reason).toMatchObject({ code: 'BELOW_THRESHOLD', basis: 'UNRELATED_CONCEPTS' });
    if (reason.code !== 'BELOW_THRESHOLD') throw new Error('unreachable');
    expect(reason.model_similarity).toBeGreaterThanOrEqual(reason.similarity);
    expect(match).toMatchObject({ basis: 'UNRELATED_CONCEPTS', model_similarity: reason.model_similarity, score: reason.similarity });
    expect(describeReason(reason)).toContain(`model similarity ${reason.model_similarity!.toFixed(2)}, lowered to ${reason.similarity.toFixed(2)} (unrelated concepts)`);
    console.log(`weekend vs work: ${describeMatch(match)}`);
    // Everywhere else the score is the whole story: no raw similarity beside it.
    const others = [...rejected.items, ...accepted.items].flatMap((item) => [...item.matches, ...item.reasons]).filter((entry) => !('basis' in entry) || entry.basis !== 'UNRELATED_CONCEPTS');
    expect(others.length).toBeGreaterThan(0);
    for (const entry of others) expect(entry).not.toHaveProperty('model_similarity');
  });
});
