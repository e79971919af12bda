import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createFleetServer, SqliteStore, type Store } from '../src/index.js';
import { clientSnapshot, manualClock, seeded, sendSnapshots, stagedConfig, startTestServer } from './support.js';

const HEALTHY = { semanticRuns: 4, traditionalRuns: 4, semanticLatencyMs: 100, semanticFallbackRate: 0, passRate: 0.5 };

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Reads an SSE response's text until it ends or `stop` says enough; whether it ended. */
async function readUntil(response: Response, stop: (text: string) => boolean): Promise<{ text: string; ended: boolean }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { text, ended: true };
    text += value;
    if (stop(text)) {
      await reader.cancel();
      return { text, ended: false };
    }
  }
}

const pings = (text: string) => text.split(': ping').length - 1;

describe('hardening the fleet server', () => {
  it('with trustProxy, clients behind the proxy get a rate-limit bucket each; without it a forged X-Forwarded-For changes nothing', async () => {
    const statuses = async (trustProxy: number | undefined) => {
      const t = await startTestServer({ limits: { publicPerMinute: 2 }, ...(trustProxy === undefined ? {} : { trustProxy }) });
      cleanups.push(() => t.stop());
      await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
      const key = await t.token('client', 'shop', 'semantic-filter');
      const result: number[] = [];
      for (const address of ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.2', '203.0.113.1']) {
        result.push((await fetch(`${t.url}/v1/flags/semantic-filter?key=${key}`, { headers: { 'x-forwarded-for': address } })).status);
      }
      return result;
    };
    expect(await statuses(1)).toEqual([200, 200, 200, 200, 429]);
    expect(await statuses(undefined)).toEqual([200, 200, 429, 429, 429]);
  });

  it('one flag whose evaluation throws does not stop the flags after it in the tick; the failure is logged with the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'semfilter-server-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sqlite = new SqliteStore(join(dir, 'fleet.db'));
    // A fake fault around a real store: reading one flag's windows fails.
    const store = new Proxy(sqlite, {
      get(target, property, receiver) {
        if (property === 'windows') return (key: { flag: string }, since: number) => (key.flag === 'aaa-broken' ? Promise.reject(new Error('disk I/O error')) : target.windows(key as never, since));
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const lines: string[] = [];
    const clock = manualClock();
    const t = await startTestServer({ store, dir, now: clock, logger: pino({ level: 'warn' }, new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) })) });
    cleanups.push(() => t.stop());
    for (const flag of ['aaa-broken', 'zzz-fine']) await t.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag }) } });
    clock.advance(6 * 60_000);
    await t.server.tick();
    expect(await sqlite.recentWindows('zzz-fine', 10)).toHaveLength(1);
    const failure = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.flag === 'aaa-broken');
    expect(failure).toMatchObject({ flag: 'aaa-broken', error: expect.any(String) });
  });

  it('prunes old snapshot ids and buckets once at start, not only an hour later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'semfilter-server-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = new SqliteStore(join(dir, 'fleet.db'));
    await store.migrate();
    const clock = manualClock();
    const old = clock() - 3 * 24 * 60 * 60_000;
    const snapshot = clientSnapshot('client-aaaaaaaaaaaaaaaa', { flag: 'semantic-filter', version: 1, stage: 0, mode: 'on' }, HEALTHY, seeded(1), old);
    await store.ingest([snapshot], old);
    const key = { flag: 'semantic-filter', stage: 0, mode: 'on' };
    expect((await store.windowData(key, 0, clock())).snapshots).toBe(1);
    const server = await createFleetServer({ store, now: clock, evaluateEveryMs: 60 * 60_000 });
    cleanups.push(() => server.close());
    expect((await store.windowData(key, 0, clock())).snapshots).toBe(0);
  });

  it('answers a snapshot for another flag with 400 FOREIGN_FLAG (the key is fine, the body is not), and a wrong key still 401', async () => {
    const t = await startTestServer();
    cleanups.push(() => t.stop());
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
    const key = await t.token('client', 'shop', 'semantic-filter');
    const foreign = clientSnapshot('client-bbbbbbbbbbbbbbbb', { flag: 'other-flag', version: 1, stage: 0, mode: 'on' }, HEALTHY, seeded(2), Date.now());
    const refused = await sendSnapshots(t.url, key, [foreign]);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({ code: 'FOREIGN_FLAG', message: 'body.snapshots[0].flag: this client key reports for "semantic-filter" only' });
    const unknown = await sendSnapshots(t.url, `sf_ck_${'C'.repeat(43)}`, [foreign]);
    expect(unknown.status).toBe(401);
  });

  it('caps concurrent streams (config and admin together) with 503 and Retry-After, and takes new ones once one closes', async () => {
    const t = await startTestServer({ maxStreams: 1 });
    cleanups.push(() => t.stop());
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
    const key = await t.token('client', 'shop', 'semantic-filter');
    const first = await fetch(`${t.url}/v1/flags/semantic-filter/stream?key=${key}`);
    expect(first.status).toBe(200);
    const second = await fetch(`${t.url}/v1/flags/semantic-filter/stream?key=${key}`);
    expect(second.status).toBe(503);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await second.json()).error.code).toBe('UNAVAILABLE');
    const admin = await t.adminFetch('/v1/admin/stream');
    expect(admin.status).toBe(503);
    await admin.body?.cancel();
    await first.body!.cancel();
    await expect.poll(async () => {
      const again = await fetch(`${t.url}/v1/flags/semantic-filter/stream?key=${key}`);
      await again.body?.cancel();
      return again.status;
    }).toBe(200);
  });

  it('closes a stream at its next ping once its token is revoked (config and admin streams)', async () => {
    const t = await startTestServer({ streams: { pingMs: 50 } });
    cleanups.push(() => t.stop());
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
    const key = await t.token('client', 'shop', 'semantic-filter');
    const operator = await t.token('admin', 'bob');
    const config = await fetch(`${t.url}/v1/flags/semantic-filter/stream?key=${key}`);
    const admin = await fetch(`${t.url}/v1/admin/stream`, { headers: { authorization: `Bearer ${operator}` } });
    expect([config.status, admin.status]).toEqual([200, 200]);
    const tokens = await t.server.store.listTokens();
    for (const record of tokens.filter((r) => r.name === 'shop' || r.name === 'bob')) await t.server.store.revokeToken(record.id, Date.now());
    await t.server.reloadTokens();
    // A ping may already be on its way from before the revoke; a live stream would keep pinging.
    for (const response of [config, admin]) {
      const read = await readUntil(response, (text) => pings(text.slice(text.indexOf('\n\n'))) >= 3);
      expect(read.ended).toBe(true);
    }
  });

  it('on close: new streams get 503, open ones end, close resolves within its grace while a webhook target hangs, and the delivery resumes at the next start', async () => {
    let hooked = 0;
    const hanging = createServer(() => void hooked++); // takes the request, never answers
    const received: { id: string | undefined; body: string }[] = [];
    const healthy = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ id: request.headers['webhook-id'] as string | undefined, body });
        response.writeHead(204).end();
      });
    });
    for (const receiver of [hanging, healthy]) {
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => {
        receiver.closeAllConnections();
        return new Promise<void>((resolve) => receiver.close(() => resolve()));
      });
    }
    const dir = mkdtempSync(join(tmpdir(), 'semfilter-server-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const t = await startTestServer({ dir, shutdownGraceMs: 1500 });
    await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
    const hook = await (await t.adminFetch('/v1/flags/semantic-filter/webhooks', { method: 'POST', body: { url: `http://127.0.0.1:${(hanging.address() as { port: number }).port}/hook` } })).json();
    const key = await t.token('client', 'shop', 'semantic-filter');
    const open = await fetch(`${t.url}/v1/flags/semantic-filter/stream?key=${key}`);
    await t.adminFetch('/v1/flags/semantic-filter/kill', { method: 'POST', body: { reason: 'incident 9' } });
    await expect.poll(() => hooked).toBe(1); // the delivery is in flight

    const closing = t.stop();
    const late = await fetch(`${t.url}/v1/flags/semantic-filter/stream?key=${key}`);
    expect(late.status).toBe(503);
    expect((await late.json()).error.code).toBe('UNAVAILABLE');
    const ready = await fetch(`${t.url}/readyz`); // a balancer stops sending here while deliveries get their grace
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'shutting down' });
    expect((await readUntil(open, () => false)).ended).toBe(true);
    await closing;

    // The next start: the same webhook now points at a receiver that answers; the kept delivery goes out, same event id.
    const store = new SqliteStore(join(dir, 'fleet.db'));
    await store.migrate();
    const pending = await store.takePendingDeliveries();
    expect(pending).toMatchObject([{ webhookId: hook.id, event: 'kill', attempt: 1 }]);
    await store.deleteWebhook('semantic-filter', hook.id);
    await store.insertWebhook({ id: hook.id, flag: 'semantic-filter', url: `http://127.0.0.1:${(healthy.address() as { port: number }).port}/hook`, secret: 'a-test-secret-of-16+', createdAt: Date.now() });
    await store.savePendingDelivery(pending[0]!);
    // A start that fails (a proxy list Fastify refuses) leaves the kept delivery in the store.
    await expect(createFleetServer({ store, evaluateEveryMs: 0, trustProxy: ['not-an-address'] })).rejects.toThrow();
    const next = await createFleetServer({ store, evaluateEveryMs: 0 });
    cleanups.push(() => next.close());
    await next.webhooks.settled();
    expect(received).toHaveLength(1);
    expect(received[0]!.id).toBe(pending[0]!.eventId);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'kill', flag: 'semantic-filter' });
    expect(await store.takePendingDeliveries()).toEqual([]);
  });
});
