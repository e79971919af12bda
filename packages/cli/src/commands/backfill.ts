import { apply, BackfillError, formatApply, formatPlan, formatRollback, formatStatus, formatValidate, openStore, plan, progressWriter, rollback, status, validate, type ShapeOptions, type Store } from '@semfilter/backfill';
import { parseCommandArgs } from '../args.js';
import { badInput, CliError } from '../errors.js';

const SUBCOMMANDS = ['plan', 'apply', 'validate', 'rollback', 'status'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Exit status of a validate that ran and found FAIL (bad input stays 2). */
const VALIDATE_FAILED = 1;

const SHAPE = { db: { type: 'string' }, table: { type: 'string' }, id: { type: 'string' }, columns: { type: 'string' }, required: { type: 'string' }, json: { type: 'boolean', default: false } } as const;
const OPTIONS = {
  plan: SHAPE,
  apply: { ...SHAPE, batch: { type: 'string', default: '1000' }, 'throttle-ms': { type: 'string', default: '0' }, run: { type: 'string' } },
  validate: { ...SHAPE, 'sample-size': { type: 'string', default: '100' }, all: { type: 'boolean', default: false }, run: { type: 'string' } },
  rollback: { db: { type: 'string' }, run: { type: 'string' }, batch: { type: 'string', default: '1000' }, json: { type: 'boolean', default: false } },
  status: { db: { type: 'string' }, json: { type: 'boolean', default: false } },
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
  return { table: values.table, id: values.id, columns: list(values.columns), required: list(values.required) };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

async function run(sub: Subcommand, args: readonly string[], store: () => Promise<Store>): Promise<string> {
  switch (sub) {
    case 'plan': {
      const { values } = parseCommandArgs('backfill plan', args, OPTIONS.plan);
      const opened = await store();
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
      const opened = await store();
      const progress = progressWriter(process.stderr);
      try {
        const result = await apply(opened, { ...shapeOf(values), batchSize, throttleMs, run: values.run, onProgress: (p) => progress.update(p) });
        progress.end();
        return values.json ? json(result) : formatApply(result);
      } finally {
        await opened.close();
      }
    }
    case 'validate': {
      const { values } = parseCommandArgs('backfill validate', args, OPTIONS.validate);
      const sampleSize = whole('sample-size', values['sample-size'], 1);
      const opened = await store();
      try {
        const report = await validate(opened, { ...shapeOf(values), sampleSize, all: values.all, run: values.run });
        const text = values.json ? json(report) : formatValidate(report);
        // FAIL is an answer, not bad input: its own status, and the report on stderr (stdout stays empty on failure).
        if (report.verdict === 'FAIL') throw new CliError(text.trimEnd(), VALIDATE_FAILED);
        return text;
      } finally {
        await opened.close();
      }
    }
    case 'rollback': {
      const { values } = parseCommandArgs('backfill rollback', args, OPTIONS.rollback);
      if (values.run === undefined) throw badInput('semfilter backfill rollback: name the run with --run (see `semfilter backfill status --db …`)');
      const batchSize = whole('batch', values.batch, 1);
      const opened = await store();
      try {
        const result = await rollback(opened, { run: values.run, batchSize });
        return values.json ? json(result) : formatRollback(result);
      } finally {
        await opened.close();
      }
    }
    case 'status': {
      const { values } = parseCommandArgs('backfill status', args, OPTIONS.status);
      const opened = await store();
      try {
        const runs = await status(opened);
        return values.json ? json(runs) : formatStatus(opened.label, runs);
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
  const writable = sub === 'apply' || sub === 'rollback';
  const store = async () => {
    if (db === undefined || db.startsWith('--')) throw badInput(`semfilter backfill ${sub}: name the store with --db (sqlite:PATH, postgres://…, file:PATH.json or .jsonl)`);
    return openStore(db, { writable });
  };
  try {
    return await run(sub as Subcommand, rest, store);
  } catch (error) {
    if (error instanceof BackfillError) throw new CliError(`semfilter backfill ${sub}: ${error.message}`, 2);
    throw error;
  }
}
