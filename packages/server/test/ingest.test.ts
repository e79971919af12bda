import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetSnapshotSchema } from '@semfilter/core/metrics';
import { clientSnapshot, seeded, sendSnapshots, stagedConfig, startTestServer, type TestServer } from './support.js';

const APP_ORIGIN = 'https://shop.example';
let t: TestServer;
let key: string;
const CONFIG = { flag: 'semantic-filter', version: 1, stage: 0, mode: 'on' as const };
const HEALTHY = { semanticRuns: 20, traditionalRuns: 20, semanticLatencyMs: 80, semanticFallbackRate: 0, passRate: 0.5 };

beforeAll(async () => {
  t = await startTestServer({ allowedOrigins: [APP_ORIGIN] });
  key = await t.token('client', 'storefront', 'semantic-filter');
  await t.adminFetch('/v1/flags/semantic-filter', { method: 'PUT', body: { config: stagedConfig() } });
});
afterAll(async () => t.stop());

/** Snapshots counted so far for the demo flag's first stage. */
async function counted(): Promise<number> {
  return (await t.server.store.windowData({ flag: 'semantic-filter', stage: 0, mode: 'on' }, 0, Number.MAX_SAFE_INTEGER)).snapshots;
}

describe('POST /v1/metrics', () => {
  it('takes a beacon-style text/plain batch (202), and counts a resent snapshot once', async () => {
    const random = seeded(1);
    const snapshot = clientSnapshot('client-aaaaaaaaaaaaaaaa', CONFIG, HEALTHY, random, Date.now());
    expect(fleetSnapshotSchema.safeParse(snapshot).success).toBe(true);
    const first = await sendSnapshots(t.url, key, [snapshot]);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 1, duplicates: 0 });
    const resent = await sendSnapshots(t.url, key, [snapshot]);
    expect(await resent.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await counted()).toBe(1);
  });

  it('refuses, storing nothing: a body over 64 KB (413), bad JSON (400), a user id or a tag slipped in (400 with the path), another flag (400 FOREIGN_FLAG)', async () => {
    const before = await counted();
    const random = seeded(2);
    const snapshot = (id: string) => clientSnapshot(id, CONFIG, HEALTHY, random, Date.now());
    const big = await fetch(`${t.url}/v1/metrics?key=${key}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ snapshots: [snapshot('client-bbbbbbbbbbbbbbbb')], pad: 'x'.repeat(70_000) }) });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('BODY_TOO_LARGE');
    const broken = await fetch(`${t.url}/v1/metrics?key=${key}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"snapshots": [' });
    expect(broken.status).toBe(400);
    const withUser = { ...snapshot('client-cccccccccccccccc'), user_id: 'u-42' };
    const refused = await sendSnapshots(t.url, key, [withUser as never]);
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.error.issues[0].path).toBe('body.snapshots[0]');
    expect(body.error.issues[0].message).toContain('user_id');
    const withTag = snapshot('client-dddddddddddddddd');
    const tagged = { ...withTag, modes: { ...withTag.modes, semantic: { ...withTag.modes.semantic, tag: 'boho' } } };
    expect((await sendSnapshots(t.url, key, [tagged as never])).status).toBe(400);
    const foreign = await sendSnapshots(t.url, key, [{ ...snapshot('client-eeeeeeeeeeeeeeee'), flag: 'other-flag' }]);
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).error.code).toBe('FOREIGN_FLAG');
    expect(await counted()).toBe(before);
  });

  it('needs a live client key: missing, wrong and revoked keys get 401, an admin token 403', async () => {
    const snapshot = clientSnapshot('client-ffffffffffffffff', CONFIG, HEALTHY, seeded(3), Date.now());
    const post = (query: string, headers: Record<string, string> = {}) =>
      fetch(`${t.url}/v1/metrics${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ snapshots: [snapshot] }) });
    expect((await post('')).status).toBe(401);
    expect((await post('?key=sf_ck_' + 'A'.repeat(43))).status).toBe(401);
    expect((await post('?key=not-a-token')).status).toBe(401);
    expect((await post('', { authorization: `Bearer ${t.admin}` })).status).toBe(403);
    const revokedKey = await t.token('client', 'old-app', 'semantic-filter');
    const records = await t.server.store.listTokens();
    const record = records.find((r) => r.name === 'old-app')!;
    await t.server.store.revokeToken(record.id, Date.now());
    await t.server.reloadTokens();
    const revoked = await post(`?key=${revokedKey}`);
    expect(revoked.status).toBe(401);
    expect(JSON.stringify(await revoked.json())).not.toContain(revokedKey);
  });

  it('answers CORS for the configured app origin only', async () => {
    const preflight = await fetch(`${t.url}/v1/metrics?key=${key}`, { method: 'OPTIONS', headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const snapshot = clientSnapshot('client-gggggggggggggggg', CONFIG, HEALTHY, seeded(4), Date.now());
    const beacon = await fetch(`${t.url}/v1/metrics?key=${key}`, { method: 'POST', headers: { origin: APP_ORIGIN, 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ snapshots: [snapshot] }) });
    expect(beacon.status).toBe(202);
    expect(beacon.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const stranger = await fetch(`${t.url}/v1/metrics?key=${key}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets secure headers and answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${t.url}/nope`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('NOT_FOUND');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
