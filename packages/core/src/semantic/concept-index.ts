import type { Dimension } from '../input/dimensions.js';
import { cosine, type Vector, type VectorLookup } from '../model/vectors.js';
import type { PairHead } from './pair-head.js';
import type { ConceptMap } from './vocabulary/concepts.js';

/**
 * Where a term sits among a dimension's concepts. A curated anchor sits in its own concept
 * (`seen`, closeness 1, weight 1 there, or half in each of two concepts that both list it). A term
 * the vocabulary does not know is placed by the model: `weights` spread over the concepts by
 * closeness to their centroids (a softmax), `concept` is the nearest, `closeness` its cosine with
 * that centroid and `margin` how far ahead of the runner-up it is.
 */
export interface TermPlacement {
  readonly seen: boolean;
  readonly concept: string;
  readonly closeness: number;
  readonly margin: number;
  /** Over ConceptIndex.conceptIds, summing to 1. */
  readonly weights: Float64Array;
}

/** Relation of two concepts: the same, known to go together, known to clash, or neither. */
export type ConceptRelation = 'same' | 'compatible' | 'opposed' | 'unrelated';

/** How much each relation accepts, for picking the more accepting one. */
const ACCEPTANCE: Readonly<Record<ConceptRelation, number>> = { same: 3, compatible: 2, unrelated: 1, opposed: 0 };

/** How a request for one concept takes items of another. */
export const STANCE = { ACCEPTS: 1, NEUTRAL: 0, CLASHES: -1 } as const;

/** One dimension's concepts with their anchors' vectors: places terms, relates concepts, projects on the map's axes. */
export class ConceptIndex {
  private readonly ids: string[] = [];
  private readonly members: Vector[][] = [];
  private readonly centroids: (Vector | undefined)[] = [];
  private readonly relations = new Map<string, ConceptRelation>();
  /** Row = requested concept, column = item concept (indexes into `ids`), filled on first use. */
  private stanceTable: Int8Array | undefined;
  private axisVectors: Vector[] | undefined;
  private readonly placements = new Map<string, { vector: Vector; placement: TermPlacement }>();
  private readonly nearest = new Map<string, { vector: Vector; closeness: Float64Array }>();
  private anchorRows: { matrix: Float32Array; concept: Int32Array } | undefined;
  /** Each anchor term's concepts (most have one; a term that belongs to two is listed in both), so placing an anchor costs no cosine. */
  private readonly anchorConcepts = new Map<string, string[]>();

  /** Anchors without a vector are left out, so a partial vocabulary still works. `head` scores pairs and sets how unseen terms are placed. */
  constructor(
    readonly dimension: Dimension,
    private readonly map: ConceptMap,
    vectors: VectorLookup,
    readonly head: PairHead,
  ) {
    for (const { id, anchors } of map.concepts) {
      const members: Vector[] = [];
      for (const term of anchors) {
        const vector = vectors(term);
        if (vector === undefined) continue;
        members.push(vector);
        const concepts = this.anchorConcepts.get(term);
        if (concepts === undefined) this.anchorConcepts.set(term, [id]);
        else if (!concepts.includes(id)) concepts.push(id);
      }
      if (members.length === 0) continue;
      this.ids.push(id);
      this.members.push(members);
    }
    for (const [a, b] of map.compatible) this.relations.set(pairKey(a, b), 'compatible');
    for (const [a, b] of map.opposed) this.relations.set(pairKey(a, b), 'opposed');
    for (const [broad, narrow] of map.broader ?? []) this.relations.set(directedKey(broad, narrow), 'compatible');
  }

  /** The concepts with at least one anchor vector, in map order: the order of every placement's weights. */
  get conceptIds(): readonly string[] {
    return this.ids;
  }

  /**
   * Over conceptIds, a vector's cosine with each concept's nearest anchor (an anchor's own concepts
   * count 1); remembered per term while its vector stays the same. One pass over every anchor: the
   * placed head reads it, for item terms only.
   */
  nearestAnchors(term: string, vector: Vector): Float64Array {
    const cached = this.nearest.get(term);
    if (cached !== undefined && cached.vector === vector) return cached.closeness;
    this.anchorRows ??= this.packAnchors();
    const { matrix, concept } = this.anchorRows;
    const closeness = new Float64Array(this.ids.length).fill(-1);
    const length = vector.length;
    for (let row = 0, offset = 0; row < concept.length; row++, offset += length) {
      let dot = 0;
      for (let k = 0; k < length; k++) dot += vector[k]! * matrix[offset + k]!;
      if (dot > closeness[concept[row]!]!) closeness[concept[row]!] = dot;
    }
    for (const id of this.anchorConcepts.get(term) ?? []) closeness[this.ids.indexOf(id)] = 1;
    this.nearest.set(term, { vector, closeness });
    return closeness;
  }

  /** Every anchor vector in one contiguous array (the loop over it took half the time of a reduce over separate arrays, measured on a cold start), with each row's concept. */
  private packAnchors(): { matrix: Float32Array; concept: Int32Array } {
    const rows = this.members.reduce((sum, members) => sum + members.length, 0);
    const length = this.members[0]?.[0]?.length ?? 0;
    const matrix = new Float32Array(rows * length);
    const concept = new Int32Array(rows);
    let row = 0;
    this.members.forEach((members, i) => {
      for (const vector of members) {
        matrix.set(vector, row * length);
        concept[row++] = i;
      }
    });
    return { matrix, concept };
  }

  /** Whether a term is one of the curated anchors. */
  isAnchor(term: string): boolean {
    return this.anchorConcepts.has(term);
  }

  /**
   * Where a term sits (see TermPlacement); remembered per term while its vector stays the same.
   * `asUnseen` places an anchor by its vector as if the vocabulary did not list it: how typical of
   * its concept the model finds it, which grades a verdict between two anchors.
   */
  placement(term: string, vector: Vector, asUnseen = false): TermPlacement {
    const key = asUnseen ? `${term}\u0003` : term;
    const cached = this.placements.get(key);
    if (cached !== undefined && cached.vector === vector) return cached.placement;
    const placement = this.place(term, vector, asUnseen);
    this.placements.set(key, { vector, placement });
    return placement;
  }

  /** Whether an unseen term's placement is too weak to lean on (AssignmentRule); never for an anchor. */
  isWeak(placement: TermPlacement): boolean {
    const { minStrength, margin } = this.head.weak;
    return !placement.seen && (placement.closeness < minStrength || placement.margin < margin);
  }

  /** How a request for concept `requested` takes items of concept `actual`: a STANCE value. */
  stance(requested: number, actual: number): number {
    const n = this.ids.length;
    if (this.stanceTable === undefined) {
      const table = new Int8Array(n * n);
      for (let r = 0; r < n; r++) for (let a = 0; a < n; a++) table[r * n + a] = stanceOf(this.relation(this.ids[r]!, this.ids[a]!));
      this.stanceTable = table;
    }
    return this.stanceTable[requested * n + actual]!;
  }

  /** How close a vector is to a concept: the cosine with the concept's centroid (-1 for an unknown concept). */
  closeness(concept: string, vector: Vector): number {
    const i = this.ids.indexOf(concept);
    return i === -1 ? -1 : cosine(vector, this.centroid(i));
  }

  /** How an item's concept relates to a requested one: symmetric, except that a broader request accepts a narrower item (ConceptMap.broader). */
  relation(requested: string, actual: string): ConceptRelation {
    if (requested === actual) return 'same';
    return this.relations.get(pairKey(requested, actual)) ?? this.relations.get(directedKey(requested, actual)) ?? 'unrelated';
  }

  /**
   * The closest relation between two placed terms' concepts, over every concept either belongs to
   * (an anchor of two concepts takes the more accepting one), with the two concepts it holds
   * between; for unseen terms, between their nearest concepts.
   */
  relationOf(requested: TermPlacement, actual: TermPlacement): { relation: ConceptRelation; concepts: readonly [string, string] } {
    const own = (placement: TermPlacement) => (placement.seen ? this.ids.filter((_, i) => placement.weights[i]! > 0) : [placement.concept]);
    let best: { relation: ConceptRelation; concepts: readonly [string, string] } | undefined;
    for (const r of own(requested)) for (const a of own(actual)) {
      const relation = this.relation(r, a);
      if (best === undefined || ACCEPTANCE[relation] > ACCEPTANCE[best.relation]) best = { relation, concepts: [r, a] };
    }
    return best!;
  }

  /**
   * Where a vector falls along each of the map's axes (ConceptMap.axes): its cosine with the
   * direction from the negative pole's centroid to the positive one's. Opposites that embed close
   * together ("calm", "wired") still fall on either side.
   */
  axisPositions(vector: Vector): number[] {
    this.axisVectors ??= (this.map.axes ?? []).map((axis) => {
      const pole = (ids: readonly string[]): Vector[] => ids.map((id) => this.ids.indexOf(id)).filter((i) => i !== -1).map((i) => this.centroid(i));
      const positive = pole(axis.positive);
      const negative = pole(axis.negative);
      // A pole none of whose concepts has vectors leaves the axis flat: every position 0.
      if (positive.length === 0 || negative.length === 0) return new Float32Array(vector.length);
      const [plus, minus] = [mean(positive), mean(negative)];
      return unit(plus.map((value, k) => value - minus[k]!));
    });
    return this.axisVectors.map((axis) => cosine(vector, axis));
  }

  private place(term: string, vector: Vector, asUnseen: boolean): TermPlacement {
    const n = this.ids.length;
    const own = asUnseen ? undefined : this.anchorConcepts.get(term);
    if (own !== undefined) {
      // An anchor of two concepts weighs half in each; its first concept names it.
      const weights = new Float64Array(n);
      for (const id of own) weights[this.ids.indexOf(id)] = 1 / own.length;
      return { seen: true, concept: own[0]!, closeness: 1, margin: 1, weights };
    }
    const profile = Float64Array.from(this.ids, (_, i) => cosine(vector, this.centroid(i)));
    let first = 0;
    let second = -1;
    for (let i = 1; i < n; i++) {
      if (profile[i]! > profile[first]!) [first, second] = [i, first];
      else if (second === -1 || profile[i]! > profile[second]!) second = i;
    }
    const weights = profile.map((closeness) => Math.exp((closeness - profile[first]!) / this.head.temperature));
    const total = weights.reduce((sum, w) => sum + w, 0);
    for (let i = 0; i < n; i++) weights[i]! /= total;
    return { seen: false, concept: this.ids[first]!, closeness: profile[first]!, margin: second === -1 ? 1 : profile[first]! - profile[second]!, weights };
  }

  /** A concept's centroid (its anchors' normalized mean), computed on first use so a cold start does not sum every anchor. */
  private centroid(i: number): Vector {
    let centroid = this.centroids[i];
    if (centroid === undefined) this.centroids[i] = centroid = mean(this.members[i]!);
    return centroid;
  }
}

function stanceOf(relation: ConceptRelation): number {
  if (relation === 'opposed') return STANCE.CLASHES;
  return relation === 'same' || relation === 'compatible' ? STANCE.ACCEPTS : STANCE.NEUTRAL;
}

/** The normalized mean of unit vectors. */
function mean(vectors: readonly Vector[]): Vector {
  const sum = new Float32Array(vectors[0]!.length);
  for (const vector of vectors) for (let k = 0; k < sum.length; k++) sum[k]! += vector[k]!;
  return unit(sum);
}

function unit(sum: Float32Array): Vector {
  const norm = Math.sqrt(cosine(sum, sum)) || 1;
  return sum.map((value) => value / norm);
}

/** Key of an unordered concept pair (compatible, opposed). */
function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Key of an ordered concept pair (broader: the first accepts the second, not the reverse). */
function directedKey(from: string, to: string): string {
  return `${from}\u0001${to}`;
}
