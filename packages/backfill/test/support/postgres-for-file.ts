import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../../test/support/postgres-server.js';

/**
 * A real server for the calling test file: started before its tests, stopped after them. The
 * getter gives it, or throws (every test then fails with the reason: nothing is skipped).
 */
export function postgresForFile(): () => PostgresServer {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(() => server?.stop());
  return () => {
    if (server === undefined) throw new Error('the PostgreSQL test server did not start (see the beforeAll error above)');
    return server;
  };
}
