/** When a placement is too weak to lean on: nearest centroid under `minStrength`, or ahead of the runner-up by less than `margin`. */
export interface AssignmentRule {
  readonly minStrength: number;
  readonly margin: number;
}

/**
 * A dimension's pair head: a logistic classifier over PAIR_FEATURES, trained at build time
 * (scripts/tune/train-heads.ts) on pairs the concept map implies plus the tuning half of the
 * open-vocabulary set, so its output reads as a probability that the pair is compatible.
 */
export interface PairHead {
  /** Spread of an unseen term's weights over the concepts (ConceptIndex placements): lower is nearer all-or-nothing. */
  readonly temperature: number;
  /** For pairs with a term the vocabulary does not know: one weight per PAIR_FEATURES entry, in that order, and the bias. */
  readonly placed: LogisticWeights;
  /**
   * For two curated anchors: `typical` scores the pair with the item read as if unseen (how typical
   * of its concept the model finds it), over the cheap features only (no pass over every anchor);
   * `offsets` shift that log-odds per relation of the two concepts, fitted on labelled anchor pairs,
   * so the vocabulary's relation grades the model's evidence instead of replacing it.
   */
  readonly seen: { readonly typical: LogisticWeights; readonly offsets: Readonly<Record<'same' | 'compatible' | 'unrelated', number>> };
  /** Placements weaker than this are not leaned on: a score resting on one is UNCERTAIN, never above `weakCeiling`, never a veto. */
  readonly weak: AssignmentRule;
  readonly weakCeiling: number;
  /** A pair resting on where the model placed an unseen term, scored strictly between these, is UNCERTAIN. */
  readonly uncertain: readonly [number, number];
  /** A sure placement in a concept that clashes with the request is vetoed when its score is under this. */
  readonly vetoBelow: number;
  /** The threshold with the fewest wrong verdicts (the larger of FRR and FAR) on the tuning half, out of fold: the dimension's default. */
  readonly threshold: number;
}

/** A logistic classifier's weights (one per PAIR_FEATURES entry, pair-features.ts) and bias. */
export interface LogisticWeights {
  readonly weights: readonly number[];
  readonly bias: number;
}

/** The log-odds that a pair with these features is compatible. */
export function headLogit(head: LogisticWeights, features: Float64Array): number {
  if (head.weights.length !== features.length) throw new Error(`a pair head needs one weight per feature (PAIR_FEATURES: ${features.length}), got ${head.weights.length}`);
  let logit = head.bias;
  for (let i = 0; i < features.length; i++) logit += head.weights[i]! * features[i]!;
  return logit;
}

/** A probability from log-odds. */
export function sigmoid(logit: number): number {
  return 1 / (1 + Math.exp(-logit));
}
