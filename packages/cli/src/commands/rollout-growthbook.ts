import { parseRolloutConfig, type HashVersion } from '@semfilter/core/rollout';
import type { InputIssue } from '@semfilter/core';
import { badInput } from '../errors.js';
import { formatIssues } from '../input.js';

/** How `rollout import-growthbook` reads a GrowthBook feature. */
export interface GrowthBookImportOptions {
  /** The GrowthBook feature key: our flag, and the seed of a rule without one. */
  readonly flag?: string | undefined;
  /** Which rule to import, an index into `rules` from 0; default: the one rollout rule. */
  readonly rule?: number | undefined;
  /** The GrowthBook attribute the host passes as our user id (default `id`). */
  readonly idAttribute?: string | undefined;
}

/** The config to print, and what the user should know about what was left out. */
export interface GrowthBookImport {
  /** Plain JSON, validated with parseRolloutConfig. */
  readonly config: Record<string, unknown>;
  readonly notes: readonly string[];
}

/** The flag an imported config gets from a bare feature definition whose rule names its seed. */
const DEFAULT_FLAG = 'semantic-filter';

/** Rule keys that only say who or what a rule is; GrowthBook's SDK never decides with them. */
const INERT_KEYS = new Set(['id', 'name', 'phase', 'tracks', 'metadata', 'disableStickyBucketing', 'bucketVersion', 'minBucketVersion']);
/** Rule keys read below. */
const READ_KEYS = new Set(['force', 'coverage', 'seed', 'hashVersion', 'hashAttribute', 'fallbackAttribute', 'condition', 'parentConditions', 'filters', 'range', 'ranges', 'namespace', 'variations', 'weights', 'key', 'meta', 'contextualVariations', 'contextualBanditRef']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isEmpty = (value: unknown) => value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
const show = (value: unknown) => JSON.stringify(value)?.slice(0, 80) ?? String(value);

/**
 * Turns a GrowthBook feature's rollout rule into our rollout config, as GrowthBook's JS SDK
 * evaluates it (`evalFeature` and `isIncludedInRollout` in @growthbook/growthbook): seed
 * `rule.seed || featureKey` (the SDK never seeds with the rule id), hash version
 * `rule.hashVersion || 1`, hash attribute `rule.hashAttribute || "id"`, `n <= coverage`. Takes a
 * feature definition (`{ defaultValue, rules }`) or an SDK payload (`{ features: { KEY: … } }`).
 * Throws an exit-2 CliError naming every field the config cannot express.
 */
export function importGrowthBookFeature(input: unknown, where: string, options: GrowthBookImportOptions = {}): GrowthBookImport {
  const fail = (issues: InputIssue[]) => badInput(formatIssues(where, issues));
  const { feature, key, prefix } = pickFeature(input, options.flag, fail);
  const notes: string[] = [];
  const rules = feature.rules;
  if (!Array.isArray(rules) || rules.length === 0) throw fail([{ path: `${prefix}rules`, message: 'expected a non-empty array of rules: a feature without rules serves its defaultValue to everyone, there is no rollout to import' }]);
  const index = pickRule(rules, options.rule, prefix, fail);
  const rule = rules[index] as Json;
  const at = `${prefix}rules[${index}]`;
  const issues: InputIssue[] = [];
  const refuse = (field: string, message: string) => issues.push({ path: `${at}.${field}`, message });

  // isOn is `!!value`: the rule must turn the feature on, and the default must leave it off.
  if (feature.defaultValue) issues.push({ path: `${prefix}defaultValue`, message: `${show(feature.defaultValue)} is on for users outside the rollout; our config serves them the traditional filter (expected false, null or no defaultValue)` });
  if (!('force' in rule)) refuse('force', 'expected a force rule (a rollout of one value); this rule forces no value');
  else if (!rule.force) refuse('force', `${show(rule.force)} turns the feature off for the rollout's users; our config serves them semantic mode (expected a value that is on, such as true)`);

  if (!isEmpty(rule.condition)) refuse('condition', 'a targeting condition cannot be expressed: our config buckets every user with an id (use the allow and deny lists for named users and groups)');
  if (!isEmpty(rule.parentConditions)) refuse('parentConditions', 'prerequisite flags cannot be expressed');
  if (!isEmpty(rule.filters)) refuse('filters', 'namespace filters cannot be expressed');
  if (rule.range !== undefined) refuse('range', 'a bucket range cannot be expressed: our config includes buckets from 0 up to the coverage');
  if (!isEmpty(rule.variations) || !isEmpty(rule.contextualVariations)) refuse(rule.variations === undefined ? 'contextualVariations' : 'variations', 'an experiment (variations with weights) cannot be expressed: our config serves one mode to the users it covers');
  else if (!isEmpty(rule.weights)) refuse('weights', 'variation weights cannot be expressed: our config serves one mode to the users it covers');
  if (rule.fallbackAttribute) refuse('fallbackAttribute', `GrowthBook buckets by ${show(rule.fallbackAttribute)} when the hash attribute is missing (with sticky bucketing); our config buckets by one id and gives users without it NO_USER_ID`);

  // `attr || "id"`, as getHashAttribute does.
  const idAttribute = options.idAttribute ?? 'id';
  const hashAttribute = rule.hashAttribute || 'id';
  if (typeof hashAttribute !== 'string') refuse('hashAttribute', `expected an attribute name, received ${show(hashAttribute)}`);
  else if (hashAttribute !== idAttribute) {
    refuse('hashAttribute', `GrowthBook buckets this rule by the "${hashAttribute}" attribute, and our config buckets by the user id${idAttribute === 'id' ? '' : ` (here "${idAttribute}", from --id-attribute)`}: if your host passes "${hashAttribute}" as the user id (createRollout({ user: { id: … } })), say so with --id-attribute ${hashAttribute}`);
  }

  // `hashVersion || 1`: GrowthBook's SDK hashes a rollout rule that names no version with v1.
  let hashVersion: HashVersion = 1;
  if (rule.hashVersion === 2) hashVersion = 2;
  else if (rule.hashVersion && rule.hashVersion !== 1) refuse('hashVersion', `expected 1 or 2: GrowthBook has no hash version ${show(rule.hashVersion)} (its SDK includes nobody with one)`);
  if (!rule.hashVersion) notes.push(`${at} names no hashVersion, so GrowthBook's SDK hashes it with v1; the config says "hashVersion": 1`);

  let coverage = 1;
  if (rule.coverage === undefined) {
    notes.push(`${at} has no coverage: GrowthBook serves it to everyone, users without an id included; the config has coverage 1, which gives users without a usable id NO_USER_ID`);
  } else if (typeof rule.coverage !== 'number' || !(rule.coverage >= 0 && rule.coverage <= 1)) {
    refuse('coverage', `expected a share from 0 to 1, received ${show(rule.coverage)}`);
  } else coverage = rule.coverage;

  // `rule.seed || featureKey`: an empty seed falls back to the key too.
  let seed: string | undefined;
  if (rule.seed !== undefined && rule.seed !== null && typeof rule.seed !== 'string') refuse('seed', `expected a string, received ${show(rule.seed)}`);
  else if (rule.seed) seed = rule.seed;
  else if (key === undefined) refuse('seed', 'absent, so GrowthBook seeds the rule with the feature key, which a feature definition does not carry: pass --flag KEY (the GrowthBook feature key)');
  else {
    seed = key;
    if (typeof rule.id === 'string' && rule.id !== '') notes.push(`${at} names no seed: GrowthBook's SDK seeds it with the feature key "${key}", not with the rule id "${rule.id}"`);
  }

  for (const name of Object.keys(rule)) {
    if (!READ_KEYS.has(name) && !INERT_KEYS.has(name)) notes.push(`${at}.${name} is not a rule field this import knows; it was left out`);
  }
  for (const name of ['key', 'meta', 'namespace', 'contextualBanditRef']) {
    if (!isEmpty(rule[name])) notes.push(`${at}.${name} is an experiment field, which GrowthBook's SDK ignores on a force rule; it was left out`);
  }
  rules.forEach((_, i) => {
    if (i !== index) notes.push(`${prefix}rules[${i}] is not imported: GrowthBook evaluates it ${i < index ? 'before the rollout rule, so the users it matches get its value there whatever their bucket' : 'for users outside the rollout, who may get its value there'}; here only the rollout counts`);
  });
  if (issues.length > 0) throw fail(issues);

  if (key === undefined) notes.push(`no --flag: the config's flag is "${DEFAULT_FLAG}" (the rule's seed keeps the buckets GrowthBook's)`);
  const config: Json = { schema: 1, version: 1, flag: key ?? DEFAULT_FLAG, seed, hashVersion, mode: 'on', coverage };
  const parsed = parseRolloutConfig(config);
  // The flag and seed lengths are ours (100 and 200 characters): GrowthBook allows longer.
  if (!parsed.ok) throw fail(parsed.issues.map((issue) => ({ path: `the imported ${issue.path}`, message: issue.message })));
  return { config, notes };
}

/** The feature, its key when known, and the path prefix its fields are named with. */
function pickFeature(input: unknown, flag: string | undefined, fail: (issues: InputIssue[]) => Error): { feature: Json; key: string | undefined; prefix: string } {
  if (!isObject(input)) throw fail([{ path: '(root)', message: 'expected a GrowthBook feature definition ({ "defaultValue": …, "rules": […] }) or SDK payload ({ "features": { … } })' }]);
  if (input.encryptedFeatures !== undefined && input.features === undefined) throw fail([{ path: 'encryptedFeatures', message: 'the payload is encrypted: decrypt it first (the SDK connection\'s key), or export the feature unencrypted' }]);
  if (input.environments !== undefined && input.rules === undefined) throw fail([{ path: 'environments', message: 'this is a REST API feature: import the SDK definition of one environment instead (its environments.ENV.definition, or the SDK payload)' }]);
  if (input.features === undefined) return { feature: input, key: flag, prefix: '' };
  const features = input.features;
  if (!isObject(features)) throw fail([{ path: 'features', message: 'expected an object of features by key' }]);
  const keys = Object.keys(features);
  const key = flag ?? (keys.length === 1 ? keys[0] : undefined);
  if (key === undefined) throw fail([{ path: 'features', message: `expected one feature, or --flag KEY to pick one of ${keys.length === 0 ? 'none' : keys.map((k) => `"${k}"`).join(', ')}` }]);
  const feature = Object.hasOwn(features, key) ? features[key] : undefined;
  if (!isObject(feature)) throw fail([{ path: 'features', message: `no feature "${key}" (the payload has ${keys.length === 0 ? 'none' : keys.map((k) => `"${k}"`).join(', ')})` }]);
  return { feature, key, prefix: `features[${JSON.stringify(key)}].` };
}

/** The rule given by --rule, else the one rollout rule (force with coverage), else a sole force rule. */
function pickRule(rules: unknown[], chosen: number | undefined, prefix: string, fail: (issues: InputIssue[]) => Error): number {
  if (chosen !== undefined) {
    if (chosen >= rules.length) throw fail([{ path: `${prefix}rules`, message: `--rule ${chosen}: expected an index from 0 to ${rules.length - 1}` }]);
    if (!isObject(rules[chosen])) throw fail([{ path: `${prefix}rules[${chosen}]`, message: 'expected a rule object' }]);
    return chosen;
  }
  const rollouts = rules.flatMap((rule, i) => (isObject(rule) && 'force' in rule && rule.coverage !== undefined ? [i] : []));
  if (rollouts.length === 1) return rollouts[0]!;
  if (rollouts.length > 1) throw fail([{ path: `${prefix}rules`, message: `rules ${rollouts.join(', ')} are all rollouts (force with coverage): pick one with --rule N` }]);
  if (rules.length === 1 && isObject(rules[0]) && 'force' in rules[0]) return 0;
  throw fail([{ path: `${prefix}rules`, message: 'no rollout rule (a rule with force and coverage): pick a rule with --rule N' }]);
}
