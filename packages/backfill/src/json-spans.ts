import { badInput } from './errors.js';

/** Where one member's value sits in the file text: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One item of a wardrobe file: its place, its parsed value, and where each member's value is. */
export interface ItemSpan extends Span {
  readonly index: number;
  readonly value: unknown;
  readonly members: ReadonlyMap<string, Span>;
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);

/** A scanner over text already known to be valid JSON, recording where values are. */
class Scanner {
  constructor(private readonly text: string) {}

  ws(i: number): number {
    while (i < this.text.length && WS.has(this.text.charCodeAt(i))) i += 1;
    return i;
  }

  string(i: number): number {
    for (i += 1; ; i += 1) {
      const c = this.text.charCodeAt(i);
      if (c === 0x5c) i += 1;
      else if (c === 0x22) return i + 1;
    }
  }

  value(i: number): number {
    const c = this.text.charCodeAt(i);
    if (c === 0x22) return this.string(i);
    if (c === 0x5b || c === 0x7b) {
      const close = c === 0x5b ? 0x5d : 0x7d;
      i = this.ws(i + 1);
      if (this.text.charCodeAt(i) === close) return i + 1;
      for (;;) {
        if (c === 0x7b) i = this.ws(this.string(i) + 0) + 1; // key, then ':'
        i = this.ws(this.value(this.ws(i)));
        if (this.text.charCodeAt(i) === close) return i + 1;
        i = this.ws(i + 1); // ','
      }
    }
    while (i < this.text.length && !/[\s,\]}]/.test(this.text[i]!)) i += 1; // number, true, false, null
    return i;
  }

  /** Members of the object at i, with their value spans; returns the end too. */
  members(i: number): { end: number; members: Map<string, Span> } {
    const members = new Map<string, Span>();
    i = this.ws(i + 1);
    if (this.text.charCodeAt(i) === 0x7d) return { end: i + 1, members };
    for (;;) {
      const keyEnd = this.string(i);
      const key = JSON.parse(this.text.slice(i, keyEnd)) as string;
      const start = this.ws(this.ws(keyEnd) + 1);
      const end = this.value(start);
      members.set(key, { start, end });
      i = this.ws(end);
      if (this.text.charCodeAt(i) === 0x7d) return { end: i + 1, members };
      i = this.ws(i + 1);
    }
  }

  /** The elements of the array at i: each element's span, objects with their members. */
  items(i: number, first: number): ItemSpan[] {
    const items: ItemSpan[] = [];
    i = this.ws(i + 1);
    if (this.text.charCodeAt(i) === 0x5d) return items;
    for (;;) {
      items.push(this.item(i, first + items.length));
      i = this.ws(items[items.length - 1]!.end);
      if (this.text.charCodeAt(i) === 0x5d) return items;
      i = this.ws(i + 1);
    }
  }

  item(start: number, index: number): ItemSpan {
    if (this.text.charCodeAt(start) === 0x7b) {
      const { end, members } = this.members(start);
      return { start, end, index, members, value: JSON.parse(this.text.slice(start, end)) };
    }
    const end = this.value(start);
    return { start, end, index, members: new Map(), value: JSON.parse(this.text.slice(start, end)) };
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 0x0a) line += 1;
  return line;
}

function parseOrExplain(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position === null ? '' : `line ${lineOf(text, Number(position[1]))}: `;
    throw badInput(`${where}: ${line}not valid JSON (${message})`);
  }
}

/**
 * Finds the items of a wardrobe file and where each tag value is, so a change rewrites only those
 * bytes and a rollback puts the same bytes back. JSON: an array, or an object whose `list` member
 * is one. JSON lines: one item per non-empty line.
 */
export function locateItems(text: string, format: 'json' | 'jsonl', path: string, list: string): ItemSpan[] {
  const scanner = new Scanner(text);
  if (format === 'jsonl') {
    const items: ItemSpan[] = [];
    let offset = 0;
    for (const [number, line] of text.split('\n').entries()) {
      if (line.trim() !== '') {
        parseOrExplain(line, `${path}: line ${number + 1}`);
        items.push(scanner.item(scanner.ws(offset), items.length));
      }
      offset += line.length + 1;
    }
    return items;
  }
  const document = parseOrExplain(text, path);
  const start = scanner.ws(0);
  if (Array.isArray(document)) return scanner.items(start, 0);
  if (typeof document === 'object' && document !== null && Array.isArray((document as Record<string, unknown>)[list])) {
    const span = scanner.members(start).members.get(list)!;
    return scanner.items(span.start, 0);
  }
  throw badInput(`${path}: expected an array of items or an object with a "${list}" array`);
}

/**
 * The JSON text of a new tag value, laid out like the value it replaces (a list keeps its line
 * breaks and indentation), so the rest of the file's bytes stay as they were.
 */
export function renderLike(original: string, value: string | readonly string[]): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const scanner = new Scanner(original);
  const elements: Span[] = [];
  let i = scanner.ws(1);
  while (original.charCodeAt(i) !== 0x5d && i < original.length) {
    const end = scanner.value(i);
    elements.push({ start: i, end });
    i = scanner.ws(end);
    if (original.charCodeAt(i) === 0x2c) i = scanner.ws(i + 1);
  }
  if (elements.length === 0) return JSON.stringify(value);
  const open = original.slice(1, elements[0]!.start);
  const close = original.slice(elements[elements.length - 1]!.end, original.length - 1);
  const separator = elements.length > 1 ? original.slice(elements[0]!.end, elements[1]!.start) : original.includes('\n') ? `,${open}` : ', ';
  return `[${open}${value.map((tag) => JSON.stringify(tag)).join(separator)}${close}]`;
}

/** One replacement in a text: the bytes in [start, end) become `text`. */
export interface Edit extends Span {
  readonly text: string;
}

/** Applies non-overlapping replacements to a text in one pass. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const pieces: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    pieces.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}
