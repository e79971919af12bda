import { availableParallelism } from 'node:os';
import { createNodeEmbedder } from '@semfilter/node';
import { embeddingBench } from '../bench/embedding.js';
import { filterBench } from '../bench/filter.js';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';

/**
 * `semfilter bench [--sizes 500,10000,100000] [--runs N]`: the median warm filter time per
 * wardrobe size and mode, on a prepared wardrobe and per call (see ../bench/filter.ts), and
 * embedding throughput against sentence-transformers on the same phrases (../bench/embedding.ts),
 * all measured in this run.
 */
export async function benchCommand(args: readonly string[]): Promise<string> {
  const { values } = parseCommandArgs('bench', args, { sizes: { type: 'string', default: '500,10000,100000' }, runs: { type: 'string', default: '7' } });
  const sizes = values.sizes.split(',').map(Number);
  const runs = Number(values.runs);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) throw badInput('semfilter bench: --sizes takes whole numbers like 500,10000 and --runs a whole number');

  const embedder = createNodeEmbedder();
  const lines = [`semfilter bench: Node ${process.version}, ${availableParallelism()} CPUs, model ${embedder.model.id} ${embedder.model.dtype}`, ''];
  lines.push(...(await filterBench(sizes, runs, embedder)));
  lines.push('', ...(await embeddingBench()));
  return `${lines.join('\n')}\n`;
}
