import { expect } from 'chai';
import { createSemanticFilter, type SemanticFilter, type StateChange } from '@semfilter/core/browser';
import { freshPrefix, setHeld, setOffline, UNKNOWN_TERMS } from './helpers.js';

// The facade's side of a failed model load, with the real worker: the cause in words (typed, on
// `loadFailure` and on `statechange`), and what a call reports while a load after a failed one is
// under way.

const request = { style: 'casual', occasion: 'work', mood: 'calm' };
const wardrobe = [
  { id: 'tee', style: 'casual', occasion: 'work', mood: 'calm' },
  { id: 'odd', style: UNKNOWN_TERMS[0]!, occasion: 'work', mood: 'calm' },
];

function stateReached(filter: SemanticFilter, state: string): Promise<StateChange> {
  return new Promise((resolve) => filter.addEventListener('statechange', (e) => e.detail.state === state && resolve(e.detail)));
}

describe('a model load that fails', () => {
  it('says why in words on loadFailure and on statechange, beside the error as raised', async () => {
    const prefix = freshPrefix('facade-404');
    const models = `${prefix}/models/`;
    await setOffline(models, true);
    const filter = createSemanticFilter({ modelBaseUrl: models, cache: false });
    try {
      expect(filter.loadFailure).to.equal(null);
      const failed = stateReached(filter, 'fallback');
      const report = await filter.filter(wardrobe, request);
      const change = await failed;
      expect(report.fallback_reason).to.equal('MODEL_UNAVAILABLE');
      expect(change.failure).to.deep.equal(filter.loadFailure);
      expect(change.failure).to.include({ kind: 'not-served', reason: 'MODEL_UNAVAILABLE' });
      expect(change.failure!.message).to.match(new RegExp(`^the model files are not served at ${location.origin}${models} \\(HTTP 404 or no answer for Xenova/all-MiniLM-L6-v2/`));
      expect(change.failure!.message).not.to.match(/local_files_only|allowRemoteModels/);
      expect(change.failure!.url).to.match(new RegExp(`^${location.origin}${models}Xenova/all-MiniLM-L6-v2/.+\\.(json|onnx)$`));
      // `error` is as it was: the error as raised (here transformers.js's).
      expect(change.error).to.equal(change.failure!.error);
    } finally {
      await setOffline(models, false);
      filter.dispose();
    }
  });

  it('after a load timed out, a call that misses its deadline while the next load runs reports TIMEOUT, not MODEL_LOADING', async () => {
    const prefix = freshPrefix('facade-timeout');
    const models = `${prefix}/models/`;
    await setHeld(models, true);
    const filter = createSemanticFilter({ modelBaseUrl: models, cache: false, loadTimeoutMs: 3000, deadlineMs: 1000 });
    try {
      const failed = stateReached(filter, 'fallback');
      const first = await filter.filter(wardrobe, request);
      expect(first.fallback_reason).to.equal('MODEL_LOADING'); // the first load is under way, nothing failed yet
      const { failure } = await failed;
      expect(failure).to.include({ kind: 'timeout', reason: 'TIMEOUT', message: 'the model took longer than 3 s to load' });

      // `statechange` comes before the calls that waited for the load see it fail: a call made at
      // once would share their embedding and its failure. A moment later, a call loads anew.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const retrying = stateReached(filter, 'loading');
      const second = await filter.filter(wardrobe, request);
      await retrying;
      expect(filter.state).to.equal('loading'); // a new load, still held back
      expect(second.fallback_reason).to.equal('TIMEOUT');
      expect(second.semantic_mode_active).to.equal(true); // the vocabulary's terms are still judged by meaning
      expect(filter.loadFailure).to.deep.equal(failure);
    } finally {
      await setHeld(models, false);
      filter.dispose();
    }
  });
});
