// Formats the warm filter measurements of test/bench/bench.js: per wardrobe size and mode, the
// per-call path (`filter(items, …)`) as the baseline and the prepared path beside it, with the ratio.

/** One measured median: a wardrobe size, a mode, a path and its milliseconds. */
export interface WarmFilterResult {
  readonly size: number;
  readonly semantic: boolean;
  readonly path: 'per call' | 'prepared';
  readonly ms: number;
}

/** One line per size and mode. */
export function warmFilterLines(results: readonly WarmFilterResult[], runs: number): string[] {
  const lines = [`warm filter (vectors cached), median of ${runs}, per call (validate, normalize, decide, full report) vs prepared:`];
  const keys = [...new Set(results.map((r) => `${r.size}|${r.semantic}`))];
  for (const key of keys) {
    const [size, semantic] = [Number(key.split('|')[0]), key.endsWith('true')];
    const find = (path: WarmFilterResult['path']) => results.find((r) => r.size === size && r.semantic === semantic && r.path === path);
    const perCall = find('per call');
    const prepared = find('prepared');
    const label = `  ${String(size).padStart(7)} items, ${semantic ? 'semantic  ' : 'traditional'}:`;
    const base = perCall === undefined ? 'per call not measured' : `per call ${perCall.ms.toFixed(1).padStart(8)} ms`;
    const fast = prepared === undefined ? '' : `   prepared ${prepared.ms.toFixed(2).padStart(8)} ms   (${perCall === undefined ? '?' : (perCall.ms / Math.max(prepared.ms, 0.01)).toFixed(0)}× faster)`;
    lines.push(`${label} ${base}${fast}`);
  }
  return lines;
}
