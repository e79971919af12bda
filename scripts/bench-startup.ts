// `npx tsx scripts/bench-startup.ts [--no-build] [--dir FOLDER]`: what the built playground loads
// at start, in gzipped bytes. Builds demo/ as `vite build` does (it reads the packages' dist/: run
// it under the build lock), serves it with the model and opens `/?semantic=off` in Debian's
// Chromium, then waits for the load event and a quiet network. Every response, the page's and its
// workers', is gzipped here (level 9, as a server would send it; our static server does not
// compress) and listed with its group: the page (HTML, JS, CSS), data (JSON), the vocabulary, the
// worker, onnxruntime's wasm and the model files. `start` is what the page loads before semantic
// mode is used: everything but the vocabulary, the worker, the wasm and the model, which a page
// should fetch only once it asks for semantic results.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../test/support/chromium.js';
import { startStaticServer } from '../test/support/static-server.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const QUIET_MS = 1500;
const LIMIT_MS = 60_000;

type Group = 'page' | 'data' | 'vocabulary' | 'worker' | 'wasm' | 'model';
/** Groups that belong to semantic mode: a page should load none of them before it asks for semantic results. */
const SEMANTIC_GROUPS: ReadonlySet<Group> = new Set(['vocabulary', 'worker', 'wasm', 'model']);

interface Loaded {
  readonly url: string;
  readonly group: Group;
  readonly bytes: number;
  readonly gzipped: number;
}

function groupOf(url: URL): Group {
  const path = url.pathname;
  if (path.startsWith('/models/')) return 'model';
  if (path.endsWith('.wasm')) return 'wasm';
  if (/vocabulary[^/]*\.bin$/.test(path)) return 'vocabulary';
  if (/embedding-worker[^/]*\.js$/.test(path)) return 'worker';
  if (path.endsWith('.json')) return 'data';
  return 'page';
}

/** Collects every finished response of the page and its workers, with its body's gzipped size. */
function collect(page: Page): { loaded: Loaded[]; pending: Set<Promise<void>>; last: () => number } {
  const loaded: Loaded[] = [];
  const pending = new Set<Promise<void>>();
  let lastActivity = Date.now();
  page.context().on('request', () => void (lastActivity = Date.now()));
  page.context().on('requestfinished', (request) => {
    lastActivity = Date.now();
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    const done = (async () => {
      const response = await request.response();
      if (response === null || response.status() >= 400) return;
      const body = await response.body().catch(() => undefined);
      if (body === undefined) return;
      loaded.push({ url: url.pathname + url.search, group: groupOf(url), bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length });
    })();
    pending.add(done);
    void done.finally(() => pending.delete(done));
  });
  return { loaded, pending, last: () => lastActivity };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(9)} KB`;

const args = process.argv.slice(2);
const dirArg = args.indexOf('--dir');
let out: string;
if (dirArg >= 0) out = args[dirArg + 1]!;
else {
  out = mkdtempSync(join(tmpdir(), 'semfilter-startup-'));
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
}
const server = await startStaticServer({ '/models/': join(ROOT, 'models'), '/': out });
const browser = await launchChromium();
try {
  const context = await browser.newContext(); // empty caches
  const page = await context.newPage();
  const { loaded, pending, last } = collect(page);
  const started = Date.now();
  await page.goto(`${server.url}/?semantic=off`, { waitUntil: 'load' });
  while (Date.now() - last() < QUIET_MS && Date.now() - started < LIMIT_MS) await page.waitForTimeout(100);
  await Promise.all(pending);
  await context.close();

  loaded.sort((a, b) => a.group.localeCompare(b.group) || b.gzipped - a.gzipped);
  const lines = [`semfilter start-up weight: the built playground at /?semantic=off, ${browser.version()}, gzip -9 of each body`];
  for (const entry of loaded) lines.push(`  ${entry.group.padEnd(10)} ${kb(entry.gzipped)} gz ${kb(entry.bytes)} raw  ${entry.url}`);
  const groups = new Map<Group, number>();
  for (const entry of loaded) groups.set(entry.group, (groups.get(entry.group) ?? 0) + entry.gzipped);
  lines.push('by group (gzipped):');
  for (const [group, bytes] of groups) lines.push(`  ${group.padEnd(10)} ${kb(bytes)}${SEMANTIC_GROUPS.has(group) ? '   (semantic mode)' : ''}`);
  const start = loaded.filter((e) => !SEMANTIC_GROUPS.has(e.group)).reduce((sum, e) => sum + e.gzipped, 0);
  const all = loaded.reduce((sum, e) => sum + e.gzipped, 0);
  const beforeModel = loaded.filter((e) => e.group !== 'model' && e.group !== 'wasm' && e.group !== 'worker').reduce((sum, e) => sum + e.gzipped, 0);
  lines.push(`start, before semantic mode (page + data):       ${kb(start)} gzipped`);
  lines.push(`before any model (start + vocabulary if loaded): ${kb(beforeModel)} gzipped`);
  lines.push(`everything loaded until idle:                    ${kb(all)} gzipped`);
  console.log(lines.join('\n'));
} finally {
  await browser.close();
  await server.close();
}
