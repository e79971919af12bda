// Temporary checker for the open-vocabulary set drafts (helpers run it): npx tsx --conditions=source scripts/tune/check-open-set.ts FILE.jsonl
import { CONCEPT_MAPS, normalizeTerm } from '@semfilter/core';
import { readFileSync } from 'node:fs';
const file = process.argv[2]!;
const dev = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const KINDS = new Set(['placement', 'shared-word', 'opposite', 'near-match', 'general']);
let bad = 0;
const items = new Map<string, Set<string>>();
const counts: Record<string, { pos: number; neg: number; kinds: Record<string, number>; unseenRequested: number }> = {};
const seenPairs = new Set<string>();
readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
  if (line.trim() === '') return;
  let p: any;
  try { p = JSON.parse(line); } catch { console.log(`line ${i + 1}: not JSON`); bad++; return; }
  const d = p.dimension as 'style' | 'occasion' | 'mood';
  if (!['style', 'occasion', 'mood'].includes(d) || typeof p.requested !== 'string' || typeof p.item !== 'string' || typeof p.compatible !== 'boolean' || !KINDS.has(p.kind)) { console.log(`line ${i + 1}: bad fields ${line}`); bad++; return; }
  const anchors = new Set(CONCEPT_MAPS[d].concepts.flatMap((c) => c.anchors));
  const devTerms = new Set(dev.filter((x) => x.dimension === d).flatMap((x) => [normalizeTerm(x.requested).value, normalizeTerm(x.item).value]));
  const item = normalizeTerm(p.item).value;
  const req = normalizeTerm(p.requested).value;
  if (anchors.has(item)) { console.log(`line ${i + 1}: item "${item}" is a vocabulary anchor (${d})`); bad++; }
  if (devTerms.has(item)) { console.log(`line ${i + 1}: item "${item}" is in the vocabulary dev set (${d})`); bad++; }
  if (item === req) { console.log(`line ${i + 1}: item equals request`); bad++; }
  const key = `${d}|${req}|${item}`;
  if (seenPairs.has(key)) { console.log(`line ${i + 1}: duplicate pair ${key}`); bad++; }
  seenPairs.add(key);
  (items.get(d) ?? items.set(d, new Set()).get(d)!).add(item);
  const c = (counts[d] ??= { pos: 0, neg: 0, kinds: {}, unseenRequested: 0 });
  p.compatible ? c.pos++ : c.neg++;
  c.kinds[p.kind] = (c.kinds[p.kind] ?? 0) + 1;
  if (!anchors.has(req)) c.unseenRequested++;
});
for (const [d, c] of Object.entries(counts)) console.log(d, `pairs ${c.pos + c.neg} (compatible ${c.pos}, incompatible ${c.neg}), distinct item terms ${items.get(d)!.size}, pairs with an unseen requested term ${c.unseenRequested}`, JSON.stringify(c.kinds));
console.log(bad === 0 ? 'OK' : `${bad} problems`);
