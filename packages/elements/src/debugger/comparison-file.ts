import { comparisonCsv, comparisonExport, type Dimension, type FilterReport, type FilterRequest } from '@semfilter/core';
import type { ShownItem } from './templates.js';

/** The debugger's export formats: the comparison export as JSON, or its CSV (one row per item). */
export type ExportFormat = 'json' | 'csv';

/** What one comparison file holds: the settings shown and both modes' reports over the same items. */
export interface ComparisonFileInput {
  readonly request: FilterRequest;
  readonly thresholds: Partial<Record<Dimension, number>>;
  readonly view: string;
  readonly semantic: boolean;
  readonly traditional: FilterReport;
  readonly semanticReport: FilterReport;
  readonly items: readonly ShownItem[];
}

/** The file of one comparison: core's comparisonExport as JSON, or comparisonCsv with the items' names. */
export function comparisonFile(format: ExportFormat, input: ComparisonFileInput): { readonly blob: Blob; readonly name: string } {
  const exported = comparisonExport({
    request: input.request,
    thresholds: input.thresholds,
    view: input.view,
    semanticMode: input.semantic,
    traditional: input.traditional,
    semantic: input.semanticReport,
  });
  const [text, type] = format === 'json' ? [JSON.stringify(exported, null, 2), 'application/json'] : [comparisonCsv(exported, input.items), 'text/csv'];
  return { blob: new Blob([text], { type }), name: `semfilter-comparison.${format}` };
}

/** Saves a blob as a download named `name` (an object URL on a link, let go once the click has started it). */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
