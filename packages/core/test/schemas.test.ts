import { describe, expect, it } from 'vitest';
import { filterOptionsSchema, parseWardrobe, parseWith, requestSchema } from '@semfilter/core';

describe('parseWardrobe', () => {
  it('takes an array or an object with items, keeping extra fields', () => {
    const items = [{ id: 'a', style: 'Casual', color: 'navy' }];
    for (const input of [items, { items }]) {
      const parsed = parseWardrobe(input);
      expect(parsed.ok && parsed.value).toEqual(items);
    }
  });

  it('names the place and what was expected', () => {
    const parsed = parseWardrobe([{ id: 'a', style: ['ok', 5] }, { name: 'no id' }, { id: 'c', mood: 'x'.repeat(10_000) }]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual([
      { path: 'items[0].style[1]', message: 'expected a tag string, received number' },
      { path: 'items[1].id', message: 'required: every item needs a string id' },
      { path: 'items[2].mood', message: 'expected a tag of at most 200 characters' },
    ]);
  });

  it('reports duplicate ids', () => {
    const parsed = parseWardrobe([{ id: 'a' }, { id: 'a' }]);
    expect(!parsed.ok && parsed.issues).toEqual([{ path: 'items[1].id', message: 'duplicate id "a" (first at index 0)' }]);
  });

  it('rejects what is not a wardrobe', () => {
    const parsed = parseWardrobe('hello');
    expect(!parsed.ok && parsed.issues[0]!.message).toMatch(/expected an array of items or an object with an "items" array, received string/);
  });

  it('drops a __proto__ key instead of letting it change prototypes', () => {
    const parsed = parseWardrobe(JSON.parse('[{"id":"a","__proto__":{"polluted":true},"style":"casual"}]'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const item = parsed.value[0]!;
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect((item as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('request and options', () => {
  it('are strict: unknown keys are named', () => {
    const request = parseWith(requestSchema, { style: 'casual', colour: 'red' }, 'request');
    expect(!request.ok && request.issues[0]).toMatchObject({ path: 'request', message: expect.stringContaining('colour') });
    const options = parseWith(filterOptionsSchema, { dimensions: { style: { threshold: 2 } } }, 'options');
    expect(!options.ok && options.issues[0]!.path).toBe('options.dimensions.style.threshold');
  });
});
