import type { Dimension } from '../dimensions.js';
import { cosine, type Vector, type VectorLookup } from '../vectors.js';
import type { ConceptMap } from './vocabulary/concepts.js';

/** A term's concept and how close it is: 1 for one of the concept's own anchors; `placed` when the model put an unseen term there. */
export interface ConceptMatch {
  readonly concept: string;
  readonly strength: number;
  readonly placed: boolean;
}

/** How unseen terms are placed: the nearest concept centroid must be this similar, and beat the runner-up by the margin. */
export interface AssignmentRule {
  readonly minStrength: number;
  readonly margin: number;
}

/** Relation of two concepts: the same, known to go together, known to clash, or neither. */
export type ConceptRelation = 'same' | 'compatible' | 'opposed' | 'unrelated';

/**
 * Where the model puts an unseen item term relative to a requested concept: `lead` is how much
 * closer it sits to the nearest concept that goes with the request (the requested concept, one
 * compatible with it, or one it is broader than) than to the nearest concept that does not
 * (negative when another concept is nearer); `clash` is a concept that clashes with the request
 * and sits at least as near as every concept that goes with it (null when there is none).
 */
export interface Placement {
  readonly lead: number;
  readonly clash: string | null;
}

/** How a requested concept takes items of another: accepts them, clashes with them, or neither. */
const ACCEPTS = 1;
const CLASHES = -1;

/** One dimension's concepts with their anchors' vectors, ready to place unseen terms. */
export class ConceptIndex {
  /** Concept ids in map order, each one's anchors' vectors, and its centroid (their normalized mean) once needed. */
  private readonly ids: string[] = [];
  private readonly members: Vector[][] = [];
  private readonly centroids: (Vector | undefined)[] = [];
  private readonly relations = new Map<string, ConceptRelation>();
  /** Per requested concept (filled on first use), over `ids`: ACCEPTS (itself, compatible, narrower), CLASHES (opposed) or 0. */
  private readonly stances = new Map<string, Int8Array>();
  /** Per item concept (filled on first use), over `ids`: how a request for each concept takes its items (the columns of `stances`). */
  private readonly takenBy = new Map<string, Int8Array>();
  /** Per unseen term, its closeness to each concept (same order as `ids`). */
  private readonly profiles = new Map<string, Float64Array>();
  private readonly assigned = new Map<string, ConceptMatch | null>();
  /** Each anchor term's concept (the first that lists it), so placing an anchor costs no cosine. */
  private readonly anchorConcepts = new Map<string, string>();

  /** From the concept map: see ConceptMap.unrelated (no penalty when the map sets none). */
  readonly unrelated: NonNullable<ConceptMap['unrelated']>;
  /** From the concept map: see ConceptMap.unseen (the model's similarity alone when the map sets none). */
  readonly unseen: NonNullable<ConceptMap['unseen']>;

  /** Anchors without a vector are left out, so a partial vocabulary still works. */
  constructor(
    readonly dimension: Dimension,
    map: ConceptMap,
    vectors: VectorLookup,
    private readonly rule: AssignmentRule,
  ) {
    this.unrelated = map.unrelated ?? { penalty: 0, sureGap: 1 };
    this.unseen = map.unseen ?? { weight: 0, evenLead: 0 };
    for (const { id, anchors } of map.concepts) {
      const members: Vector[] = [];
      for (const term of anchors) {
        const vector = vectors(term);
        if (vector === undefined) continue;
        members.push(vector);
        if (!this.anchorConcepts.has(term)) this.anchorConcepts.set(term, id);
      }
      if (members.length === 0) continue;
      this.ids.push(id);
      this.members.push(members);
    }
    for (const [a, b] of map.compatible) this.relations.set(pairKey(a, b), 'compatible');
    for (const [a, b] of map.opposed) this.relations.set(pairKey(a, b), 'opposed');
    for (const [broad, narrow] of map.broader ?? []) this.relations.set(directedKey(broad, narrow), 'compatible');
  }

  /** The concept a term belongs to, or null when no concept is close enough or two are too close to call. */
  assign(term: string, vector: Vector): ConceptMatch | null {
    const cached = this.assigned.get(term);
    if (cached !== undefined) return cached;
    const own = this.anchorConcepts.get(term);
    if (own !== undefined) return this.remember(term, { concept: own, strength: 1, placed: false });
    const profile = this.profile(term, vector);
    let first = -1;
    let second = -1;
    for (let i = 0; i < profile.length; i++) {
      if (first === -1 || profile[i]! > profile[first]!) [first, second] = [i, first];
      else if (second === -1 || profile[i]! > profile[second]!) second = i;
    }
    const strength = first === -1 ? -1 : profile[first]!;
    const margin = second === -1 ? Infinity : strength - profile[second]!;
    const match = first !== -1 && strength >= this.rule.minStrength && margin >= this.rule.margin ? { concept: this.ids[first]!, strength, placed: true } : null;
    return this.remember(term, match);
  }

  /**
   * Where an unseen item term sits relative to a requested concept (see Placement), or null when
   * it is not close enough to any concept (the rule's minStrength) to be placed at all.
   */
  place(requestedConcept: string, term: string, vector: Vector): Placement | null {
    const stances = this.stanceRow(this.stances, requestedConcept, (other) => this.relation(requestedConcept, other));
    return stances === null ? null : this.placement(stances, term, vector);
  }

  /**
   * Where an unseen requested term sits relative to an item's concept: the lead is toward the
   * concepts whose requests accept that item (the reverse of `place`). Its `clash` is worked out
   * as there but not used as a veto: an unseen request is scored, never vetoed (comparePair).
   */
  placeRequest(itemConcept: string, term: string, vector: Vector): Placement | null {
    const stances = this.stanceRow(this.takenBy, itemConcept, (other) => this.relation(other, itemConcept));
    return stances === null ? null : this.placement(stances, term, vector);
  }

  /** A concept's row of stances toward every concept, from `cache` or computed once; null for an unknown concept. */
  private stanceRow(cache: Map<string, Int8Array>, concept: string, relationTo: (other: string) => ConceptRelation): Int8Array | null {
    if (!this.ids.includes(concept)) return null;
    let row = cache.get(concept);
    if (row === undefined) cache.set(concept, (row = Int8Array.from(this.ids, (other) => stance(relationTo(other)))));
    return row;
  }

  private placement(stances: Int8Array, term: string, vector: Vector): Placement | null {
    const profile = this.profile(term, vector);
    let nearest = -Infinity;
    let accepted = -Infinity;
    let other = -Infinity;
    let clash = -1;
    for (let i = 0; i < profile.length; i++) {
      const closeness = profile[i]!;
      nearest = Math.max(nearest, closeness);
      if (stances[i] === ACCEPTS) accepted = Math.max(accepted, closeness);
      else other = Math.max(other, closeness);
      if (stances[i] === CLASHES && (clash === -1 || closeness > profile[clash]!)) clash = i;
    }
    if (nearest < this.rule.minStrength) return null;
    // With every concept accepted (or none), nothing is nearer or farther: no lead either way.
    const lead = Number.isFinite(accepted) && Number.isFinite(other) ? accepted - other : 0;
    return { lead, clash: clash !== -1 && profile[clash]! >= accepted ? this.ids[clash]! : null };
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

  private profile(term: string, vector: Vector): Float64Array {
    let profile = this.profiles.get(term);
    if (profile === undefined) {
      profile = Float64Array.from(this.ids, (_, i) => cosine(vector, this.centroid(i)));
      this.profiles.set(term, profile);
    }
    return profile;
  }

  /**
   * A concept's centroid, computed on first use: a run whose tags are all curated anchors needs
   * only the requested concepts' (the unrelated-concepts penalty), so a cold start from the
   * vocabulary does not sum every anchor.
   */
  private centroid(i: number): Vector {
    let centroid = this.centroids[i];
    if (centroid === undefined) {
      const members = this.members[i]!;
      const sum = new Float32Array(members[0]!.length);
      for (const vector of members) for (let k = 0; k < sum.length; k++) sum[k]! += vector[k]!;
      this.centroids[i] = centroid = unit(sum);
    }
    return centroid;
  }

  private remember(term: string, match: ConceptMatch | null): ConceptMatch | null {
    this.assigned.set(term, match);
    return match;
  }
}

/** How a requested concept takes items of a concept so related. */
function stance(relation: ConceptRelation): number {
  if (relation === 'opposed') return CLASHES;
  return relation === 'same' || relation === 'compatible' ? ACCEPTS : 0;
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
