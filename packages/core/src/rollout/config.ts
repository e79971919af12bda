import { z } from 'zod';
import { guardrailThresholdsSchema } from '../metrics/thresholds.js';
import { parseWith, type Parsed } from '../input/schemas.js';

// Partial: a served config overrides only the thresholds it names; the rest keep their defaults.
const guardrailsField = guardrailThresholdsSchema.partial();

/** The most entries an allow or deny list holds: enough for a test cohort, small enough to fetch on every page. */
export const MAX_LIST_ENTRIES = 10_000;

/** The modes a rollout serves: nothing, semantic in the background only, or semantic for the users in it. */
export const ROLLOUT_MODES = ['off', 'shadow', 'on'] as const;
/** One of ROLLOUT_MODES. */
export type RolloutMode = (typeof ROLLOUT_MODES)[number];

/** GrowthBook's bucketing hashes: 2 (the default here) or 1 (GrowthBook's default for rollout rules without one). */
export const HASH_VERSIONS = [1, 2] as const;
/** One of HASH_VERSIONS. */
export type HashVersion = (typeof HASH_VERSIONS)[number];

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const hashEntry = z
  .string({ error: 'expected a hex SHA-256 string from `semfilter rollout hash-ids`, never a raw id' })
  // The length check first and final, so a megabyte-long entry is one issue and never scanned.
  .length(64, { error: 'expected a 64-character hex SHA-256 from `semfilter rollout hash-ids`, never a raw id', abort: true })
  .regex(HEX_SHA256, { error: 'expected a lowercase hex SHA-256 from `semfilter rollout hash-ids`, never a raw id' });

const hashList = z.array(hashEntry).max(MAX_LIST_ENTRIES, { error: `expected at most ${MAX_LIST_ENTRIES} entries` });
const listSchema = z.strictObject({ users: hashList.default([]), groups: hashList.default([]) });
const EMPTY_LIST = { users: [], groups: [] };
const share = z.number().min(0, { error: 'expected a share from 0 to 1' }).max(1, { error: 'expected a share from 0 to 1' });
const name = (max: number) => z.string().min(1, { error: 'expected a non-empty string' }).max(max, { error: `expected at most ${max} characters` });

/** The rollout config as served to every client: JSON, strict (unknown keys are errors, so typos show). */
export const rolloutConfigSchema = z
  .strictObject({
    schema: z.literal(1, { error: 'expected 1 (the only config schema so far)' }),
    version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    flag: name(100),
    seed: name(200).optional(),
    hashVersion: z.union([z.literal(1), z.literal(2)], { error: 'expected 1 or 2 (GrowthBook\'s hash versions)' }).optional(),
    mode: z.enum(ROLLOUT_MODES, { error: `expected one of ${ROLLOUT_MODES.join(', ')}` }),
    coverage: share.optional(),
    stages: z.array(share).min(1).max(100).optional(),
    stage: z.number().int().min(0).optional(),
    killSwitch: z.boolean().default(false),
    groupAttribute: name(100).optional(),
    allowlist: listSchema.default(EMPTY_LIST),
    denylist: listSchema.default(EMPTY_LIST),
    guardrails: guardrailsField.optional(),
  })
  .superRefine((config, ctx) => {
    const { coverage, stages, stage } = config;
    if (coverage !== undefined && stages !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['coverage'], message: 'expected either coverage or stages with stage, not both' });
    }
    if (coverage === undefined && stages === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: 'expected either coverage (0 to 1) or stages (ascending shares) with stage (an index)' });
    }
    if (stages === undefined) {
      if (stage !== undefined) ctx.addIssue({ code: 'custom', path: ['stage'], message: 'stage is an index into stages; without stages, use coverage' });
      return;
    }
    // Ascending, so raising the stage can only add users (a user's bucket never moves).
    for (let i = 1; i < stages.length; i++) {
      if (stages[i]! <= stages[i - 1]!) ctx.addIssue({ code: 'custom', path: ['stages', i], message: `expected a share above the previous stage's ${stages[i - 1]}` });
    }
    if (stage === undefined) ctx.addIssue({ code: 'custom', path: ['stage'], message: `required with stages: an index from 0 to ${stages.length - 1}` });
    else if (stage >= stages.length) ctx.addIssue({ code: 'custom', path: ['stage'], message: `expected an index from 0 to ${stages.length - 1}` });
  });

/** Hashed user ids and group names (see hashListEntry), never raw ones. */
export interface RolloutList {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

/** A validated rollout config; parseRolloutConfig returns it deeply frozen. */
export interface RolloutConfig {
  readonly schema: 1;
  /** Bumped by the host on every change; a guardrail rollback holds only for the version it happened on. */
  readonly version: number;
  readonly flag: string;
  /** Defaults to `flag`, as a GrowthBook rule's seed defaults to its feature key. */
  readonly seed?: string | undefined;
  /**
   * GrowthBook's hash for buckets: 2 (default) or 1, for a rule GrowthBook buckets with v1 (a
   * rollout rule whose payload names no hashVersion). Lists are SHA-256 either way.
   */
  readonly hashVersion?: HashVersion | undefined;
  readonly mode: RolloutMode;
  readonly coverage?: number | undefined;
  readonly stages?: readonly number[] | undefined;
  readonly stage?: number | undefined;
  readonly killSwitch: boolean;
  /** The user attribute naming a group (a business, a cohort) for the group lists. */
  readonly groupAttribute?: string | undefined;
  readonly allowlist: RolloutList;
  readonly denylist: RolloutList;
  readonly guardrails?: Readonly<z.output<typeof guardrailsField>> | undefined;
}

// Configs that passed validation and were frozen, so decide() on them skips a re-parse of lists
// that may hold 10,000 hashes; freezing is what makes remembering them safe.
const validated = new WeakSet<object>();

/** Checks a config; issue paths start at `config` (`config.allowlist.users[3]`). Never throws. */
export function parseRolloutConfig(value: unknown): Parsed<RolloutConfig> {
  if (typeof value === 'object' && value !== null && validated.has(value)) return { ok: true, value: value as RolloutConfig };
  let parsed: Parsed<RolloutConfig>;
  try {
    parsed = parseWith<RolloutConfig>(rolloutConfigSchema, value, 'config');
  } catch (error) {
    // Getters or proxies in a host-made object can throw inside zod; that is a bad config, not a crash.
    return { ok: false, issues: [{ path: 'config', message: `unreadable config (${error instanceof Error ? error.message : String(error)})` }] };
  }
  return parsed.ok ? { ok: true, value: freezeConfig(parsed.value) } : parsed;
}

function freezeConfig(config: RolloutConfig): RolloutConfig {
  for (const list of [config.allowlist, config.denylist]) {
    Object.freeze(list.users);
    Object.freeze(list.groups);
    Object.freeze(list);
  }
  if (config.stages !== undefined) Object.freeze(config.stages);
  if (config.guardrails !== undefined) Object.freeze(config.guardrails);
  validated.add(Object.freeze(config));
  return config;
}

/** The built-in config when nothing else is known: semantic mode off for everyone. */
export const DEFAULT_ROLLOUT_CONFIG: RolloutConfig = freezeConfig({
  schema: 1,
  version: 0,
  flag: 'semantic-filter',
  mode: 'off',
  coverage: 0,
  killSwitch: false,
  allowlist: { users: [], groups: [] },
  denylist: { users: [], groups: [] },
});

/** The share of users in the rollout: `coverage`, or the current stage's share. */
export function coverageOf(config: RolloutConfig): number {
  return config.coverage ?? config.stages?.[config.stage ?? 0] ?? 0;
}

/** The seed buckets and list hashes use: `seed`, or the flag key when there is none. */
export function seedOf(config: RolloutConfig): string {
  return config.seed ?? config.flag;
}

/** The hash version buckets use: `hashVersion`, or 2. */
export function hashVersionOf(config: RolloutConfig): HashVersion {
  return config.hashVersion ?? 2;
}
