import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MODEL_ID } from '@semfilter/core';

/** The environment variable that overrides where model files live. */
export const MODELS_DIR_ENV = 'SEMFILTER_MODELS_DIR';

/**
 * Where model files live: `$SEMFILTER_MODELS_DIR`, else `models/` in the nearest folder above
 * `start` whose package.json declares workspaces (the repository root), else `start/models`.
 */
export function resolveModelsDir(start: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[MODELS_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isWorkspaceRoot(manifest)) return join(dir, 'models');
    if (dirname(dir) === dir) return join(resolve(start), 'models');
  }
}

/** The folder of our model inside a models directory, in the layout transformers.js expects. */
export function modelDir(modelsDir: string): string {
  return join(modelsDir, ...MODEL_ID.split('/'));
}

/** The outcome of checking a model folder against its manifest. */
export type ModelCheck = { readonly ok: true; readonly files: number } | { readonly ok: false; readonly problem: string };

/** Checks every file the manifest lists: present, the right size and sha256. */
export async function verifyModelDir(dir: string): Promise<ModelCheck> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return { ok: false, problem: `no model at ${dir} (missing manifest.json): run \`npm run fetch-model\`` };
  let files: Record<string, { sha256: string; bytes: number }>;
  try {
    files = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: typeof files }).files;
  } catch (error) {
    return { ok: false, problem: `${manifestPath} is not a readable manifest: ${(error as Error).message}` };
  }
  for (const [name, expected] of Object.entries(files)) {
    const path = join(dir, name);
    if (!existsSync(path)) return { ok: false, problem: `${path} is missing` };
    const actual = await sha256(path);
    if (actual !== expected.sha256) return { ok: false, problem: `${path} has sha256 ${actual}, expected ${expected.sha256}` };
  }
  return { ok: true, files: Object.keys(files).length };
}

function isWorkspaceRoot(packageJson: string): boolean {
  try {
    return 'workspaces' in (JSON.parse(readFileSync(packageJson, 'utf8')) as object);
  } catch {
    return false;
  }
}

function sha256(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}
