import { createHash } from 'node:crypto';
import { describeIssues } from '@semfilter/core';
import type { RolloutConfig } from '@semfilter/core/rollout';
import { FleetError, type Issue } from './errors.js';
import { configWithVersion, DEFAULT_FLEET_SETTINGS, fleetSettingsSchema, sameRolloutStage, scheduleIssues, type FleetSettings, type FlagVersion, type VersionAction } from './flag-document.js';
import type { Store } from './store/store.js';

/** A flag's version as served: the config's JSON text and its strong ETag, computed once per version. */
export interface ServedFlag {
  readonly version: FlagVersion;
  readonly body: string;
  readonly etag: string;
}

/** Who asks for a change, and why. */
export interface ChangeRequest {
  readonly actor: string;
  readonly reason?: string | undefined;
  /** The If-Match header: the ETag of the version the change was made against. */
  readonly ifMatch?: string | undefined;
}

/** Where a new version came from: made by this instance, or read from the store (made by another, or before a restart). */
export type ChangeOrigin = 'local' | 'store';

/** A change's outcome: the version in force after it, and whether it made a new one. */
export interface ChangeResult {
  readonly served: ServedFlag;
  readonly changed: boolean;
}

/** The actions that derive a new version from the latest one. */
export type FlagAction = Extract<VersionAction, 'kill' | 'promote' | 'rollback' | 'pause' | 'resume' | 'abort' | 'guardrail-rollback' | 'scheduled-promotion'>;

/**
 * The flags, served from memory and changed through the store. Every change is a new version
 * appended only if the latest version is still the one it was made against (optimistic
 * concurrency), so two operators, two instances or an operator and the guardrails can never lose
 * each other's updates. Listeners hear every version this instance makes or learns of.
 */
export class FlagService {
  readonly #served = new Map<string, ServedFlag>();
  readonly #listeners = new Set<(served: ServedFlag, origin: ChangeOrigin) => void>();

  constructor(
    readonly store: Store,
    readonly now: () => number,
  ) {}

  /** Reads every flag's latest version from the store (at start, and on a notice from another instance). */
  async load(): Promise<void> {
    for (const version of await this.store.latestVersions()) this.#learn(version, 'store');
  }

  /** Re-reads one flag (another instance changed it). */
  async reload(flag: string): Promise<void> {
    const latest = await this.store.latestVersion(flag);
    if (latest !== null) this.#learn(latest, 'store');
  }

  /** The version in force, from memory (so configs are served while the database is away). */
  get(flag: string): ServedFlag | undefined {
    return this.#served.get(flag);
  }

  /** Every flag in force. */
  all(): ServedFlag[] {
    return [...this.#served.values()];
  }

  /** Calls `listener` with every new version, and whether this instance made it; returns the unsubscribe function. */
  subscribe(listener: (served: ServedFlag, origin: ChangeOrigin) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Creates a flag or replaces its config (and settings); If-Match is required once the flag exists. */
  async put(flag: string, config: unknown, settings: unknown, request: ChangeRequest): Promise<ChangeResult> {
    const current = await this.#current(flag);
    if (current !== undefined && request.ifMatch === undefined) {
      throw new FleetError('PRECONDITION_REQUIRED', `flag "${flag}" exists: send If-Match with the ETag of the version you edited (now ${current.etag})`);
    }
    const version = (current?.version.version ?? 0) + 1;
    const parsedConfig = configWithVersion(config, version);
    // Settings sent without `paused` keep the flag's: editing a schedule must not quietly resume a
    // rollout that a person or a guardrail rollback paused (only `resume` or an explicit value does).
    const pausedNow = current?.version.settings.paused;
    const withPaused = settings !== undefined && typeof settings === 'object' && settings !== null && !('paused' in settings) && pausedNow !== undefined ? { ...settings, paused: pausedNow } : settings;
    const parsedSettings = fleetSettingsSchema.safeParse(withPaused ?? current?.version.settings ?? DEFAULT_FLEET_SETTINGS);
    const issues: Issue[] = parsedConfig.ok ? [] : [...parsedConfig.issues];
    if (!parsedSettings.success) issues.push(...describeIssues(parsedSettings.error, 'settings'));
    if (parsedConfig.ok && parsedConfig.value.flag !== flag) issues.push({ path: 'config.flag', message: `expected "${flag}", the flag in the URL` });
    if (parsedConfig.ok && parsedSettings.success) issues.push(...scheduleIssues(parsedConfig.value, parsedSettings.data));
    if (issues.length > 0 || !parsedConfig.ok || !parsedSettings.success) throw new FleetError('INVALID_CONFIG', 'the config is not valid', issues);
    return this.#append(flag, current, parsedConfig.value, parsedSettings.data, current === undefined ? 'create' : 'update', request, null);
  }

  /** Applies an action to the latest version; a no-op (kill when killed) answers the version in force without a new one. */
  async act(flag: string, action: FlagAction, request: ChangeRequest, evidence: unknown = null): Promise<ChangeResult> {
    const current = await this.#current(flag);
    if (current === undefined) throw new FleetError('NOT_FOUND', `no flag "${flag}"`);
    const { config, settings } = current.version;
    const next = nextState(config, settings, action);
    if (next === null) throw new FleetError('CONFLICT', cannotMessage(config, action));
    if (JSON.stringify(next.config) === JSON.stringify(config) && JSON.stringify(next.settings) === JSON.stringify(settings)) return { served: current, changed: false };
    const parsed = configWithVersion(next.config, current.version.version + 1);
    if (!parsed.ok) throw new FleetError('INVALID_CONFIG', 'the action would make an invalid config', parsed.issues);
    return this.#append(flag, current, parsed.value, next.settings, action, request, evidence);
  }

  /** The version a change is made against: re-read from the store, so a change made through another instance counts. */
  async #current(flag: string): Promise<ServedFlag | undefined> {
    await this.reload(flag);
    return this.#served.get(flag);
  }

  async #append(flag: string, current: ServedFlag | undefined, config: RolloutConfig, settings: FleetSettings, action: VersionAction, request: ChangeRequest, evidence: unknown): Promise<ChangeResult> {
    if (current !== undefined && request.ifMatch !== undefined && !etagMatches(request.ifMatch, current.etag)) {
      throw new FleetError('VERSION_MISMATCH', `flag "${flag}" changed since: If-Match ${request.ifMatch} is not the version in force (${current.etag}); read it again and redo the change`);
    }
    const at = this.now();
    const version: FlagVersion = {
      flag,
      version: config.version,
      config,
      settings,
      action,
      actor: request.actor,
      reason: request.reason ?? null,
      at,
      stageStartedAt: current !== undefined && sameRolloutStage(current.version.config, config) ? current.version.stageStartedAt : at,
      evidence,
    };
    if (!(await this.store.appendVersion(version, current?.version.version ?? null))) {
      await this.reload(flag);
      throw new FleetError('VERSION_MISMATCH', `flag "${flag}" changed while this change was being made; read it again and redo the change`);
    }
    return { served: this.#learn(version, 'local'), changed: true };
  }

  /** Takes a version if it is newer than the one in memory, and tells the listeners. */
  #learn(version: FlagVersion, origin: ChangeOrigin): ServedFlag {
    const known = this.#served.get(version.flag);
    if (known !== undefined && known.version.version >= version.version) return known;
    const body = JSON.stringify(version.config);
    // Strong ETag: the version number and a digest of the exact bytes, so two servers that somehow
    // hold different bytes under one version never answer each other's 304.
    const etag = `"${version.version}-${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    const served: ServedFlag = { version, body, etag };
    this.#served.set(version.flag, served);
    for (const listener of [...this.#listeners]) {
      try {
        listener(served, origin);
      } catch {
        // a failing listener (an SSE socket, an alert) must not undo or hide a committed version
      }
    }
    return served;
  }
}

/** Whether an If-Match header names this ETag (a list, or `*`, as RFC 9110 allows; weak tags never match). */
export function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((tag) => tag.trim() === '*' || tag.trim() === etag);
}

/** The config and settings an action makes, or null when it cannot apply (promote past the last stage). */
function nextState(config: RolloutConfig, settings: FleetSettings, action: FlagAction): { config: RolloutConfig; settings: FleetSettings } | null {
  const stage = config.stage;
  switch (action) {
    case 'kill':
      return { config: { ...config, killSwitch: true }, settings };
    case 'abort':
      return { config: { ...config, killSwitch: true }, settings: { ...settings, paused: true } };
    case 'pause':
      return { config, settings: { ...settings, paused: true } };
    case 'resume':
      return { config, settings: { ...settings, paused: false } };
    case 'promote':
    case 'scheduled-promotion':
      if (config.stages === undefined || stage === undefined || stage + 1 >= config.stages.length) return null;
      return { config: { ...config, stage: stage + 1 }, settings };
    case 'rollback':
    case 'guardrail-rollback': {
      // A rollback holds: the schedule stays paused until a person resumes it (Argo's abort is sticky too).
      const held = { ...settings, paused: true };
      if (action === 'guardrail-rollback' && settings.onFail === 'kill') return { config: { ...config, killSwitch: true }, settings: held };
      if (config.stages === undefined || stage === undefined || stage === 0) return { config: { ...config, killSwitch: true }, settings: held };
      return { config: { ...config, stage: stage - 1 }, settings: held };
    }
  }
}

function cannotMessage(config: RolloutConfig, action: FlagAction): string {
  if (config.stages === undefined) return `cannot ${action}: the config has coverage, not stages`;
  return `cannot ${action}: stage ${config.stage} is the last of ${config.stages.length}`;
}
