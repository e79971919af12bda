import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@xenova/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONCEPT_MAPS, DIMENSIONS, embeddingText, MODEL_ID } from '@semfilter/core';
import { loadBatchTokenizer, modelDir, resolveModelsDir } from '@semfilter/node';

// The browser worker tokenizes with transformers.js 2.x; the Node runtime with
// @huggingface/tokenizers. The vocabulary pack is embedded in Node and read beside vectors the
// worker computes, so both must give the same ids. (For CJK text they do not: transformers.js 2.17
// leaves a kana word whole, [UNK], where BERT's WordPiece splits it; no tag of ours is CJK.)
const modelsDir = resolveModelsDir();
const dir = modelDir(modelsDir);

type Reference = (text: string, options: { truncation: true }) => { input_ids: { data: BigInt64Array } };

describe('the Node tokenizer', () => {
  let reference: Reference;
  beforeAll(async () => {
    if (!existsSync(join(dir, 'tokenizer.json'))) throw new Error(`these tests need the real model at ${dir}: run \`npm run fetch-model\` first`);
    env.allowRemoteModels = false;
    env.localModelPath = `${modelsDir}/`;
    reference = (await AutoTokenizer.from_pretrained(MODEL_ID)) as unknown as Reference;
  });

  it('gives transformers.js\'s ids for every vocabulary term and for odd texts', () => {
    const texts = [
      ...DIMENSIONS.flatMap((dimension) => CONCEPT_MAPS[dimension].concepts.flatMap((concept) => concept.anchors.map((anchor) => embeddingText(dimension, anchor)))),
      'Café Crème — naïve résumé!', 'UPPER case', "rock'n'roll", 'a   b\tc\n', 'emoji 👗✨', '', 'x'.repeat(3000),
    ];
    expect(texts.length).toBeGreaterThan(1500);
    const tokenize = loadBatchTokenizer(dir);
    const differing = texts.filter((text) => {
      const ours = tokenize([text]).input_ids.data;
      const theirs = reference(text, { truncation: true }).input_ids.data;
      return ours.length !== theirs.length || ours.some((id, k) => id !== theirs[k]);
    });
    expect(differing).toEqual([]);
  });

  it('pads a batch to its longest text, masks the padding and truncates at the model\'s length with [SEP] last', () => {
    const tokenize = loadBatchTokenizer(dir);
    const batch = tokenize(['calm', 'smart casual evening wear', 'word '.repeat(600)]);
    const [rows, width] = batch.input_ids.dims as [number, number];
    expect([rows, width]).toEqual([3, 512]);
    const row = (k: number) => Array.from(batch.input_ids.data.slice(k * width, (k + 1) * width));
    const mask = (k: number) => Array.from(batch.attention_mask.data.slice(k * width, (k + 1) * width)).map(Number);
    expect(mask(0).filter(Boolean)).toHaveLength(3); // [CLS] calm [SEP]
    expect(row(0).slice(3).every((id) => id === 0n)).toBe(true); // [PAD] is 0
    expect(mask(2).every(Boolean)).toBe(true);
    expect(row(2)[width - 1]).toBe(102n); // [SEP]
    expect(Array.from(batch.token_type_ids.data).every((id) => id === 0n)).toBe(true);
  });

  it('names the file when the tokenizer files are not there', () => {
    expect(() => loadBatchTokenizer(join(dir, 'nowhere'))).toThrow(/nowhere.*tokenizer_config\.json/);
  });
});
