import { describe, expect, it } from 'vitest';
import { parseJsonText } from '@semfilter/core';

describe('parseJsonText', () => {
  it('returns the value of valid JSON', () => {
    expect(parseJsonText('{"items": [{"id": "a"}]}')).toEqual({ ok: true, value: { items: [{ id: 'a' }] } });
  });

  it.each([
    ['a bare word where a value belongs', '[\n {"id": "a"},\n {"id": b}\n]', 'line 3, column 9', /expected a value.*found "b}/s],
    ['a missing comma between items', '[{"id": "a"}\n {"id": "b"}]', 'line 2, column 2', /expected ',' or '\]'/],
    ['an unquoted property name', '[{id: "a"}]', 'line 1, column 3', /expected a property name in double quotes/],
    ['a trailing comma', '{"items": [1,]}', 'line 1, column 14', /expected a value/],
    ['text after the JSON', '[] x', 'line 1, column 4', /expected the end of the text/],
  ])('names the line and column of %s', (_, text, path, message) => {
    const parsed = parseJsonText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]!.path).toBe(path);
    expect(parsed.issues[0]!.message).toMatch(message);
  });

  it.each([
    ['after a value', '[{"id": "a"},\n {"id": "b"'],
    ['inside a string', '[{"id": "a"},\n {"id": "b'],
    ['inside a property name', '[{"id": "a"},\n {"id": "b", "sty'],
  ])('says a text cut short %s ends early, on its last line', (_, text) => {
    expect(parseJsonText(text)).toEqual({ ok: false, issues: [{ path: 'line 2', message: 'the JSON ends early (is the file truncated?)' }] });
  });

  it('says an empty text is empty', () => {
    expect(parseJsonText('  \n')).toEqual({ ok: false, issues: [{ path: 'line 1', message: 'the text is empty; expected JSON' }] });
  });
});
