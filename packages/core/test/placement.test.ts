import { describe, expect, it } from 'vitest';
import { ConceptIndex, comparePair, PAIR_FEATURES, phraseHead, type ConceptMap, type PairHead, type Vector } from '@semfilter/core';

/** Hand-made unit vectors on three axes, so the arithmetic of placement can be checked by eye. */
function vector(x: number, y: number, z: number): Vector {
  const norm = Math.hypot(x, y, z);
  return Float32Array.from([x / norm, y / norm, z / norm]);
}

/**
 * A hand-set head, not a trained one: its score rises with the weight the two placements put on
 * concept pairs the request accepts and falls with clashing ones, so the rules around the head
 * (weak placements, vetoes, the unsure band) can be read off the numbers.
 */
const weights = PAIR_FEATURES.map((name) => (name === 'accepts' ? 8 : name === 'clashes' ? -8 : 0));
const handSetHead: PairHead = {
  temperature: 0.05,
  placed: { weights, bias: -4 },
  seen: { typical: { weights, bias: -4 }, offsets: { same: 0, compatible: 0, unrelated: 0 } },
  weak: { minStrength: 0.5, margin: 0.05 },
  weakCeiling: 0.85,
  uncertain: [0.35, 0.65],
  vetoBelow: 0.1,
  threshold: 0.5,
};

const map: ConceptMap = {
  concepts: [
    { id: 'calm', anchors: ['calm', 'serene', 'hushed'] },
    { id: 'cozy', anchors: ['cozy', 'hushed'] },
    { id: 'anxious', anchors: ['anxious'] },
  ],
  compatible: [['calm', 'cozy']],
  opposed: [['calm', 'anxious']],
};
const vectors: Record<string, Vector> = {
  calm: vector(1, 0, 0),
  serene: vector(1, 0.2, 0),
  hushed: vector(0.7, 0.7, 0),
  cozy: vector(0, 1, 0),
  anxious: vector(0, 0, 1),
  // Unseen terms: one near calm, one plainly by anxious, one tied between calm and anxious, one far from all.
  soothed: vector(1, 0.3, 0.05),
  frantic: vector(0.1, 0, 1),
  torn: vector(1, 0.1, 1),
  far: vector(-1, -1, -1),
};
const lookup = (term: string): Vector | undefined => vectors[term];
const index = new ConceptIndex('mood', map, lookup, handSetHead);

describe('placing terms among the concepts (hand-made vectors, hand-set head)', () => {
  it('takes an anchor at its word, splits an anchor of two concepts, and spreads an unseen term by closeness', () => {
    const serene = index.placement('serene', vectors.serene!);
    expect(serene).toMatchObject({ seen: true, concept: 'calm', closeness: 1 });
    expect([...serene.weights]).toEqual([1, 0, 0]);
    expect([...index.placement('hushed', vectors.hushed!).weights]).toEqual([0.5, 0.5, 0]);
    const soothed = index.placement('soothed', vectors.soothed!);
    expect(soothed).toMatchObject({ seen: false, concept: 'calm' });
    expect(soothed.closeness).toBeCloseTo(index.closeness('calm', vectors.soothed!), 6);
    expect(soothed.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(soothed.weights[0]).toBeGreaterThan(0.9);
  });

  it('calls a placement weak when it is far from every concept or nearly tied', () => {
    expect(index.isWeak(index.placement('soothed', vectors.soothed!))).toBe(false);
    expect(index.isWeak(index.placement('far', vectors.far!))).toBe(true);
    expect(index.isWeak(index.placement('torn', vectors.torn!))).toBe(true);
    expect(index.isWeak(index.placement('calm', vectors.calm!))).toBe(false);
  });

  it('takes the more accepting relation for an anchor of two concepts', () => {
    expect(index.relationOf(index.placement('calm', vectors.calm!), index.placement('hushed', vectors.hushed!))).toEqual({ relation: 'same', concepts: ['calm', 'calm'] });
    expect(index.relationOf(index.placement('cozy', vectors.cozy!), index.placement('anxious', vectors.anxious!)).relation).toBe('unrelated');
  });
});

describe('what a verdict may rest on (hand-made vectors, hand-set head)', () => {
  it('vetoes two anchors of clashing concepts, and an unseen term only when it is surely placed in one', () => {
    expect(comparePair('calm', 'anxious', lookup, index)).toMatchObject({ kind: 'conflict', basis: 'KNOWN_CLASH', concepts: ['calm', 'anxious'] });
    expect(comparePair('calm', 'frantic', lookup, index)).toMatchObject({ kind: 'conflict', basis: 'PLACED_CONCEPT', concepts: ['calm', 'anxious'] });
  });

  it('never vetoes, nor scores above the ceiling, a term it cannot place with confidence: that is UNCERTAIN and names the term', () => {
    for (const term of ['torn', 'far']) {
      const verdict = comparePair('calm', term, lookup, index);
      expect(verdict).toMatchObject({ kind: 'scored', basis: 'UNCERTAIN', unsure: term });
      if (verdict.kind === 'scored') expect(verdict.score).toBeLessThanOrEqual(handSetHead.weakCeiling);
    }
  });

  it('scores a surely placed unseen term by the head and names both concepts', () => {
    const soothed = comparePair('calm', 'soothed', lookup, index);
    expect(soothed).toMatchObject({ kind: 'scored', basis: 'PLACED_CONCEPT', concepts: ['calm', 'calm'] });
    if (soothed.kind === 'scored') expect(soothed.score).toBeGreaterThan(0.9);
    expect(comparePair('calm', 'serene', lookup, index)).toMatchObject({ kind: 'scored', basis: 'SAME_CONCEPT' });
    expect(comparePair('calm', 'calm', lookup, index)).toEqual({ kind: 'scored', score: 1, similarity: 1, basis: 'EXACT' });
  });
});

describe('phrase heads', () => {
  it('reads a multi-word tag by its head: the last word, the word before a preposition, or the words before a light last word', () => {
    expect(phraseHead('vineyard wedding')).toBe('wedding');
    expect(phraseHead('dinner with the team')).toBe('dinner');
    expect(phraseHead('festival vibes')).toBe('festival');
    expect(phraseHead('main character energy')).toBe('main character');
    expect(phraseHead('calm')).toBeNull();
  });
});
