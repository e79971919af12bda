import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteConfig } from '@semfilter/core/rollout';
import { startTestServer, stagedConfig, type TestServer } from './support.js';

let t: TestServer;
let clientKey: string;
beforeAll(async () => {
  t = await startTestServer();
  clientKey = await t.token('client', 'storefront', 'semantic-filter');
});
afterAll(async () => t.stop());

const put = (config: unknown, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) => t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config, reason: 'test', ...extra }, headers });

describe('serving and changing a flag over real HTTP', () => {
  it('creates a flag (201, version 1), serves it with a strong ETag and no-cache, and answers 304 on a match', async () => {
    const created = await put(stagedConfig());
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag')!;
    expect(etag).toMatch(/^"1-[A-Za-z0-9_-]+"$/);
    const first = await fetch(`${t.url}/v1/flags/semantic-filter?key=${clientKey}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe(etag);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(await first.json()).toMatchObject({ flag: 'semantic-filter', version: 1, stage: 0, killSwitch: false });
    const again = await fetch(`${t.url}/v1/flags/semantic-filter?key=${clientKey}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('refuses an edit without If-Match (428) and a stale one (412): of two edits made against one version, exactly one lands', async () => {
    const current = await t.adminFetch('/v1/flags/semantic-filter');
    const etag = current.headers.get('etag')!;
    expect((await put(stagedConfig({ stage: 1 }))).status).toBe(428);
    const [a, b] = await Promise.all([put(stagedConfig({ stage: 1 }), { 'if-match': etag }), put(stagedConfig({ stage: 2 }), { 'if-match': etag })]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const loser = a.status === 412 ? a : b;
    expect(await loser.json()).toMatchObject({ error: { code: 'VERSION_MISMATCH' } });
    const served = await (await t.adminFetch('/v1/flags/semantic-filter')).json();
    expect(served.version).toBe(2);
  });

  it('answers an invalid config with 400 and the library’s issue paths, and keeps the version in force', async () => {
    const etag = (await t.adminFetch('/v1/flags/semantic-filter')).headers.get('etag')!;
    const response = await put(stagedConfig({ stages: [0.05, 0.01], stage: 0, typo: true }), { 'if-match': etag });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('INVALID_CONFIG');
    expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['config', 'config.stages[1]']));
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect((await t.adminFetch('/v1/flags/semantic-filter')).headers.get('etag')).toBe(etag);
  });

  it('kill, promote, rollback, pause and resume each make a new version; history says who, when and why', async () => {
    const act = (action: string, reason?: string) => t.adminFetch(`/v1/flags/semantic-filter/${action}`, { method: 'POST', body: reason === undefined ? {} : { reason } });
    const stageBefore = (await (await t.adminFetch('/v1/flags/semantic-filter')).json()).stage as number;
    expect(await (await act('promote', 'canary looks good')).json()).toMatchObject({ changed: true, config: { stage: stageBefore + 1 } });
    expect(await (await act('rollback')).json()).toMatchObject({ changed: true, config: { stage: stageBefore }, settings: { paused: true } });
    expect(await (await act('resume')).json()).toMatchObject({ changed: true, settings: { paused: false } });
    expect(await (await act('kill', 'incident 42')).json()).toMatchObject({ changed: true, config: { killSwitch: true } });
    expect(await (await act('kill')).json()).toMatchObject({ changed: false }); // already killed: no new version
    expect((await act('explode')).status).toBe(404);
    const history = await (await t.adminFetch('/v1/flags/semantic-filter/history')).json();
    expect(history.versions.map((v: { action: string }) => v.action).slice(0, 4)).toEqual(['kill', 'resume', 'rollback', 'promote']);
    expect(history.versions[0]).toMatchObject({ actor: 'alice', reason: 'incident 42', config: { killSwitch: true } });
    expect(Date.parse(history.versions[0].at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('createRemoteConfig works against it unchanged, and follows a new version pushed on the SSE stream within a second', async () => {
    const remote = createRemoteConfig({ url: `${t.url}/v1/flags/semantic-filter?key=${clientKey}`, storage: null, refreshMs: 60_000 });
    await remote.refresh();
    expect(remote.source).toBe('remote');
    expect(remote.config.killSwitch).toBe(true);

    const stream = await fetch(`${t.url}/v1/flags/semantic-filter/stream?key=${clientKey}`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (needle: RegExp) => {
      while (!needle.test(received)) received += (await reader.read()).value ?? '';
    };
    await readUntil(/event: config\nid: \d+\ndata: .*\n\n/);
    const etag = (await t.adminFetch('/v1/flags/semantic-filter')).headers.get('etag')!;
    const started = Date.now();
    const changed = await put(stagedConfig({ killSwitch: false, stage: 3 }), { 'if-match': etag });
    expect(changed.status).toBe(200);
    const version = (await changed.json()).version as number;
    await readUntil(new RegExp(`id: ${version}\\ndata: .*"stage":3`));
    expect(Date.now() - started).toBeLessThan(1000);
    await reader.cancel();
  });

  it('lists flags and keeps client keys to their own flag', async () => {
    expect((await t.adminFetch('/v1/flags')).status).toBe(200);
    expect((await fetch(`${t.url}/v1/flags?key=${clientKey}`)).status).toBe(403);
    const other = await t.token('client', 'other-app', 'another-flag');
    const response = await fetch(`${t.url}/v1/flags/semantic-filter?key=${other}`);
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toContain('another-flag');
  });

  it('keeps a pause across an edit that does not mention it: editing the schedule never resumes a paused rollout', async () => {
    const flag = 'paused-flag';
    const edit = async (settings: Record<string, unknown>) => {
      const etag = (await t.adminFetch(`/v1/flags/${flag}`)).headers.get('etag')!;
      return (await t.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag }), settings }, headers: { 'if-match': etag } })).json();
    };
    expect((await t.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag }) } })).status).toBe(201);
    await t.adminFetch(`/v1/flags/${flag}/pause`, { method: 'POST', body: {} });
    expect(await edit({ onFail: 'previousStage', schedule: [0, 1, 2].map(() => ({ minDurationMs: 0, passWindows: 1 })) })).toMatchObject({ settings: { paused: true, onFail: 'previousStage' } });
    expect(await edit({ paused: false })).toMatchObject({ settings: { paused: false } });
  });
});

