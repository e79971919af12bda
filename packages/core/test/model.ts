import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWardrobe, type Embedder, type Item } from '@semfilter/core';
import { createNodeEmbedder, modelDir, resolveModelsDir } from '@semfilter/node';

/** Stops a test run early, and clearly, when the model has not been fetched. */
export function requireModel(): void {
  const dir = modelDir(resolveModelsDir());
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`these tests need the real model at ${dir}: run \`npm run fetch-model\` first`);
  }
}

/** The real Node model, after checking it was fetched: for a test's beforeAll. */
export function realModel(): Embedder {
  requireModel();
  return createNodeEmbedder();
}

/** A fake model that always fails: for cases about the vocabulary-only semantic context. */
export function failingModel(): Embedder {
  return {
    model: { id: 'Xenova/all-MiniLM-L6-v2', dtype: 'fp32' },
    embed: async () => {
      throw new Error('no model here');
    },
  };
}

/** The real Node model behind a gate the test opens (a model still loading): a fake only in when it answers, not in what. Counts its calls and the texts asked. */
export function gatedModel(): Embedder & { open(): void; calls: number; asked: string[] } {
  const real = realModel();
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const gated = {
    model: real.model,
    calls: 0,
    asked: [] as string[],
    open,
    async embed(texts: readonly string[]) {
      gated.calls++;
      gated.asked.push(...texts);
      await opened;
      return real.embed(texts);
    },
  };
  return gated;
}

/** The playground's sample wardrobe (demo/sample-wardrobe.json), validated. */
export function loadSampleWardrobe(): Item[] {
  const parsed = parseWardrobe(JSON.parse(readFileSync(new URL('../../../demo/sample-wardrobe.json', import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(`demo/sample-wardrobe.json does not validate: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}
