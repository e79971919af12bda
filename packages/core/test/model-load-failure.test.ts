// A failed model load in our words. The errors are the ones the worker client raises in Chromium
// (test/browser/load-failure.test.ts sees them come from the real worker); here each is worded on its own.
import { describe, expect, it } from 'vitest';
import { describeModelLoadFailure } from '../src/browser/model-load-failure.js';
import { TimeoutError, WorkerFailedError } from '../src/worker/worker-client.js';

const context = { modelBaseUrl: 'https://shop.example/models/', loadTimeoutMs: 120_000 };
const FILE = 'https://shop.example/models/Xenova/all-MiniLM-L6-v2/tokenizer.json';

describe('describeModelLoadFailure', () => {
  it("words transformers.js's missing local file as the model not being served, never naming its settings", () => {
    const error = new WorkerFailedError(`\`local_files_only=true\` or \`env.allowRemoteModels=false\` and file was not found locally at "${FILE}".`);
    const failure = describeModelLoadFailure(error, context);
    expect(failure).toEqual({
      kind: 'not-served',
      message: 'the model files are not served at https://shop.example/models/ (HTTP 404 or no answer for Xenova/all-MiniLM-L6-v2/tokenizer.json)',
      url: FILE,
      reason: 'MODEL_UNAVAILABLE',
      error: error.message,
    });
    expect(failure.message).not.toMatch(/local_files_only|allowRemoteModels/);
  });

  it('names a root-relative model folder in full against the page origin', () => {
    const error = new WorkerFailedError('`local_files_only=true` or `env.allowRemoteModels=false` and file was not found locally at "/models/Xenova/all-MiniLM-L6-v2/config.json".');
    const failure = describeModelLoadFailure(error, { modelBaseUrl: '/models/', loadTimeoutMs: 1000, origin: 'http://localhost:5173' });
    expect(failure.message).toBe('the model files are not served at http://localhost:5173/models/ (HTTP 404 or no answer for Xenova/all-MiniLM-L6-v2/config.json)');
    expect(failure.url).toBe('http://localhost:5173/models/Xenova/all-MiniLM-L6-v2/config.json');
  });

  it('words an HTML page answered for a model file, and the other refusals of the model-file check', () => {
    const html = describeModelLoadFailure(new WorkerFailedError(`the server answered ${FILE} with an HTML page (status 200), not the model file`), context);
    expect(html).toMatchObject({ kind: 'not-the-model', message: `the server answered ${FILE} with an HTML page: the model is not served there`, url: FILE, reason: 'MODEL_UNAVAILABLE' });
    const size = describeModelLoadFailure(new WorkerFailedError(`the server answered ${FILE} with 12 bytes where the model's manifest says 711661 (status 200), not the model file`), context);
    expect(size.message).toBe(`the server answered ${FILE} with 12 bytes where the model's manifest says 711661: not the model file`);
  });

  it('words a load that took too long with the timeout in seconds, and reports TIMEOUT for it', () => {
    expect(describeModelLoadFailure(new TimeoutError('loading the model took longer than 120000 ms'), context)).toMatchObject({ kind: 'timeout', message: 'the model took longer than 120 s to load', reason: 'TIMEOUT' });
    expect(describeModelLoadFailure(new TimeoutError('x'), { ...context, loadTimeoutMs: 1500 }).message).toBe('the model took longer than 1.5 s to load');
    expect(describeModelLoadFailure(new TimeoutError('x'), { ...context, loadTimeoutMs: 1 }).message).toBe('the model took longer than 1 ms to load');
  });

  it("words transformers.js's HTTP errors (remote models on) by status", () => {
    const remote = 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/tokenizer.json';
    expect(describeModelLoadFailure(new WorkerFailedError(`Could not locate file: "${remote}".`), context)).toMatchObject({ kind: 'not-served', message: `the model files are not served at https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/ (HTTP 404 for tokenizer.json)` });
    expect(describeModelLoadFailure(new WorkerFailedError(`Forbidden access to file: "${remote}".`), context)).toMatchObject({ kind: 'http-error', message: `the server answered ${remote} with HTTP 403` });
    expect(describeModelLoadFailure(new WorkerFailedError(`Error (418) occurred while trying to load file: "${remote}".`), context).message).toBe(`the server answered ${remote} with HTTP 418`);
  });

  it('keeps the words of worker failures, and an unknown error as raised', () => {
    expect(describeModelLoadFailure(new WorkerFailedError('the embedding worker failed: its script did not load'), context)).toMatchObject({ kind: 'worker', message: 'the embedding worker failed: its script did not load' });
    expect(describeModelLoadFailure(new Error('no available backend found'), context)).toMatchObject({ kind: 'other', message: 'no available backend found', reason: 'MODEL_UNAVAILABLE' });
    expect(describeModelLoadFailure('a string', context)).toMatchObject({ kind: 'other', message: 'a string', error: 'a string' });
  });
});
