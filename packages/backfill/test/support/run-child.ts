/**
 * A backfill apply or rollback in its own process, for tests that SIGKILL it at a random moment as
 * a crash or an operator's `kill -9` would. It prints "started" once the store is open, then runs
 * the whole command: node --conditions=@semfilter/source --import tsx run-child.ts apply|rollback URL RUN BATCH
 */
import { apply, openStore, rollback } from '@semfilter/backfill';

const [command, url, run, batch] = process.argv.slice(2) as ['apply' | 'rollback', string, string, string];
const store = await openStore(url, { writable: true });
process.stdout.write('started\n');
if (command === 'apply') await apply(store, { table: 'items', required: ['style'], batchSize: Number(batch), run });
else await rollback(store, { run, batchSize: Number(batch) });
await store.close();
process.stdout.write('finished\n');
