import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import { createSemanticFilter, type SemanticFilter } from '@semfilter/core/browser';
import { generateWardrobe, type FilterReport } from '@semfilter/core';
import { axe, debuggerRow as row, debuggerRows as rows, mountDebugger, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import { CURVE_STEPS, passRateCurve, type SemfilterDebugger } from '@semfilter/elements';
import { freshPrefix, setOffline, UNKNOWN_TERMS } from '../../../../test/browser/helpers.js';

const wardrobe = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Casual', occasion: 'work', mood: 'calm' },
  { id: 'gown', name: 'Sequin gown', style: 'Glam', occasion: 'Gala', mood: 'Bold' },
  { id: 'xss', name: '<img src=x onerror=alert(1)>', style: 'casual', occasion: 'work', mood: 'calm' },
];
const request = { style: 'casual', occasion: 'work', mood: 'calm' };

/** A debugger on the page with the wardrobe, showing all items, waiting until its first report is rendered. */
const mount = (items: readonly object[] = wardrobe, filter?: SemanticFilter, element?: SemfilterDebugger) => mountDebugger({ items, request, view: 'all', filter, element });

const toggle = (element: SemfilterDebugger) => element.shadowRoot!.querySelector<HTMLButtonElement>('[part~="semantic-toggle"]')!;

afterEach(removeDebuggers);

describe('<semfilter-debugger>', () => {
  it('shows one row per item with both verdicts as data attributes', async () => {
    const element = await mount();
    expect(rows(element).map((r) => r.dataset.itemId)).to.have.members(['blazer', 'tee', 'gown', 'xss']);
    expect(row(element, 'blazer').dataset).to.include({ traditional: 'reject', semantic: 'pass' });
    expect(row(element, 'tee').dataset).to.include({ traditional: 'pass', semantic: 'pass' });
    expect(row(element, 'gown').dataset).to.include({ traditional: 'reject', semantic: 'reject' });
  });

  it('gives every cell a column header of the same name, on wide screens where the table is a table', async () => {
    const element = await mount();
    const headers = [...element.shadowRoot!.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    for (const r of rows(element)) {
      const cells = [...r.children] as HTMLElement[];
      expect(cells).to.have.length(headers.length);
      // Each data cell's narrow-layout label names the column it sits under (the row header is the item).
      cells.slice(1).forEach((cell, i) => {
        expect(cell.dataset.label, `cell ${i + 1} has a label`).to.not.be.oneOf([undefined, '']);
        expect(headers[i + 1]!.startsWith(cell.dataset.label!), `${cell.dataset.label} under ${headers[i + 1]}`).to.equal(true);
      });
      // Laid out under its header: the same left edge.
      const heads = [...element.shadowRoot!.querySelectorAll('thead th')];
      cells.forEach((cell, i) => expect(Math.round(cell.getBoundingClientRect().left)).to.equal(Math.round(heads[i]!.getBoundingClientRect().left)));
    }
  });

  it('renders the reasons: why traditional rejected and why semantic accepted', async () => {
    const element = await mount();
    const [traditional, semantic] = ['Traditional filter', 'Semantic filter'].map((label) => row(element, 'blazer').querySelector(`td[data-label="${label}"]`)!);
    expect(traditional!.textContent).to.contain('style: "classic" is not "casual"');
    expect(semantic!.textContent).to.match(/style: "classic" fits "casual" \(0\.\d\d, (sure|fairly sure|unsure)\)/);
    expect(row(element, 'gown').querySelector('[data-code="CONFLICT"], [data-code="BELOW_THRESHOLD"]')).to.exist;
  });

  it('summarizes both pass rates, their difference and semantic status', async () => {
    const element = await mount();
    const summary = element.shadowRoot!.querySelector('[part~="summary"]')!;
    expect(summary.querySelector('[data-rate="traditional"]')!.textContent).to.equal('50.0%');
    expect(summary.querySelector('[data-rate="semantic"]')!.textContent).to.equal('75.0%');
    expect(summary.textContent).to.contain('+25.0 pp');
    expect(summary.textContent).to.contain('Semantic mode active');
  });

  it('switches semantic mode by click, reflecting it and firing semfilter-toggle', async () => {
    const element = await mount();
    const events: boolean[] = [];
    element.addEventListener('semfilter-toggle', (e) => events.push(e.detail.semantic));
    expect(toggle(element).getAttribute('aria-checked')).to.equal('false');
    toggle(element).click();
    await element.updateComplete;
    expect(element.semantic).to.equal(true);
    expect(element.hasAttribute('semantic')).to.equal(true);
    expect(toggle(element).getAttribute('aria-checked')).to.equal('true');
    expect(events).to.deep.equal([true]);
  });

  it('switches semantic mode from the keyboard', async () => {
    const element = await mount();
    toggle(element).focus();
    await sendKeys({ press: 'Space' });
    await element.updateComplete;
    expect(element.semantic).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(element.semantic).to.equal(false);
  });

  it('shows more items in the passing view once semantic mode is on, and the disagreements alone', async () => {
    const element = await mount();
    element.view = 'passing';
    await element.updateComplete;
    expect(rows(element).map((r) => r.dataset.itemId)).to.have.members(['tee', 'xss']);
    toggle(element).click();
    await element.updateComplete;
    expect(rows(element).map((r) => r.dataset.itemId)).to.have.members(['tee', 'xss', 'blazer']);
    element.view = 'disagreements';
    await element.updateComplete;
    expect(rows(element).map((r) => r.dataset.itemId)).to.deep.equal(['blazer']);
  });

  it('fires semfilter-report with the active mode report', async () => {
    const element = await mount();
    const reports: FilterReport[] = [];
    element.addEventListener('semfilter-report', (e) => reports.push(e.detail));
    toggle(element).click();
    await element.updateComplete;
    expect(reports.at(-1)!.semantic_mode_active).to.equal(true);
    expect(element.report).to.equal(reports.at(-1));
  });

  it('renders item names as text, never as markup', async () => {
    const element = await mount();
    expect(row(element, 'xss').querySelector('th')!.textContent).to.contain('<img src=x onerror=alert(1)>');
    expect(element.shadowRoot!.querySelector('img')).to.equal(null);
  });

  it('moves the threshold chart with the slider', async () => {
    const element = await mount();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the chart's scores come after the first report
    await element.updateComplete;
    const slider = element.shadowRoot!.querySelector<HTMLInputElement>('.threshold input[type="range"]')!;
    const line = () => element.shadowRoot!.querySelector('.threshold line.marker')!.getAttribute('x1');
    expect(element.shadowRoot!.querySelector('.threshold polyline.curve')!.getAttribute('points')).to.have.length.above(10);
    const before = line();
    slider.value = '0.95';
    slider.dispatchEvent(new Event('input'));
    await element.updateComplete;
    expect(line()).to.not.equal(before);
    expect(element.thresholds.style).to.equal(0.95);
  });

  it('draws the pass-rate curve as counting every item at every step would', () => {
    // Scores on the steps themselves (k / 20, computed as the filter computes them), between them, NaN and 1.
    const values = [...Array.from({ length: 21 }, (_, k) => k / CURVE_STEPS), 0.151, 0.5499, 0.55, 0.7, NaN, 1, 0.333, NaN];
    const style = Float64Array.from({ length: 400 }, (_, i) => values[i % values.length]!);
    const mood = Float64Array.from({ length: 400 }, (_, i) => values[(i * 7) % values.length]!);
    const scores = { size: 400, byDimension: { style, mood } };
    const at = { style: 0.55, occasion: 0.6, mood: 0.35 };
    const counted = Array.from({ length: CURVE_STEPS + 1 }, (_, step) => {
      let passed = 0;
      for (let i = 0; i < 400; i++) if (style[i]! >= step / CURVE_STEPS && mood[i]! >= at.mood) passed++;
      return passed / 400;
    });
    expect(passRateCurve(scores, 'style', at)).to.deep.equal(counted);
  });

  it('renders one page of rows for 10,000 items', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ id: `sku-${i}`, name: `Item ${i}`, style: i % 2 ? 'Classic' : 'casual', occasion: 'work', mood: 'calm' }));
    const element = await mount(many);
    expect(rows(element)).to.have.length(element.pageSize);
    expect(element.shadowRoot!.textContent).to.contain('page 1 of 200');
  });

  it('re-renders the rows, the summary and the report when a threshold moves, at 3,000 items', async () => {
    const filter = createSemanticFilter({ modelBaseUrl: '/models/', cache: false });
    const many = generateWardrobe(3000, 11);
    const element = await mount(many, filter);
    element.semantic = true;
    element.view = 'passing';
    element.pageSize = 200;
    await element.updateComplete;
    // A first answer may come before the model (MODEL_LOADING); the slider's reports must not be confused with the one that follows it.
    if (element.report?.fallback_reason !== null) await new Promise((resolve) => element.addEventListener('semfilter-report', (e) => e.detail.fallback_reason === null && resolve(e)));
    const slider = element.shadowRoot!.querySelector<HTMLInputElement>('.threshold input[type="range"]')!; // style, the first requested dimension
    for (const value of [0.35, 0.8, 0.62]) {
      const reported = new Promise<FilterReport>((resolve) => element.addEventListener('semfilter-report', (e) => resolve(e.detail), { once: true }));
      slider.value = String(value);
      slider.dispatchEvent(new Event('input'));
      const report = await reported;
      await element.updateComplete;
      const expected = await filter.filter(many, request, { dimensions: { style: { threshold: value } } });
      expect(report.filter_pass_rate).to.equal(expected.filter_pass_rate);
      expect(JSON.parse(JSON.stringify(report.items))).to.deep.equal(expected.items);
      const passing = expected.items.filter((item) => item.passed);
      const shown = rows(element);
      // The passing view shows what the semantic filter passes, best score first as the report ranks it, one page at a time.
      const firstPage = passing.map((item) => item.id).slice(0, 200);
      expect(shown.map((r) => r.dataset.itemId)).to.deep.equal(firstPage);
      expect(shown.every((r) => r.dataset.semantic === 'pass')).to.equal(true);
      const summary = element.shadowRoot!.querySelector('[part~="summary"]')!;
      expect(summary.querySelector('[data-rate="semantic"]')!.textContent).to.equal(`${(100 * expected.filter_pass_rate).toFixed(1)}%`);
      expect(element.shadowRoot!.querySelector('.pager [role="status"]')!.textContent).to.contain(`${new Intl.NumberFormat('en').format(passing.length)} rows`);
    }
    element.view = 'all';
    await element.updateComplete;
    const expected = new Map((await filter.filter(many, request, { dimensions: { style: { threshold: 0.62 } } })).items.map((v) => [v.id, v.passed ? 'pass' : 'reject']));
    expect(rows(element).map((r) => [r.dataset.itemId, r.dataset.semantic])).to.deep.equal(many.slice(0, 200).map((item) => [item.id, expected.get(item.id)]));
  });

  it('keeps the row of an item that stays on the page when a threshold moves', async () => {
    const element = await mount(generateWardrobe(3000, 11));
    element.semantic = true;
    element.view = 'passing';
    await element.updateComplete;
    const before = new Map(rows(element).map((r) => [r.dataset.itemId!, r]));
    const slider = element.shadowRoot!.querySelector<HTMLInputElement>('.threshold input[type="range"]')!;
    slider.value = '0.8'; // a step up: some items of the page drop out, others move up into it
    slider.dispatchEvent(new Event('input'));
    await element.updateComplete;
    const after = rows(element);
    const stayed = after.filter((r) => before.has(r.dataset.itemId!));
    expect(stayed.length).to.be.above(0);
    expect(stayed.length).to.be.below(after.length); // the step changed which items show
    expect(stayed.every((r) => before.get(r.dataset.itemId!) === r)).to.equal(true);
  });

  it('has no accessibility violations (axe)', async () => {
    const element = await mount();
    const results = await axe.run(element, { rules: { 'color-contrast': { enabled: true } } });
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
  });

  it('shows download progress and reflects model-state while the model loads for unknown terms', async () => {
    const prefix = freshPrefix('debugger-progress');
    const seen: string[] = [];
    let progressShown = false;
    const element = document.createElement('semfilter-debugger');
    new MutationObserver(() => {
      seen.push(element.getAttribute('model-state')!);
      progressShown ||= element.shadowRoot!.querySelector('progress[part~="model-progress"]') !== null;
    }).observe(element, { attributes: true, attributeFilter: ['model-state'] });
    const done = new Promise<void>((resolve) => new MutationObserver(() => element.modelState === 'ready' && resolve()).observe(element, { attributes: true }));
    // The first report may answer before the model arrives (MODEL_LOADING); the element reports again with the model.
    element.semantic = true;
    const withModel = new Promise<void>((resolve) => element.addEventListener('semfilter-report', (e) => e.detail.fallback_reason === null && resolve()));
    await mount(UNKNOWN_TERMS.map((term, i) => ({ id: `odd-${i}`, style: term })), createSemanticFilter({ modelBaseUrl: `${prefix}/models/`, cache: false }), element);
    await done;
    await withModel;
    await element.updateComplete;
    expect(seen).to.include.members(['loading', 'ready']);
    expect(progressShown).to.equal(true);
    expect(element.shadowRoot!.querySelector('[part~="summary"]')!.textContent).to.contain('Semantic mode active');
  });

  it('says why semantic mode fell back when the model is missing, and compares unknown tags exactly', async () => {
    const prefix = freshPrefix('debugger-fallback');
    await setOffline(`${prefix}/models/`, true);
    const element = await mount([...wardrobe, { id: 'odd', name: 'Odd coat', style: UNKNOWN_TERMS[0], occasion: 'work', mood: 'calm' }], createSemanticFilter({ modelBaseUrl: `${prefix}/models/`, cache: false }));
    expect(element.getAttribute('model-state')).to.equal('fallback');
    const summary = element.shadowRoot!.querySelector('[part~="summary"]')!.textContent!;
    expect(summary).to.contain('MODEL_UNAVAILABLE');
    expect(summary).to.contain('tags without a vector compared exactly');
    expect(row(element, 'odd').querySelector('td[data-label="Semantic filter"]')!.querySelector('[data-code="EXACT_MISMATCH"]')).to.exist;
    await setOffline(`${prefix}/models/`, false);
  });

  it('lists what is wrong with a bad wardrobe instead of throwing', async () => {
    const element = await mount([{ id: 'ok', style: 'casual' }, { name: 'no id', style: 42 }]);
    const alert = element.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('Nothing was filtered');
    expect(alert.textContent).to.match(/items\[1\]\.id: /);
    expect(rows(element)).to.have.length(0);
  });

  it('says why the table is empty', async () => {
    const element = await mount([{ id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' }]);
    element.view = 'passing';
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('.empty')!.textContent).to.contain('No item passes the traditional filter');
  });
});
