import { describe, expect, it } from 'vitest';
import { normalizeTags, normalizeTerm, TERM_ALIASES } from '@semfilter/core';

describe('normalizeTerm', () => {
  it.each([
    ['Smart_Casual', 'smart casual', ['CASE', 'SEPARATOR']],
    ['  date-night  ', 'date night', ['SEPARATOR', 'WHITESPACE']],
    ['BLACK   TIE', 'black tie', ['CASE', 'WHITESPACE']],
    ['ｃａｓｕａｌ', 'casual', ['UNICODE']],
    ['SmartCasual', 'smart casual', ['CASE', 'ALIAS']],
    ['casual', 'casual', []],
  ])('%j becomes %j', (input, value, changes) => {
    const result = normalizeTerm(input);
    expect(result.value).toBe(value);
    expect(result.changes).toEqual(changes);
    expect(result.original).toBe(input);
  });

  it('is idempotent, alias table included', () => {
    const samples = ['Smart_Casual', ' Boho--Chic ', 'WFH', 'Ｂｌａｃｋ＿Ｔｉｅ', 'date\tnite', ...Object.keys(TERM_ALIASES), ...Object.values(TERM_ALIASES)];
    for (const sample of samples) {
      const once = normalizeTerm(sample).value;
      expect(normalizeTerm(once)).toEqual({ original: once, value: once, changes: [] });
    }
  });

  it('keeps alias keys and values in normal form', () => {
    for (const [key, value] of Object.entries(TERM_ALIASES)) {
      expect(normalizeTerm(key, {}).value).toBe(key);
      expect(normalizeTerm(value, {}).value).toBe(value);
      expect(Object.hasOwn(TERM_ALIASES, value)).toBe(false);
    }
  });
});

describe('normalizeTags', () => {
  it('accepts a string or a list, and drops empties and repeats', () => {
    expect(normalizeTags('Casual')).toEqual(['casual']);
    expect(normalizeTags(['Casual', 'casual ', '', '  ', 'Smart_Casual'])).toEqual(['casual', 'smart casual']);
    expect(normalizeTags(undefined)).toEqual([]);
  });
});
