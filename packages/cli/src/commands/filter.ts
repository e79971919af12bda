import { filterItems, normalizeRequest, parseWardrobe, parseWith, requestSchema, DIMENSIONS } from '@semfilter/core';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';
import { formatIssues, parseJson, readText } from '../input.js';
import { loadEmbedder, parseDtype } from '../model.js';

/** `semfilter filter --items FILE [--style S] [--occasion O] [--mood M] [--semantic]`: the report as JSON. */
export async function filterCommand(args: readonly string[]): Promise<string> {
  const { values } = parseCommandArgs('filter', args, {
    items: { type: 'string' },
    style: { type: 'string', multiple: true },
    occasion: { type: 'string', multiple: true },
    mood: { type: 'string', multiple: true },
    semantic: { type: 'boolean', default: false },
    dtype: { type: 'string' },
  });
  if (values.items === undefined) throw badInput('semfilter filter: --items FILE is required (a JSON array of items, or an object with an "items" array)');
  const where = values.items === '-' ? 'stdin' : values.items;
  const wardrobe = parseWardrobe(parseJson(readText(values.items), where));
  if (!wardrobe.ok) throw badInput(formatIssues(where, wardrobe.issues));
  const requestInput = Object.fromEntries(DIMENSIONS.filter((d) => values[d] !== undefined).map((d) => [d, values[d]!.length === 1 ? values[d]![0] : values[d]]));
  const request = parseWith(requestSchema, requestInput, '--');
  if (!request.ok) throw badInput(formatIssues('semfilter filter', request.issues));
  const requestTerms = Object.values(normalizeRequest(request.value)).flat();
  const embedder = values.semantic ? await loadEmbedder(parseDtype(values.dtype), requestTerms) : undefined;
  const report = await filterItems(wardrobe.value, request.value, { semantic: values.semantic }, { embedder });
  return `${JSON.stringify(report, null, 2)}\n`;
}
