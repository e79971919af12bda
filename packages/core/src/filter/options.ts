import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import type { MatchMode } from '../report/reasons.js';
import type { FilterOptionsInput } from '../input/schemas.js';
import { PAIR_HEADS } from '../semantic/pair-heads.generated.js';

/**
 * What a filter does with an unsure verdict (basis UNCERTAIN: it rests on where the model placed a
 * term it does not know well): `threshold` compares its score with the threshold like any other;
 * `accept` lets it pass; `reject` fails it with reason UNCERTAIN; `exact` compares the two terms
 * exactly, as the traditional filter would (two different terms fail, with reason UNCERTAIN).
 */
export type UncertainPolicy = 'threshold' | 'accept' | 'reject' | 'exact';

/** How one dimension is compared in semantic mode. */
export interface DimensionSettings {
  readonly mode: MatchMode;
  /** Minimum compatibility score (0–1) for a semantic pass. */
  readonly threshold: number;
  readonly uncertain: UncertainPolicy;
}

/** Filter options with every default filled in. */
export interface FilterOptions {
  readonly semantic: boolean;
  readonly dimensions: Readonly<Record<Dimension, DimensionSettings>>;
  /** Share of the semantic score in an item's overall score; the rest is the rule-based score. */
  readonly semanticWeight: number;
}

/**
 * Thresholds on the pair heads' calibrated scores, chosen on the tuning half of the open-vocabulary
 * set (scripts/tune/train-heads.ts; `npm run eval` prints how they do on the held-out half).
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<Dimension, number>> = { style: PAIR_HEADS.style.threshold, occasion: PAIR_HEADS.occasion.threshold, mood: PAIR_HEADS.mood.threshold };

/** The default policy for unsure verdicts: the one with the fewest wrong verdicts on the tuning half (`npm run eval` prints all four on the held-out half). */
export const DEFAULT_UNCERTAIN_POLICY: UncertainPolicy = 'threshold';

/** Default share of the semantic score in an item's overall score (30% semantic, 70% rule-based). */
export const DEFAULT_SEMANTIC_WEIGHT = 0.3;

/** Fills in defaults for options a caller left out. */
export function resolveOptions(input: FilterOptionsInput = {}): FilterOptions {
  const dimensions = Object.fromEntries(
    DIMENSIONS.map((dimension) => {
      const given = input.dimensions?.[dimension];
      const uncertain = given?.uncertain ?? input.uncertain ?? DEFAULT_UNCERTAIN_POLICY;
      return [dimension, { mode: given?.mode ?? 'semantic', threshold: given?.threshold ?? DEFAULT_THRESHOLDS[dimension], uncertain }];
    }),
  ) as Record<Dimension, DimensionSettings>;
  return { semantic: input.semantic ?? false, dimensions, semanticWeight: input.semanticWeight ?? DEFAULT_SEMANTIC_WEIGHT };
}
