import { DIMENSIONS, type Dimension } from './dimensions.js';
import type { MatchMode } from './reasons.js';
import type { FilterOptionsInput } from './schemas.js';

/** How one dimension is compared in semantic mode. */
export interface DimensionSettings {
  readonly mode: MatchMode;
  /** Minimum compatibility score (0–1) for a semantic pass. */
  readonly threshold: number;
}

/** Filter options with every default filled in. */
export interface FilterOptions {
  readonly semantic: boolean;
  readonly dimensions: Readonly<Record<Dimension, DimensionSettings>>;
  /** Share of the semantic score in an item's overall score; the rest is the rule-based score. */
  readonly semanticWeight: number;
}

/** Thresholds tuned on the development set (`npm run eval` prints how they do). */
export const DEFAULT_THRESHOLDS: Readonly<Record<Dimension, number>> = { style: 0.55, occasion: 0.6, mood: 0.65 };

/** Default share of the semantic score in an item's overall score (30% semantic, 70% rule-based). */
export const DEFAULT_SEMANTIC_WEIGHT = 0.3;

/** Fills in defaults for options a caller left out. */
export function resolveOptions(input: FilterOptionsInput = {}): FilterOptions {
  const dimensions = Object.fromEntries(
    DIMENSIONS.map((dimension) => {
      const given = input.dimensions?.[dimension];
      return [dimension, { mode: given?.mode ?? 'semantic', threshold: given?.threshold ?? DEFAULT_THRESHOLDS[dimension] }];
    }),
  ) as Record<Dimension, DimensionSettings>;
  return { semantic: input.semantic ?? false, dimensions, semanticWeight: input.semanticWeight ?? DEFAULT_SEMANTIC_WEIGHT };
}
