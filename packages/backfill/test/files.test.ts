import { describe } from 'vitest';
import { backfillContract } from './support/contract.js';
import { fileHarness } from './support/harness.js';

describe('backfill on a JSON file', () => {
  backfillContract(fileHarness('json'), { batches: false, killPhases: ['during-write', 'before-commit'] });
});

describe('backfill on a JSON-lines file', () => {
  backfillContract(fileHarness('jsonl'), { batches: false, killPhases: ['during-write', 'before-commit'] });
});
