import { DIMENSIONS, type Dimension } from '../input/dimensions.js';
import { DEFAULT_SEMANTIC_WEIGHT, DEFAULT_THRESHOLDS } from './options.js';
import { describeMatch, describeReason } from '../report/reasons.js';
import type { FilterReport, Flip, ItemVerdict } from '../report/filter-report.js';
import type { FilterRequest } from '../input/schemas.js';

/** One comparison as a file: what was asked, with which settings, both modes' full reports and where they differ. */
export interface ComparisonExport {
  /** Bumped only if a field changes meaning; fields may be added. */
  readonly schema: 1;
  /** ISO 8601 time of the export. */
  readonly exported_at: string;
  readonly request: FilterRequest;
  /** The semantic filter's threshold for every dimension, defaults filled in. */
  readonly thresholds: Readonly<Record<Dimension, number>>;
  readonly semantic_weight: number;
  /** The debugger's view when exported (`passing`, `all`, `disagreements`), if the caller gave it. */
  readonly view?: string;
  /** The mode that was active when exported, if the caller gave it. */
  readonly mode?: 'traditional' | 'semantic';
  readonly traditional: FilterReport;
  readonly semantic: FilterReport;
  readonly flips: readonly Flip[];
}

/** What comparisonExport reads: the settings of one comparison and its two reports. */
export interface ComparisonExportInput {
  readonly request: FilterRequest;
  readonly thresholds?: Partial<Record<Dimension, number>>;
  readonly semanticWeight?: number;
  readonly view?: string;
  /** Whether semantic mode was on. */
  readonly semanticMode?: boolean;
  readonly traditional: FilterReport;
  readonly semantic: FilterReport;
  /** The export's time; now by default (a parameter so tests and hosts can fix it). */
  readonly now?: Date;
}

/** Builds the JSON export of one comparison (both reports whole; flips in the traditional report's order). */
export function comparisonExport(input: ComparisonExportInput): ComparisonExport {
  const thresholds = Object.fromEntries(DIMENSIONS.map((d) => [d, input.thresholds?.[d] ?? DEFAULT_THRESHOLDS[d]])) as Record<Dimension, number>;
  return {
    schema: 1,
    exported_at: (input.now ?? new Date()).toISOString(),
    request: input.request,
    thresholds,
    semantic_weight: input.semanticWeight ?? DEFAULT_SEMANTIC_WEIGHT,
    ...(input.view === undefined ? {} : { view: input.view }),
    ...(input.semanticMode === undefined ? {} : { mode: input.semanticMode ? 'semantic' : 'traditional' }),
    traditional: input.traditional,
    semantic: input.semantic,
    flips: reportFlips(input.traditional, input.semantic),
  };
}

/** Items whose verdict differs between two reports of the same wardrobe, matched by id. */
export function reportFlips(traditional: FilterReport, semantic: FilterReport): Flip[] {
  const semanticPassed = new Map(semantic.items.map((v) => [v.id, v.passed]));
  return traditional.items.flatMap((v) => {
    const other = semanticPassed.get(v.id);
    return other === undefined || other === v.passed ? [] : [{ id: v.id, traditional: v.passed, semantic: other }];
  });
}

/** An item's id and name, for the CSV's name column. */
export interface NamedItem {
  readonly id: string;
  readonly name?: unknown;
}

const CSV_HEADER = ['id', 'name', 'traditional', 'semantic', 'traditional_score', 'semantic_score', 'traditional_why', 'semantic_why'];

/**
 * The CSV of a comparison export (RFC 4180, CRLF line ends): one row per item with both verdicts,
 * both scores and each mode's reasons in words. Rows follow `items` when given (input order), else
 * the traditional report's order. Text cells are made safe to open in a spreadsheet.
 */
export function comparisonCsv(exported: Pick<ComparisonExport, 'traditional' | 'semantic'>, items?: readonly NamedItem[]): string {
  const traditional = new Map(exported.traditional.items.map((v) => [v.id, v]));
  const semantic = new Map(exported.semantic.items.map((v) => [v.id, v]));
  const ids = items?.map((item) => item.id) ?? [...new Set([...traditional.keys(), ...semantic.keys()])];
  const names = new Map(items?.map((item) => [item.id, typeof item.name === 'string' ? item.name : '']));
  const rows = ids.map((id) => {
    const t = traditional.get(id);
    const s = semantic.get(id);
    return [neutralizeFormula(id), neutralizeFormula(names.get(id) ?? ''), verdictWord(t), verdictWord(s), scoreCell(t), scoreCell(s), neutralizeFormula(why(t)), neutralizeFormula(why(s))];
  });
  return [CSV_HEADER, ...rows].map((row) => row.map(quoteCell).join(',')).join('\r\n') + '\r\n';
}

const verdictWord = (verdict: ItemVerdict | undefined): string => (verdict === undefined ? '' : verdict.passed ? 'pass' : 'reject');
const scoreCell = (verdict: ItemVerdict | undefined): string => (verdict === undefined ? '' : String(verdict.score));

/** Why a mode passed an item (its matches) or rejected it (its reasons), in words. */
function why(verdict: ItemVerdict | undefined): string {
  if (verdict === undefined) return '';
  return verdict.passed ? verdict.matches.map(describeMatch).join('; ') : verdict.reasons.map(describeReason).join('; ');
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula;
 * a leading single quote makes it text, as spreadsheet exporters do (OWASP's CSV injection advice).
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, a double quote or a line break is quoted, its quotes doubled. */
export function quoteCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
