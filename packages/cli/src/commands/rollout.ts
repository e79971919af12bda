import { decide, hashListEntry, hashVersionOf, MAX_SIMULATED_USERS, MAX_USER_ID_LENGTH, parseRolloutConfig, seedOf, simulatePopulation, usableUserId, type PopulationSimulation, type RolloutConfig, type SimulatedStage } from '@semfilter/core/rollout';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';
import { formatIssues, parseJson, readText } from '../input.js';
import { importGrowthBookFeature } from './rollout-growthbook.js';

const SUBCOMMANDS = ['decide', 'simulate', 'hash-ids', 'import-growthbook'] as const;

/**
 * `semfilter rollout decide|simulate|hash-ids --config FILE …`: who gets semantic mode under a
 * rollout config, what share each stage reaches, and the hashed list entries a config must hold;
 * `semfilter rollout import-growthbook FEATURE.json`: a GrowthBook rollout rule as our config.
 */
export async function rolloutCommand(args: readonly string[]): Promise<string> {
  const [sub, ...rest] = args;
  if (sub === 'decide') return decideCommand(rest);
  if (sub === 'simulate') return simulateCommand(rest);
  if (sub === 'hash-ids') return hashIdsCommand(rest);
  if (sub === 'import-growthbook') return importGrowthBookCommand(rest);
  throw badInput(`semfilter rollout: expected one of ${SUBCOMMANDS.join(', ')}${sub === undefined ? '' : `, received "${sub}"`}`);
}

/** `rollout decide --config F --user ID [--group G]`: the decision as JSON. */
function decideCommand(args: readonly string[]): string {
  const { values } = parseCommandArgs('rollout decide', args, { config: { type: 'string' }, user: { type: 'string' }, group: { type: 'string' } });
  if (values.user === undefined) throw badInput('semfilter rollout decide: --user ID is required (the id the host buckets by; "" shows the NO_USER_ID answer)');
  const config = loadConfig('rollout decide', values.config);
  if (values.group !== undefined && config.groupAttribute === undefined) {
    throw badInput(`semfilter rollout decide: --group needs a config with "groupAttribute" (the user attribute naming a group)`);
  }
  const attributes = values.group === undefined || config.groupAttribute === undefined ? {} : { [config.groupAttribute]: values.group };
  return `${JSON.stringify(decide(config, { id: values.user, attributes }), null, 2)}\n`;
}

/** `rollout simulate --config F [--users N] [--json]`: the share per stage over N synthetic users. */
function simulateCommand(args: readonly string[]): string {
  const { values } = parseCommandArgs('rollout simulate', args, { config: { type: 'string' }, users: { type: 'string', default: '100000' }, json: { type: 'boolean', default: false } });
  const users = Number(values.users);
  if (!/^\d+$/.test(values.users) || users < 1 || users > MAX_SIMULATED_USERS) {
    throw badInput(`semfilter rollout simulate: --users: expected a whole number from 1 to ${MAX_SIMULATED_USERS}, received "${values.users}"`);
  }
  const config = loadConfig('rollout simulate', values.config);
  const simulation = simulatePopulation(config, users);
  return values.json ? `${JSON.stringify(simulation, null, 2)}\n` : formatSimulation(values.config!, config, simulation);
}

/** `rollout hash-ids --config F [FILE|-]`: one id (or group name) per line in, its list hash per line out. */
function hashIdsCommand(args: readonly string[]): string {
  const { values, positionals } = parseCommandArgs('rollout hash-ids', args, { config: { type: 'string' } }, true);
  if (positionals.length > 1) throw badInput('semfilter rollout hash-ids: expected at most one FILE (or - for stdin)');
  const config = loadConfig('rollout hash-ids', values.config);
  const path = positionals[0] ?? '-';
  const where = path === '-' ? 'stdin' : path;
  const lines = readText(path).split('\n');
  if (lines.at(-1) === '') lines.pop(); // the newline that ends the last line
  const seed = seedOf(config);
  return lines
    .map((raw, index) => {
      const id = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      // decide() never buckets such ids (NO_USER_ID), so a hash of one would be a list entry that never matches.
      if (!usableUserId(id)) throw badInput(`${where}: line ${index + 1}: expected an id of 1 to ${MAX_USER_ID_LENGTH} characters without control characters`);
      return `${hashListEntry(seed, id)}\n`;
    })
    .join('');
}

/**
 * `rollout import-growthbook FEATURE.json|- [--flag KEY] [--rule N] [--id-attribute NAME]`: the
 * config JSON on stdout, notes on what was left out on stderr; exit 2 naming what cannot be expressed.
 */
function importGrowthBookCommand(args: readonly string[]): string {
  const command = 'semfilter rollout import-growthbook';
  const { values, positionals } = parseCommandArgs('rollout import-growthbook', args, { flag: { type: 'string' }, rule: { type: 'string' }, 'id-attribute': { type: 'string' } }, true);
  if (positionals.length !== 1) throw badInput(`${command}: expected one FEATURE.json (a GrowthBook feature definition or SDK payload; - for stdin)`);
  if (values.rule !== undefined && !/^\d+$/.test(values.rule)) throw badInput(`${command}: --rule: expected an index into the feature's rules, from 0, received "${values.rule}"`);
  for (const name of ['flag', 'id-attribute'] as const) {
    if (values[name] === '') throw badInput(`${command}: --${name}: expected a non-empty name`);
  }
  const path = positionals[0]!;
  const where = path === '-' ? 'stdin' : path;
  const { config, notes } = importGrowthBookFeature(parseJson(readText(path), where), where, {
    flag: values.flag,
    rule: values.rule === undefined ? undefined : Number(values.rule),
    idAttribute: values['id-attribute'],
  });
  for (const note of notes) process.stderr.write(`${where}: note: ${note}\n`);
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Reads and validates a config file; a bad one is exit 2 naming the file and field. */
function loadConfig(command: string, path: string | undefined): RolloutConfig {
  if (path === undefined) throw badInput(`semfilter ${command}: --config FILE is required (a rollout config, such as demo/rollout.json)`);
  const where = path === '-' ? 'stdin' : path;
  const parsed = parseRolloutConfig(parseJson(readText(path), where));
  if (!parsed.ok) throw badInput(formatIssues(where, parsed.issues));
  return parsed.value;
}

function formatSimulation(path: string, config: RolloutConfig, simulation: PopulationSimulation): string {
  const percent = (share: number) => `${(share * 100).toFixed(2)}%`.padStart(8);
  const points = (deviation: number) => `${deviation >= 0 ? '+' : '-'}${Math.abs(deviation * 100).toFixed(2)}`.padStart(9);
  const row = (stage: SimulatedStage) =>
    `${String(stage.index).padStart(5)}  ${percent(stage.coverage)}  ${percent(stage.share)}  ${points(stage.deviation)}${stage === simulation.current ? '   (current stage)' : ''}`;
  return [
    `${path}: flag "${config.flag}", seed "${seedOf(config)}", hash v${hashVersionOf(config)}, mode ${config.mode}, ${simulation.users} synthetic users (user-0 … user-${simulation.users - 1})`,
    '',
    'stage    target     share  deviation (percentage points)',
    ...simulation.stages.map(row),
    '',
    `largest deviation: ${(simulation.maxDeviation * 100).toFixed(2)} percentage points`,
    '',
  ].join('\n');
}
