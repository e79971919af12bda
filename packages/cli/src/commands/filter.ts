import { DIMENSIONS, filterItems, filterOptionsSchema, normalizeRequest, parseWardrobe, parseWith, requestSchema, type Dimension } from '@semfilter/core';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';
import { formatIssues, parseJson, readText } from '../input.js';
import { loadEmbedder, parseDtype } from '../model.js';

/**
 * `semfilter filter --items FILE [--style S] [--occasion O] [--mood M] [--semantic]
 * [--threshold DIMENSION=N] [--exact DIMENSION]`: the report as JSON.
 */
export async function filterCommand(args: readonly string[], warn: (message: string) => void): Promise<string> {
  const { values } = parseCommandArgs('filter', args, {
    items: { type: 'string' },
    style: { type: 'string', multiple: true },
    occasion: { type: 'string', multiple: true },
    mood: { type: 'string', multiple: true },
    semantic: { type: 'boolean', default: false },
    threshold: { type: 'string', multiple: true },
    exact: { type: 'string', multiple: true },
    dtype: { type: 'string' },
  });
  if (values.items === undefined) throw badInput('semfilter filter: --items FILE is required (a JSON array of items, or an object with an "items" array)');
  const where = values.items === '-' ? 'stdin' : values.items;
  const wardrobe = parseWardrobe(parseJson(readText(values.items), where));
  if (!wardrobe.ok) throw badInput(formatIssues(where, wardrobe.issues));
  const requestInput = Object.fromEntries(DIMENSIONS.filter((d) => values[d] !== undefined).map((d) => [d, values[d]!.length === 1 ? values[d]![0] : values[d]]));
  const request = parseWith(requestSchema, requestInput, '--');
  if (!request.ok) throw badInput(formatIssues('semfilter filter', request.issues));
  const options = parseWith(filterOptionsSchema, { semantic: values.semantic, dimensions: dimensionOptions(values.threshold ?? [], values.exact ?? []) }, 'options');
  if (!options.ok) throw badInput(formatIssues('semfilter filter', options.issues));
  // An empty request is valid (a host may filter on nothing), but from a shell it is most often a
  // forgotten flag, and a 100% pass rate would otherwise look like an answer.
  if (Object.keys(requestInput).length === 0) warn('semfilter filter: warning: no --style, --occasion or --mood given: every item passes');
  const requestTerms = Object.values(normalizeRequest(request.value)).flat();
  const embedder = values.semantic ? await loadEmbedder(parseDtype(values.dtype), requestTerms) : undefined;
  const report = await filterItems(wardrobe.value, request.value, options.value, { embedder });
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Per-dimension options from `--threshold style=0.6` and `--exact mood` flags. */
function dimensionOptions(thresholds: readonly string[], exact: readonly string[]): Record<string, { threshold?: number; mode?: 'exact' }> {
  const out: Record<string, { threshold?: number; mode?: 'exact' }> = {};
  for (const flag of thresholds) {
    const match = /^([a-z]+)=(.*)$/.exec(flag);
    if (match === null || !isDimension(match[1]!)) throw badInput(`semfilter filter: --threshold: expected DIMENSION=NUMBER with DIMENSION one of ${DIMENSIONS.join(', ')}, received "${flag}"`);
    // Checked here rather than by the options schema, whose message names an internal path.
    const threshold = match[2]!.trim() === '' ? Number.NaN : Number(match[2]);
    if (!(threshold >= 0 && threshold <= 1)) {
      throw badInput(`semfilter filter: --threshold ${flag}: expected a similarity from 0 to 1, received ${Number.isNaN(threshold) ? JSON.stringify(match[2]) : threshold}`);
    }
    out[match[1]] = { ...out[match[1]], threshold };
  }
  for (const dimension of exact) {
    if (!isDimension(dimension)) throw badInput(`semfilter filter: --exact: expected one of ${DIMENSIONS.join(', ')}, received "${dimension}"`);
    out[dimension] = { ...out[dimension], mode: 'exact' };
  }
  return out;
}

function isDimension(value: string): value is Dimension {
  return (DIMENSIONS as readonly string[]).includes(value);
}
