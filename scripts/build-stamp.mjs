// Lets `npm start` skip the ~60 s build when nothing it reads has changed since the last build that
// finished (the one `npm install` runs through `prepare`, or an earlier start). `npm test` and CI keep
// running `npm run build`, which always cleans and builds everything.
//
//   node scripts/build-stamp.mjs begin   before a build: digest the inputs into a pending stamp
//   node scripts/build-stamp.mjs end     after it succeeded: the pending stamp becomes the stamp
//   node scripts/build-stamp.mjs start   npm start's step: `npm run build` unless the stamp matches
//
// The digest is taken before the build, so a file edited while a build runs makes the next start
// build again. It hashes contents, not mtimes: a `touch` or a checkout of identical files is no change.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files at the root that every package's build reads (compiler settings, dependency versions). */
const ROOT_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.base.json'];
/**
 * Under packages/, everything is an input except what the build writes (dist/, tsbuildinfo,
 * elements' custom-elements.json) and installed modules. demo/ is not: the build only type-checks
 * it, and Vite serves it from source.
 */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.cache']);
const SKIPPED_FILES = /(\.tsbuildinfo|^custom-elements\.json)$/;

/** Where the stamps live: beside npm's own caches, out of the repository's tracked files. */
const stampDir = (root) => join(root, 'node_modules', '.cache', 'semfilter');
const stampPath = (root) => join(stampDir(root), 'build-stamp.json');
const pendingPath = (root) => join(stampDir(root), 'build-stamp.pending.json');

/** Relative paths of every input file under `dir`, sorted so the digest does not depend on readdir's order. */
function listFiles(root, dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...listFiles(root, path));
    } else if (entry.isFile() && !SKIPPED_FILES.test(entry.name)) {
      out.push(relative(root, path));
    }
  }
  return out;
}

/** The packages whose dist/ the build makes: every folder under packages/. */
function packageDirs(root) {
  const packages = join(root, 'packages');
  return existsSync(packages) ? readdirSync(packages, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(packages, e.name)) : [];
}

/** sha256 over every input's path and content. */
function inputDigest(root) {
  const files = [...ROOT_INPUTS.filter((f) => existsSync(join(root, f))), ...listFiles(root, join(root, 'packages'))].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  return { digest: hash.digest('hex'), files: files.length };
}

/** Why a build is needed, or null when the stamp matches the inputs and every package has its dist/. */
function staleReason(root) {
  if (!existsSync(stampPath(root))) return 'no finished build recorded yet';
  const missing = packageDirs(root).filter((dir) => !existsSync(join(dir, 'dist')) || readdirSync(join(dir, 'dist')).length === 0);
  if (missing.length > 0) return `${missing.map((dir) => relative(root, dir)).join(', ')} ha${missing.length === 1 ? 's' : 've'} no dist/`;
  const stamp = JSON.parse(readFileSync(stampPath(root), 'utf8'));
  return stamp.digest === inputDigest(root).digest ? null : 'sources changed since the last build';
}

function main(command, root) {
  if (command === 'begin') {
    // The build about to run cleans first: until it finishes, no earlier build counts as current.
    rmSync(stampPath(root), { force: true });
    mkdirSync(stampDir(root), { recursive: true });
    writeFileSync(pendingPath(root), JSON.stringify({ ...inputDigest(root), at: new Date().toISOString() }));
    return 0;
  }
  if (command === 'end') {
    // No pending stamp: this build was not started through `begin`; record nothing rather than guess.
    if (existsSync(pendingPath(root))) renameSync(pendingPath(root), stampPath(root));
    return 0;
  }
  if (command === 'start') {
    const reason = staleReason(root);
    if (reason === null) {
      process.stderr.write('start: the packages are up to date with their sources; skipping the build (`npm run build` forces one)\n');
      return 0;
    }
    process.stderr.write(`start: building the packages (${reason})\n`);
    return spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status ?? 1;
  }
  process.stderr.write(`build-stamp: expected begin, end or start, received ${JSON.stringify(command ?? '')}\n`);
  return 2;
}

process.exitCode = main(process.argv[2], process.cwd());
