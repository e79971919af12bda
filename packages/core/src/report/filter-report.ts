import { z } from 'zod';
import { DIMENSIONS } from '../input/dimensions.js';
import { matchBasisSchema, matchModeSchema, reasonSchema } from './reasons.js';

/** Why semantic mode is not active: stable codes, like reason codes. */
export const FALLBACK_REASONS = {
  /** Semantic mode was not asked for. */
  DISABLED: 'DISABLED',
  /** The model could not be loaded (files missing, worker failed, no embedder given). */
  MODEL_UNAVAILABLE: 'MODEL_UNAVAILABLE',
  /** The model did not answer within the timeout, or (once loaded) within the call's deadline. */
  TIMEOUT: 'TIMEOUT',
  /** The items or the request did not validate; `input_issues` says where. No item was filtered. */
  INVALID_INPUT: 'INVALID_INPUT',
  /**
   * The model was still loading at the call's deadline (browser facade, `deadlineMs`): tags the
   * vocabulary or the cache knows were judged by meaning, the rest compared exactly. The load goes on.
   */
  MODEL_LOADING: 'MODEL_LOADING',
} as const;

/** One of the fallback reason codes. */
export type FallbackReason = keyof typeof FALLBACK_REASONS;

/**
 * Why one dimension accepted one item: the pair that matched, its score (1 for an exact match),
 * where the score came from, and with basis UNRELATED_CONCEPTS or PLACED_CONCEPT the model's
 * similarity before the concepts lowered or raised it (`model_similarity`).
 */
export const matchSchema = z.strictObject({
  dimension: z.enum(DIMENSIONS),
  requested: z.string(),
  actual: z.string(),
  score: z.number(),
  mode: matchModeSchema,
  basis: matchBasisSchema.optional(),
  model_similarity: z.number().optional(),
  /** The requested term's concept and the item term's (where the model placed an unseen one). */
  concepts: z.tuple([z.string(), z.string()]).optional(),
  /** With basis UNCERTAIN: the term the model does not know well. */
  unsure: z.string().optional(),
});

/** Why one dimension accepted one item. */
export type Match = z.infer<typeof matchSchema>;

/**
 * One item's verdict: passed, its overall score, a reason for each dimension that rejected it,
 * and the match of each dimension that accepted it.
 */
export const itemVerdictSchema = z.strictObject({ id: z.string(), passed: z.boolean(), score: z.number(), reasons: z.array(reasonSchema), matches: z.array(matchSchema) });

/** One item's verdict. */
export type ItemVerdict = z.infer<typeof itemVerdictSchema>;

const perDimension = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(DIMENSIONS), value);

/** What one filter run decided, as DESIGN.md's report contract gives it (plus `dimension_modes`). */
export const reportSchema = z.strictObject({
  semantic_mode_active: z.boolean(),
  fallback_reason: z.enum(Object.keys(FALLBACK_REASONS) as [FallbackReason, ...FallbackReason[]]).nullable(),
  filter_pass_rate: z.number().min(0).max(1),
  rejection_reasons: z.array(z.enum(DIMENSIONS)),
  rejection_counts: perDimension(z.number().int().nonnegative()),
  /** Per semantic dimension, the items whose verdict there rests on an unsure pair (basis UNCERTAIN); absent in reports made before it. */
  uncertain_counts: perDimension(z.number().int().nonnegative()).optional(),
  /** How each requested dimension was compared in this run. */
  dimension_modes: perDimension(matchModeSchema),
  /** Passed items first, best score first; then rejected items in input order. */
  items: z.array(itemVerdictSchema),
  model: z.strictObject({ id: z.string(), dtype: z.string() }).nullable(),
  timings_ms: z.strictObject({ total: z.number(), embed: z.number().optional() }),
  /** Present only with fallback_reason INVALID_INPUT: each problem's place and what was expected. */
  input_issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});

/** An item the two modes decide differently, by id: each mode's verdict. */
export interface Flip {
  readonly id: string;
  readonly traditional: boolean;
  readonly semantic: boolean;
}

/** What one filter run decided. */
export type FilterReport = z.infer<typeof reportSchema>;

/** The report for input that did not validate: nothing filtered, every issue listed. */
export function invalidInputReport(issues: readonly { path: string; message: string }[]): FilterReport {
  return {
    semantic_mode_active: false,
    fallback_reason: 'INVALID_INPUT',
    filter_pass_rate: 0,
    rejection_reasons: [],
    rejection_counts: {},
    dimension_modes: {},
    items: [],
    model: null,
    timings_ms: { total: 0 },
    input_issues: [...issues],
  };
}
