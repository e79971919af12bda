import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { modelDir, resolveModelsDir } from '@semfilter/core/node';

/** Stops a test run early, and clearly, when the model has not been fetched. */
export function requireModel(): void {
  const dir = modelDir(resolveModelsDir());
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`these tests need the real model at ${dir}: run \`npm run fetch-model\` first`);
  }
}
