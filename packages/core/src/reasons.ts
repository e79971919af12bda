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
 * model's similarity, lowered), the model's similarity alone (a term too far from every concept),
 * or a term the vocabulary does not know that the model placed among its concepts (PLACED_CONCEPT:
 * the vocabulary's relations for the concepts it landed near, with the model's similarity).
 * Stable codes, like reason codes.
 */
export const matchBasisSchema = z.enum(['EXACT', 'SAME_CONCEPT', 'COMPATIBLE_CONCEPTS', 'KNOWN_CLASH', 'UNRELATED_CONCEPTS', 'MODEL_SIMILARITY', 'PLACED_CONCEPT']);
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
  /**
   * The closest pair's compatibility score (`similarity`) stayed under the threshold; with basis
   * UNRELATED_CONCEPTS or PLACED_CONCEPT, `model_similarity` is the model's cosine before the
   * concepts raised or lowered it.
   */
  z.strictObject({ ...base, code: z.literal('BELOW_THRESHOLD'), actual: z.string(), similarity: z.number(), threshold: z.number(), basis: matchBasisSchema.optional(), model_similarity: z.number().optional() }),
  /**
   * The pair falls in concepts known to clash; `concepts` names them (requested, actual). With basis
   * PLACED_CONCEPT, the item term is not in the vocabulary and the model placed it at least as near
   * the second as any concept that goes with the first.
   */
  z.strictObject({ ...base, code: z.literal('CONFLICT'), actual: z.string(), similarity: z.number(), concepts: z.tuple([z.string(), z.string()]), basis: z.enum(['KNOWN_CLASH', 'PLACED_CONCEPT']).optional() }),
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
      return `${reason.dimension}: "${reason.actual}" does not fit "${reason.requested}" (${reason.similarity.toFixed(2)}, under the threshold ${reason.threshold.toFixed(2)})${basisNote(reason.basis, reason.requested, reason.similarity, reason.model_similarity)}`;
    case 'CONFLICT':
      return `${reason.dimension}: "${reason.actual}" (${reason.basis === 'PLACED_CONCEPT' ? `not in the vocabulary; placed by the model near ${reason.concepts[1]}` : reason.concepts[1]}) clashes with "${reason.requested}" (${reason.concepts[0]})`;
    case 'ATTR_MISSING':
      return `${reason.dimension}: the item has no ${reason.dimension} tag, "${reason.requested}" was requested`;
  }
}

/** What describeMatch reads of a match (a report's match, or a judgement's). */
export interface DescribedMatch {
  readonly dimension: string;
  readonly requested: string;
  readonly actual: string;
  readonly score: number;
  readonly mode: MatchMode;
  readonly basis?: MatchBasis | undefined;
  readonly model_similarity?: number | undefined;
}

/** An English phrase for why a dimension accepted an item: the matching pair, its score and where the score came from. */
export function describeMatch(match: DescribedMatch): string {
  if (match.requested === match.actual) return `${match.dimension}: "${match.actual}" matches`;
  return `${match.dimension}: "${match.actual}" fits "${match.requested}" (${match.score.toFixed(2)})${basisNote(match.basis, match.requested, match.score, match.model_similarity)}`;
}

/**
 * The basis in words after a description, so a 1.00 between two different words never reads as
 * "identical": "same concept as "calm"", or the model's similarity and what lowered it.
 */
function basisNote(basis: MatchBasis | undefined, requested: string, score: number, modelSimilarity: number | undefined): string {
  switch (basis) {
    case undefined:
      return '';
    case 'EXACT':
      return ': the same term';
    case 'SAME_CONCEPT':
      return `: same concept as "${requested}"`;
    case 'COMPATIBLE_CONCEPTS':
      return `: a concept that goes with "${requested}"`;
    case 'KNOWN_CLASH':
      return `: a concept that clashes with "${requested}"`;
    case 'UNRELATED_CONCEPTS':
      return modelSimilarity === undefined
        ? ': model similarity, lowered (unrelated concepts)'
        : `: model similarity ${modelSimilarity.toFixed(2)}, lowered to ${score.toFixed(2)} (unrelated concepts)`;
    case 'MODEL_SIMILARITY':
      return ': model similarity alone';
    case 'PLACED_CONCEPT':
      return placedNote(score, modelSimilarity);
  }
}

/**
 * A term the vocabulary does not know (requested or item), placed by the model: near concepts that
 * go together (the score raised from the model's similarity) or nearer concepts that do not (lowered).
 */
function placedNote(score: number, modelSimilarity: number | undefined): string {
  const apart = modelSimilarity !== undefined && score < modelSimilarity;
  const where = apart ? 'nearer concepts that do not go together' : 'near concepts that go together';
  if (modelSimilarity === undefined) return `: a term not in the vocabulary, placed by the model ${where}`;
  const change = score.toFixed(2) === modelSimilarity.toFixed(2) ? '' : `, ${apart ? 'lowered' : 'raised'} to ${score.toFixed(2)}`;
  return `: a term not in the vocabulary, placed by the model ${where} (model similarity ${modelSimilarity.toFixed(2)}${change})`;
}
