import { comparisonCsv, comparisonExport, DIMENSIONS } from '@semfilter/core';
import type { SemanticFilter } from '@semfilter/core/browser';

/** What the export buttons read: the debugger (public properties only) and the filter it runs on. */
export interface ExportButtonsOptions {
  readonly element: HTMLElementTagNameMap['semfilter-debugger'];
  readonly filter: SemanticFilter;
  readonly jsonButton: HTMLButtonElement;
  readonly csvButton: HTMLButtonElement;
  /** Where to say what was exported, or why not. */
  readonly status: HTMLElement;
}

/**
 * "Export JSON" and "Export CSV": both modes' reports for what the debugger shows, with the request,
 * the thresholds, the view and the mode. Both reports come from one `compare` on the debugger's own
 * filter, so they are the runs it shows (its cache answers them) and not only the active mode's.
 */
export function bindExportButtons({ element, filter, jsonButton, csvButton, status }: ExportButtonsOptions): void {
  const exportAs = async (format: 'json' | 'csv') => {
    const { items, request, thresholds } = element;
    const dimensions = Object.fromEntries(DIMENSIONS.flatMap((d) => (thresholds[d] === undefined ? [] : [[d, { threshold: thresholds[d] }]])));
    const comparison = await filter.compare(items, request, { semantic: true, dimensions });
    if (comparison.traditional.fallback_reason === 'INVALID_INPUT') {
      status.textContent = 'Nothing to export: the wardrobe or the request is not valid.';
      return;
    }
    const exported = comparisonExport({ request, thresholds, view: element.view, semanticMode: element.semantic, traditional: comparison.traditional, semantic: comparison.semantic });
    const [text, type] = format === 'json' ? [JSON.stringify(exported, null, 2), 'application/json'] : [comparisonCsv(exported, items), 'text/csv'];
    download(new Blob([text], { type }), `semfilter-comparison.${format}`);
    status.textContent = `Exported ${items.length} items, both modes, as ${format.toUpperCase()}.`;
  };
  jsonButton.addEventListener('click', () => void exportAs('json'));
  csvButton.addEventListener('click', () => void exportAs('csv'));
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
