import { beforeAll, describe, expect, it } from 'vitest';
import { CONCEPT_MAPS, cosine, DIMENSIONS, embeddingText, MODEL_REVISION, TERM_ALIASES } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';
import { requireModel } from './model.js';
import { vocabularyHeader, vocabularyPack } from './support/vocabulary-pack.js';

const pack = vocabularyPack();

describe('the embedded vocabulary', () => {
  beforeAll(requireModel);

  it('covers every concept anchor and alias target, phrased per dimension, for this model revision', () => {
    const missing: string[] = [];
    for (const dimension of DIMENSIONS) {
      const terms = [...CONCEPT_MAPS[dimension].concepts.flatMap((c) => c.anchors), ...Object.values(TERM_ALIASES)];
      for (const term of terms) if (pack.get(embeddingText(dimension, term)) === undefined) missing.push(`${dimension}: ${term}`);
    }
    expect(missing, 'run scripts/vocabulary/build-pack.ts after changing the vocabulary').toEqual([]);
    expect(pack.size).toBeGreaterThanOrEqual(400);
    expect([pack.model, pack.revision, pack.dtype]).toEqual(['Xenova/all-MiniLM-L6-v2', MODEL_REVISION, 'fp32']);
  });

  it('agrees with the live model: cosine ≥ 0.99 for every entry', async () => {
    const texts = vocabularyHeader().texts;
    const live = await createNodeEmbedder().embed(texts);
    const cosines = texts.map((text, i) => cosine(pack.get(text)!, live[i]!));
    const min = Math.min(...cosines);
    console.log(`vocabulary pack: ${texts.length} vectors, min cosine to the live model ${min.toFixed(6)}, mean ${(cosines.reduce((a, b) => a + b, 0) / cosines.length).toFixed(6)}`);
    expect(min).toBeGreaterThanOrEqual(0.99);
  });

  it('relates only concepts it has, never both ways, and lists a term in two concepts only where they do not clash', () => {
    const problems: string[] = [];
    for (const dimension of DIMENSIONS) {
      const map = CONCEPT_MAPS[dimension];
      const ids = new Set(map.concepts.map((c) => c.id));
      const key = ([a, b]: readonly [string, string]) => [a, b].sort().join(' / ');
      const compatible = new Set(map.compatible.map(key));
      for (const pair of [...map.compatible, ...map.opposed]) for (const id of pair) if (!ids.has(id)) problems.push(`${dimension}: unknown concept ${id}`);
      for (const pair of map.opposed) if (compatible.has(key(pair))) problems.push(`${dimension}: ${key(pair)} both go together and clash`);
      const clashing = new Set(map.opposed.map(key));
      const conceptsOf = new Map<string, string[]>();
      for (const { id, anchors } of map.concepts) for (const anchor of anchors) conceptsOf.set(anchor, [...(conceptsOf.get(anchor) ?? []), id]);
      for (const [anchor, ids] of conceptsOf) {
        if (ids.length > 2) problems.push(`${dimension}: "${anchor}" in ${ids.length} concepts`);
        if (ids.length === 2 && clashing.has(key([ids[0]!, ids[1]!]))) problems.push(`${dimension}: "${anchor}" in ${ids.join(' and ')}, which clash`);
        if (new Set(ids).size !== ids.length) problems.push(`${dimension}: "${anchor}" twice in ${ids[0]}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers nothing for unknown text', () => {
    expect(pack.get('a zorblax mood')).toBeUndefined();
  });
});
