import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryProvider, OpenFeature } from '@openfeature/web-sdk';
import { openFeatureDecision } from '@semfilter/core/openfeature';
import { filterItems, type FilterRequest, type Item } from '@semfilter/core';
import { bucketOf, createRollout, DEFAULT_ROLLOUT_CONFIG, memoryStorage } from '@semfilter/core/rollout';

// The SDK's own in-memory provider, under a domain of our own so no global provider is touched.
const DOMAIN = 'semfilter-rollout-test';
const provider = new InMemoryProvider({
  'semantic-filter': { variants: { on: true, off: false }, defaultVariant: 'on', disabled: false },
  'semantic-off': { variants: { on: true, off: false }, defaultVariant: 'off', disabled: false },
  'semantic-disabled': { variants: { on: true, off: false }, defaultVariant: 'on', disabled: true },
  'semantic-mode': { variants: { on: 'on', shadow: 'shadow', off: 'off' }, defaultVariant: 'off', disabled: false, contextEvaluator: (ctx) => (ctx.targetingKey === 'alice' ? 'shadow' : 'on') },
  'semantic-odd': { variants: { maybe: 'maybe' }, defaultVariant: 'maybe', disabled: false },
});
const client = OpenFeature.getClient(DOMAIN);

beforeAll(async () => {
  await OpenFeature.setProviderAndWait(DOMAIN, provider);
  await OpenFeature.setContext(DOMAIN, { targetingKey: 'alice' });
});

describe('openFeatureDecision with the web SDK and its InMemoryProvider', () => {
  it('a boolean flag that is on: IN_ROLLOUT, carrying OpenFeature’s reason and variant', () => {
    expect(openFeatureDecision(client, 'semantic-filter', { userId: 'alice' })).toEqual({
      semantic: true,
      shadow: false,
      reason: 'IN_ROLLOUT',
      bucket: bucketOf('semantic-filter', 'alice'),
      stage: null,
      stageIndex: null,
      configVersion: null,
      openFeature: { flagKey: 'semantic-filter', reason: 'STATIC', variant: 'on', errorCode: null },
    });
  });

  it('a boolean flag that is off: OUT_OF_ROLLOUT; the bucket is the evaluated targeting key’s, never another user’s', () => {
    expect(openFeatureDecision(client, 'semantic-off')).toMatchObject({ semantic: false, reason: 'OUT_OF_ROLLOUT', bucket: bucketOf('semantic-off', 'alice'), openFeature: { reason: 'STATIC', variant: 'off' } });
    // The client's context is alice's: bob's rollout shows no bucket rather than alice's.
    expect(openFeatureDecision(client, 'semantic-off', { userId: 'bob' })).toMatchObject({ bucket: null });
  });

  it('a client that runs no invocation hooks (a host stub): the evaluated key is unknown, so no bucket', () => {
    const stub = { getBooleanDetails: () => ({ value: true, reason: 'STATIC' }), getStringDetails: () => ({ value: 'on' }) };
    expect(openFeatureDecision(stub, 'semantic-filter', { userId: 'alice' })).toMatchObject({ semantic: true, reason: 'IN_ROLLOUT', bucket: null });
  });

  it('a disabled flag is the kill switch', () => {
    expect(openFeatureDecision(client, 'semantic-disabled')).toMatchObject({ semantic: false, reason: 'KILL_SWITCH', openFeature: { reason: 'DISABLED', errorCode: null } });
  });

  it('a string flag targeting the context: shadow for alice (TARGETING_MATCH)', () => {
    expect(openFeatureDecision(client, 'semantic-mode', { type: 'string' })).toMatchObject({ semantic: false, shadow: true, reason: 'IN_ROLLOUT', openFeature: { reason: 'TARGETING_MATCH', variant: 'shadow' } });
  });

  it('errors from the SDK are INVALID_CONFIG with the error code, and semantic mode stays off', () => {
    const missing = openFeatureDecision(client, 'no-such-flag');
    expect(missing).toMatchObject({ semantic: false, reason: 'INVALID_CONFIG', openFeature: { reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' } });
    expect(missing.issues![0]!.path).toBe('openfeature.no-such-flag');
    expect(openFeatureDecision(client, 'semantic-mode')).toMatchObject({ reason: 'INVALID_CONFIG', openFeature: { errorCode: 'TYPE_MISMATCH' } });
  });

  it('a string flag with a value other than on, shadow or off is INVALID_CONFIG', () => {
    expect(openFeatureDecision(client, 'semantic-odd', { type: 'string' })).toMatchObject({ semantic: false, reason: 'INVALID_CONFIG', issues: [{ message: 'expected true, false or one of on, shadow, off, got "maybe"' }] });
  });
});

describe('createRollout driven by an OpenFeature flag', () => {
  it('serves what the flag says, and a guardrail rollback still turns it off until re-armed', async () => {
    const storage = memoryStorage();
    const rollout = createRollout({
      config: DEFAULT_ROLLOUT_CONFIG,
      user: { id: 'alice' },
      filter: { filter: (items, request, options) => filterItems(items as Item[], request as FilterRequest, options) },
      storage,
      decide: (user) => openFeatureDecision(client, 'semantic-filter', { userId: user.id ?? null }),
    });
    expect(rollout.decision).toMatchObject({ semantic: true, reason: 'IN_ROLLOUT', openFeature: { reason: 'STATIC', variant: 'on' } });
    // A rollback taken on this client (flag and version of the default config the guardrails are scoped to).
    storage.setItem('semfilter-rollback:semantic-filter', JSON.stringify({ flag: 'semantic-filter', configVersion: 0, at: '2026-01-01T00:00:00.000Z', metric: 'p95_latency_ms', value: 900, threshold: 500 }));
    const reloaded = createRollout({ config: DEFAULT_ROLLOUT_CONFIG, user: { id: 'alice' }, filter: { filter: (items, request, options) => filterItems(items as Item[], request as FilterRequest, options) }, storage, decide: (user) => openFeatureDecision(client, 'semantic-filter', { userId: user.id ?? null }) });
    expect(reloaded.decision).toMatchObject({ semantic: false, reason: 'GUARDRAIL_ROLLBACK', openFeature: { variant: 'on' } });
    const report = await reloaded.run([{ id: 'a', style: 'Classic' }], { style: 'casual' });
    expect(report.fallback_reason).toBe('DISABLED'); // served traditionally
    reloaded.rearm();
    expect(reloaded.decision).toMatchObject({ semantic: true, reason: 'IN_ROLLOUT' });
  });

  it('a decider that throws serves the traditional filter and says why', () => {
    const rollout = createRollout({ config: DEFAULT_ROLLOUT_CONFIG, user: { id: 'alice' }, filter: { filter: (items, request, options) => filterItems(items as Item[], request as FilterRequest, options) }, storage: memoryStorage(), decide: () => { throw new Error('provider exploded'); } });
    expect(rollout.decision).toMatchObject({ semantic: false, reason: 'INVALID_CONFIG', issues: [{ path: 'decide', message: 'the decide option threw (provider exploded)' }] });
  });
});
