import { html, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { countOf, formatCount } from './counts.js';
import type { ReasonCodeCount } from './reason-codes.js';
import type { DebuggerView } from './rows.js';

/** How long the search waits after a keystroke before it filters: typing a word filters once, not once a letter. */
export const SEARCH_PAUSE_MS = 150;

/** What the row filters show, and what they call. */
export interface RowFiltersState {
  /** The search as applied. */
  readonly text: string;
  readonly code: string | undefined;
  /** The reason codes in the current runs, counted over the rows the other filters leave. */
  readonly codes: readonly ReasonCodeCount[];
  /** Called as the user types (the caller waits for a pause) and at once on Enter or the clear button. */
  readonly onText: (text: string, now: boolean) => void;
  readonly onCode: (code: string | undefined) => void;
}

/** A search box (item name or id) and a reason-code select, narrowing the rows of any view. */
export function rowFiltersTemplate({ text, code, codes, onText, onCode }: RowFiltersState): TemplateResult {
  // A code no row of the view carries is left out: choosing it could only empty the table. The
  // chosen code stays listed when the rows no longer carry it, so the select shows what filters the rows.
  // Each option's selectedness is set against the live DOM: a choice the user made, or another
  // control that cleared it, is shown as it is (a `selected` attribute no longer moves a choice once the user made one).
  const carried = codes.filter((c) => c.count > 0 || c.code === code);
  const listed = code === undefined || carried.some((c) => c.code === code) ? carried : [...carried, { code, count: 0 }];
  return html`<div class="row-filters">
    <label>Search items <input type="search" placeholder="name or id" autocomplete="off" .value=${text}
      @input=${(e: Event) => onText((e.target as HTMLInputElement).value, false)}
      @search=${(e: Event) => onText((e.target as HTMLInputElement).value, true)} /></label>
    <label>Reason <select @change=${(e: Event) => onCode((e.target as HTMLSelectElement).value || undefined)}>
      <option value="" .selected=${live(code === undefined)}>any reason</option>
      ${listed.map((c) => html`<option value=${c.code} .selected=${live(c.code === code)}>${c.code} (${formatCount(c.count)})</option>`)}
    </select></label>
  </div>`;
}

/** What narrows the rows, in words for the pager and the empty message. */
export interface RowFilterWords {
  readonly view: DebuggerView;
  readonly semantic: boolean;
  readonly text: string;
  readonly code: string | undefined;
  /** Words for the chosen items ("in the flip group occasion: 'weekend' for 'work'"), when the rows are restricted to some. */
  readonly onlyLabel: string | undefined;
}

/** The filters after a row count: " matching 'blazer' with reason CONFLICT where the two filters disagree". */
function narrowing({ view, text, code, onlyLabel }: RowFilterWords): string {
  const search = text.trim();
  return [
    search === '' ? '' : ` matching '${search}'`,
    code === undefined ? '' : ` with reason ${code}`,
    onlyLabel === undefined ? '' : ` ${onlyLabel}`,
    view === 'disagreements' ? ' where the two filters disagree' : '',
  ].join('');
}

/** The pager's status: "12 rows matching 'blazer'; page 1 of 1". */
export function pagerStatus(rows: number, page: number, pages: number, words: RowFilterWords): string {
  return `${countOf(rows, 'row', 'rows')}${narrowing(words)}; page ${formatCount(page)} of ${formatCount(pages)}`;
}

/** Why the table is empty: what was asked of which rows, and what to change. */
export function emptyMessage(items: number, words: RowFilterWords): string {
  const { view, semantic, text, code, onlyLabel } = words;
  if (text.trim() !== '' || code !== undefined || onlyLabel !== undefined) {
    const among = view === 'passing' ? ` among the items the ${semantic ? 'semantic' : 'traditional'} filter passes` : '';
    const undo = [text.trim() !== '' ? 'clear the search' : '', code !== undefined ? 'choose any reason' : '', view !== 'all' ? 'show all items' : ''].filter((s) => s !== '');
    return `No row${narrowing(words)}${among}.${undo.length === 0 ? '' : ` To see more, ${undo.join(' or ')}.`}`;
  }
  if (view === 'disagreements') return 'The two filters agree on every item.';
  if (view === 'all' || items === 0) return 'The wardrobe is empty.';
  return semantic ? 'No item passes the semantic filter.' : 'No item passes the traditional filter. Switch semantic mode on, or show all items.';
}
