import type { Dimension } from './dimensions.js';

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

/** How a dimension was compared: exact terms, or semantic compatibility. */
export type MatchMode = 'exact' | 'semantic';

interface ReasonBase {
  readonly dimension: Dimension;
  readonly requested: string;
  /** How the dimension was compared when this decision was made. */
  readonly mode: MatchMode;
}

/** Exact matching found none of the requested terms; `actual` is the item's tags, comma-separated. */
export interface ExactMismatchReason extends ReasonBase {
  readonly code: 'EXACT_MISMATCH';
  readonly actual: string;
}

/** The closest pair's compatibility score stayed under the threshold. */
export interface BelowThresholdReason extends ReasonBase {
  readonly code: 'BELOW_THRESHOLD';
  readonly actual: string;
  readonly similarity: number;
  readonly threshold: number;
}

/** The closest pair falls in concepts known to clash (`concepts` names them). */
export interface ConflictReason extends ReasonBase {
  readonly code: 'CONFLICT';
  readonly actual: string;
  readonly similarity: number;
  readonly concepts: readonly [string, string];
}

/** The item has no tag for a requested dimension. */
export interface AttrMissingReason extends ReasonBase {
  readonly code: 'ATTR_MISSING';
  readonly actual: null;
}

/** Why one dimension rejected one item: data keyed by a stable `code`, worded by `describeReason`. */
export type Reason = ExactMismatchReason | BelowThresholdReason | ConflictReason | AttrMissingReason;

/** An English sentence for a reason, for command-line output and the debugger. */
export function describeReason(reason: Reason): string {
  switch (reason.code) {
    case 'EXACT_MISMATCH':
      return `${reason.dimension}: "${reason.actual}" is not "${reason.requested}"`;
    case 'BELOW_THRESHOLD':
      return `${reason.dimension}: "${reason.actual}" is ${reason.similarity.toFixed(2)} compatible with "${reason.requested}", under the threshold ${reason.threshold.toFixed(2)}`;
    case 'CONFLICT':
      return `${reason.dimension}: "${reason.actual}" (${reason.concepts[1]}) clashes with "${reason.requested}" (${reason.concepts[0]})`;
    case 'ATTR_MISSING':
      return `${reason.dimension}: the item has no ${reason.dimension} tag, "${reason.requested}" was requested`;
  }
}
