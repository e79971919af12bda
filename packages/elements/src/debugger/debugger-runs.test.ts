import { expect } from 'chai';
import { createSemanticFilter, type StateChange } from '@semfilter/core/browser';
import type { FilterReport } from '@semfilter/core';
import type { SemfilterDebugger } from '@semfilter/elements';
import { debuggerRows as rows, mountDebugger, nextReport, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import { freshPrefix, setHeld, UNKNOWN_TERMS } from '../../../../test/browser/helpers.js';

const request = { style: 'casual', occasion: 'work', mood: 'calm' };
// A term only the model can place, so the semantic run waits for it.
const items = [
  { id: 'tee', name: 'White tee', style: 'casual', occasion: 'work', mood: 'calm' },
  { id: 'odd', name: 'Odd coat', style: UNKNOWN_TERMS[1], occasion: 'work', mood: 'calm' },
];

/** The element's next report whose semantic run had the model (not MODEL_LOADING). */
const reportWithModel = (element: SemfilterDebugger) =>
  new Promise<FilterReport>((resolve) => element.addEventListener('semfilter-report', (e) => e.detail.fallback_reason === null && resolve(e.detail)));

afterEach(removeDebuggers);

describe('<semfilter-debugger> runs across detach and reattach', () => {
  it('stops following the host filter while detached, and runs again with it when reattached', async () => {
    const prefix = freshPrefix('runs-reattach');
    const filter = createSemanticFilter({ modelBaseUrl: `${prefix}/models/`, cache: false });
    await setHeld(`${prefix}/models/`, true);
    try {
      const element = await mountDebugger({ items, request, semantic: true, filter });
      expect(element.report!.fallback_reason).to.equal('MODEL_LOADING');
      expect(element.modelState).to.equal('loading');
      element.remove();
      const ready = new Promise<void>((resolve) => filter.addEventListener('statechange', (e) => (e as CustomEvent<StateChange>).detail.state === 'ready' && resolve()));
      await setHeld(`${prefix}/models/`, false);
      await ready;
      await element.updateComplete;
      // Detached, the element neither follows the filter nor reruns on its `ready`.
      expect(element.modelState).to.equal('loading');
      expect(element.report!.fallback_reason).to.equal('MODEL_LOADING');

      const reported = nextReport(element);
      document.body.append(element);
      await reported;
      expect(element.modelState).to.equal('ready');
      expect(element.getAttribute('model-state')).to.equal('ready');
      expect(element.report!.fallback_reason).to.equal(null);
      expect(rows(element).map((row) => row.dataset.itemId)).to.include('tee');
    } finally {
      await setHeld(`${prefix}/models/`, false);
      filter.dispose();
    }
  });

  it('answers again when reattached, with the model for a term no cache holds (its own filter, let go on detach, made again)', async () => {
    const element = document.createElement('semfilter-debugger');
    Object.assign(element, { modelBaseUrl: '/models/', items, request, semantic: true });
    const first = reportWithModel(element);
    document.body.append(element);
    await first;
    element.remove();
    const reattached = nextReport(element);
    document.body.append(element);
    await reattached;
    // A term no cache holds yet: only a live model answers it.
    const withModel = reportWithModel(element);
    element.request = { ...request, style: `${UNKNOWN_TERMS[2]}${Date.now().toString(36)}` };
    await withModel;
    await element.updateComplete;
    expect(element.modelState).to.equal('ready');
    expect(element.report!.semantic_mode_active).to.equal(true);
  });
});
