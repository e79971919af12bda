import { comparisonCsv, comparisonExport, DIMENSIONS, type Dimension, type FilterReport, type FilterRequest } from '@semfilter/core';
import type { ShownItem } from './shown.js';

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

/** Characters of the request kept in a file name: enough to tell requests apart in a downloads folder. */
const NAME_REQUEST_LENGTH = 60;

const two = (n: number) => String(n).padStart(2, '0');

/**
 * A download's name without its extension, after the request and the local time to the second:
 * "semfilter-romantic-date-night-flirty-2026-12-05-223005". A second export of another request, or
 * of the same one later, does not collide with the first in the downloads folder.
 */
export function exportBaseName(request: FilterRequest, at: Date): string {
  const terms = DIMENSIONS.flatMap((d) => request[d] ?? []).join(' ');
  const slug = terms.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, NAME_REQUEST_LENGTH).replace(/-$/, '');
  const time = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
  return ['semfilter', slug === '' ? 'comparison' : slug, time].join('-');
}

/** Names for a debugger's downloads: exportBaseName, with "-2", "-3" after a second export of the same name and format within a second (the browser would add its own "(1)"). */
export function createExportNamer(): (request: FilterRequest, format: ExportFormat, at?: Date) => string {
  let last: { readonly name: string; readonly count: number } | undefined;
  return (request, format, at = new Date()) => {
    const base = exportBaseName(request, at);
    const name = `${base}.${format}`;
    last = { name, count: last?.name === name ? last.count + 1 : 1 };
    return last.count === 1 ? base : `${base}-${last.count}`;
  };
}

/** The file of one comparison, named `name` plus the format's extension: core's comparisonExport as JSON, or comparisonCsv with the items' names. */
export function comparisonFile(format: ExportFormat, input: ComparisonFileInput, name: string): { readonly blob: Blob; readonly name: string } {
  const exported = comparisonExport({
    request: input.request,
    thresholds: input.thresholds,
    view: input.view,
    semanticMode: input.semantic,
    traditional: input.traditional,
    semantic: input.semanticReport,
  });
  const [text, type] = format === 'json' ? [JSON.stringify(exported, null, 2), 'application/json'] : [comparisonCsv(exported, input.items), 'text/csv'];
  return { blob: new Blob([text], { type }), name: `${name}.${format}` };
}

/** Saves a blob as a download named `name` (an object URL on a link, let go once the click has started it). */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
