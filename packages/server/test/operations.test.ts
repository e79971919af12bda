import { createServer, type IncomingMessage } from 'node:http';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { clientSnapshot, manualClock, seeded, sendSnapshots, stagedConfig, startTestServer } from './support.js';

const HEALTHY = { semanticRuns: 4, traditionalRuns: 4, semanticLatencyMs: 100, semanticFallbackRate: 0, passRate: 0.5 };
const SLOW = { ...HEALTHY, semanticLatencyMs: 900 };
const GUARDRAILS = { fleetWindowMs: 300_000, minSamples: 20, minClients: 5, failingWindows: 2 };

/** A local webhook receiver: answers 500 to the first `failFirst` deliveries, 204 after; keeps what it received. */
async function receiver(failFirst: number) {
  const received: { headers: IncomingMessage['headers']; body: string; status: number }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const status = received.length < failFirst ? 500 : 204;
      received.push({ headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('operating the server', () => {
  it('delivers a signed alert on a kill switch, retried after a 500, with every attempt in the delivery log', async () => {
    const t = await startTestServer({ webhookBaseDelayMs: 20 });
    cleanups.push(() => t.stop());
    const hook = await receiver(1);
    cleanups.push(hook.close);
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
    const created = await t.adminFetch('/v1/flags/semantic-filter/webhooks', { method: 'POST', body: { url: hook.url } });
    expect(created.status).toBe(201);
    const { id, secret } = await created.json();
    expect(secret).toMatch(/^whsec_/);
    const listed = await (await t.adminFetch('/v1/flags/semantic-filter/webhooks')).json();
    expect(JSON.stringify(listed)).not.toContain(secret); // shown once, never again

    await t.adminFetch('/v1/flags/semantic-filter/kill', { method: 'POST', body: { reason: 'incident 7' } });
    await t.server.webhooks.settled();
    expect(hook.received.map((r) => r.status)).toEqual([500, 204]);
    const delivered = hook.received[1]!;
    const signed = `${delivered.headers['webhook-id']}.${delivered.headers['webhook-timestamp']}.${delivered.body}`;
    // As a Standard Webhooks receiver checks it: the key is the base64 after `whsec_`.
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(key).toHaveLength(32);
    expect(delivered.headers['webhook-signature']).toBe(`v1,${createHmac('sha256', key).update(signed).digest('base64')}`);
    expect(hook.received[0]!.headers['webhook-id']).toBe(delivered.headers['webhook-id']); // a retry is the same event
    const body = JSON.parse(delivered.body);
    expect(body).toMatchObject({ event: 'kill', flag: 'semantic-filter' });
    expect(body.text).toContain('incident 7'); // Slack shows `text`
    const log = await (await t.adminFetch('/v1/flags/semantic-filter/deliveries')).json();
    expect(log.deliveries.map((d: { attempt: number; ok: boolean; status: number }) => [d.attempt, d.ok, d.status])).toEqual([
      [2, true, 204],
      [1, false, 500],
    ]);
    expect(log.deliveries[0].webhookId).toBe(id);
  });

  it('keeps the window across a restart mid-window: snapshots before and after are judged together, and failures in a row still count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'semfilter-restart-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const clock = manualClock(Date.UTC(2026, 1, 1, 12));
    let t = await startTestServer({ dir, now: clock });
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig({ guardrails: GUARDRAILS }) } });
    const key = await t.token('client', 'shop', 'semantic-filter');
    const send = async (profile: typeof HEALTHY, from: number, count: number) => {
      const random = seeded(from);
      const version = (await (await t.adminFetch('/v1/flags/semantic-filter')).json()).version;
      for (let i = from; i < from + count; i++) {
        const response = await sendSnapshots(t.url, key, [clientSnapshot(`client-${String(i).padStart(12, '0')}`, { flag: 'semantic-filter', version, stage: 0, mode: 'on' }, profile, random, clock())]);
        expect(response.status).toBe(202);
      }
    };
    clock.advance(60_000);
    await send(SLOW, 0, 10);
    clock.advance(240_000);
    await t.server.tick(); // window 1 closes: FAIL
    clock.advance(60_000);
    await send(SLOW, 100, 5); // half of window 2 …
    await t.stop();
    t = await startTestServer({ dir, now: clock }); // … the server restarts …
    cleanups.push(() => t.stop());
    await send(SLOW, 200, 5); // … and the other half arrives
    clock.advance(240_000);
    await t.server.tick();
    const windows = (await (await t.adminFetch('/v1/flags/semantic-filter/windows')).json()).windows;
    expect(windows.map((w: { result: string; clients: number }) => [w.result, w.clients])).toEqual([
      ['FAIL', 10],
      ['FAIL', 10],
    ]);
    const served = await (await t.adminFetch('/v1/flags/semantic-filter')).json();
    expect(served.killSwitch).toBe(true); // the second FAIL in a row, across the restart, rolled back
  });

  it('exposes /healthz, /readyz and Prometheus metrics without a token or a user detail in them', async () => {
    const t = await startTestServer();
    cleanups.push(() => t.stop());
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
    const key = await t.token('client', 'shop', 'semantic-filter');
    await sendSnapshots(t.url, key, [clientSnapshot('client-hhhhhhhhhhhhhhhh', { flag: 'semantic-filter', version: 1, stage: 0, mode: 'on' }, HEALTHY, seeded(9), Date.now())]);
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${t.url}/readyz`)).json()).toMatchObject({ status: 'ready', store: 'sqlite', flags: 1 });
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toContain('semfilter_ingest_snapshots_total{result="accepted"} 1');
    expect(text).toContain('semfilter_config_version{flag="semantic-filter"} 1');
    expect(text).toContain('semfilter_rollout_share{flag="semantic-filter"} 0.01');
    expect(text).not.toContain('client-hhhh');
    expect(text).not.toContain(key);
  });

  it('rate-limits per address with a JSON 429 and Retry-After', async () => {
    const t = await startTestServer({ limits: { publicPerMinute: 3 } });
    cleanups.push(() => t.stop());
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
    const key = await t.token('client', 'shop', 'semantic-filter');
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await fetch(`${t.url}/v1/flags/semantic-filter?key=${key}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await last!.json()).error.code).toBe('RATE_LIMITED');
  });

  it('logs every request as JSON with its route and status, never a token, a key, a query string or a body', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
    const t = await startTestServer({ logger: pino({ level: 'debug' }, sink) });
    cleanups.push(() => t.stop());
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig(), reason: 'secret-reason-text' } });
    const key = await t.token('client', 'shop', 'semantic-filter');
    await fetch(`${t.url}/v1/flags/semantic-filter?key=${key}`);
    await sendSnapshots(t.url, key, [clientSnapshot('client-iiiiiiiiiiiiiiii', { flag: 'semantic-filter', version: 1, stage: 0, mode: 'on' }, HEALTHY, seeded(10), Date.now())]);
    await fetch(`${t.url}/v1/flags/semantic-filter?key=sf_ck_${'B'.repeat(43)}`); // a wrong key: 401, logged without it
    const log = lines.join('');
    const entries = lines.map((line) => JSON.parse(line) as { path?: string; status?: number });
    expect(entries.filter((e) => e.path !== undefined).map((e) => [e.path, e.status])).toEqual([
      ['/v1/flags/:flag', 201],
      ['/v1/flags/:flag', 200],
      ['/v1/metrics', 202],
      ['/v1/flags/:flag', 401],
    ]);
    for (const secret of [t.admin, key, 'B'.repeat(43), 'client-iiii', 'secret-reason-text', '?key=']) expect(log).not.toContain(secret);
  });

  it('keeps windows contiguous when the window length changes mid-stage, and promotes only once a backlog is judged', async () => {
    const clock = manualClock(Date.UTC(2026, 2, 1, 12));
    const t = await startTestServer({ now: clock });
    cleanups.push(() => t.stop());
    const schedule = [0, 1, 2].map(() => ({ minDurationMs: 0, passWindows: 1 }));
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig({ guardrails: GUARDRAILS }), settings: { schedule, paused: true } } });
    const key = await t.token('client', 'shop', 'semantic-filter');
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) await sendSnapshots(t.url, key, [clientSnapshot(`client-${String(i).padStart(12, '0')}`, { flag: 'semantic-filter', version: 1, stage: 0, mode: 'on' }, HEALTHY, seeded(i), clock())]);
    };
    await send(10);
    clock.advance(300_000);
    await t.server.tick(); // window 1: 5 min
    const etag = (await t.adminFetch('/v1/flags/semantic-filter')).headers.get('etag')!;
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig({ guardrails: { ...GUARDRAILS, fleetWindowMs: 600_000 } }) }, headers: { 'if-match': etag } });
    clock.advance(30 * 60_000); // half an hour down: three 10-minute windows are due at once
    await t.adminFetch('/v1/flags/semantic-filter/resume', { method: 'POST', body: {} });
    await t.server.tick();
    const windows = ((await (await t.adminFetch('/v1/flags/semantic-filter/windows')).json()).windows as { start: number; end: number }[]).reverse();
    expect(windows.map((w) => (w.end - w.start) / 60_000)).toEqual([5, 10, 10, 10]);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.start).toBe(windows[i - 1]!.end);
    expect((await (await t.adminFetch('/v1/flags/semantic-filter')).json()).stage).toBe(1); // promoted once every due window was judged
  });
});

