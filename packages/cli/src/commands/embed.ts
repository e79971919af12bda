import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';
import { loadEmbedder, parseDtype } from '../model.js';

/** `semfilter embed TEXT...`: `[{"text", "vector"}]`, each vector 384 numbers of unit length. */
export async function embedCommand(args: readonly string[]): Promise<string> {
  const { values, positionals } = parseCommandArgs('embed', args, { dtype: { type: 'string' } }, true);
  if (positionals.length === 0) throw badInput('semfilter embed: give at least one TEXT to embed');
  const embedder = await loadEmbedder(parseDtype(values.dtype), positionals);
  const vectors = await embedder.embed(positionals);
  return `${JSON.stringify(positionals.map((text, i) => ({ text, vector: Array.from(vectors[i]!) })))}\n`;
}
