import { beforeAll, describe, expect, it } from 'vitest';
import { describeMatch, filterItems, judgePairs, type Embedder, type Item } from '@semfilter/core';
import { realModel } from './model.js';

const blazer: Item = { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' };
const request = { style: 'casual', occasion: 'work', mood: 'calm' };

describe('semantic mode on the real model', () => {
  let embedder: Embedder;
  beforeAll(() => (embedder = realModel()));

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

  it('rejects near-opposite occasions that embed close together', async () => {
    const pairs = [
      { dimension: 'occasion', requested: 'gala', item: 'work' },
      { dimension: 'occasion', requested: 'work', item: 'weekend' },
      { dimension: 'occasion', requested: 'home', item: 'outdoors' },
      { dimension: 'occasion', requested: 'office', item: 'vacation' },
      { dimension: 'occasion', requested: 'hiking', item: 'errands' },
    ] as const;
    const { judgements } = await judgePairs(pairs, {}, { embedder });
    expect(judgements.map((j, i) => [pairs[i]!.requested, pairs[i]!.item, j.semantic])).toEqual(pairs.map((p) => [p.requested, p.item, false]));
  });

  it('rejects near-opposite moods and accepts their true neighbours', async () => {
    const pairs = [
      { dimension: 'mood', requested: 'relaxed', item: 'serious', compatible: false },
      { dimension: 'mood', requested: 'calm', item: 'somber', compatible: false },
      { dimension: 'mood', requested: 'relaxed', item: 'easygoing', compatible: true },
      { dimension: 'mood', requested: 'calm', item: 'serene', compatible: true },
    ] as const;
    const { judgements } = await judgePairs(pairs, {}, { embedder });
    expect(judgements.map((j, i) => [pairs[i]!.item, j.semantic])).toEqual(pairs.map((p) => [p.item, p.compatible]));
  });

  it('judges every term of one concept alike: elegant, sophisticated and poised against calm', async () => {
    const pairs = ['elegant', 'sophisticated', 'poised'].map((item) => ({ dimension: 'mood' as const, requested: 'calm', item }));
    const { judgements } = await judgePairs(pairs, { dimensions: { mood: { threshold: 0 } } }, { embedder });
    expect(new Set(judgements.map((j) => `${j.semantic} ${j.reason?.code ?? 'none'}`)).size).toBe(1);
    for (const j of judgements) expect(j.reason?.code === 'CONFLICT' ? j.reason.concepts : []).not.toContain('energetic');
  });

  it('says where each score came from', async () => {
    const items: Item[] = [
      { id: 'same', mood: 'calm', occasion: 'work' },
      { id: 'concept', mood: 'serene', occasion: 'office' },
      { id: 'compatible', mood: 'cozy', occasion: 'office' },
      { id: 'clash', mood: 'calm', occasion: 'party' },
      { id: 'unrelated', mood: 'calm', occasion: 'weekend' },
    ];
    const report = await filterItems(items, { mood: 'calm', occasion: 'work' }, { semantic: true, dimensions: { occasion: { threshold: 0.99 } } }, { embedder });
    const bases = Object.fromEntries(report.items.map((item) => [item.id, [...item.matches, ...item.reasons].map((m) => `${m.dimension} ${'basis' in m ? m.basis : m.code}`).sort()]));
    expect(bases).toEqual({
      same: ['mood EXACT', 'occasion EXACT'],
      concept: ['mood SAME_CONCEPT', 'occasion SAME_CONCEPT'],
      compatible: ['mood COMPATIBLE_CONCEPTS', 'occasion SAME_CONCEPT'],
      clash: ['mood EXACT', 'occasion KNOWN_CLASH'],
      unrelated: ['mood EXACT', 'occasion UNRELATED_CONCEPTS'],
    });
    // A high score between two different words does not read as identical.
    const serene = report.items.find((item) => item.id === 'concept')!.matches.find((m) => m.dimension === 'mood')!;
    expect(describeMatch(serene)).toMatch(/^mood: "serene" fits "calm" \(0\.\d\d, (sure|fairly sure)\): same concept as "calm"; model similarity 0\.\d\d$/);
    expect(serene.score).toBeLessThan(1);
  });
});
