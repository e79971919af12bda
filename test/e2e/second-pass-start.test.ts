// Issue 19, point 11: the first install and `npm start`. Not a browser test: it checks what a person
// sees on the console: no install scripts left unreviewed, every EBADENGINE warning explained, and a
// start that does not rebuild packages whose sources have not changed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STAMP = join(ROOT, 'scripts/build-stamp.mjs');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };

/** The README section that explains the console output of the two commands. */
function twoCommandsSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.search(/^## The two commands/m);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.slice(start + 1).search(/^## /m);
  return readme.slice(start, end < 0 ? undefined : start + 1 + end);
}

describe('issue 19 point 11: install and start', () => {
  // npm's own review of install scripts; the npm bundled with Node 24.19 (11.17) has no such
  // command, so there it is skipped: the Node 20 run (npm 11.19) checks the same package.json.
  const listed = spawnSync('npm', ['install-scripts', 'ls'], { cwd: ROOT, encoding: 'utf8' });
  const npmReviewsScripts = !/Unknown command: "install-scripts"/.test(`${listed.stdout}${listed.stderr}`);
  it.skipIf(!npmReviewsScripts)('every dependency with an install script is allowed or denied in allowScripts (npm 11 names none as unreviewed)', () => {
    expect(listed.status).toBe(0);
    expect(listed.stdout).not.toMatch(/not yet covered by allowScripts/);
  });

  it('every installed package that declares an engine our Node minimum does not meet is named in the README, with why', () => {
    // npm's own range semantics: semver is what npm checks engines with (installed with its tooling).
    const semver = createRequire(import.meta.url)('semver') as { minVersion(range: string): { version: string }; satisfies(version: string, range: string): boolean };
    const minimum = semver.minVersion(rootPackage.engines.node).version;
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } }> };
    const needNewer = new Set<string>();
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines?.node;
      if (path !== '' && range !== undefined && !semver.satisfies(minimum, range)) needNewer.add(path.replace(/^.*node_modules\//, ''));
    }
    const section = twoCommandsSection();
    expect([...needNewer].filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });

  it('`npm start` builds through the stamp step, `npm run build` records the stamp, and `npm test` still builds from clean', () => {
    expect(rootPackage.scripts.start).toMatch(/^node scripts\/build-stamp\.mjs start && /);
    expect(rootPackage.scripts.build).toMatch(/^node scripts\/build-stamp\.mjs begin && npm run clean && .* && node scripts\/build-stamp\.mjs end$/);
    expect(rootPackage.scripts.test).toMatch(/^npm run build && /);
  });

  it('the start step skips a build whose sources are unchanged (dist untouched), and builds again after an edit or a clean', () => {
    // A small workspace with the same layout: packages/a/src in, packages/a/dist out, `npm run build` wired as the root's.
    const repo = mkdtempSync(join(tmpdir(), 'semfilter-start-'));
    mkdirSync(join(repo, 'packages/a/src'), { recursive: true });
    writeFileSync(join(repo, 'packages/a/src/index.ts'), 'export const a = 1;\n');
    writeFileSync(join(repo, 'build.mjs'), "import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';\nmkdirSync('packages/a/dist', { recursive: true });\nwriteFileSync('packages/a/dist/index.js', readFileSync('packages/a/src/index.ts', 'utf8'));\n");
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ private: true, scripts: { build: `node ${STAMP} begin && node build.mjs && node ${STAMP} end` } }));
    const start = () => spawnSync(process.execPath, [STAMP, 'start'], { cwd: repo, encoding: 'utf8' });
    const out = join(repo, 'packages/a/dist/index.js');

    expect(start().stderr).toMatch(/start: building the packages \(no finished build recorded yet\)/);
    const built = statSync(out).mtimeMs;

    const again = start();
    expect([again.status, again.stderr]).toEqual([0, 'start: the packages are up to date with their sources; skipping the build (`npm run build` forces one)\n']);
    utimesSync(join(repo, 'packages/a/src/index.ts'), new Date(), new Date()); // touched, not changed
    expect(start().stderr).toMatch(/skipping the build/);
    expect(statSync(out).mtimeMs).toBe(built);

    writeFileSync(join(repo, 'packages/a/src/index.ts'), 'export const a = 2;\n');
    expect(start().stderr).toMatch(/building the packages \(sources changed since the last build\)/);
    expect(readFileSync(out, 'utf8')).toBe('export const a = 2;\n');
    expect(start().stderr).toMatch(/skipping the build/);

    rmSync(join(repo, 'packages/a/dist'), { recursive: true });
    expect(start().stderr).toMatch(/building the packages \(packages\/a has no dist\/\)/);
    expect(readFileSync(out, 'utf8')).toBe('export const a = 2;\n');
  });
});
