import { TERM_ALIASES } from './aliases.js';

/** What normalization did to a tag, as stable codes for audit logs and backfills. */
export const NORMALIZATION_CHANGES = {
  UNICODE: 'UNICODE',
  CASE: 'CASE',
  SEPARATOR: 'SEPARATOR',
  WHITESPACE: 'WHITESPACE',
  ALIAS: 'ALIAS',
} as const;

/** One kind of change normalization can make. */
export type NormalizationChange = keyof typeof NORMALIZATION_CHANGES;

/** A normalized tag and the changes that led to it (empty when the tag was already normal). */
export interface NormalizedTerm {
  readonly original: string;
  readonly value: string;
  readonly changes: readonly NormalizationChange[];
}

/**
 * Normalizes one tag: Unicode NFKC, lower case, `_` and `-` as spaces, trimmed and single-spaced,
 * then the alias table. Idempotent: normalizing the result again changes nothing.
 */
export function normalizeTerm(original: string, aliases: Readonly<Record<string, string>> = TERM_ALIASES): NormalizedTerm {
  const changes: NormalizationChange[] = [];
  const step = (before: string, after: string, change: NormalizationChange): string => {
    if (after !== before) changes.push(change);
    return after;
  };
  let value = step(original, original.normalize('NFKC'), 'UNICODE');
  value = step(value, value.toLowerCase(), 'CASE');
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
