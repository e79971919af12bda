import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSnapshot, manualClock, seeded, sendSnapshots, stagedConfig, startTestServer, type TestServer } from './support.js';

// The dashboard's server side, over real HTTP and SQLite: the page and its modules, the series its
// charts draw, and the admin stream. (The page itself, in Chromium: test/e2e/fleet-dashboard.test.ts.)

const WINDOW_MS = 5 * 60_000;
const clock = manualClock();
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ now: clock, limits: { publicPerMinute: 1_000_000 } });
  const guardrails = { fleetWindowMs: WINDOW_MS, minSamples: 20, minClients: 5, failingWindows: 2 };
  expect((await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig({ guardrails }) } })).status).toBe(201);
});
afterAll(async () => t.stop());

/** Reads SSE events from a fetch response until `count` named events have come. */
async function readEvents(response: Response, count: number): Promise<{ event: string; data: string }[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: string }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) events.push({ event, data });
    }
  }
  await reader.cancel();
  return events;
}

describe('the dashboard page', () => {
  it('is served at / with a CSP that allows its import map by hash, and every module it imports from this origin', async () => {
    const response = await fetch(`${t.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const importMap = /<script type="importmap">(.*?)<\/script>/s.exec(html)![1]!;
    const hash = createHash('sha256').update(importMap).digest('base64');
    expect(response.headers.get('content-security-policy')).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(html).toContain('<semfilter-fleet-dashboard>');
    const urls = Object.values(JSON.parse(importMap).imports as Record<string, string>);
    expect(urls.length).toBeGreaterThan(3);
    expect(JSON.parse(importMap).imports.lit).toMatch(/^\/assets\/lit\//);
    for (const url of [...urls, /src="([^"]+)"/.exec(html)![1]!]) {
      const asset = await fetch(t.url + url);
      expect(asset.status, url).toBe(200);
      expect(asset.headers.get('content-type')).toContain('text/javascript');
    }
  });

  it('serves no file the page does not import', async () => {
    for (const path of ['/assets/@semfilter/server/package.json', '/assets/lit/package.json', '/assets/%2e%2e/%2e%2e/package.json']) expect((await fetch(t.url + path)).status).toBe(404);
  });
});

describe('the admin API for the dashboard', () => {
  it('refuses an admin token in a URL, on the stream and on every admin route', async () => {
    for (const path of ['/v1/admin/stream', '/v1/flags', '/v1/flags/semantic-filter/series']) {
      const response = await fetch(`${t.url}${path}?key=${t.admin}`);
      expect(response.status, path).toBe(401);
      expect((await response.json()).error.message).toContain('Authorization');
    }
    expect((await fetch(`${t.url}/v1/admin/stream`)).status).toBe(401);
  });

  it('serves the fleet series per stage and mode, with each check and its threshold', async () => {
    const key = await t.token('client', 'storefront', 'semantic-filter');
    clock.set(Date.UTC(2026, 0, 1, 12, 2));
    const random = seeded(1);
    const profile = { semanticRuns: 4, traditionalRuns: 4, semanticLatencyMs: 900, semanticFallbackRate: 0, passRate: 0.5 };
    const snapshots = Array.from({ length: 10 }, (_, i) => clientSnapshot(`series-client-${String(i).padStart(8, '0')}`, { flag: 'semantic-filter', version: 1, stage: 0, mode: 'on' }, profile, random, clock()));
    expect((await sendSnapshots(t.url, key, snapshots)).status).toBe(202);
    const series = await (await t.adminFetch('/v1/flags/semantic-filter/series?points=3')).json();
    expect(series).toMatchObject({ flag: 'semantic-filter', stepMs: WINDOW_MS });
    expect(series.stages).toHaveLength(1);
    const [line] = series.stages;
    expect(line).toMatchObject({ stage: 0, mode: 'on' });
    expect(line.points).toHaveLength(3);
    const latest = line.points[2];
    expect(latest).toMatchObject({ start: Date.UTC(2026, 0, 1, 12), clients: 10, semanticRuns: 40, traditionalRuns: 40, result: 'FAIL' });
    expect(latest.passRate.traditional).toBeCloseTo(0.5, 6);
    expect(latest.checks.find((c: { metric: string }) => c.metric === 'p95_latency_ms')).toMatchObject({ status: 'FAIL', threshold: 500 });
    expect(line.points[0]).toMatchObject({ clients: 0, semanticRuns: 0, result: 'INCONCLUSIVE' });
    expect((await t.adminFetch('/v1/flags/semantic-filter/series?points=0')).status).toBe(400);
  });

  it('pushes new versions to admin readers (Authorization header): who, why and the config, in the push itself', async () => {
    const stream = await fetch(`${t.url}/v1/admin/stream`, { headers: { authorization: `Bearer ${t.admin}` } });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = readEvents(stream, 2);
    // The stream is open once its first bytes came: no race between the subscription and the change.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const killed = await t.adminFetch('/v1/flags/semantic-filter/kill', { method: 'POST', body: { reason: 'incident 7' } });
    expect(killed.status).toBe(200);
    const [ready, version] = await Promise.race([events, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no push within 5 s')), 5000))]);
    expect(ready!.event).toBe('ready');
    expect(version!.event).toBe('version');
    expect(JSON.parse(version!.data)).toMatchObject({ flag: 'semantic-filter', version: 2, action: 'kill', actor: 'alice', reason: 'incident 7', config: { killSwitch: true } });
  });
});
