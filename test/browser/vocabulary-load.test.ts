import { expect } from 'chai';
import { createSemanticFilter, type SemanticFilterOptions } from '@semfilter/core/browser';
import { freshPrefix, setOffline } from './helpers.js';

const wardrobe = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Casual', occasion: 'work', mood: 'calm' },
];
const request = { style: 'casual', occasion: 'work', mood: 'calm' };

/**
 * Counts the page's fetches of the vocabulary file (vocabulary.bin), and answers them with
 * `answer` when given. It wraps the page's `fetch`; the worker has its own, and fetches model files only.
 */
function watchVocabulary(answer?: () => Response): { readonly count: () => number; restore(): void } {
  const original = globalThis.fetch;
  let count = 0;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.includes('vocabulary')) return original(input, init);
    count++;
    return answer === undefined ? original(input, init) : Promise.resolve(answer());
  };
  return { count: () => count, restore: () => void (globalThis.fetch = original) };
}

/** A facade whose model answers 404 at once: what semantic mode knows comes from the vocabulary alone. */
async function withoutModel(name: string, extra: SemanticFilterOptions, test: (options: SemanticFilterOptions) => Promise<void>): Promise<void> {
  const prefix = freshPrefix(name);
  await setOffline(`${prefix}/models/`, true);
  try {
    await test({ modelBaseUrl: `${prefix}/models/`, cache: false, loadTimeoutMs: 30_000, ...extra });
  } finally {
    await setOffline(`${prefix}/models/`, false);
  }
}

describe('the embedded vocabulary file', () => {
  it('is fetched on the first semantic call, once, and not when the facade is created or filters traditionally', async () => {
    const watch = watchVocabulary();
    try {
      await withoutModel('vocabulary-lazy', {}, async (options) => {
        const filter = createSemanticFilter(options);
        const prepared = filter.prepare(wardrobe);
        const traditional = await filter.filter(prepared, request, { semantic: false });
        expect(traditional.semantic_mode_active).to.equal(false);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(watch.count()).to.equal(0);

        const [first, second] = await Promise.all([filter.filter(prepared, request), filter.filter(wardrobe, { ...request, mood: 'serene' })]);
        expect(watch.count()).to.equal(1);
        for (const report of [first, second]) {
          expect(report.fallback_reason).to.equal(null);
          expect(report.dimension_modes).to.deep.equal({ style: 'semantic', occasion: 'semantic', mood: 'semantic' });
        }
        expect(first.items.find((item) => item.id === 'blazer')!.passed).to.equal(true);
        expect(filter.stats().vocabularyHits).to.be.greaterThan(0);
        await filter.filter(wardrobe, { style: 'classic' });
        expect(watch.count()).to.equal(1);
        filter.dispose();
      });
    } finally {
      watch.restore();
    }
  });

  it('is never fetched with vocabulary: false', async () => {
    const watch = watchVocabulary();
    try {
      await withoutModel('vocabulary-off', { vocabulary: false }, async (options) => {
        const filter = createSemanticFilter(options);
        const report = await filter.filter(wardrobe, request);
        expect(report.fallback_reason).to.equal('MODEL_UNAVAILABLE');
        expect(watch.count()).to.equal(0);
        filter.dispose();
      });
    } finally {
      watch.restore();
    }
  });

  for (const [what, answer] of [
    ['answers 404', () => new Response('not found', { status: 404 })],
    ['is an HTML page (status 200)', () => new Response('<!doctype html><html><body>app</body></html>', { status: 200, headers: { 'content-type': 'text/html' } })],
    ['is cut short', () => new Response(new Uint8Array([0x53, 0x46, 0x56, 0x31, 0xff, 0, 0, 0, 0x7b]), { status: 200 })],
  ] as const) {
    it(`leaves semantic mode to the model when the file ${what}`, async () => {
      const watch = watchVocabulary(answer);
      try {
        await withoutModel('vocabulary-broken', {}, async (options) => {
          const filter = createSemanticFilter(options);
          const report = await filter.filter(wardrobe, request);
          expect(watch.count()).to.equal(1);
          // No vocabulary and no model: every tag is compared exactly, saying why.
          expect(report.fallback_reason).to.equal('MODEL_UNAVAILABLE');
          expect(report.semantic_mode_active).to.equal(false);
          expect(report.items.find((item) => item.id === 'tee')!.passed).to.equal(true);
          expect(filter.stats().vocabularyHits).to.equal(0);
          filter.dispose();
        });
      } finally {
        watch.restore();
      }
    });
  }
});
