import { expect } from 'chai';
import { setViewport } from '@web/test-runner-commands';
import { createSemanticFilter } from '@semfilter/core/browser';
import { DEFAULT_THRESHOLDS, generateWardrobe, type FilterRequest } from '@semfilter/core';
import { debuggerRows as rows, mountDebugger, nextReport, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import { freshPrefix, setOffline, UNKNOWN_TERMS, until } from '../../../../test/browser/helpers.js';
import type { DebuggerView, SemfilterDebugger } from '@semfilter/elements';

// Issue 19, second pass: what a new user of the playground met, element by element.

const root = (element: SemfilterDebugger) => element.shadowRoot!;
const words = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const changes = (element: SemfilterDebugger) => words(root(element).querySelector('[part~="changes"]'));
const toolbar = (element: SemfilterDebugger) => words(root(element).querySelector('.toolbar'));
const buttonNamed = (element: SemfilterDebugger, name: RegExp) => [...root(element).querySelectorAll<HTMLButtonElement>('button')].find((b) => name.test(words(b)));

/** A debugger on the served model whose semantic run is the model's, not an answer at a deadline. */
async function mountWithModel(items: readonly object[], request: FilterRequest, view: DebuggerView = 'passing', semantic = true): Promise<SemfilterDebugger> {
  const filter = createSemanticFilter({ modelBaseUrl: '/models/', cache: false, deadlineMs: Infinity });
  const element = await mountDebugger({ items, request, view, semantic, filter });
  while (element.report!.fallback_reason !== null) await nextReport(element);
  return element;
}

afterEach(removeDebuggers);

describe('<semfilter-debugger> second pass (issue 19)', () => {
  it('1. names the dimension that left no item, with the closest items, and shows all items with their reasons in one click', async () => {
    const items = [
      { id: 'tee', name: 'White tee', style: 'casual', occasion: 'work', mood: 'calm' },
      { id: 'shirt', name: 'Oxford shirt', style: 'classic', occasion: 'work', mood: 'serene' },
      { id: 'hoodie', name: 'Grey hoodie', style: 'casual', occasion: 'work', mood: 'relaxed' },
    ];
    const element = await mountWithModel(items, { style: 'casual', occasion: 'work', mood: UNKNOWN_TERMS[0]! });
    expect(element.report!.filter_pass_rate, 'nothing passes the semantic filter').to.equal(0);
    const why = root(element).querySelector('[data-nothing-passes]');
    expect(why, 'a line says why nothing passes').to.not.equal(null);
    expect(words(why)).to.match(/mood/).and.match(/closest/);
    expect(words(why)).to.contain('White tee');
    const show = buttonNamed(element, /show all items/i);
    expect(show, 'a "show all items" button').to.not.equal(undefined);
    show!.click();
    await element.updateComplete;
    expect(element.view).to.equal('all');
    expect(rows(element).map((r) => r.dataset.itemId)).to.have.members(['tee', 'shirt', 'hoodie']);
    expect(words(rows(element)[0]!.querySelector('td[data-label="Semantic filter"]'))).to.contain('mood');
  });

  describe('on a phone (390 × 844)', () => {
    beforeEach(() => setViewport({ width: 390, height: 844 }));
    afterEach(() => setViewport({ width: 800, height: 600 }));

    it('2. brings a chosen flip group\'s first row into view and says so in a live region', async () => {
      const element = await mountWithModel(generateWardrobe(200, 3), { style: 'casual', occasion: 'work', mood: 'calm' });
      window.scrollTo(0, 0);
      const button = root(element).querySelector<HTMLButtonElement>('[data-flip-group]')!;
      expect(button, 'a flip group is listed').to.not.equal(null);
      button.click();
      await element.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const first = rows(element)[0]!;
      const { top, bottom } = first.getBoundingClientRect();
      expect(top, `the first row's top (${top.toFixed(0)} px) is on screen`).to.be.at.least(0).and.below(innerHeight);
      expect(bottom).to.be.above(0);
      const live = root(element).querySelector('[data-announce]');
      expect(live?.getAttribute('role') === 'status' || live?.getAttribute('aria-live') === 'polite', 'a polite live region').to.equal(true);
      expect(words(live)).to.contain('Showing').and.contain(words(first.querySelector('th')).split(' ')[0]!);
    });
  });

  it('3. resets the thresholds to their defaults with one control', async () => {
    const element = await mountDebugger({ items: generateWardrobe(30, 5), request: { style: 'casual', occasion: 'work', mood: 'calm' } });
    element.thresholds = { mood: 0.8, style: 0.2 };
    await element.updateComplete;
    const reset = buttonNamed(element, /reset thresholds/i);
    expect(reset, 'a "Reset thresholds" button').to.not.equal(undefined);
    const reported = nextReport(element);
    reset!.click();
    await reported;
    expect(element.thresholds).to.deep.equal({});
    expect(root(element).querySelector<HTMLInputElement>('#threshold-mood')!.value).to.equal(String(DEFAULT_THRESHOLDS.mood));
  });

  it('6. says the model is not needed when every tag came from the vocabulary, instead of "Model: idle"', async () => {
    const prefix = freshPrefix('second-pass-6');
    await setOffline(`${prefix}/models/`, true); // no model anywhere: the vocabulary alone answers
    const filter = createSemanticFilter({ modelBaseUrl: `${prefix}/models/`, cache: false });
    try {
      const items = [{ id: 'tee', name: 'White tee', style: 'casual', occasion: 'work', mood: 'calm' }, { id: 'shirt', name: 'Oxford shirt', style: 'classic', occasion: 'office', mood: 'relaxed' }];
      const element = await mountDebugger({ items, request: { style: 'casual', occasion: 'work', mood: 'calm' }, semantic: true, filter });
      expect(element.report!.semantic_mode_active).to.equal(true);
      expect(element.report!.fallback_reason).to.equal(null);
      expect(element.modelState).to.equal('idle');
      expect(toolbar(element)).to.not.contain('Model: idle');
      expect(toolbar(element)).to.match(/Model: not needed/).and.contain('vocabulary');
    } finally {
      filter.dispose();
      await setOffline(`${prefix}/models/`, false);
    }
  });

  describe('7. threshold charts', () => {
    const chartBox = (element: SemfilterDebugger, dimension: string) => root(element).querySelector(`#threshold-${dimension}`)!.closest('.threshold')!;
    async function mountWithCurves(items: readonly object[], request: FilterRequest): Promise<SemfilterDebugger> {
      const element = await mountDebugger({ items, request, view: 'all' });
      await until(() => root(element).querySelectorAll('.plot .curve').length === Object.keys(request).length, 'the charts\' curves');
      return element;
    }

    it('keeps the y-axis title clear of the top tick', async () => {
      const element = await mountWithCurves(generateWardrobe(40, 2), { style: 'casual', occasion: 'work', mood: 'calm' });
      for (const dimension of ['style', 'occasion', 'mood']) {
        const chart = chartBox(element, dimension);
        const title = chart.querySelector('.y-title')!.getBoundingClientRect();
        for (const tick of chart.querySelectorAll('.y-ticks span')) {
          const r = tick.getBoundingClientRect();
          const overlaps = title.left < r.right && r.left < title.right && title.top < r.bottom && r.top < title.bottom;
          expect(overlaps, `${dimension}: the y title overlaps the ${tick.textContent} tick`).to.equal(false);
        }
      }
    });

    it('scales the pass-rate axis to a curve that stays near 10%', async () => {
      // 4 items of 40 can pass at all: the mood curve never rises above 10%.
      const items = Array.from({ length: 40 }, (_, i) => ({ id: `item-${i}`, name: `Item ${i}`, style: i < 4 ? 'casual' : 'formal', occasion: 'work', mood: 'calm' }));
      const element = await mountWithCurves(items, { style: 'casual', mood: 'calm' });
      const chart = chartBox(element, 'mood');
      const top = chart.querySelector('.y-ticks span')!.textContent!.trim();
      expect(top, 'the top tick').to.not.equal('100%');
      const points = chart.querySelector('.curve')!.getAttribute('points')!.split(' ').map((p) => Number(p.split(',')[1]));
      expect(Math.min(...points), 'the curve\'s highest point (0 is the top of the plot)').to.be.below(50);
      expect(chart.querySelector('svg')!.getAttribute('aria-label')).to.contain(`0 to ${top}`);
    });
  });

  describe('8. reason filter and exports', () => {
    it('lists only the reason codes some row in the view carries', async () => {
      const element = await mountWithModel(generateWardrobe(200, 3), { style: 'casual', occasion: 'work', mood: 'calm' });
      element.semantic = false; // the rows the traditional filter passes: no reason of its own, few of the semantic filter
      await element.updateComplete;
      const options = [...root(element).querySelectorAll<HTMLOptionElement>('.row-filters select option')].filter((o) => o.value !== '');
      expect(options.map((o) => words(o)).filter((label) => /\(0\)$/.test(label)), 'codes listed with a count of 0').to.deep.equal([]);
    });

    it('names each export after the request and the time, so a second download does not collide', async () => {
      const element = await mountDebugger({ items: generateWardrobe(20, 1), request: { style: 'romantic', occasion: 'date night', mood: 'flirty' } });
      const names: string[] = [];
      const { click } = HTMLAnchorElement.prototype;
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        names.push(this.download); // records the download instead of starting it
      };
      try {
        root(element).querySelector<HTMLButtonElement>('button[data-export="json"]')!.click();
        root(element).querySelector<HTMLButtonElement>('button[data-export="json"]')!.click();
        root(element).querySelector<HTMLButtonElement>('button[data-export="csv"]')!.click();
      } finally {
        HTMLAnchorElement.prototype.click = click;
      }
      expect(names).to.have.length(3);
      expect(names[0]).to.match(/^semfilter-romantic-date-night-flirty-\d{4}-\d{2}-\d{2}-\d{6}\.json$/);
      expect(names[1]).to.not.equal(names[0]);
      expect(names[2]).to.match(/\.csv$/);
    });
  });

  it('9. without a model, says that both filters decide every item the same way, not "no verdict so far"', async () => {
    const prefix = freshPrefix('second-pass-9');
    await setOffline(`${prefix}/models/`, true);
    const filter = createSemanticFilter({ modelBaseUrl: `${prefix}/models/`, cache: false });
    try {
      const items = [
        { id: 'tee', name: 'White tee', style: 'casual', occasion: 'work', mood: 'calm' },
        { id: 'odd', name: 'Odd coat', style: UNKNOWN_TERMS[2], occasion: 'work', mood: 'calm' },
      ];
      const element = await mountDebugger({ items, request: { style: 'casual', occasion: 'work' }, semantic: true, filter });
      while (element.report!.fallback_reason !== 'MODEL_UNAVAILABLE') await nextReport(element);
      await element.updateComplete;
      expect(element.report!.semantic_mode_active, 'partly active').to.equal(true);
      expect(changes(element)).to.not.contain('no verdict so far');
      expect(changes(element)).to.contain('both filters decide every item the same way');
    } finally {
      filter.dispose();
      await setOffline(`${prefix}/models/`, false);
    }
  });
});
