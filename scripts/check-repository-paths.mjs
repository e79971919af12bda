// Nothing in the repository may read a path outside it: a clone on its own, with nothing beside it,
// must build, run and pass its tests. `npm test` runs this check (test/repository/paths.test.ts),
// and `node scripts/check-repository-paths.mjs` runs it alone.
//
// What counts as a path outside the repository, in any tracked text file:
// - a relative path ("../…") that, resolved from the file's folder, leaves the repository;
// - a name from the design folder that sits beside the repository (shared/vectors, shared/research,
//   shared/DESIGN.md), however it is reached (path.join(root, '..', 'shared', …) included);
// - an absolute path into a home or work folder of a build machine (/work/, /home/, /root/,
//   /Users/, /mnt/, C:\Users\), or the clone's own absolute location.
// System paths (/usr/lib/postgresql, /dev/null) and URLs are not paths outside the repository.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const RELATIVE_PATH = /(?<![\w./-])(?:\.\.\/)+[\w@.-][^\s'"`)>\]]*/g;
const OUTSIDE_FOLDER_NAMES = /shared['"]?\s*[,/\\]\s*['"]?(?:vectors|research|DESIGN\.md)\b/g;
const MACHINE_PATHS = /(?<![\w:.\/-])(?:\/(?:work|home|root|Users|mnt)\/|[A-Za-z]:\\Users\\)[^\s'"`]*/g;

/**
 * Files not scanned: the lockfile (registry data, not paths we read), and this check and its test,
 * which spell out the very paths they look for.
 */
const SKIPPED = new Set(['package-lock.json', 'scripts/check-repository-paths.mjs', 'test/repository/paths.test.ts']);

/**
 * The places in one file's text that reach outside the repository.
 * @param {string} file the file's path relative to the repository root (forward slashes)
 * @param {string} text its content
 * @param {string} root the repository's absolute path
 * @returns {{ line: number, path: string, why: string }[]}
 */
export function outsidePaths(file, text, root) {
  const found = [];
  const lines = text.split('\n');
  const folder = dirname(resolve(root, file));
  lines.forEach((content, index) => {
    const line = index + 1;
    for (const [path] of content.matchAll(RELATIVE_PATH)) {
      const target = relative(root, resolve(folder, path));
      if (target === '..' || target.startsWith(`..${sep}`)) found.push({ line, path, why: 'leaves the repository' });
    }
    for (const [path] of content.matchAll(OUTSIDE_FOLDER_NAMES)) {
      found.push({ line, path, why: 'names the design folder beside the repository' });
    }
    for (const [path] of content.matchAll(MACHINE_PATHS)) {
      found.push({ line, path, why: "is an absolute path on a build machine" });
    }
    if (root.length > 1 && content.includes(root)) found.push({ line, path: root, why: "is this clone's own absolute path" });
  });
  return found;
}

/** Tracked text files (binary ones, such as the vocabulary pack, cannot name a path we read). */
export function trackedTextFiles(root) {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  return listed
    .split('\0')
    .filter((file) => file && !SKIPPED.has(file))
    .flatMap((file) => {
      const bytes = readFileSync(resolve(root, file));
      return bytes.includes(0) ? [] : [{ file, text: bytes.toString('utf8') }];
    });
}

/** Every place in the repository's tracked files that reaches outside it, as "file:line: path why". */
export function checkRepository(root) {
  return trackedTextFiles(root).flatMap(({ file, text }) =>
    outsidePaths(file, text, root).map(({ line, path, why }) => `${file}:${line}: ${path} ${why}`),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkRepository(root);
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  process.stdout.write(problems.length ? `${problems.length} path(s) outside the repository\n` : 'no tracked file reads a path outside the repository\n');
  process.exitCode = problems.length ? 1 : 0;
}
