import { describe, expect, it } from 'vitest';
import { LIMITS, MEANING_CHANGES, normalizeTags, normalizeTerm } from '@semfilter/core';
import { createNormalizer, examineCell } from '@semfilter/backfill';
import { locateItems, renderLike } from '../src/json-spans.js';

describe('examineCell', () => {
  it('normalizes with the core, so the filter and the backfill agree', () => {
    for (const raw of ['Smart_Casual', ' smart casual ', 'SMART-CASUAL', 'Ｃａｓｕａｌ']) {
      expect(examineCell(raw, 'text', false)).toMatchObject({ kind: 'tags', normalized: normalizeTerm(raw).value });
    }
    expect(examineCell('["WEEKEND","weekend","Date_Night"]', 'text', false)).toMatchObject({ list: true, normalized: normalizeTags(['WEEKEND', 'weekend', 'Date_Night']) });
    expect(examineCell('casual', 'text', false)).toMatchObject({ changed: false });
  });

  it('names what it cannot handle', () => {
    expect(examineCell(null, 'text', true)).toMatchObject({ code: 'NULL_REQUIRED' });
    expect(examineCell(null, 'text', false)).toEqual({ kind: 'empty' });
    expect(examineCell(3, 'json', false)).toMatchObject({ code: 'NUMBER', message: 'a number (3); expected text or a list of text' });
    expect(examineCell('{"a":1}', 'text', false)).toMatchObject({ code: 'OBJECT' });
    expect(examineCell(['ok', 4], 'array', false)).toMatchObject({ code: 'NUMBER', message: expect.stringMatching(/^item 1 of the list/) });
    expect(examineCell('x'.repeat(201), 'text', false)).toMatchObject({ code: 'TOO_LONG' });
    expect(examineCell('a\nb', 'text', false)).toMatchObject({ code: 'CONTROL_CHARACTER', message: expect.stringMatching(/U\+000A at position 1/) });
    expect(examineCell('  ', 'text', false)).toMatchObject({ code: 'EMPTY_AFTER_NORMALIZATION' });
    expect(examineCell(Buffer.from('x'), 'text', false)).toMatchObject({ code: 'BINARY' });
  });
});

describe('examineCell and what normalization does to a tag', () => {
  it('removes invisible characters as a change, not a problem', () => {
    expect(examineCell('casual\u200b', 'text', false)).toEqual({
      kind: 'tags',
      list: false,
      raw: 'casual\u200b',
      normalized: 'casual',
      changed: true,
      changes: [{ from: 'casual\u200b', to: 'casual', codes: ['INVISIBLE'] }],
    });
    expect(examineCell(['\u202eCalm\u202c', 'calm', '\u2067boho\u2069'], 'array', false)).toMatchObject({
      kind: 'tags',
      normalized: ['calm', 'boho'],
      changes: [
        { from: '\u202eCalm\u202c', to: 'calm', codes: ['INVISIBLE', 'CASE'] },
        { from: '\u2067boho\u2069', to: 'boho', codes: ['INVISIBLE'] },
      ],
    });
    expect(examineCell('smart\u00adcasual', 'text', false)).toMatchObject({ kind: 'tags', normalized: 'smart casual' });
    expect(examineCell('casual\u0085', 'text', false)).toMatchObject({ code: 'CONTROL_CHARACTER', message: expect.stringMatching(/U\+0085/) });
  });

  it('marks compatibility folds, which change the text, apart from width folds', () => {
    const codes = (raw: string) => {
      const verdict = examineCell(raw, 'text', false);
      return verdict.kind === 'tags' ? verdict.changes.flatMap((change) => change.codes) : verdict;
    };
    expect(codes('\u00bd sleeve')).toEqual(['COMPATIBILITY']);
    expect(codes('Brand\u2122')).toEqual(['COMPATIBILITY', 'CASE']);
    expect(codes('\uff23\uff41\uff53\uff55\uff41\uff4c')).toEqual(['UNICODE', 'CASE']);
    expect(examineCell('\u00bd', 'text', false)).toMatchObject({ normalized: '1\u20442' });
    expect(MEANING_CHANGES.has('COMPATIBILITY')).toBe(true);
  });

  it('takes the codes from an injected memoizing normalizer, as apply and plan use it', () => {
    const normalize = createNormalizer();
    const verdict = examineCell('["Casual", "\u2122"]', 'text', false, normalize);
    expect(verdict).toMatchObject({ changes: [{ from: 'Casual', to: 'casual', codes: ['CASE'] }, { from: '\u2122', to: 'tm', codes: ['COMPATIBILITY', 'CASE'] }] });
    expect(normalize.changesOf('\u2122')).toBe(normalize.changesOf('\u2122'));
  });

  it('applies the length limit to the normal form, so it never writes what validate would reject', () => {
    const tag = '\u00bd'.repeat(199); // 199 characters, 597 once "½" becomes "1⁄2"
    expect(tag.length).toBe(199);
    expect(examineCell(tag, 'text', false)).toMatchObject({ kind: 'problem', code: 'TOO_LONG', message: `a tag of 199 characters normalizes to 597; expected at most ${LIMITS.maxTagLength}` });
    expect(examineCell(['ok', 'a'.repeat(150) + '\u2122'.repeat(49)], 'array', false)).toMatchObject({ code: 'TOO_LONG', message: expect.stringMatching(/^item 1 of the list: a tag of 199 characters normalizes to 248;/) });
    expect(examineCell('a'.repeat(199) + '\u2122', 'text', false)).toMatchObject({ code: 'TOO_LONG' });
    expect(examineCell('a'.repeat(198) + '\u2122', 'text', false)).toMatchObject({ kind: 'tags', normalized: 'a'.repeat(198) + 'tm' });
    expect(examineCell('x'.repeat(201), 'text', false)).toMatchObject({ code: 'TOO_LONG', message: 'a tag of 201 characters; expected at most 200' });
  });
});

describe('JSON spans', () => {
  it('rewrites a list in the layout it had', () => {
    expect(renderLike('[\n   "WEEKEND",\n   "weekend"\n  ]', ['weekend'])).toBe('[\n   "weekend"\n  ]');
    expect(renderLike('["A", "B", "C"]', ['a', 'b'])).toBe('["a", "b"]');
    expect(renderLike('"Smart_Casual"', 'smart casual')).toBe('"smart casual"');
  });

  it('finds every item and member, in wrapped JSON and in JSON lines', () => {
    const text = '{"items": [ {"id": "a", "style": "X", "n": {"deep": [1, "]"]}}, {"id": "b"} ]}';
    const items = locateItems(text, 'json', 'w.json', 'items');
    expect(items.map((item) => item.value)).toEqual([{ id: 'a', style: 'X', n: { deep: [1, ']'] } }, { id: 'b' }]);
    const span = items[0]!.members.get('style')!;
    expect(text.slice(span.start, span.end)).toBe('"X"');
    const lines = locateItems('{"id":1,"mood":"Calm"}\n\n{"id":2}\n', 'jsonl', 'w.jsonl', 'items');
    expect(lines.map((item) => item.value)).toEqual([{ id: 1, mood: 'Calm' }, { id: 2 }]);
    expect(() => locateItems('{"id":1}\n{"id":\n', 'jsonl', 'w.jsonl', 'items')).toThrow(/w.jsonl: line 2: not valid JSON/);
  });
});
