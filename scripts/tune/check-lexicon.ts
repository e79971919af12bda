// Temporary checker for lexicon drafts (helpers run it): npx tsx --conditions=source scripts/tune/check-lexicon.ts FILE.json
// FILE.json: { "<dimension>": { "<concept id>": ["new anchor", ...] } }
import { CONCEPT_MAPS, normalizeTerm, type Dimension } from '@semfilter/core';
import { readFileSync } from 'node:fs';
const draft = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, Record<string, string[]>>;
const open = readFileSync('test/fixtures/open-vocabulary.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
let bad = 0;
for (const [d, concepts] of Object.entries(draft)) {
  const map = CONCEPT_MAPS[d as Dimension];
  if (map === undefined) { console.log(`unknown dimension ${d}`); bad++; continue; }
  const existing = new Set(map.concepts.flatMap((c) => c.anchors));
  const openTerms = new Set(open.filter((p) => p.dimension === d).flatMap((p) => [normalizeTerm(p.requested).value, normalizeTerm(p.item).value]));
  let added = 0;
  for (const [concept, terms] of Object.entries(concepts)) {
    const c = map.concepts.find((x) => x.id === concept);
    if (c === undefined) { console.log(`${d}: unknown concept "${concept}" (known: ${map.concepts.map((x) => x.id).join(', ')})`); bad++; continue; }
    const seen = new Set<string>();
    for (const raw of terms) {
      const t = normalizeTerm(raw).value;
      if (t !== raw) { console.log(`${d}/${concept}: write "${raw}" normalized as "${t}"`); bad++; }
      if (c.anchors.includes(t)) { console.log(`${d}/${concept}: "${t}" is already an anchor of this concept`); bad++; }
      if (openTerms.has(t)) { console.log(`${d}/${concept}: "${t}" is a term of the open-vocabulary evaluation set: leave it out`); bad++; }
      if (seen.has(t)) { console.log(`${d}/${concept}: "${t}" listed twice`); bad++; }
      seen.add(t);
      added++;
    }
  }
  console.log(`${d}: ${existing.size} anchors now, ${added} new entries`);
}
console.log(bad === 0 ? 'OK' : `${bad} problems`);
