import { apply, BackfillError, DEFAULT_VALIDATE_ROWS, formatApply, formatPlan, formatPrune, formatRollback, formatStatus, formatValidate, ON_REFUSAL, openStore, plan, prune, progressWriter, redactSecrets, redactUrl, rollback, secretsOf, status, validate, type OnRefusal, type ShapeOptions, type Store } from '@semfilter/backfill';
import { parseCommandArgs } from '../args.js';
import { badInput, CliError } from '../errors.js';

const SUBCOMMANDS = ['plan', 'apply', 'validate', 'rollback', 'status', 'prune'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Exit status of a validate that ran and found FAIL or could not check (bad input stays 2). */
const VALIDATE_FAILED = 1;

const STORE = { db: { type: 'string' }, 'busy-timeout': { type: 'string' }, json: { type: 'boolean', default: false } } as const;
const SHAPE = { ...STORE, table: { type: 'string' }, id: { type: 'string' }, columns: { type: 'string' }, required: { type: 'string' } } as const;
const OPTIONS = {
  plan: SHAPE,
  apply: { ...SHAPE, batch: { type: 'string', default: '1000' }, 'throttle-ms': { type: 'string', default: '0' }, run: { type: 'string' }, 'on-refusal': { type: 'string', default: ON_REFUSAL.SKIP } },
  validate: { ...SHAPE, sample: { type: 'string', default: String(DEFAULT_VALIDATE_ROWS) }, all: { type: 'boolean', default: false }, run: { type: 'string' } },
  rollback: { ...STORE, run: { type: 'string' }, batch: { type: 'string', default: '1000' } },
  status: STORE,
  prune: { ...STORE, run: { type: 'string' } },
} as const;

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((column) => column.trim()).filter((column) => column !== '');
}

function whole(name: string, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw badInput(`semfilter backfill: --${name} ${value}: expected a whole number, at least ${min}`);
  return number;
}

function shapeOf(values: { table?: string; id?: string; columns?: string; required?: string }): ShapeOptions & { table?: string } {
  return { table: values.table, id: list(values.id), columns: list(values.columns), required: list(values.required) };
}

function refusalPolicy(value: string): OnRefusal {
  const policies: readonly string[] = Object.values(ON_REFUSAL);
  if (!policies.includes(value)) throw badInput(`semfilter backfill apply: --on-refusal ${value}: expected one of ${policies.join(', ')}`);
  return value as OnRefusal;
}

/** JSON output; bigint keys as digits and bytes as base64, so every key prints exactly. */
const json = (value: unknown): string => `${JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2)}\n`;

async function run(sub: Subcommand, args: readonly string[], store: (busyTimeout: string | undefined) => Promise<Store>): Promise<string> {
  switch (sub) {
    case 'plan': {
      const { values } = parseCommandArgs('backfill plan', args, OPTIONS.plan);
      const opened = await store(values['busy-timeout']);
      try {
        const report = await plan(opened, await opened.describe(values.table, shapeOf(values)));
        return values.json ? json(report) : formatPlan(report);
      } finally {
        await opened.close();
      }
    }
    case 'apply': {
      const { values } = parseCommandArgs('backfill apply', args, OPTIONS.apply);
      const batchSize = whole('batch', values.batch, 1);
      const throttleMs = whole('throttle-ms', values['throttle-ms'], 0);
      const opened = await store(values['busy-timeout']);
      const progress = progressWriter(process.stderr);
      try {
        const result = await apply(opened, { ...shapeOf(values), batchSize, throttleMs, run: values.run, onRefusal: refusalPolicy(values['on-refusal']), onProgress: (p) => progress.update(p) });
        progress.end();
        return values.json ? json(result) : formatApply(result);
      } finally {
        await opened.close();
      }
    }
    case 'validate': {
      const { values } = parseCommandArgs('backfill validate', args, OPTIONS.validate);
      const sampleSize = whole('sample', values.sample, 1);
      const opened = await store(values['busy-timeout']);
      try {
        const report = await validate(opened, { ...shapeOf(values), sampleSize, all: values.all, run: values.run });
        const text = values.json ? json(report) : formatValidate(report);
        // FAIL and INCONCLUSIVE are answers, not bad input: their own status, and the report on
        // stderr (stdout stays empty on failure); a script that deploys on success must not go on.
        if (report.verdict !== 'PASS') throw new CliError(text.trimEnd(), VALIDATE_FAILED);
        return text;
      } finally {
        await opened.close();
      }
    }
    case 'rollback': {
      const { values } = parseCommandArgs('backfill rollback', args, OPTIONS.rollback);
      if (values.run === undefined) throw badInput('semfilter backfill rollback: name the run with --run (see `semfilter backfill status --db …`)');
      const batchSize = whole('batch', values.batch, 1);
      const opened = await store(values['busy-timeout']);
      try {
        const result = await rollback(opened, { run: values.run, batchSize });
        return values.json ? json(result) : formatRollback(result);
      } finally {
        await opened.close();
      }
    }
    case 'status': {
      const { values } = parseCommandArgs('backfill status', args, OPTIONS.status);
      const opened = await store(values['busy-timeout']);
      try {
        const runs = await status(opened);
        return values.json ? json(runs) : formatStatus(opened.label, runs);
      } finally {
        await opened.close();
      }
    }
    case 'prune': {
      const { values } = parseCommandArgs('backfill prune', args, OPTIONS.prune);
      if (values.run === undefined) throw badInput('semfilter backfill prune: name the run with --run (see `semfilter backfill status --db …`)');
      const opened = await store(values['busy-timeout']);
      try {
        const result = await prune(opened, { run: values.run });
        return values.json ? json(result) : formatPrune(result);
      } finally {
        await opened.close();
      }
    }
  }
}

/**
 * `semfilter backfill plan|apply|validate|rollback|status --db URL …`: normalizes stored tags in
 * SQLite, PostgreSQL or a JSON file, with a dry run, journaled batches and an exact way back.
 */
export async function backfillCommand(args: readonly string[]): Promise<string> {
  const [sub, ...rest] = args;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw badInput(`semfilter backfill: ${sub === undefined ? 'missing' : `unknown subcommand "${sub}";`} expected one of ${SUBCOMMANDS.join(', ')}`);
  }
  const dbIndex = rest.findIndex((arg) => arg === '--db' || arg.startsWith('--db='));
  const db = dbIndex < 0 ? undefined : rest[dbIndex]!.startsWith('--db=') ? rest[dbIndex]!.slice(5) : rest[dbIndex + 1];
  const writable = sub === 'apply' || sub === 'rollback' || sub === 'prune';
  const store = async (busyTimeout: string | undefined) => {
    if (db === undefined || db.startsWith('--')) throw badInput(`semfilter backfill ${sub}: name the store with --db (sqlite:PATH, postgres://…, file:PATH.json or .jsonl)`);
    return openStore(db, { writable, ...(busyTimeout === undefined ? {} : { busyTimeoutMs: whole('busy-timeout', busyTimeout, 0) }) });
  };
  // Every argument, not only the --db in use: a repeated --db or a URL given by mistake as a value
  // is echoed by argument errors. Labels stay whole: they are masked already and name the store.
  const urls = rest.map((arg) => arg.replace(/^--db=/, ''));
  const secrets = urls.flatMap(secretsOf);
  const labels = secrets.length === 0 ? [] : urls.filter((url) => secretsOf(url).length > 0).map(redactUrl);
  const scrub = (text: string): string => redactSecrets(text, secrets, labels);
  try {
    return scrub(await run(sub as Subcommand, rest, store));
  } catch (error) {
    if (error instanceof BackfillError) throw new CliError(scrub(`semfilter backfill ${sub}: ${error.message}`), 2);
    if (error instanceof CliError) throw new CliError(scrub(error.message), error.exitCode);
    // An error with a code comes from the OS or a database driver (ECONNRESET, a SQLSTATE): the
    // store failed, not this program, so it is a message and exit 2, never a stack trace.
    if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
      throw new CliError(scrub(`semfilter backfill ${sub}: ${db === undefined ? 'the store' : redactUrl(db)}: ${error.message}`), 2);
    }
    // A bug: its stack trace helps, but it may quote the URL, so it is scrubbed too.
    const bug = new Error(scrub(error instanceof Error ? error.message : String(error)));
    bug.stack = scrub((error instanceof Error ? error.stack : undefined) ?? bug.message);
    throw bug;
  }
}
