import { availableParallelism } from 'node:os';
import { DIMENSIONS, filterItems, generateWardrobe, normalizeTags, type Item } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';
import { embeddingBench } from '../bench/embedding.js';
import { parseCommandArgs } from '../args.js';
import { badInput, modelUnavailable } from '../errors.js';

const REQUEST = { style: 'casual', occasion: 'work', mood: 'calm' };

/**
 * `semfilter bench [--sizes 500,10000,100000] [--runs N]`: the median warm filter time per
 * wardrobe size (vectors already computed), and embedding throughput against sentence-transformers
 * on the same phrases, both measured in this run (see ../bench/embedding.ts).
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

  lines.push('', ...(await embeddingBench()));
  return `${lines.join('\n')}\n`;
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
