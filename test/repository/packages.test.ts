// What `npm pack` would publish for each workspace package: a LICENSE and a README, dist/ and no
// src/, no runtime asset (a .wasm file, the vocabulary pack, the embedding worker) twice in one
// tarball, source maps a debugger can follow, and every path package.json names actually packed.
// It reads the built dist/ (`npm test` builds first) and asks npm for the file list only
// (`--dry-run`: nothing is written, nothing fetched).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly exports?: unknown;
  readonly bin?: string | Readonly<Record<string, string>>;
  readonly sideEffects?: boolean | readonly string[];
}

interface Pack {
  readonly name: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

interface SourceMap {
  readonly sources: readonly string[];
  readonly sourceRoot?: string;
  readonly sourcesContent?: readonly (string | null)[];
}

/** The export condition under which the monorepo's own tools read src/ (vitest, tsx); never published. */
const SOURCE_CONDITION = '@semfilter/source';

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

const PACKAGES = readJson<{ workspaces: string[] }>(join(ROOT, 'package.json'))
  .workspaces.map((dir) => ({ dir, manifest: readJson<Manifest>(join(ROOT, dir, 'package.json')) }))
  .filter(({ manifest }) => manifest.private !== true);

const packs = new Map<string, Pack>();
/** `npm pack --dry-run --json` for one workspace, from the repository root; asked once per package. */
function pack(name: string): Pack {
  let found = packs.get(name);
  if (found === undefined) {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline', '-w', name], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    found = (JSON.parse(out) as Pack[])[0]!;
    packs.set(name, found);
    console.log(`${name}: ${found.size.toLocaleString('en')} bytes packed (${found.unpackedSize.toLocaleString('en')} unpacked), ${found.entryCount} files`);
  }
  return found;
}

/**
 * Which runtime asset a packed path is, or undefined for anything else. Vite's copies under an
 * `assets/` folder carry a content hash (`ort-wasm-simd-DsKU0g1m.wasm`), which is dropped here;
 * elsewhere names are kept whole (`ort-wasm-simd-threaded.wasm` has no hash to drop).
 */
function runtimeAsset(path: string): string | undefined {
  const base = posix.basename(path);
  const name = path.split('/').includes('assets') ? base.replace(/-[\w-]{8}(\.[a-z]+)$/, '$1') : base;
  if (name.endsWith('.wasm')) return name;
  // The embedded vocabulary, in its current form (vocabulary.bin) or the generated module it replaced.
  if (name === 'vocabulary.bin' || name === 'pack.generated.js') return 'the vocabulary pack';
  if (name === 'embedding-worker.js') return 'the embedding worker';
  return undefined;
}

/** Every file path package.json promises a consumer: export targets (but under our own source condition), bins, side-effect modules. */
function promisedPaths(manifest: Manifest): string[] {
  const paths: string[] = [];
  const walk = (entry: unknown, conditions: readonly string[]) => {
    if (typeof entry === 'string') {
      if (!conditions.includes(SOURCE_CONDITION)) paths.push(entry);
    } else if (entry !== null && typeof entry === 'object') {
      for (const [key, value] of Object.entries(entry)) walk(value, [...conditions, key]);
    }
  };
  walk(manifest.exports, []);
  walk(manifest.bin, []);
  if (Array.isArray(manifest.sideEffects)) paths.push(...manifest.sideEffects);
  return [...new Set(paths.map((path) => posix.normalize(path)))];
}

describe.each(PACKAGES)('the $manifest.name tarball', ({ dir, manifest }) => {
  const files = () => pack(manifest.name).files.map((file) => file.path);

  it('carries the MIT LICENSE and a README', () => {
    expect(files()).toContain('LICENSE');
    expect(files()).toContain('README.md');
    expect(manifest.license).toBe('MIT');
    const license = readFileSync(join(ROOT, dir, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License/);
    expect(license).toContain('Copyright (c) 2026 the semfilter authors');
  });

  it('ships no src/ files', () => {
    expect(files().filter((path) => path.startsWith('src/'))).toEqual([]);
  });

  it('packs each .wasm file, the vocabulary pack and the embedding worker at most once', () => {
    const byAsset = new Map<string, string[]>();
    for (const path of files()) {
      const asset = runtimeAsset(path);
      if (asset !== undefined) byAsset.set(asset, [...(byAsset.get(asset) ?? []), path]);
    }
    expect([...byAsset].filter(([, paths]) => paths.length > 1)).toEqual([]);
  });

  it('has every path its package.json names for consumers (exports, bin, sideEffects)', () => {
    const packed = new Set(files());
    expect(promisedPaths(manifest).filter((path) => !packed.has(path))).toEqual([]);
  });

  it('has source maps whose sources are packed or carried in sourcesContent, and no link to a missing map', () => {
    const packed = new Set(files());
    const problems: string[] = [];
    for (const path of files()) {
      if (path.endsWith('.map')) {
        const map = readJson<SourceMap>(join(ROOT, dir, path));
        map.sources.forEach((source, i) => {
          const resolved = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? '', source));
          if (!packed.has(resolved) && typeof map.sourcesContent?.[i] !== 'string') problems.push(`${path}: source ${source} is neither packed nor in sourcesContent`);
        });
      } else if (/\.(m?js|d\.ts)$/.test(path)) {
        const link = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(ROOT, dir, path), 'utf8'))?.[1];
        if (link !== undefined && !link.startsWith('data:') && !packed.has(posix.normalize(posix.join(posix.dirname(path), link)))) problems.push(`${path}: links to ${link}, not packed`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('@semfilter/core', () => {
  it('ships the vocabulary pack and the four onnxruntime .wasm files exactly once', () => {
    const core = PACKAGES.find(({ manifest }) => manifest.name === '@semfilter/core')!;
    const assets = pack(core.manifest.name).files.map((file) => runtimeAsset(file.path)).filter((asset) => asset !== undefined);
    expect(assets.sort()).toEqual(['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd.wasm', 'ort-wasm-threaded.wasm', 'ort-wasm.wasm', 'the embedding worker', 'the vocabulary pack'].sort());
  });
});

/**
 * What installing a package pulls in, read from package-lock.json: every package its dependencies
 * (and theirs) resolve to, as npm would place them for a consumer (peer and dev dependencies left out).
 */
interface LockEntry { readonly dependencies?: Readonly<Record<string, string>>; readonly optionalDependencies?: Readonly<Record<string, string>>; readonly hasInstallScript?: boolean; readonly link?: boolean; readonly resolved?: string }
const LOCK = readJson<{ packages: Readonly<Record<string, LockEntry>> }>(join(ROOT, 'package-lock.json')).packages;

function installedTree(name: string): Map<string, LockEntry> {
  const seen = new Map<string, LockEntry>();
  const visit = (from: string, dependency: string) => {
    // Node's lookup: the nearest node_modules folder up from the dependent's own location.
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const key = `${dir === '' ? '' : `${dir}/`}node_modules/${dependency}`;
      let entry = LOCK[key];
      if (entry !== undefined) {
        const location = entry.link === true && entry.resolved !== undefined ? entry.resolved : key;
        entry = LOCK[location] ?? entry;
        if (seen.has(location)) return;
        seen.set(location, entry);
        for (const next of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(location, next);
        return;
      }
      if (dir === '') throw new Error(`${dependency} (needed by ${from || 'the root'}) is not in package-lock.json`);
    }
  };
  visit('', name);
  return seen;
}

describe.each(['@semfilter/core', '@semfilter/elements'])('installing %s for a browser app', (name) => {
  it('pulls in no install script and no native Node module', () => {
    const tree = installedTree(name);
    expect(tree.size).toBeGreaterThan(3);
    const NATIVE = /^(onnxruntime-node|sharp|better-sqlite3|@img\/|canvas)/;
    const offending = [...tree].filter(([location, entry]) => entry.hasInstallScript === true || NATIVE.test(location.replace(/^.*node_modules\//, ''))).map(([location]) => location);
    expect(offending).toEqual([]);
  });
});

describe('installing @semfilter/node', () => {
  it('brings the Node model runtime the browser packages leave out', () => {
    const tree = [...installedTree('@semfilter/node').keys()];
    expect(tree).toContain('node_modules/onnxruntime-node');
    expect(tree.some((location) => /(^|\/)(@xenova\/transformers|sharp)$/.test(location))).toBe(false);
  });
});

describe('an app that bundles @semfilter/core and @semfilter/elements', () => {
  it('installs each runtime asset once: the elements carry no copy of core\'s (the standalone script is its own package)', () => {
    const elements = pack('@semfilter/elements').files.map((file) => runtimeAsset(file.path)).filter((asset) => asset !== undefined);
    expect(elements).toEqual([]);
  });
});

describe.each([
  ['@semfilter/core', 'dist/worker/THIRD-PARTY-LICENSES.md'],
  ['@semfilter/standalone', 'dist/THIRD-PARTY-LICENSES-worker.md'],
])('the code %s bundles from others', (name, file) => {
  it(`ships with their licences (${file})`, () => {
    const manifest = PACKAGES.find(({ manifest }) => manifest.name === name)!;
    expect(pack(name).files.map((entry) => entry.path)).toContain(file);
    const text = readFileSync(join(ROOT, manifest.dir, file), 'utf8');
    expect(text).toMatch(/## @xenova\/transformers - [\d.]+ \(Apache-2\.0\)/);
    expect(text).toMatch(/## onnxruntime-web - [\d.]+ \(MIT\)/);
    expect(text).toContain('Apache License');
  });
});

describe('runtimeAsset', () => {
  it('drops the hash of a Vite asset but not a word of a plain name', () => {
    expect(runtimeAsset('dist/assets/ort-wasm-simd-threaded-BYKZ7PJR.wasm')).toBe('ort-wasm-simd-threaded.wasm');
    expect(runtimeAsset('dist/wasm/ort-wasm-simd-threaded.wasm')).toBe('ort-wasm-simd-threaded.wasm');
    expect(runtimeAsset('dist/assets/vocabulary-C4Ijx0kX.bin')).toBe('the vocabulary pack');
    expect(runtimeAsset('src/semantic/vocabulary/vocabulary.bin')).toBe('the vocabulary pack');
    expect(runtimeAsset('dist/assets/embedding-worker-DDTsDFlL.js')).toBe('the embedding worker');
    expect(runtimeAsset('dist/index.js')).toBeUndefined();
  });
});
