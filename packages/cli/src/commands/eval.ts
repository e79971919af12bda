import { join } from 'node:path';
import { CONCEPT_MAPS, DIMENSIONS, judgePairs, normalizeTerm, parseWith, type Dimension, type PairJudgement } from '@semfilter/core';
import { z } from 'zod';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';
import { formatIssues, parseJsonLines, readText } from '../input.js';
import { loadEmbedder, parseDtype } from '../model.js';
import { REPO_ROOT } from '../paths.js';

const DEV_SET = join(REPO_ROOT, 'test', 'fixtures', 'compatibility-dev.jsonl');
const labelledPairSchema = z.strictObject({ dimension: z.enum(DIMENSIONS), requested: z.string().min(1), item: z.string().min(1), compatible: z.boolean() });
type LabelledPair = z.infer<typeof labelledPairSchema>;

interface Tally {
  compatible: number;
  incompatible: number;
  wrongRejects: number;
  wrongAccepts: number;
}

/**
 * `semfilter eval [--pairs FILE.jsonl]`: on labelled pairs, how often each mode wrongly rejects a
 * compatible pair and wrongly accepts an incompatible one, per dimension and overall. A second table
 * keeps only pairs whose terms are both outside the curated vocabulary: the closest this set comes
 * to the unseen terms a held-out set will bring.
 */
export async function evalCommand(args: readonly string[]): Promise<string> {
  const { values } = parseCommandArgs('eval', args, { pairs: { type: 'string' }, dtype: { type: 'string' } });
  const file = values.pairs ?? DEV_SET;
  const pairs = parseJsonLines(readText(file), file).map(({ line, value }) => {
    const parsed = parseWith(labelledPairSchema, value, 'pair');
    if (!parsed.ok) throw badInput(formatIssues(`${file}: line ${line}`, parsed.issues));
    return parsed.value;
  });
  const embedder = await loadEmbedder(parseDtype(values.dtype), []);
  const { judgements } = await judgePairs(pairs, {}, { embedder });
  const unseen = pairs.map((pair) => !isVocabulary(pair.dimension, pair.requested) && !isVocabulary(pair.dimension, pair.item));
  const lines = [
    `pairs: ${file} (${pairs.length}: ${pairs.filter((p) => p.compatible).length} compatible, ${pairs.filter((p) => !p.compatible).length} incompatible), model ${embedder.model.id} ${embedder.model.dtype}`,
    '',
    'all pairs',
    ...table(pairs, judgements, () => true),
    '',
    `pairs with both terms outside the curated vocabulary (${unseen.filter(Boolean).length})`,
    ...table(pairs, judgements, (i) => unseen[i]!),
  ];
  return `${lines.join('\n')}\n`;
}

function table(pairs: readonly LabelledPair[], judgements: readonly PairJudgement[], keep: (index: number) => boolean): string[] {
  const rows = ['mode         dimension   pairs   wrong rejects (of compatible)   wrong accepts (of incompatible)'];
  for (const mode of ['semantic', 'traditional'] as const) {
    for (const dimension of [...DIMENSIONS, 'overall'] as const) {
      const tally: Tally = { compatible: 0, incompatible: 0, wrongRejects: 0, wrongAccepts: 0 };
      pairs.forEach((pair, i) => {
        if (!keep(i) || (dimension !== 'overall' && pair.dimension !== dimension)) return;
        const accepted = judgements[i]![mode];
        if (pair.compatible) {
          tally.compatible++;
          if (!accepted) tally.wrongRejects++;
        } else {
          tally.incompatible++;
          if (accepted) tally.wrongAccepts++;
        }
      });
      rows.push(`${mode.padEnd(12)} ${dimension.padEnd(11)} ${String(tally.compatible + tally.incompatible).padStart(5)}   ${rate(tally.wrongRejects, tally.compatible).padEnd(31)} ${rate(tally.wrongAccepts, tally.incompatible)}`);
    }
  }
  return rows;
}

function rate(count: number, total: number): string {
  return total === 0 ? 'n/a' : `${((100 * count) / total).toFixed(1).padStart(5)}%  (${count}/${total})`;
}

function isVocabulary(dimension: Dimension, term: string): boolean {
  const value = normalizeTerm(term).value;
  return CONCEPT_MAPS[dimension].concepts.some((concept) => concept.anchors.includes(value));
}
