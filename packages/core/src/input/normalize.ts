import { TERM_ALIASES } from './aliases.js';
import { DIMENSIONS, type Dimension } from './dimensions.js';
import type { FilterRequest } from './schemas.js';

/** What normalization did to a tag, as stable codes for audit logs and backfills. */
export const NORMALIZATION_CHANGES = {
  /** NFC, or an NFKC fold of width or presentation only (fullwidth "Ｃａｓｕａｌ", "ﬁ", a no-break space). */
  UNICODE: 'UNICODE',
  CASE: 'CASE',
  SEPARATOR: 'SEPARATOR',
  WHITESPACE: 'WHITESPACE',
  ALIAS: 'ALIAS',
  /** Invisible characters removed: zero-width and bidi controls, soft hyphens, variation selectors. */
  INVISIBLE: 'INVISIBLE',
  /** An NFKC fold that changes the text itself ("½" → "1⁄2", "™" → "TM", "²" → "2"); reported instead of UNICODE. */
  COMPATIBILITY: 'COMPATIBILITY',
} as const;

/** One kind of change normalization can make. */
export type NormalizationChange = keyof typeof NORMALIZATION_CHANGES;

/**
 * The changes a person should look at before they are written back. Aliases are left out on
 * purpose: the alias table is the project's own reviewed list, while compatibility folds come from
 * Unicode's tables, which no one chose with tags in mind.
 */
export const MEANING_CHANGES: ReadonlySet<NormalizationChange> = new Set<NormalizationChange>(['COMPATIBILITY']);

/** A normalized tag and the changes that led to it (empty when the tag was already normal). */
export interface NormalizedTerm {
  readonly original: string;
  readonly value: string;
  readonly changes: readonly NormalizationChange[];
}

// Unicode's default-ignorable code points: zero-width space and joiners, word joiner and the
// invisible operators, BOM, soft hyphen, bidi controls (U+200E/F, U+202A–E, U+2066–9, U+061C),
// the Mongolian vowel separator, Hangul fillers, tag characters, variation selectors. They render as
// nothing, so two tags that look the same would otherwise differ. Variation selectors go too: they
// pick a glyph (U+2764 as emoji or as text, a CJK glyph variant), never another character, and a
// tag means the same in either style. The cost: an emoji ZWJ sequence (person, ZWJ, frying pan:
// "cook") falls apart into its visible parts, and Persian or Indic text loses its ZWNJ shaping
// hints; both still read as the same words, which is what matching compares. Removal runs before
// NFKC so a mark that an invisible character kept from its letter composes with it in the same
// pass (idempotence).
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

// The NFKC folds that change how text looks, not what it says: fullwidth and halfwidth forms
// (U+FF01–U+FFEF), the ideographic space, no-break and sized spaces, the no-break hyphen and the
// Latin ligatures (ﬁ is f and i drawn as one glyph). Anything else NFKC folds (fractions,
// superscripts, circled and squared forms, ™, ℃, roman numerals, math letters) is COMPATIBILITY.
const PRESENTATION = /[\u00a0\u2000-\u200a\u2011\u202f\u205f\u3000\ufb00-\ufb06\uff01-\uffef]/gu;

/** The string NFKC would give if it folded only presentation forms (then composed, as NFKC does). */
function foldPresentation(text: string): string {
  return text.replace(PRESENTATION, (char) => char.normalize('NFKC')).normalize('NFC');
}

/**
 * Normalizes one tag: invisible characters removed, Unicode NFKC, lower case, `_` and `-` as
 * spaces, trimmed and single-spaced, then the alias table. Idempotent: normalizing the result again
 * changes nothing. An NFKC fold beyond width and presentation is reported as COMPATIBILITY.
 */
export function normalizeTerm(original: string, aliases: Readonly<Record<string, string>> = TERM_ALIASES): NormalizedTerm {
  const changes: NormalizationChange[] = [];
  const step = (before: string, after: string, change: NormalizationChange): string => {
    if (after !== before) changes.push(change);
    return after;
  };
  let value = step(original, original.replace(INVISIBLE, ''), 'INVISIBLE');
  const folded = value.normalize('NFKC');
  // The value is NFKC either way, so the filter and the backfill agree; only the code differs.
  if (folded !== value) value = step(value, folded, folded === foldPresentation(value) ? 'UNICODE' : 'COMPATIBILITY');
  // Lower case can make a letter and a mark composable (capital iota with dialytika plus U+0301
  // has no one-character form; in lower case it has, U+0390), so NFC again, or a second pass would
  // still change the tag.
  value = step(value, value.toLowerCase().normalize('NFC'), 'CASE');
  value = step(value, value.replace(/[_-]/g, ' '), 'SEPARATOR');
  value = step(value, value.replace(/\s+/g, ' ').trim(), 'WHITESPACE');
  const alias = Object.hasOwn(aliases, value) ? aliases[value] : undefined;
  if (alias !== undefined) value = step(value, alias, 'ALIAS');
  return { original, value, changes };
}

/** Normalizes a tag value as items carry it (one string or several) into distinct, non-empty terms. */
export function normalizeTags(raw: string | readonly string[] | undefined, normalize: (tag: string) => string = (tag) => normalizeTerm(tag).value): string[] {
  if (raw === undefined) return [];
  const list = typeof raw === 'string' ? [raw] : raw;
  const terms = list.map(normalize).filter((term) => term !== '');
  return terms.length < 2 ? terms : [...new Set(terms)];
}

/**
 * normalizeTags with each distinct tag normalized once: a wardrobe repeats a few hundred tags
 * across all its items, so one filter run should pay for the tags, not for the items.
 */
export function createTagNormalizer(): (raw: string | readonly string[] | undefined) => string[] {
  const seen = new Map<string, string>();
  const normalize = (tag: string): string => {
    let value = seen.get(tag);
    if (value === undefined) seen.set(tag, (value = normalizeTerm(tag).value));
    return value;
  };
  return (raw) => normalizeTags(raw, normalize);
}

/** A request after normalization: the distinct terms of each dimension it names. */
export type NormalizedRequest = Readonly<Partial<Record<Dimension, readonly string[]>>>;

/** Normalizes a request, keeping only the dimensions it names with at least one term. */
export function normalizeRequest(request: FilterRequest): NormalizedRequest {
  const out: Partial<Record<Dimension, readonly string[]>> = {};
  for (const dimension of DIMENSIONS) {
    const terms = normalizeTags(request[dimension]);
    if (terms.length > 0) out[dimension] = terms;
  }
  return out;
}
