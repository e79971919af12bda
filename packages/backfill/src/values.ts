import { LIMITS, normalizeTags, normalizeTerm, type NormalizationChange, type NormalizedTerm } from '@semfilter/core';

/** Why a cell cannot be backfilled; stable codes for reports and tests. */
export const PROBLEM = {
  NULL_REQUIRED: 'NULL_REQUIRED',
  NUMBER: 'NUMBER',
  OBJECT: 'OBJECT',
  BOOLEAN: 'BOOLEAN',
  BINARY: 'BINARY',
  NOT_A_STRING: 'NOT_A_STRING',
  TOO_LONG: 'TOO_LONG',
  TOO_MANY_TAGS: 'TOO_MANY_TAGS',
  CONTROL_CHARACTER: 'CONTROL_CHARACTER',
  EMPTY_AFTER_NORMALIZATION: 'EMPTY_AFTER_NORMALIZATION',
  NO_KEY: 'NO_KEY',
} as const;

/** One problem code. */
export type ProblemCode = keyof typeof PROBLEM;

/** How a column keeps its tags, so a changed value is written back in the same form. */
export type CellForm =
  /** A text value: one tag, or a JSON array of tags written as text. */
  | 'text'
  /** A native array of text (Postgres `text[]`). */
  | 'array'
  /** A JSON value (Postgres `json`/`jsonb`, or a field of a JSON file): a string or an array. */
  | 'json';

/** One distinct tag that normalization changes, and the core's codes for what it did. */
export interface TagChange {
  readonly from: string;
  readonly to: string;
  /** `normalizeTerm(from).changes`: a code in MEANING_CHANGES marks a fold a person should see. */
  readonly codes: readonly NormalizationChange[];
}

/**
 * Normalizes one tag for examineCell. `changesOf`, when present, gives the core's change codes
 * from the same memo, so a hot loop pays for each distinct tag once; without it they are computed.
 */
export interface TagNormalizer {
  (tag: string): string;
  readonly changesOf?: (tag: string) => readonly NormalizationChange[];
}

/** What the backfill makes of one cell. */
export type CellVerdict =
  | { readonly kind: 'empty' }
  | { readonly kind: 'problem'; readonly code: ProblemCode; readonly message: string }
  | {
      readonly kind: 'tags';
      /** Whether the cell held a list (JSON array or native array) rather than one string. */
      readonly list: boolean;
      readonly raw: string | readonly string[];
      readonly normalized: string | readonly string[];
      readonly changed: boolean;
      /** Each distinct tag that changes, raw → normalized, with what normalization did. */
      readonly changes: readonly TagChange[];
    };

// C0 controls (tab and newline included: a tag is one line of words), DEL and C1 controls.
// Invisible format characters (zero-width space, bidi controls, soft hyphen) are not problems:
// normalization removes them, so they are a change like any other.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function describeValue(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 60)}…` : json;
}

function problem(code: ProblemCode, message: string): CellVerdict {
  return { kind: 'problem', code, message };
}

/** A raw value that is neither a string nor a list: the problem it is. */
function wrongType(value: unknown, where: string): CellVerdict {
  const shown = describeValue(value);
  const expected = 'expected text or a list of text';
  if (typeof value === 'number' || typeof value === 'bigint') return problem('NUMBER', `${where}a number (${shown}); ${expected}`);
  if (typeof value === 'boolean') return problem('BOOLEAN', `${where}a boolean (${shown}); ${expected}`);
  if (value instanceof Uint8Array) return problem('BINARY', `${where}binary data (${shown}); ${expected}`);
  return problem('OBJECT', `${where}an object (${shown}); ${expected}`);
}

function checkTag(tag: unknown, where: string): CellVerdict | undefined {
  if (typeof tag !== 'string') {
    return tag === null ? problem('NOT_A_STRING', `${where}NULL inside the list; expected text`) : wrongType(tag, where);
  }
  if (tag.length > LIMITS.maxTagLength) return problem('TOO_LONG', `${where}a tag of ${tag.length} characters; expected at most ${LIMITS.maxTagLength}`);
  const control = CONTROL.exec(tag);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return problem('CONTROL_CHARACTER', `${where}control character U+${code.toUpperCase()} at position ${control.index} of ${describeValue(tag)}; expected printable text`);
  }
  return undefined;
}

/**
 * The limit applies to what would be written too: NFKC can lengthen a tag ("½" becomes three
 * characters), and a value over the limit would fail the schema and validate.
 */
function checkNormalized(tag: string, normalized: string, where: string): CellVerdict | undefined {
  if (normalized.length <= LIMITS.maxTagLength) return undefined;
  return problem('TOO_LONG', `${where}a tag of ${tag.length} characters normalizes to ${normalized.length}; expected at most ${LIMITS.maxTagLength}`);
}

/** Turns a text cell into tags: JSON arrays written as text are lists, anything else one tag. */
function fromText(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '[' && first !== '{') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // "[casual" is an odd tag, not a broken list: keep it as text
  }
}

const normalizeOne = (tag: string): string => normalizeTerm(tag).value;
const changesOfOne = (tag: string): readonly NormalizationChange[] => normalizeTerm(tag).changes;

/**
 * Judges one cell: nothing to do, a problem (never written), or its tags and their normal form.
 * Normalization is the core's (`normalizeTerm`, `normalizeTags`), so the filter and the backfill agree.
 */
export function examineCell(raw: unknown, form: CellForm, required: boolean, normalize: TagNormalizer = normalizeOne): CellVerdict {
  if (raw === null || raw === undefined) {
    return required ? problem('NULL_REQUIRED', `${raw === null ? 'NULL' : 'missing'} where a tag is required`) : { kind: 'empty' };
  }
  const value = form === 'text' && typeof raw === 'string' ? fromText(raw) : raw;
  if (typeof value === 'string') {
    const bad = checkTag(value, '');
    if (bad !== undefined) return bad;
    const normalized = normalize(value);
    const tooLong = checkNormalized(value, normalized, '');
    if (tooLong !== undefined) return tooLong;
    if (normalized === '' && value !== '') return problem('EMPTY_AFTER_NORMALIZATION', `${describeValue(value)} normalizes to an empty tag; left for a person to decide`);
    const changed = normalized !== value;
    const changes = changed ? [{ from: value, to: normalized, codes: (normalize.changesOf ?? changesOfOne)(value) }] : [];
    return { kind: 'tags', list: false, raw: value, normalized, changed, changes };
  }
  if (!Array.isArray(value)) return wrongType(value, '');
  if (value.length > LIMITS.maxTagsPerAttribute) return problem('TOO_MANY_TAGS', `a list of ${value.length} tags; expected at most ${LIMITS.maxTagsPerAttribute}`);
  for (const [index, tag] of value.entries()) {
    const bad = checkTag(tag, `item ${index} of the list: `);
    if (bad !== undefined) return bad;
  }
  const tags = value as string[];
  const each = tags.map((tag) => normalize(tag));
  for (const [index, tag] of tags.entries()) {
    const tooLong = checkNormalized(tag, each[index]!, `item ${index} of the list: `);
    if (tooLong !== undefined) return tooLong;
  }
  // Each tag is normalized once above; normalizeTags only drops the empty ones and the repeats.
  const normalized = normalizeTags(each, (term) => term);
  if (normalized.length === 0 && tags.some((tag) => tag !== '')) {
    return problem('EMPTY_AFTER_NORMALIZATION', `${describeValue(tags)} normalizes to no tag at all; left for a person to decide`);
  }
  const changed = normalized.length !== tags.length || normalized.some((tag, index) => tag !== tags[index]);
  const changes: TagChange[] = [];
  if (changed) {
    const seen = new Set<string>();
    const changesOf = normalize.changesOf ?? changesOfOne;
    for (const [index, tag] of tags.entries()) {
      const to = each[index]!;
      if (to !== tag && !seen.has(tag)) changes.push({ from: tag, to, codes: changesOf(tag) });
      seen.add(tag);
    }
  }
  return { kind: 'tags', list: true, raw: tags, normalized, changed, changes };
}

/** A memoizing normalizer: a table repeats a few hundred distinct tags over its rows. */
export function createNormalizer(): TagNormalizer & { readonly changesOf: (tag: string) => readonly NormalizationChange[] } {
  const seen = new Map<string, NormalizedTerm>();
  const termOf = (tag: string): NormalizedTerm => {
    let term = seen.get(tag);
    if (term === undefined) {
      term = normalizeTerm(tag);
      if (seen.size < 100_000) seen.set(tag, term);
    }
    return term;
  };
  return Object.assign((tag: string) => termOf(tag).value, { changesOf: (tag: string) => termOf(tag).changes });
}
