import { expect } from 'chai';
import { generateWardrobe, type VectorStore } from '@semfilter/core';
import { createSemanticFilter } from '@semfilter/core/browser';
import { freshPrefix, requestCount, setOffline } from './helpers.js';

const request = { style: 'casual', occasion: 'work', mood: 'calm' };

describe('cold start from the vocabulary', () => {
  it('judges known tags by meaning without the worker, the model or IndexedDB', async () => {
    const prefix = freshPrefix('cold-vocabulary');
    await setOffline(`${prefix}/models/`, true);
    let workersStarted = 0;
    let storeReads = 0;
    // A store that never answers, as a blocked IndexedDB open does: known tags must not wait for it.
    const stuckStore: VectorStore = { getMany: () => (storeReads++, new Promise(() => {})), setMany: () => new Promise(() => {}) };
    const filter = createSemanticFilter({
      modelBaseUrl: `${prefix}/models/`,
      cache: stuckStore,
      // A worker that never answers: known tags must not wait for it either.
      createWorker: () => (workersStarted++, new Worker(URL.createObjectURL(new Blob([''], { type: 'text/javascript' })))),
    });
    const report = await filter.filter(generateWardrobe(300), request);
    expect(report.semantic_mode_active).to.equal(true);
    expect(report.fallback_reason).to.equal(null);
    expect(report.dimension_modes).to.deep.equal({ style: 'semantic', occasion: 'semantic', mood: 'semantic' });
    expect(report.items.some((item) => item.matches.some((match) => match.mode === 'semantic' && match.requested !== match.actual))).to.equal(true);
    expect(workersStarted).to.equal(0);
    expect(storeReads).to.equal(0);
    expect(await requestCount(`${prefix}/models/`)).to.equal(0);
    expect(filter.state).to.equal('idle');
    expect(filter.stats()).to.include({ computed: 0, storeHits: 0 });
    filter.dispose();
    await setOffline(`${prefix}/models/`, false);
  });

  it('still asks the store and the model for tags the vocabulary does not know', async () => {
    const prefix = freshPrefix('cold-unknown');
    await setOffline(`${prefix}/models/`, true);
    let storeReads = 0;
    const emptyStore: VectorStore = { getMany: async (keys) => (storeReads++, keys.map(() => undefined)), setMany: async () => {} };
    const filter = createSemanticFilter({ modelBaseUrl: `${prefix}/models/`, cache: emptyStore, loadTimeoutMs: 30_000 });
    const report = await filter.filter([...generateWardrobe(20), { id: 'odd', style: 'zorblaxian', occasion: 'work', mood: 'calm' }], request);
    expect(storeReads).to.be.greaterThan(0);
    expect(report.fallback_reason).to.equal('MODEL_UNAVAILABLE'); // the model was tried for "zorblaxian"
    expect(report.dimension_modes).to.deep.equal({ style: 'semantic', occasion: 'semantic', mood: 'semantic' });
    expect(report.items.find((item) => item.id === 'odd')!.reasons[0]).to.include({ dimension: 'style', code: 'EXACT_MISMATCH', mode: 'exact' });
    filter.dispose();
    await setOffline(`${prefix}/models/`, false);
  });
});
