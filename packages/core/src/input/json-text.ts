import type { InputIssue, Parsed } from './schemas.js';

/**
 * Parses JSON text. A syntax error comes back as one issue whose path names the line and column
 * (`line 3, column 12`) and whose message says what was expected there, or that the text ends
 * early. JSON.parse does the parsing; a small scanner finds the place, because engines differ in
 * whether their messages carry a position at all.
 */
export function parseJsonText(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, issues: [locateSyntaxError(text)] };
  }
}

class SyntaxFault {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

function locateSyntaxError(text: string): InputIssue {
  const end = text.trimEnd().length;
  if (end === 0) return { path: 'line 1', message: 'the text is empty; expected JSON' };
  const fault = scan(text);
  if (fault.offset >= end) {
    return { path: `line ${lineAndColumn(text, end).line}`, message: 'the JSON ends early (is the file truncated?)' };
  }
  const { line, column } = lineAndColumn(text, fault.offset);
  return { path: `line ${line}, column ${column}`, message: `invalid JSON: expected ${fault.expected}, found ${JSON.stringify(text.slice(fault.offset, fault.offset + 12))}` };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Walks the JSON grammar and returns the first place it does not hold. */
function scan(text: string): SyntaxFault {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const match = (pattern: RegExp, expected: string) => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) throw new SyntaxFault(at, expected);
    at = pattern.lastIndex;
  };
  const expect = (char: string, expected: string) => {
    skipSpace();
    if (text[at] !== char) throw new SyntaxFault(at, expected);
    at++;
  };
  const string = (expected: string) => {
    // A string with no closing quote anywhere after it is a text cut short.
    if (text[at] === '"' && !text.includes('"', at + 1)) throw new SyntaxFault(text.length, 'a closing quote');
    match(STRING, expected);
  };
  const list = (close: string, entry: () => void, expected: string) => {
    skipSpace();
    if (text[at] === close) return void at++;
    for (;;) {
      entry();
      skipSpace();
      if (text[at] === close) return void at++;
      expect(',', expected);
    }
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at++;
      list('}', () => {
        skipSpace();
        string('a property name in double quotes');
        expect(':', "':' after the property name");
        value();
      }, "',' or '}'");
    } else if (char === '[') {
      at++;
      list(']', value, "',' or ']'");
    } else if (char === '"') string('a complete string (closing quote, valid escapes, no raw line breaks)');
    else if (text.startsWith('true', at) || text.startsWith('null', at)) at += 4;
    else if (text.startsWith('false', at)) at += 5;
    else match(NUMBER, 'a value (object, array, string, number, true, false or null)');
  };
  try {
    value();
    skipSpace();
    return new SyntaxFault(at, 'the end of the text');
  } catch (fault) {
    // Only a nesting deeper than the call stack gets here; JSON.parse itself handles it.
    return fault instanceof SyntaxFault ? fault : new SyntaxFault(0, 'JSON nested less deeply');
  }
}
