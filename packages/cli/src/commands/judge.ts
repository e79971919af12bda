import { DIMENSIONS, judgePairs, LIMITS, parseWith } from '@semfilter/core';
import { z } from 'zod';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';
import { formatIssues, parseJsonLines, readText } from '../input.js';
import { loadEmbedder, parseDtype } from '../model.js';

const term = z.string().min(1).max(LIMITS.maxTagLength);
/** One input line: the pair, plus any fields the caller wants carried through (labels, ids). */
const pairLineSchema = z.looseObject({ dimension: z.enum(DIMENSIONS), requested: term, item: term });

/** `semfilter judge --pairs FILE.jsonl`: one line per input line, the input's fields plus both verdicts, the score and its basis. */
export async function judgeCommand(args: readonly string[]): Promise<string> {
  const { values } = parseCommandArgs('judge', args, { pairs: { type: 'string' }, dtype: { type: 'string' } });
  if (values.pairs === undefined) throw badInput('semfilter judge: --pairs FILE.jsonl is required (lines like {"dimension":"style","requested":"casual","item":"classic"})');
  const where = values.pairs === '-' ? 'stdin' : values.pairs;
  const lines = parseJsonLines(readText(values.pairs), where).map(({ line, value }) => {
    const parsed = parseWith(pairLineSchema, value, 'pair');
    if (!parsed.ok) throw badInput(formatIssues(`${where}: line ${line}`, parsed.issues));
    return parsed.value;
  });
  const embedder = await loadEmbedder(parseDtype(values.dtype), []);
  const result = await judgePairs(lines, {}, { embedder });
  return lines.map((input, i) => {
    const { traditional, semantic, score, basis } = result.judgements[i]!;
    return `${JSON.stringify({ ...input, traditional, semantic, score, basis })}\n`;
  }).join('');
}
