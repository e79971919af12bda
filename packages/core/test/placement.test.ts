import { beforeAll, describe, expect, it } from 'vitest';
import { CONCEPT_MAPS, ConceptIndex, comparePair, describeMatch, describeReason, judgePairs, type ConceptMap, type Embedder, type Vector } from '@semfilter/core';
import { realModel } from './model.js';

/** Hand-made unit vectors on three axes, so the arithmetic of placement can be checked by eye. */
function vector(x: number, y: number, z: number): Vector {
  const norm = Math.hypot(x, y, z);
  return Float32Array.from([x / norm, y / norm, z / norm]);
}

const map: ConceptMap = {
  concepts: [
    { id: 'calm', anchors: ['calm', 'serene'] },
    { id: 'cozy', anchors: ['cozy'] },
    { id: 'anxious', anchors: ['anxious'] },
  ],
  compatible: [['calm', 'cozy']],
  opposed: [['calm', 'anxious']],
  unseen: { weight: 10, evenLead: 0 },
};
const vectors: Record<string, Vector> = {
  calm: vector(1, 0, 0),
  serene: vector(1, 0.2, 0),
  cozy: vector(0, 1, 0),
  anxious: vector(0, 0, 1),
  // Unseen terms: one between calm and cozy, one a little nearer anxious than calm, one far from all.
  soothed: vector(1, 0.9, 0.1),
  restless: vector(0.9, 0, 1),
  far: vector(-1, -1, -1),
};
const lookup = (term: string): Vector | undefined => vectors[term];

describe('placing a term the vocabulary does not know (hand-made vectors)', () => {
  const index = new ConceptIndex('mood', map, lookup, { minStrength: 0.4, margin: 0 });

  it('takes a curated anchor at its word, and places an unseen term by the concept centroids', () => {
    expect(index.assign('serene', vectors.serene!)).toEqual({ concept: 'calm', strength: 1, placed: false });
    const soothed = index.assign('soothed', vectors.soothed!);
    expect(soothed).toMatchObject({ concept: 'calm', placed: true });
    expect(soothed!.strength).toBeCloseTo(index.closeness('calm', vectors.soothed!), 6);
    expect(index.assign('far', vectors.far!)).toBeNull();
  });

  it("leads toward the concepts a request accepts, and names a clash that sits at least as near", () => {
    const soothed = index.place('calm', 'soothed', vectors.soothed!)!;
    expect(soothed.clash).toBeNull();
    expect(soothed.lead).toBeGreaterThan(0.5); // calm and cozy both accepted, anxious far
    const restless = index.place('calm', 'restless', vectors.restless!)!;
    expect(restless.clash).toBe('anxious');
    expect(restless.lead).toBeLessThan(0);
    expect(index.place('calm', 'far', vectors.far!)).toBeNull();
  });

  it('scores an unseen term by its cosine moved by its lead, and says the model placed it', () => {
    const accepted = comparePair('calm', 'soothed', lookup, index);
    expect(accepted).toMatchObject({ kind: 'scored', basis: 'PLACED_CONCEPT' });
    if (accepted.kind !== 'scored') throw new Error('unreachable');
    expect(accepted.score).toBeGreaterThan(accepted.similarity);
    expect(comparePair('calm', 'restless', lookup, index)).toMatchObject({ kind: 'conflict', concepts: ['calm', 'anxious'], basis: 'PLACED_CONCEPT' });
    expect(comparePair('calm', 'far', lookup, index)).toMatchObject({ kind: 'scored', basis: 'MODEL_SIMILARITY' });
    expect(comparePair('calm', 'serene', lookup, index)).toMatchObject({ kind: 'scored', basis: 'SAME_CONCEPT' });
  });

  it('places an unseen request toward the concepts whose requests take the item, scored and never vetoed', () => {
    expect(index.placeRequest('cozy', 'soothed', vectors.soothed!)!.lead).toBeGreaterThan(0.5);
    const toward = comparePair('soothed', 'cozy', lookup, index);
    const away = comparePair('restless', 'serene', lookup, index);
    expect(toward).toMatchObject({ kind: 'scored', basis: 'PLACED_CONCEPT' });
    expect(away).toMatchObject({ kind: 'scored', basis: 'PLACED_CONCEPT' });
    if (toward.kind !== 'scored' || away.kind !== 'scored') throw new Error('unreachable');
    expect(toward.score).toBeGreaterThan(toward.similarity);
    expect(away.score).toBeLessThan(away.similarity);
  });

  it('keeps a broader concept directed: a broad request accepts a narrow item, not the reverse', () => {
    const directed = new ConceptIndex('mood', { ...map, broader: [['cozy', 'anxious']] }, lookup, { minStrength: 0.4, margin: 0 });
    expect(directed.relation('cozy', 'anxious')).toBe('compatible');
    expect(directed.relation('anxious', 'cozy')).toBe('unrelated');
  });
});

describe('placing unseen terms on the real model', () => {
  let embedder: Embedder;
  beforeAll(() => (embedder = realModel()));

  it('accepts unseen near-synonyms and vetoes unseen terms that land by a clashing concept, saying the model placed them', async () => {
    const pairs = [
      { dimension: 'mood', requested: 'calm', item: 'soothed', compatible: true },
      { dimension: 'mood', requested: 'happy', item: 'joyous', compatible: true },
      { dimension: 'occasion', requested: 'beach', item: 'sunbathing', compatible: true },
      { dimension: 'style', requested: 'sporty', item: 'sweatpants', compatible: true },
      { dimension: 'mood', requested: 'calm', item: 'frantic', compatible: false },
      { dimension: 'style', requested: 'formal', item: 'flip flops', compatible: false },
    ] as const;
    const vocabulary = new Set(Object.values(CONCEPT_MAPS).flatMap((m) => m.concepts.flatMap((c) => c.anchors)));
    for (const pair of pairs) expect(vocabulary.has(pair.item), `${pair.item} is meant to be unseen`).toBe(false);
    const { judgements } = await judgePairs(pairs, {}, { embedder });
    expect(judgements.map((j, i) => [pairs[i]!.item, j.semantic])).toEqual(pairs.map((p) => [p.item, p.compatible]));
    const frantic = judgements[4]!.reason;
    expect(frantic).toMatchObject({ code: 'CONFLICT', basis: 'PLACED_CONCEPT', concepts: ['calm', 'anxious'] });
    expect(describeReason(frantic!)).toBe('mood: "frantic" (not in the vocabulary; placed by the model near anxious) clashes with "calm" (calm)');
  });

  it('is the path every item term takes once it is out of the curated anchors, and its match says so in words', async () => {
    const withoutSerene = { ...CONCEPT_MAPS, mood: { ...CONCEPT_MAPS.mood, concepts: CONCEPT_MAPS.mood.concepts.map((c) => ({ ...c, anchors: c.anchors.filter((a) => a !== 'serene') })) } };
    const seen = await judgePairs([{ dimension: 'mood', requested: 'calm', item: 'serene' }], { dimensions: { mood: { threshold: 0 } } }, { embedder });
    const unseen = await judgePairs([{ dimension: 'mood', requested: 'calm', item: 'serene' }], { dimensions: { mood: { threshold: 0.99 } } }, { embedder, concepts: withoutSerene });
    expect(seen.judgements[0]).toMatchObject({ semantic: true, score: 1 });
    const reason = unseen.judgements[0]!.reason;
    expect(reason).toMatchObject({ code: 'BELOW_THRESHOLD', basis: 'PLACED_CONCEPT' });
    if (reason?.code !== 'BELOW_THRESHOLD') throw new Error('unreachable');
    // Placed near calm and its compatible concepts: the score is raised above the model's similarity.
    expect(reason.similarity).toBeGreaterThan(reason.model_similarity!);
    const match = { dimension: 'mood', requested: 'calm', actual: 'serene', score: reason.similarity, mode: 'semantic' as const, basis: reason.basis, model_similarity: reason.model_similarity };
    expect(describeMatch(match)).toBe(
      `mood: "serene" fits "calm" (${reason.similarity.toFixed(2)}): a term not in the vocabulary, placed by the model near concepts that go together (model similarity ${reason.model_similarity!.toFixed(2)}, raised to ${reason.similarity.toFixed(2)})`,
    );
  });
});
