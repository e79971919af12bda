import { cosine, type Vector, type VectorLookup } from '../model/vectors.js';
import { STANCE, type ConceptIndex, type TermPlacement } from './concept-index.js';
import { phraseHead } from './phrase-head.js';

/**
 * What the pair head reads of two terms, in this order (the shipped weights follow it). Soft
 * concept relations weigh every pair of concepts the two terms may belong to by their placements'
 * weights; an anchor counts wholly for its own concept.
 */
export const PAIR_FEATURES = [
  'cosine',
  'accepts',
  'same concept',
  'clashes',
  'item closeness',
  'item margin',
  'head accepts',
  'head clashes',
  'axis agreement',
  'axis opposition',
  'closeness to the requested concept',
  'request seen',
  'accepts × item margin',
  'clashes × item margin',
  'nearest accepted anchor',
  'nearest other anchor',
  'nearest clashing anchor',
  'head similarity',
] as const;

/** A placement's margin over its runner-up, as a share of the margin past which it counts as clear (an anchor's is 1). */
const CLEAR_MARGIN = 0.15;

/** The two terms' placements and vectors' readings that the features are made of. */
export interface PairReadings {
  readonly similarity: number;
  readonly requested: TermPlacement;
  readonly item: TermPlacement;
  /** The item's phrase head placed on its own (phraseHead), or null for a single word. */
  readonly itemHead: TermPlacement | null;
  /** The model's similarity of the two terms as read with their phrase heads (the terms themselves for single words). */
  readonly headSimilarity: number;
  readonly requestedAxes: readonly number[];
  readonly itemAxes: readonly number[];
  /** The item vector's closeness to the centroid of the requested term's concept. */
  readonly itemToRequestedConcept: number;
  /** Over conceptIds, the item's cosine with each concept's nearest anchor (ConceptIndex.nearestAnchors): one pass over every anchor, so computed only when read. */
  readonly itemNearest: () => Float64Array;
}

/**
 * A multi-word item tag is read as its phrase pulled halfway toward its head (the normalized sum
 * of the two vectors): a near-additive "seaside wedding" otherwise sits between seaside and
 * wedding, and a strong place concept captures it.
 */
const headed = new WeakMap<Vector, { head: Vector; mixed: Vector }>();

function towardHead(phrase: Vector, head: Vector): Vector {
  const known = headed.get(phrase);
  if (known !== undefined && known.head === head) return known.mixed;
  const sum = phrase.map((value, k) => value + head[k]!);
  const norm = Math.sqrt(cosine(sum, sum)) || 1;
  const mixed = sum.map((value) => value / norm);
  headed.set(phrase, { head, mixed });
  return mixed;
}

/** A term's vector, pulled toward its phrase head's when it is a multi-word term the vocabulary does not know and the head's vector was computed. */
function headedVector(index: ConceptIndex, term: string, vector: Vector, vectors: VectorLookup): { vector: Vector; head: string | null; headVector: Vector | undefined } {
  const head = index.isAnchor(term) ? null : phraseHead(term);
  const headVector = head === null ? undefined : vectors(head);
  return { vector: headVector === undefined ? vector : towardHead(vector, headVector), head, headVector };
}

/**
 * Reads two terms with their vectors: placements (multi-word unknown terms by phrase and head;
 * prepareSemantic embeds heads), axes. `itemAsUnseen` places an anchor item by its vector alone
 * (ConceptIndex.placement), as the verdict between two anchors does.
 */
export function readPair(index: ConceptIndex, requested: string, requestedVector: Vector, actual: string, actualVector: Vector, vectors: VectorLookup, itemAsUnseen = false): PairReadings {
  const wantedRead = headedVector(index, requested, requestedVector, vectors);
  const itemRead = headedVector(index, actual, actualVector, vectors);
  const wanted = index.placement(requested, wantedRead.vector);
  return {
    similarity: cosine(requestedVector, actualVector),
    requested: wanted,
    item: index.placement(actual, itemRead.vector, itemAsUnseen),
    itemHead: itemRead.headVector === undefined ? null : index.placement(itemRead.head!, itemRead.headVector),
    headSimilarity: cosine(wantedRead.vector, itemRead.vector),
    requestedAxes: index.axisPositions(wantedRead.vector),
    itemAxes: index.axisPositions(itemRead.vector),
    itemToRequestedConcept: index.closeness(wanted.concept, itemRead.vector),
    itemNearest: () => index.nearestAnchors(actual, itemRead.vector),
  };
}

/**
 * The PAIR_FEATURES of two terms. `cheap` leaves the nearest-anchor features at 0 without the pass
 * over every anchor: the seen head, which scores two anchors, reads none of them.
 */
export function pairFeatures(index: ConceptIndex, readings: PairReadings, cheap = false): Float64Array {
  const { requested, item, itemHead } = readings;
  const relations = softRelations(index, requested, item);
  const head = itemHead === null ? relations : softRelations(index, requested, itemHead);
  let agreement = 0;
  let opposition = 0;
  readings.requestedAxes.forEach((position, k) => {
    const product = position * readings.itemAxes[k]!;
    agreement = Math.max(agreement, product);
    opposition = Math.max(opposition, -product);
  });
  const margin = Math.min(1, item.margin / CLEAR_MARGIN);
  const anchors = cheap ? { accepted: 0, other: 0, clashing: 0 } : nearestAnchors(index, requested, readings.itemNearest());
  return Float64Array.of(
    readings.similarity,
    relations.accepts,
    relations.same,
    relations.clashes,
    item.closeness,
    margin,
    head.accepts,
    head.clashes,
    agreement,
    opposition,
    readings.itemToRequestedConcept,
    requested.seen ? 1 : 0,
    relations.accepts * margin,
    relations.clashes * margin,
    anchors.accepted,
    anchors.other,
    anchors.clashing,
    readings.headSimilarity,
  );
}

/** The item's closest anchor in a concept the request's concept accepts, in one it does not, and in one it clashes with (0 when none clashes). */
function nearestAnchors(index: ConceptIndex, requested: TermPlacement, itemNearest: Float64Array): { accepted: number; other: number; clashing: number } {
  const r = index.conceptIds.indexOf(requested.concept);
  let accepted = -1;
  let other = -1;
  let clashing = 0;
  itemNearest.forEach((closeness, a) => {
    const stance = index.stance(r, a);
    if (stance === STANCE.ACCEPTS) accepted = Math.max(accepted, closeness);
    else other = Math.max(other, closeness);
    if (stance === STANCE.CLASHES) clashing = Math.max(clashing, closeness);
  });
  return { accepted, other, clashing };
}

/** How much of the two placements' weight falls on concept pairs the request accepts, on the same concept, and on clashing ones. */
function softRelations(index: ConceptIndex, requested: TermPlacement, item: TermPlacement): { accepts: number; same: number; clashes: number } {
  let accepts = 0;
  let same = 0;
  let clashes = 0;
  const n = index.conceptIds.length;
  for (let r = 0; r < n; r++) {
    const wr = requested.weights[r]!;
    if (wr < 1e-4) continue;
    for (let a = 0; a < n; a++) {
      const w = wr * item.weights[a]!;
      if (w < 1e-6) continue;
      const stance = index.stance(r, a);
      if (stance === STANCE.ACCEPTS) accepts += w;
      else if (stance === STANCE.CLASHES) clashes += w;
      if (r === a) same += w;
    }
  }
  return { accepts, same, clashes };
}
