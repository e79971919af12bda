import { expect } from 'chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { createSemanticFilter, type SemanticFilter } from '@semfilter/core/browser';
import { generateWardrobe, type FilterReport, type FilterRequest, type ItemVerdict } from '@semfilter/core';
import { axe, debuggerRows as rows, mountDebugger, nextReport, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import type { DebuggerView, SemfilterDebugger } from '@semfilter/elements';

const request = { style: 'casual', occasion: 'work', mood: 'calm' };
/** 30 items, ten a page: "item 2" matches Item 2 and Item 20 to Item 29. */
const named = Array.from({ length: 30 }, (_, i) => ({ id: `item-${i}`, name: `Item ${i}`, style: i % 3 === 0 ? 'classic' : 'casual', occasion: 'work', mood: 'calm' }));

const search = (element: SemfilterDebugger) => element.shadowRoot!.querySelector<HTMLInputElement>('input[type="search"]')!;
const reasonSelect = (element: SemfilterDebugger) => element.shadowRoot!.querySelector<HTMLSelectElement>('.row-filters select')!;
const status = (element: SemfilterDebugger) => element.shadowRoot!.querySelector('.pager [role="status"]')!.textContent!.replace(/\s+/g, ' ').trim();
const ids = (element: SemfilterDebugger) => rows(element).map((r) => r.dataset.itemId!);
const nextButton = (element: SemfilterDebugger) => [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('.pager button')].find((b) => b.textContent!.includes('Next'))!;

/** Waits (up to 5 s) until the pager's status passes `test`: the search filters after a pause in typing. */
async function statusUntil(element: SemfilterDebugger, test: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5000;
  while (!test(status(element))) {
    if (Date.now() > deadline) throw new Error(`the pager still says "${status(element)}"`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await element.updateComplete;
  return status(element);
}

/** Picks a reason in the select as a person does: focus it, then a change event. */
async function chooseReason(element: SemfilterDebugger, code: string): Promise<void> {
  const select = reasonSelect(element);
  select.focus();
  select.value = code;
  select.dispatchEvent(new Event('change'));
  await element.updateComplete;
}

/** A debugger whose semantic run is the model's (not an answer at the deadline), waiting for that report. */
async function mountWithModel(items: readonly object[], filter: SemanticFilter, view: DebuggerView, semantic: boolean, asked: FilterRequest = request): Promise<SemfilterDebugger> {
  const element = await mountDebugger({ items, request: asked, view, pageSize: 1000, semantic, filter });
  while (element.report === undefined || (semantic ? element.report : await semanticReport(element)).fallback_reason !== null) await nextReport(element);
  return element;
}

/** The semantic report the element shows: switch to semantic mode and back to read it. */
async function semanticReport(element: SemfilterDebugger): Promise<FilterReport> {
  element.semantic = true;
  await element.updateComplete;
  const report = element.report!;
  element.semantic = false;
  await element.updateComplete;
  return report;
}

afterEach(removeDebuggers);

describe('<semfilter-debugger> search and reason filter', () => {
  it('searches names and ids as you type (case-insensitive, trimmed), from page 1, keeping focus, and says so in the pager', async () => {
    const element = await mountDebugger({ items: named, request, view: 'all', pageSize: 10 });
    nextButton(element).click();
    await element.updateComplete;
    expect(status(element)).to.equal('30 rows; page 2 of 3');
    search(element).focus();
    await sendKeys({ type: '  ITEM 2 ' });
    const text = await statusUntil(element, (t) => t.includes('matching'));
    const expected = named.filter((item) => item.name.toLowerCase().includes('item 2')).map((item) => item.id);
    expect(expected).to.have.length(11);
    expect(text).to.equal("11 rows matching 'ITEM 2'; page 1 of 2");
    expect(ids(element)).to.deep.equal(expected.slice(0, 10));
    expect(element.shadowRoot!.activeElement).to.equal(search(element));
    // An id: the hyphen is not in any name.
    search(element).select(); // typing replaces the selected text
    await sendKeys({ type: 'item-7' });
    expect(await statusUntil(element, (t) => t.includes("'item-7'"))).to.equal("1 row matching 'item-7'; page 1 of 1");
    expect(ids(element)).to.deep.equal(['item-7']);
    expect(element.shadowRoot!.activeElement).to.equal(search(element));
  });

  it('explains an empty result and stays axe clean', async () => {
    const element = await mountDebugger({ items: named, request, view: 'disagreements', pageSize: 10 });
    search(element).focus();
    await sendKeys({ type: 'zzz' });
    expect(await statusUntil(element, (t) => t.includes('zzz'))).to.equal("0 rows matching 'zzz' where the two filters disagree; page 1 of 1");
    expect(rows(element)).to.have.length(0);
    expect(element.shadowRoot!.querySelector('.empty')!.textContent).to.equal("No row matching 'zzz' where the two filters disagree. To see more, clear the search or show all items.");
    const results = await axe.run(element, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).to.deep.equal([]);
    const [searchLabel, reasonLabel] = [search(element).closest('label')!, reasonSelect(element).closest('label')!];
    expect(searchLabel.textContent).to.contain('Search items');
    expect(reasonLabel.textContent).to.contain('Reason');
  });

  it('lists the runs\' reason codes with counts and shows, in every view, the rows whose either verdict carries the chosen one', async () => {
    const items = generateWardrobe(400, 5);
    const filter = createSemanticFilter({ modelBaseUrl: '/models/', cache: false });
    const element = await mountWithModel(items, filter, 'all', false);
    const { traditional, semantic } = await filter.compare(items, request, {}, { deadlineMs: Infinity });
    expect(semantic.fallback_reason).to.equal(null);
    // The oracle: each item's full verdicts, as the reports give them.
    const byId = (report: FilterReport) => new Map(report.items.map((v) => [v.id, v]));
    const [t, s] = [byId(traditional), byId(semantic)];
    const codesOf = (id: string) => new Set([...t.get(id)!.reasons, ...s.get(id)!.reasons].map((r) => r.code));
    const present = [...new Set(items.flatMap((item) => [...codesOf(item.id)]))];
    expect(present).to.include.members(['EXACT_MISMATCH', 'BELOW_THRESHOLD', 'ATTR_MISSING']);
    const passedIn = (report: Map<string, ItemVerdict>, id: string) => report.get(id)!.passed;
    const views: [DebuggerView, boolean, string[]][] = [
      ['all', false, items.map((item) => item.id)],
      ['disagreements', false, items.filter((item) => passedIn(t, item.id) !== passedIn(s, item.id)).map((item) => item.id)],
      ['passing', false, traditional.items.filter((v) => v.passed).map((v) => v.id)],
      ['passing', true, semantic.items.filter((v) => v.passed).map((v) => v.id)],
    ];
    for (const [view, mode, viewIds] of views) {
      element.view = view;
      element.semantic = mode;
      await chooseReason(element, '');
      const options = [...reasonSelect(element).options].map((o) => o.textContent!.trim());
      // A code no row of the view carries is not listed: choosing it would only empty the table.
      const carried = present.filter((code) => viewIds.some((id) => codesOf(id).has(code)));
      const counted = carried.map((code) => `${code} (${viewIds.filter((id) => codesOf(id).has(code)).length})`);
      expect(options, `${view}, semantic ${mode}`).to.have.members(['any reason', ...counted]);
      expect(options[0]).to.equal('any reason');
      for (const code of carried) {
        await chooseReason(element, code);
        const expected = viewIds.filter((id) => codesOf(id).has(code));
        expect(ids(element), `${view}, semantic ${mode}, ${code}`).to.deep.equal(expected);
        expect(status(element)).to.match(new RegExp(`^${expected.length} rows? with reason ${code}`));
        expect(element.shadowRoot!.activeElement).to.equal(reasonSelect(element));
      }
    }
    filter.dispose();
  });

  it('lists the passing view by score, best first, ties in input order, in either mode', async () => {
    // Casual items among generated ones: the traditional filter passes these (all scoring 1: ties).
    const items = generateWardrobe(300, 9).map((item, i) => (i % 37 === 5 ? { ...item, style: 'casual' } : item));
    const styleOnly = { style: 'casual' };
    const filter = createSemanticFilter({ modelBaseUrl: '/models/', cache: false });
    for (const semantic of [false, true]) {
      const element = await mountWithModel(items, filter, 'passing', semantic, styleOnly);
      const { traditional, semantic: semanticReport } = await filter.compare(items, styleOnly, {}, { deadlineMs: Infinity });
      const verdicts = new Map((semantic ? semanticReport : traditional).items.map((v) => [v.id, v]));
      const position = new Map(items.map((item, i) => [item.id, i]));
      const expected = items.filter((item) => verdicts.get(item.id)!.passed).map((item) => item.id).sort((a, b) => verdicts.get(b)!.score - verdicts.get(a)!.score || position.get(a)! - position.get(b)!);
      expect(expected.length).to.be.greaterThan(1);
      if (semantic) expect(new Set(expected.map((id) => verdicts.get(id)!.score)).size, 'scores differ').to.be.greaterThan(1);
      expect(ids(element), `semantic ${semantic}`).to.deep.equal(expected);
      element.remove();
    }
    filter.dispose();
  });

  it('shows what filters the rows after another control cleared the search and the reason (a flip group)', async () => {
    const element = await mountDebugger({ items: named, request, view: 'all', pageSize: 10 });
    // As a person picks it: the keyboard on the focused select (a script setting `value` would not mark the choice as the user's).
    reasonSelect(element).focus();
    await sendKeys({ press: 'ArrowDown' });
    await element.updateComplete;
    expect(reasonSelect(element).value).to.not.equal('');
    expect(status(element)).to.contain('with reason');
    search(element).focus();
    await sendKeys({ type: 'item' });
    await statusUntil(element, (t) => t.includes('matching'));
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[data-flip-group]')!.click();
    await element.updateComplete;
    expect(status(element)).to.not.contain('matching');
    expect(status(element)).to.not.contain('with reason');
    expect(reasonSelect(element).value).to.equal('');
    expect(reasonSelect(element).selectedOptions[0]!.textContent).to.equal('any reason');
    expect(search(element).value).to.equal('');
  });

  it('drops a search still being typed when a flip group is chosen: its pause does not apply it afterwards', async () => {
    const element = await mountDebugger({ items: named, request, view: 'all', pageSize: 100 });
    search(element).focus();
    await sendKeys({ type: 'item 2' }); // within the pause: not applied yet
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[data-flip-group]')!.click();
    await element.updateComplete;
    const groupRows = ids(element);
    expect(groupRows.length).to.be.above(0);
    expect(search(element).value).to.equal('');
    await new Promise((resolve) => setTimeout(resolve, 500)); // past the pause (150 ms, row-filters.ts)
    await element.updateComplete;
    expect(status(element)).to.not.contain('matching');
    expect(ids(element)).to.deep.equal(groupRows);
  });

  it('combines the search with the reason code, from page 1, and fits a phone without sideways scroll', async () => {
    await setViewport({ width: 390, height: 844 });
    try {
      const element = await mountDebugger({ items: named, request, view: 'all', pageSize: 10 });
      nextButton(element).click();
      await element.updateComplete;
      await chooseReason(element, 'EXACT_MISMATCH');
      // Items 0, 3, 6 … are classic: the traditional filter rejects their style for EXACT_MISMATCH.
      const classic = named.filter((_, i) => i % 3 === 0).map((item) => item.id);
      expect(ids(element)).to.deep.equal(classic);
      expect(status(element)).to.equal('10 rows with reason EXACT_MISMATCH; page 1 of 1');
      search(element).focus();
      await sendKeys({ type: 'item 2' });
      expect(await statusUntil(element, (t) => t.includes('matching'))).to.equal("3 rows matching 'item 2' with reason EXACT_MISMATCH; page 1 of 1");
      expect(ids(element)).to.deep.equal(['item-21', 'item-24', 'item-27']);
      const page = document.scrollingElement!;
      expect(page.scrollWidth).to.be.at.most(page.clientWidth);
      for (const control of [search(element), reasonSelect(element)]) expect(control.getBoundingClientRect().height).to.be.at.least(44);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
