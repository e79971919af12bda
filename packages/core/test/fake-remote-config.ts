import type { RolloutConfig } from '@semfilter/core/rollout';

/** A fake RemoteConfig: the test replaces its config, and it dispatches `change` as the real client does. */
export class FakeRemoteConfig extends EventTarget {
  readonly source = 'remote' as const;
  readonly lastError = null;
  constructor(public config: RolloutConfig) {
    super();
  }
  async refresh(): Promise<void> {}
  start(): void {}
  stop(): void {}
  serve(next: RolloutConfig): void {
    this.config = next;
    this.dispatchEvent(new CustomEvent('change', { detail: { config: next, source: 'remote' } }));
  }
}
