import { join } from 'node:path';
import { DIMENSIONS, judgePairs, parseWith, withItemTermsUnseen, type PairJudgement } from '@semfilter/core';
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
 * compatible pair and wrongly accepts an incompatible one, per dimension and overall. A second run
 * takes every item term of the set out of the concept anchors (requested terms stay), so each item
 * term is placed by its embedding alone: the closest this set comes to a held-out set's unseen terms.
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
  const heldOut = withItemTermsUnseen(pairs);
  const heldOutJudgements = (await judgePairs(pairs, {}, { embedder, concepts: heldOut })).judgements;
  const lines = [
    `pairs: ${file} (${pairs.length}: ${pairs.filter((p) => p.compatible).length} compatible, ${pairs.filter((p) => !p.compatible).length} incompatible), model ${embedder.model.id} ${embedder.model.dtype}`,
    '',
    'all pairs',
    ...table(pairs, judgements),
    '',
    'the same pairs with every item term taken out of the curated vocabulary (as if unseen)',
    ...table(pairs, heldOutJudgements),
  ];
  return `${lines.join('\n')}\n`;
}

/** Rows per mode and dimension, then semantic mode's rows per half (scripts/tune tunes on the even lines, so the odd ones are the honest figure). */
function table(pairs: readonly LabelledPair[], judgements: readonly PairJudgement[]): string[] {
  const rows = ['mode         dimension   pairs   FRR: wrong rejects (of compatible)   FAR: wrong accepts (of incompatible)'];
  const all = (): boolean => true;
  const halves = [
    ['semantic', 'even lines', (i: number) => i % 2 === 0],
    ['semantic', 'odd lines', (i: number) => i % 2 === 1],
  ] as const;
  for (const [mode, label, keep] of [['semantic', 'semantic', all], ['traditional', 'traditional', all], ...halves] as const) {
    if (label === 'even lines') rows.push('  semantic by half of the file: tuned on the even lines, checked on the odd');
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
      rows.push(`${label.padEnd(12)} ${dimension.padEnd(11)} ${String(tally.compatible + tally.incompatible).padStart(5)}   ${rate(tally.wrongRejects, tally.compatible).padEnd(36)} ${rate(tally.wrongAccepts, tally.incompatible)}`);
    }
  }
  return rows;
}

function rate(count: number, total: number): string {
  return total === 0 ? 'n/a' : `${((100 * count) / total).toFixed(1).padStart(5)}%  (${count}/${total})`;
}
