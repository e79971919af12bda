import type { RollbackLatch } from '../metrics/latch.js';
import type { InputIssue } from '../input/schemas.js';
import { coverageOf, hashVersionOf, parseRolloutConfig, seedOf, type RolloutConfig } from './config.js';
import { bucketOf } from './hash.js';
import { hashListEntry, usableUserId, userIdOf } from './ids.js';

/** Why a user gets (or does not get) semantic mode: stable codes, in order of precedence. Add, never rename. */
export const ROLLOUT_REASONS = {
  /** The config did not validate; `issues` says where. Nobody gets semantic mode. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** The served config's kill switch is on: off for everyone, lists included. */
  KILL_SWITCH: 'KILL_SWITCH',
  /** The user's id or group is on the deny list. */
  DENYLIST: 'DENYLIST',
  /** The user's id or group is on the allow list, whatever the stage. */
  ALLOWLIST: 'ALLOWLIST',
  /** This client's guardrails rolled semantic mode back for this flag and config version. */
  GUARDRAIL_ROLLBACK: 'GUARDRAIL_ROLLBACK',
  /** No usable user id to bucket: missing, empty, over 256 characters or with control characters, or not a string or a finite non-zero number (see userIdOf). */
  NO_USER_ID: 'NO_USER_ID',
  /** The user's bucket falls within the current coverage. */
  IN_ROLLOUT: 'IN_ROLLOUT',
  /** The user's bucket falls outside the coverage, or the mode is `off`. */
  OUT_OF_ROLLOUT: 'OUT_OF_ROLLOUT',
} as const;

export type { RollbackLatch } from '../metrics/latch.js';

/** One of the stable rollout reason codes. */
export type RolloutReason = keyof typeof ROLLOUT_REASONS;

/** Who is asking: an id to bucket, and attributes such as the config's groupAttribute. */
export interface RolloutUser {
  /** A string, or a number bucketed as `String(id)` as GrowthBook does (0 and non-finite numbers are NO_USER_ID; see userIdOf). */
  readonly id?: string | number | null;
  readonly attributes?: Readonly<Record<string, string | undefined>>;
}

/** What decide() answers: the mode to serve and where that came from. */
export interface RolloutDecision {
  readonly semantic: boolean;
  readonly shadow: boolean;
  readonly reason: RolloutReason;
  /** The user's GrowthBook bucket (hash v2: four decimals; v1: three); null without a usable id. */
  readonly bucket: number | null;
  /** The coverage in force (0.25 for 25%); null for an invalid config. */
  readonly stage: number | null;
  /** The index into `stages`, when the config uses stages. */
  readonly stageIndex: number | null;
  readonly configVersion: number | null;
  /** Only with INVALID_CONFIG: every problem found, with its place. */
  readonly issues?: readonly InputIssue[];
  /** Only for decisions read from an OpenFeature flag. */
  readonly openFeature?: { readonly flagKey: string; readonly reason: string | null; readonly variant: string | null; readonly errorCode: string | null };
}

/** The lists as sets, built once per validated (frozen) config: a 10,000-entry list is a lookup, not a scan. */
interface ListSets {
  readonly allowUsers: ReadonlySet<string>;
  readonly allowGroups: ReadonlySet<string>;
  readonly denyUsers: ReadonlySet<string>;
  readonly denyGroups: ReadonlySet<string>;
}
const listSets = new WeakMap<RolloutConfig, ListSets>();

function setsOf(config: RolloutConfig): ListSets {
  let sets = listSets.get(config);
  if (sets === undefined) {
    const { allowlist, denylist } = config;
    sets = { allowUsers: new Set(allowlist.users), allowGroups: new Set(allowlist.groups), denyUsers: new Set(denylist.users), denyGroups: new Set(denylist.groups) };
    listSets.set(config, sets);
  }
  return sets;
}

/**
 * Decides whether a user gets semantic mode, shadow mode or neither, and why. Never throws: a bad
 * config gives INVALID_CONFIG with its issues, a bad user id gives NO_USER_ID.
 */
export function decide(config: unknown, user: RolloutUser, latch?: RollbackLatch | null): RolloutDecision {
  try {
    return decideValid(config, user, latch ?? null);
  } catch (error) {
    // Unreachable by design (every read of host objects is guarded); kept so a bug here never reaches the page.
    const message = `decide failed (${error instanceof Error ? error.message : String(error)})`;
    return { semantic: false, shadow: false, reason: 'INVALID_CONFIG', bucket: null, stage: null, stageIndex: null, configVersion: null, issues: [{ path: 'config', message }] };
  }
}

function decideValid(input: unknown, user: RolloutUser, latch: RollbackLatch | null): RolloutDecision {
  const parsed = parseRolloutConfig(input);
  if (!parsed.ok) {
    return { semantic: false, shadow: false, reason: 'INVALID_CONFIG', bucket: null, stage: null, stageIndex: null, configVersion: null, issues: parsed.issues };
  }
  const config = parsed.value;
  const seed = seedOf(config);
  const { id, group } = readUser(config, user);
  const coverage = coverageOf(config);
  const bucket = id === null ? null : bucketOf(seed, id, hashVersionOf(config));
  const base = { bucket, stage: coverage, stageIndex: config.stages === undefined ? null : (config.stage ?? 0), configVersion: config.version };
  const serve = (reason: RolloutReason, included: boolean): RolloutDecision => ({
    semantic: included && config.mode === 'on',
    shadow: included && config.mode === 'shadow',
    reason,
    ...base,
  });

  if (config.killSwitch) return serve('KILL_SWITCH', false);
  // Off means nobody, allowlisted testers included: switching off must not need the lists emptied.
  if (config.mode === 'off') return serve('OUT_OF_ROLLOUT', false);
  const listed = onLists(config, seed, id, group);
  if (listed === 'deny') return serve('DENYLIST', false);
  if (listed === 'allow') return serve('ALLOWLIST', true);
  if (latchHolds(config, latch)) return serve('GUARDRAIL_ROLLBACK', false);
  if (bucket === null) return serve('NO_USER_ID', false);
  // GrowthBook's rollout rule: coverage 0 excludes everyone, otherwise bucket <= coverage (so 1 is everyone).
  return coverage > 0 && bucket <= coverage ? serve('IN_ROLLOUT', true) : serve('OUT_OF_ROLLOUT', false);
}

/** The usable id and group name, or null; a host object whose getters throw counts as having neither. */
function readUser(config: RolloutConfig, user: RolloutUser): { id: string | null; group: string | null } {
  try {
    const id = userIdOf(user?.id);
    if (config.groupAttribute === undefined) return { id, group: null };
    const attributes: unknown = user?.attributes;
    // Own properties only: an attribute named "constructor" must not find Object's prototype.
    const value = typeof attributes === 'object' && attributes !== null && Object.hasOwn(attributes, config.groupAttribute) ? (attributes as Record<string, unknown>)[config.groupAttribute] : undefined;
    return { id, group: usableUserId(value) ? value : null };
  } catch {
    return { id: null, group: null };
  }
}

/** A rollback latch counts only for the flag and config version it was taken on: a new version re-arms. */
function latchHolds(config: RolloutConfig, latch: RollbackLatch | null): boolean {
  try {
    return latch !== null && typeof latch === 'object' && latch.flag === config.flag && latch.configVersion === config.version;
  } catch {
    return false;
  }
}

function onLists(config: RolloutConfig, seed: string, id: string | null, group: string | null): 'deny' | 'allow' | null {
  const { allowlist, denylist } = config;
  if (allowlist.users.length + allowlist.groups.length + denylist.users.length + denylist.groups.length === 0) return null;
  const sets = setsOf(config);
  // Hash only what can match: SHA-256 is cheap, but decide() runs on every filter call.
  const idHash = id === null ? null : hashListEntry(seed, id);
  const groupHash = group === null ? null : hashListEntry(seed, group);
  const has = (users: ReadonlySet<string>, groups: ReadonlySet<string>) => (idHash !== null && users.has(idHash)) || (groupHash !== null && groups.has(groupHash));
  if (has(sets.denyUsers, sets.denyGroups)) return 'deny';
  if (has(sets.allowUsers, sets.allowGroups)) return 'allow';
  return null;
}
