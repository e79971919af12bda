import { afterAll, describe, expect, it } from 'vitest';
import { OpenFeature as WebOpenFeature, ProviderEvents as WebProviderEvents } from '@openfeature/web-sdk';
import { OpenFeature as ServerOpenFeature, ProviderEvents as ServerProviderEvents } from '@openfeature/server-sdk';
import { createSemfilterProvider, evaluateSemfilterFlag, followOpenFeature, openFeatureDecision, SemfilterServerProvider, SemfilterWebProvider } from '@semfilter/core/openfeature';
import { filterItems, type FilterRequest, type Item } from '@semfilter/core';
import { bucketOf, createRemoteConfig, createRollout, decide, hashListEntry, memoryStorage, parseRolloutConfig, type RolloutConfig } from '@semfilter/core/rollout';
import { FakeRemoteConfig } from './fake-remote-config.js';

const FLAG = 'semantic-filter';
const config = (overrides: Partial<RolloutConfig> = {}): RolloutConfig => {
  const parsed = parseRolloutConfig({ schema: 1, version: 3, flag: FLAG, mode: 'on', stages: [0.1, 0.5], stage: 0, ...overrides });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};
const filter = { filter: (items: unknown, request: unknown, options?: Parameters<typeof filterItems>[2]) => filterItems(items as Item[], request as FilterRequest, options) };
let domains = 0;
const domain = () => `semfilter-provider-test-${++domains}`;

afterAll(async () => {
  await WebOpenFeature.close();
  await ServerOpenFeature.close();
});

describe('createSemfilterProvider with the real web and server SDKs', () => {
  it('buckets 10,000 targeting keys exactly as decide() does, at two stages, in both SDKs', async () => {
    for (const stage of [0, 1]) {
      const cfg = config({ stage });
      const webDomain = domain();
      await WebOpenFeature.setProviderAndWait(webDomain, createSemfilterProvider({ config: cfg }));
      const web = WebOpenFeature.getClient(webDomain);
      const serverDomain = domain();
      await ServerOpenFeature.setProviderAndWait(serverDomain, createSemfilterProvider({ config: cfg, sdk: 'server' }));
      const server = ServerOpenFeature.getClient(serverDomain);
      const direct = createSemfilterProvider({ config: cfg });
      let inRollout = 0;
      for (let i = 0; i < 10_000; i++) {
        const targetingKey = `user-${i}`;
        const expected = decide(cfg, { id: targetingKey });
        // The web provider as the web SDK calls it; the SDK itself (static context) is sampled below.
        const webDetails = direct.resolveBooleanEvaluation(FLAG, false, { targetingKey });
        const serverDetails = await server.getBooleanDetails(FLAG, false, { targetingKey });
        expect(webDetails.value).toBe(expected.semantic);
        expect(serverDetails.value).toBe(expected.semantic);
        expect(serverDetails.flagMetadata['bucket']).toBe(expected.bucket);
        expect(serverDetails.reason).toBe('SPLIT');
        if (expected.semantic) inRollout++;
      }
      // Through the web SDK's client and its static context, for every key as well.
      for (let i = 0; i < 10_000; i++) {
        await WebOpenFeature.setContext(webDomain, { targetingKey: `user-${i}` });
        const details = web.getBooleanDetails(FLAG, false);
        expect(details.value).toBe(decide(cfg, { id: `user-${i}` }).semantic);
        expect(details.flagMetadata['bucket']).toBe(bucketOf(FLAG, `user-${i}`));
      }
      expect(Math.abs(inRollout / 10_000 - [0.1, 0.5][stage]!)).toBeLessThan(0.02);
    }
  });

  it('reasons: TARGETING_MATCH for lists, SPLIT, DISABLED for kill switch and mode off, PARSE_ERROR, TARGETING_KEY_MISSING', async () => {
    const lists = config({ allowlist: { users: [hashListEntry(FLAG, 'tester')], groups: [] }, denylist: { users: [hashListEntry(FLAG, 'blocked')], groups: [] }, stages: [0.5, 1], stage: 1 });
    const serverDomain = domain();
    const provider = createSemfilterProvider({ config: lists, sdk: 'server' });
    await ServerOpenFeature.setProviderAndWait(serverDomain, provider);
    const client = ServerOpenFeature.getClient(serverDomain);
    expect(await client.getBooleanDetails(FLAG, false, { targetingKey: 'tester' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH', variant: 'on', flagMetadata: { reason: 'ALLOWLIST' } });
    expect(await client.getBooleanDetails(FLAG, true, { targetingKey: 'blocked' })).toMatchObject({ value: false, reason: 'TARGETING_MATCH', variant: 'off', flagMetadata: { reason: 'DENYLIST' } });
    expect(await client.getStringDetails(FLAG, 'off', { targetingKey: 'someone' })).toMatchObject({ value: 'on', reason: 'SPLIT', variant: 'on', flagMetadata: { reason: 'IN_ROLLOUT', stage: 1, stageIndex: 1, configVersion: 3 } });

    provider.setConfig(config({ killSwitch: true }));
    expect(await client.getBooleanDetails(FLAG, true, { targetingKey: 'tester' })).toMatchObject({ value: false, reason: 'DISABLED', flagMetadata: { reason: 'KILL_SWITCH' } });
    provider.setConfig(config({ mode: 'off' }));
    expect(await client.getStringDetails(FLAG, 'on', { targetingKey: 'someone' })).toMatchObject({ value: 'off', reason: 'DISABLED', variant: 'off', flagMetadata: { reason: 'OUT_OF_ROLLOUT' } });
    provider.setConfig(config({ mode: 'shadow', stages: [1], stage: 0 }));
    expect(await client.getStringDetails(FLAG, 'off', { targetingKey: 'someone' })).toMatchObject({ value: 'shadow', reason: 'SPLIT', variant: 'shadow' });
    expect(await client.getBooleanDetails(FLAG, true, { targetingKey: 'someone' })).toMatchObject({ value: false, variant: 'shadow' });

    // An invalid config: the SDK serves the default, with PARSE_ERROR and our message.
    provider.setConfig({ schema: 1, version: 4, flag: FLAG, mode: 'sometimes' } as unknown as RolloutConfig);
    const invalid = await client.getBooleanDetails(FLAG, false, { targetingKey: 'someone' });
    expect(invalid).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(invalid.errorMessage).toContain('config.mode');

    provider.setConfig(config());
    expect(await client.getBooleanDetails(FLAG, false, {})).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
    expect(await client.getBooleanDetails(FLAG, false, { targetingKey: 'x'.repeat(300) })).toMatchObject({ reason: 'ERROR', errorCode: 'INVALID_CONTEXT' });
    expect(await client.getBooleanDetails('other-flag', false, { targetingKey: 'someone' })).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(await client.getNumberDetails(FLAG, 1, { targetingKey: 'someone' })).toMatchObject({ value: 1, errorCode: 'TYPE_MISMATCH' });

    // The same in the web SDK (synchronous, static context).
    const webDomain = domain();
    await WebOpenFeature.setProviderAndWait(webDomain, createSemfilterProvider({ config: lists }));
    await WebOpenFeature.setContext(webDomain, { targetingKey: 'tester' });
    expect(WebOpenFeature.getClient(webDomain).getBooleanDetails(FLAG, false)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
    await WebOpenFeature.setContext(webDomain, {});
    expect(WebOpenFeature.getClient(webDomain).getBooleanDetails(FLAG, false)).toMatchObject({ reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
  });

  it('flagMetadata carries bucket, stage, stageIndex, configVersion and our reason; metadata name semfilter', () => {
    const provider = new SemfilterWebProvider({ config: config({ stage: 1 }) });
    expect(provider.metadata.name).toBe('semfilter');
    expect(new SemfilterServerProvider({ config: config() }).runsOn).toBe('server');
    const details = provider.resolveBooleanEvaluation(FLAG, false, { targetingKey: 'alice' });
    expect(details.flagMetadata).toEqual({ bucket: bucketOf(FLAG, 'alice'), stage: 0.5, stageIndex: 1, configVersion: 3, reason: decide(config({ stage: 1 }), { id: 'alice' }).reason });
    expect(evaluateSemfilterFlag(config({ stages: undefined, stage: undefined, coverage: 0.3 } as Partial<RolloutConfig>), FLAG, { targetingKey: 'alice' }, 'string').flagMetadata).not.toHaveProperty('stageIndex');
  });

  it('a RemoteConfig change is a ConfigurationChanged event, and the next evaluation sees the new stage', async () => {
    const remote = new FakeRemoteConfig(config({ stage: 0 }));
    const serverDomain = domain();
    await ServerOpenFeature.setProviderAndWait(serverDomain, createSemfilterProvider({ config: remote as never, sdk: 'server' }));
    const client = ServerOpenFeature.getClient(serverDomain);
    const changed: unknown[] = [];
    client.addHandler(ServerProviderEvents.ConfigurationChanged, (details) => void changed.push(details?.flagsChanged));
    // followOpenFeature takes a server client too: its Ready handler runs at once (the provider is ready), then on the change.
    let refreshes = 0;
    const unfollow = followOpenFeature({ refresh: () => void refreshes++ }, client);
    const before = await client.getBooleanDetails(FLAG, false, { targetingKey: 'alice' });
    expect(before.flagMetadata).toMatchObject({ stage: 0.1, stageIndex: 0 });
    remote.serve(config({ stage: 1, version: 4 }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(changed).toEqual([[FLAG]]);
    expect(refreshes).toBe(2);
    unfollow();
    expect((await client.getBooleanDetails(FLAG, false, { targetingKey: 'alice' })).flagMetadata).toMatchObject({ stage: 0.5, stageIndex: 1, configVersion: 4 });
  });
});

describe('the adapter: createRollout with decide, and followOpenFeature', () => {
  it('createRollout({ decide }) without a config does not throw, and scopes the guardrails to `flag`', () => {
    const rollout = createRollout({ user: { id: 'alice' }, filter, storage: memoryStorage(), decide: () => decide(config({ stages: [1] }), { id: 'alice' }) });
    expect(rollout.decision).toMatchObject({ semantic: true, reason: 'IN_ROLLOUT' });
    expect(rollout.config.flag).toBe('semantic-filter');
    const named = createRollout({ user: { id: 'alice' }, filter, storage: memoryStorage(), flag: 'host-flag', decide: () => decide(config(), { id: 'alice' }) });
    expect(named.config.flag).toBe('host-flag');
    rollout.dispose();
    named.dispose();
  });

  it('re-evaluates on Ready: a PROVIDER_NOT_READY decision at start-up changes once the provider is ready, without refresh()', async () => {
    let serve!: () => void;
    const served = new Promise<void>((resolve) => (serve = resolve));
    const body = JSON.stringify(config({ stages: [1], stage: 0 }));
    const fetch = (async () => {
      await served;
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const remote = createRemoteConfig({ url: 'https://flags.example/semfilter', fetch, storage: null });
    const webDomain = domain();
    await WebOpenFeature.setContext(webDomain, { targetingKey: 'alice' });
    void WebOpenFeature.setProvider(webDomain, createSemfilterProvider({ config: remote }));
    const client = WebOpenFeature.getClient(webDomain);
    const rollout = createRollout({ user: { id: 'alice' }, filter, storage: memoryStorage(), decide: (user) => openFeatureDecision(client, FLAG, { userId: user.id ?? null }) });
    expect(rollout.decision).toMatchObject({ semantic: false, reason: 'INVALID_CONFIG', openFeature: { errorCode: 'PROVIDER_NOT_READY' } });
    const unsubscribe = followOpenFeature(rollout, client);
    const decided = new Promise((resolve) => rollout.addEventListener('decision', resolve, { once: true }));
    serve();
    await decided;
    expect(rollout.decision).toMatchObject({ semantic: true, reason: 'IN_ROLLOUT', bucket: bucketOf(FLAG, 'alice'), stage: 1, configVersion: 3, openFeature: { reason: 'SPLIT', variant: 'on', errorCode: null } });

    // ContextChanged: another targeting key is evaluated; it is not the rollout's user, so no bucket is shown.
    const again = new Promise((resolve) => rollout.addEventListener('decision', resolve, { once: true }));
    await WebOpenFeature.setContext(webDomain, { targetingKey: 'bob' });
    await again;
    expect(rollout.decision).toMatchObject({ semantic: true, bucket: null });
    unsubscribe();
    rollout.dispose();
  });

  it('the bucket is only the evaluated targeting key’s: null when it differs from the rollout user', async () => {
    const webDomain = domain();
    await WebOpenFeature.setProviderAndWait(webDomain, createSemfilterProvider({ config: config({ stages: [1], stage: 0 }) }));
    await WebOpenFeature.setContext(webDomain, { targetingKey: 'bob' });
    const client = WebOpenFeature.getClient(webDomain);
    expect(openFeatureDecision(client, FLAG, { userId: 'alice' })).toMatchObject({ semantic: true, bucket: null });
    expect(openFeatureDecision(client, FLAG, { userId: 'bob' })).toMatchObject({ bucket: bucketOf(FLAG, 'bob'), stage: 1, stageIndex: 0, configVersion: 3 });
    expect(openFeatureDecision(client, FLAG)).toMatchObject({ bucket: bucketOf(FLAG, 'bob') });
    // ConfigurationChanged re-evaluates too, through followOpenFeature.
    const provider = createSemfilterProvider({ config: config({ stages: [1], stage: 0 }) });
    const other = domain();
    await WebOpenFeature.setContext(other, { targetingKey: 'bob' });
    await WebOpenFeature.setProviderAndWait(other, provider);
    const otherClient = WebOpenFeature.getClient(other);
    const rollout = createRollout({ user: { id: 'bob' }, filter, storage: memoryStorage(), decide: (user) => openFeatureDecision(otherClient, FLAG, { userId: user.id ?? null }) });
    const unsubscribe = followOpenFeature(rollout, otherClient);
    expect(rollout.decision.semantic).toBe(true);
    provider.setConfig(config({ killSwitch: true }));
    expect(rollout.decision).toMatchObject({ semantic: false, reason: 'KILL_SWITCH', openFeature: { reason: 'DISABLED' } });
    unsubscribe();
    provider.setConfig(config({ stages: [1], stage: 0 }));
    expect(rollout.decision.semantic).toBe(false); // no longer followed
    rollout.dispose();
  });

  it('followOpenFeature subscribes to the SDKs’ own ProviderEvents values', () => {
    expect([WebProviderEvents.Ready, WebProviderEvents.ConfigurationChanged, WebProviderEvents.ContextChanged]).toEqual(['PROVIDER_READY', 'PROVIDER_CONFIGURATION_CHANGED', 'PROVIDER_CONTEXT_CHANGED']);
    expect(ServerProviderEvents.ConfigurationChanged).toBe('PROVIDER_CONFIGURATION_CHANGED');
  });
});
