import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
// A plain .mjs script, so that it also runs on its own: `node scripts/check-repository-paths.mjs`.
import { checkRepository, outsidePaths } from '../../scripts/check-repository-paths.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

type Finding = { line: number; path: string; why: string };
const find = (file: string, text: string): Finding[] => outsidePaths(file, text, ROOT) as Finding[];

describe('no tracked file reads a path outside the repository', () => {
  it('holds for every tracked text file', () => {
    expect(checkRepository(ROOT)).toEqual([]);
  });

  it('finds a relative path that climbs out of the repository, with its line', () => {
    const text = "import x from './a.js';\nconst cases = readFileSync(new URL('../../../../shared/vectors/cases.json', import.meta.url));\n";
    expect(find('packages/core/test/a.test.ts', text)).toEqual([
      { line: 2, path: '../../../../shared/vectors/cases.json', why: 'leaves the repository' },
      { line: 2, path: 'shared/vectors', why: 'names the design folder beside the repository' },
    ]);
  });

  it('lets a relative path that stays inside the repository through', () => {
    expect(find('packages/core/test/a.test.ts', "new URL('../../../test/fixtures/x.json', import.meta.url)")).toEqual([]);
    expect(find('README.md', 'see [the guide](./docs/guide.md) and ../README.md')).toHaveLength(1);
  });

  it("finds the design folder reached through path segments, and a build machine's absolute paths", () => {
    expect(find('scripts/a.ts', "join(ROOT, '..', 'shared', 'research')")).toHaveLength(1);
    expect(find('scripts/a.ts', "const model = '/work/models/model.onnx';")[0]?.why).toBe('is an absolute path on a build machine');
    expect(find('scripts/a.ts', 'const home = "C:\\Users\\me\\wardrobe.db";')).toHaveLength(1);
    expect(find('scripts/a.ts', `const here = '${ROOT}/dist';`).map((f) => f.why)).toContain("is this clone's own absolute path");
  });

  it('does not count system paths, URLs or connection strings', () => {
    const text = [
      "const initdb = '/usr/lib/postgresql/15/bin/initdb';",
      "fetch('https://example.com/home/page');",
      "redactUrl('sqlite:/home/me/@work/wardrobe.db');",
    ].join('\n');
    expect(find('packages/backfill/test/a.test.ts', text)).toEqual([]);
  });
});
