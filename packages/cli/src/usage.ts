/** One command's usage: the words that name it, and its lines as `semfilter --help` prints them. */
interface CommandUsage {
  readonly command: string;
  readonly text: string;
}

const COMMAND_USAGE: readonly CommandUsage[] = [
  {
    command: 'filter',
    text: `filter --items FILE [--style S] [--occasion O] [--mood M] [--semantic]
       [--threshold DIMENSION=N] [--exact DIMENSION] [--dtype fp32|q8]
                        the filter report as JSON (no --style, --occasion or --mood: every item passes)`,
  },
  {
    command: 'judge',
    text: `judge --pairs FILE.jsonl
                        one line per pair: its fields plus "traditional", "semantic", "score"`,
  },
  { command: 'embed', text: `embed TEXT...           [{"text", "vector"}]: 384-number unit vectors` },
  { command: 'normalize', text: `normalize TAG...        each tag's normal form and what changed` },
  { command: 'fetch-model', text: `fetch-model             makes sure the model files are present; prints where` },
  {
    command: 'eval',
    text: `eval [--pairs FILE.jsonl]
                        wrong-reject and wrong-accept rates of both modes on labelled pairs`,
  },
  {
    command: 'bench',
    text: `bench [--sizes N,N,...] [--runs N]
                        filter and embedding speed figures`,
  },
  {
    command: 'rollout decide',
    text: `rollout decide --config FILE --user ID [--group G]
                        who gets semantic mode: the decision JSON (reason, bucket, stage)`,
  },
  {
    command: 'rollout simulate',
    text: `rollout simulate --config FILE [--users N] [--json]
                        the share of N synthetic users per stage, and the largest deviation`,
  },
  {
    command: 'rollout hash-ids',
    text: `rollout hash-ids --config FILE [FILE|-]
                        one id or group name per line in, its allow/deny list hash per line out`,
  },
  {
    command: 'rollout import-growthbook',
    text: `rollout import-growthbook FEATURE.json|- [--flag KEY] [--rule N] [--id-attribute NAME]
                        a GrowthBook feature's percentage rollout rule as our config JSON`,
  },
  {
    command: 'backfill',
    text: `backfill plan|apply|validate|rollback|status|prune --db URL [--table T] [--id C[,C…]]
       [--columns style,occasion,mood] [--required C,…] [--busy-timeout MS] [--json];
       apply: [--batch 1000] [--throttle-ms 0] [--run NAME] [--on-refusal skip|stop];
       validate: [--sample 100000 | --all] [--run NAME]; rollback, prune: --run NAME
                        normalize stored tags in sqlite:PATH, postgres://…, file:PATH.json|.jsonl
                        (plan writes nothing; validate exits 1 on FAIL or INCONCLUSIVE)`,
  },
  {
    command: 'serve token',
    text: `serve token create --scope admin|client|debug --name NAME [--flag FLAG] | list | revoke ID
                        manage the server's tokens (shown once, stored hashed)`,
  },
  {
    command: 'serve',
    text: `serve [--db sqlite:PATH|postgres://…] [--port 8787] [--host 127.0.0.1] [--origin URL]…
      [--config FILE] [--no-model]
                        the fleet server: serves rollout configs, takes clients' metrics,
                        rolls back or promotes for everyone (first start prints an admin token)`,
  },
];

const indent = (text: string, by: string) => text.replace(/^/gm, by);

/** Every exit status a command can return; `1` comes only from checks that ran and did not pass; 70 is EX_SOFTWARE of sysexits.h. */
const EXIT_STATUSES = 'Exit status: 0 done, 1 a check failed (backfill validate: FAIL or INCONCLUSIVE), 2 bad input, 3 the model is needed and cannot be loaded, 70 an unexpected failure (SEMFILTER_DEBUG=1 shows where).';

/** What `semfilter --help` prints: every command, then the exit statuses. */
export const USAGE = `usage: semfilter <command> [options]

${COMMAND_USAGE.map((entry) => indent(entry.text, '  ')).join('\n')}

${EXIT_STATUSES}`;

/**
 * The usage of the command `command` names (`filter`, `rollout decide`, `backfill apply`, `serve token
 * list`): the entry whose words begin it, the longest such. Printed after an argument error, so the
 * fix is on screen without a second command.
 */
export function usageOf(command: string): string {
  const words = `${command} `;
  const entry = COMMAND_USAGE.filter((e) => words.startsWith(`${e.command} `)).sort((a, b) => b.command.length - a.command.length)[0];
  if (entry === undefined) return `run \`semfilter --help\` for the usage`;
  // Continuation lines are indented from the command's first letter, which "usage: semfilter " moves right.
  const prefix = 'usage: semfilter ';
  const [first, ...rest] = entry.text.split('\n');
  return [`${prefix}${first}`, ...rest.map((line) => ' '.repeat(prefix.length) + line)].join('\n');
}
