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
import { build } from 'vite';
import { launchChromium } from '../test/support/chromium.js';
import { collectPageBytes, SEMANTIC_GROUPS, startBytes, type Group } from '../test/support/page-bytes.js';
import { startStaticServer } from '../test/support/static-server.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const QUIET_MS = 1500;
const LIMIT_MS = 60_000;

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
  const { loaded, settled, last } = collectPageBytes(page);
  const started = Date.now();
  await page.goto(`${server.url}/?semantic=off`, { waitUntil: 'load' });
  while (Date.now() - last() < QUIET_MS && Date.now() - started < LIMIT_MS) await page.waitForTimeout(100);
  await settled();
  await context.close();

  loaded.sort((a, b) => a.group.localeCompare(b.group) || b.gzipped - a.gzipped);
  const lines = [`semfilter start-up weight: the built playground at /?semantic=off, ${browser.version()}, gzip -9 of each body`];
  for (const entry of loaded) lines.push(`  ${entry.group.padEnd(10)} ${kb(entry.gzipped)} gz ${kb(entry.bytes)} raw  ${entry.url}`);
  const groups = new Map<Group, number>();
  for (const entry of loaded) groups.set(entry.group, (groups.get(entry.group) ?? 0) + entry.gzipped);
  lines.push('by group (gzipped):');
  for (const [group, bytes] of groups) lines.push(`  ${group.padEnd(10)} ${kb(bytes)}${SEMANTIC_GROUPS.has(group) ? '   (semantic mode)' : ''}`);
  const start = startBytes(loaded);
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
