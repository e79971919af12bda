import { describe, expect, it } from 'vitest';
import { MEANING_CHANGES, NORMALIZATION_CHANGES, normalizeTags, normalizeTerm, TERM_ALIASES } from '@semfilter/core';

describe('normalizeTerm', () => {
  it.each([
    ['Smart_Casual', 'smart casual', ['CASE', 'SEPARATOR']],
    ['  date-night  ', 'date night', ['SEPARATOR', 'WHITESPACE']],
    ['BLACK   TIE', 'black tie', ['CASE', 'WHITESPACE']],
    ['ｃａｓｕａｌ', 'casual', ['UNICODE']],
    ['SmartCasual', 'smart casual', ['CASE', 'ALIAS']],
    ['casual', 'casual', []],
    ['casual\u200b', 'casual', ['INVISIBLE']],
    ['\u202ecasual\u202c', 'casual', ['INVISIBLE']],
    ['\u2067Boho\u2069\u200f', 'boho', ['INVISIBLE', 'CASE']],
    ['smart\u00adcasual', 'smart casual', ['INVISIBLE', 'ALIAS']],
    ['\ufeffcalm\u2060', 'calm', ['INVISIBLE']],
    ['\u2764\ufe0f', '\u2764', ['INVISIBLE']],
    ['e\u0301te\u0301', '\u00e9t\u00e9', ['UNICODE']],
    ['\ufb01ne', 'fine', ['UNICODE']],
    ['\uff76\uff9e', '\u30ac', ['UNICODE']],
    ['black\u00a0tie', 'black tie', ['UNICODE']],
    ['\u00bd', '1\u20442', ['COMPATIBILITY']],
    ['Brand\u2122', 'brandtm', ['COMPATIBILITY', 'CASE']],
    ['size\u00b2', 'size2', ['COMPATIBILITY']],
    ['\u2460', '1', ['COMPATIBILITY']],
    ['\u2103', '\u00b0c', ['COMPATIBILITY', 'CASE']],
    ['\u216b', 'xii', ['COMPATIBILITY', 'CASE']],
    ['\uff23\uff41\uff53\uff55\uff41\uff4c \u00bd', 'casual 1\u20442', ['COMPATIBILITY', 'CASE']],
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

  it('removes a soft hyphen as a break opportunity, not a separator', () => {
    expect(normalizeTerm('smart\u00adcasual', {}).value).toBe('smartcasual');
  });

  it('removes every zero-width, bidi and other invisible control it is asked to', () => {
    const invisible = ['\u200b', '\u200c', '\u200d', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u00ad', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u061c', '\u180e', '\ufe00', '\ufe0e', '\ufe0f', '\u{e0041}'];
    for (const char of invisible) {
      expect(normalizeTerm(`da${char}te`, {})).toEqual({ original: `da${char}te`, value: 'date', changes: ['INVISIBLE'] });
    }
  });

  it('is idempotent over varied and tricky strings', () => {
    const pool = ['A', 'z', 'Σ', 'ß', 'ẞ', 'İ', 'Ϊ', '\u0301', '\u0308', '\u0345', '\u0307', ' ', '_', '-', '\t', '\u00a0', '\u3000', '\u200b', '\u200d', '\u00ad', '\u202e', '\ufeff', '\ufe0f', '\u00bd', '\u2122', '\ufb01', '\u00b2', '\u2460', '\u2103', '\u216b', '\uff23', '\uff76', '\uff9e', '\u00b4', '\u3164', '\ufdfa', '\u{1d401}', '\u2764', '\u{1f9d1}', '\u0644', '\u0627', 'ǅ', 'Å', '\u212b', '\u1100', '\u1161'];
    let seed = 15;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const samples = ['´a', 'x \u0301', 'Ϊ\u0301', 'ΑΣ ΣΑΣ', '\u0345A', ...pool];
    for (let i = 0; i < 3000; i += 1) samples.push(Array.from({ length: 1 + (next() % 8) }, () => pool[next() % pool.length]!).join(''));
    for (const sample of samples) {
      const once = normalizeTerm(sample).value;
      expect(normalizeTerm(once), JSON.stringify(sample)).toEqual({ original: once, value: once, changes: [] });
    }
  });

  it('is idempotent for every code point of the first two planes, alone and between letters', () => {
    const failures: string[] = [];
    for (let code = 0; code <= 0x1ffff; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      for (const sample of [String.fromCodePoint(code), `A${String.fromCodePoint(code)}\u0301b`]) {
        const once = normalizeTerm(sample).value;
        if (normalizeTerm(once).changes.length > 0) failures.push(`U+${code.toString(16)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('names the changes a person should review', () => {
    expect([...MEANING_CHANGES]).toEqual([NORMALIZATION_CHANGES.COMPATIBILITY]);
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
