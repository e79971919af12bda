import { describe, expect, it } from 'vitest';
import { createLayeredEmbedder, deadlineIssue, DeadlineError, filterItems, withCircuitBreaker, withDeadline } from '@semfilter/core';
import { createSemanticFilter } from '../src/browser/semantic-filter.js';
import { vocabularyPack } from './support/vocabulary-pack.js';
import { gatedModel } from './model.js';

const items = [
  { id: 'odd', style: 'zorblaxian', mood: 'Serene' },
  { id: 'blazer', style: 'Classic', mood: 'Calm' },
];
const request = { style: 'casual', mood: 'calm' };

describe('withDeadline', () => {
  it('answers at the deadline with what the vocabulary knows, says why, and keeps what the model brings later', async () => {
    const model = gatedModel();
    const layered = createLayeredEmbedder({ model: withCircuitBreaker(model, { maxFailures: 1, retryAfterMs: 60_000 }), vocabulary: vocabularyPack() });
    const embedder = withDeadline(layered, 50, () => 'MODEL_LOADING');
    const early = await filterItems(items, request, { semantic: true }, { embedder });
    expect(early.fallback_reason).toBe('MODEL_LOADING');
    expect(early.dimension_modes).toEqual({ style: 'semantic', mood: 'semantic' });
    const odd = early.items.find((item) => item.id === 'odd')!;
    expect(odd.reasons).toMatchObject([{ dimension: 'style', code: 'EXACT_MISMATCH', mode: 'exact' }]);
    expect(odd.matches).toMatchObject([{ dimension: 'mood', actual: 'serene', mode: 'semantic', basis: 'SAME_CONCEPT' }]);

    // The deadline miss did not open the breaker (maxFailures 1): once the model answers, a call
    // with another unknown tag asks it again and is fully semantic.
    model.open();
    const more = [...items, { id: 'odd2', style: 'quuxwave' }];
    const late = await filterItems(more, request, { semantic: true }, { embedder: withDeadline(layered, 60_000, () => 'MODEL_LOADING') });
    expect(late.fallback_reason).toBeNull();
    for (const id of ['odd', 'odd2']) {
      const verdict = late.items.find((item) => item.id === id)!;
      expect([...verdict.matches, ...verdict.reasons].find((entry) => entry.dimension === 'style')).toMatchObject({ mode: 'semantic' });
    }
    expect(model.calls).toBe(2);
  });

  it('answers even when the vector store never does (a blocked IndexedDB)', async () => {
    const model = gatedModel();
    let storeReads = 0;
    const stuck = { getMany: () => (storeReads++, new Promise<never>(() => {})), setMany: () => new Promise<never>(() => {}) };
    const layered = createLayeredEmbedder({ model, store: stuck, vocabulary: vocabularyPack() });
    const report = await filterItems(items, request, { semantic: true }, { embedder: withDeadline(layered, 30, () => 'MODEL_LOADING') });
    expect(storeReads).toBeGreaterThan(0);
    expect(report.fallback_reason).toBe('MODEL_LOADING');
    expect(model.calls).toBe(0); // it never got past the store
    model.open();
  });

  it('rejects with the reason read at the deadline (TIMEOUT once loaded), and leaves the embedder as it is for Infinity', async () => {
    const model = gatedModel();
    let state = 'loading';
    const embedder = withDeadline(model, 10, () => (state === 'loading' ? 'MODEL_LOADING' : 'TIMEOUT'));
    await expect(embedder.embed(['a'])).rejects.toMatchObject({ name: 'DeadlineError', reason: 'MODEL_LOADING' });
    state = 'ready';
    const error = await embedder.embed(['b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ reason: 'TIMEOUT', message: 'the model did not answer within the 10 ms deadline' });
    expect(withDeadline(model, Infinity, () => 'TIMEOUT')).toBe(model);
    model.open();
  });
});

describe('deadline options', () => {
  it('accepts milliseconds >= 0 and Infinity; anything else is refused at setup with the valid values listed', () => {
    for (const valid of [undefined, 0, 1500, Infinity]) expect(deadlineIssue(valid, 'deadlineMs')).toBeUndefined();
    for (const invalid of [-1, Number.NaN, '2000', null]) expect(deadlineIssue(invalid, 'deadlineMs')?.message).toMatch(/^must be a number of milliseconds >= 0 .* or Infinity .*; got /);
    expect(() => createSemanticFilter({ deadlineMs: -1 })).toThrow(new RangeError('createSemanticFilter: deadlineMs ' + deadlineIssue(-1, 'deadlineMs')!.message));
  });
});
