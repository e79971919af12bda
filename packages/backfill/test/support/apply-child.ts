/**
 * A backfill apply in its own process, which SIGKILLs itself at a chosen point, as a crash or an
 * operator's `kill -9` would: node --conditions=@semfilter/source --import tsx apply-child.ts URL RUN BATCH KILL_AT PHASE
 */
import { apply, openStore } from '@semfilter/backfill';

const [url, run, batch, killAt, phase] = process.argv.slice(2) as [string, string, string, string, string];
const kill = (): void => {
  process.kill(process.pid, 'SIGKILL');
};
const store = await openStore(url, { writable: true });
await apply(store, {
  table: 'items',
  required: ['style'],
  batchSize: Number(batch),
  run,
  hooks: {
    beforeCommit: (n) => (phase === 'before-commit' && n === Number(killAt) ? kill() : undefined),
    afterCommit: (n) => (phase === 'after-commit' && n === Number(killAt) ? kill() : undefined),
    duringWrite: () => (phase === 'during-write' ? kill() : undefined),
  },
});
await store.close();
process.stdout.write('finished without being killed\n');
