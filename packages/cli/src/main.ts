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
import { EXIT } from './errors.js';

const USAGE = `usage: semfilter <command> [options]

  filter --items FILE [--style S] [--occasion O] [--mood M] [--semantic]
         [--threshold DIMENSION=N] [--exact DIMENSION] [--dtype fp32|q8]
                          the filter report as JSON
  judge --pairs FILE.jsonl
                          one line per pair: its fields plus "traditional", "semantic", "score"
  embed TEXT...           [{"text", "vector"}]: 384-number unit vectors
  normalize TAG...        each tag's normal form and what changed
  fetch-model             makes sure the model files are present; prints where
  eval [--pairs FILE.jsonl]
                          wrong-reject and wrong-accept rates of both modes on labelled pairs
  bench [--sizes N,N,...] filter and embedding speed figures
  rollout decide --config FILE --user ID [--group G]
                          who gets semantic mode: the decision JSON (reason, bucket, stage)
  rollout simulate --config FILE [--users N] [--json]
                          the share of N synthetic users per stage, and the largest deviation
  rollout hash-ids --config FILE [FILE|-]
                          one id or group name per line in, its allow/deny list hash per line out
  rollout import-growthbook FEATURE.json|- [--flag KEY] [--rule N] [--id-attribute NAME]
                          a GrowthBook feature's percentage rollout rule as our config JSON
  backfill plan|apply|validate|rollback|status|prune --db URL [--table T] [--id C[,C…]]
         [--columns style,occasion,mood] [--required C,…] [--busy-timeout MS] [--json];
         apply: [--batch 1000] [--throttle-ms 0] [--run NAME] [--on-refusal skip|stop];
         validate: [--sample 100000 | --all] [--run NAME]; rollback, prune: --run NAME
                          normalize stored tags in sqlite:PATH, postgres://…, file:PATH.json|.jsonl
                          (plan writes nothing; validate exits 1 on FAIL or INCONCLUSIVE)
  serve [--db sqlite:PATH|postgres://…] [--port 8787] [--host 127.0.0.1] [--origin URL]…
        [--config FILE] [--no-model]
                          the fleet server: serves rollout configs, takes clients' metrics,
                          rolls back or promotes for everyone (first start prints an admin token)
  serve token create --scope admin|client|debug --name NAME [--flag FLAG] | list | revoke ID
                          manage the server's tokens (shown once, stored hashed)

Exit status: 0 done, 2 bad input, 3 the model is needed and cannot be loaded.`;

type Command = (args: readonly string[]) => Promise<string>;

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
    err.write(`semfilter: unknown command "${name}"; expected one of ${Object.keys(COMMANDS).join(', ')}\n`);
    return EXIT.BAD_INPUT;
  }
  try {
    out.write(await command(args));
    return EXIT.OK;
  } catch (error) {
    if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') {
      err.write(`${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
