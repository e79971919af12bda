import { describe, expect, it } from 'vitest';
import { describeReason, filterItems, type Embedder, type Item } from '@semfilter/core';

const wardrobe: Item[] = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Casual', occasion: ['work', 'Weekend'], mood: 'calm' },
  { id: 'hoodie', name: 'Hoodie', style: 'casual', occasion: 'Gym' },
  { id: 'shirt', name: 'Oxford shirt', style: 'Smart_Casual', occasion: 'WORK', mood: 'Calm' },
];
const request = { style: ['casual', 'smart casual'], occasion: 'work', mood: 'calm' };

describe('the traditional filter', () => {
  it('matches exactly after normalization and explains each rejection', async () => {
    const report = await filterItems(wardrobe, request);
    expect(report.semantic_mode_active).toBe(false);
    expect(report.fallback_reason).toBe('DISABLED');
    expect(report.filter_pass_rate).toBe(0.5);
    expect(report.items.filter((i) => i.passed).map((i) => i.id).sort()).toEqual(['shirt', 'tee']);
    const blazer = report.items.find((i) => i.id === 'blazer')!;
    expect(blazer.reasons).toEqual([{ dimension: 'style', code: 'EXACT_MISMATCH', requested: 'casual, smart casual', actual: 'classic', mode: 'exact' }]);
    expect(describeReason(blazer.reasons[0]!)).toBe('style: "classic" is not "casual, smart casual"');
    const hoodie = report.items.find((i) => i.id === 'hoodie')!;
    expect(hoodie.reasons.map((r) => [r.dimension, r.code])).toEqual([['occasion', 'EXACT_MISMATCH'], ['mood', 'ATTR_MISSING']]);
    expect(report.rejection_reasons).toEqual(['style', 'occasion', 'mood']);
    expect(report.rejection_counts).toEqual({ style: 1, occasion: 1, mood: 1 });
    expect(report.dimension_modes).toEqual({ style: 'exact', occasion: 'exact', mood: 'exact' });
    expect(report.model).toBeNull();
  });

  it('lists passed items first and rejected items in input order', async () => {
    const report = await filterItems(wardrobe, request);
    expect(report.items.map((i) => i.passed)).toEqual([true, true, false, false]);
    expect(report.items.slice(2).map((i) => i.id)).toEqual(['blazer', 'hoodie']);
  });

  it('passes every item for an empty request, and reports 0 for an empty wardrobe', async () => {
    expect((await filterItems(wardrobe, {})).filter_pass_rate).toBe(1);
    const empty = await filterItems([], request);
    expect(empty.filter_pass_rate).toBe(0);
    expect(empty.items).toEqual([]);
  });
});

describe('semantic mode without a model', () => {
  it('falls back to the traditional filter and says why', async () => {
    const report = await filterItems(wardrobe, request, { semantic: true });
    expect(report.semantic_mode_active).toBe(false);
    expect(report.fallback_reason).toBe('MODEL_UNAVAILABLE');
    expect(report.filter_pass_rate).toBe(0.5);
  });

  it('reports TIMEOUT when the embedder times out', async () => {
    // A fake embedder: this test is about the fallback path, not about semantics.
    const timingOut: Embedder = {
      model: { id: 'fake', dtype: 'none' },
      embed: () => Promise.reject(Object.assign(new Error('took too long'), { name: 'TimeoutError' })),
    };
    const report = await filterItems(wardrobe, request, { semantic: true }, { embedder: timingOut });
    expect(report.fallback_reason).toBe('TIMEOUT');
    expect(report.semantic_mode_active).toBe(false);
  });
});
