import { expect } from 'chai';
import type { ModelCacheFrame } from './fixtures/model-cache-frame.js';
import { framePage, freshPrefix, setHtml } from './helpers.js';

// A user's view of a server that answers the model's URLs with an HTML page and status 200 (a
// single-page app's fallback route, a login redirect, a proxy's error page), and is then fixed.
// The page under test is a same-origin iframe that the test reloads for real: a new document, a new
// facade and a new worker; only the browser's Cache API and HTTP cache outlive the reload.
const FIXTURE = '/test/browser/fixtures/model-cache-frame.html';
const MODEL = 'Xenova/all-MiniLM-L6-v2';

const frames = framePage<ModelCacheFrame>('modelCacheFrame');
const frameApi = frames.api;
const reload = frames.reload;

function openFrame(models: string): Promise<HTMLIFrameElement> {
  return frames.open(`${FIXTURE}?models=${encodeURIComponent(models)}`);
}

/** What transformers-cache holds under `models`: each key (relative to it) with what its body starts with. */
async function cached(models: string): Promise<Map<string, { type: string; start: string; bytes: number }>> {
  const cache = await caches.open('transformers-cache');
  const base = new URL(models, location.href).href;
  const found = new Map<string, { type: string; start: string; bytes: number }>();
  for (const request of await cache.keys()) {
    if (!request.url.startsWith(base)) continue;
    const response = (await cache.match(request))!;
    const body = await response.blob();
    const start = new TextDecoder().decode(await body.slice(0, 16).arrayBuffer());
    found.set(request.url.slice(base.length), { type: response.headers.get('content-type') ?? '', start, bytes: body.size });
  }
  return found;
}

function expectOnlyModelFiles(entries: Map<string, { type: string; start: string; bytes: number }>): void {
  for (const [key, entry] of entries) {
    expect(entry.type, key).to.not.match(/text\/html/);
    expect(entry.start.trimStart(), key).to.not.match(/^</);
  }
}

describe('model loading heals itself', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  it('a server that answered the model files with an HTML page (200) is used as soon as it is fixed, after a reload', async () => {
    const prefix = freshPrefix('html-200');
    const models = `${prefix}/models/`;
    await setHtml(models, true);
    try {
      const frame = await openFrame(models);
      const broken = await frameApi(frame);
      const report = await broken.run();
      expect(report.fallback_reason).to.equal('MODEL_UNAVAILABLE');
      expect(report.dimension_modes).to.deep.equal({ style: 'exact' });
      expect(broken.state()).to.equal('fallback');
      // The reason names the file and what came instead, not a JSON parser's complaint.
      expect(broken.errors.at(-1)).to.match(new RegExp(`^the server answered \\S*${prefix}/models/${MODEL}/\\S+ with an HTML page \\(status 200\\), not the model file$`));
      expectOnlyModelFiles(await cached(models));
      expect([...(await cached(models)).keys()]).to.deep.equal([]);

      await setHtml(models, false); // the server is fixed
      const fixed = await reload(frame);
      const after = await fixed.run();
      expect(after.fallback_reason).to.equal(null);
      expect(after.semantic_mode_active).to.equal(true);
      expect(after.dimension_modes).to.deep.equal({ style: 'semantic' });
      expect(fixed.state()).to.equal('ready');
      const kept = await cached(models);
      expectOnlyModelFiles(kept);
      expect([...kept.keys()].sort()).to.deep.equal([`${MODEL}/config.json`, `${MODEL}/onnx/model.onnx`, `${MODEL}/tokenizer.json`, `${MODEL}/tokenizer_config.json`]);
    } finally {
      await setHtml(models, false);
    }
  });

  it('a load that fails on the ONNX file keeps none of the files it cached, and the next page load gets the model', async () => {
    const prefix = freshPrefix('onnx-html');
    const models = `${prefix}/models/`;
    await setHtml(`${models}${MODEL}/onnx/`, true); // the JSON files are served; the model is not
    try {
      const frame = await openFrame(models);
      const broken = await frameApi(frame);
      expect((await broken.run()).fallback_reason).to.equal('MODEL_UNAVAILABLE');
      expect(broken.errors.at(-1)).to.match(new RegExp(`^the server answered \\S*${prefix}/models/${MODEL}/onnx/model\\.onnx with an HTML page \\(status 200\\), not the model file$`));
      expect([...(await cached(models)).keys()]).to.deep.equal([]);

      await setHtml(`${models}${MODEL}/onnx/`, false);
      const fixed = await reload(frame);
      expect((await fixed.run()).fallback_reason).to.equal(null);
      expect(fixed.state()).to.equal('ready');
      expect((await cached(models)).size).to.equal(4);
    } finally {
      await setHtml(`${models}${MODEL}/onnx/`, false);
    }
  });

  it('an HTML page an earlier version cached as config.json is dropped and the model loads', async () => {
    const models = `${freshPrefix('poisoned')}/models/`;
    // What transformers.js 2.17.2 on its own keeps when the server answers with its index.html.
    const key = new URL(`${models}${MODEL}/config.json`, location.href).href;
    const cache = await caches.open('transformers-cache');
    await cache.put(key, new Response('<!doctype html><title>app</title>', { headers: { 'content-type': 'text/html' } }));

    const frame = await openFrame(models);
    const page = await frameApi(frame);
    const report = await page.run();
    expect(report.fallback_reason).to.equal(null);
    expect(page.state()).to.equal('ready');
    const kept = await cached(models);
    expectOnlyModelFiles(kept);
    expect(JSON.parse(await (await cache.match(key))!.text())).to.have.property('model_type', 'bert');
  });
});
