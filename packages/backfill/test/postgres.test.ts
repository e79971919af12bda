import { afterAll, beforeAll, describe } from 'vitest';
import { backfillContract } from './support/contract.js';
import { postgresHarness } from './support/harness.js';
import { startPostgres, type PostgresServer } from './support/postgres-server.js';

// A real server (Debian's postgresql), started here and stopped at the end. When it is not
// installed, startPostgres throws and every test here fails with the reason: nothing is skipped.
let server: PostgresServer | undefined;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.stop());

describe('backfill on PostgreSQL (a real server on a temporary data directory)', () => {
  backfillContract(
    postgresHarness(() => {
      if (server === undefined) throw new Error('the PostgreSQL test server did not start (see the beforeAll error above)');
      return server;
    }),
    { batches: true, killPhases: ['before-commit', 'after-commit'] },
  );
});
