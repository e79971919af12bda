import { z } from 'zod';
import { DIMENSIONS } from '../input/dimensions.js';

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
  /** The only verdicts were unsure (a term the model does not know well) and the host's policy turns unsure verdicts down. */
  UNCERTAIN: 'UNCERTAIN',
} as const;

/** One of the stable reason codes. */
export type ReasonCode = keyof typeof REASON_CODES;

/**
 * Where a semantic score came from: the same term (EXACT); two curated terms of one concept
 * (SAME_CONCEPT), of concepts the vocabulary says go together (COMPATIBLE_CONCEPTS), clash
 * (KNOWN_CLASH) or does not relate (UNRELATED_CONCEPTS); a term the vocabulary does not know that
 * the model placed among its concepts with confidence (PLACED_CONCEPT); a verdict whose evidence is
 * weak, because the model does not place the term with confidence or the score sits near even
 * (UNCERTAIN); the model's similarity alone (MODEL_SIMILARITY, kept for reports made before pair
 * heads). Every score but EXACT's is a pair head's calibrated probability. Stable codes, like reason codes.
 */
export const matchBasisSchema = z.enum(['EXACT', 'SAME_CONCEPT', 'COMPATIBLE_CONCEPTS', 'KNOWN_CLASH', 'UNRELATED_CONCEPTS', 'MODEL_SIMILARITY', 'PLACED_CONCEPT', 'UNCERTAIN']);
/** Where a score came from. */
export type MatchBasis = z.infer<typeof matchBasisSchema>;

/** How a dimension is compared: exact terms, or semantic compatibility. */
export const matchModeSchema = z.enum(['exact', 'semantic']);
/** How a dimension was compared. */
export type MatchMode = z.infer<typeof matchModeSchema>;

const base = { dimension: z.enum(DIMENSIONS), requested: z.string(), mode: matchModeSchema };

/** A scored pair's fields: its score (`similarity`, named so before scores were calibrated), the threshold, the basis and its evidence. */
const scoreFields = {
  similarity: z.number(),
  threshold: z.number(),
  basis: matchBasisSchema.optional(),
  /** The model's cosine of the two terms, which the pair head read with the rest. */
  model_similarity: z.number().optional(),
  /** The requested term's concept and the item term's. */
  concepts: z.tuple([z.string(), z.string()]).optional(),
  /** With basis UNCERTAIN: the term the model does not know well. */
  unsure: z.string().optional(),
};

/** Why one dimension rejected one item: data keyed by a stable `code`, worded by `describeReason`. */
export const reasonSchema = z.discriminatedUnion('code', [
  /** Exact matching found none of the requested terms. */
  z.strictObject({ ...base, code: z.literal('EXACT_MISMATCH'), actual: z.string() }),
  /**
   * The closest pair's compatibility score (`similarity`) stayed under the threshold; with basis
   * UNRELATED_CONCEPTS or PLACED_CONCEPT, `model_similarity` is the model's cosine before the
   * concepts raised or lowered it.
   */
  z.strictObject({ ...base, code: z.literal('BELOW_THRESHOLD'), actual: z.string(), ...scoreFields }),
  /**
   * The pair falls in concepts known to clash; `concepts` names them (requested, actual). With basis
   * PLACED_CONCEPT, the item term is not in the vocabulary and the model placed it at least as near
   * the second as any concept that goes with the first.
   */
  z.strictObject({ ...base, code: z.literal('CONFLICT'), actual: z.string(), similarity: z.number(), concepts: z.tuple([z.string(), z.string()]), basis: z.enum(['KNOWN_CLASH', 'PLACED_CONCEPT']).optional() }),
  /** The item has no tag for a requested dimension. */
  z.strictObject({ ...base, code: z.literal('ATTR_MISSING'), actual: z.null() }),
  /** The best verdict was unsure (basis UNCERTAIN, `unsure` names the term) and the `policy` turns unsure verdicts down. */
  z.strictObject({ ...base, code: z.literal('UNCERTAIN'), actual: z.string(), ...scoreFields, policy: z.enum(['reject', 'exact']) }),
]);

/** Why one dimension rejected one item. */
export type Reason = z.infer<typeof reasonSchema>;

/** An English sentence for a reason, for command-line output and the debugger. */
export function describeReason(reason: Reason): string {
  switch (reason.code) {
    case 'EXACT_MISMATCH':
      return `${reason.dimension}: "${reason.actual}" is not "${reason.requested}"`;
    case 'BELOW_THRESHOLD': {
      const verdict = reason.basis === 'UNCERTAIN' ? 'probably does not fit' : 'does not fit';
      return `${reason.dimension}: "${reason.actual}" ${verdict} "${reason.requested}" (${reason.similarity.toFixed(2)}, ${confidenceWords(reason.similarity)}, under the threshold ${reason.threshold.toFixed(2)})${basisNote(reason)}`;
    }
    case 'CONFLICT': {
      const [wanted, actual] = reason.concepts;
      const where = reason.basis === 'PLACED_CONCEPT' ? ` (not in the vocabulary; the model places it in ${actual})` : reason.actual === actual ? '' : ` (${actual})`;
      const request = reason.requested === wanted ? '' : ` (${wanted})`;
      return `${reason.dimension}: "${reason.actual}"${where} clashes with "${reason.requested}"${request}`;
    }
    case 'ATTR_MISSING':
      return `${reason.dimension}: the item has no ${reason.dimension} tag, "${reason.requested}" was requested`;
    case 'UNCERTAIN': {
      const rule = reason.policy === 'exact' ? 'unsure verdicts are compared exactly' : 'unsure verdicts are turned down';
      return `${reason.dimension}: unsure whether "${reason.actual}" fits "${reason.requested}" (${reason.similarity.toFixed(2)}): ${unknownTerm(reason.unsure ?? reason.actual)}; ${rule}`;
    }
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
  readonly concepts?: readonly [string, string] | undefined;
  readonly unsure?: string | undefined;
}

/** An English phrase for why a dimension accepted an item: the matching pair, its score and where the score came from. */
export function describeMatch(match: DescribedMatch): string {
  if (match.requested === match.actual) return `${match.dimension}: "${match.actual}" matches`;
  const verdict = match.basis === 'UNCERTAIN' ? 'probably fits' : 'fits';
  const sureness = match.basis === undefined || match.basis === 'EXACT' ? '' : `, ${confidenceWords(match.score)}`;
  return `${match.dimension}: "${match.actual}" ${verdict} "${match.requested}" (${match.score.toFixed(2)}${sureness})${basisNote(match)}`;
}

/** How sure a calibrated score is, in words: of the pairs scored about 0.8, about 80% are compatible. */
export function confidenceWords(score: number): string {
  if (score >= 0.9 || score <= 0.1) return 'sure';
  if (score >= 0.75 || score <= 0.25) return 'fairly sure';
  return 'unsure';
}

/** What a scored pair rests on, as the note after a description. */
interface Evidence {
  readonly requested: string;
  readonly basis?: MatchBasis | undefined;
  readonly model_similarity?: number | undefined;
  readonly concepts?: readonly [string, string] | undefined;
  readonly unsure?: string | undefined;
}

/**
 * The basis in words after a description, so a score between two different words never reads as
 * "identical", and a pass never says "unrelated": the concepts involved by name, the model's
 * similarity, and for an unsure verdict the term the model does not know well.
 */
function basisNote(evidence: Evidence): string {
  const [wanted, actual] = evidence.concepts ?? [evidence.requested, undefined];
  const similarity = evidence.model_similarity === undefined ? '' : `; model similarity ${evidence.model_similarity.toFixed(2)}`;
  switch (evidence.basis) {
    case undefined:
      return '';
    case 'EXACT':
      return ': the same term';
    case 'SAME_CONCEPT':
      return `: same concept as "${evidence.requested}"${wanted === evidence.requested ? '' : ` (${wanted})`}${similarity}`;
    case 'COMPATIBLE_CONCEPTS':
      return `: ${actual === undefined ? 'a concept' : actual} goes with ${wanted} in the vocabulary${similarity}`;
    case 'KNOWN_CLASH':
      return `: ${actual === undefined ? 'a concept' : actual} clashes with ${wanted} in the vocabulary`;
    case 'UNRELATED_CONCEPTS':
      return `: the vocabulary does not relate ${actual === undefined ? 'the two concepts' : `${actual} and ${wanted}`}, so the model's evidence decides, not its similarity alone${similarity}`;
    case 'MODEL_SIMILARITY':
      return ': model similarity alone';
    case 'PLACED_CONCEPT':
      return `: not in the vocabulary; the model places it ${actual === undefined ? 'among the concepts' : `in ${actual}`}${similarity}`;
    case 'UNCERTAIN':
      return `: ${unknownTerm(evidence.unsure ?? evidence.requested)}${similarity}`;
  }
}

function unknownTerm(term: string): string {
  return `"${term}" is not a term the model knows well`;
}
