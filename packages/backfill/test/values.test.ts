import { describe, expect, it } from 'vitest';
import { normalizeTags, normalizeTerm } from '@semfilter/core';
import { examineCell } from '@semfilter/backfill';
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
