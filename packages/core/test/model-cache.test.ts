// What the model file cache keeps and refuses. The Cache API itself is exercised in Chromium
// (test/browser/model-cache.test.ts); here a Map stands in for it, so each check is seen on its own.
import { describe, expect, it } from 'vitest';
import { createModelFileCache, installModelFileCache } from '../src/worker/model-cache.js';

const BASE = 'http://site.test/models/Xenova/all-MiniLM-L6-v2/';
const CONFIG = JSON.stringify({ model_type: 'bert', hidden_size: 384 });
const ONNX_START = Uint8Array.from([0x08, 0x08, 0x12, 0x07, 0x70, 0x79, 0x74, 0x6f]);
const SIZES = new Map([['config.json', CONFIG.length], ['onnx/model.onnx', ONNX_START.length]]);

/** A fake of the Cache API's Cache: the methods the model cache calls, over a Map. */
class FakeCache {
  readonly entries = new Map<string, Response>();
  async match(key: string) {
    return this.entries.get(key)?.clone();
  }
  async put(key: string, response: Response) {
    this.entries.set(key, response);
  }
  async delete(key: string) {
    return this.entries.delete(key);
  }
}

function setup(sizes: ReadonlyMap<string, number> = SIZES) {
  const fake = new FakeCache();
  return { fake, cache: createModelFileCache(sizes, async () => fake as unknown as Cache) };
}

const json = (body: string) => new Response(body, { headers: { 'content-type': 'application/json' } });

describe('model file cache', () => {
  it('keeps the model files and hands them back', async () => {
    const { fake, cache } = setup();
    await cache.put(`${BASE}config.json`, json(CONFIG));
    await cache.put(`${BASE}onnx/model.onnx`, new Response(ONNX_START));
    expect([...fake.entries.keys()]).toEqual([`${BASE}config.json`, `${BASE}onnx/model.onnx`]);
    expect(await (await cache.match(`${BASE}config.json`))!.text()).toBe(CONFIG);
    expect(cache.problem).toBeUndefined();
  });

  it.each([
    ['an HTML page by its content type', 'config.json', new Response('{}', { headers: { 'content-type': 'text/html; charset=utf-8' } }), 'an HTML page'],
    ['an HTML page by its first bytes', 'config.json', json('\n  <!doctype html><html></html>'), 'an HTML page'],
    ['a .json file that does not parse', 'tokenizer.json', json('{"truncated": '), 'a file that is not JSON'],
    ['an .onnx file that is not ONNX', 'onnx/model_quantized.onnx', new Response('PK\u0003\u0004zip'), 'a file that is not an ONNX model'],
    ['a size other than the manifest says', 'config.json', json('{}'), `2 bytes where the model's manifest says ${CONFIG.length}`],
  ])('refuses %s, and says which URL answered what', async (_, file, response, what) => {
    const { fake, cache } = setup();
    await cache.put(`${BASE}${file}`, response);
    expect(fake.entries.size).toBe(0);
    expect(cache.problem).toBe(`the server answered ${BASE}${file} with ${what} (status 200), not the model file`);
    expect((await cache.failed(new SyntaxError("Unexpected token '<'"))).message).toBe(cache.problem);
  });

  it('drops an entry an earlier version kept, so the file is fetched again', async () => {
    const { fake, cache } = setup();
    fake.entries.set(`${BASE}config.json`, new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }));
    expect(await cache.match(`${BASE}config.json`)).toBeUndefined();
    expect(fake.entries.size).toBe(0);
  });

  it('a failed load deletes what it cached and keeps nothing written after', async () => {
    const { fake, cache } = setup();
    fake.entries.set(`${BASE}tokenizer.json`, json('{"kept": "from a load that worked"}'));
    await cache.put(`${BASE}config.json`, json(CONFIG));
    const error = await cache.failed(new Error('session failed'));
    expect(error.message).toBe('session failed'); // nothing was refused: the load's own error
    await cache.put(`${BASE}onnx/model.onnx`, new Response(ONNX_START)); // a part of the load still finishing
    expect([...fake.entries.keys()]).toEqual([`${BASE}tokenizer.json`]);
  });

  it('without the Cache API it still checks, and keeps nothing', async () => {
    const cache = createModelFileCache(SIZES, () => Promise.reject(new DOMException('denied', 'SecurityError')));
    await cache.put(`${BASE}config.json`, json(CONFIG));
    expect(await cache.match(`${BASE}config.json`)).toBeUndefined();
    await cache.put(`${BASE}tokenizer.json`, new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    expect(cache.problem).toMatch(/tokenizer\.json with an HTML page/);
  });

  it('takes the place of transformers.js\'s own browser cache', () => {
    const settings = { useBrowserCache: true, useCustomCache: false, customCache: null as unknown };
    const cache = installModelFileCache(settings, SIZES, async () => new FakeCache() as unknown as Cache);
    expect(settings).toEqual({ useBrowserCache: false, useCustomCache: true, customCache: cache });
  });
});
