import { expect } from 'chai';
import { createSemanticFilter, type SemanticFilter, type StateChange } from '@semfilter/core/browser';
import type { FilterReport } from '@semfilter/core';
import type { SemfilterDebugger } from '@semfilter/elements';
import { mountDebugger, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import { freshPrefix, setHeld, setHtml, setOffline, UNKNOWN_TERMS, until } from '../../../../test/browser/helpers.js';

// The real worker, with the model served wrong: not at all (404), as an HTML page, or so slowly
// that the load times out. The element says why in its own words and never leaves a report that
// says the model is loading once the load has failed.

const request = { style: 'casual', occasion: 'work', mood: 'calm' };
/** A tag only the model can place, so the semantic run asks the model. */
const items = [
  { id: 'tee', name: 'White tee', style: 'casual', occasion: 'work', mood: 'calm' },
  { id: 'odd', name: 'Odd coat', style: UNKNOWN_TERMS[2], occasion: 'work', mood: 'calm' },
];

const words = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const toolbar = (element: SemfilterDebugger) => words(element.shadowRoot!.querySelector('.toolbar'));
const changes = (element: SemfilterDebugger) => words(element.shadowRoot!.querySelector('[part~="changes"]'));
const summary = (element: SemfilterDebugger) => words(element.shadowRoot!.querySelector('[part~="summary"]'));
/** Words transformers.js uses for a missing file: settings the host never set. */
const THEIR_WORDS = /local_files_only|allowRemoteModels|env\./;

/** Resolves with the filter's next change to `state`. */
function stateReached(filter: SemanticFilter, state: string): Promise<StateChange> {
  return new Promise((resolve) => filter.addEventListener('statechange', (e) => e.detail.state === state && resolve(e.detail)));
}

/** The element's next report whose fallback passes `test`. */
function reportWhere(element: SemfilterDebugger, test: (report: FilterReport) => boolean): Promise<FilterReport> {
  return new Promise((resolve) => element.addEventListener('semfilter-report', (e) => test(e.detail) && resolve(e.detail)));
}

afterEach(removeDebuggers);

describe('<semfilter-debugger> when the model cannot be loaded', () => {
  it('names a missing model (HTTP 404) in its own words: the folder it is not served at, and the file', async () => {
    const prefix = freshPrefix('load-failure-404');
    const models = `${prefix}/models/`;
    await setOffline(models, true);
    const filter = createSemanticFilter({ modelBaseUrl: models, cache: false });
    try {
      const failed = stateReached(filter, 'fallback');
      const element = await mountDebugger({ items, request, semantic: true, filter });
      const { failure } = await failed;
      if (element.report!.fallback_reason !== 'MODEL_UNAVAILABLE') await reportWhere(element, (r) => r.fallback_reason === 'MODEL_UNAVAILABLE');
      await element.updateComplete;
      expect(failure).to.include({ kind: 'not-served', reason: 'MODEL_UNAVAILABLE' });
      expect(filter.loadFailure).to.deep.equal(failure);
      const folder = `${location.origin}${models}`;
      const cause = new RegExp(`the model files are not served at ${folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(HTTP 404 or no answer for Xenova/all-MiniLM-L6-v2/[\\w/]+\\.(json|onnx)\\)`);
      expect(toolbar(element)).to.match(new RegExp(`Model: fallback — ${cause.source}`));
      expect(changes(element)).to.contain('Semantic mode is only partly active: the model could not be loaded because the model files are not served at').and.match(cause);
      const all = words(element.shadowRoot);
      expect(all).not.to.match(THEIR_WORDS);
      expect(summary(element)).to.contain('MODEL_UNAVAILABLE').and.not.contain('MODEL_LOADING');
    } finally {
      await setOffline(models, false);
      filter.dispose();
    }
  });

  it('names a model folder answered with an HTML page (a single-page app\'s fallback route)', async () => {
    const prefix = freshPrefix('load-failure-html');
    const models = `${prefix}/models/`;
    await setHtml(models, true);
    const filter = createSemanticFilter({ modelBaseUrl: models, cache: false });
    try {
      const failed = stateReached(filter, 'fallback');
      const element = await mountDebugger({ items, request, semantic: true, filter });
      const { failure } = await failed;
      if (element.report!.fallback_reason !== 'MODEL_UNAVAILABLE') await reportWhere(element, (r) => r.fallback_reason === 'MODEL_UNAVAILABLE');
      await element.updateComplete;
      expect(failure).to.include({ kind: 'not-the-model', reason: 'MODEL_UNAVAILABLE' });
      expect(failure!.url).to.match(new RegExp(`^${location.origin}${models}Xenova/all-MiniLM-L6-v2/`));
      const cause = `the server answered ${failure!.url} with an HTML page: the model is not served there`;
      expect(toolbar(element)).to.contain(`Model: fallback — ${cause}`);
      expect(changes(element)).to.contain(`the model could not be loaded because ${cause}`);
      expect(words(element.shadowRoot)).not.to.match(THEIR_WORDS).and.not.contain('(status 200)');
    } finally {
      await setHtml(models, false);
      filter.dispose();
    }
  });

  it('runs again when a load that a report waited for times out: the report and the rows then say TIMEOUT, never MODEL_LOADING', async () => {
    const prefix = freshPrefix('load-failure-timeout');
    const models = `${prefix}/models/`;
    await setHeld(models, true);
    // The answer deadline (2 s) passes while the model loads; the load gives up at 4 s.
    const filter = createSemanticFilter({ modelBaseUrl: models, cache: false, loadTimeoutMs: 4000 });
    const reports: FilterReport[] = [];
    try {
      const firstFailure = stateReached(filter, 'fallback');
      const element = await mountDebugger({ items, request, semantic: true, view: 'all', filter });
      element.addEventListener('semfilter-report', (e) => reports.push(e.detail));
      expect(element.report!.fallback_reason).to.equal('MODEL_LOADING'); // reported at the deadline, the load still under way

      // The load fails; the element runs again by itself (the host changed nothing).
      const after = reportWhere(element, (r) => r.fallback_reason !== 'MODEL_LOADING');
      expect((await firstFailure).failure).to.include({ kind: 'timeout', reason: 'TIMEOUT', message: 'the model took longer than 4 s to load' });
      const rerun = await after;
      await element.updateComplete;
      // The run after the failure joins the call that failed, or starts a new load (still held) and
      // at its deadline reports the failure that stands: TIMEOUT either way, not "still loading".
      expect(rerun.fallback_reason).to.equal('TIMEOUT');
      expect(element.report!.fallback_reason).to.equal('TIMEOUT');
      expect(summary(element)).to.contain('partly active (TIMEOUT)').and.not.contain('MODEL_LOADING');
      expect(changes(element)).to.contain('the model did not answer in time because the model took longer than 4 s to load').and.not.contain('still loading');
      const odd = element.shadowRoot!.querySelector('[part~="item"][data-item-id="odd"] td[data-label="Semantic filter"]')!;
      expect(odd.querySelector('[data-code="EXACT_MISMATCH"]'), 'the unknown tag compared exactly').to.exist;

      // Once no load is under way any more, the element follows the state, and its report stays TIMEOUT (no run again, no loop).
      await until(() => filter.state === 'fallback' && element.modelState === 'fallback', 'the state fallback');
      const reported = reports.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await element.updateComplete;
      expect(reports.length, 'runs after the second failure').to.equal(reported);
      expect(element.modelState).to.equal('fallback');
      expect(toolbar(element)).to.contain('Model: fallback — the model took longer than 4 s to load');
      expect(element.report!.fallback_reason).to.equal('TIMEOUT');
      expect(reports.every((r) => r.fallback_reason !== 'MODEL_LOADING'), 'no report after the first failure says MODEL_LOADING').to.equal(true);
    } finally {
      await setHeld(models, false);
      filter.dispose();
    }
  });

  it('runs again with the model once a load after a failed one succeeds', async () => {
    const prefix = freshPrefix('load-failure-recovers');
    const models = `${prefix}/models/`;
    await setOffline(models, true);
    // Failures in a row open the filter's circuit breaker (3 by default): this one must try the model again.
    const filter = createSemanticFilter({ modelBaseUrl: models, cache: false, maxFailures: 10 });
    try {
      const failed = stateReached(filter, 'fallback');
      const element = await mountDebugger({ items, request, semantic: true, filter });
      await failed;
      if (element.report!.fallback_reason !== 'MODEL_UNAVAILABLE') await reportWhere(element, (r) => r.fallback_reason === 'MODEL_UNAVAILABLE');
      // The model is served again; the host asks again (a new request), which loads it.
      await setOffline(models, false);
      const withModel = reportWhere(element, (r) => r.fallback_reason === null);
      element.request = { ...request, mood: 'relaxed' };
      await withModel;
      await element.updateComplete;
      expect(element.modelState).to.equal('ready');
      expect(filter.loadFailure).to.equal(null);
      expect(toolbar(element)).to.contain('Model: ready').and.not.contain('not served');
      expect(changes(element)).not.to.contain('could not be loaded');
    } finally {
      await setOffline(models, false);
      filter.dispose();
    }
  });
});
