// Builds packages/core/src/semantic/vocabulary/vocabulary.bin (format: pack-format.ts): int8 vectors,
// computed by the real model (Node, fp32), for every curated concept anchor and alias target, phrased
// for each dimension as the filter phrases them. The browser facade fetches it on its first semantic
// call; the core package's bundle script copies it into dist/. Run after changing concepts.ts,
// aliases.ts or embedding-text.ts:
//   npx tsx --conditions=@semfilter/source scripts/vocabulary/build-pack.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CONCEPT_MAPS, decodeVocabularyPack, DIMENSIONS, embeddingText, encodeVocabularyPack, MODEL_REVISION, TERM_ALIASES } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';

const texts = new Set<string>();
for (const dimension of DIMENSIONS) {
  for (const concept of CONCEPT_MAPS[dimension].concepts) for (const anchor of concept.anchors) texts.add(embeddingText(dimension, anchor));
  for (const target of Object.values(TERM_ALIASES)) texts.add(embeddingText(dimension, target));
}
const embedder = createNodeEmbedder({ dtype: 'fp32' });
const list = [...texts].sort();
const vectors = await embedder.embed(list);
const bytes = encodeVocabularyPack({ model: embedder.model.id, revision: MODEL_REVISION, dtype: embedder.model.dtype }, list.map((text, i) => [text, vectors[i]!] as const));
if (decodeVocabularyPack(bytes).size !== list.length) throw new Error('the pack just encoded does not decode to every text');
const out = fileURLToPath(new URL('../../packages/core/src/semantic/vocabulary/vocabulary.bin', import.meta.url));
writeFileSync(out, bytes);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`wrote ${list.length} vectors (${vectors[0]?.length ?? 0} dimensions, int8) to ${out}: ${kb(bytes.length)}, ${kb(gzipSync(bytes, { level: 9 }).length)} gzipped`);
