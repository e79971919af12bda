/** The part of an OpenFeature client (web or server SDK) followOpenFeature uses: its event handlers. */
export interface OpenFeatureEventsLike {
  addHandler(eventType: never, handler: () => unknown): void;
  removeHandler(eventType: never, handler: () => unknown): void;
}

/** What followOpenFeature refreshes: a Rollout, or anything with refresh(). */
export interface Refreshable {
  refresh(): void;
}

/**
 * The provider events after which a flag may evaluate differently: Ready (a provider that was not
 * ready at start-up), ConfigurationChanged (the flag changed at its source) and ContextChanged (the
 * web SDK's static context, e.g. another targetingKey). The values of the SDKs' ProviderEvents.
 */
export const OPENFEATURE_REFRESH_EVENTS = ['PROVIDER_READY', 'PROVIDER_CONFIGURATION_CHANGED', 'PROVIDER_CONTEXT_CHANGED'] as const;

/**
 * Re-evaluates a rollout whose `decide` reads an OpenFeature flag whenever the client's provider
 * becomes ready, its configuration changes or the evaluation context changes, so a decision taken
 * before the provider was ready (PROVIDER_NOT_READY) does not stick. The SDK runs a Ready handler
 * at once when the provider is already ready. Returns the unsubscribe.
 */
export function followOpenFeature(rollout: Refreshable, client: OpenFeatureEventsLike): () => void {
  const handler = (): void => {
    try {
      rollout.refresh();
    } catch {
      // refresh() never throws; a host's stand-in might, and an SDK event handler is no place for it.
    }
  };
  // Typed `never` above so that both SDKs' enum-typed addHandler fit; the values are the enums' own.
  const events = OPENFEATURE_REFRESH_EVENTS as readonly string[] as readonly never[];
  for (const event of events) client.addHandler(event, handler);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    for (const event of events) client.removeHandler(event, handler);
  };
}
