import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The browser's side of package resolution: the conditions a bundler targeting browsers would take, in Node's key order. */
const CONDITIONS = new Set(['browser', 'import', 'module', 'default']);
/**
 * Static imports and re-exports (`import{a as b}from"./x.js"`, `export*from"y"`, `import"z"`) at
 * the start of a statement, with nothing but bindings before `from`, so a string that merely
 * contains "from '…'" is not taken for one.
 */
const STATIC_IMPORTS = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"'\n]+)["']/g;
/** Dynamic imports of a string literal: followed when they resolve (they may be optional). */
const DYNAMIC_IMPORTS = /\bimport\(\s*["']([^"'\n]+)["']\s*\)/g;
/** The files one page needs, found by following its entry module's imports through node_modules. */
export interface PageAssets {
  /** URL path (`/assets/<package>/<file>`) → the file on disk: nothing outside this list is served. */
  readonly files: ReadonlyMap<string, string>;
  /** The import map that lets the browser load the modules' bare specifiers (`lit`, `zod`) from those URLs. */
  readonly importMap: { readonly imports: Readonly<Record<string, string>> };
  /** The entry module's URL. */
  readonly entry: string;
}

interface Located {
  readonly file: string;
  readonly packageName: string;
  readonly packageDir: string;
}

/**
 * Collects an entry module (`@semfilter/elements/semfilter-fleet-dashboard.js`) and every module it
 * imports, so the server can serve the dashboard from the packages it is installed with: no CDN,
 * no bundler at run time. Throws, naming the specifier, when something cannot be resolved (the
 * elements package is not built, or a dependency is missing).
 */
export function collectPageAssets(entrySpecifier: string, fromDir: string): PageAssets {
  const files = new Map<string, string>();
  const imports: Record<string, string> = {};
  const entry = resolveBare(entrySpecifier, fromDir);
  const queue: Located[] = [entry];
  while (queue.length > 0) {
    const current = queue.pop()!;
    const url = urlOf(current);
    if (files.has(url)) continue;
    files.set(url, current.file);
    const source = readFileSync(current.file, 'utf8');
    const found = [...[...source.matchAll(STATIC_IMPORTS)].map((m) => ({ specifier: m[1]!, optional: false })), ...[...source.matchAll(DYNAMIC_IMPORTS)].map((m) => ({ specifier: m[1]!, optional: true }))];
    for (const { specifier, optional } of found) {
      if (specifier.startsWith('.')) {
        const file = resolve(dirname(current.file), specifier);
        if (!optional || existsSync(file)) queue.push({ ...current, file });
      } else if (!/^[a-z]+:/.test(specifier)) {
        let located: Located;
        try {
          located = resolveBare(specifier, dirname(current.file));
        } catch (error) {
          if (optional) continue;
          throw error;
        }
        imports[specifier] ??= urlOf(located);
        queue.push(located);
      }
    }
  }
  return { files, importMap: { imports }, entry: urlOf(entry) };
}

function urlOf(located: Located): string {
  return `/assets/${located.packageName}/${relative(located.packageDir, located.file).split(sep).join('/')}`;
}

/** Resolves `name[/subpath]` from a folder as Node does (nearest node_modules, then the package's `exports`), with browser conditions. */
function resolveBare(specifier: string, fromDir: string): Located {
  const parts = specifier.split('/');
  const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const subpath = `.${specifier.slice(packageName.length)}`;
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', packageName);
    if (existsSync(join(candidate, 'package.json'))) {
      const packageDir = realpathSync(candidate);
      const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
      const target = manifest.exports === undefined ? legacyTarget(manifest, subpath) : exportsTarget(manifest.exports, subpath);
      const file = target === null ? null : join(packageDir, target);
      if (file === null || !existsSync(file)) throw new Error(`cannot resolve "${specifier}" for the browser from ${packageDir}${file === null ? '' : ` (${file} is missing: is it built?)`}`);
      return { file, packageName, packageDir };
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the package "${packageName}" (from ${fromDir})`);
  }
}

function legacyTarget(manifest: Record<string, unknown>, subpath: string): string | null {
  if (subpath !== '.') return subpath;
  const main = manifest.module ?? manifest.main ?? 'index.js';
  return typeof main === 'string' ? main : null;
}

function exportsTarget(exports: unknown, subpath: string): string | null {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditionTarget(exports) : null;
  const map = exports as Record<string, unknown>;
  if (subpath in map) return conditionTarget(map[subpath]);
  for (const [pattern, target] of Object.entries(map)) {
    const star = pattern.indexOf('*');
    if (star === -1) continue;
    const [prefix, suffix] = [pattern.slice(0, star), pattern.slice(star + 1)];
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length) {
      const resolved = conditionTarget(target);
      return resolved === null ? null : resolved.replaceAll('*', subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return null;
}

function conditionTarget(target: unknown): string | null {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const entry of target) {
      const resolved = conditionTarget(entry);
      if (resolved !== null) return resolved;
    }
    return null;
  }
  if (typeof target !== 'object' || target === null) return null;
  for (const [condition, value] of Object.entries(target)) {
    if (!CONDITIONS.has(condition)) continue;
    const resolved = conditionTarget(value);
    if (resolved !== null) return resolved;
  }
  return null;
}
