// A consumer app made from our packed tarballs, as a frontend team would make it: `npm pack` of the
// packages, a fresh folder outside the repository, `npm install` from the npm registry with no
// overrides, then the team's own `tsc --noEmit` and `vite build`. Used by test/consumer/packed.test.ts;
// the figures it prints (install size, start-up bytes) are what the README and the closing notes quote.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The npm and node the tests run on; `npm` from PATH (the same one `npm test` was started with). */
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * The environment a consumer's tools see: ours, without what the monorepo's own `npm test` put in it
 * (its package's fields, the lifecycle, workspace flags, which would make npm act on our workspace)
 * and without the test runner's NODE_ENV.
 */
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|config_(workspace|workspaces|include_workspace_root|prefix|global)|command|execpath)/i.test(key)) continue;
    // vitest sets NODE_ENV=test, which would make the app's `vite build` bundle Lit's and React's development builds.
    if (key === 'NODE_ENV') continue;
    env[key] = value;
  }
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, env: consumerEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** Packs the named workspace packages (already built) into a fresh folder; returns package name → tarball path. */
export function packPackages(names: readonly string[]): Record<string, string> {
  const into = mkdtempSync(join(tmpdir(), 'semfilter-packs-'));
  const out = run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', into, ...names.flatMap((name) => ['-w', name])], ROOT);
  const packed = JSON.parse(out) as { name: string; filename: string }[];
  return Object.fromEntries(packed.map(({ name, filename }) => [name, join(into, filename)]));
}

/** A version of a package the monorepo has installed, so the consumer's tools are the ones we test with. */
export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface ConsumerApp {
  readonly dir: string;
  /** Bytes under node_modules, everything the install wrote. */
  readonly installedBytes: number;
  /** Bytes of the packages a production install keeps (package-lock entries not marked dev). */
  readonly runtimeBytes: number;
  /** Installed packages with an install script, or a native Node module (a `.node` file). */
  readonly scriptedOrNative: readonly string[];
}

/**
 * Copies the app template, writes its package.json (our tarballs as dependencies, `devDependencies`
 * for its tools) and installs it. No `overrides`: what a team that installs the tarballs gets.
 */
export function installConsumer(template: string, dependencies: Record<string, string>, devDependencies: Record<string, string>): ConsumerApp {
  const dir = mkdtempSync(join(tmpdir(), 'semfilter-consumer-app-'));
  cpSync(template, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'wardrobe-app', private: true, type: 'module', dependencies, devDependencies }, null, 2)}\n`);
  run(NPM, ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
  const installed = Object.entries(lock.packages).filter(([location]) => location.startsWith('node_modules/'));
  const runtimeBytes = installed.filter(([, entry]) => entry.dev !== true).reduce((sum, [location]) => sum + ownBytes(join(dir, location)), 0);
  const scriptedOrNative = installed.filter(([location, entry]) => entry.dev !== true && (entry.hasInstallScript === true || hasNativeModule(join(dir, location)))).map(([location]) => location);
  return { dir, installedBytes: treeBytes(join(dir, 'node_modules')), runtimeBytes, scriptedOrNative };
}

/** Runs a command of the app's own tools (`npx tsc --noEmit`, `npx vite build`) in its folder. */
export function inApp(app: ConsumerApp, command: string, args: readonly string[]): string {
  return run(command, args, app.dir);
}

function treeBytes(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined || stat.isSymbolicLink()) return 0;
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + treeBytes(join(path, name)), 0);
}

/**
 * A package folder's bytes without the packages nested in its own node_modules (counted as their
 * own entries); 0 for a lock entry npm did not install (an optional package for another platform).
 */
function ownBytes(path: string): number {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory() !== true) return 0;
  return readdirSync(path).filter((name) => name !== 'node_modules').reduce((sum, name) => sum + treeBytes(join(path, name)), 0);
}

function hasNativeModule(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined || stat.isSymbolicLink()) return false;
  if (!stat.isDirectory()) return path.endsWith('.node');
  return readdirSync(path).some((name) => name !== 'node_modules' && hasNativeModule(join(path, name)));
}

export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
export const kilobytes = (bytes: number): string => `${(bytes / 1e3).toFixed(1)} KB`;
