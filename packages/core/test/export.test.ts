import { beforeAll, describe, expect, it } from 'vitest';
import { comparisonCsv, comparisonExport, DEFAULT_THRESHOLDS, describeMatch, describeReason, filterItems, neutralizeFormula, quoteCell, reportSchema, type FilterReport, type ItemVerdict } from '@semfilter/core';
import { realModel } from './model.js';

/** Reads RFC 4180 CSV back (quoted fields, doubled quotes, CRLF records), to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

// Names and ids a spreadsheet would misread: separators, quotes, line breaks and formula starts.
const ITEMS = [
  { id: 'plain', name: 'Grey sweater', style: 'casual', mood: 'calm' },
  { id: 'serene', name: 'Coat, "wool"\nlong', style: 'casual', mood: 'serene' },
  { id: '=HYPERLINK("http://example.com")', name: '@SUM(A1:A9)', style: 'casual', mood: 'angry' },
  { id: 'minus', name: '-2+3', style: 'formal', mood: 'calm' },
  { id: 'plus', name: '+cmd', mood: 'calm' },
];
const REQUEST = { style: 'casual', mood: 'calm' };
const NOW = new Date('2026-11-29T16:30:00.000Z');

describe('the comparison export', () => {
  let traditional: FilterReport;
  let semantic: FilterReport;
  beforeAll(async () => {
    const embedder = realModel();
    traditional = await filterItems(ITEMS, REQUEST, { semantic: false });
    semantic = await filterItems(ITEMS, REQUEST, { semantic: true, dimensions: { mood: { threshold: 0.7 } } }, { embedder });
  });

  it('holds the request, every threshold, the weight, view, mode, both whole reports and the flips', () => {
    const doc = comparisonExport({ request: REQUEST, thresholds: { mood: 0.7 }, view: 'disagreements', semanticMode: true, traditional, semantic, now: NOW });
    expect(doc).toMatchObject({ schema: 1, exported_at: '2026-11-29T16:30:00.000Z', request: REQUEST, thresholds: { style: DEFAULT_THRESHOLDS.style, occasion: DEFAULT_THRESHOLDS.occasion, mood: 0.7 }, semantic_weight: 0.3, view: 'disagreements', mode: 'semantic' });
    const parsed = JSON.parse(JSON.stringify(doc)) as typeof doc;
    expect(reportSchema.parse(parsed.traditional)).toEqual(traditional);
    expect(reportSchema.parse(parsed.semantic)).toEqual(semantic);
    expect(parsed.traditional.semantic_mode_active).toBe(false);
    expect(parsed.semantic.semantic_mode_active).toBe(true);
    const passed = (report: FilterReport, id: string) => report.items.find((v) => v.id === id)!.passed;
    const expected = ITEMS.filter((item) => passed(traditional, item.id) !== passed(semantic, item.id)).map((item) => item.id);
    expect(expected).toContain('serene'); // same concept as "calm": only semantic mode lets it through
    expect(doc.flips.map((f) => f.id).sort()).toEqual(expected.sort());
    for (const flip of doc.flips) expect(flip).toEqual({ id: flip.id, traditional: passed(traditional, flip.id), semantic: passed(semantic, flip.id) });
  });

  it('leaves view and mode out when not given, and the traditional mode is named when semantic mode was off', () => {
    const doc = comparisonExport({ request: REQUEST, traditional, semantic, now: NOW });
    expect(doc).not.toHaveProperty('view');
    expect(doc).not.toHaveProperty('mode');
    expect(comparisonExport({ request: REQUEST, semanticMode: false, traditional, semantic }).mode).toBe('traditional');
  });

  it('writes one CSV row per item, both modes, with the reasons in words and every text cell read back as written', () => {
    const doc = comparisonExport({ request: REQUEST, traditional, semantic, now: NOW });
    const csv = comparisonCsv(doc, ITEMS);
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(['id', 'name', 'traditional', 'semantic', 'traditional_score', 'semantic_score', 'traditional_why', 'semantic_why']);
    expect(rows).toHaveLength(ITEMS.length);
    const why = (v: ItemVerdict) => (v.passed ? v.matches.map(describeMatch) : v.reasons.map(describeReason)).join('; ');
    ITEMS.forEach((item, i) => {
      const t = traditional.items.find((v) => v.id === item.id)!;
      const s = semantic.items.find((v) => v.id === item.id)!;
      expect(rows[i]).toEqual([neutralizeFormula(item.id), neutralizeFormula(item.name), t.passed ? 'pass' : 'reject', s.passed ? 'pass' : 'reject', String(t.score), String(s.score), why(t), why(s)]);
    });
    expect(rows[1]![1]).toBe('Coat, "wool"\nlong'); // comma, quotes and a line break survive in one cell
    expect(rows[1]![6]).toMatch(/^mood: "serene" is not "calm"/);
    expect(rows[1]![7]).toMatch(/mood: "serene" fits "calm" \(\d\.\d\d, (sure|fairly sure)\): same concept as "calm"; model similarity \d\.\d\d/);
  });

  it('makes cells that start like a formula text, and only those', () => {
    const [, ...rows] = parseCsv(comparisonCsv({ traditional, semantic }, ITEMS));
    expect(rows[2]!.slice(0, 2)).toEqual(['\'=HYPERLINK("http://example.com")', "'@SUM(A1:A9)"]);
    expect(rows[3]![1]).toBe("'-2+3");
    expect(rows[4]![1]).toBe("'+cmd");
    expect(rows[0]!.slice(0, 2)).toEqual(['plain', 'Grey sweater']);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('without the items, lists every item of either report in the traditional report order, names empty', () => {
    const [, ...rows] = parseCsv(comparisonCsv({ traditional, semantic }));
    expect(rows.map((row) => row[0])).toEqual(traditional.items.map((v) => neutralizeFormula(v.id)));
    for (const row of rows) expect(row[1]).toBe('');
  });
});

describe('CSV cells', () => {
  it('quotes fields with commas, quotes or line breaks (RFC 4180), and leaves others alone', () => {
    expect(quoteCell('a,b')).toBe('"a,b"');
    expect(quoteCell('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCell('two\nlines')).toBe('"two\nlines"');
    expect(quoteCell('cr\rlf')).toBe('"cr\rlf"');
    expect(quoteCell('plain text')).toBe('plain text');
    expect(quoteCell('')).toBe('');
  });

  it('prefixes a quote to text a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutralizeFormula(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(neutralizeFormula('a=1')).toBe('a=1');
    expect(neutralizeFormula("'quoted")).toBe("'quoted");
  });
});
