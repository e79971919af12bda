import { DIMENSIONS, filterItems, generateWardrobe, prepareRequest, prepareWardrobe, runPrepared, type Embedder, type PreparedWardrobe } from '@semfilter/core';
import { modelUnavailable } from '../errors.js';

const REQUEST = { style: 'casual', occasion: 'work', mood: 'calm' };
/** The prepared path is too quick to time once at small sizes, so it gets more runs for a stable median. */
const PREPARED_RUNS_FACTOR = 10;

/**
 * The filter section of `semfilter bench`: for each wardrobe size and both modes, the warm filter
 * on a prepared wardrobe (prepareRequest + runPrepared: pass flags and counts, vectors already
 * computed) next to the per-call path (filterItems on the raw items: preparation, the run and every
 * verdict of the full report), measured in this run, with the ratio.
 */
export async function filterBench(sizes: readonly number[], runs: number, embedder: Embedder): Promise<string[]> {
  const preparedRuns = runs * PREPARED_RUNS_FACTOR;
  const lines = [
    `warm filter, request ${JSON.stringify(REQUEST)}, vectors already computed; medians of ${runs} per-call runs and ${preparedRuns} prepared runs`,
    '  per call: filterItems(items) (prepare, run, full report); prepared: prepareRequest + runPrepared on a wardrobe prepared once (pass flags, counts)',
    '     items   distinct tags   prepare once ms   mode          per call ms   prepared ms     ratio   pass rate',
  ];
  for (const size of sizes) {
    const items = generateWardrobe(size);
    const prepareStarted = performance.now();
    const wardrobe = prepareWardrobe(items);
    const prepareMs = performance.now() - prepareStarted;
    for (const semantic of [false, true]) {
      const options = { semantic };
      const deps = { embedder };
      const warm = await filterItems(items, REQUEST, options, deps);
      if (semantic && !warm.semantic_mode_active) throw modelUnavailable(`semfilter bench: the model is needed and cannot be loaded (${warm.fallback_reason}): run \`npm run fetch-model\``);
      const perCall = await median(runs, () => filterItems(items, REQUEST, options, deps));
      const prepared = await median(preparedRuns, async () => runPrepared(await prepareRequest(wardrobe, REQUEST, options, deps)));
      const run = runPrepared(await prepareRequest(wardrobe, REQUEST, options, deps));
      if (run.passRate !== warm.filter_pass_rate) throw new Error(`semfilter bench: the prepared run passed ${run.passRate}, filterItems ${warm.filter_pass_rate}`);
      lines.push(
        [
          String(size).padStart(10),
          String(distinctTags(wardrobe)).padStart(13),
          (semantic ? '' : prepareMs.toFixed(1)).padStart(15),
          (semantic ? 'semantic' : 'traditional').padEnd(11),
          perCall.toFixed(2).padStart(11),
          prepared.toFixed(3).padStart(11),
          `${(perCall / prepared).toFixed(0)}x`.padStart(9),
          run.passRate.toFixed(3).padStart(9),
        ].join('   '),
      );
    }
  }
  return lines;
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

function distinctTags(wardrobe: PreparedWardrobe): number {
  return DIMENSIONS.reduce((sum, dimension) => sum + wardrobe.dimensions[dimension].terms.length, 0);
}
