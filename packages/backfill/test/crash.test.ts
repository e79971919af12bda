import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apply, BackfillError, rollback, status, validate } from '@semfilter/backfill';
import { postgresHarness, sqliteHarness, type Harness } from './support/harness.js';
import { postgresForFile } from './support/postgres-for-file.js';
import { withStore } from './support/with-store.js';

// Issue 15: kill -9 at random points of apply and of rollback, 20 times each on SQLite and on
// PostgreSQL; every interrupted command, resumed, ends exactly as an uninterrupted one.
const CHILD = fileURLToPath(new URL('./support/run-child.ts', import.meta.url));
const KILLS = 20;
const SIZE = 600;
const BATCH = 7;

const server = postgresForFile();

/** Retries while a killed holder's lock is still held (PostgreSQL frees it when it notices the closed socket). */
async function unlocked<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof BackfillError && error.code === 'LOCKED') || attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Runs the command in a child; SIGKILLs it `delayMs` after it has opened the store. Resolves to whether the kill landed before it finished. */
function runChild(command: 'apply' | 'rollback', url: string, run: string, delayMs: number | null): Promise<{ killed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@semfilter/source', '--import', 'tsx', CHILD, command, url, run, String(BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let startedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (startedAt === 0 && out.includes('started\n')) {
        startedAt = performance.now();
        if (delayMs !== null) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const ms = performance.now() - startedAt;
      if (signal === 'SIGKILL') resolve({ killed: true, ms });
      else if (code === 0 && out.includes('finished')) resolve({ killed: false, ms });
      else reject(new Error(`${command} child exited ${code ?? signal}: ${err}`));
    });
  });
}

function crashSuite(name: string, harness: Harness): void {
  describe(`kill -9 at random points on ${name}`, () => {
    let counter = 0;
    const fresh = () => harness.create(`crash_${name}_${process.pid}_${(counter += 1)}`, SIZE);
    const applyIn = (url: string, batchSize: number) => withStore(url, true, (store) => apply(store, { table: 'items', required: ['style'], batchSize, run: 'r' }));
    /** A fresh table with an apply child killed at a random moment of its whole length; retried when the child finished first. */
    async function killedApply(whole: number): Promise<string> {
      for (;;) {
        const url = await fresh();
        if ((await runChild('apply', url, 'r', Math.random() * whole)).killed) return url;
      }
    }

    it(`apply killed ${KILLS} times, each resumed, ends as the uninterrupted run`, async () => {
      const reference = await fresh();
      await applyIn(reference, BATCH);
      const expected = await harness.dump(reference);
      // How long a whole apply takes in a child, so the kills fall across all of it.
      const { ms: whole } = await runChild('apply', await fresh(), 'r', null);
      const states: Record<string, number> = {};
      for (let kill = 1; kill <= KILLS; kill += 1) {
        const url = await killedApply(whole);
        const state = (await withStore(url, true, (store) => status(store)))[0]?.state ?? 'before the run was recorded';
        states[state] = (states[state] ?? 0) + 1;
        const resumed = await unlocked(() => applyIn(url, BATCH));
        expect(resumed.run.status).toBe('done');
        expect(await harness.dump(url), `kill ${kill}`).toEqual(expected);
        expect((await withStore(url, true, (store) => validate(store, { table: 'items', all: true }))).verdict, `kill ${kill}`).toBe('PASS');
      }
      console.log(`${name}: apply killed ${KILLS} times over ${whole.toFixed(0)} ms; the run was then: ${JSON.stringify(states)}`);
      // Most kills must land inside the run, not before it started or after it ended ('running':
      // PostgreSQL had not yet noticed the dead session holding the lock).
      expect((states.interrupted ?? 0) + (states.running ?? 0)).toBeGreaterThanOrEqual(KILLS / 2);
    }, 600_000);

    it(`rollback killed ${KILLS} times, each resumed, restores every byte`, async () => {
      const applied = async () => {
        const url = await fresh();
        const before = await harness.dump(url);
        await applyIn(url, 50);
        return { url, before };
      };
      const { ms: whole } = await runChild('rollback', (await applied()).url, 'r', null);
      const states: Record<string, number> = {};
      for (let kill = 1; kill <= KILLS; kill += 1) {
        let table = await applied();
        while (!(await runChild('rollback', table.url, 'r', Math.random() * whole)).killed) table = await applied();
        const state = (await withStore(table.url, true, (store) => status(store)))[0]!.state;
        states[state] = (states[state] ?? 0) + 1;
        const result = await unlocked(() => withStore(table.url, true, (store) => rollback(store, { run: 'r', batchSize: BATCH })));
        expect(result.conflictCount, `kill ${kill}`).toBe(0);
        expect(await harness.dump(table.url), `kill ${kill}`).toEqual(table.before);
        expect((await withStore(table.url, true, (store) => status(store)))[0]!.state).toBe('rolled_back');
      }
      console.log(`${name}: rollback killed ${KILLS} times over ${whole.toFixed(0)} ms; the run was then: ${JSON.stringify(states)}`);
      expect((states['rollback-interrupted'] ?? 0) + (states.rolling_back ?? 0)).toBeGreaterThanOrEqual(KILLS / 2);
    }, 600_000);
  });
}

crashSuite('sqlite', sqliteHarness());
crashSuite(
  'postgres',
  postgresHarness(server),
);
