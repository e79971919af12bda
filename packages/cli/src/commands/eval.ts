import { join } from 'node:path';
import { calibration, DIMENSIONS, judgePairs, parseWith, termHalf, withItemTermsUnseen, type Embedder, type FilterOptionsInput, type PairJudgement, type UncertainPolicy } from '@semfilter/core';
import { z } from 'zod';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';
import { formatIssues, parseJsonLines, readText } from '../input.js';
import { loadEmbedder, parseDtype } from '../model.js';
import { REPO_ROOT } from '../paths.js';

const VOCABULARY_SET = join(REPO_ROOT, 'test', 'fixtures', 'compatibility-dev.jsonl');
const OPEN_SET = join(REPO_ROOT, 'test', 'fixtures', 'open-vocabulary.jsonl');
const labelledPairSchema = z.strictObject({
  dimension: z.enum(DIMENSIONS),
  requested: z.string().min(1),
  item: z.string().min(1),
  compatible: z.boolean(),
  /** Which kind of hard case the pair was written for (open-vocabulary set). */
  kind: z.enum(['placement', 'shared-word', 'opposite', 'near-match', 'general']).optional(),
});
type LabelledPair = z.infer<typeof labelledPairSchema>;
const POLICIES: readonly UncertainPolicy[] = ['threshold', 'accept', 'reject', 'exact'];

/**
 * `semfilter eval [--pairs FILE.jsonl]`: how often semantic mode wrongly rejects a compatible pair
 * (FRR) and wrongly accepts an incompatible one (FAR), per dimension. Without --pairs: the
 * vocabulary set, the same pairs with their item terms taken out of the vocabulary (the
 * item-terms-unseen estimate), then the open-vocabulary set's tuning half and its held-out half,
 * split by term (termHalf): the scorer was trained on the tuning half only, so the held-out half is
 * the honest figure; with its calibration (ECE over ten score bins), unsure verdicts under each
 * policy, and the errors per kind of hard case.
 */
export async function evalCommand(args: readonly string[]): Promise<string> {
  const { values } = parseCommandArgs('eval', args, { pairs: { type: 'string' }, dtype: { type: 'string' } });
  const embedder = await loadEmbedder(parseDtype(values.dtype), []);
  const lines: string[] = [];
  const vocabulary = readPairs(values.pairs ?? VOCABULARY_SET);
  lines.push(`model ${embedder.model.id} ${embedder.model.dtype}`, '');
  const vocabularyJudgements = await judge(vocabulary, embedder);
  lines.push(...section(`vocabulary set: ${values.pairs ?? VOCABULARY_SET}`, vocabulary, vocabularyJudgements, true));
  if (values.pairs === undefined) {
    // scripts/tune/train-heads.ts fits the seen head's relation offsets on the even lines: the odd ones were not tuned on.
    const odd = (_: unknown, line: number) => line % 2 === 1;
    lines.push(...section('vocabulary set, odd lines only (the seen head was fitted on the even lines)', vocabulary.filter(odd), vocabularyJudgements.filter(odd), false));
  }
  const unseen = (await judgePairs(vocabulary, {}, { embedder, concepts: withItemTermsUnseen(vocabulary) })).judgements;
  lines.push(...section('the same pairs with every item term taken out of the vocabulary (item terms unseen)', vocabulary, unseen, false));
  if (values.pairs !== undefined) return `${lines.join('\n')}\n`;
  const open = readPairs(OPEN_SET);
  const halves = open.map((pair) => termHalf(pair));
  const tuning = open.filter((_, i) => halves[i] === 'tuning');
  const heldOut = open.filter((_, i) => halves[i] === 'held-out');
  lines.push(`open-vocabulary set: ${OPEN_SET}: ${open.length} pairs, split by term: ${tuning.length} tuning, ${heldOut.length} held out, ${open.length - tuning.length - heldOut.length} in neither (their two unseen terms fell in different halves)`, '');
  lines.push(...section('open-vocabulary TUNING half (the scorer was trained on these terms)', tuning, await judge(tuning, embedder), false));
  const heldJudgements = await judge(heldOut, embedder);
  lines.push(...section('open-vocabulary HELD-OUT half (never tuned on)', heldOut, heldJudgements, true));
  lines.push(...calibrationRows(heldOut, heldJudgements));
  lines.push('', 'held-out half, unsure verdicts (basis UNCERTAIN) under each policy (options.uncertain)');
  for (const policy of POLICIES) {
    const judged = policy === 'threshold' ? heldJudgements : await judge(heldOut, embedder, { uncertain: policy });
    const unsure = judged.filter(isUnsure).length;
    lines.push(`  ${policy.padEnd(9)} ${rates(heldOut, judged, () => true)}   (${unsure} unsure of ${heldOut.length})`);
  }
  lines.push('', 'held-out half by kind of hard case (all dimensions)');
  for (const kind of labelledPairSchema.shape.kind.unwrap().options) lines.push(`  ${kind.padEnd(12)} ${rates(heldOut, heldJudgements, (p) => p.kind === kind)}`);
  return `${lines.join('\n')}\n`;
}

function readPairs(file: string): LabelledPair[] {
  return parseJsonLines(readText(file), file).map(({ line, value }) => {
    const parsed = parseWith(labelledPairSchema, value, 'pair');
    if (!parsed.ok) throw badInput(formatIssues(`${file}: line ${line}`, parsed.issues));
    return parsed.value;
  });
}

async function judge(pairs: readonly LabelledPair[], embedder: Embedder, options: FilterOptionsInput = {}): Promise<readonly PairJudgement[]> {
  return (await judgePairs(pairs, options, { embedder })).judgements;
}

function isUnsure(judgement: PairJudgement): boolean {
  return judgement.basis === 'UNCERTAIN';
}

/** A table of FRR and FAR per dimension and overall, with the traditional filter's when asked. */
function section(title: string, pairs: readonly LabelledPair[], judgements: readonly PairJudgement[], withTraditional: boolean): string[] {
  const rows = [title, 'mode         dimension   pairs   FRR: wrong rejects (of compatible)   FAR: wrong accepts (of incompatible)   unsure'];
  const modes = withTraditional ? (['semantic', 'traditional'] as const) : (['semantic'] as const);
  for (const mode of modes) {
    for (const dimension of [...DIMENSIONS, 'overall'] as const) {
      const keep = (pair: LabelledPair) => dimension === 'overall' || pair.dimension === dimension;
      const count = pairs.filter(keep).length;
      const unsure = mode === 'semantic' ? String(judgements.filter((j, i) => keep(pairs[i]!) && isUnsure(j)).length) : '';
      rows.push(`${mode.padEnd(12)} ${dimension.padEnd(11)} ${String(count).padStart(5)}   ${rates(pairs, judgements, keep, mode)}   ${unsure}`);
    }
  }
  rows.push('');
  return rows;
}

function rates(pairs: readonly LabelledPair[], judgements: readonly PairJudgement[], keep: (pair: LabelledPair) => boolean, mode: 'semantic' | 'traditional' = 'semantic'): string {
  let compatible = 0;
  let incompatible = 0;
  let wrongRejects = 0;
  let wrongAccepts = 0;
  pairs.forEach((pair, i) => {
    if (!keep(pair)) return;
    const accepted = judgements[i]![mode];
    if (pair.compatible) {
      compatible++;
      if (!accepted) wrongRejects++;
    } else {
      incompatible++;
      if (accepted) wrongAccepts++;
    }
  });
  return `${rate(wrongRejects, compatible).padEnd(36)} ${rate(wrongAccepts, incompatible).padEnd(37)}`;
}

function rate(count: number, total: number): string {
  return total === 0 ? 'n/a' : `${((100 * count) / total).toFixed(1).padStart(5)}%  (${count}/${total})`;
}

/** The held-out half's reliability table and expected calibration error over ten score bins; a veto counts as 0. */
function calibrationRows(pairs: readonly LabelledPair[], judgements: readonly PairJudgement[]): string[] {
  const { ece, bins } = calibration(judgements.map((j) => j.score ?? 0), pairs.map((p) => p.compatible));
  return [
    `held-out half calibration: expected calibration error (10 bins) ${ece.toFixed(3)}`,
    '  score bin   pairs   mean score   share compatible',
    ...bins.map((bin) => `  ${bin.from.toFixed(1)}–${bin.to.toFixed(1)}   ${String(bin.count).padStart(5)}   ${bin.meanScore.toFixed(3).padStart(10)}   ${bin.shareCompatible.toFixed(3).padStart(16)}`),
  ];
}
