import { z } from 'zod';
import { DIMENSIONS } from './dimensions.js';

/** Stable reason codes. Add new ones; never rename one (reports and tests outside the team key on them). */
export const REASON_CODES = {
  /** Exact matching found no requested term among the item's tags. */
  EXACT_MISMATCH: 'EXACT_MISMATCH',
  /** The best semantic compatibility score stayed under the dimension's threshold. */
  BELOW_THRESHOLD: 'BELOW_THRESHOLD',
  /** A known incompatible pair (such as "happy" and "sad"), vetoed whatever the similarity. */
  CONFLICT: 'CONFLICT',
  /** The request names this dimension and the item has no tag for it. */
  ATTR_MISSING: 'ATTR_MISSING',
} as const;

/** One of the stable reason codes. */
export type ReasonCode = keyof typeof REASON_CODES;

/**
 * Where a semantic score came from: the same term, two terms of one curated concept, concepts the
 * vocabulary says go together, concepts it says clash, concepts it knows but does not relate (the
 * model's similarity, lowered), or the model's similarity alone (a term no concept claims).
 * Stable codes, like reason codes.
 */
export const matchBasisSchema = z.enum(['EXACT', 'SAME_CONCEPT', 'COMPATIBLE_CONCEPTS', 'KNOWN_CLASH', 'UNRELATED_CONCEPTS', 'MODEL_SIMILARITY']);
/** Where a score came from. */
export type MatchBasis = z.infer<typeof matchBasisSchema>;

/** How a dimension is compared: exact terms, or semantic compatibility. */
export const matchModeSchema = z.enum(['exact', 'semantic']);
/** How a dimension was compared. */
export type MatchMode = z.infer<typeof matchModeSchema>;

const base = { dimension: z.enum(DIMENSIONS), requested: z.string(), mode: matchModeSchema };

/** Why one dimension rejected one item: data keyed by a stable `code`, worded by `describeReason`. */
export const reasonSchema = z.discriminatedUnion('code', [
  /** Exact matching found none of the requested terms. */
  z.strictObject({ ...base, code: z.literal('EXACT_MISMATCH'), actual: z.string() }),
  /** The closest pair's compatibility score stayed under the threshold. */
  z.strictObject({ ...base, code: z.literal('BELOW_THRESHOLD'), actual: z.string(), similarity: z.number(), threshold: z.number(), basis: matchBasisSchema.optional() }),
  /** The pair falls in concepts known to clash; `concepts` names them (requested, actual). */
  z.strictObject({ ...base, code: z.literal('CONFLICT'), actual: z.string(), similarity: z.number(), concepts: z.tuple([z.string(), z.string()]), basis: z.literal('KNOWN_CLASH').optional() }),
  /** The item has no tag for a requested dimension. */
  z.strictObject({ ...base, code: z.literal('ATTR_MISSING'), actual: z.null() }),
]);

/** Why one dimension rejected one item. */
export type Reason = z.infer<typeof reasonSchema>;

/** An English sentence for a reason, for command-line output and the debugger. */
export function describeReason(reason: Reason): string {
  switch (reason.code) {
    case 'EXACT_MISMATCH':
      return `${reason.dimension}: "${reason.actual}" is not "${reason.requested}"`;
    case 'BELOW_THRESHOLD':
      return `${reason.dimension}: "${reason.actual}" is ${reason.similarity.toFixed(2)} compatible with "${reason.requested}", under the threshold ${reason.threshold.toFixed(2)}${basisNote(reason.basis)}`;
    case 'CONFLICT':
      return `${reason.dimension}: "${reason.actual}" (${reason.concepts[1]}) clashes with "${reason.requested}" (${reason.concepts[0]})`;
    case 'ATTR_MISSING':
      return `${reason.dimension}: the item has no ${reason.dimension} tag, "${reason.requested}" was requested`;
  }
}

/** An English phrase for why a dimension accepted an item: the matching pair, its score and where the score came from. */
export function describeMatch(match: { dimension: string; requested: string; actual: string; score: number; mode: MatchMode; basis?: MatchBasis | undefined }): string {
  if (match.requested === match.actual) return `${match.dimension}: "${match.actual}" matches`;
  return `${match.dimension}: "${match.actual}" fits "${match.requested}" (${match.score.toFixed(2)})${basisNote(match.basis)}`;
}

const BASIS_WORDS: Readonly<Record<MatchBasis, string>> = {
  EXACT: 'the same term',
  SAME_CONCEPT: 'same concept',
  COMPATIBLE_CONCEPTS: 'concepts that go together',
  KNOWN_CLASH: 'concepts that clash',
  UNRELATED_CONCEPTS: 'model similarity, lowered: concepts not known to go together',
  MODEL_SIMILARITY: 'model similarity alone',
};

/** The basis in words after a description, so a 1.00 between two different words does not read as "identical". */
function basisNote(basis: MatchBasis | undefined): string {
  return basis === undefined ? '' : `: ${BASIS_WORDS[basis]}`;
}
