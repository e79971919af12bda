import { describe } from 'vitest';
import { backfillContract } from './support/contract.js';
import { sqliteHarness } from './support/harness.js';

describe('backfill on SQLite (better-sqlite3, real database files)', () => {
  backfillContract(sqliteHarness(), { batches: true, killPhases: ['before-commit', 'after-commit'] });
});
