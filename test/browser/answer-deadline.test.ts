import { expect } from 'chai';
import { generateWardrobe, MODEL_FILES_TO_LOAD, type FilterReport } from '@semfilter/core';
import { createSemanticFilter, describeProgress, type ModelProgress, type SemanticFilter, type StateChange } from '@semfilter/core/browser';
import { freshPrefix, requestCount, setHeld, UNKNOWN_TERMS } from './helpers.js';

const request = { style: 'casual', occasion: 'work', mood: 'calm' };
/** Tags the vocabulary knows, and one item whose style only the model can place. */
const wardrobe = [...generateWardrobe(40), { id: 'odd', name: 'Odd coat', style: UNKNOWN_TERMS[0]!, occasion: 'work', mood: 'calm' }];

function styleOf(report: FilterReport, id: string) {
  const item = report.items.find((verdict) => verdict.id === id)!;
  return [...item.matches, ...item.reasons].find((entry) => entry.dimension === 'style')!;
}

function stateReached(filter: SemanticFilter, state: string): Promise<void> {
  return new Promise((resolve) => filter.addEventListener('statechange', (e) => (e as CustomEvent<StateChange>).detail.state === state && resolve()));
}

describe('an answer at once while the model is held back', () => {
  it('answers within the deadline: known tags by meaning, the rest exactly (MODEL_LOADING); once the model arrives a later call is fully semantic', async () => {
    const prefix = freshPrefix('deadline');
    const models = `${prefix}/models/`;
    await setHeld(models, true);
    const filter = createSemanticFilter({ modelBaseUrl: models, cache: false, loadTimeoutMs: 120_000 });
    const progress: ModelProgress[] = [];
    filter.addEventListener('progress', (e) => progress.push((e as CustomEvent<ModelProgress>).detail));
    const ready = stateReached(filter, 'ready');
    const prepared = filter.prepare(wardrobe);
    try {
      // Default deadline (2 s): the model's files are held back for as long as this call takes.
      const early = (await filter.run(prepared, request)).report;
      expect(filter.state).to.equal('loading'); // the call answered; the load goes on
      expect(await requestCount(models)).to.be.greaterThan(0); // the model was asked for
      expect(early.fallback_reason).to.equal('MODEL_LOADING');
      expect(early.semantic_mode_active).to.equal(true);
      expect(early.dimension_modes).to.deep.equal({ style: 'semantic', occasion: 'semantic', mood: 'semantic' });
      expect(early.items.some((item) => item.matches.some((match) => match.mode === 'semantic' && match.requested !== match.actual))).to.equal(true);
      expect(styleOf(early, 'odd')).to.include({ code: 'EXACT_MISMATCH', mode: 'exact' });

      // A per-call deadline of 0 answers the same way at once; a bad one is reported, not thrown.
      const immediate = await filter.filter(wardrobe, request, {}, { deadlineMs: 0 });
      expect(immediate.fallback_reason).to.equal('MODEL_LOADING');
      const bad = await filter.filter(wardrobe, request, {}, { deadlineMs: -5 });
      expect(bad.fallback_reason).to.equal('INVALID_INPUT');
      expect(bad.input_issues![0]!.path).to.equal('call.deadlineMs');
      expect(bad.input_issues![0]!.message).to.contain('Infinity');
    } finally {
      await setHeld(models, false);
    }
    await ready;
    // `ready` came once the waiting calls were answered: their vectors are in, so even a deadline of 0
    // is fully semantic now; and the fallen-back request was not kept, so this asks the embedder again.
    const late = (await filter.run(prepared, request, {}, { deadlineMs: 0 })).report;
    expect(late.fallback_reason).to.equal(null);
    expect(late.semantic_mode_active).to.equal(true);
    expect(styleOf(late, 'odd')).to.include({ mode: 'semantic' });
    expect(filter.stats().computed).to.be.greaterThan(0);

    // Progress on a first visit: sizes from manifest.json, ending at every byte of the files loaded.
    const manifest = (await (await fetch(`${models}Xenova/all-MiniLM-L6-v2/manifest.json`)).json()) as { files: Record<string, { bytes: number }> };
    const expected = MODEL_FILES_TO_LOAD.fp32.reduce((sum, file) => sum + manifest.files[file]!.bytes, 0);
    expect(progress.length).to.be.greaterThan(1);
    expect(progress.every((p) => p.totalBytes === expected)).to.equal(true);
    const last = progress.at(-1)!;
    expect(last).to.include({ loadedBytes: expected, fraction: 1 });
    expect(describeProgress(last)).to.equal(`${(expected / 1e6).toFixed(1)} of ${(expected / 1e6).toFixed(1)} MB (100%)`);
    console.log(`deadline test: ${progress.length} progress events; first ${describeProgress(progress[0]!)}, last ${describeProgress(last)}`);
    filter.dispose();
  });
});
