import { beforeAll, describe, expect, it } from 'vitest';
import { filterItems, judgePairs, type Embedder, type Item } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';
import { requireModel } from './model.js';

const blazer: Item = { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' };
const request = { style: 'casual', occasion: 'work', mood: 'calm' };

describe('semantic mode on the real model', () => {
  let embedder: Embedder;
  beforeAll(() => {
    requireModel();
    embedder = createNodeEmbedder();
  });

  it('passes a classic blazer for a casual request that exact matching rejects', async () => {
    const traditional = await filterItems([blazer], request, { semantic: false }, { embedder });
    const semantic = await filterItems([blazer], request, { semantic: true }, { embedder });
    expect(traditional.items[0]).toMatchObject({ passed: false, reasons: [{ dimension: 'style', code: 'EXACT_MISMATCH' }] });
    expect(semantic.semantic_mode_active).toBe(true);
    expect(semantic.fallback_reason).toBeNull();
    expect(semantic.model).toEqual({ id: 'Xenova/all-MiniLM-L6-v2', dtype: 'fp32' });
    expect(semantic.items[0]).toMatchObject({ id: 'blazer', passed: true, reasons: [] });
    const style = semantic.items[0]!.matches.find((m) => m.dimension === 'style')!;
    expect(style).toMatchObject({ requested: 'casual', actual: 'classic', mode: 'semantic' });
    expect(style.score).toBeGreaterThanOrEqual(0.55);
    expect(semantic.items[0]!.matches.filter((m) => m.mode === 'semantic' && m.score === 1).map((m) => m.dimension)).toEqual(['occasion', 'mood']);
  });

  it('vetoes antonyms with CONFLICT although they embed close together', async () => {
    const { judgements } = await judgePairs([{ dimension: 'mood', requested: 'happy', item: 'sad' }], {}, { embedder });
    expect(judgements[0]).toMatchObject({ traditional: false, semantic: false, reason: { code: 'CONFLICT', concepts: ['happy', 'sad'] } });
  });

  it('rejects with BELOW_THRESHOLD and the numbers that decided it', async () => {
    const report = await filterItems([{ id: 'gown', occasion: 'gala' }], { occasion: 'hiking' }, { semantic: true }, { embedder });
    const [reason] = report.items[0]!.reasons;
    expect(reason).toMatchObject({ dimension: 'occasion', requested: 'hiking', actual: 'gala', mode: 'semantic' });
    if (reason?.code === 'BELOW_THRESHOLD') expect(reason.similarity).toBeLessThan(reason.threshold);
    else expect(reason?.code).toBe('CONFLICT');
  });

  it('uses exact matching on a dimension switched to exact', async () => {
    const report = await filterItems([blazer], request, { semantic: true, dimensions: { style: { mode: 'exact' } } }, { embedder });
    expect(report.dimension_modes).toEqual({ style: 'exact', occasion: 'semantic', mood: 'semantic' });
    expect(report.items[0]!.reasons).toMatchObject([{ dimension: 'style', code: 'EXACT_MISMATCH', mode: 'exact' }]);
  });

  it('ranks passing items: exact matches above semantic ones', async () => {
    const items: Item[] = [blazer, { id: 'tee', style: 'Casual', occasion: 'work', mood: 'calm' }];
    const report = await filterItems(items, request, { semantic: true }, { embedder });
    expect(report.items.map((i) => [i.id, i.passed])).toEqual([['tee', true], ['blazer', true]]);
    expect(report.items[0]!.score).toBeGreaterThan(report.items[1]!.score);
  });

  it('embeds each distinct term once, however many items carry it', async () => {
    const texts: string[] = [];
    // Wraps the real embedder to count what it is asked for.
    const counting: Embedder = { model: embedder.model, embed: (batch) => (texts.push(...batch), embedder.embed(batch)) };
    const styles = ['Casual', 'casual', 'CLASSIC', 'Boho', 'Smart_Casual'];
    const many: Item[] = Array.from({ length: 10_000 }, (_, i) => ({ id: `sku-${i}`, style: styles[i % styles.length]! }));
    const report = await filterItems(many, { style: 'casual' }, { semantic: true }, { embedder: counting });
    expect(report.items).toHaveLength(10_000);
    expect(new Set(texts).size).toBe(texts.length);
    const itemTexts = texts.filter((t) => ['casual style', 'classic style', 'boho style', 'smart casual style'].includes(t));
    expect(itemTexts.sort()).toEqual(['boho style', 'casual style', 'classic style', 'smart casual style']);
  });
});
