import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryProvider, OpenFeature } from '@openfeature/web-sdk';
import { openFeatureDecision } from '@semfilter/core/openfeature';
import { bucketOf } from '@semfilter/core/rollout';

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

  it('a boolean flag that is off: OUT_OF_ROLLOUT; without a user id, no bucket', () => {
    expect(openFeatureDecision(client, 'semantic-off')).toMatchObject({ semantic: false, reason: 'OUT_OF_ROLLOUT', bucket: null, openFeature: { reason: 'STATIC', variant: 'off' } });
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
