import { describe } from 'vitest';
import { backfillContract } from './support/contract.js';
import { postgresHarness } from './support/harness.js';
import { postgresForFile } from './support/postgres-for-file.js';

// A real server (Debian's postgresql), started here and stopped at the end. When it is not
// installed, startPostgres throws and every test here fails with the reason: nothing is skipped.
const server = postgresForFile();

describe('backfill on PostgreSQL (a real server on a temporary data directory)', () => {
  backfillContract(
    postgresHarness(server),
    { batches: true, killPhases: ['before-commit', 'after-commit'] },
  );
});
