import { expect } from 'chai';
import { createSemanticFilter } from '@semfilter/core/browser';
import type { FilterReport } from '@semfilter/core';
import type { SemfilterDebugger } from '@semfilter/elements';
import { mountDebugger, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import { UNKNOWN_TERMS } from '../../../../test/browser/helpers.js';

// The real worker and model, with a deadline no model call meets (1 ms): once the model is loaded,
// a run that needs new terms answers TIMEOUT while the model goes on computing them. No statechange
// follows (the model stays ready), so the element itself must show the answer when it is in; it
// stayed on the TIMEOUT report before (seen with the q8 weights, which have no vocabulary pack).

const request = { style: 'casual', occasion: 'work', mood: 'calm' };

/** The element's next report that passes `test`, or a rejection after 60 s. */
function reportWhere(element: SemfilterDebugger, test: (report: FilterReport) => boolean, what: string): Promise<FilterReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no report ${what} within 60 s (last: ${element.report?.fallback_reason})`)), 60_000);
    if (element.report !== undefined && test(element.report)) {
      clearTimeout(timer);
      resolve(element.report);
      return;
    }
    element.addEventListener('semfilter-report', (e) => {
      if (!test(e.detail)) return;
      clearTimeout(timer);
      resolve(e.detail);
    });
  });
}

afterEach(removeDebuggers);

describe('<semfilter-debugger> after a run the loaded model could not finish in time', () => {
  it('shows the model\'s answer once it is computed, instead of staying on TIMEOUT', async () => {
    const filter = createSemanticFilter({ modelBaseUrl: '/models/', cache: false, deadlineMs: 1 });
    try {
      // A tag only the model knows, so the model loads.
      const items = [{ id: 'odd', name: 'Odd coat', style: UNKNOWN_TERMS[0], occasion: 'work', mood: 'calm' }];
      const element = await mountDebugger({ items, request, semantic: true, filter });
      await reportWhere(element, (r) => r.fallback_reason === null && element.modelState === 'ready', 'with the loaded model');

      // Tags no layer holds: the next run must ask the model, which takes longer than 1 ms.
      const timedOut = reportWhere(element, (r) => r.fallback_reason === 'TIMEOUT', 'saying TIMEOUT');
      const answered = reportWhere(element, (r) => r.fallback_reason === null && r.items.length === 12, 'with the model for the new tags');
      element.items = Array.from({ length: 12 }, (_, i) => ({ id: `coat-${i}`, name: `Coat ${i}`, style: `quilted frobnicator ${i} ${Date.now()}`, occasion: 'work', mood: 'calm' }));
      await timedOut;
      const report = await answered;
      expect(report.semantic_mode_active).to.equal(true);
      expect(element.modelState).to.equal('ready');
    } finally {
      filter.dispose();
    }
  });
});
