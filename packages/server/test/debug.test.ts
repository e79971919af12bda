import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEmbedder } from '@semfilter/node';
import { startTestServer, type TestServer } from './support.js';

// The debug endpoint with the real MiniLM model (the Node embedder over the fetched model files).
let t: TestServer;
let debugToken: string;
beforeAll(async () => {
  const embedder = createNodeEmbedder({ dtype: 'fp32' });
  t = await startTestServer({ embedder: async () => embedder, debugMaxItems: 100 });
  debugToken = await t.token('debug', 'support-desk');
});
afterAll(async () => t.stop());

const ITEMS = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Office', mood: 'Confident' },
  { id: 'hoodie', name: 'Grey hoodie', style: 'Streetwear', occasion: 'Weekend', mood: 'Relaxed' },
  { id: 'dress', name: 'Sequin dress', style: 'Glam', occasion: 'Party', mood: 'Playful' },
];

const post = (body: unknown, token = debugToken) =>
  fetch(`${t.url}/v1/debug/filter`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /v1/debug/filter', () => {
  it('answers both reports, from the real model, and the items that flip', async () => {
    const response = await post({ items: ITEMS, request: { style: 'smart casual', occasion: 'work' } });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.traditional.semantic_mode_active).toBe(false);
    expect(body.semantic.semantic_mode_active).toBe(true);
    expect(body.semantic.model).toMatchObject({ id: 'Xenova/all-MiniLM-L6-v2' });
    // Exact matching knows neither "smart casual" nor "work" on these items; the model places "office" with "work".
    expect(body.traditional.filter_pass_rate).toBe(0);
    const blazer = body.semantic.items.find((i: { id: string }) => i.id === 'blazer');
    expect(blazer.passed).toBe(true);
    expect(body.flips).toContainEqual({ id: 'blazer', traditional: false, semantic: true });
    expect(body.semantic.items.find((i: { id: string }) => i.id === 'dress').passed).toBe(false);
  });

  it('answers bad input with 400 and the library’s paths; too many items, a client key and no token are refused', async () => {
    const bad = await post({ items: [{ id: 'a', style: 42 }], request: { mood: ['calm', 7] } });
    expect(bad.status).toBe(400);
    const issues = (await bad.json()).error.issues.map((i: { path: string }) => i.path);
    expect(issues).toEqual(expect.arrayContaining(['items[0].style', 'request.mood[1]']));
    const many = await post({ items: Array.from({ length: 101 }, (_, i) => ({ id: `i${i}` })), request: {} });
    expect((await many.json()).error.issues).toEqual([{ path: 'items', message: 'expected at most 100 items (received 101)' }]);
    const client = await t.token('client', 'web', 'semantic-filter');
    expect((await post({ items: ITEMS, request: {} }, client)).status).toBe(403);
    expect((await fetch(`${t.url}/v1/debug/filter`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
  });
});
