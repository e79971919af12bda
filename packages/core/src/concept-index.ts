import type { Dimension } from './dimensions.js';
import { cosine, type Vector, type VectorLookup } from './vectors.js';
import type { ConceptMap } from './vocabulary/concepts.js';

/** A term's nearest concept and how close it is (1 for one of the concept's own anchors). */
export interface ConceptMatch {
  readonly concept: string;
  readonly strength: number;
}

/** How concepts are assigned: the closest anchor must be this similar, and beat other concepts by the margin. */
export interface AssignmentRule {
  readonly minStrength: number;
  readonly margin: number;
  /** A concept's closeness is the mean of its this many closest anchors (1: the closest anchor alone). */
  readonly topK: number;
}

/** Relation of two concepts: the same, known to go together, known to clash, or neither. */
export type ConceptRelation = 'same' | 'compatible' | 'opposed' | 'unrelated';

/** One dimension's concepts with their anchors' vectors, ready to place unseen terms. */
export class ConceptIndex {
  private readonly anchors: { readonly concept: string; readonly term: string; readonly vector: Vector }[] = [];
  private readonly relations = new Map<string, ConceptRelation>();
  private readonly assigned = new Map<string, ConceptMatch | null>();
  /** Each anchor term's concept (the first that lists it), so placing an anchor costs no cosine. */
  private readonly anchorConcepts = new Map<string, string>();

  /** From the concept map: see ConceptMap.unrelated (no penalty when the map sets none). */
  readonly unrelated: NonNullable<ConceptMap['unrelated']>;

  /** Anchors without a vector are left out, so a partial vocabulary still works. */
  constructor(
    readonly dimension: Dimension,
    map: ConceptMap,
    vectors: VectorLookup,
    private readonly rule: AssignmentRule,
  ) {
    this.unrelated = map.unrelated ?? { penalty: 0, sureGap: 1 };
    for (const { id, anchors } of map.concepts) {
      for (const term of anchors) {
        const vector = vectors(term);
        if (vector === undefined) continue;
        this.anchors.push({ concept: id, term, vector });
        if (!this.anchorConcepts.has(term)) this.anchorConcepts.set(term, id);
      }
    }
    for (const [a, b] of map.compatible) this.relate(a, b, 'compatible');
    for (const [a, b] of map.opposed) this.relate(a, b, 'opposed');
    for (const [broad, narrow] of map.broader ?? []) this.relations.set(`${broad}\u0001${narrow}`, 'compatible');
  }

  /** The concept a term belongs to, or null when no concept is close enough or two are too close to call. */
  assign(term: string, vector: Vector): ConceptMatch | null {
    const cached = this.assigned.get(term);
    if (cached !== undefined) return cached;
    const own = this.anchorConcepts.get(term);
    if (own !== undefined) return this.remember(term, { concept: own, strength: 1 });
    const byConcept = new Map<string, number[]>();
    for (const anchor of this.anchors) {
      const list = byConcept.get(anchor.concept) ?? [];
      list.push(cosine(vector, anchor.vector));
      byConcept.set(anchor.concept, list);
    }
    const ranked = [...byConcept]
      .map(([concept, similarities]): [string, number] => [concept, meanOfTop(similarities, this.rule.topK)])
      .sort((a, b) => b[1] - a[1]);
    const [first, second] = ranked;
    const match =
      first !== undefined && first[1] >= this.rule.minStrength && (second === undefined || first[1] - second[1] >= this.rule.margin)
        ? { concept: first[0], strength: first[1] }
        : null;
    return this.remember(term, match);
  }

  private remember(term: string, match: ConceptMatch | null): ConceptMatch | null {
    this.assigned.set(term, match);
    return match;
  }

  /** How close a vector is to a concept: the mean cosine of its topK closest anchors. */
  closeness(concept: string, vector: Vector): number {
    const similarities = this.anchors.filter((a) => a.concept === concept).map((a) => cosine(vector, a.vector));
    return similarities.length === 0 ? -1 : meanOfTop(similarities, this.rule.topK);
  }

  /** How an item's concept relates to a requested one: symmetric, except that a broader request accepts a narrower item (ConceptMap.broader). */
  relation(requested: string, actual: string): ConceptRelation {
    if (requested === actual) return 'same';
    return this.relations.get(pairKey(requested, actual)) ?? this.relations.get(`${requested}\u0001${actual}`) ?? 'unrelated';
  }

  private relate(a: string, b: string, relation: ConceptRelation): void {
    this.relations.set(pairKey(a, b), relation);
  }
}

function meanOfTop(values: number[], k: number): number {
  const top = values.sort((a, b) => b - a).slice(0, k);
  return top.reduce((sum, v) => sum + v, 0) / top.length;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
