import { expect } from 'chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { createSemanticFilter, describeProgress, type ModelProgress } from '@semfilter/core/browser';
import { freshPrefix, UNKNOWN_TERMS } from '../../../../test/browser/helpers.js';
import { generateWardrobe } from '@semfilter/core';
import { axe, debuggerRows as rows, mountDebugger, removeDebuggers, type DebuggerSetup } from '../../../../test/browser/debugger-support.js';
import type { DebuggerView, SemfilterDebugger } from '@semfilter/elements';

/** A debugger with ten rows a page, semantic mode off unless asked, waiting for its first report. */
const mount = (setup: DebuggerSetup & { readonly view: DebuggerView }) => mountDebugger({ pageSize: 10, semantic: false, ...setup });

/** The pager's status, as page and page count. */
function pagerStatus(element: SemfilterDebugger): { text: string; page: number; pages: number } {
  const text = element.shadowRoot!.querySelector('.pager [role="status"]')!.textContent!.replace(/\s+/g, ' ').trim();
  const [, page, pages] = /page (\d+) of (\d+)/.exec(text)!;
  return { text, page: Number(page), pages: Number(pages) };
}

const pagerButton = (element: SemfilterDebugger, label: string) => [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('.pager button')].find((b) => b.textContent!.includes(label))!;

/** 25 casual items and 5 classic ones: the casual request passes three pages of ten, the classic one a single page. */
const mixed = Array.from({ length: 30 }, (_, i) => ({ id: `item-${i}`, name: `Item ${i}`, style: i < 25 ? 'casual' : 'classic', occasion: 'work', mood: 'calm' }));

afterEach(removeDebuggers);

describe('<semfilter-debugger> state', () => {
  it('brings the page back into range when a new request leaves fewer rows, and keeps it there', async () => {
    const element = await mount({ items: mixed, request: { style: 'casual' }, view: 'passing' });
    pagerButton(element, 'Next').click();
    await element.updateComplete;
    pagerButton(element, 'Next').click();
    await element.updateComplete;
    expect(pagerStatus(element)).to.include({ page: 3, pages: 3 });
    expect(rows(element)).to.have.length(5);
    const reported = new Promise((resolve) => element.addEventListener('semfilter-report', resolve, { once: true }));
    element.request = { style: 'classic' };
    await reported;
    await element.updateComplete;
    expect(pagerStatus(element)).to.include({ page: 1, pages: 1 });
    expect(rows(element).map((r) => r.dataset.itemId)).to.deep.equal(['item-25', 'item-26', 'item-27', 'item-28', 'item-29']);
    // The page itself was clamped, not only its rendering: more rows again start from page 1, not page 3.
    const again = new Promise((resolve) => element.addEventListener('semfilter-report', resolve, { once: true }));
    element.request = { style: 'casual' };
    await again;
    await element.updateComplete;
    expect(pagerStatus(element)).to.include({ page: 1, pages: 3 });
  });

  it('brings the page back into range when a threshold leaves fewer passing rows', async () => {
    const element = await mount({ items: generateWardrobe(300, 11), request: { style: 'casual', occasion: 'work', mood: 'calm' }, view: 'passing', semantic: true });
    if (element.report!.fallback_reason !== null) await new Promise((resolve) => element.addEventListener('semfilter-report', (e) => e.detail.fallback_reason === null && resolve(e)));
    element.pageSize = Math.ceil(element.report!.items.filter((item) => item.passed).length / 3); // three pages
    await element.updateComplete;
    expect(pagerStatus(element).pages).to.equal(3);
    pagerButton(element, 'Next').click();
    await element.updateComplete;
    pagerButton(element, 'Next').click();
    await element.updateComplete;
    expect(pagerStatus(element).page).to.equal(3);
    for (const slider of element.shadowRoot!.querySelectorAll<HTMLInputElement>('.threshold input[type="range"]')) {
      slider.value = '0.99';
      slider.dispatchEvent(new Event('input'));
      await element.updateComplete;
    }
    const after = pagerStatus(element);
    expect(after.pages).to.be.below(3);
    expect(after.page).to.be.at.most(after.pages);
    const passing = element.report!.items.filter((item) => item.passed).length;
    expect(rows(element)).to.have.length(Math.min(element.pageSize, passing - (after.page - 1) * element.pageSize));
  });

  it('keeps focus on the Next button on the last page, where it is aria-disabled and does nothing', async () => {
    const element = await mount({ items: mixed, request: { style: 'casual' }, view: 'passing' });
    const next = pagerButton(element, 'Next');
    expect(pagerButton(element, 'Previous').getAttribute('aria-disabled')).to.equal('true');
    next.focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(pagerStatus(element)).to.include({ page: 3, pages: 3 });
    expect(next.getAttribute('aria-disabled')).to.equal('true');
    expect(document.activeElement).to.equal(element);
    expect(element.shadowRoot!.activeElement).to.equal(next);
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(pagerStatus(element)).to.include({ page: 3, pages: 3 });
    expect(element.shadowRoot!.activeElement).to.equal(next);
  });

  it('names each threshold slider by its own label, not the label of the value shown beside it', async () => {
    const element = await mount({ items: mixed, request: { style: 'casual', occasion: 'work', mood: 'calm' }, view: 'all' });
    const sliders = [...element.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="range"]')]; // role slider
    expect(sliders).to.have.length(3);
    expect(sliders.map((slider) => [...slider.labels!].map((label) => label.textContent!.trim()))).to.deep.equal([['style threshold'], ['occasion threshold'], ['mood threshold']]);
    for (const output of element.shadowRoot!.querySelectorAll('output')) expect(output.labels).to.have.length(0);
    // axe computes the accessible name as a screen reader does: every slider has one.
    const results = await axe.run(element, { runOnly: { type: 'rule', values: ['label', 'aria-input-field-name'] } });
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
    expect(results.passes.find((rule) => rule.id === 'label')!.nodes.length).to.be.at.least(3);
  });

  it('says "1 row" for one row, and writes counts with thousands separators', async () => {
    const pair = [{ id: 'tee', style: 'casual' }, { id: 'blazer', style: 'Classic' }]; // classic fits casual by meaning only
    const one = await mount({ items: pair, request: { style: 'casual' }, view: 'disagreements' });
    expect(rows(one).map((r) => r.dataset.itemId)).to.deep.equal(['blazer']);
    expect(pagerStatus(one).text).to.match(/^1 row where/);
    one.remove();
    const many = Array.from({ length: 10_000 }, (_, i) => ({ id: `sku-${i}`, style: i < 1500 ? 'casual' : 'classic' }));
    const element = await mount({ items: many, request: { style: 'casual' }, view: 'all', pageSize: 5 });
    expect(pagerStatus(element).text).to.equal('10,000 rows; page 1 of 2,000');
    const summary = element.shadowRoot!.querySelector('[part~="summary"]')!.textContent!.replace(/\s+/g, ' ');
    expect(summary).to.contain('1,500 of 10,000 pass; rejections: style 8,500');
  });

  it('shows the model download in MB and percent while it loads', async () => {
    const filter = createSemanticFilter({ modelBaseUrl: `${freshPrefix('debugger-progress-text')}/models/`, cache: false });
    const element = document.createElement('semfilter-debugger');
    const shown: string[] = [];
    const described = new Set<string>();
    filter.addEventListener('progress', async (e) => {
      described.add(describeProgress((e as CustomEvent<ModelProgress>).detail));
      await Promise.resolve(); // the element's own listener, registered after this one, runs first
      await element.updateComplete;
      const text = element.shadowRoot!.querySelector('[data-model-progress]')?.textContent;
      if (text !== undefined && element.modelState === 'loading') shown.push(text.trim());
    });
    const ready = new Promise<void>((resolve) => filter.addEventListener('statechange', (e) => (e as CustomEvent<{ state: string }>).detail.state === 'ready' && resolve()));
    Object.assign(element, { filter, items: UNKNOWN_TERMS.map((term, i) => ({ id: `odd-${i}`, style: term })), request: { style: 'casual' }, semantic: true });
    document.body.append(element);
    await ready;
    expect(shown.length).to.be.above(0);
    for (const text of shown) expect(described).to.include(text); // what the element shows is what some progress event said
    expect(shown.at(-1)).to.match(/^\d+\.\d of \d+\.\d MB \(\d+%\)$/);
  });

  it('says where each semantic score came from, with the threshold in words and marked on the bar', async () => {
    const items = [
      { id: 'serene', mood: 'serene' }, // same concept as calm
      { id: 'somber', mood: 'somber' },
      { id: 'sophisticated', mood: 'sophisticated' },
      { id: 'zen', mood: 'zen' },
    ];
    const element = await mount({ items, request: { mood: 'calm' }, view: 'all', semantic: true });
    if (element.report!.fallback_reason !== null) await new Promise((resolve) => element.addEventListener('semfilter-report', (e) => e.detail.fallback_reason === null && resolve(e)));
    await element.updateComplete;
    const semanticLines = rows(element).flatMap((r) => [...r.querySelector('td[data-label="Semantic filter"]')!.querySelectorAll('li')]);
    const serene = rows(element).find((r) => r.dataset.itemId === 'serene')!.querySelector('td[data-label="Semantic filter"]')!.querySelector('li')!;
    expect(serene.textContent!.replace(/\s+/g, ' ')).to.contain('"serene" fits "calm"').and.contain('same concept as "calm"').and.contain('threshold 0.');
    const phrases = ['the same term', 'same concept as', 'in the vocabulary', 'the model places it', 'not a term the model knows well', 'model similarity', 'clashes with'];
    let meters = 0;
    for (const li of semanticLines) {
      const text = li.textContent!;
      expect(phrases.some((phrase) => text.includes(phrase)), text).to.equal(true);
      expect(text).to.not.contain('identical');
      const meter = li.querySelector('meter');
      if (meter !== null) {
        meters++;
        const mark = li.querySelector<HTMLElement>('.threshold-mark')!.getBoundingClientRect();
        const bar = meter.getBoundingClientRect();
        expect((mark.left - bar.left) / bar.width).to.be.closeTo(Number(meter.getAttribute('low')), 0.05); // the tick sits at the threshold
      }
    }
    expect(meters, 'rows with a similarity bar').to.be.above(0);
  });

  describe('on a phone (390 × 844)', () => {
    beforeEach(() => setViewport({ width: 390, height: 844 }));
    afterEach(() => setViewport({ width: 800, height: 600 })); // web-test-runner's default

    it('does not scroll sideways and shows the first row\'s semantic verdict on screen, first and at half the width', async () => {
      const element = await mount({ items: generateWardrobe(60, 3), request: { style: 'casual', occasion: 'work', mood: 'calm' }, view: 'all' });
      const page = document.scrollingElement!;
      expect(page.scrollWidth).to.be.at.most(page.clientWidth);
      const cell = (label: string) => rows(element)[0]!.querySelector<HTMLElement>(`td[data-label="${label}"]`);
      const [traditional, semantic] = [cell('Traditional filter'), cell('Semantic filter')];
      semantic!.scrollIntoView({ block: 'center' });
      const box = semantic!.querySelector('.verdict')!.getBoundingClientRect();
      expect(box.width).to.be.above(0);
      expect(box.left).to.be.at.least(0);
      expect(box.right).to.be.at.most(page.clientWidth);
      expect(box.bottom).to.be.at.most(window.innerHeight);
      // The semantic verdict leads (left of the traditional one) and has room for its reasons.
      expect(semantic!.getBoundingClientRect().left).to.be.below(traditional!.getBoundingClientRect().left);
      expect(semantic!.getBoundingClientRect().width).to.be.at.least(0.4 * page.clientWidth);
      const results = await axe.run(element, { rules: { 'color-contrast': { enabled: true } } });
      expect(results.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
    });

    it('gives every control a target of 44 px at least', async () => {
      const element = await mount({ items: mixed, request: { style: 'casual', occasion: 'work', mood: 'calm' }, view: 'passing', pageSize: 10 });
      const controls = [...element.shadowRoot!.querySelectorAll<HTMLElement>('button, input, select')];
      const small = controls.map((c) => [c.textContent!.trim() || c.getAttribute('type') || c.localName, Math.round(c.getBoundingClientRect().height)] as const).filter(([, height]) => height < 44);
      expect(small).to.deep.equal([]);
    });
  });
});
