import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIMENSIONS, embeddingText, generateWardrobe, normalizeTags } from '@semfilter/core';
import { createNodeEmbedder, defaultSessionOptions, NODE_BATCH_SIZE, resolveModelsDir, type NodeEmbedderOptions } from '@semfilter/node';
import { REPO_ROOT } from '../paths.js';

const RUNS = 3;
/** Where `semfilter fetch-model` builds the model (packages/cli/src/commands/fetch-model.ts): its venv and its download folder. */
const BUILD_VENV_PYTHON = ['.build', 'venv', 'bin', 'python'];
const BUILD_WORK = ['.build', 'work'];
const ST_SCRIPT = join(REPO_ROOT, 'scripts', 'bench', 'sentence_transformers_rate.py');

/** The phrases the embedding benchmark times: every distinct attribute phrase of generateWardrobe(500, 2), phrased as the filter embeds it. */
export function benchPhrases(): string[] {
  const items = generateWardrobe(500, 2);
  return [...new Set(items.flatMap((item) => DIMENSIONS.flatMap((d) => normalizeTags(item[d]).map((term) => embeddingText(d, term)))))];
}

interface Rate {
  readonly median: number;
  readonly runs: readonly number[];
}

/** The measurement sentence-transformers gave, or why there is none. */
type PythonRate = { readonly ok: true; readonly rate: Rate; readonly label: string } | { readonly ok: false; readonly reason: string };

/**
 * The embedding section of `semfilter bench`: semfilter's Node embedder and sentence-transformers
 * on the same phrases in the same run, with the ratio, then the settings the defaults were chosen
 * from. Each semfilter run is a fresh embedder (empty cache, model loaded and warmed first).
 */
export async function embeddingBench(): Promise<string[]> {
  const phrases = benchPhrases();
  const variants: [string, NodeEmbedderOptions][] = [
    ['batch 32', { batchSize: 32 }],
    ['batch 128', { batchSize: 128 }],
    ['1 intra-op thread', { sessionOptions: { ...defaultSessionOptions(), intraOpNumThreads: 1 } }],
    [`onnxruntime's default session options`, { sessionOptions: {} }],
  ];
  const [ours, ...others] = await nodeRates(phrases, [{}, ...variants.map(([, options]) => options)]);
  const theirs = sentenceTransformersRate(phrases);
  const lines = [
    `embedding throughput: the ${phrases.length} distinct attribute phrases of generateWardrobe(500, 2), as the filter phrases them; warm, median of ${RUNS}`,
    `  semfilter (onnxruntime-node, batches of ${NODE_BATCH_SIZE} sorted by length, ${defaultSessionOptions().intraOpNumThreads} intra-op threads): ${fmt(ours!)}`,
  ];
  if (theirs.ok) {
    lines.push(`  ${theirs.label}: ${fmt(theirs.rate)}`);
    lines.push(`  ratio semfilter / sentence-transformers: ${(ours!.median / theirs.rate.median).toFixed(2)}x`);
  } else {
    lines.push(`  sentence-transformers: not measured (${theirs.reason})`);
  }
  lines.push(`  semfilter with other settings, runs interleaved with the default's: ${variants.map(([label], i) => `${label} ${others[i]!.median.toFixed(0)}`).join('; ')} phrases/s`);
  return lines;
}

/** Each configuration's rate; runs go round-robin over the configurations, so load from other processes falls on all alike. */
async function nodeRates(phrases: readonly string[], configs: readonly NodeEmbedderOptions[]): Promise<Rate[]> {
  for (const options of configs) await createNodeEmbedder(options).embed(phrases); // warm-up pass
  const runs = configs.map((): number[] => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [c, options] of configs.entries()) {
      const embedder = createNodeEmbedder(options);
      await embedder.embed(['warm up']); // loads the model outside the timed part
      const started = performance.now();
      await embedder.embed(phrases);
      runs[c]!.push(phrases.length / ((performance.now() - started) / 1000));
    }
  }
  return runs.map((r) => ({ median: median(r), runs: r }));
}

/** Runs scripts/bench/sentence_transformers_rate.py in the model build's venv, phrases on stdin. */
function sentenceTransformersRate(phrases: readonly string[]): PythonRate {
  const modelsDir = resolveModelsDir();
  const python = join(modelsDir, ...BUILD_VENV_PYTHON);
  if (!existsSync(python)) return { ok: false, reason: `no model build environment at ${python}; \`npm run fetch-model\` creates it when it builds the model` };
  const result = spawnSync(python, [ST_SCRIPT, join(modelsDir, ...BUILD_WORK)], { input: phrases.join('\n'), encoding: 'utf8', timeout: 10 * 60_000 });
  if (result.error !== undefined) return { ok: false, reason: `${python} did not run: ${result.error.message}` };
  if (result.status !== 0) {
    return { ok: false, reason: result.stderr.trim().split('\n').at(-1) || `${ST_SCRIPT} exited with status ${result.status}` };
  }
  const out = JSON.parse(result.stdout) as {
    runs: Record<string, number[]>;
    best: { batch_size: number; phrases_per_second: number };
    versions: { sentence_transformers: string; torch: string };
    torch_threads: number;
  };
  const { best, versions } = out;
  return {
    ok: true,
    rate: { median: best.phrases_per_second, runs: out.runs[String(best.batch_size)]! },
    label: `sentence-transformers ${versions.sentence_transformers} (torch ${versions.torch}, ${out.torch_threads} threads, batch ${best.batch_size}, its faster of 32/64)`,
  };
}

function fmt(rate: Rate): string {
  return `${rate.median.toFixed(0).padStart(6)} phrases/s  (runs: ${rate.runs.map((r) => r.toFixed(0)).join(', ')})`;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
