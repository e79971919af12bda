import { availableParallelism } from 'node:os';
import { DIMENSIONS, embeddingText, filterItems, generateWardrobe, normalizeTags, type Embedder, type Item } from '@semfilter/core';
import { createNodeEmbedder, loadFeatureExtractor, resolveModelsDir } from '@semfilter/core/node';
import { parseCommandArgs } from '../args.js';
import { badInput, modelUnavailable } from '../errors.js';

const REQUEST = { style: 'casual', occasion: 'work', mood: 'calm' };
/** Items whose attribute phrases the embedding comparison runs on. */
const EMBEDDING_WORKLOAD_ITEMS = 500;

/**
 * `semfilter bench [--sizes 500,10000,100000] [--runs N]`: the median warm filter time per
 * wardrobe size (vectors already computed), and embedding throughput of the batched distinct-term
 * path against a naive loop of one pipeline call per item attribute, both measured in this run.
 */
export async function benchCommand(args: readonly string[]): Promise<string> {
  const { values } = parseCommandArgs('bench', args, { sizes: { type: 'string', default: '500,10000,100000' }, runs: { type: 'string', default: '7' } });
  const sizes = values.sizes.split(',').map(Number);
  const runs = Number(values.runs);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) throw badInput('semfilter bench: --sizes takes whole numbers like 500,10000 and --runs a whole number');

  const embedder = createNodeEmbedder();
  const lines = [`semfilter bench: Node ${process.version}, ${availableParallelism()} CPUs, model ${embedder.model.id} ${embedder.model.dtype}`, ''];
  lines.push(`warm filter, request ${JSON.stringify(REQUEST)}, vectors already computed; median of ${runs} runs`);
  lines.push('     items   distinct tags   semantic ms   traditional ms   semantic pass rate');
  for (const size of sizes) {
    const items = generateWardrobe(size);
    const warm = await filterItems(items, REQUEST, { semantic: true }, { embedder });
    if (!warm.semantic_mode_active) throw modelUnavailable(`semfilter bench: the model is needed and cannot be loaded (${warm.fallback_reason}): run \`npm run fetch-model\``);
    const semantic = await median(runs, () => filterItems(items, REQUEST, { semantic: true }, { embedder }));
    const traditional = await median(runs, () => filterItems(items, REQUEST, { semantic: false }));
    lines.push(`${String(size).padStart(10)}   ${String(distinctTags(items)).padStart(13)}   ${semantic.toFixed(1).padStart(11)}   ${traditional.toFixed(1).padStart(14)}   ${warm.filter_pass_rate.toFixed(3).padStart(18)}`);
  }

  lines.push('', ...(await embeddingThroughput(generateWardrobe(EMBEDDING_WORKLOAD_ITEMS, 2))));
  return `${lines.join('\n')}\n`;
}

async function embeddingThroughput(items: readonly Item[]): Promise<string[]> {
  const phrases = items.flatMap((item) => DIMENSIONS.flatMap((d) => normalizeTags(item[d]).map((term) => embeddingText(d, term))));
  const distinct = new Set(phrases).size;
  const extractor = await loadFeatureExtractor(resolveModelsDir(), 'fp32');
  await extractor(['warm up'], { pooling: 'mean', normalize: true });

  const naiveStarted = performance.now();
  for (const phrase of phrases) await extractor([phrase], { pooling: 'mean', normalize: true });
  const naiveSeconds = (performance.now() - naiveStarted) / 1000;

  const fresh: Embedder = createNodeEmbedder(); // empty cache: every distinct phrase is computed
  const batchedStarted = performance.now();
  await fresh.embed(phrases);
  const batchedSeconds = (performance.now() - batchedStarted) / 1000;

  const naiveRate = phrases.length / naiveSeconds;
  const batchedRate = phrases.length / batchedSeconds;
  return [
    `embedding throughput on a ${items.length}-item wardrobe: ${phrases.length} attribute phrases, ${distinct} distinct`,
    `  naive loop, one pipeline call per item attribute:  ${naiveRate.toFixed(0).padStart(7)} phrases/s  (${naiveSeconds.toFixed(2)} s)`,
    `  batched distinct terms (the filter's path):        ${batchedRate.toFixed(0).padStart(7)} phrases/s  (${batchedSeconds.toFixed(2)} s; ${(distinct / batchedSeconds).toFixed(0)} distinct phrases/s through the model)`,
    `  ratio batched / naive: ${(batchedRate / naiveRate).toFixed(1)}x`,
  ];
}

async function median(runs: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function distinctTags(items: readonly Item[]): number {
  return new Set(items.flatMap((item) => DIMENSIONS.flatMap((d) => normalizeTags(item[d]).map((t) => `${d}:${t}`)))).size;
}
