import { describeReason, DIMENSIONS, filterItems, generateWardrobe, normalizeTags, type FilterRequest } from '@semfilter/core';

const wardrobe = generateWardrobe(500);
const form = document.querySelector<HTMLFormElement>('#request')!;
const summary = document.querySelector<HTMLElement>('#summary')!;
const rows = document.querySelector<HTMLTableSectionElement>('#rows')!;

async function render(): Promise<void> {
  const data = new FormData(form);
  const request: FilterRequest = {};
  for (const dimension of DIMENSIONS) {
    const value = String(data.get(dimension) ?? '').trim();
    if (value !== '') request[dimension] = value;
  }
  const report = await filterItems(wardrobe, request);
  summary.textContent = `${report.items.filter((i) => i.passed).length} of ${wardrobe.length} items pass (${(100 * report.filter_pass_rate).toFixed(1)}%).`;
  const byId = new Map(wardrobe.map((item) => [item.id, item]));
  rows.replaceChildren(
    ...report.items.slice(0, 200).map((verdict) => {
      const item = byId.get(verdict.id)!;
      const row = document.createElement('tr');
      const cells = [
        `${item.name ?? item.id}`,
        DIMENSIONS.map((d) => `${d}: ${normalizeTags(item[d]).join(', ') || '—'}`).join('; '),
        verdict.passed ? 'pass' : 'reject',
        verdict.reasons.map(describeReason).join('; '),
      ];
      for (const text of cells) {
        const cell = document.createElement('td');
        cell.textContent = text; // item data renders as text, never as markup
        row.append(cell);
      }
      row.children[2]!.setAttribute('data-verdict', verdict.passed ? 'pass' : 'reject');
      return row;
    }),
  );
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void render();
});
void render();
