import { beforeAll, describe, expect, it } from 'vitest';
import { describeMatch, describeReason, filterItems, type Embedder, type Reason } from '@semfilter/core';
import { describeProgress } from '../src/browser/progress.js';
import { realModel } from './model.js';

describe('where a score came from, in words', () => {
  it('never calls a score between two different words identical: it names the basis, the concepts and how sure the score is', () => {
    const match = { dimension: 'mood', requested: 'calm', actual: 'serene', score: 0.97, mode: 'semantic' as const, basis: 'SAME_CONCEPT' as const, model_similarity: 0.79, concepts: ['calm', 'calm'] as const };
    expect(describeMatch(match)).toBe('mood: "serene" fits "calm" (0.97, sure): same concept as "calm"; model similarity 0.79');
    expect(describeMatch({ ...match, actual: 'cozy', basis: 'COMPATIBLE_CONCEPTS', score: 0.81, concepts: ['calm', 'cozy'] })).toBe('mood: "cozy" fits "calm" (0.81, fairly sure): cozy goes with calm in the vocabulary; model similarity 0.79');
    expect(describeMatch({ ...match, actual: 'soothed', basis: 'PLACED_CONCEPT', score: 0.92 })).toBe('mood: "soothed" fits "calm" (0.92, sure): not in the vocabulary; the model places it in calm; model similarity 0.79');
    expect(describeMatch({ ...match, actual: 'mermaidcore', basis: 'UNCERTAIN', score: 0.62, unsure: 'mermaidcore' })).toBe('mood: "mermaidcore" probably fits "calm" (0.62, unsure): "mermaidcore" is not a term the model knows well; model similarity 0.79');
    expect(describeMatch({ ...match, actual: 'calm', basis: 'EXACT' })).toBe('mood: "calm" matches');
  });

  it('never says "unrelated" on a pass, and names both concepts on a rejection', () => {
    const reason: Reason = { dimension: 'occasion', code: 'BELOW_THRESHOLD', requested: 'work', actual: 'weekend', similarity: 0.21, threshold: 0.6, mode: 'semantic', basis: 'UNRELATED_CONCEPTS', model_similarity: 0.71, concepts: ['work', 'everyday'] };
    expect(describeReason(reason)).toBe('occasion: "weekend" does not fit "work" (0.21, fairly sure, under the threshold 0.60): the vocabulary does not relate everyday and work, so the model\'s evidence decides, not its similarity alone; model similarity 0.71');
    const clash: Reason = { dimension: 'mood', code: 'CONFLICT', requested: 'calm', actual: 'energetic', similarity: 0.62, concepts: ['calm', 'energetic'], mode: 'semantic', basis: 'KNOWN_CLASH' };
    expect(describeReason(clash)).toBe('mood: "energetic" clashes with "calm"');
    expect(describeReason({ ...clash, actual: 'wired', basis: 'PLACED_CONCEPT' })).toBe('mood: "wired" (not in the vocabulary; the model places it in energetic) clashes with "calm"');
    expect(describeReason({ ...clash, requested: 'serene', actual: 'lively' })).toBe('mood: "lively" (energetic) clashes with "serene" (calm)');
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

  it('is set on every semantic verdict but an exact one, with the same figures on a match and a rejection', async () => {
    const items = [
      { id: 'concept', mood: 'serene', occasion: 'office' },
      { id: 'unrelated', mood: 'calm', occasion: 'weekend' },
    ];
    const request = { mood: 'calm', occasion: 'work' };
    const rejected = await filterItems(items, request, { semantic: true, dimensions: { occasion: { threshold: 0.99 } } }, { embedder });
    const accepted = await filterItems(items, request, { semantic: true, dimensions: { occasion: { threshold: 0 } } }, { embedder });
    const reason = rejected.items.find((item) => item.id === 'unrelated')!.reasons[0]!;
    const match = accepted.items.find((item) => item.id === 'unrelated')!.matches.find((m) => m.dimension === 'occasion')!;
    expect(reason).toMatchObject({ code: 'BELOW_THRESHOLD', basis: 'UNRELATED_CONCEPTS', concepts: ['work', 'everyday'] });
    if (reason.code !== 'BELOW_THRESHOLD') throw new Error('unreachable');
    expect(match).toMatchObject({ basis: 'UNRELATED_CONCEPTS', model_similarity: reason.model_similarity, score: reason.similarity });
    expect(describeReason(reason)).toContain(`model similarity ${reason.model_similarity!.toFixed(2)}`);
    console.log(`weekend vs work: ${describeMatch(match)}`);
    const entries = [...rejected.items, ...accepted.items].flatMap((item) => [...item.matches, ...item.reasons]);
    for (const entry of entries) {
      if ('basis' in entry && entry.basis === 'EXACT') expect(entry).not.toHaveProperty('model_similarity');
      else expect(entry).toHaveProperty('model_similarity');
    }
});
});
