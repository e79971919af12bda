import { expect } from 'chai';
import { createEmbeddingWorker, createIdbVectorStore, createSemanticFilter, type ModelProgress, type SemanticFilterOptions } from '@semfilter/core/browser';
import type { VectorStore } from '@semfilter/core';
import { freshPrefix, requestCount, setOffline, UNKNOWN_TERMS } from './helpers.js';

const wardrobe = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Casual', occasion: 'work', mood: 'calm' },
  { id: 'gown', name: 'Sequin gown', style: 'Glam', occasion: 'Gala', mood: 'Bold' },
];
const request = { style: 'casual', occasion: 'work', mood: 'calm' };
/** Items whose style tags no vocabulary knows, so semantic mode needs the model for style. */
const unknownWardrobe = UNKNOWN_TERMS.map((term, i) => ({ id: `odd-${i}`, style: term, mood: 'calm' }));

// These tests are about the model load itself, so their calls wait for it (deadlineMs: Infinity);
// answer-deadline.test.ts covers the default deadline.
function facade(prefix: string, extra: SemanticFilterOptions = {}) {
  return createSemanticFilter({ modelBaseUrl: `${prefix}/models/`, cache: `db-${prefix.replace(/\W/g, '-')}`, loadTimeoutMs: 60_000, deadlineMs: Infinity, ...extra });
}

describe('createSemanticFilter', () => {
  it('answers known terms from the embedded vocabulary, without downloading the model', async () => {
    const prefix = freshPrefix('vocabulary');
    const filter = facade(prefix);
    const report = await filter.filter(wardrobe, request);
    expect(report.semantic_mode_active).to.equal(true);
    expect(report.fallback_reason).to.equal(null);
    expect(report.items.find((i) => i.id === 'blazer')!.passed).to.equal(true);
    expect(filter.stats().computed).to.equal(0);
    expect(await requestCount(`${prefix}/models/`)).to.equal(0);
    expect(filter.state).to.equal('idle');
    filter.dispose();
  });

  it('loads the model for unknown terms, reporting overall progress and state', async () => {
    const prefix = freshPrefix('progress');
    const filter = facade(prefix);
    const progress: ModelProgress[] = [];
    const states: string[] = [];
    filter.addEventListener('progress', (e) => progress.push((e as CustomEvent<ModelProgress>).detail));
    filter.addEventListener('statechange', (e) => states.push((e as CustomEvent<{ state: string }>).detail.state));
    const report = await filter.filter(unknownWardrobe, { style: 'casual' });
    expect(report.semantic_mode_active).to.equal(true);
    expect(report.dimension_modes).to.deep.equal({ style: 'semantic' });
    expect(states).to.deep.equal(['loading', 'ready']);
    const last = progress.at(-1)!;
    expect(last.fraction).to.equal(1);
    expect(last.totalBytes).to.be.greaterThan(90_000_000);
    const fractions = progress.map((p) => p.fraction ?? 0);
    expect(fractions).to.deep.equal([...fractions].sort((a, b) => a - b)); // never goes backwards
    filter.dispose();
  });

  it('compare() lists the items the two modes decide differently', async () => {
    const filter = facade(freshPrefix('compare'));
    const { traditional, semantic, flips } = await filter.compare(wardrobe, request);
    expect(traditional.semantic_mode_active).to.equal(false);
    expect(semantic.semantic_mode_active).to.equal(true);
    expect(flips).to.deep.equal([{ id: 'blazer', traditional: false, semantic: true }]);
    filter.dispose();
  });

  it('a second page load computes no vector it already cached', async () => {
    const prefix = freshPrefix('second-load');
    const first = facade(prefix);
    await first.filter(unknownWardrobe, { style: 'casual', mood: 'calm' });
    expect(first.stats().computed).to.be.greaterThan(0);
    first.dispose();
    // A new facade has empty memory, as a reloaded page would: only IndexedDB remembers.
    const second = facade(prefix);
    const report = await second.filter(unknownWardrobe, { style: 'casual', mood: 'calm' });
    const stats = second.stats();
    console.log(`second load: ${JSON.stringify(stats)}`);
    expect(report.semantic_mode_active).to.equal(true);
    expect(stats.computed).to.equal(0);
    expect(stats.storeHits).to.be.at.least(UNKNOWN_TERMS.length);
    expect(stats.storeHits / (stats.storeHits + stats.computed)).to.equal(1);
    second.dispose();
  });

  it('still answers correctly when IndexedDB cannot be opened', async () => {
    const baseline = await facade(freshPrefix('idb-baseline'), { cache: false }).filter(unknownWardrobe, { style: 'casual' });
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = () => {
      throw new DOMException('IndexedDB is disabled', 'SecurityError');
    };
    try {
      const filter = facade(freshPrefix('idb-missing'));
      const report = await filter.filter(unknownWardrobe, { style: 'casual' });
      expect(report.items.map((i) => [i.id, i.passed])).to.deep.equal(baseline.items.map((i) => [i.id, i.passed]));
      expect(report.semantic_mode_active).to.equal(true);
      filter.dispose();
    } finally {
      IDBFactory.prototype.open = open;
    }
  });

  it('still answers correctly when IndexedDB throws on write (quota)', async () => {
    const real = createIdbVectorStore(`quota-${Date.now()}`)!;
    // The real store, except that every write fails the way a full disk does.
    const full: VectorStore = { getMany: (keys) => real.getMany(keys), setMany: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')) };
    const filter = facade(freshPrefix('idb-quota'), { cache: full });
    const report = await filter.filter(unknownWardrobe, { style: 'casual' });
    expect(report.semantic_mode_active).to.equal(true);
    expect(filter.stats().storeFailures).to.be.at.least(1);
    const again = await filter.filter(unknownWardrobe, { style: 'casual' });
    expect(again.items).to.deep.equal(report.items);
    expect(filter.stats().memoryHits).to.be.greaterThan(0);
    filter.dispose();
  });

  it('falls back with its reason when a model file answers 404, and works again once it is back', async () => {
    const prefix = freshPrefix('model-404');
    await setOffline(`${prefix}/models/Xenova/all-MiniLM-L6-v2/onnx/`, true);
    const filter = facade(prefix, { loadTimeoutMs: 30_000 });
    const started = performance.now();
    const report = await filter.filter(unknownWardrobe, { style: 'casual', mood: 'calm' });
    expect(performance.now() - started).to.be.below(30_000);
    expect(report.fallback_reason).to.equal('MODEL_UNAVAILABLE');
    // The items' style tags need the model and are compared exactly; mood's are in the vocabulary.
    expect(report.dimension_modes).to.deep.equal({ style: 'exact', mood: 'semantic' });
    expect(report.items[0]!.reasons[0]).to.include({ dimension: 'style', code: 'EXACT_MISMATCH', mode: 'exact' });
    expect(filter.state).to.equal('fallback');

    await setOffline(`${prefix}/models/Xenova/all-MiniLM-L6-v2/onnx/`, false);
    const later = await filter.filter(unknownWardrobe, { style: 'casual', mood: 'calm' });
    expect(later.fallback_reason).to.equal(null);
    expect(later.dimension_modes).to.deep.equal({ style: 'semantic', mood: 'semantic' });
    expect(filter.state).to.equal('ready');
    filter.dispose();
  });

  it('falls back when the worker script answers 404, and works again once it is back', async () => {
    const prefix = freshPrefix('worker-404');
    const workerUrl = `${prefix}/packages/core/dist/worker/embedding-worker.js`;
    await setOffline(workerUrl, true);
    const filter = facade(prefix, { createWorker: () => new Worker(workerUrl, { type: 'module' }) });
    const report = await filter.filter(unknownWardrobe, { style: 'casual' });
    expect(report.semantic_mode_active).to.equal(false);
    expect(report.fallback_reason).to.equal('MODEL_UNAVAILABLE');
    expect(report.filter_pass_rate).to.equal(0);

    await setOffline(workerUrl, false);
    const later = await filter.filter(unknownWardrobe, { style: 'casual' });
    expect(later.semantic_mode_active).to.equal(true);
    expect(filter.state).to.equal('ready');
    filter.dispose();
  });

  it('reports TIMEOUT when the model does not answer in time', async () => {
    const filter = facade(freshPrefix('timeout'), { loadTimeoutMs: 1 });
    const report = await filter.filter(unknownWardrobe, { style: 'casual' });
    expect(report.fallback_reason).to.equal('TIMEOUT');
    filter.dispose();
  });

  it('falls back at once after repeated failures', async () => {
    const prefix = freshPrefix('breaker');
    await setOffline(`${prefix}/models/`, true);
    let workersStarted = 0;
    const createWorker = () => (workersStarted++, createEmbeddingWorker());
    const filter = facade(prefix, { maxFailures: 2, retryAfterMs: 60_000, createWorker });
    for (let i = 0; i < 2; i++) expect((await filter.filter(unknownWardrobe, { style: 'casual' })).fallback_reason).to.equal('MODEL_UNAVAILABLE');
    expect(workersStarted).to.equal(2);
    const report = await filter.filter(unknownWardrobe, { style: 'casual' });
    expect(report.fallback_reason).to.equal('MODEL_UNAVAILABLE');
    expect(workersStarted).to.equal(2); // the model was not even tried
    filter.dispose();
  });

  it('turns bad input into a report naming the place, never an exception', async () => {
    const filter = facade(freshPrefix('bad-input'));
    const report = await filter.filter([{ id: 'a', mood: 7 }, { style: 'x' }], { colour: 'red' });
    expect(report.fallback_reason).to.equal('INVALID_INPUT');
    expect(report.input_issues!.map((i) => i.path)).to.deep.equal(['items[0].mood', 'items[1].id', 'request']);
    expect(report.items).to.deep.equal([]);
    filter.dispose();
  });
});
