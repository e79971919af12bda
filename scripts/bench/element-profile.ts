// The element section of `npm run bench:browser` on its own, with an optional Chrome trace of the
// drag and the edits: `npx tsx scripts/bench/element-profile.ts [--runs N] [--trace]`. With --trace,
// each update (performance.measure 'update …' / 'edit …' on the bench page) is broken down into
// the renderer main thread's work inside it: script, style recalculation, layout, paint and the
// rest, and the JavaScript functions with the most self time (V8 sampling profiler) are listed; the
// page is then built unminified, so the functions keep their names.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { launchChromium } from '../../test/support/chromium.js';
import { startStaticServer } from '../../test/support/static-server.js';
import { benchElementDrag } from './element-drag.js';
import { traceLines } from './trace-summary.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, trace: { type: 'boolean', default: false }, size: { type: 'string', default: '10000' } } });

const out = mkdtempSync(join(tmpdir(), 'semfilter-element-bench-'));
await build({ root: join(ROOT, 'test/bench'), logLevel: 'error', build: { minify: !values.trace, outDir: out, emptyOutDir: true, rollupOptions: { input: [join(ROOT, 'test/bench/element.html')] } } });
const server = await startStaticServer({ '/models/': join(ROOT, 'models'), '/': out });
const browser = await launchChromium();
try {
  for (let run = 0; run < Number(values.runs); run++) {
    const trace = values.trace ? { lines: [] as string[] } : undefined;
    console.log((await benchElementDrag(browser, server.url, Number(values.size), 20, trace && ((events) => trace.lines.push(...traceLines(events))))).join('\n'));
    if (trace) console.log(trace.lines.join('\n'));
  }
} finally {
  await browser.close();
  await server.close();
}
