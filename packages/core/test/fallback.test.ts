import { describe, expect, it } from 'vitest';
import { createLayeredEmbedder, filterItems, ModelUnavailableError, withCircuitBreaker, type Embedder } from '@semfilter/core';
import { vocabularyPack } from './support/vocabulary-pack.js';

// A fake model that always fails: these tests are about what happens without a model.
function failingModel(): Embedder & { calls: number } {
  const model = {
    model: { id: 'Xenova/all-MiniLM-L6-v2', dtype: 'fp32' },
    calls: 0,
    embed: async () => {
      model.calls++;
      throw new Error('no model here');
    },
  };
  return model;
}

describe('without a model', () => {
  it('judges the tags the vocabulary knows by meaning, and compares the others exactly, saying so', async () => {
    const embedder = createLayeredEmbedder({ model: failingModel(), vocabulary: vocabularyPack() });
    const items = [
      { id: 'odd', style: 'zorblaxian', mood: 'Serene' },
      { id: 'blazer', style: 'Classic', mood: 'Calm' },
    ];
    const report = await filterItems(items, { style: 'casual', mood: 'calm' }, { semantic: true }, { embedder });
    expect(report.semantic_mode_active).toBe(true);
    expect(report.fallback_reason).toBe('MODEL_UNAVAILABLE');
    expect(report.dimension_modes).toEqual({ style: 'semantic', mood: 'semantic' });
    const verdict = (id: string) => report.items.find((item) => item.id === id)!;
    expect(verdict('odd').reasons).toMatchObject([{ dimension: 'style', code: 'EXACT_MISMATCH', actual: 'zorblaxian', mode: 'exact' }]);
    expect(verdict('odd').matches).toMatchObject([{ dimension: 'mood', actual: 'serene', mode: 'semantic' }]);
    expect(verdict('blazer').passed).toBe(true);
    expect(embedder.stats().vocabularyHits).toBeGreaterThan(0);
  });

  it('compares a dimension exactly when a requested term is unknown', async () => {
    const embedder = createLayeredEmbedder({ model: failingModel(), vocabulary: vocabularyPack() });
    const items = [{ id: 'blazer', style: 'Classic', mood: 'Calm' }];
    const report = await filterItems(items, { style: 'zorblaxian', mood: 'serene' }, { semantic: true }, { embedder });
    expect(report.fallback_reason).toBe('MODEL_UNAVAILABLE');
    expect(report.dimension_modes).toEqual({ style: 'exact', mood: 'semantic' });
    expect(report.items[0]!.reasons).toMatchObject([{ dimension: 'style', code: 'EXACT_MISMATCH', mode: 'exact' }]);
  });

  it('needs no model at all when the vocabulary knows every term', async () => {
    const model = failingModel();
    const embedder = createLayeredEmbedder({ model, vocabulary: vocabularyPack() });
    const report = await filterItems([{ id: 'blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' }], { style: 'casual', occasion: 'work', mood: 'calm' }, { semantic: true }, { embedder });
    expect(report.fallback_reason).toBeNull();
    expect(report.items[0]!.passed).toBe(true);
    expect(model.calls).toBe(0);
  });
});

describe('withCircuitBreaker', () => {
  it('stops calling a model that failed repeatedly, and tries again after the wait', async () => {
    let clock = 0;
    const model = failingModel();
    const guarded = withCircuitBreaker(model, { maxFailures: 2, retryAfterMs: 1000, now: () => clock });
    await expect(guarded.embed(['a'])).rejects.toThrow('no model here');
    await expect(guarded.embed(['a'])).rejects.toThrow('no model here');
    await expect(guarded.embed(['a'])).rejects.toBeInstanceOf(ModelUnavailableError);
    expect(model.calls).toBe(2);
    clock = 1000;
    await expect(guarded.embed(['a'])).rejects.toThrow('no model here');
    expect(model.calls).toBe(3);
  });
});
