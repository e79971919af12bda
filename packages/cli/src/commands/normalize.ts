import { normalizeTerm } from '@semfilter/core';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';

/** `semfilter normalize TAG...`: each tag's normal form and what normalization changed. */
export async function normalizeCommand(args: readonly string[]): Promise<string> {
  const { positionals } = parseCommandArgs('normalize', args, {}, true);
  if (positionals.length === 0) throw badInput('semfilter normalize: give at least one TAG to normalize');
  return `${JSON.stringify(positionals.map((tag) => normalizeTerm(tag)), null, 2)}\n`;
}
