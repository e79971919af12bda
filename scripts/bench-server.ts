/**
 * `npm run bench:server [-- --seconds 10 --connections 50 --only config,ingest,evaluator]`: the fleet server under autocannon, on
 * this machine, in one run:
 * - config GET with If-None-Match (304) and without (200): requests/s and p99, each as a ratio to a
 *   bare node:http server answering the same bytes (the fleet server's own status, headers and body,
 *   read from it first), both run twice, alternating, and averaged;
 * - snapshot ingest on SQLite and on PostgreSQL (Debian's, started on a temporary data directory and
 *   stopped at the end): snapshots/s and p99, one snapshot per request (a beacon) and ten per request;
 * - the evaluator: one hour of 1,000 clients' snapshots (a snapshot a minute each), then the time to
 *   judge one 5-minute window, on each store.
 * Every server runs in a child process, so it has a core of its own and the load generator the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { evaluateTotals, mergeThresholds } from '@semfilter/core/metrics';
import { openFleetStore, totalsOf, type Store } from '@semfilter/server';
import { startPostgres } from '../test/support/postgres-server.js';
import { BENCH_CONFIG, benchSnapshot, seeded } from './bench/fleet-data.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' }, only: { type: 'string', default: 'config,ingest,evaluator' } } });
const only = new Set(values.only.split(','));
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const CHILD = fileURLToPath(new URL('./bench/fleet-server-child.ts', import.meta.url));
const n = (value: number) => Math.round(value).toLocaleString('en-US');

interface Running {
  readonly url: string;
  readonly key: string;
  stop(): Promise<void>;
}

/** Starts a server child and waits for its READY line. */
async function startChild(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--conditions=@semfilter/source', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const ready = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /READY (\d+) (\S+)/.exec(out);
      if (line !== null) resolve(`${line[1]} ${line[2]}`);
    });
    child.once('exit', (code) => reject(new Error(`server child exited (${code}) before it was ready`)));
  });
  const [port, key] = ready.split(' ');
  return {
    url: `http://127.0.0.1:${port}`,
    key: key!,
    stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
}

interface Load {
  readonly requestsPerSecond: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function load(options: Record<string, unknown>): Promise<Load> {
  const result = await autocannon({ connections, duration: seconds, pipelining: 1, ...options });
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/** The mean of several loads (requests/s and p99 averaged; failures added up). */
function meanLoad(loads: readonly Load[]): Load {
  const mean = (pick: (load: Load) => number) => loads.reduce((sum, load) => sum + pick(load), 0) / loads.length;
  return { requestsPerSecond: mean((l) => l.requestsPerSecond), p99: mean((l) => l.p99), non2xx: mean((l) => l.non2xx) * loads.length, errors: mean((l) => l.errors) * loads.length };
}

async function configBenchmarks(fleetDb: string): Promise<void> {
  const fleet = await startChild(['fleet', fleetDb]);
  const fleetPath = `/v1/flags/${BENCH_CONFIG.flag}?key=${fleet.key}`;
  const first = await fetch(fleet.url + fleetPath);
  const etag = first.headers.get('etag')!;
  const answers = { body: await first.text(), etag, headers200: answerHeaders(first), headers304: answerHeaders(await fetch(fleet.url + fleetPath, { headers: { 'if-none-match': etag } })) };
  const bare = await startChild(['bare'], { SEMFILTER_BENCH_ANSWERS: JSON.stringify(answers) });
  try {
    const rows: [string, Load, Load][] = [];
    for (const [label, conditional] of [['config GET 200', false], ['config GET 304', true]] as const) {
      // Two rounds, alternating, so a slow spell of the machine does not land on one side only.
      const headers = conditional ? { 'if-none-match': etag } : {};
      const runs: Load[][] = [[], []];
      for (let round = 0; round < 2; round++) {
        runs[1]!.push(await load({ url: bare.url + fleetPath, headers }));
        runs[0]!.push(await load({ url: fleet.url + fleetPath, headers }));
      }
      rows.push([label, meanLoad(runs[0]!), meanLoad(runs[1]!)]);
    }
    for (const [label, measured, baseline] of rows) {
      console.log(
        `${label.padEnd(26)} ${n(measured.requestsPerSecond).padStart(7)} req/s, p99 ${measured.p99.toFixed(1).padStart(4)} ms | bare node:http ${n(baseline.requestsPerSecond).padStart(7)} req/s, p99 ${baseline.p99.toFixed(1)} ms | ratio ${(measured.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}× (goal ≥ 0.6×)${measured.non2xx + measured.errors > 0 && !label.endsWith('304') ? ` [${measured.non2xx} non-2xx, ${measured.errors} errors]` : ''}`,
      );
    }
  } finally {
    await Promise.all([bare.stop(), fleet.stop()]);
  }
}

/** An answer's headers, less those node:http writes itself (date, connection, keep-alive, content-length). */
function answerHeaders(response: Response): Record<string, string> {
  const own = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
  return Object.fromEntries([...response.headers].filter(([name]) => !own.has(name)));
}

async function ingestBenchmark(label: string, db: string): Promise<void> {
  const fleet = await startChild(['fleet', db]);
  try {
    for (const perRequest of [1, 10]) {
      const random = seeded(perRequest);
      // Templates with a placeholder id: each request gets fresh snapshot ids, so none is a duplicate.
      const templates = Array.from({ length: 200 }, (_, i) => JSON.stringify(benchSnapshot(`bench-client-${String(i).padStart(6, '0')}`, Date.now(), random)));
      let sent = 0;
      const body = () => `{"snapshots":[${Array.from({ length: perRequest }, () => templates[sent++ % templates.length]!.replace(/"snapshot_id":"[^"]+"/, `"snapshot_id":"s${sent.toString(36).padStart(15, '0')}${process.hrtime.bigint().toString(36)}"`)).join(',')}]}`;
      const result = await load({
        url: `${fleet.url}/v1/metrics?key=${fleet.key}`,
        requests: [{ method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, setupRequest: (request: Record<string, unknown>) => ({ ...request, body: body() }) }],
      });
      console.log(
        `ingest ${label.padEnd(10)} ${String(perRequest).padStart(2)}/request ${n(result.requestsPerSecond * perRequest).padStart(7)} snapshots/s (${n(result.requestsPerSecond)} req/s), p99 ${result.p99} ms (goal ≥ 5,000 snapshots/s, p99 < 50 ms)${result.non2xx + result.errors > 0 ? ` [${result.non2xx} non-2xx, ${result.errors} errors]` : ''}`,
      );
    }
  } finally {
    await fleet.stop();
  }
}

/** One hour of 1,000 clients' snapshots (one a minute each), then the time to judge one 5-minute window. */
async function evaluatorBenchmark(label: string, db: string): Promise<void> {
  const store = await openFleetStore(db);
  try {
    await judgeAnHour(label, store);
  } finally {
    await store.close();
  }
}

async function judgeAnHour(label: string, store: Store): Promise<void> {
  await store.migrate();
  const start = Date.UTC(2026, 0, 1, 12);
  const random = seeded(7);
  for (let minute = 0; minute < 60; minute++) {
    const at = start + minute * 60_000 + 30_000;
    const snapshots = Array.from({ length: 1000 }, (_, i) => benchSnapshot(`eval-client-${String(i).padStart(6, '0')}`, at, random));
    for (let i = 0; i < snapshots.length; i += 50) await store.ingest(snapshots.slice(i, i + 50), at);
  }
  const thresholds = mergeThresholds({ fleetWindowMs: 300_000 });
  const key = { flag: BENCH_CONFIG.flag, stage: BENCH_CONFIG.stage, mode: 'on' };
  const times: number[] = [];
  for (let window = 0; window < 12; window++) {
    const from = start + window * 300_000;
    const began = performance.now();
    const data = await store.windowData(key, from, from + 300_000);
    const evaluation = evaluateTotals(totalsOf(data), thresholds);
    times.push(performance.now() - began);
    if (evaluation.clients !== 1000 || evaluation.semanticRuns !== 50_000) throw new Error(`window ${window}: ${evaluation.clients} clients, ${evaluation.semanticRuns} runs`);
  }
  times.sort((a, b) => a - b);
  console.log(`evaluator ${label.padEnd(10)} one 5-min window of 1,000 clients (5,000 snapshots, 50,000 semantic runs): median ${times[6]!.toFixed(1)} ms, slowest ${times[11]!.toFixed(1)} ms of 12 windows (goal < 1 s)`);
}

console.log(`semfilter bench:server: ${seconds} s per load, ${connections} connections, Node ${process.version}, ${availableParallelism()} CPUs`);
const dir = mkdtempSync(join(tmpdir(), 'semfilter-bench-server-'));
const postgres = await startPostgres();
try {
  if (only.has('config')) await configBenchmarks(`sqlite:${join(dir, 'config.db')}`);
  if (only.has('ingest')) {
    await ingestBenchmark('sqlite', `sqlite:${join(dir, 'ingest.db')}`);
    await ingestBenchmark('postgres', await postgres.createDatabase('ingest'));
  }
  if (only.has('evaluator')) {
    await evaluatorBenchmark('sqlite', `sqlite:${join(dir, 'evaluate.db')}`);
    await evaluatorBenchmark('postgres', await postgres.createDatabase('evaluate'));
  }
} finally {
  postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
