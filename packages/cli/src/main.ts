import { embedCommand } from './commands/embed.js';
import { fetchModelCommand } from './commands/fetch-model.js';
import { filterCommand } from './commands/filter.js';
import { judgeCommand } from './commands/judge.js';
import { normalizeCommand } from './commands/normalize.js';
import { evalCommand } from './commands/eval.js';
import { benchCommand } from './commands/bench.js';
import { rolloutCommand } from './commands/rollout.js';
import { backfillCommand } from './commands/backfill.js';
import { serveCommand } from './commands/serve.js';
import { closest } from './args.js';
import { EXIT } from './errors.js';
import { USAGE } from './usage.js';

/** A command: its output for stdout, and warnings, which go to stderr even when it succeeds. */
type Command = (args: readonly string[], warn: (message: string) => void) => Promise<string>;

const COMMANDS: Readonly<Record<string, Command>> = {
  filter: filterCommand,
  judge: judgeCommand,
  embed: embedCommand,
  normalize: normalizeCommand,
  'fetch-model': fetchModelCommand,
  eval: evalCommand,
  bench: benchCommand,
  backfill: backfillCommand,
  rollout: rolloutCommand,
  serve: serveCommand,
};

/** Runs one command; what it prints goes to stdout only when it succeeds. Returns the exit status. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? err : out).write(`${USAGE}\n`);
    return name === undefined ? EXIT.BAD_INPUT : EXIT.OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    const guess = closest(name, Object.keys(COMMANDS));
    err.write(`semfilter: unknown command "${name}"; expected one of ${Object.keys(COMMANDS).join(', ')}${guess === undefined ? '' : `; did you mean ${guess}?`}\n`);
    return EXIT.BAD_INPUT;
  }
  try {
    out.write(await command(args, (message) => err.write(`${message}\n`)));
    return EXIT.OK;
  } catch (error) {
    if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') {
      err.write(`${error.message}\n`);
      return error.exitCode;
    }
    // Not a failure we foresaw: its message, not its stack, unless the user asks for the stack.
    const detail = process.env.SEMFILTER_DEBUG === '1' && error instanceof Error ? error.stack : error instanceof Error ? error.message : String(error);
    err.write(`semfilter ${name}: unexpected failure: ${detail}\n(SEMFILTER_DEBUG=1 prints where it happened; please report it with that output)\n`);
    return EXIT.UNEXPECTED;
  }
}
