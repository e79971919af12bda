import { expect } from 'chai';
import { createSemanticFilter } from '@semfilter/core/browser';
import { DEFAULT_THRESHOLDS, generateWardrobe, reportSchema, type ComparisonExport, type FilterReport } from '@semfilter/core';
import { axe, mountDebugger, nextReport, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import type { SemfilterDebugger } from '@semfilter/elements';

const request = { style: 'casual', occasion: 'work', mood: 'calm' };
const items = generateWardrobe(120, 7);

/** A download the element started: its file name and contents, caught instead of saved. */
interface Caught {
  readonly name: string;
  readonly type: string;
  readonly text: string;
}

/** Clicks an export button and catches what it downloads: URL.createObjectURL hands over the Blob, the link's click its name. */
async function exportBy(element: SemfilterDebugger, format: 'json' | 'csv'): Promise<Caught[]> {
  const blobs: Blob[] = [];
  const names: string[] = [];
  const { createObjectURL } = URL;
  const { click } = HTMLAnchorElement.prototype;
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    blobs.push(blob as Blob);
    return createObjectURL(blob);
  };
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    names.push(this.download); // records the download instead of starting it
  };
  try {
    element.shadowRoot!.querySelector<HTMLButtonElement>(`button[data-export="${format}"]`)!.click();
  } finally {
    URL.createObjectURL = createObjectURL;
    HTMLAnchorElement.prototype.click = click;
  }
  await element.updateComplete;
  return Promise.all(blobs.map(async (blob, i) => ({ name: names[i] ?? '', type: blob.type, text: await blob.text() })));
}

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && !(text[i] === '"' && text[i + 1] !== '"'); i++) field += text[i] === '"' ? text[++i] : text[i];
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      [row, field] = [[], ''];
      i++;
    } else field += c;
  }
  return rows;
}

/** A report without its timings, which differ between two runs of the same comparison. */
const untimed = (report: FilterReport) => ({ ...JSON.parse(JSON.stringify(report)), timings_ms: undefined }) as unknown;

const exportStatus = (element: SemfilterDebugger) => element.shadowRoot!.querySelector('[data-export-status]')!.textContent!.trim();

afterEach(removeDebuggers);

describe('<semfilter-debugger> export', () => {
  const filter = createSemanticFilter({ modelBaseUrl: '/models/', cache: false });
  after(() => filter.dispose());

  /** A debugger in semantic mode, disagreements view, mood threshold moved by its slider to 0.7, with the model's answer. */
  async function shownComparison(): Promise<SemfilterDebugger> {
    const element = await mountDebugger({ items, request, view: 'disagreements', semantic: true, filter });
    while (element.report!.fallback_reason !== null) await nextReport(element);
    const slider = element.shadowRoot!.querySelector<HTMLInputElement>('#threshold-mood')!;
    const reported = nextReport(element);
    slider.value = '0.7';
    slider.dispatchEvent(new Event('input'));
    await reported;
    return element;
  }

  it('exports both modes as JSON with the request, thresholds, view and mode', async () => {
    const element = await shownComparison();
    const caught = await exportBy(element, 'json');
    expect(caught.map((c) => c.type)).to.deep.equal(['application/json']);
    expect(caught[0]!.name).to.match(/^semfilter-casual-work-calm-\d{4}-\d{2}-\d{2}-\d{6}\.json$/); // the request and the time
    const exported = JSON.parse(caught[0]!.text) as ComparisonExport;
    expect(exported).to.include({ schema: 1, view: 'disagreements', mode: 'semantic' });
    expect(exported.request).to.deep.equal(request);
    expect(exported.thresholds).to.deep.equal({ ...DEFAULT_THRESHOLDS, mood: 0.7 });
    // The oracle: the same comparison asked of core, with the model's answer.
    const expected = await filter.compare(items, request, { dimensions: { mood: { threshold: 0.7 } } }, { deadlineMs: Infinity });
    expect(untimed(reportSchema.parse(exported.traditional))).to.deep.equal(untimed(expected.traditional));
    expect(untimed(reportSchema.parse(exported.semantic))).to.deep.equal(untimed(expected.semantic));
    expect(exported.traditional.items).to.have.length(items.length);
    expect(exported.semantic).to.include({ semantic_mode_active: true, fallback_reason: null });
    expect(exported.flips.map((f) => f.id)).to.have.members(expected.flips.map((f) => f.id));
    expect(exported.flips.length).to.be.greaterThan(0);
    expect(exportStatus(element)).to.equal(`Exported ${items.length} items, both modes, as JSON.`);
  });

  it('exports a CSV with one row per item, in input order, with names and both verdicts', async () => {
    const element = await shownComparison();
    const caught = await exportBy(element, 'csv');
    expect(caught.map((c) => c.type)).to.deep.equal(['text/csv']);
    expect(caught[0]!.name).to.match(/^semfilter-casual-work-calm-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/);
    const [header, ...rows] = parseCsv(caught[0]!.text);
    expect(header).to.deep.equal(['id', 'name', 'traditional', 'semantic', 'traditional_score', 'semantic_score', 'traditional_why', 'semantic_why']);
    expect(rows.map((r) => [r[0], r[1]])).to.deep.equal(items.map((item) => [item.id, item.name]));
    const expected = await filter.compare(items, request, { dimensions: { mood: { threshold: 0.7 } } }, { deadlineMs: Infinity });
    const word = (report: FilterReport) => new Map(report.items.map((v) => [v.id, v.passed ? 'pass' : 'reject']));
    const [t, s] = [word(expected.traditional), word(expected.semantic)];
    expect(rows.map((r) => [r[2], r[3]])).to.deep.equal(items.map((item) => [t.get(item.id), s.get(item.id)]));
    expect(exportStatus(element)).to.equal(`Exported ${items.length} items, both modes, as CSV.`);
  });

  it('keeps the status line through a threshold step, and clears it for new items or a new request', async () => {
    const element = await shownComparison();
    await exportBy(element, 'json');
    const slider = element.shadowRoot!.querySelector<HTMLInputElement>('#threshold-mood')!;
    let reported = nextReport(element);
    slider.value = '0.6';
    slider.dispatchEvent(new Event('input'));
    await reported;
    expect(exportStatus(element), 'the same items and request').to.equal(`Exported ${items.length} items, both modes, as JSON.`);
    reported = nextReport(element);
    element.request = { ...request, mood: 'happy' };
    await reported;
    expect(exportStatus(element), 'a new request').to.equal('');
    await exportBy(element, 'csv');
    reported = nextReport(element);
    element.items = items.slice(1);
    await reported;
    expect(exportStatus(element), 'new items').to.equal('');
  });

  it('offers no export while the input is not valid, and the toolbar stays axe clean', async () => {
    const element = await mountDebugger({ items: [{ name: 'no id' }], request, filter });
    const buttons = [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[data-export]')];
    expect(buttons.map((b) => [b.textContent!.trim(), b.disabled])).to.deep.equal([['Export JSON', true], ['Export CSV', true]]);
    expect(await exportBy(element, 'json')).to.deep.equal([]);
    const results = await axe.run(element, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] });
    expect(results.violations.map((v) => v.id)).to.deep.equal([]);
  });
});
