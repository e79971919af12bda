// Formats the warm filter measurements of test/bench/bench.js: per wardrobe size and mode, the
// per-call path (`filter(items, …)`) as the baseline and the prepared path beside it, with the ratio.

/** One measured median: a wardrobe size, a mode, a path and its milliseconds. */
export interface WarmFilterResult {
  readonly size: number;
  readonly semantic: boolean;
  readonly path: 'per call' | 'prepared' | 'prepared, all items read';
  readonly ms: number;
  /** The one-time `prepare(items)` of the prepared paths. */
  readonly prepareMs?: number;
}

/** One line per size and mode, and the one-time preparation per size. */
export function warmFilterLines(results: readonly WarmFilterResult[], runs: number): string[] {
  const lines = [
    `warm filter (vectors cached), median of ${runs} calls with another style threshold each; per call = filter(items) (validate, normalize, decide, full report);`,
    `  prepared = filter(prepare(items)) (report totals; items built on first read, not read); "+ items" = the same with every verdict read:`,
  ];
  for (const size of [...new Set(results.map((r) => r.size))]) {
    const prepareMs = results.find((r) => r.size === size && r.prepareMs !== undefined)?.prepareMs;
    lines.push(`  ${String(size).padStart(7)} items${prepareMs === undefined ? '' : `, prepare(items) once: ${prepareMs.toFixed(1)} ms`}`);
    for (const semantic of [false, true]) {
      const find = (path: WarmFilterResult['path']) => results.find((r) => r.size === size && r.semantic === semantic && r.path === path)?.ms;
      const perCall = find('per call');
      const versus = (ms: number | undefined) => (ms === undefined ? 'not measured' : `${ms.toFixed(3).padStart(8)} ms (${perCall === undefined ? '?' : (perCall / ms).toFixed(0)}× faster)`);
      lines.push(
        `    ${semantic ? 'semantic   ' : 'traditional'}: per call ${perCall === undefined ? 'not measured' : `${perCall.toFixed(1).padStart(7)} ms`}   prepared ${versus(find('prepared'))}   + items ${versus(find('prepared, all items read'))}`,
      );
    }
  }
  return lines;
}
